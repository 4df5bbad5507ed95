/**
 * The party portal: server state in TanStack Query, the client's routes under /portal/ (react-router), and the
 * layout every screen shares (the 长辈版 switch, the navigation, the accessibility statement's link). Until the
 * party signs in, every address but the accessibility statement, the application, the texted rating link and the
 * public directory shows the login; after it, the address they
 * opened (a link in a text message) opens, and / goes to their own case.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useParams } from 'react-router';
import { ApiError } from '../api/problems';
import { Announcer } from '../shared/a11y';
import { useElderMode } from './elder';
import { AccessibilityPage } from './pages/AccessibilityPage';
import { CasePage } from './pages/CasePage';
import { DocumentsPage } from './pages/DocumentsPage';
import { Loading } from './pages/Loading';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignPage } from './pages/SignPage';
import { RecoverPage } from './pages/RecoverPage';
import { SessionProvider, useSession } from './session';

function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal (4xx) will not change by asking again; a lost connection or a 503 may.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
        // Each screen asks again when opened (a party opens few, rarely): what they read is current, and a
        // session ended on the server is noticed at the next tap, not after a cache's lifetime.
        staleTime: 0,
      },
    },
  });
}

export function Portal() {
  const [queryClient] = useState(newQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter basename="/portal">
          <Layout>
            <Screens />
          </Layout>
          <Announcer />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

// 投诉, when a party first opens it.
const ComplaintsPage = lazy(() => import('./pages/ComplaintsPage').then((m) => ({ default: m.ComplaintsPage })));

// 评价 (signed in, or by the texted link) and the public directory, when first opened.
const RatingPage = lazy(() => import('./pages/rating/RatingPage').then((m) => ({ default: m.RatingPage })));
const RateByLinkPage = lazy(() => import('./pages/rating/RateByLinkPage').then((m) => ({ default: m.RateByLinkPage })));
const DirectoryPage = lazy(() => import('./pages/directory/DirectoryPage'));

// 申请调解 is a flow of its own, loaded when opened: the login's first screen stays small.
const ApplyFlow = lazy(() => import('./pages/apply/ApplyFlow'));

/** Open to anyone; after submitting, the applicant is signed in and the receipt stays on the same route. */
const applyRoute = (
  <Route
    path="/apply/:step?"
    element={
      <Suspense fallback={<Loading what="申请页面" />}>
        <ApplyFlow />
      </Suspense>
    }
  />
);

function Screens() {
  const { principal } = useSession();
  return (
    <Routes>
      <Route path="/accessibility" element={<AccessibilityPage />} />
      {applyRoute}
      <Route path="/rate" element={<Lazy what="评价页面" page={<RateByLinkPage />} />} />
      <Route path="/directory" element={<Lazy what="公开名录" page={<DirectoryPage />} />} />
      {principal ? (
        <>
          <Route
            path="/"
            element={<Navigate to={principal.kind === 'party' ? `/cases/${principal.caseId}` : '/not-found'} replace />}
          />
          <Route path="/cases/:caseId" element={<CaseRoute page="progress" />} />
          <Route path="/cases/:caseId/documents" element={<CaseRoute page="documents" />} />
          <Route path="/cases/:caseId/sign" element={<SignRoute />} />
          <Route path="/cases/:caseId/complaints" element={<ComplaintsRoute />} />
          <Route path="/cases/:caseId/rating" element={<RatingRoute />} />
          <Route path="*" element={<NotFoundPage />} />
        </>
      ) : (
        <>
          <Route path="/recover" element={<RecoverPage />} />
          <Route path="*" element={<LoginPage />} />
        </>
      )}
    </Routes>
  );
}

function CaseRoute({ page }: { page: 'progress' | 'documents' }) {
  const { caseId = '' } = useParams();
  return page === 'progress' ? <CasePage caseId={caseId} /> : <DocumentsPage caseId={caseId} />;
}

function ComplaintsRoute() {
  const { caseId = '' } = useParams();
  return (
    <Suspense fallback={<Loading what="投诉页面" />}>
      <ComplaintsPage caseId={caseId} />
    </Suspense>
  );
}

function RatingRoute() {
  const { caseId = '' } = useParams();
  return <Lazy what="评价页面" page={<RatingPage caseId={caseId} />} />;
}

/** A page loaded when first opened, saying so meanwhile: the login's first screen stays small. */
function Lazy({ what, page }: { what: string; page: ReactNode }) {
  return <Suspense fallback={<Loading what={what} />}>{page}</Suspense>;
}

function SignRoute() {
  const { caseId = '' } = useParams();
  return <SignPage caseId={caseId} />;
}

function Layout({ children }: { children: ReactNode }) {
  const { principal, logout } = useSession();
  const [elder, toggleElder] = useElderMode();
  const caseId = principal?.kind === 'party' ? principal.caseId : undefined;
  return (
    <>
      <a className="skip-link" href="#content">
        跳到正文
      </a>
      <header className="portal-header">
        <p className="portal-brand">
          一站式非诉讼纠纷化解中心
          <span className="portal-brand-sub">当事人服务</span>
        </p>
        <button type="button" className="elder-switch" aria-pressed={elder} onClick={toggleElder}>
          {elder ? '长辈版：已开启' : '长辈版：已关闭'}
        </button>
      </header>
      {caseId ? (
        <nav className="portal-nav" aria-label="主要">
          <NavLink to={`/cases/${caseId}`} end>
            我的案件
          </NavLink>
          <NavLink to={`/cases/${caseId}/documents`}>文书</NavLink>
          <button type="button" className="link-button" onClick={() => void logout()}>
            退出登录
          </button>
        </nav>
      ) : null}
      <main id="content" className="portal-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="portal-footer">
        <NavLink to="/accessibility">无障碍声明</NavLink>
        <NavLink to="/directory">公开名录</NavLink>
        <span>不便上网的，可到中心服务窗口或拨打 12348 公共法律服务热线办理。</span>
      </footer>
    </>
  );
}
