/**
 * Securing the agreement (docs/securing.md): the case starts judicial confirmation (民事诉讼法 Art 205) or
 * notarization with enforcement effect (公证法 Art 37) as processes of their own (`../securing.ts`), records
 * what they report, and goes back to mediation after a court rejects the agreement (Art 206).
 */
import { COURT_CHANNELS } from '../case.js';
import type { CaseState, ProcessSummary } from '../case-state.js';
import { initialConfirmation, initialNotarization, notarizationEligibility, type SecuringKind } from '../securing.js';
import { adviseEnforcement } from './performance.js';
import { actsFor, principalParties, refuse, rule, type Handler } from './support.js';

/** The case's processes with one added or replaced (by kind and number). */
function withProcess(s: CaseState, p: ProcessSummary): NonNullable<CaseState['securing']> {
  const processes = s.securing?.processes ?? [];
  const i = processes.findIndex((q) => q.kind === p.kind && q.n === p.n);
  return { ...s.securing, processes: i < 0 ? [...processes, p] : processes.map((q, j) => (j === i ? p : q)) };
}

export const lastOf = (s: CaseState, kind: SecuringKind) => s.securing?.processes.filter((p) => p.kind === kind).at(-1);
/** Whether the current agreement already has this title. */
const securedBy = (s: CaseState, kind: SecuringKind, outcome: string) =>
  (s.securing?.processes ?? []).some(
    (p) => p.kind === kind && p.outcome?.status === outcome && p.agreementVersion === s.agreement?.version,
  );
const active = (s: CaseState, kind: SecuringKind) => lastOf(s, kind)?.final === false;

/** Records a started process's workflow id. */
export function withProcessWorkflow(s: CaseState, kind: SecuringKind, n: number, workflowId: string): CaseState {
  const p = s.securing?.processes.find((q) => q.kind === kind && q.n === n);
  return p ? { ...s, securing: withProcess(s, { ...p, workflowId }) } : s;
}

export const applyJudicialConfirmation: Handler<'apply_judicial_confirmation'> = (state, command, now, ctx) => {
  const jc = state.screening.judicialConfirmation;
  if (!jc.possible) return rule('not_confirmable', jc.reason, '民诉法解释第三百五十五条');
  // Within 30 days of the agreement taking effect; an application that was not accepted or was
  // withdrawn may be made again while they last.
  const window = state.deadlines.judicial_confirmation_application;
  const windowEnds = window?.dueAt ? Date.parse(window.dueAt) : undefined;
  if (
    !window ||
    window.status === 'cancelled' ||
    window.status === 'expired' ||
    (windowEnds !== undefined && now.getTime() > windowEnds)
  ) {
    return rule(
      'window_closed',
      'judicial confirmation is applied for within 30 days of the agreement taking effect',
      '民事诉讼法第二百零五条',
    );
  }
  if (active(state, 'judicial_confirmation'))
    return refuse('wrong_state', 'already_applied', 'an application for judicial confirmation is already under way');
  if (securedBy(state, 'judicial_confirmation', 'CONFIRMED'))
    return refuse('wrong_state', 'already_confirmed', 'the agreement is already confirmed');
  // A court that invited the mediation hears it; otherwise a basic court where a party lives, the property is, or the organization sits (Art 205).
  const delegated = state.channel === 'court_pre_filing';
  if (delegated !== (command.venueGround === 'delegating_court')) {
    return rule(
      'wrong_venue',
      delegated
        ? 'a case the court delegated goes back to that court for confirmation'
        : 'name the basic court where a party lives, the property is, or the organization sits',
      '民事诉讼法第二百零五条',
    );
  }
  const n = (state.securing?.processes.filter((p) => p.kind === 'judicial_confirmation').length ?? 0) + 1;
  const process = initialConfirmation({
    caseId: state.caseId,
    n,
    court: { ...command.court, venueGround: command.venueGround },
    applicants: principalParties(state).map((p) => p.partyId),
    agreementVersion: state.agreement!.version,
    ...(window.dueAt ? { applyBy: window.dueAt } : {}),
  });
  ctx.emit('JudicialConfirmationStarted', {
    n,
    courtInstitutionId: command.court.institutionId,
    venueGround: command.venueGround,
    article: '民事诉讼法第二百零五条；人民调解法第三十三条',
    free: true,
  });
  ctx.effects.push({ kind: 'start_process', process });
  return ctx.done(state, {
    securing: withProcess(state, {
      kind: 'judicial_confirmation',
      n,
      workflowId: '',
      institutionId: command.court.institutionId,
      agreementVersion: process.agreementVersion,
      status: process.status,
      final: false,
      reportSeq: 0,
    }),
  });
};

export const requestNotarization: Handler<'request_notarization'> = (state, command, _now, ctx) => {
  const parties = principalParties(state).map((p) => p.partyId);
  if (
    !parties.includes(command.creditorPartyId) ||
    !parties.includes(command.debtorPartyId) ||
    command.creditorPartyId === command.debtorPartyId
  ) {
    return refuse('wrong_state', 'unknown_party', 'creditor and debtor are two different parties to the agreement');
  }
  if (
    command.actor.role === 'party' &&
    !actsFor(state, command.actor, command.creditorPartyId) &&
    !actsFor(state, command.actor, command.debtorPartyId)
  ) {
    return refuse('forbidden', 'not_your_party', 'a party applies only for an agreement it is a party to');
  }
  const eligible = notarizationEligibility({
    form: state.agreement!.form,
    schedule: state.agreement?.schedule ?? [],
    obligation: command.obligation,
  });
  if (!eligible.ok) return rule(eligible.code, eligible.message, eligible.article);
  if (active(state, 'notarization'))
    return refuse('wrong_state', 'already_applied', 'a notarization is already under way');
  if (securedBy(state, 'notarization', 'ISSUED'))
    return refuse('wrong_state', 'already_notarized', 'the agreement is already notarized');
  const n = (state.securing?.processes.filter((p) => p.kind === 'notarization').length ?? 0) + 1;
  const aid = state.screening.legalAid;
  // A legal-aid party pays a reduced fee or none (公证法 Art 34).
  const feeReduction =
    aid.status === 'granted' && (aid.partyId === command.creditorPartyId || aid.partyId === command.debtorPartyId);
  const process = initialNotarization({
    caseId: state.caseId,
    n,
    notary: command.notary,
    creditorPartyId: command.creditorPartyId,
    debtorPartyId: command.debtorPartyId,
    agreementVersion: state.agreement!.version,
    feeReduction,
  });
  // The fee reduction is the notary's and the aided party's business: not in the event others may read.
  ctx.emit('NotarizationRequested', {
    n,
    notaryInstitutionId: command.notary.institutionId,
    creditorPartyId: command.creditorPartyId,
    debtorPartyId: command.debtorPartyId,
    obligation: command.obligation,
    article: '公证法第三十七条；公证程序规则第三十九条',
  });
  ctx.effects.push({ kind: 'start_process', process });
  return ctx.done(state, {
    securing: withProcess(state, {
      kind: 'notarization',
      n,
      workflowId: '',
      institutionId: command.notary.institutionId,
      agreementVersion: process.agreementVersion,
      status: process.status,
      final: false,
      reportSeq: 0,
      feeReduction,
    }),
  });
};

export const processReport: Handler<'process_report'> = (state, command, _now, ctx) => {
  const r = command.report;
  const summary = state.securing?.processes.find((p) => p.kind === r.kind && p.n === r.n);
  if (!summary) return refuse('wrong_state', 'unknown_process', 'no such process');
  if (r.reportSeq <= summary.reportSeq)
    return refuse('wrong_state', 'already_recorded', 'this report is already recorded');
  // The process's events join the case's chain in the order they happened, under the case's numbering.
  for (const e of r.events) ctx.append(e.type, e.at, e.actor, { process: r.kind, n: r.n, ...e.payload });
  const deadlines = { ...state.deadlines };
  for (const d of r.deadlines) deadlines[d.ruleId] = { ...d, owner: r.kind };
  const updated: ProcessSummary = {
    ...summary,
    status: r.status,
    final: r.final,
    reportSeq: r.reportSeq,
    ...(r.outcome ? { outcome: r.outcome } : {}),
    ...(r.courtCaseNumber ? { courtCaseNumber: r.courtCaseNumber } : {}),
    ...(r.certificateNumber ? { certificateNumber: r.certificateNumber } : {}),
  };
  let next: CaseState = { ...state, deadlines, securing: withProcess(state, updated) };
  // Handed in within the 30 days: the window is met (民事诉讼法 Art 205).
  if (
    r.kind === 'judicial_confirmation' &&
    r.status === 'SUBMITTED' &&
    state.deadlines.judicial_confirmation_application?.status === 'open'
  ) {
    ctx.effects.push({ kind: 'stop_deadline', ruleId: 'judicial_confirmation_application', outcome: 'met' });
  }
  const titled =
    r.outcome?.status === 'CONFIRMED'
      ? 'judicial_confirmation'
      : r.outcome?.status === 'ISSUED'
        ? 'notarization'
        : undefined;
  if (titled) {
    next = { ...next, securing: { ...next.securing!, enforceableBy: next.securing!.enforceableBy ?? titled } };
    if (titled === 'judicial_confirmation' && COURT_CHANNELS.includes(state.channel)) {
      ctx.effects.push({
        kind: 'report_to_court',
        message: 'agreement_confirmed',
        payload: { courtCaseNumber: r.courtCaseNumber ?? null, confirmedAt: r.outcome?.at ?? ctx.at },
      });
    }
    // A default already recorded can now be enforced.
    if (next.performance?.defaulted && next.status === 'AGREEMENT_EFFECTIVE') return adviseEnforcement(next, ctx);
  }
  return ctx.done(next);
};

export const remediate: Handler<'remediate'> = (state, command, _now, ctx) => {
  // After a rejection the parties may change the agreement or make a new one by mediation (民事诉讼法 Art 206).
  if (lastOf(state, 'judicial_confirmation')?.outcome?.status !== 'REJECTED') {
    return refuse(
      'wrong_state',
      'not_rejected',
      'mediation resumes after a court rejects the application for confirmation',
    );
  }
  if (active(state, 'notarization'))
    return refuse('wrong_state', 'notarization_under_way', 'withdraw the notarization of the old agreement first');
  ctx.emit('MediationResumedAfterRejection', {
    article: '民事诉讼法第二百零六条',
    ...(command.note ? { note: command.note } : {}),
  });
  ctx.effects.push({ kind: 'start_deadline', ruleId: ctx.mediationRule, startedAt: ctx.at });
  // The old agreement's titles do not carry over to the new one.
  const { termination: _t, performance: _p, ...rest } = state;
  const securing = state.securing ? { processes: state.securing.processes } : undefined;
  return ctx.done(
    { ...rest, ...(securing ? { securing } : {}) },
    {
      status: 'IN_MEDIATION',
      mediation: { ...state.mediation, startedAt: ctx.at, pauses: [], extensionDays: 0, extensionConsents: {} },
    },
  );
};
