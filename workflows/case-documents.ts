/**
 * The case's documents: what each one is rendered from (by reference: the activity names the parties,
 * masked), stored, and recorded with its hash and verification code.
 */
import type { CaseState, Effect } from '../domain/case-rules.js';
import { TERMINATION_REASONS } from '../domain/case.js';
import { documentActivities } from './common.js';
import { nextEvent, record, type CaseRun } from './case-run.js';

type RenderEffect = Extract<Effect, { kind: 'render_document' }>;
type Common = { caseId: string; docVersion: number; createdAt: string };

/** Renders, stores and records a document; the creation date is the workflow's own time. */
export async function renderDocument(run: CaseRun, effect: RenderEffect): Promise<void> {
  const { document, version } = effect;
  const common: Common = { caseId: run.state.caseId, docVersion: version, createdAt: new Date().toISOString() };
  const stored = await documentActivities().renderCaseDocument(documentRequest(run.state, effect, common));
  const e = nextEvent(run, 'DocumentGenerated', {
    document,
    version,
    documentId: stored.documentId,
    sha256: stored.sha256,
    verificationCode: stored.verificationCode,
  });
  await record(run, [e]);
}

function documentRequest(state: CaseState, effect: RenderEffect, common: Common) {
  const notice = noticeRequest(state, effect.document, common);
  if (notice) return notice;
  switch (effect.document) {
    case 'agreement':
      return {
        ...common,
        kind: 'agreement' as const,
        path: state.agreement!.path,
        judicialConfirmationPossible: state.screening.judicialConfirmation.possible,
        // The draft decides: the parties planned notarization, so the debtor's commitment is printed (公证法 Art 37).
        notarizationPlanned: state.agreement?.enforcementCommitment !== undefined,
        mediatorId: state.assignment.mediatorId ?? '',
      };
    case 'termination_notice':
      return terminationNoticeRequest(state, common);
    case 'failure_report':
      return {
        ...common,
        kind: 'failure_report' as const,
        failureReport: effect.failureReport,
        mediatorId: state.assignment.mediatorId ?? '',
      };
    case 'archive_summary':
      return {
        ...common,
        kind: 'archive_summary' as const,
        mediatorId: state.assignment.mediatorId ?? '',
        outcome: archiveOutcome(state),
      };
    default:
      return { ...common, kind: 'rights_notice' as const };
  }
}

/** The written notices: what the case recorded, by reference (the activity names the parties, masked). */
function noticeRequest(state: CaseState, document: RenderEffect['document'], common: Common) {
  if (document === 'not_accepted_notice' || document === 'counterparty_notice') {
    const n = state.notAccepted!;
    return { ...common, kind: document, reason: n.reason, note: n.note, partyId: n.partyId };
  }
  if (document === 'legal_aid_refusal') {
    const aid = state.screening.legalAid;
    return { ...common, kind: document, partyId: aid.partyId ?? '', basis: aid.basis, reason: aid.reason ?? '' };
  }
  return undefined;
}

/** The reason in Chinese with its article; who or which period ended it, by reference (the activity names them). */
function terminationNoticeRequest(state: CaseState, common: Common) {
  const t = state.termination!;
  const period = t.ruleId ? state.deadlines[t.ruleId] : undefined;
  return {
    ...common,
    kind: 'termination_notice' as const,
    reason: t.reason,
    reasonLabel: TERMINATION_REASONS[t.reason],
    note: t.note,
    returnedToCourt: t.returnedToCourt,
    ...(t.partyId ? { partyId: t.partyId } : {}),
    ...(t.ruleId
      ? { ruleId: t.ruleId, periodLastDay: period?.lastDay || undefined, periodLength: period?.length }
      : {}),
  };
}

function archiveOutcome(state: CaseState): string {
  const title = state.securing?.enforceableBy;
  const performed = state.performance?.completedAt
    ? '，已履行完毕'
    : state.performance?.defaulted
      ? '，未按期履行'
      : '';
  return `达成调解协议${title === 'judicial_confirmation' ? '，经司法确认' : title === 'notarization' ? '，经赋予强制执行效力公证' : ''}${performed}`;
}
