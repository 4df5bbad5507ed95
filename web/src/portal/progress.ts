/**
 * The case's progress as a party reads it: what happened (the case's events, in plain Chinese), what comes
 * next (from the status the server computed), by when (the open periods the API gives this party, each with
 * its article) and who handles it. Nothing here decides anything: it only words what the API answered.
 */
import type { CaseView } from '../api/client';
import { CASE_STATUS_LABELS, DEADLINE_RULES, DOCUMENT_LABELS, EVENT_LABELS, label } from '../shared/labels';

type CaseEvent = CaseView['events'][number];
type Deadline = NonNullable<CaseView['deadlines']>[number];

/** Events in the words of the person the case is about; others fall back to the console's labels. */
const PARTY_EVENT_LABELS: Record<string, string> = {
  CaseRegistered: '中心收到调解申请，已登记',
  CaseAccepted: '中心已受理案件',
  CaseNotAccepted: '中心决定不予受理',
  CounterpartyContactLogged: '中心联系了对方当事人',
  CounterpartyConsented: '对方当事人同意调解',
  MediatorAssigned: '已确定调解员',
  MediatorAccepted: '调解员已接手案件',
  MediatorDeclined: '调解员未接手，中心另行安排',
  SessionRecorded: '进行了一次调解',
  MediationSuspended: '调解暂时中止',
  MediationResumed: '调解恢复进行',
  MediationExtended: '调解期限已延长',
  MediationTerminated: '调解已终止',
  AgreementDrafted: '调解员起草了调解协议',
  AgreementCirculated: '调解协议已送各方签署',
  AgreementSigned: '有一方签署了调解协议',
  AgreementEffective: '调解协议已生效',
  DocumentGenerated: '中心出具了文书',
  MaterialReceived: '中心收到了材料',
  PaymentConfirmed: '确认收到一笔履行款项',
  PerformanceCompleted: '协议已履行完毕',
  CaseArchived: '案件已结案归档',
  // Securing the agreement (docs/securing.md): the joint applications the parties sign under 待签.
  JudicialConfirmationStarted: '已准备共同申请司法确认，等待双方签署',
  ConfirmationApplicationSigned: '有一方签署了司法确认申请',
  ConfirmationApplicationSubmitted: '司法确认申请已提交人民法院',
  ConfirmationAccepted: '人民法院已受理司法确认申请',
  ConfirmationCorrectionRequested: '人民法院要求补正材料',
  ConfirmationCorrectionSubmitted: '已提交补正材料',
  ConfirmationRuled: '人民法院对司法确认申请作出裁定',
  NotarizationRequested: '已准备共同申请办理公证，等待双方签署',
  NotarizationApplicationSigned: '有一方签署了公证申请',
  NotarizationApplicationSubmitted: '公证申请已提交公证机构',
  NotarizationAccepted: '公证机构已受理公证申请',
  NotarizationSupplementRequested: '公证机构要求补充材料',
  NotarizationSupplementSubmitted: '已提交补充材料',
  NotarizationIssued: '公证机构已出具公证书',
  NotarizationRefused: '公证机构决定不予办理公证',
  NotarizationWithdrawn: '公证申请已撤回',
};

/** Bookkeeping of the clocks (and a securing process's own start, already told by the case's event), which the "what comes next" box already shows: not listed as steps. */
const HIDDEN_EVENTS = new Set([
  'ProcessStarted',
  'DeadlineSet',
  'DeadlineRecomputed',
  'DeadlineReminder',
  'DeadlinePaused',
  'DeadlineStopped',
  'DeadlineUncomputable',
]);

export type Step = { seq: number; at: string; what: string; detail: string | null };

export function pastSteps(events: CaseEvent[]): Step[] {
  return [...events]
    .filter((e) => !HIDDEN_EVENTS.has(e.type))
    .sort((a, b) => a.seq - b.seq)
    .map((e) => {
      const p = e.payload as Record<string, unknown>;
      let detail: string | null = null;
      if (typeof p.document === 'string') detail = label(DOCUMENT_LABELS, p.document);
      else if (typeof p.ruleId === 'string' && p.ruleId in DEADLINE_RULES)
        detail = DEADLINE_RULES[p.ruleId as keyof typeof DEADLINE_RULES].label;
      else if (typeof p.title === 'string') detail = p.title;
      return { seq: e.seq, at: e.at, what: PARTY_EVENT_LABELS[e.type] ?? label(EVENT_LABELS, e.type), detail };
    });
}

/** What comes next, by status (domain/case.ts's states), in a sentence a party understands. */
const NEXT_BY_STATUS: Record<keyof typeof CASE_STATUS_LABELS, string> = {
  REGISTERED: '中心正在审查申请，决定是否受理。受理后会短信通知您。',
  NOT_ACCEPTED: '中心不予受理。您仍可以依法通过协商、仲裁或诉讼等其他途径解决纠纷。',
  PENDING_COUNTERPARTY_CONSENT: '中心正在联系对方当事人，询问是否同意调解。',
  PENDING_ASSIGNMENT: '双方可以在期限内共同选定调解员；未选定的，由中心指派调解员。',
  PENDING_MEDIATOR_ACCEPT: '调解员正在确认是否接手本案。',
  IN_MEDIATION: '调解员会与您联系，约定调解的时间和方式。',
  SUSPENDED: '调解暂时中止，恢复时中心会通知您。',
  AGREEMENT_DRAFTING: '调解员正在起草调解协议，完成后请您阅读并签署。',
  PENDING_SIGNATURE: '调解协议已送签，请阅读后签署；各方签署后协议生效。',
  AGREEMENT_EFFECTIVE: '调解协议已生效，请按协议约定履行。',
  PERFORMED: '协议已履行完毕，案件将结案归档。',
  ENFORCEMENT_ADVISED: '对方未按协议履行的，您可以依法向人民法院申请强制执行。',
  TERMINATED: '调解已终止。您可以依法通过仲裁或诉讼等途径解决纠纷。',
  RETURNED_TO_COURT: '案件已退回委派的人民法院，法院将继续审理。',
  CLOSED_ARCHIVED: '案件已结案归档。',
};

export function nextStep(status: string): string {
  return NEXT_BY_STATUS[status as keyof typeof NEXT_BY_STATUS] ?? '中心正在办理，有进展会通知您。';
}

/** The periods still running, soonest first: the party's "by when". */
export function openDeadlines(deadlines: Deadline[] | undefined): Deadline[] {
  return (deadlines ?? []).filter((d) => d.status === 'open' && d.dueAt).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** Who handles the case now, as far as the view says (it names no staff to a party). */
export function handledBy(view: CaseView): string {
  if (view.assignment?.mediatorId) return '本中心的调解员（已确定）。调解员会直接与您联系。';
  return '本中心登记窗口。确定调解员后会通知您。';
}
