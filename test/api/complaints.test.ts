/**
 * Complaints end to end (docs/supervision.md#complaints), on the real Temporal dev server and PostgreSQL: every
 * clock is counted on the real holiday calendar and run on a clock whose day lasts two seconds (the real lengths
 * are table-tested in test/domain/complaints.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeComplaintClock } from '../../domain/complaints.js';
import { upheldComplaintsAgainst, verifyComplaintChain } from '../../db/complaints.js';
import { calendarOfVersion } from '../support/deadlines.js';
import type { Credentials, Stack } from '../support/stack.js';
import {
  actOnCase,
  pollUntil,
  registerTwoPartyCase,
  supervisionStack,
  type PartySeries,
  type TwoPartyCase,
} from '../support/supervision.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};
/** The case complained about (mediated by 吴国栋), and another case whose party is a stranger to it. */
let caseA: TwoPartyCase;
let stranger: Credentials;

const FACTS = '调解员在调解中多次打断申请人陈述，并暗示申请人接受对方方案';
const PARTIES: PartySeries = { births: ['1900030', '1900040'], phones: ['1700077000', '1700088000'] };

const registerCase = (n: number) => registerTwoPartyCase(stack, who['clerk.chen'], PARTIES, n);

beforeAll(async () => {
  const started = await supervisionStack([
    'clerk.chen',
    'clerk.lin',
    'mediator.wu',
    'mediator.zhou',
    'supervisor.zheng',
  ]);
  stack = started.stack;
  Object.assign(who, started.who);
  Object.assign(accountId, started.accountId);
  caseA = await registerCase(1);
  const act = (as: Credentials, path: string, body: unknown = {}) => actOnCase(stack, as, caseA.caseId, path, body);
  await act(who['clerk.chen'], 'accept');
  await act(who['clerk.chen'], 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  await act(who['mediator.wu'], 'mediator/accept');
  who.applicant = await stack.partyLogin(who['clerk.chen'], caseA.caseId, caseA.applicant);
  const caseB = await registerCase(2);
  stranger = await stack.partyLogin(who['clerk.chen'], caseB.caseId, caseB.applicant);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const supervisor = () => who['supervisor.zheng'];
/** A case's number (案号) as the case file shows it to the supervisor. */
const caseNumberOf = async (caseId: string) =>
  (await stack.send(supervisor(), 'GET', `/cases/${caseId}`)).body.caseNumber as string;
/** A complaint's row in a person's list (GET /complaints). */
const listedFor = async (as: Credentials, id: string) =>
  (await stack.send(as, 'GET', '/complaints')).body.complaints.find(
    (c: { complaintId: string }) => c.complaintId === id,
  );
const act = (as: Credentials, complaintId: string, path: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/complaints/${complaintId}/${path}`, body);

describe('a complaint from filing to feedback', () => {
  it('when a party complains about the mediator, then it runs through the one-time notice, acceptance, an upheld decision, the answer and feedback, and the upheld outcome is on record for the credit file', async () => {
    const filed = await stack.send(who.applicant, 'POST', `/cases/${caseA.caseId}/complaints`, {
      ground: 'partiality',
      facts: FACTS,
      request: '批评教育调解员',
      replyChannel: 'sms',
      target: { kind: 'mediator' },
    });
    expect(filed.status, filed.text).toBe(201);
    const c = filed.body.complaint;
    expect(c).toMatchObject({
      status: 'FILED',
      channel: 'portal',
      target: { id: accountId['mediator.wu'], mediatorKind: 'people' },
    });
    expect(c.trackingNumber).toMatch(/^（\d{4}）揭司投字第\d{4}号$/);
    expect(c.clocks.map((k: { clockId: string; status: string }) => [k.clockId, k.status])).toEqual([
      ['complaint_acceptance', 'open'],
    ]);
    const id = c.complaintId as string;

    // Before acceptance the mediator complained about does not see it; a stranger never does.
    expect((await stack.send(who['mediator.wu'], 'GET', `/complaints/${id}`)).status).toBe(404);
    const listed = (await stack.send(who['mediator.wu'], 'GET', '/complaints')).body.complaints;
    expect(listed.map((l: { complaintId: string }) => l.complaintId)).not.toContain(id);
    expect((await stack.send(stranger, 'GET', `/complaints/${id}`)).status).toBe(404);

    const noticed = await act(supervisor(), id, 'notice', { missing: ['调解笔录复印件'] });
    expect(noticed.body).toMatchObject({ status: 'AWAITING_SUPPLEMENT', notice: { missing: ['调解笔录复印件'] } });
    const supplemented = await act(who.applicant, id, 'supplement', {
      text: '补交调解笔录复印件',
      evidenceRefs: ['调解笔录复印件一份'],
    });
    expect(supplemented.status, supplemented.text).toBe(200);
    expect(supplemented.body.status).toBe('FILED');
    // 一次性告知: a second notice is refused with its source.
    const again = await act(supervisor(), id, 'notice', { missing: ['身份证明'] });
    expect([again.status, again.body.rule]).toEqual([422, 'notice_already_issued']);

    expect((await act(supervisor(), id, 'acceptance')).body.status).toBe('ACCEPTED');
    await expectTargetView(id);

    expect((await act(supervisor(), id, 'investigator', { accountId: accountId['clerk.chen'] })).status).toBe(200);
    expect((await act(who['clerk.chen'], id, 'findings', { findings: '经调查，调解员确有打断陈述情形' })).status).toBe(
      200,
    );
    const extended = await act(supervisor(), id, 'extension', { days: 30, approvedBy: '郑国平', reason: '需调取录音' });
    expect(
      extended.body.clocks.find((k: { clockId: string }) => k.clockId === 'complaint_decision').extensionDays,
    ).toBe(30);
    const wrongSanction = await act(supervisor(), id, 'decision', {
      upheld: true,
      outcome: 'removal',
      reasons: '属实',
    });
    expect([wrongSanction.status, wrongSanction.body.rule]).toEqual([422, 'outcome_not_for_target']);
    const decided = await act(supervisor(), id, 'decision', {
      upheld: true,
      outcome: 'criticism_education',
      reasons: '投诉属实',
    });
    expect(decided.body).toMatchObject({ status: 'DECIDED', decision: { upheld: true, outcomeLabel: '批评教育' } });
    expect(
      (await act(supervisor(), id, 'answer', { channel: 'sms', text: '经调查投诉属实，已对调解员批评教育' })).body
        .status,
    ).toBe('ANSWERED');

    const mine = await stack.send(who.applicant, 'GET', `/complaints/${id}`);
    expect(mine.body.findings).toBeUndefined(); // the internal findings are not the complainant's
    // Their own case, by its number, in the complaint and in their list.
    const caseNumber = await caseNumberOf(caseA.caseId);
    expect(mine.body.caseNumber).toBe(caseNumber);
    expect((await listedFor(who.applicant, id)).caseNumber).toBe(caseNumber);
    expect((await listedFor(supervisor(), id)).caseNumber).toBe(caseNumber);
    expect(mine.body.actions).toEqual(['give_feedback']);
    const closed = await act(who.applicant, id, 'feedback', { satisfied: true });
    expect(closed.body).toMatchObject({ status: 'CLOSED', feedback: { satisfied: true } });

    expect(await upheldComplaintsAgainst(stack.db, { kind: 'mediator', id: accountId['mediator.wu']! })).toEqual([
      expect.objectContaining({ complaintId: id, outcome: 'criticism_education' }),
    ]);
    await expectChain(id);
  }, 120_000);

  it('when a stranger to the case files about it, then 404; when a mediator does, then 403', async () => {
    const body = {
      ground: 'attitude',
      facts: '态度差',
      request: '道歉',
      replyChannel: 'sms',
      target: { kind: 'organization' },
    };
    expect((await stack.send(stranger, 'POST', `/cases/${caseA.caseId}/complaints`, body)).status).toBe(404);
    expect((await stack.send(who['mediator.wu'], 'POST', `/cases/${caseA.caseId}/complaints`, body)).status).toBe(403);
  });
});

/** The target reads what is alleged and what was decided, never who complained or how to reach them; it cannot act. */
async function expectTargetView(id: string) {
  const seen = await stack.send(who['mediator.wu'], 'GET', `/complaints/${id}`);
  expect(seen.status).toBe(200);
  expect(seen.body).toMatchObject({ status: 'ACCEPTED', facts: FACTS, actions: [] });
  for (const hidden of ['complainant', 'replyChannel', 'evidenceRefs', 'findings', 'supplements', 'feedback'])
    expect(seen.body).not.toHaveProperty(hidden);
  expect(seen.text).not.toContain(caseA.applicant);
  // The case's own mediator may see the case: its number is there, as in their queue.
  const caseNumber = await caseNumberOf(caseA.caseId);
  expect(seen.body.caseNumber).toBe(caseNumber);
  const listed = (await stack.send(who['mediator.wu'], 'GET', '/complaints')).body.complaints;
  expect(listed.map((l: { complaintId: string }) => l.complaintId)).toContain(id);
  expect((await listedFor(who['mediator.wu'], id)).caseNumber).toBe(caseNumber);
  expect((await act(who['mediator.wu'], id, 'decision', { upheld: false, reasons: '不属实' })).status).toBe(403);
}

/** The complaint's chain verifies, records each step, and holds none of the free text. */
async function expectChain(id: string) {
  expect(await verifyComplaintChain(stack.db, id)).toMatchObject({ ok: true });
  const events = await stack.db('complaint_events').where({ complaint_id: id }).orderBy('seq');
  expect(events.map((e) => e.type).filter((t) => !t.startsWith('ComplaintClock'))).toEqual([
    'ComplaintFiled',
    'ComplaintNoticeIssued',
    'ComplaintSupplemented',
    'ComplaintAccepted',
    'ComplaintInvestigatorAssigned',
    'ComplaintFindingsRecorded',
    'ComplaintDecisionExtended',
    'ComplaintDecided',
    'ComplaintUpheld',
    'ComplaintAnswered',
    'ComplaintFeedbackGiven',
  ]);
  expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(FACTS);
}

describe('complaints a clerk records', () => {
  it('when the same party complains again about the same organization, then the second is merged into the open one', async () => {
    const body = {
      ground: 'delay',
      facts: '受理后迟迟未安排调解',
      request: '尽快安排',
      replyChannel: 'phone',
      target: { kind: 'organization' },
      forPartyId: caseA.respondent,
    };
    const noChannel = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseA.caseId}/complaints`, body);
    expect([noChannel.status, noChannel.body.errors?.[0]?.field]).toEqual([400, 'channel']);
    const first = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseA.caseId}/complaints`, {
      ...body,
      channel: 'phone',
    });
    expect(first.status, first.text).toBe(201);
    const again = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseA.caseId}/complaints`, {
      ...body,
      channel: 'letter',
      facts: '来信再次反映迟迟未安排调解',
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.merged).toBe(true);
    expect(again.body.complaint.complaintId).toBe(first.body.complaint.complaintId);
    expect(again.body.complaint.repeats).toEqual([
      expect.objectContaining({ channel: 'letter', facts: '来信再次反映迟迟未安排调解' }),
    ]);
  });

  it('when nobody accepts a complaint within its clock, then the supervisor sees it overdue, with the due day counted on the calendar', async () => {
    const filed = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseA.caseId}/complaints`, {
      ground: 'attitude',
      facts: '窗口工作人员态度生硬',
      request: '批评教育',
      replyChannel: 'letter',
      target: { kind: 'staff', accountId: accountId['clerk.lin'] },
      forPartyId: caseA.applicant,
      channel: 'in_person',
    });
    expect(filed.status, filed.text).toBe(201);
    const id = filed.body.complaint.complaintId as string;
    const overdue = await untilOverdue(id);
    expect(overdue).toEqual(['complaint_acceptance']);
    const seen = (await stack.send(supervisor(), 'GET', `/complaints/${id}`)).body;
    const clock = seen.clocks.find((k: { clockId: string }) => k.clockId === 'complaint_acceptance');
    expect(clock.status).toBe('expired');
    const counted = computeComplaintClock(
      'complaint_acceptance',
      clock.startedAt,
      await calendarOfVersion(stack.db, clock.calendarVersion),
    );
    expect(clock.lastDay).toBe(counted.lastDay);
    // Late is still possible: the supervisor accepts, and the decision clock starts.
    expect((await act(supervisor(), id, 'acceptance')).body.status).toBe('ACCEPTED');
  }, 120_000);
});

describe('the case number', () => {
  it('when a member of staff who may not see the case is complained about, then once accepted they read the complaint without the case’s number, and the supervisor with it', async () => {
    const filed = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseA.caseId}/complaints`, {
      ground: 'attitude',
      facts: '电话咨询时工作人员态度冷淡',
      request: '批评教育',
      replyChannel: 'phone',
      // 周秀英 mediates other cases, not this one (domain/access-policy.ts canView: a mediator sees their own).
      target: { kind: 'staff', accountId: accountId['mediator.zhou'] },
      forPartyId: caseA.applicant,
      channel: 'phone',
    });
    expect(filed.status, filed.text).toBe(201);
    const id = filed.body.complaint.complaintId as string;
    expect((await act(supervisor(), id, 'acceptance')).body.status).toBe('ACCEPTED');
    const caseNumber = await caseNumberOf(caseA.caseId);
    expect((await stack.send(who['mediator.zhou'], 'GET', `/cases/${caseA.caseId}`)).status).toBe(404);

    const seen = await stack.send(who['mediator.zhou'], 'GET', `/complaints/${id}`);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body).not.toHaveProperty('caseNumber');
    expect(seen.text).not.toContain(caseNumber);
    const listed = await stack.send(who['mediator.zhou'], 'GET', '/complaints');
    expect(listed.body.complaints.map((c: { complaintId: string }) => c.complaintId)).toContain(id);
    expect(listed.text).not.toContain(caseNumber);

    expect((await stack.send(supervisor(), 'GET', `/complaints/${id}`)).body.caseNumber).toBe(caseNumber);
    expect((await listedFor(who['clerk.chen'], id)).caseNumber).toBe(caseNumber);
  }, 60_000);
});

/** Polls the supervisor's list, as the supervisor would refresh it, until the complaint shows an overdue clock. */
const untilOverdue = (id: string) =>
  pollUntil(async () => {
    const list = await stack.send(supervisor(), 'GET', '/complaints');
    const row = list.body.complaints.find((c: { complaintId: string }) => c.complaintId === id);
    const events = await stack.db('complaint_events').where({ complaint_id: id, type: 'ComplaintClockExpired' });
    return row?.overdue.length && events.length > 0 ? (row.overdue as string[]) : undefined;
  }, `complaint ${id} to become overdue`);
