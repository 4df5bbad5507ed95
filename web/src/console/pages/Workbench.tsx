/**
 * 工作台: each signed-in role's own first screen (docs/screens.md), and the role's other lists, each route
 * open to its role only (another role gets the not-found page). Whose cases each list holds is decided by
 * the server (GET /queues/cases scopes the queue to the principal); the screens in workbench/ choose the
 * lists and columns a role works from.
 */
import type { ReactNode } from 'react';
import type { Principal } from '../../api/client';
import { useSession } from '../session';
import { NotFoundPage } from './NotFoundPage';
import { ClerkWorkbench } from './workbench/ClerkWorkbench';
import { CourtConfirmations, CourtDelegated, NotaryWorkbench } from './workbench/InstitutionWorkbench';
import { LegalAidWorkbench } from './workbench/LegalAidWorkbench';
import { MediatorWorkbench } from './workbench/MediatorWorkbench';
import { SupervisorQueue, SupervisorWorkbench } from './workbench/SupervisorWorkbench';

type Role = Principal['role'];

/** Each role's entries in the header's navigation, the first being its 工作台 (the index route). */
export const NAV: Partial<Record<Role, { to: string; label: string }[]>> = {
  clerk: [
    { to: '/', label: '工作台' },
    { to: '/cases/new', label: '登记案件' },
    { to: '/deliveries/failed', label: '投递失败' },
    { to: '/ratings', label: '差评回访' },
    { to: '/rating-callbacks', label: '随机回访' },
    { to: '/credit', label: '诚信档案' },
  ],
  mediator: [
    { to: '/', label: '我的案件' },
    { to: '/statistics', label: '我的统计' },
    { to: '/ratings', label: '关于我的差评' },
    { to: '/credit', label: '我的诚信档案' },
  ],
  court: [
    { to: '/', label: '委派/委托案件' },
    { to: '/confirmations', label: '司法确认申请' },
  ],
  notary: [{ to: '/', label: '公证申请' }],
  legal_aid_officer: [{ to: '/', label: '法律援助申请' }],
  supervisor: [
    { to: '/', label: '超期与临期' },
    { to: '/all', label: '全部案件' },
    { to: '/deliveries/failed', label: '投递失败' },
    { to: '/statistics', label: '统计分析' },
    { to: '/complaints', label: '投诉处理' },
    { to: '/ratings', label: '差评回访' },
    { to: '/rating-callbacks', label: '随机回访' },
    { to: '/credit', label: '诚信档案' },
  ],
};

const HOME: Partial<Record<Role, () => ReactNode>> = {
  clerk: () => <ClerkWorkbench />,
  mediator: () => <MediatorWorkbench />,
  court: () => <CourtDelegated />,
  notary: () => <NotaryWorkbench />,
  legal_aid_officer: () => <LegalAidWorkbench />,
  supervisor: () => <SupervisorWorkbench />,
};

export function Workbench() {
  const { principal } = useSession();
  const home = principal ? HOME[principal.role] : undefined;
  return home ? <>{home()}</> : <NotFoundPage />;
}

/** A list only one role has: the not-found page for anyone else. */
function OnlyFor({ only, children }: { only: Role; children: ReactNode }) {
  const { principal } = useSession();
  return principal?.role === only ? <>{children}</> : <NotFoundPage />;
}

export const CourtConfirmationsPage = () => (
  <OnlyFor only="court">
    <CourtConfirmations />
  </OnlyFor>
);

export const SupervisorQueuePage = () => (
  <OnlyFor only="supervisor">
    <SupervisorQueue />
  </OnlyFor>
);
