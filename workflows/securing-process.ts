/**
 * A securing process as a child workflow of its case: judicial confirmation (a court) or notarization with
 * enforcement effect (a notary). It applies `decideConfirmation` / `decideNotarization`, keeps its own
 * statutory clocks as durable timers, and reports every step to the case by signal; the case records it
 * in its chain (one writer per chain). Deterministic: no I/O outside activities.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { haltDeadline, nextTimer, uncomputableDeadline, withDeadline, withDeadlineStatus, type CaseState, type DeadlineState, type ProcessReport } from '../domain/case-rules.js';
import type { DeadlineRuleId } from '../domain/deadlines.js';
import { needsRecount, recordedLength, recounted, recountPayload } from '../domain/recount.js';
import {
  CONFIRMATION_STATUS_LABELS,
  NOTARIZATION_STATUS_LABELS,
  decideConfirmation,
  decideNotarization,
  isFinal,
  type ConfirmationCommand,
  type ConfirmationState,
  type NotarizationCommand,
  type NotarizationState,
  type ProcessDecision,
  type ProcessEffect,
  type ProcessEvent,
} from '../domain/securing.js';
import type { Activities } from '../activities/index.js';
import {
  DELIVERY_WORKFLOW_TYPE,
  REFUSAL_FAILURE_TYPE,
  calendarLoadedSignal,
  type CalendarLoaded,
  SYSTEM_ACTOR,
  deliveryWorkflowId,
  processActionUpdate,
  processReportSignal,
  processSnapshotQuery,
  type ProcessCommand,
  type ProcessInput,
  type ProcessSnapshot,
} from './messages.js';
import { ACTIVITY_OPTIONS, serialQueue } from './common.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

type S = ConfirmationState | NotarizationState;

export async function judicialConfirmation(input: ProcessInput<ConfirmationState>): Promise<ProcessSnapshot> {
  return runProcess(input);
}

export async function notarization(input: ProcessInput<NotarizationState>): Promise<ProcessSnapshot> {
  return runProcess(input);
}

async function runProcess(input: ProcessInput): Promise<ProcessSnapshot> {
  let state: S = input.state;
  let reportSeq = input.reportSeq ?? 0;
  let changes = 0;
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const institutionId = state.kind === 'judicial_confirmation' ? state.court.institutionId : state.notary.institutionId;

  const decideOn = (s: S, command: ProcessCommand, now: Date): ProcessDecision<S> =>
    s.kind === 'judicial_confirmation'
      ? decideConfirmation(s, command as ConfirmationCommand, now, input.represents)
      : decideNotarization(s, command as NotarizationCommand, now, input.represents);

  const deadlineList = () => Object.entries(state.deadlines).map(([ruleId, d]) => ({ ...d!, ruleId: ruleId as DeadlineRuleId }));
  const snapshot = (): ProcessSnapshot => ({ state, reportSeq });

  /** Tells the case what happened, with the process's status and clocks as they now stand. */
  const report = async (events: ProcessEvent[]) => {
    reportSeq += 1;
    const r: ProcessReport = {
      kind: state.kind,
      n: state.n,
      reportSeq,
      status: state.status,
      final: isFinal(state),
      events,
      deadlines: deadlineList(),
      ...(state.outcome ? { outcome: state.outcome } : {}),
      ...(state.kind === 'judicial_confirmation' && state.courtCaseNumber ? { courtCaseNumber: state.courtCaseNumber } : {}),
      ...(state.kind === 'notarization' && state.certificateNumber ? { certificateNumber: state.certificateNumber } : {}),
      state,
    };
    await parent.signal(processReportSignal, r);
    changes += 1;
  };
  const systemEvent = (type: string, payload: Record<string, unknown>): ProcessEvent => ({ type, at: new Date().toISOString(), actor: SYSTEM_ACTOR, payload });

  // State updates reuse the case's deadline helpers (the deadline shape is the same).
  const asCase = (s: S) => s as unknown as CaseState;
  /** Pauses (supplements) stop only the review clock and the notary's clock, not a period the court sets. */
  const adjustFor = (ruleId: DeadlineRuleId) => ({
    pauses: ruleId === 'court_confirmation_decision' || ruleId === 'notarization' ? state.pauses : [],
    extensionDays: state.kind === 'judicial_confirmation' && ruleId === 'court_confirmation_decision' ? state.extensionDays : 0,
  });
  const setDeadline = async (ruleId: DeadlineRuleId, startedAt: string, length?: number) => {
    try {
      const { deadline, reminderAt } = await acts.computeDeadline({ caseId: state.caseId, ruleId, startedAt, ...adjustFor(ruleId), ...(length !== undefined ? { length } : {}) });
      state = { ...state, deadlines: withDeadline(asCase(state), deadline, reminderAt).deadlines } as S;
      return systemEvent('DeadlineSet', { ruleId, startedAt, dueAt: deadline.dueAt, lastDay: deadline.lastDay, calendarVersion: deadline.calendarVersion, explanation: deadline.explanation });
    } catch (err) {
      if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || err.cause.type !== 'CalendarYearMissing') throw err;
      state = { ...state, deadlines: { ...state.deadlines, [ruleId]: uncomputableDeadline(ruleId, startedAt, err.cause.message) } } as S;
      return systemEvent('DeadlineUncomputable', { ruleId, startedAt, problem: err.cause.message });
    }
  };
  const setStatus = (ruleId: DeadlineRuleId, status: DeadlineState['status']) => {
    state = { ...state, deadlines: withDeadlineStatus(asCase(state), ruleId, status).deadlines } as S;
  };

  const runEffects = async (effects: ProcessEffect[]): Promise<ProcessEvent[]> => {
    const events: ProcessEvent[] = [];
    for (const effect of effects) {
      switch (effect.kind) {
        case 'start_deadline':
          events.push(await setDeadline(effect.ruleId, effect.startedAt, effect.length));
          break;
        case 'recompute_deadline': {
          const d = state.deadlines[effect.ruleId];
          if (d) events.push(await setDeadline(effect.ruleId, d.startedAt));
          break;
        }
        case 'stop_deadline':
        case 'pause_deadline': {
          const halt = haltDeadline(state.deadlines[effect.ruleId], effect);
          if (!halt) break;
          setStatus(effect.ruleId, halt.status);
          events.push(systemEvent(halt.eventType, { ruleId: effect.ruleId, status: halt.status }));
          break;
        }
        case 'render_document': {
          const common = { caseId: state.caseId, docVersion: effect.version, createdAt: new Date().toISOString() };
          const stored = await acts.renderCaseDocument(
            state.kind === 'judicial_confirmation'
              ? { ...common, kind: 'judicial_confirmation_application', courtName: state.court.name, agreementVersion: state.agreementVersion }
              : {
                  ...common,
                  kind: 'notarization_request',
                  notaryName: state.notary.name,
                  creditorPartyId: state.creditorPartyId,
                  debtorPartyId: state.debtorPartyId,
                  agreementVersion: state.agreementVersion,
                },
          );
          events.push(systemEvent('DocumentGenerated', { document: effect.document, version: effect.version, documentId: stored.documentId, sha256: stored.sha256, verificationCode: stored.verificationCode }));
          break;
        }
        case 'notify_institution': {
          // Histories from before deliveries recorded no result here.
          const queued = await acts.notifyInstitution({
            key: `${workflowInfo().workflowId}/${reportSeq + 1}/${effect.message}`,
            institutionId,
            caseId: state.caseId,
            message: effect.message,
            payload: { process: state.kind, n: state.n, status: state.status },
          });
          // Added after the first recorded histories: those replay without a delivery workflow.
          const deliveryId = (queued as { deliveryId?: string } | undefined)?.deliveryId;
          if (deliveryId && patched('delivery-v1')) {
            try {
              await startChild(DELIVERY_WORKFLOW_TYPE, { workflowId: deliveryWorkflowId(deliveryId), args: [{ deliveryId }], parentClosePolicy: ParentClosePolicy.ABANDON });
            } catch (err) {
              if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
            }
          }
          break;
        }
      }
    }
    return events;
  };

  const serially = serialQueue();
  const refusalFailure = (d: Extract<ProcessDecision<S>, { ok: false }>) =>
    ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE[d.refusal.kind], message: d.refusal.message, details: [d.refusal], nonRetryable: true });

  const apply = async (command: ProcessCommand) => {
    const decision = decideOn(state, command, new Date());
    if (!decision.ok) throw refusalFailure(decision);
    state = decision.state;
    const effectEvents = await runEffects(decision.effects);
    await report([...decision.events, ...effectEvents]);
  };

  /** A calendar was loaded: the process's running clocks are counted again and the case is told. */
  const recountDeadlines = async ({ version, applyBy }: CalendarLoaded) => {
    const events: ProcessEvent[] = [];
    if (applyBy && state.kind === 'judicial_confirmation' && state.applyBy !== applyBy) {
      // The 30 days to apply (民事诉讼法 Art 205), as the case recounted them.
      events.push(systemEvent('ApplicationWindowRecomputed', { oldApplyBy: state.applyBy ?? null, newApplyBy: applyBy }));
      state = { ...state, applyBy };
    }
    for (const [id, d] of Object.entries(state.deadlines)) {
      if (!needsRecount(d, version)) continue;
      const ruleId = id as DeadlineRuleId;
      const { deadline, reminderAt } = await acts.computeDeadline({ caseId: state.caseId, ruleId, startedAt: d.startedAt, ...adjustFor(ruleId), ...recordedLength(d), calendarVersion: version });
      state = { ...state, deadlines: { ...state.deadlines, [ruleId]: recounted(d, deadline, reminderAt) } } as S;
      events.push(systemEvent('DeadlineRecomputed', recountPayload(d, deadline)));
    }
    if (events.length > 0) await report(events);
  };

  // The case learns the process has started (its status and label) before anyone acts on it; the
  // application goes to the court or notary once both sides have signed it. Queued before any handler is
  // set: an action that arrived with the start (buffered by the SDK) is dispatched as soon as its handler
  // is, and must come after. Runs recorded before this replay in the order they ran.
  const startReport = () => serially(() => report([systemEvent('ProcessStarted', { label: state.kind === 'judicial_confirmation' ? CONFIRMATION_STATUS_LABELS[state.status] : NOTARIZATION_STATUS_LABELS[state.status] })]));
  const startedFirst = reportSeq === 0 && patched('process-started-first-v1') ? startReport() : undefined;

  setHandler(processSnapshotQuery, snapshot);
  setHandler(calendarLoadedSignal, (loaded) => serially(() => recountDeadlines(loaded)));
  setHandler(
    processActionUpdate,
    (command) =>
      serially(async () => {
        await apply(command);
        return snapshot();
      }),
    {
      validator: (command) => {
        const d = decideOn(state, command, new Date());
        if (!d.ok) throw refusalFailure(d);
      },
    },
  );

  if (startedFirst) await startedFirst;
  else if (reportSeq === 0) await startReport();

  while (!isFinal(state)) {
    const timer = nextTimer(asCase(state));
    // The 30 days to apply, while the parties are still signing (民事诉讼法 Art 205).
    const applyBy = state.kind === 'judicial_confirmation' && state.status === 'PREPARING' ? state.applyBy : undefined;
    const next = applyBy && (!timer || applyBy < timer.at) ? { at: applyBy } : timer;
    const seen = changes;
    const woken = next
      ? await condition(() => changes !== seen || isFinal(state), Math.max(1, Date.parse(next.at) - Date.now()))
      : await condition(() => changes !== seen || isFinal(state)).then(() => true);
    if (!woken && next) {
      const command: ProcessCommand = 'ruleId' in next ? { type: next.command, actor: SYSTEM_ACTOR, ruleId: next.ruleId } : { type: 'window_closed', actor: SYSTEM_ACTOR };
      await serially(() => apply(command).catch(() => undefined));
    }
  }
  await condition(allHandlersFinished);
  return snapshot();
}
