/** Everything after the login, loaded once someone signs in: the frame, the routes, the expired-session dialog. */
import { App as AntApp, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { NotFoundPage } from './pages/NotFoundPage';
import { CourtConfirmationsPage, SupervisorQueuePage, Workbench } from './pages/Workbench';
import { SessionExpiredDialog } from './SessionExpiredDialog';
import { Shell } from './Shell';

// The case screens are not needed for the queue: loaded when a case is first opened.
const CaseDetail = lazy(() => import('./pages/CaseDetail'));
// 登记 likewise, when a clerk first opens it.
const Intake = lazy(() => import('./pages/Intake'));
const IntakeReceipt = lazy(() => import('./pages/IntakeReceipt'));
// 投递失败, the clerk's and the supervisor's list of undelivered texts and notifications.
const FailedDeliveries = lazy(() => import('./pages/FailedDeliveries'));
// 统计分析 / 我的统计 and 投诉处理 (docs/supervision.md), with their charts, when first opened.
const Dashboard = lazy(() => import('./pages/supervision/Dashboard'));
const ComplaintInbox = lazy(() => import('./pages/supervision/ComplaintInbox'));
const ComplaintDetail = lazy(() => import('./pages/supervision/ComplaintDetail'));
// 差评回访, 随机回访 and 诚信档案 (docs/supervision.md#ratings, #credit-files), when first opened.
const RatingFollowUps = lazy(() => import('./pages/supervision/RatingFollowUps'));
const RatingDetail = lazy(() => import('./pages/supervision/RatingDetail'));
const RatingCallbacks = lazy(() => import('./pages/supervision/RatingCallbacks'));
const CreditIndex = lazy(() => import('./pages/supervision/CreditIndex'));
const CreditFile = lazy(() => import('./pages/supervision/CreditFile'));

export default function SignedIn() {
  return (
    <AntApp>
      <BrowserRouter basename="/console">
        <Shell>
          <Suspense fallback={<Spin description="正在加载…" />}>
            <Routes>
              <Route index element={<Workbench />} />
              <Route path="confirmations" element={<CourtConfirmationsPage />} />
              <Route path="all" element={<SupervisorQueuePage />} />
              <Route path="cases/new" element={<Intake />} />
              <Route path="cases/:caseId" element={<CaseDetail />} />
              <Route path="cases/:caseId/receipt" element={<IntakeReceipt />} />
              <Route path="deliveries/failed" element={<FailedDeliveries />} />
              <Route path="statistics" element={<Dashboard />} />
              <Route path="complaints" element={<ComplaintInbox />} />
              <Route path="complaints/:complaintId" element={<ComplaintDetail />} />
              <Route path="ratings" element={<RatingFollowUps />} />
              <Route path="ratings/:ratingId" element={<RatingDetail />} />
              <Route path="rating-callbacks" element={<RatingCallbacks />} />
              <Route path="credit" element={<CreditIndex />} />
              <Route path="credit/:kind/:subjectId" element={<CreditFile />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </Shell>
      </BrowserRouter>
      <SessionExpiredDialog />
    </AntApp>
  );
}
