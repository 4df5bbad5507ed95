/**
 * One run of a case's workflow: the state it holds and how it writes its record. Every event goes to
 * PostgreSQL by an activity, one batch at a time, with the projection (the case row) as it stands after it.
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

/** Records events one batch at a time, with the projection as it stands after them. */
export async function record(run: CaseRun, events: CaseEvent[]): Promise<void> {
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
