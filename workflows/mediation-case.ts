/**
 * One workflow per case. A thin adapter over `decide`: it holds the state, serialises actions, waits on
 * durable timers for every open statutory deadline, and has activities record each event and the
 * projection in PostgreSQL. Deterministic: no I/O, no Node built-ins. Continues as new when the server
 * suggests it, carrying the state.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  decide,
  haltDeadline,
  initialState,
  nextTimer,
  registration,
  registeredState,
  withDeadline,
  uncomputableDeadline,
  withDeadlineStatus,
  withFailureFactsDue,
  withInstalments,
  withProcessWorkflow,
  type CaseCommand,
  type CaseState,
  type DeadlineState,
  type Decision,
  type Effect,
  type ScheduleItem,
} from '../domain/case-rules.js';
import type { AgreementContent, MediatorProposal } from '../domain/case-rules.js';
import { TERMINATION_REASONS, type CaseEvent } from '../domain/case.js';
import { mediationPeriodRule, type DeadlineRuleId } from '../domain/deadlines.js';
import { instalmentNeedsRecount, instalmentsCalendarVersion, needsRecount, recordedLength, recounted, recountPayload } from '../domain/recount.js';
import { compareCourtDate } from '../domain/court-date.js';
import type { Activities, CaseProjection } from '../activities/index.js';
import {
  REFUSAL_FAILURE_TYPE,
  SYSTEM_ACTOR,
  CONFIRMATION_WORKFLOW_TYPE,
  DELIVERY_WORKFLOW_TYPE,
  NOTARIZATION_WORKFLOW_TYPE,
  deliveryWorkflowId,
  SMS_DELIVERY_WORKFLOW_TYPE,
  smsDeliveryWorkflowId,
  type SmsDeliveryInput,
  awaitProcessReportUpdate,
  awaitRegistrationUpdate,
  calendarLoadedSignal,
  type CalendarLoaded,
  caseActionUpdate,
  processReportSignal,
  processWorkflowId,
  snapshotQuery,
  type CaseAction,
  type CaseSnapshot,
  type MediationCaseInput,
  type RebuiltFromRecord,
} from './messages.js';
import { ACTIVITY_OPTIONS, serialQueue } from './common.js';
import { caseSnapshot, deadlineList as deadlinesOf } from './snapshot.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** Continue as new well before Temporal's limits (51,200 events; updates per run). */
const MAX_HISTORY_EVENTS = 10_000;

/** Amounts and dates of the agreed terms: what performance follows (the wording stays in the stored draft). */
function scheduleOf(content: AgreementContent): ScheduleItem[] {
  return content.terms.map((t) => ({
    ...(t.amountFen !== undefined ? { amountFen: t.amountFen } : {}),
    ...(t.dueDate !== undefined ? { dueDate: t.dueDate } : {}),
    ...(t.payeePartyId !== undefined ? { payeePartyId: t.payeePartyId } : {}),
  }));
}

/** A case with neither its intake nor a state to go on is a caller's mistake: it fails at once. */
function intakeOf(input: MediationCaseInput) {
  if (!input.intake) throw ApplicationFailure.nonRetryable('a case starts from its intake, or from a carried state', 'CaseInputMissing');
  return input.intake;
}

export async function mediationCase(input: MediationCaseInput): Promise<CaseSnapshot> {
  let state: CaseState = input.carried ? input.carried.state : initialState(intakeOf(input));
  // A court case that ends on its own asks the mediator for the failure report's facts first (在线调解规则
  // Art 21); runs recorded before this rule replay as they ran, sending the report at once.
  if (patched('failure-facts-v1')) state = { ...state, askForFailureFacts: true };
  // A court period is not restarted by a change of mediator, and the court's own date is clocked
  // (特邀调解规定 Art 27); runs recorded before this rule replay as they ran.
  if (patched('court-clocks-v1')) state = { ...state, courtClocks: true };
  let registered = input.carried !== undefined;
  let changes = 0;

  const deadlineList = () => deadlinesOf(state);
  const snapshot = (): CaseSnapshot => caseSnapshot(state, registered);
  /** The securing process whose report is being recorded: its state goes to the record with the events. */
  let reporting: CaseProjection['process'];
  const projection = (): CaseProjection => ({
    status: state.status,
    mediatorAccountId: state.assignment.mediatorId ?? null,
    handlingOrgId: state.assignment.orgId ?? null,
    legalAidRequested: state.screening.legalAid.status !== 'none',
    priorityGroups: state.screening.priorityGroups,
    terminationReason: state.termination?.reason ?? null,
    agreementEffectiveAt: state.agreement?.effectiveAt ?? null,
    deadlines: deadlineList(),
    instalmentsCalendarVersion: instalmentsCalendarVersion(state.performance?.instalments ?? []),
    // Courts and notaries see the cases sent to them (the latest application of each kind).
    // Only once the parties have signed and it was sent: naming a court does not open the file to it.
    confirmingCourtId: sentTo('judicial_confirmation'),
    notaryInstitutionId: sentTo('notarization'),
    state,
    ...(reporting ? { process: reporting } : {}),
  });

  const sentTo = (kind: 'judicial_confirmation' | 'notarization') =>
    state.securing?.processes.filter((p) => p.kind === kind && p.status !== 'PREPARING').at(-1)?.institutionId ?? null;

  // Actions run one at a time, in arrival order, so events get consecutive sequence numbers.
  const serially = serialQueue();

  const refusalFailure = (decision: Extract<Decision, { ok: false }>) =>
    ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE[decision.refusal.kind], message: decision.refusal.message, details: [decision.refusal], nonRetryable: true });

  /** Records events one batch at a time, with the projection as it stands after them. */
  const record = async (events: CaseEvent[]) => {
    if (events.length === 0) return;
    await acts.recordCaseEvents({ caseId: state.caseId, events, status: state.status, projection: projection() });
    changes += 1;
  };
  const systemEvent = (type: string, payload: Record<string, unknown>): CaseEvent => ({ seq: state.lastSeq + 1, type, at: new Date().toISOString(), actor: SYSTEM_ACTOR, payload });

  const setDeadline = async (ruleId: DeadlineRuleId, startedAt: string, adjust: { extensionDays?: number; pauses?: CaseState['mediation']['pauses']; length?: number } = {}) => {
    try {
      const { deadline, reminderAt } = await acts.computeDeadline({ caseId: state.caseId, ruleId, startedAt, ...adjust });
      state = withDeadline(state, deadline, reminderAt);
      const e = systemEvent('DeadlineSet', { ruleId, startedAt, dueAt: deadline.dueAt, lastDay: deadline.lastDay, calendarVersion: deadline.calendarVersion, explanation: deadline.explanation });
      state = { ...state, lastSeq: e.seq };
      await record([e, ...courtDateAlert()]);
    } catch (err) {
      // A calendar year not yet published: recorded loudly, the case goes on, a clerk sees it.
      if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || err.cause.type !== 'CalendarYearMissing') throw err;
      state = { ...state, deadlines: { ...state.deadlines, [ruleId]: uncomputableDeadline(ruleId, startedAt, err.cause.message) } };
      const e = systemEvent('DeadlineUncomputable', { ruleId, startedAt, problem: err.cause.message });
      state = { ...state, lastSeq: e.seq };
      await record([e]);
    }
  };

  /**
   * A calendar was loaded: every running clock counted on another version is counted again from its own
   * start (the mediation period with its pauses and extensions), its timer re-armed by the loop below, and
   * the recount recorded with both due times and versions. The processes recount their own clocks.
   */
  const recountDeadlines = async ({ version }: CalendarLoaded) => {
    const events: CaseEvent[] = [];
    for (const d of deadlineList()) {
      if (d.owner || !needsRecount(d, version)) continue;
      const { deadline, reminderAt } = await acts.computeDeadline({ caseId: state.caseId, ruleId: d.ruleId, startedAt: d.startedAt, ...countingOf(d), calendarVersion: version });
      state = { ...state, deadlines: { ...state.deadlines, [d.ruleId]: recounted(d, deadline, reminderAt) } };
      const e = systemEvent('DeadlineRecomputed', recountPayload(d, deadline));
      state = { ...state, lastSeq: e.seq };
      events.push(e);
    }
    // Pending instalments: each due date rolled past rest days again on the new calendar (民法典 Art 203).
    const stale = (state.performance?.instalments ?? []).filter((i) => instalmentNeedsRecount(i, version));
    if (stale.length > 0) {
      const fresh = await acts.schedulePerformance({ items: stale.map((i) => ({ n: i.n, amountFen: i.amountFen, dueDate: i.dueDate, ...(i.payeePartyId ? { payeePartyId: i.payeePartyId } : {}) })), calendarVersion: version });
      const byN = new Map(fresh.map((i) => [i.n, i]));
      const instalments = state.performance!.instalments.map((i) => {
        const next = byN.get(i.n);
        if (!next) return i;
        const e = systemEvent('InstalmentRecomputed', { n: i.n, dueDate: i.dueDate, oldLastDay: i.lastDay, newLastDay: next.lastDay, oldDueAt: i.dueAt, newDueAt: next.dueAt, oldCalendarVersion: i.calendarVersion ?? null, newCalendarVersion: next.calendarVersion ?? null, article: '民法典第二百零三条' });
        state = { ...state, lastSeq: e.seq };
        events.push(e);
        return { ...i, lastDay: next.lastDay, dueAt: next.dueAt, reminderAt: i.reminded ? i.reminderAt : next.reminderAt, ...(next.calendarVersion ? { calendarVersion: next.calendarVersion } : {}) };
      });
      state = { ...state, performance: { ...state.performance!, instalments } };
    }
    await record([...events, ...(events.length ? courtDateAlert() : [])]);
    const applyBy = state.deadlines.judicial_confirmation_application?.dueAt;
    for (const p of state.securing?.processes ?? []) {
      if (p.final || !p.workflowId) continue;
      try {
        await getExternalWorkflowHandle(p.workflowId).signal(calendarLoadedSignal, { version, ...(p.kind === 'judicial_confirmation' && applyBy ? { applyBy } : {}) });
      } catch {
        // The process ended (its final report may still be queued behind this recount): no clock left to move.
      }
    }
  };

  /**
   * Rebuilt from the record after Temporal's state was lost: the chain says so, and every running clock of
   * the case is counted again from its recorded start (with its pauses and extensions) on the calendar in
   * force; a clock that comes out the same keeps its timer, one that moved is recorded. Timers are then
   * armed by the loop below; one already past fires at once. The processes keep their own clocks.
   */
  const rebuildClocks = async (rebuilt: RebuiltFromRecord) => {
    const e = systemEvent('ProcessRebuiltFromRecord', { ...rebuilt, fromSeq: state.lastSeq });
    state = { ...state, lastSeq: e.seq };
    const events: CaseEvent[] = [e];
    for (const d of deadlineList()) {
      if (d.owner || (d.status !== 'open' && d.status !== 'paused')) continue;
      const { deadline, reminderAt } = await acts.computeDeadline({ caseId: state.caseId, ruleId: d.ruleId, startedAt: d.startedAt, ...countingOf(d) });
      if (deadline.dueAt === d.dueAt) continue;
      state = { ...state, deadlines: { ...state.deadlines, [d.ruleId]: recounted(d, deadline, reminderAt) } };
      const r = systemEvent('DeadlineRecomputed', recountPayload(d, deadline));
      state = { ...state, lastSeq: r.seq };
      events.push(r);
    }
    await record(events);
  };

  /** How a running clock is counted again: from its start, with its length and, for the mediation period, its pauses and extensions. */
  const countingOf = (d: DeadlineState) => ({
    ...(d.ruleId === mediationPeriodRule(state) ? { extensionDays: state.mediation.extensionDays, pauses: state.mediation.pauses } : {}),
    ...recordedLength(d),
  });

  /** The court asked for less time than the law gives: the clerk and mediator are told once per statutory last day. */
  const courtDateAlert = (): CaseEvent[] => {
    const cmp = state.courtClocks ? compareCourtDate(state.deadlines) : undefined;
    if (!cmp?.courtDateEarlier || state.courtDateAlertedFor === cmp.statutoryLastDay) return [];
    const e = systemEvent('CourtDateEarlierThanStatutory', { ...cmp, to: ['mediator', 'clerk'], article: '最高人民法院关于人民法院特邀调解的规定第二十七条' });
    state = { ...state, lastSeq: e.seq, courtDateAlertedFor: cmp.statutoryLastDay };
    return [e];
  };

  const runEffects = async (effects: Effect[]) => {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'start_deadline':
          await setDeadline(effect.ruleId, effect.startedAt, effect.length !== undefined ? { length: effect.length } : {});
          break;
        case 'recompute_deadline': {
          const d = state.deadlines[effect.ruleId];
          // The length recorded when it started (an organization's own, a court's) stays.
          if (d) await setDeadline(effect.ruleId, d.startedAt, countingOf(d));
          break;
        }
        case 'stop_deadline':
        case 'pause_deadline': {
          const halt = haltDeadline(state.deadlines[effect.ruleId], effect);
          if (!halt) break;
          state = withDeadlineStatus(state, effect.ruleId, halt.status);
          const e = systemEvent(halt.eventType, { ruleId: effect.ruleId, status: halt.status });
          state = { ...state, lastSeq: e.seq };
          await record([e]);
          break;
        }
        case 'auto_assign':
          await autoAssign();
          break;
        case 'render_document':
          // The written notices (not accepted, the other side, legal aid refused) came later still.
          if (effect.document === 'not_accepted_notice' || effect.document === 'counterparty_notice' || effect.document === 'legal_aid_refusal') {
            if (patched('notices-v1')) await renderDocument(effect);
          } else if (patched('documents-v1')) await renderDocument(effect); // added after the first recorded histories: older runs replay without it
          break;
        case 'start_process':
          await startProcess(effect.process);
          break;
        case 'notify_parties': {
          const inst = state.performance?.instalments.find((i) => i.n === effect.instalment);
          if (inst) {
            const queued = await acts.notifyParties({
              caseId: state.caseId,
              key: `${workflowInfo().workflowId}/instalment-${inst.n}/reminder`,
              notice: { kind: 'instalment_reminder', instalment: inst.n, lastDay: inst.lastDay, amountFen: inst.amountFen },
            });
            // Each text goes to the gateway by its own workflow (older histories recorded no message ids).
            const messageIds = (queued as { messageIds?: string[] } | undefined)?.messageIds ?? [];
            if (messageIds.length > 0 && patched('sms-delivery-v1')) for (const messageId of messageIds) await startSmsDelivery(messageId);
          }
          break;
        }
        case 'notify_staff': {
          // Reminders by text to the mediator and clerks came after the first reminders: older runs replay without.
          const d = state.deadlines[effect.ruleId];
          if (!d || !patched('staff-reminder-sms-v1')) break;
          const { messageIds } = await acts.notifyStaff({ caseId: state.caseId, key: `${workflowInfo().workflowId}/reminder/${effect.ruleId}/${d.dueAt}`, notice: { kind: 'deadline_reminder', ruleId: effect.ruleId, lastDay: d.lastDay } });
          for (const messageId of messageIds) await startSmsDelivery(messageId);
          break;
        }
        case 'report_to_court':
          // Added after the first recorded histories: older runs replay without it.
          // The sham-mediation report (特邀调解规定 Art 18) came later still: older suspensions sent nothing.
          if (effect.message === 'sham_mediation_suspected' && !patched('sham-mediation-report-v1')) break;
          if (patched('court-report-v1')) {
            const key = `${workflowInfo().workflowId}/court/${effect.message}${effect.keySuffix ? `/${effect.keySuffix}` : ''}`;
            const queued = await acts.reportToCourt({ caseId: state.caseId, key, message: effect.message, payload: effect.payload });
            // Histories from before deliveries recorded no result here.
            const deliveryId = (queued as { deliveryId?: string | null } | undefined)?.deliveryId;
            // Pushed to the court's webhook by its own workflow (retries never hold up the case).
            if (deliveryId && patched('delivery-v1')) await startDelivery(deliveryId);
          }
          break;
        case 'request_failure_facts': {
          // The mediator's own clock for the facts (only runs that asked for them reach here).
          const pending = state.failureReportPending;
          if (!pending) break;
          const { dueAt } = await acts.failureFactsDue({ askedAt: pending.askedAt });
          state = withFailureFactsDue(state, dueAt);
          const e = systemEvent('FailureFactsRequested', { askedOf: pending.askedOf ?? null, dueAt, article: '人民法院在线调解规则第二十一条' });
          state = { ...state, lastSeq: e.seq };
          await record([e]);
          break;
        }
        case 'schedule_performance':
          // Added after the first recorded histories: an agreement that took effect before has no schedule.
          if (patched('performance-v1')) await schedulePerformance();
          break;
      }
    }
  };

  /**
   * Starts a securing process as a child workflow. It outlives this run (continue-as-new, ABANDON) and
   * reports back by signal; the case is the one writer of its chain.
   */
  const startProcess = async (process: Extract<Effect, { kind: 'start_process' }>['process']) => {
    const workflowId = processWorkflowId(state.caseId, process.kind, process.n);
    const represents = representation();
    await startChild(process.kind === 'judicial_confirmation' ? CONFIRMATION_WORKFLOW_TYPE : NOTARIZATION_WORKFLOW_TYPE, {
      workflowId,
      args: [{ parentWorkflowId: workflowInfo().workflowId, state: process, represents }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    state = withProcessWorkflow(state, process.kind, process.n, workflowId);
  };

  /** Guardian or agent party id → the party they act for. */
  const representation = () => Object.fromEntries(state.parties.filter((p) => p.representsPartyId).map((p) => [p.partyId, p.representsPartyId!]));

  const startDelivery = (deliveryId: string) =>
    startAbandoned(DELIVERY_WORKFLOW_TYPE, deliveryWorkflowId(deliveryId), { deliveryId });
  const startSmsDelivery = (messageId: string) =>
    startAbandoned(SMS_DELIVERY_WORKFLOW_TYPE, smsDeliveryWorkflowId(messageId), { messageId, urgent: false } satisfies SmsDeliveryInput);
  /** A delivery outlives the case that asked for it (retries never hold up the case). */
  const startAbandoned = async (type: string, workflowId: string, input: object) => {
    try {
      await startChild(type, { workflowId, args: [input], parentClosePolicy: ParentClosePolicy.ABANDON });
    } catch (err) {
      // Already being delivered (the same message sent again): that delivery carries it.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };

  /** Each dated term becomes an instalment, due at the end of its day (rolled past rest days). */
  const schedulePerformance = async () => {
    const items = (state.agreement?.schedule ?? []).flatMap((t, i) => (t.dueDate ? [{ n: i + 1, amountFen: t.amountFen ?? null, dueDate: t.dueDate, ...(t.payeePartyId ? { payeePartyId: t.payeePartyId } : {}) }] : []));
    const instalments = await acts.schedulePerformance({ items });
    state = withInstalments(state, instalments);
    const e = systemEvent('PerformanceScheduled', {
      instalments: instalments.map((i) => ({ n: i.n, amountFen: i.amountFen, dueDate: i.dueDate, lastDay: i.lastDay, dueAt: i.dueAt })),
      article: '人民调解法第三十一条；民法典第二百零三条',
    });
    state = { ...state, lastSeq: e.seq };
    await record([e]);
  };

  /** Renders, stores and records a document; the creation date is the workflow's own time. */
  const renderDocument = async (effect: Extract<Effect, { kind: 'render_document' }>) => {
    const { document, version } = effect;
    const common = { caseId: state.caseId, docVersion: version, createdAt: new Date().toISOString() };
    const stored = await acts.renderCaseDocument(
      noticeRequest(effect.document, common) ??
      (effect.document === 'agreement'
        ? {
            ...common,
            kind: 'agreement',
            path: state.agreement!.path,
            judicialConfirmationPossible: state.screening.judicialConfirmation.possible,
            // The draft decides: the parties planned notarization, so the debtor's commitment is printed (公证法 Art 37).
            notarizationPlanned: state.agreement?.enforcementCommitment !== undefined,
            mediatorId: state.assignment.mediatorId ?? '',
          }
        : effect.document === 'termination_notice'
          ? terminationNoticeRequest(common)
          : effect.document === 'failure_report'
            ? { ...common, kind: 'failure_report', failureReport: effect.failureReport, mediatorId: state.assignment.mediatorId ?? '' }
            : effect.document === 'archive_summary'
              ? { ...common, kind: 'archive_summary', mediatorId: state.assignment.mediatorId ?? '', outcome: archiveOutcome() }
              : { ...common, kind: 'rights_notice' }),
    );
    const e = systemEvent('DocumentGenerated', { document, version, documentId: stored.documentId, sha256: stored.sha256, verificationCode: stored.verificationCode });
    state = { ...state, lastSeq: e.seq };
    await record([e]);
  };

  /** The written notices: what the case recorded, by reference (the activity names the parties, masked). */
  const noticeRequest = (document: Extract<Effect, { kind: 'render_document' }>['document'], common: { caseId: string; docVersion: number; createdAt: string }) => {
    if (document === 'not_accepted_notice' || document === 'counterparty_notice') {
      const n = state.notAccepted!;
      return { ...common, kind: document, reason: n.reason, note: n.note, partyId: n.partyId };
    }
    if (document === 'legal_aid_refusal') {
      const aid = state.screening.legalAid;
      return { ...common, kind: document, partyId: aid.partyId ?? '', basis: aid.basis, reason: aid.reason ?? '' };
    }
    return undefined;
  };

  /** The reason in Chinese with its article; who or which period ended it, by reference (the activity names them). */
  const terminationNoticeRequest = (common: { caseId: string; docVersion: number; createdAt: string }) => {
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
      ...(t.ruleId ? { ruleId: t.ruleId, periodLastDay: period?.lastDay || undefined, periodLength: period?.length } : {}),
    };
  };

  const archiveOutcome = () => {
    const title = state.securing?.enforceableBy;
    const performed = state.performance?.completedAt ? '，已履行完毕' : state.performance?.defaulted ? '，未按期履行' : '';
    return `达成调解协议${title === 'judicial_confirmation' ? '，经司法确认' : title === 'notarization' ? '，经赋予强制执行效力公证' : ''}${performed}`;
  };

  /** Applies one domain command: decide, record, run its effects. Throws the refusal. */
  const applyCommand = async (command: CaseCommand): Promise<void> => {
    const decision = decide(state, command, new Date());
    if (!decision.ok) throw refusalFailure(decision);
    state = decision.state;
    await record(decision.events);
    await runEffects(decision.effects);
  };

  /** The organization designates by its documented rule; if nobody remains, a clerk must find one. */
  const autoAssign = async () => {
    if (state.status !== 'PENDING_ASSIGNMENT') return;
    const result = await acts.proposeMediator({ caseId: state.caseId, disputeType: state.disputeType, mode: 'by_rule', exclude: state.assignment.excluded });
    if (result.ok) return applyCommand({ type: 'assign_mediator', actor: SYSTEM_ACTOR, proposal: result.proposal });
    const e = systemEvent('NoMediatorAvailable', { reason: result.message });
    state = { ...state, lastSeq: e.seq };
    await record([e]);
  };

  const initialReportSeq = new Map((input.carried?.state.securing?.processes ?? []).map((p) => [`${p.kind}-${p.n}`, p.reportSeq]));
  const carriedReportSeq = (kind: string, n: number) => initialReportSeq.get(`${kind}-${n}`) ?? 0;

  /** The roster's proposal of a mediator named by a clerk or a party (or by its rule); its refusal is the action's. */
  const rosterProposal = async (mode: MediatorProposal['mode'], mediatorId: string | undefined): Promise<MediatorProposal> => {
    const result = await acts.proposeMediator({ caseId: state.caseId, disputeType: state.disputeType, mode, mediatorId, exclude: state.assignment.excluded });
    if (result.ok) return result.proposal;
    const article = result.code === 'conflict' ? '特邀调解规定第十五条；人民法院在线调解规则第十三条' : '人民调解法第十九条';
    throw ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE.rule, message: result.message, details: [{ kind: 'rule', code: `mediator_${result.code}`, message: result.message, article }], nonRetryable: true });
  };

  /** Turns a person's action into a domain command, fetching what it needs first. */
  const toCommand = async (action: CaseAction): Promise<CaseCommand> => {
    switch (action.type) {
      case 'assign_mediator':
        return { type: 'assign_mediator', actor: action.actor, proposal: await rosterProposal(action.mode, action.mediatorId) };
      case 'choose_mediator':
        // The roster checks a party's choice as it checks a clerk's: on the roster, active, no conflict, capacity.
        return { type: 'choose_mediator', actor: action.actor, partyId: action.partyId, proposal: await rosterProposal('party_choice', action.mediatorId) };
      case 'save_draft':
      case 'record_oral_agreement': {
        // The rules on the draft's terms (manner and time of an amount, a planned notarization) apply from this
        // change on; a draft recorded before it replays as it was taken.
        const contentRules = patched('agreement-content-rules-v1');
        // Decide before storing: a refused draft must not take the next version number.
        const pre = decide(state, probe(action, contentRules), new Date());
        if (!pre.ok) throw refusalFailure(pre);
        const version = (state.agreement?.version ?? 0) + 1;
        const { sha256 } = await acts.storeAgreementDraft({ caseId: state.caseId, version, form: action.type === 'save_draft' ? 'written' : 'oral', content: action.content, createdBy: action.actor.id });
        return { type: action.type, actor: action.actor, version, hash: sha256, schedule: scheduleOf(action.content), ...(contentRules ? { content: action.content } : {}) };
      }
      case 'request_recusal':
        // Recusals are decided by the organization or the court (特邀调解规定 Art 15); a request recorded
        // before that was granted at once, and replays so.
        return patched('recusal-decision-v1') ? action : { ...action, grantedOnRequest: true };
      case 'sign':
        // Family agreements are signed in ink with a scan (电子签名法 Art 3); a signature taken before that replays as it was.
        return patched('wet-ink-family-v1') ? action : { ...action, beforeWetInkRule: true };
      default:
        return action;
    }
  };

  /** The validator's view of an action: the same checks, with placeholders for facts fetched later. */
  const probe = (action: CaseAction, contentRules = true): CaseCommand => {
    switch (action.type) {
      case 'assign_mediator':
        return { type: 'assign_mediator', actor: action.actor, proposal: { mediatorId: action.mediatorId ?? '(by rule)', orgId: '', mode: action.mode, reasoning: {} } };
      case 'choose_mediator':
        return { type: 'choose_mediator', actor: action.actor, partyId: action.partyId, proposal: { mediatorId: action.mediatorId, orgId: '', mode: 'party_choice', reasoning: {} } };
      case 'save_draft':
      case 'record_oral_agreement':
        return { type: action.type, actor: action.actor, version: (state.agreement?.version ?? 0) + 1, hash: '', ...(contentRules ? { content: action.content } : {}) };
      default:
        return action;
    }
  };

  // A rebuilt case records that it was rebuilt before anything else: queued before any handler is set, as an
  // action sent with the start is dispatched as soon as its handler is.
  const rebuilt = input.rebuilt;
  const rebuiltFirst = rebuilt ? serially(() => rebuildClocks(rebuilt)) : undefined;

  setHandler(snapshotQuery, snapshot);
  // Reports fully applied (events recorded and effects run), by process: what an HTTP answer waits for.
  const applied = new Map<string, number>();
  // The handler returns its work, so `allHandlersFinished` waits for a report to be fully recorded
  // before the case continues as new or ends.
  setHandler(processReportSignal, (report) =>
    serially(async () => {
      // Reports from before processes sent their state record none.
      reporting = report.state ? { kind: report.kind, n: report.n, workflowId: processWorkflowId(state.caseId, report.kind, report.n), state: report.state, reportSeq: report.reportSeq, final: report.final, represents: representation() } : undefined;
      await applyCommand({ type: 'process_report', actor: SYSTEM_ACTOR, report })
        .catch(() => undefined)
        .finally(() => (reporting = undefined));
      applied.set(`${report.kind}-${report.n}`, Math.max(applied.get(`${report.kind}-${report.n}`) ?? 0, report.reportSeq));
    }),
  );
  setHandler(awaitProcessReportUpdate, async ({ kind, n, reportSeq }) => {
    // After a continue-as-new the map is empty, but the state has every report recorded before it.
    await condition(() => Math.max(applied.get(`${kind}-${n}`) ?? 0, carriedReportSeq(kind, n)) >= reportSeq);
    return snapshot();
  });
  setHandler(calendarLoadedSignal, (loaded) => serially(() => recountDeadlines(loaded)));
  setHandler(awaitRegistrationUpdate, async () => {
    await condition(() => registered);
    return snapshot();
  });
  setHandler(
    caseActionUpdate,
    (action) =>
      serially(async () => {
        await condition(() => registered);
        await applyCommand(await toCommand(action)); // the state may have moved since the validator ran
        return snapshot();
      }),
    {
      validator: (action) => {
        const decision = decide(state, probe(action), new Date());
        if (!decision.ok) throw refusalFailure(decision);
      },
    },
  );

  if (!input.carried) {
    const intake = intakeOf(input);
    const first = registration(intake, { courtClocks: state.courtClocks ?? false });
    const registeredCase = await acts.registerCase({ intake, event: first.event, workflowId: workflowInfo().workflowId, state });
    // The limitation alert as counted with the calendar (民法典 Art 203); older runs returned none.
    state = registeredState(state, { caseNumber: registeredCase.caseNumber, limitation: registeredCase.limitation, seq: first.event.seq });
    registered = true;
    changes += 1;
    await serially(() => runEffects(first.effects));
  }

  if (rebuiltFirst) await rebuiltFirst;

  // Wait for people, and for the next statutory timer; a timer that fires becomes a domain event.
  while (state.closedAt === undefined) {
    const timer = nextTimer(state);
    const seen = changes;
    const woken = timer
      ? await condition(() => changes !== seen || state.closedAt !== undefined, Math.max(1, Date.parse(timer.at) - Date.now()))
      : await condition(() => changes !== seen || state.closedAt !== undefined).then(() => true);
    if (!woken && timer) {
      const command: CaseCommand = 'ruleId' in timer ? { type: timer.command, actor: SYSTEM_ACTOR, ruleId: timer.ruleId } : { type: timer.command, actor: SYSTEM_ACTOR, instalment: timer.instalment };
      await serially(() => applyCommand(command).catch(() => undefined));
    }
    if (state.closedAt === undefined && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.maxHistoryEvents ?? MAX_HISTORY_EVENTS))) {
      await condition(allHandlersFinished);
      const { rebuilt: _rebuilt, ...rest } = input;
      await continueAsNew<typeof mediationCase>({ ...rest, carried: { state } });
    }
  }
  await condition(allHandlersFinished);
  // The court's failure report waits for the mediator's facts until its own clock runs out, then goes out
  // with what is known (never blank).
  for (let pending = state.failureReportPending; pending; pending = state.failureReportPending) {
    const asked = pending;
    const answered = await condition(() => state.failureReportPending !== asked, Math.max(1, Date.parse(asked.dueAt ?? '') - Date.now() || 1));
    if (!answered) await serially(() => applyCommand({ type: 'failure_facts_due', actor: SYSTEM_ACTOR }).catch(() => undefined));
    await condition(allHandlersFinished);
  }
  return snapshot();
}
