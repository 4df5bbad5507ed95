/**
 * Mediation ends without agreement (docs/case-path.md#termination): the termination notice (人民调解法 Art 26) and, for a
 * case a court delegated, the failure report with the facts the mediator recorded (人民法院在线调解规则
 * Arts 21-22; 特邀调解规定 Arts 21, 26). When nothing was recorded the mediator is asked first, on a clock.
 */
import { COURT_CHANNELS, OTHER_ROUTES_NOTICE, TERMINATION_REASONS, type TerminationReason } from '../case.js';
import type { CaseFacts, CaseState, Decision, FailureReport } from '../case-state.js';
import type { DeadlineRuleId } from '../deadlines.js';
import { closeOpenDeadlines, refuse, rule, type Handler, type RuleContext } from './support.js';

/** How long the mediator has to give a failure report's facts when asked (the center's rule, not a statute). */
export const FAILURE_FACTS_WORKING_DAYS = 3;

function factsOf(f: CaseFacts): CaseFacts {
  return {
    basicFacts: f.basicFacts,
    undisputedFacts: f.undisputedFacts,
    ...(f.costlyConduct ? { costlyConduct: f.costlyConduct } : {}),
  };
}

/**
 * A failure report when the mediator recorded nothing (or did not answer in time): never blank, and never a
 * fact nobody stated. It says what was not recorded; the document adds the dispute as it was registered.
 */
export function unrecordedFacts(whyFailed: string, asked: boolean): FailureReport {
  const who = asked ? '调解员经要求后未在期限内补充' : '调解员未记录';
  return {
    basicFacts: `${who}纠纷基本事实；登记时的纠纷概要如下：`,
    undisputedFacts: `${who}当事人无争议的事实，本组织不能确认任何无争议事实。`,
    whyFailed,
    costlyConduct: `${who}导致其他当事人诉讼成本增加的行为。`,
    withIntakeSummary: true,
  };
}

/** Records the due time of a request for a failure report's facts. */
export function withFailureFactsDue(state: CaseState, dueAt: string): CaseState {
  return state.failureReportPending
    ? { ...state, failureReportPending: { ...state.failureReportPending, dueAt } }
    : state;
}

/** 调解情况说明 and the materials go back to the court (在线调解规则 Art 21; 特邀调解规定 Arts 21, 26). */
function returnToCourt(ctx: RuleContext, failureReport: FailureReport, reason: TerminationReason): void {
  ctx.emit('ReturnedToCourt', { failureReport, basis: '人民法院在线调解规则第二十一条' });
  ctx.effects.push({ kind: 'render_document', document: 'failure_report', version: 1, failureReport });
  ctx.effects.push({
    kind: 'report_to_court',
    message: 'failure_report',
    payload: { reason, basis: '特邀调解规定第二十一条、第二十六条' },
  });
}

/** `failure`: a court case's report as given, or only why it failed (the facts then come from the record). */
export function terminateMediation(
  state: CaseState,
  ctx: RuleContext,
  reason: TerminationReason,
  note: string | undefined,
  failure?: FailureReport | { whyFailed: string },
  cause: { partyId?: string; ruleId?: DeadlineRuleId } = {},
): Decision {
  const { at } = ctx;
  const returnedToCourt = COURT_CHANNELS.includes(state.channel);
  closeOpenDeadlines(state, ctx, 'cancelled');
  ctx.emit('MediationTerminated', {
    reason,
    reasonLabel: TERMINATION_REASONS[reason],
    ...(note ? { note } : {}),
    ...cause,
    // 终止调解告知书 (人民调解法 Art 26).
    notice: { article: '人民调解法第二十六条', otherRoutes: OTHER_ROUTES_NOTICE },
  });
  ctx.effects.push({ kind: 'render_document', document: 'termination_notice', version: 1 });
  const ended = { termination: { reason, ...(note ? { note } : {}), returnedToCourt, ...cause }, closedAt: at };
  if (!returnedToCourt) return ctx.done(state, { status: 'TERMINATED', ...ended });
  // The failure report carries the facts (在线调解规则 Art 21): as given, else as the mediator recorded them.
  const whyFailed = failure?.whyFailed || TERMINATION_REASONS[reason];
  const given = failure && 'basicFacts' in failure && failure.basicFacts.trim() ? failure : undefined;
  const report = given ?? (state.caseFacts ? { ...factsOf(state.caseFacts), whyFailed } : undefined);
  if (!report && state.askForFailureFacts) {
    // Nothing recorded: the mediator is asked first, on a clock of its own; the report goes out after.
    ctx.effects.push({ kind: 'request_failure_facts' });
    const askedOf = state.assignment.mediatorId;
    return ctx.done(state, {
      status: 'TERMINATED',
      ...ended,
      failureReportPending: { whyFailed, askedAt: at, ...(askedOf ? { askedOf } : {}) },
    });
  }
  returnToCourt(ctx, report ?? unrecordedFacts(whyFailed, false), reason);
  return ctx.done(state, { status: 'RETURNED_TO_COURT', ...ended });
}

/** The report that waited for the mediator's facts goes out now (with them, or saying they were not given). */
function sendPendingReport(state: CaseState, ctx: RuleContext, report: FailureReport): Decision {
  const { failureReportPending: _asked, ...rest } = state;
  returnToCourt(ctx, report, rest.termination!.reason);
  return ctx.done(rest, { status: 'RETURNED_TO_COURT' });
}

export const terminate: Handler<'terminate'> = (state, command, _now, ctx) => {
  // The facts the mediator recorded during mediation make the report (whyFailed is the reason given).
  if (COURT_CHANNELS.includes(state.channel) && !command.failureReport && !state.caseFacts) {
    return rule(
      'failure_report_required',
      'a court-delegated case returns to the court with a failure report: basic facts, undisputed facts, why it failed, conduct that raised costs',
      '人民法院在线调解规则第二十一条',
    );
  }
  return terminateMediation(state, ctx, command.reason, command.note, command.failureReport);
};

export const recordCaseFacts: Handler<'record_case_facts'> = (state, command, _now, ctx) => {
  if (!COURT_CHANNELS.includes(state.channel))
    return refuse(
      'wrong_state',
      'not_a_court_case',
      'facts for a failure report are recorded in a case a court delegated',
    );
  const pending = state.failureReportPending;
  if (state.status === 'TERMINATED' && !pending)
    return refuse(
      'wrong_state',
      'no_failure_report_pending',
      'mediation has ended and no failure report is waiting for facts',
    );
  const facts = factsOf(command);
  // The mediator records the mediation (在线调解规则 Arts 21-22; 人民调解法 Art 27); a later record replaces an earlier one.
  ctx.emit('CaseFactsRecorded', {
    ...facts,
    article: '人民法院在线调解规则第二十一条',
    ...(pending ? { answersRequestOf: pending.askedAt } : {}),
  });
  if (!pending) return ctx.done(state, { caseFacts: { ...facts, recordedAt: ctx.at } });
  return sendPendingReport({ ...state, caseFacts: { ...facts, recordedAt: ctx.at } }, ctx, {
    ...facts,
    whyFailed: pending.whyFailed,
  });
};

export const failureFactsDue: Handler<'failure_facts_due'> = (state, _command, now, ctx) => {
  const pending = state.failureReportPending;
  if (!pending) return refuse('wrong_state', 'no_failure_report_pending', 'no failure report is waiting for facts');
  if (pending.dueAt && Date.parse(pending.dueAt) > now.getTime())
    return refuse('wrong_state', 'not_yet_due', 'the mediator still has time to answer');
  // Never blank: the report says what was not recorded and carries the dispute as registered.
  ctx.emit('FailureFactsNotProvided', {
    askedOf: pending.askedOf ?? null,
    askedAt: pending.askedAt,
    dueAt: pending.dueAt ?? null,
    article: '人民法院在线调解规则第二十一条',
  });
  return sendPendingReport(state, ctx, unrecordedFacts(pending.whyFailed, true));
};
