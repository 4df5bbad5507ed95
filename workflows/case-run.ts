/**
 * One run of a case's workflow: the state it holds and how it writes its record. Every event goes to
 * PostgreSQL by an activity, one batch at a time, with the projection (the case row) as it stands after it.
 * Since `record-batch-v1`, a batch is everything one piece of work (an action, a timer, a report) records:
 * its events are held until the work ends, or until an effect that reads the record runs.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CaseState } from '../domain/case-rules.js';
import type { CaseEvent } from '../domain/case.js';
import { instalmentsCalendarVersion } from '../domain/recount.js';
import type { Activities, CaseProjection } from '../activities/index.js';
import { ACTIVITY_OPTIONS, type SerialQueue } from './common.js';
import { SYSTEM_ACTOR, type MediationCaseInput } from './messages.js';
import { deadlineList } from './snapshot.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

export type CaseRun = {
  readonly input: MediationCaseInput;
  state: CaseState;
  /** The intake is recorded in PostgreSQL and the case has its number. */
  registered: boolean;
  /** Bumped by every recorded batch: the main loop then looks again for its next timer. */
  changes: number;
  /**
   * Whether this run writes each piece of work's events in one call (`record-batch-v1`): asked once at the
   * run's start, so a run recorded before it keeps one call per effect to its end.
   */
  readonly batchRecords: boolean;
  /** The events of the work in hand, not written yet (batching only). */
  pending?: CaseEvent[];
  /** The securing process whose report is being recorded: its state goes to the record with the events. */
  reporting?: CaseProjection['process'];
  /** Actions run one at a time, in arrival order, so events get consecutive sequence numbers. */
  readonly serially: SerialQueue;
};

/** The next event the workflow records on its own (a clock, a document, a report): it takes the next number. */
export function nextEvent(run: CaseRun, type: string, payload: Record<string, unknown>): CaseEvent {
  const e: CaseEvent = { seq: run.state.lastSeq + 1, type, at: new Date().toISOString(), actor: SYSTEM_ACTOR, payload };
  run.state = { ...run.state, lastSeq: e.seq };
  return e;
}

/** Records events one batch at a time, with the projection as it stands after them; held while work batches. */
export async function record(run: CaseRun, events: CaseEvent[]): Promise<void> {
  if (run.pending) run.pending.push(...events);
  else await write(run, events);
}

/**
 * Runs one piece of work so that what it records is written in one call when it ends (or at `flushRecord`).
 * Nested work joins the batch in hand; a run recorded before `record-batch-v1` writes as it goes.
 */
export async function inOneRecord<T>(run: CaseRun, work: () => Promise<T>): Promise<T> {
  if (!run.batchRecords || run.pending) return work();
  run.pending = [];
  try {
    return await work();
  } finally {
    // Written even when the work failed half-way: what it recorded before stays recorded, as without batching.
    const events = run.pending;
    run.pending = undefined;
    await write(run, events);
  }
}

/** Writes the events held so far, before an activity that reads the record (a document, a message, a process). */
export async function flushRecord(run: CaseRun): Promise<void> {
  if (!run.pending?.length) return;
  const events = run.pending;
  run.pending = [];
  await write(run, events);
}

/** One call: the events, appended to the chain with the projection as the state stands now. */
async function write(run: CaseRun, events: CaseEvent[]): Promise<void> {
  if (events.length === 0) return;
  await acts.recordCaseEvents({
    caseId: run.state.caseId,
    events,
    status: run.state.status,
    projection: projection(run),
  });
  run.changes += 1;
}

/** The case row: what lists, search and the access policy read without asking the workflow. */
function projection(run: CaseRun): CaseProjection {
  const { state, reporting } = run;
  return {
    status: state.status,
    mediatorAccountId: state.assignment.mediatorId ?? null,
    handlingOrgId: state.assignment.orgId ?? null,
    legalAidRequested: state.screening.legalAid.status !== 'none',
    priorityGroups: state.screening.priorityGroups,
    terminationReason: state.termination?.reason ?? null,
    agreementEffectiveAt: state.agreement?.effectiveAt ?? null,
    deadlines: deadlineList(state),
    instalmentsCalendarVersion: instalmentsCalendarVersion(state.performance?.instalments ?? []),
    // Courts and notaries see the cases sent to them (the latest application of each kind).
    // Only once the parties have signed and it was sent: naming a court does not open the file to it.
    confirmingCourtId: sentTo(state, 'judicial_confirmation'),
    notaryInstitutionId: sentTo(state, 'notarization'),
    state,
    ...(reporting ? { process: reporting } : {}),
  };
}

const sentTo = (state: CaseState, kind: 'judicial_confirmation' | 'notarization') =>
  state.securing?.processes.filter((p) => p.kind === kind && p.status !== 'PREPARING').at(-1)?.institutionId ?? null;

/** Guardian or agent party id → the party they act for. */
export function representation(state: CaseState): Record<string, string> {
  return Object.fromEntries(
    state.parties.filter((p) => p.representsPartyId).map((p) => [p.partyId, p.representsPartyId!]),
  );
}
