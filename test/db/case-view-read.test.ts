/**
 * The case record against the real PostgreSQL, as `record-batch-v1` writes it and as the case view reads it:
 * an action's events written in one call leave the chain, the case row, its deadlines and its facts as one call
 * per event left them; the view's incremental read gives what the full reads give.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { getCaseAccess, getCaseRecord } from '../../db/cases.js';
import { readCaseView } from '../../db/case-view-read.js';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { verifyCaseChain } from '../../db/event-chain.js';
import { createDb, type Db } from '../../db/knex.js';
import { readCaseState } from '../../db/workflow-state.js';
import type { CaseProjection } from '../../activities/index.js';
import type { Actor, CaseEvent, CaseIntake } from '../../domain/case.js';
import { decide, initialState, registration, registeredState, type CaseState } from '../../domain/case-rules.js';
import { fixedCalendarSource, loadHolidayCalendar } from '../../infra/calendar.js';
import { createFieldCipher } from '../../infra/crypto.js';
import { fictionalIdNumber } from '../support/fixtures.js';

let db: Db;
const cipher = createFieldCipher(randomBytes(32));
let activities: ReturnType<typeof createActivities>;
const clerk: Actor = { id: 'clerk-1', role: 'clerk' };

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
  activities = createActivities({
    db,
    cipher,
    calendars: fixedCalendarSource(loadHolidayCalendar()),
    documents: createPostgresDocumentStore(db),
    signingKey: randomBytes(32),
    publicBaseUrl: 'http://localhost:3000',
  });
});
afterAll(async () => {
  await db?.destroy();
});

function intake(receivedAt: string): CaseIntake {
  return {
    caseId: randomUUID(),
    receivedAt,
    channel: 'walk_in',
    disputeType: 'loan_debt',
    summary: '借款纠纷',
    claimantLearnedOfHarmOn: '2026-07-01',
    parties: [
      {
        partyId: randomUUID(),
        role: 'applicant',
        kind: 'natural',
        name: '张三',
        idNumber: fictionalIdNumber('445202', '19000101', '123'),
        phone: '17000001234',
      },
      { partyId: randomUUID(), role: 'respondent', kind: 'natural', name: '李四', phone: '17000005678' },
    ],
    registeredBy: clerk,
    routing: { intakeOrgId: 'center' },
  };
}

/** The case row as lists, queues and the workflow's state see it (the workflow's projection, case-run.ts). */
const projectionOf = (state: CaseState): CaseProjection => ({
  status: state.status,
  mediatorAccountId: state.assignment.mediatorId ?? null,
  handlingOrgId: state.assignment.orgId ?? null,
  legalAidRequested: state.screening.legalAid.status !== 'none',
  priorityGroups: state.screening.priorityGroups,
  terminationReason: state.termination?.reason ?? null,
  agreementEffectiveAt: state.agreement?.effectiveAt ?? null,
  deadlines: Object.values(state.deadlines).map((d) => ({ ...d, ruleId: d.ruleId })) as CaseProjection['deadlines'],
  state,
});

/**
 * A case registered, then accepted with its two clocks started: each step as the workflow makes it, the clocks
 * counted by the real activity. Returns the steps (events, and the state after each), for one case's id.
 */
async function acceptedCase(i: CaseIntake): Promise<{ event: CaseEvent; state: CaseState }[]> {
  const { caseNumber, limitation } = await activities.registerCase({
    intake: i,
    event: registration(i).event,
    workflowId: `wf-${i.caseId}`,
    state: initialState(i),
  });
  let state = registeredState(initialState(i), { caseNumber, limitation, seq: 1 });
  const at = new Date(Date.parse(i.receivedAt) + 60_000);
  const decision = decide(state, { type: 'accept', actor: clerk }, at);
  if (!decision.ok) throw new Error(decision.refusal.message);
  state = decision.state;
  const steps = decision.events.map((event) => ({ event, state }));
  for (const ruleId of ['general_mediation', 'party_mediator_choice'] as const) {
    const { deadline, reminderAt } = await activities.computeDeadline({ ruleId, startedAt: at.toISOString() });
    const seq = state.lastSeq + 1;
    state = {
      ...state,
      lastSeq: seq,
      deadlines: { ...state.deadlines, [ruleId]: { ...deadline, ruleId, status: 'open', reminderAt, reminded: false } },
    };
    const { dueAt, lastDay, calendarVersion, explanation } = deadline;
    steps.push({
      event: {
        seq,
        type: 'DeadlineSet',
        at: at.toISOString(),
        actor: { id: 'system', role: 'system' },
        payload: { ruleId, startedAt: at.toISOString(), dueAt, lastDay, calendarVersion, explanation },
      },
      state,
    });
  }
  return steps;
}

/** What a case's record holds, without what names the case (its id, its hashes, when rows were written). */
async function recordOf(caseId: string) {
  const events = await db('case_events').where({ case_id: caseId }).orderBy('seq');
  const row = await db('cases').where({ case_id: caseId }).first();
  const deadlines = await db('case_deadlines').where({ case_id: caseId }).orderBy('rule_id');
  const facts = await db('case_facts').where({ case_id: caseId }).first();
  const without = <T extends object>(o: T | undefined, keys: string[]) =>
    o && Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
  return {
    events: events.map((e) => without(e, ['case_id', 'hash', 'prev_hash', 'recorded_at'])),
    chain: await verifyCaseChain(db, caseId),
    // The row's last hash is its chain's head (the next append links to it).
    rowHoldsHead: row?.last_hash === events.at(-1)?.hash,
    row: without(row, [
      'last_hash',
      'case_id',
      'case_number',
      'workflow_id',
      'status_changed_at',
      'search_text',
      'created_at',
      'updated_at',
    ]),
    deadlines: deadlines.map((d) => without(d, ['case_id', 'updated_at'])),
    facts: without(facts, ['case_id', 'updated_at']),
  };
}

describe('an action recorded in one call', () => {
  it('when an action and its clocks are written in one call, then the chain, case row, deadlines and facts are those one call per event wrote', async () => {
    const receivedAt = new Date().toISOString();
    const one = intake(receivedAt);
    // The same case under other ids: same parties, same intake time.
    const batched = {
      ...one,
      caseId: randomUUID(),
      parties: one.parties.map((p) => ({ ...p, partyId: randomUUID() })),
    };
    const renamed: [string, string][] = [
      [one.caseId, batched.caseId],
      ...one.parties.map((p, k): [string, string] => [p.partyId, batched.parties[k]!.partyId]),
    ];
    const sameCase = (x: unknown) =>
      JSON.parse(renamed.reduce((json, [from, to]) => json.replaceAll(from, to), JSON.stringify(x)));
    const perEvent = await acceptedCase(one);
    for (const { event, state } of perEvent)
      await activities.recordCaseEvents({
        caseId: one.caseId,
        events: [event],
        status: state.status,
        projection: projectionOf(state),
      });
    const steps = await acceptedCase(batched);
    const last = steps.at(-1)!.state;
    const input = {
      caseId: batched.caseId,
      events: steps.map((s) => s.event),
      status: last.status,
      projection: projectionOf(last),
    };
    await activities.recordCaseEvents(input);
    // A retried batch (its first attempt timed out after committing) appends nothing twice.
    await activities.recordCaseEvents(input);

    const [a, b] = [await recordOf(one.caseId), await recordOf(batched.caseId)];
    const numberOf = async (caseId: string) => (await db('cases').where({ case_id: caseId }).first())!.case_number;
    renamed.push([await numberOf(one.caseId), await numberOf(batched.caseId)]);
    expect(b.chain).toEqual({ ok: true, events: 4 });
    expect([a.rowHoldsHead, b.rowHoldsHead]).toEqual([true, true]);
    expect(sameCase(a.events)).toEqual(sameCase(b.events));
    expect(sameCase(a.deadlines)).toEqual(sameCase(b.deadlines));
    expect(sameCase(a.facts)).toEqual(sameCase(b.facts));
    expect(sameCase(a.row)).toEqual(sameCase(b.row));
  });
});

describe('the case view read', () => {
  it('when events are recorded after a case was read, then the next read gives what the full reads give', async () => {
    const i = intake(new Date().toISOString());
    const steps = await acceptedCase(i);
    const first = await readCaseView(db, cipher, i.caseId);
    expect(first?.record.events.map((e) => e.seq)).toEqual([1]);
    for (const { event, state } of steps)
      await activities.recordCaseEvents({
        caseId: i.caseId,
        events: [event],
        status: state.status,
        projection: projectionOf(state),
      });
    const read = await readCaseView(db, cipher, i.caseId);
    expect(read?.record).toEqual(await getCaseRecord(db, cipher, i.caseId));
    expect(read?.record.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(read?.access).toEqual(await getCaseAccess(db, i.caseId));
    expect(read?.recorded).toEqual(await readCaseState(db, i.caseId));
    expect(read?.recorded?.current).toBe(true);
  });

  it('when no case has the id, then there is nothing to read', async () => {
    expect(await readCaseView(db, cipher, randomUUID())).toBeUndefined();
  });
});
