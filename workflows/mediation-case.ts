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
  withDeadline,
  uncomputableDeadline,
  withDeadlineStatus,
  withInstalments,
  withProcessWorkflow,
  type CaseCommand,
  type CaseState,
  type Decision,
  type Effect,
  type ScheduleItem,
} from '../domain/case-rules.js';
import type { AgreementContent } from '../domain/case-rules.js';
import { TERMINATION_REASONS, type CaseEvent } from '../domain/case.js';
import type { DeadlineRuleId } from '../domain/deadlines.js';
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
  caseActionUpdate,
  processReportSignal,
  processWorkflowId,
  snapshotQuery,
  type CaseAction,
  type CaseSnapshot,
  type MediationCaseInput,
} from './messages.js';
import { ACTIVITY_OPTIONS, serialQueue } from './common.js';

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

export async function mediationCase(input: MediationCaseInput): Promise<CaseSnapshot> {
  let state: CaseState = input.carried?.state ?? initialState(input.intake);
  let registered = input.carried !== undefined;
  let changes = 0;

  const deadlineList = () => Object.entries(state.deadlines).map(([ruleId, d]) => ({ ...d!, ruleId: ruleId as DeadlineRuleId }));
  const snapshot = (): CaseSnapshot => ({
    caseId: state.caseId,
    caseNumber: state.caseNumber ?? null,
    status: state.status,
    registered,
    lastSeq: state.lastSeq,
    closedAt: state.closedAt ?? null,
    notAccepted: state.notAccepted ?? null,
    termination: state.termination ?? null,
    assignment: state.assignment,
    agreement: state.agreement ?? null,
    screening: state.screening,
    deadlines: deadlineList(),
    securing: state.securing ?? null,
    performance: state.performance ?? null,
  });
  const projection = (): CaseProjection => ({
    status: state.status,
    mediatorAccountId: state.assignment.mediatorId ?? null,
    handlingOrgId: state.assignment.orgId ?? null,
    legalAidRequested: state.screening.legalAid.status !== 'none',
    priorityGroups: state.screening.priorityGroups,
    terminationReason: state.termination?.reason ?? null,
    agreementEffectiveAt: state.agreement?.effectiveAt ?? null,
    deadlines: deadlineList(),
    // Courts and notaries see the cases sent to them (the latest application of each kind).
    // Only once the parties have signed and it was sent: naming a court does not open the file to it.
    confirmingCourtId: sentTo('judicial_confirmation'),
    notaryInstitutionId: sentTo('notarization'),
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

  const setDeadline = async (ruleId: DeadlineRuleId, startedAt: string, adjust: { extensionDays?: number; pauses?: CaseState['mediation']['pauses'] } = {}) => {
    try {
      const { deadline, reminderAt } = await acts.computeDeadline({ ruleId, startedAt, ...adjust });
      state = withDeadline(state, deadline, reminderAt);
      const e = systemEvent('DeadlineSet', { ruleId, startedAt, dueAt: deadline.dueAt, lastDay: deadline.lastDay, calendarVersion: deadline.calendarVersion, explanation: deadline.explanation });
      state = { ...state, lastSeq: e.seq };
      await record([e]);
    } catch (err) {
      // A calendar year not yet published: recorded loudly, the case goes on, a clerk sees it.
      if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || err.cause.type !== 'CalendarYearMissing') throw err;
      state = { ...state, deadlines: { ...state.deadlines, [ruleId]: uncomputableDeadline(ruleId, startedAt, err.cause.message) } };
      const e = systemEvent('DeadlineUncomputable', { ruleId, startedAt, problem: err.cause.message });
      state = { ...state, lastSeq: e.seq };
      await record([e]);
    }
  };

  const runEffects = async (effects: Effect[]) => {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'start_deadline':
          await setDeadline(effect.ruleId, effect.startedAt);
          break;
        case 'recompute_deadline': {
          const d = state.deadlines[effect.ruleId];
          if (d) await setDeadline(effect.ruleId, d.startedAt, { extensionDays: state.mediation.extensionDays, pauses: state.mediation.pauses });
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
          // Added after the first recorded histories: older runs replay without it.
          if (patched('documents-v1')) await renderDocument(effect);
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
        case 'report_to_court':
          // Added after the first recorded histories: older runs replay without it.
          if (patched('court-report-v1')) {
            const queued = await acts.reportToCourt({ caseId: state.caseId, key: `${workflowInfo().workflowId}/court/${effect.message}`, message: effect.message, payload: effect.payload });
            // Histories from before deliveries recorded no result here.
            const deliveryId = (queued as { deliveryId?: string | null } | undefined)?.deliveryId;
            // Pushed to the court's webhook by its own workflow (retries never hold up the case).
            if (deliveryId && patched('delivery-v1')) await startDelivery(deliveryId);
          }
          break;
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
    const represents = Object.fromEntries(state.parties.filter((p) => p.representsPartyId).map((p) => [p.partyId, p.representsPartyId!]));
    await startChild(process.kind === 'judicial_confirmation' ? CONFIRMATION_WORKFLOW_TYPE : NOTARIZATION_WORKFLOW_TYPE, {
      workflowId,
      args: [{ parentWorkflowId: workflowInfo().workflowId, state: process, represents }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    state = withProcessWorkflow(state, process.kind, process.n, workflowId);
  };

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
      effect.document === 'agreement'
        ? {
            ...common,
            kind: 'agreement',
            path: state.agreement!.path,
            judicialConfirmationPossible: state.screening.judicialConfirmation.possible,
            notarizationPlanned: false,
            mediatorId: state.assignment.mediatorId ?? '',
          }
        : effect.document === 'termination_notice'
          ? { ...common, kind: 'termination_notice', reasonLabel: TERMINATION_REASONS[state.termination!.reason], note: state.termination!.note, returnedToCourt: state.termination!.returnedToCourt }
          : effect.document === 'failure_report'
            ? { ...common, kind: 'failure_report', failureReport: effect.failureReport, mediatorId: state.assignment.mediatorId ?? '' }
            : effect.document === 'archive_summary'
              ? { ...common, kind: 'archive_summary', mediatorId: state.assignment.mediatorId ?? '', outcome: archiveOutcome() }
              : { ...common, kind: 'rights_notice' },
    );
    const e = systemEvent('DocumentGenerated', { document, version, documentId: stored.documentId, sha256: stored.sha256, verificationCode: stored.verificationCode });
    state = { ...state, lastSeq: e.seq };
    await record([e]);
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

  /** Turns a person's action into a domain command, fetching what it needs first. */
  const toCommand = async (action: CaseAction): Promise<CaseCommand> => {
    switch (action.type) {
      case 'assign_mediator': {
        const result = await acts.proposeMediator({ caseId: state.caseId, disputeType: state.disputeType, mode: action.mode, mediatorId: action.mediatorId, exclude: state.assignment.excluded });
        if (!result.ok) {
          const article = result.code === 'conflict' ? '特邀调解规定第十五条；人民法院在线调解规则第十三条' : '人民调解法第十九条';
          throw ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE.rule, message: result.message, details: [{ kind: 'rule', code: `mediator_${result.code}`, message: result.message, article }], nonRetryable: true });
        }
        return { type: 'assign_mediator', actor: action.actor, proposal: result.proposal };
      }
      case 'save_draft':
      case 'record_oral_agreement': {
        // Decide before storing: a refused draft must not take the next version number.
        const pre = decide(state, probe(action), new Date());
        if (!pre.ok) throw refusalFailure(pre);
        const version = (state.agreement?.version ?? 0) + 1;
        const { sha256 } = await acts.storeAgreementDraft({ caseId: state.caseId, version, form: action.type === 'save_draft' ? 'written' : 'oral', content: action.content, createdBy: action.actor.id });
        return { type: action.type, actor: action.actor, version, hash: sha256, schedule: scheduleOf(action.content) };
      }
      default:
        return action;
    }
  };

  /** The validator's view of an action: the same checks, with placeholders for facts fetched later. */
  const probe = (action: CaseAction): CaseCommand => {
    switch (action.type) {
      case 'assign_mediator':
        return { type: 'assign_mediator', actor: action.actor, proposal: { mediatorId: action.mediatorId ?? '(by rule)', orgId: '', mode: action.mode, reasoning: {} } };
      case 'save_draft':
      case 'record_oral_agreement':
        return { type: action.type, actor: action.actor, version: (state.agreement?.version ?? 0) + 1, hash: '' };
      default:
        return action;
    }
  };

  setHandler(snapshotQuery, snapshot);
  // Reports fully applied (events recorded and effects run), by process: what an HTTP answer waits for.
  const applied = new Map<string, number>();
  // The handler returns its work, so `allHandlersFinished` waits for a report to be fully recorded
  // before the case continues as new or ends.
  setHandler(processReportSignal, (report) =>
    serially(async () => {
      await applyCommand({ type: 'process_report', actor: SYSTEM_ACTOR, report }).catch(() => undefined);
      applied.set(`${report.kind}-${report.n}`, Math.max(applied.get(`${report.kind}-${report.n}`) ?? 0, report.reportSeq));
    }),
  );
  setHandler(awaitProcessReportUpdate, async ({ kind, n, reportSeq }) => {
    // After a continue-as-new the map is empty, but the state has every report recorded before it.
    await condition(() => Math.max(applied.get(`${kind}-${n}`) ?? 0, carriedReportSeq(kind, n)) >= reportSeq);
    return snapshot();
  });
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

  if (!registered) {
    const first = registration(input.intake);
    const { caseNumber } = await acts.registerCase({ intake: input.intake, event: first.event, workflowId: workflowInfo().workflowId });
    state = { ...state, caseNumber, lastSeq: first.event.seq };
    registered = true;
    changes += 1;
    await serially(() => runEffects(first.effects));
  }

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
      await continueAsNew<typeof mediationCase>({ ...input, carried: { state } });
    }
  }
  await condition(allHandlersFinished);
  return snapshot();
}
