/** Activities against the real PostgreSQL: retried writes change nothing, the chain detects tampering. */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { verifyCaseChain } from '../../db/event-chain.js';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { createDb, type Db } from '../../db/knex.js';
import type { Actor, CaseIntake } from '../../domain/case.js';
import { registration } from '../../domain/case-rules.js';
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

function intake(): CaseIntake {
  return {
    caseId: randomUUID(),
    receivedAt: new Date().toISOString(),
    channel: 'online',
    disputeType: 'property_management',
    summary: '物业费纠纷',
    claimantLearnedOfHarmOn: '2026-01-10',
    parties: [
      {
        partyId: randomUUID(),
        role: 'applicant',
        kind: 'natural',
        name: '王五',
        idNumber: fictionalIdNumber('445202', '19000303', '789'),
        phone: '17000009999',
      },
      {
        partyId: randomUUID(),
        role: 'respondent',
        kind: 'legal',
        name: '某某物业服务有限公司',
        creditCode: '91445200MA4UXXXX0X',
      },
    ],
    registeredBy: clerk,
    routing: { intakeOrgId: 'center' },
  };
}

describe('recording a case', () => {
  it('when registration is retried, then one case, one set of parties, one event and one number exist', async () => {
    const i = intake();
    const input = { intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` };
    const results = await Promise.all([
      activities.registerCase(input),
      activities.registerCase(input),
      activities.registerCase(input),
    ]);
    expect(new Set(results.map((r) => r.caseNumber)).size).toBe(1);
    expect(await db('cases').where({ case_id: i.caseId }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await db('case_parties').where({ case_id: i.caseId }).count({ n: '*' })).toEqual([{ n: 2 }]);
    expect(await db('case_events').where({ case_id: i.caseId }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('when an event is recorded twice, then it is stored once and the chain verifies', async () => {
    const i = intake();
    await activities.registerCase({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });
    const accepted = { seq: 2, type: 'CaseAccepted', at: new Date().toISOString(), actor: clerk, payload: {} };
    await activities.recordCaseEvents({ caseId: i.caseId, events: [accepted], status: 'PENDING_ASSIGNMENT' });
    await activities.recordCaseEvents({ caseId: i.caseId, events: [accepted], status: 'PENDING_ASSIGNMENT' });
    expect(await verifyCaseChain(db, i.caseId)).toEqual({ ok: true, events: 2 });
    expect((await db('cases').where({ case_id: i.caseId }).first())?.status).toBe('PENDING_ASSIGNMENT');
  });

  it('when a case row holds no last hash, or one an older worker left behind its last event, then the next event still links to the chain', async () => {
    const i = intake();
    await activities.registerCase({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });
    // Recorded before the hash was kept on the row (the migration fills none).
    await db('cases').where({ case_id: i.caseId }).update({ last_hash: null, last_hash_seq: null });
    const event = (seq: number) => ({
      seq,
      type: 'CaseAccepted',
      at: new Date().toISOString(),
      actor: clerk,
      payload: {},
    });
    await activities.recordCaseEvents({ caseId: i.caseId, events: [event(2)], status: 'PENDING_ASSIGNMENT' });
    expect(await verifyCaseChain(db, i.caseId)).toEqual({ ok: true, events: 2 });
    // An older worker, during an upgrade, appends event 3 and moves last_seq, leaving the hash of event 2 on the row.
    const second = await db('case_events').where({ case_id: i.caseId, seq: 2 }).first('hash');
    await activities.recordCaseEvents({ caseId: i.caseId, events: [event(3)], status: 'PENDING_ASSIGNMENT' });
    await db('cases').where({ case_id: i.caseId }).update({ last_hash: second!.hash, last_hash_seq: 2 });
    await activities.recordCaseEvents({ caseId: i.caseId, events: [event(4)], status: 'PENDING_ASSIGNMENT' });
    expect(await verifyCaseChain(db, i.caseId)).toEqual({ ok: true, events: 4 });
    const head = await db('case_events').where({ case_id: i.caseId, seq: 4 }).first('hash');
    expect(await db('cases').where({ case_id: i.caseId }).first('last_hash', 'last_hash_seq')).toEqual({
      last_hash: head?.hash,
      last_hash_seq: 4,
    });
  });

  it('when an event would leave a gap in the sequence, then it is refused', async () => {
    const i = intake();
    await activities.registerCase({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });
    const gap = { seq: 3, type: 'CaseAccepted', at: new Date().toISOString(), actor: clerk, payload: {} };
    await expect(
      activities.recordCaseEvents({ caseId: i.caseId, events: [gap], status: 'PENDING_ASSIGNMENT' }),
    ).rejects.toThrow(/gap/);
  });

  it('when someone edits or deletes a stored event, then the database refuses', async () => {
    const i = intake();
    await activities.registerCase({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });
    await expect(db('case_events').where({ case_id: i.caseId }).update({ type: 'Forged' })).rejects.toThrow(
      /append-only/,
    );
    await expect(db('case_events').where({ case_id: i.caseId }).delete()).rejects.toThrow(/append-only/);
    await expect(
      db('cases')
        .where({ case_id: i.caseId })
        .update({ received_at: new Date(0) }),
    ).rejects.toThrow(/immutable/);
  });

  it('when a stored event is altered behind the triggers, then verification finds where', async () => {
    const i = intake();
    await activities.registerCase({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });
    await activities.recordCaseEvents({
      caseId: i.caseId,
      events: [{ seq: 2, type: 'CaseAccepted', at: new Date().toISOString(), actor: clerk, payload: { note: 'ok' } }],
      status: 'PENDING_ASSIGNMENT',
    });
    await db.transaction(async (tx) => {
      await tx.raw('ALTER TABLE case_events DISABLE TRIGGER case_events_append_only');
      await tx('case_events')
        .where({ case_id: i.caseId, seq: 1 })
        .update({ payload: { channel: 'walk_in' } });
      await tx.raw('ALTER TABLE case_events ENABLE TRIGGER case_events_append_only');
    });
    expect(await verifyCaseChain(db, i.caseId)).toMatchObject({
      ok: false,
      brokenAt: 1,
      why: 'content does not match its hash',
    });
  });
});

describe('agreement drafts', () => {
  it('when a draft version was stored but never recorded, then the next save of that version replaces it', async () => {
    const i = intake();
    await activities.registerCase({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });
    const content = (facts: string) => ({
      facts,
      terms: [{ text: '被申请人于2026年12月31日前支付物业费。', amountFen: 120_000, dueDate: '2026-12-31' }],
    });
    const orphan = await activities.storeAgreementDraft({
      caseId: i.caseId,
      version: 1,
      form: 'written',
      content: content('未被记录的草稿'),
      createdBy: 'm1',
    });
    const real = await activities.storeAgreementDraft({
      caseId: i.caseId,
      version: 1,
      form: 'written',
      content: content('调解员重新起草'),
      createdBy: 'm2',
    });
    const retried = await activities.storeAgreementDraft({
      caseId: i.caseId,
      version: 1,
      form: 'written',
      content: content('调解员重新起草'),
      createdBy: 'm2',
    });
    expect(real.sha256).not.toBe(orphan.sha256);
    expect(retried).toEqual(real);
    const rows = await db('agreement_drafts').where({ case_id: i.caseId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sha256: real.sha256, created_by: 'm2' });
  });
});
