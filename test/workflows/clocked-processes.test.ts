/**
 * The complaint and the 差评 follow-up workflows (docs/supervision.md#complaints, #ratings) on the run's real
 * Temporal dev server, with the run's prebuilt bundle and in-memory activities: what each asks of the world, in
 * which order, and what it makes of its clocks. Their clocks here run out seconds after they start; the journeys
 * through the API, with the real calendar and the real record, are test/api/complaints.test.ts and ratings.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ComplaintActivities } from '../../activities/complaints.js';
import type { RatingActivities } from '../../activities/ratings.js';
import type { CaseEvent } from '../../domain/case.js';
import type { ComplaintClockId, ComplaintFiling, ComplaintState } from '../../domain/complaints.js';
import type { Rating, RatingClockId, RatingFollowUpState } from '../../domain/ratings.js';
import {
  COMPLAINT_WORKFLOW_TYPE,
  awaitComplaintRegistrationUpdate,
  complaintActionUpdate,
  complaintStateQuery,
  complaintWorkflowId,
  type ComplaintAction,
} from '../../workflows/complaint-messages.js';
import {
  RATING_FOLLOW_UP_WORKFLOW_TYPE,
  awaitFollowUpStartedUpdate,
  ratingFollowUpActionUpdate,
  ratingFollowUpStateQuery,
  ratingFollowUpWorkflowId,
  type RatingFollowUpAction,
} from '../../workflows/rating-followup-messages.js';

const taskQueue = `clocked-processes-${randomUUID()}`;
const supervisor = { id: 'supervisor-1', role: 'supervisor' } as const;
const DAY_MS = 86_400_000;

// What the stub activities were asked, in order ----------------------------------------------------------

type Stubbed = ComplaintActivities & Pick<RatingActivities, 'recordRatingEvents' | 'computeRatingClock'>;
/** An activity called by a workflow (named by its id), with what it was asked in short. */
type Call = { name: keyof Stubbed; of: string; what: string };
const calls: Call[] = [];
/** Each process's record as its workflow wrote it, by workflow id. */
const recorded = new Map<string, CaseEvent[]>();
/** Clocks that run out this long after they start (others run 30 days), and clocks no calendar can count. */
const shortClocks = new Map<ComplaintClockId | RatingClockId, number>();
const uncountable = new Set<ComplaintClockId | RatingClockId>();

const callsOf = (workflowId: string) =>
  calls.filter((c) => c.of === workflowId).map((c) => `${c.name} ${c.what}`.trim());
const eventsOf = (workflowId: string) => recorded.get(workflowId) ?? [];
const typesOf = (workflowId: string) => eventsOf(workflowId).map((e) => e.type);

/** Notes the call under the workflow that made it; recorded events are kept in that workflow's record. */
function called(name: keyof Stubbed, what: string, events: CaseEvent[] = []): void {
  const of = Context.current().info.workflowExecution?.workflowId ?? '';
  calls.push({ name, of, what });
  recorded.set(of, [...eventsOf(of), ...events]);
}
const typeList = (events: CaseEvent[]) => events.map((e) => e.type).join(',');

/** A clock counted as the activity counts it, on a stub calendar. */
function counted<Id extends string>(clockId: Id, startedAt: string, extensionDays?: number) {
  if (uncountable.has(clockId as ComplaintClockId)) return { clockId, startedAt, problem: 'no calendar for 2099' };
  const length = shortClocks.get(clockId as ComplaintClockId) ?? 30 * DAY_MS;
  const dueAt = new Date(Date.parse(startedAt) + length + (extensionDays ?? 0) * DAY_MS).toISOString();
  return {
    clockId,
    startedAt,
    dueAt,
    lastDay: dueAt.slice(0, 10),
    calendarVersion: 'stub',
    extensionDays: extensionDays ?? 0,
    pausedDays: 0,
    explanation: ['stub'],
  };
}

const activities: Stubbed = {
  async registerComplaint(input) {
    called('registerComplaint', '', [input.event]);
    return { trackingNumber: '（2026）揭司投字第0001号' };
  },
  async recordComplaintEvents(input) {
    called('recordComplaintEvents', typeList(input.events), input.events);
  },
  async computeComplaintClock(input) {
    called('computeComplaintClock', `${input.clockId}${input.extensionDays ? `+${input.extensionDays}` : ''}`);
    return counted(input.clockId, input.startedAt, input.extensionDays) as never;
  },
  async recordRatingEvents(input) {
    called('recordRatingEvents', typeList(input.events), input.events);
  },
  async computeRatingClock(input) {
    called('computeRatingClock', input.clockId);
    return counted(input.clockId, input.startedAt) as never;
  },
};

// One worker on this file's own task queue ---------------------------------------------------------------

let worker: Worker;
let running: Promise<void>;
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: inject('temporalNamespace'),
    taskQueue,
    workflowBundle: { code: readFileSync(inject('workflowBundleFile'), 'utf8'), sourceMap: '' },
    activities,
  });
  running = worker.run();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: inject('temporalNamespace') });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
});

/** Asks again (no fixed sleep) until `read` gives what `done` wants, or gives up after `ms`. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The complaint -------------------------------------------------------------------------------------------

function filing(complaintId: string): ComplaintFiling {
  return {
    complaintId,
    caseId: randomUUID(),
    channel: 'portal',
    ground: 'partiality',
    facts: '调解员多次打断陈述',
    request: '批评教育',
    evidenceRefs: [],
    replyChannel: 'sms',
    target: { kind: 'mediator', id: 'mediator-1', name: '吴国栋', mediatorKind: 'people' },
    complainantPartyId: 'party-1',
    filedBy: { id: 'party-1', role: 'party' },
    receivedAt: new Date().toISOString(),
  };
}

async function fileComplaint(complaintId: string): Promise<WorkflowHandle> {
  const handle = await client.workflow.start(COMPLAINT_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: complaintWorkflowId(complaintId),
    args: [{ filing: filing(complaintId) }],
  });
  const registered = await handle.executeUpdate(awaitComplaintRegistrationUpdate);
  expect(registered.trackingNumber).toBe('（2026）揭司投字第0001号');
  return handle;
}

const complaintAct = (handle: WorkflowHandle, action: ComplaintAction): Promise<ComplaintState> =>
  handle.executeUpdate(complaintActionUpdate, { args: [action] });

describe('complaint', () => {
  it('when the acceptance clock runs out, then the expiry is recorded and a late acceptance still starts the decision clock; when nobody gives feedback in time, the complaint closes', async () => {
    const id = randomUUID();
    shortClocks.set('complaint_acceptance', 1500).set('complaint_feedback', 1500);
    uncountable.add('complaint_answer');
    const handle = await fileComplaint(id);
    const lapsed = await until(
      () => handle.query(complaintStateQuery),
      (s) => s.clocks.complaint_acceptance?.status === 'expired',
    );
    expect(lapsed.status).toBe('FILED');
    expect((await complaintAct(handle, { type: 'accept', actor: supervisor })).status).toBe('ACCEPTED');
    await complaintAct(handle, {
      type: 'assign_investigator',
      actor: supervisor,
      accountId: 'clerk-1',
      name: '陈登记',
    });
    await complaintAct(handle, { type: 'record_findings', actor: supervisor, findings: '属实' });
    const extended = await complaintAct(handle, {
      type: 'extend_decision',
      actor: supervisor,
      days: 30,
      approvedBy: '郑国平',
      reason: '需调取录音',
    });
    expect(extended.clocks.complaint_decision).toMatchObject({ status: 'open', extensionDays: 30 });
    await complaintAct(handle, {
      type: 'decide',
      actor: supervisor,
      upheld: true,
      outcome: 'criticism_education',
      reasons: '投诉属实',
    });
    // A year no calendar covers: the answer's clock is shown uncomputable and never timed, and stops when met.
    const answered = await complaintAct(handle, { type: 'answer', actor: supervisor, channel: 'sms', text: '已处理' });
    expect(answered.clocks.complaint_answer?.status).toBe('met');
    const closed = (await handle.result()) as ComplaintState;
    expect(closed).toMatchObject({ status: 'CLOSED', feedback: null });

    expect(typesOf(handle.workflowId)).toEqual([
      'ComplaintFiled',
      'ComplaintClockSet',
      'ComplaintClockExpired',
      'ComplaintAccepted',
      'ComplaintClockSet', // the acceptance clock ran out already: nothing to stop
      'ComplaintInvestigatorAssigned',
      'ComplaintFindingsRecorded',
      'ComplaintDecisionExtended',
      'ComplaintClockSet',
      'ComplaintDecided',
      'ComplaintUpheld',
      'ComplaintClockStopped',
      'ComplaintClockUncomputable',
      'ComplaintAnswered',
      'ComplaintClockStopped',
      'ComplaintClockSet',
      'ComplaintClockExpired',
      'ComplaintClosed',
    ]);
    expect(eventsOf(handle.workflowId).map((e) => e.seq)).toEqual(eventsOf(handle.workflowId).map((_, i) => i + 1));
    // Each clock is counted before the events it goes with are recorded, in one call per action.
    expect(callsOf(handle.workflowId)).toEqual([
      'registerComplaint',
      'computeComplaintClock complaint_acceptance',
      'recordComplaintEvents ComplaintClockSet',
      'recordComplaintEvents ComplaintClockExpired',
      'computeComplaintClock complaint_decision',
      'recordComplaintEvents ComplaintAccepted,ComplaintClockSet',
      'recordComplaintEvents ComplaintInvestigatorAssigned',
      'recordComplaintEvents ComplaintFindingsRecorded',
      'computeComplaintClock complaint_decision+30',
      'recordComplaintEvents ComplaintDecisionExtended,ComplaintClockSet',
      'computeComplaintClock complaint_answer',
      'recordComplaintEvents ComplaintDecided,ComplaintUpheld,ComplaintClockStopped,ComplaintClockUncomputable',
      'computeComplaintClock complaint_feedback',
      'recordComplaintEvents ComplaintAnswered,ComplaintClockStopped,ComplaintClockSet',
      'recordComplaintEvents ComplaintClockExpired,ComplaintClosed',
    ]);
    shortClocks.clear();
    uncountable.clear();
  }, 60_000);

  it('when an action the rules refuse is asked, then the caller gets the reason and nothing is recorded', async () => {
    const id = randomUUID();
    const handle = await fileComplaint(id);
    const before = callsOf(handle.workflowId).length;
    await expect(
      complaintAct(handle, { type: 'answer', actor: supervisor, channel: 'sms', text: '—' }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/answer is not possible now/) } });
    expect((await complaintAct(handle, { type: 'decline', actor: supervisor, reason: '不属于受理范围' })).status).toBe(
      'NOT_ACCEPTED',
    );
    expect(callsOf(handle.workflowId).slice(before)).toEqual([
      'recordComplaintEvents ComplaintNotAccepted,ComplaintClockStopped',
    ]);
    expect(((await handle.result()) as ComplaintState).status).toBe('NOT_ACCEPTED');
  }, 60_000);
});

// The 差评 follow-up --------------------------------------------------------------------------------------

function rating(ratingId: string): Rating {
  return {
    ratingId,
    caseId: randomUUID(),
    partyId: 'party-1',
    level: 'very_dissatisfied',
    tags: ['attitude'],
    text: '态度生硬',
    channel: 'portal',
    mediatorAccountId: 'mediator-1',
    orgId: 'center',
    ratedAt: new Date().toISOString(),
    ratedBy: { id: 'party-1', role: 'party' },
  };
}

async function startFollowUp(ratingId: string): Promise<WorkflowHandle> {
  const handle = await client.workflow.start(RATING_FOLLOW_UP_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: ratingFollowUpWorkflowId(ratingId),
    args: [{ rating: rating(ratingId) }],
  });
  const started = await handle.executeUpdate(awaitFollowUpStartedUpdate);
  expect(Object.keys(started.clocks)).toEqual(['rating_callback', 'rating_rectification']);
  return handle;
}

const ratingAct = (handle: WorkflowHandle, action: RatingFollowUpAction): Promise<RatingFollowUpState> =>
  handle.executeUpdate(ratingFollowUpActionUpdate, { args: [action] });

describe('ratingFollowUp', () => {
  it('when the call-back is late, then its expiry is recorded and the follow-up goes on; when the party gives no 追评 in time, it closes', async () => {
    const id = randomUUID();
    shortClocks.set('rating_callback', 1500).set('rating_follow_up', 1500);
    const handle = await startFollowUp(id);
    await until(
      () => handle.query(ratingFollowUpStateQuery),
      (s) => s.clocks.rating_callback?.status === 'expired',
    );
    const calledBack = await ratingAct(handle, { type: 'call_back', actor: supervisor, reached: true, note: '已联系' });
    expect(calledBack.status).toBe('CALLED_BACK');
    await ratingAct(handle, { type: 'record_fix', actor: supervisor, kind: 'fixed', text: '已整改' });
    await ratingAct(handle, { type: 'answer', actor: supervisor, text: '感谢监督' });
    const closed = (await handle.result()) as RatingFollowUpState;
    expect(closed).toMatchObject({ status: 'CLOSED', followUp: null });

    expect(typesOf(handle.workflowId)).toEqual([
      'RatingClockSet',
      'RatingClockSet',
      'RatingClockExpired',
      'RatingCalledBack',
      'RatingFixRecorded',
      'RatingAnswered',
      'RatingClockStopped',
      'RatingClockSet',
      'RatingClockExpired',
      'RatingFollowUpClosed',
    ]);
    // The rating's first event (seq 1) is recorded with the rating itself; the workflow numbers on from 2.
    expect(eventsOf(handle.workflowId).map((e) => e.seq)).toEqual(eventsOf(handle.workflowId).map((_, i) => i + 2));
    expect(callsOf(handle.workflowId)).toEqual([
      'computeRatingClock rating_callback',
      'computeRatingClock rating_rectification',
      'recordRatingEvents RatingClockSet,RatingClockSet',
      'recordRatingEvents RatingClockExpired',
      'recordRatingEvents RatingCalledBack',
      'recordRatingEvents RatingFixRecorded',
      'computeRatingClock rating_follow_up',
      'recordRatingEvents RatingAnswered,RatingClockStopped,RatingClockSet',
      'recordRatingEvents RatingClockExpired,RatingFollowUpClosed',
    ]);
    shortClocks.clear();
  }, 60_000);

  it('when the rated mediator asks for a review and the supervisor excludes the rating, then every clock is cancelled and the follow-up ends', async () => {
    const id = randomUUID();
    const handle = await startFollowUp(id);
    const mediator = { id: 'mediator-1', role: 'mediator' } as const;
    await ratingAct(handle, { type: 'request_review', actor: mediator, reason: '当事人因诉求未获支持而给予差评' });
    const excluded = await ratingAct(handle, {
      type: 'decide_review',
      actor: supervisor,
      outcome: 'excluded_malicious',
      reasons: '评价与办理情况不符',
    });
    expect(excluded.status).toBe('EXCLUDED');
    expect(Object.values(excluded.clocks).map((c) => c!.status)).toEqual(['cancelled', 'cancelled']);
    expect(((await handle.result()) as RatingFollowUpState).status).toBe('EXCLUDED');
    expect(callsOf(handle.workflowId).slice(-2)).toEqual([
      'recordRatingEvents RatingReviewRequested',
      'recordRatingEvents RatingReviewDecided,RatingClockStopped,RatingClockStopped',
    ]);
  }, 60_000);
});
