/**
 * One run of a securing process: its state, how it applies a command (`decideConfirmation` /
 * `decideNotarization`, then its effects), and how it reports every step to its case, which records it in
 * its chain (one writer per chain). Its clocks are kept by the shared deadline module.
 */
import {
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  workflowInfo,
  type ExternalWorkflowHandle,
} from '@temporalio/workflow';
import type { CaseState, ProcessReport } from '../domain/case-rules.js';
import type { DeadlineRuleId } from '../domain/deadlines.js';
import { needsRecount, recordedLength } from '../domain/recount.js';
import {
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
import { ACTIVITY_OPTIONS, documentActivities, refusalFailure, serialQueue, type SerialQueue } from './common.js';
import { haltClock, recountClock, startClock, type ClockFact, type Counting } from './deadline-timers.js';
import {
  SYSTEM_ACTOR,
  processReportSignal,
  type CalendarLoaded,
  type ProcessCommand,
  type ProcessInput,
  type ProcessSnapshot,
} from './messages.js';
import { startDelivery } from './children.js';
import { deadlineList } from './snapshot.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

export type SecuringState = ConfirmationState | NotarizationState;

export type ProcessRun = {
  readonly input: ProcessInput;
  state: SecuringState;
  /** How many reports the case has been sent. */
  reportSeq: number;
  /** Bumped by every report: the main loop then looks again for its next timer. */
  changes: number;
  readonly parent: ExternalWorkflowHandle;
  readonly serially: SerialQueue;
};

export function processRun(input: ProcessInput): ProcessRun {
  return {
    input,
    state: input.state,
    reportSeq: input.reportSeq ?? 0,
    changes: 0,
    parent: getExternalWorkflowHandle(input.parentWorkflowId),
    serially: serialQueue(),
  };
}

export const processSnapshot = (run: ProcessRun): ProcessSnapshot => ({ state: run.state, reportSeq: run.reportSeq });

// The case's deadline helpers read a process's clocks too (the deadline shape is the same).
export const asCase = (s: SecuringState) => s as unknown as CaseState;

export function decideOn(run: ProcessRun, command: ProcessCommand): ProcessDecision<SecuringState> {
  const s = run.state;
  return s.kind === 'judicial_confirmation'
    ? decideConfirmation(s, command as ConfirmationCommand, new Date(), run.input.represents)
    : decideNotarization(s, command as NotarizationCommand, new Date(), run.input.represents);
}

/** Applies one command: decide, run its effects, report both to the case. Throws the refusal. */
export async function applyProcessCommand(run: ProcessRun, command: ProcessCommand): Promise<void> {
  const decision = decideOn(run, command);
  if (!decision.ok) throw refusalFailure(decision.refusal);
  run.state = decision.state;
  const effectEvents = await runEffects(run, decision.effects);
  await report(run, [...decision.events, ...effectEvents]);
}

export const systemEvent = (type: string, payload: Record<string, unknown>): ProcessEvent => ({
  type,
  at: new Date().toISOString(),
  actor: SYSTEM_ACTOR,
  payload,
});
const stamp = (fact: ClockFact) => systemEvent(fact.type, fact.payload);

/** Tells the case what happened, with the process's status and clocks as they now stand. */
export async function report(run: ProcessRun, events: ProcessEvent[]): Promise<void> {
  run.reportSeq += 1;
  const { state } = run;
  const r: ProcessReport = {
    kind: state.kind,
    n: state.n,
    reportSeq: run.reportSeq,
    status: state.status,
    final: isFinal(state),
    events,
    deadlines: deadlineList(state),
    ...(state.outcome ? { outcome: state.outcome } : {}),
    ...(state.kind === 'judicial_confirmation' && state.courtCaseNumber
      ? { courtCaseNumber: state.courtCaseNumber }
      : {}),
    ...(state.kind === 'notarization' && state.certificateNumber ? { certificateNumber: state.certificateNumber } : {}),
    state,
  };
  await run.parent.signal(processReportSignal, r);
  run.changes += 1;
}

/** Pauses (supplements) stop only the review clock and the notary's clock, not a period the court sets. */
function countingFor(state: SecuringState, ruleId: DeadlineRuleId): Counting {
  return {
    pauses: ruleId === 'court_confirmation_decision' || ruleId === 'notarization' ? state.pauses : [],
    extensionDays:
      state.kind === 'judicial_confirmation' && ruleId === 'court_confirmation_decision' ? state.extensionDays : 0,
  };
}

async function setDeadline(
  run: ProcessRun,
  ruleId: DeadlineRuleId,
  startedAt: string,
  length?: number,
): Promise<ProcessEvent> {
  const { clocks, fact } = await startClock(run.state.caseId, run.state.deadlines, ruleId, startedAt, {
    ...countingFor(run.state, ruleId),
    ...(length !== undefined ? { length } : {}),
  });
  run.state = { ...run.state, deadlines: clocks };
  return stamp(fact);
}

type EffectRunner<E extends ProcessEffect> = (run: ProcessRun, effect: E) => Promise<ProcessEvent | undefined>;

const EFFECT_RUNNERS: { [K in ProcessEffect['kind']]: EffectRunner<Extract<ProcessEffect, { kind: K }>> } = {
  start_deadline: (run, effect) => setDeadline(run, effect.ruleId, effect.startedAt, effect.length),
  recompute_deadline: async (run, effect) => {
    const d = run.state.deadlines[effect.ruleId];
    return d ? setDeadline(run, effect.ruleId, d.startedAt) : undefined;
  },
  stop_deadline: haltDeadline,
  pause_deadline: haltDeadline,
  render_document: renderDocument,
  notify_institution: notifyInstitution,
};

/** Runs a decision's effects in order; the events they produce go to the case with the decision's own. */
async function runEffects(run: ProcessRun, effects: ProcessEffect[]): Promise<ProcessEvent[]> {
  const events: ProcessEvent[] = [];
  for (const effect of effects) {
    const e = await (EFFECT_RUNNERS[effect.kind] as EffectRunner<ProcessEffect>)(run, effect);
    if (e) events.push(e);
  }
  return events;
}

async function haltDeadline(
  run: ProcessRun,
  effect: Extract<ProcessEffect, { kind: 'stop_deadline' | 'pause_deadline' }>,
): Promise<ProcessEvent | undefined> {
  const halted = haltClock(run.state.deadlines, effect);
  if (!halted) return undefined;
  run.state = { ...run.state, deadlines: halted.clocks };
  return stamp(halted.fact);
}

/** The application to the court, or the request to the notary, rendered and stored. */
async function renderDocument(
  run: ProcessRun,
  effect: Extract<ProcessEffect, { kind: 'render_document' }>,
): Promise<ProcessEvent> {
  const { state } = run;
  const common = { caseId: state.caseId, docVersion: effect.version, createdAt: new Date().toISOString() };
  const stored = await documentActivities().renderCaseDocument(
    state.kind === 'judicial_confirmation'
      ? {
          ...common,
          kind: 'judicial_confirmation_application',
          courtName: state.court.name,
          agreementVersion: state.agreementVersion,
        }
      : {
          ...common,
          kind: 'notarization_request',
          notaryName: state.notary.name,
          creditorPartyId: state.creditorPartyId,
          debtorPartyId: state.debtorPartyId,
          agreementVersion: state.agreementVersion,
        },
  );
  return systemEvent('DocumentGenerated', {
    document: effect.document,
    version: effect.version,
    documentId: stored.documentId,
    sha256: stored.sha256,
    verificationCode: stored.verificationCode,
  });
}

/** Tells the court or notary; the message is pushed to its webhook by a delivery workflow. */
async function notifyInstitution(
  run: ProcessRun,
  effect: Extract<ProcessEffect, { kind: 'notify_institution' }>,
): Promise<undefined> {
  const { state } = run;
  // Histories from before deliveries recorded no result here.
  const queued = await acts.notifyInstitution({
    key: `${workflowInfo().workflowId}/${run.reportSeq + 1}/${effect.message}`,
    institutionId: institutionOf(run.input.state),
    caseId: state.caseId,
    message: effect.message,
    payload: { process: state.kind, n: state.n, status: state.status },
  });
  // Added after the first recorded histories: those replay without a delivery workflow.
  const deliveryId = (queued as { deliveryId?: string } | undefined)?.deliveryId;
  if (deliveryId && patched('delivery-v1')) await startDelivery(deliveryId);
  return undefined;
}

/** The court or notary the process was started with. */
const institutionOf = (s: SecuringState) =>
  s.kind === 'judicial_confirmation' ? s.court.institutionId : s.notary.institutionId;

/** A calendar was loaded: the process's running clocks are counted again and the case is told. */
export async function recountDeadlines(run: ProcessRun, { version, applyBy }: CalendarLoaded): Promise<void> {
  const events: ProcessEvent[] = [];
  if (applyBy && run.state.kind === 'judicial_confirmation' && run.state.applyBy !== applyBy) {
    // The 30 days to apply (民事诉讼法 Art 205), as the case recounted them.
    events.push(
      systemEvent('ApplicationWindowRecomputed', { oldApplyBy: run.state.applyBy ?? null, newApplyBy: applyBy }),
    );
    run.state = { ...run.state, applyBy };
  }
  for (const [id, d] of Object.entries(run.state.deadlines)) {
    if (!needsRecount(d, version)) continue;
    const ruleId = id as DeadlineRuleId;
    const { clock, fact } = await recountClock(
      run.state.caseId,
      ruleId,
      d,
      { ...countingFor(run.state, ruleId), ...recordedLength(d) },
      version,
    );
    run.state = { ...run.state, deadlines: { ...run.state.deadlines, [ruleId]: clock } };
    events.push(stamp(fact));
  }
  if (events.length > 0) await report(run, events);
}
