/**
 * What each role's 工作台 reads from the queue: the counters counted by the database in the queue's own scope
 * and conditions (临期 in working days on the holiday calendar), the clocks with their countdowns (the
 * mediator's 3 working days to accept, legal aid's 7 and 3 days), the court's letter, and a court's two lists
 * (what it delegated, what it was asked to confirm). A database of this file's own, so the counts are exactly
 * this file's cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateOf } from '../../domain/calendar.js';
import { effectiveAgreement } from '../support/drive.js';
import { courtDelegation, datesAhead, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};
const made: Record<string, string> = {};
const COURT_CASE_NUMBER = '(2026)粤5202民诉前调88号';
const courtDeadline = datesAhead(20).date;

type Clock = {
  ruleId: string;
  status: string;
  dueAt: string | null;
  lastDay: string | null;
  daysLeft: { n: number; unit: string } | null;
};
type Row = {
  caseId: string;
  status: string;
  nextDue: { ruleId: string; dueAt: string; near: boolean } | null;
  clocks: Clock[];
  court: Record<string, unknown> | null;
  processes: { kind: string; institutionId: string; status: string }[];
  legalAid?: { status: string; staffAssigned: boolean } | null;
};
type Counts = {
  pendingAcceptance: number;
  pendingAssignment: number;
  pendingMediatorAcceptance: number;
  nearDue: number;
  overdue: number;
};

beforeAll(async () => {
  stack = await startStack({ ownDatabase: true });
  const staff = await stack.loginAll([
    'clerk.chen',
    'mediator.wu',
    'supervisor.zheng',
    'legalaid.xu',
    'court5202.li',
    'notary.cai',
  ]);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
  who.court = { apiKey: stack.apiKeys['court-5202']! };
  const clerk = who['clerk.chen']!;
  const act = async (as: Credentials, caseId: string, path: string, body: unknown = {}) => {
    const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res.body;
  };
  const mk = async (name: string, body: Record<string, unknown>, as: Credentials = clerk) => {
    const res = await stack.send(as, 'POST', '/cases', body);
    expect(res.status, res.text).toBe(201);
    made[name] = res.body.caseId;
    return res.body;
  };
  // Registered only (待受理).
  await mk('registered', partyApplication());
  // Accepted: the parties' 2 working days to choose (待分派, 临期).
  await act(clerk, (await mk('assigning', partyApplication())).caseId, 'accept');
  // Assigned to 吴国栋: his 3 working days to accept (待调解员确认, 临期).
  const pending = await mk('pendingAcceptance', partyApplication());
  await act(clerk, pending.caseId, 'accept');
  await act(clerk, pending.caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  // Delegated by court 5202 through its API key, with its case number and its own date.
  await mk(
    'delegated',
    courtDelegation({
      court: {
        courtCode: '粤5202',
        courtName: '揭阳市榕城区人民法院',
        courtCaseNumber: COURT_CASE_NUMBER,
        letterNumber: '榕法委派〔2026〕88号',
        deadline: courtDeadline,
      },
    }),
    who.court,
  );
  // A legal-aid application: 7 days to decide (法律援助法 Art 43).
  const aid = await mk('legalAid', partyApplication());
  await act(clerk, aid.caseId, 'legal-aid', {
    partyId: aid.parties[0].partyId,
    basis: 'local_aged_75',
    selfDeclaration: true,
  });
  // An effective agreement whose judicial confirmation is asked of court 5202 (not the court that delegated it).
  const { caseId, applicant, respondent } = await effectiveAgreement(stack, { intake: partyApplication() });
  made.confirming = caseId;
  await act(clerk, caseId, 'judicial-confirmation', { venueGround: 'party_domicile', courtCode: '粤5202' });
  await act(clerk, caseId, 'judicial-confirmation/signatures', { partyId: applicant, method: 'handwritten' });
  await act(clerk, caseId, 'judicial-confirmation/signatures', { partyId: respondent, method: 'handwritten' });
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

async function all(as: Credentials, query = ''): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const res = await stack.send(as, 'GET', `/queues/cases?limit=50${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, res.text).toBe(200);
    rows.push(...res.body.cases);
    cursor = res.body.nextCursor;
  } while (cursor);
  return rows;
}
const ids = (rows: Row[]) => rows.map((r) => r.caseId);
async function counts(as: Credentials): Promise<Counts> {
  const res = await stack.send(as, 'GET', '/queues/cases/counts');
  expect(res.status, res.text).toBe(200);
  return res.body.counts;
}

describe('the counters', () => {
  it('when each role reads its counters, then each is the number of cases its queue lists with the same filter', async () => {
    for (const name of [
      'clerk.chen',
      'mediator.wu',
      'supervisor.zheng',
      'legalaid.xu',
      'court5202.li',
      'notary.cai',
      'court',
    ]) {
      const as = who[name]!;
      const c = await counts(as);
      expect(c.pendingAcceptance, name).toBe((await all(as, '&status=REGISTERED')).length);
      expect(c.pendingAssignment, name).toBe((await all(as, '&status=PENDING_ASSIGNMENT')).length);
      expect(c.pendingMediatorAcceptance, name).toBe((await all(as, '&status=PENDING_MEDIATOR_ACCEPT')).length);
      expect(c.nearDue, name).toBe((await all(as, '&dueWithinWorkingDays=3&overdue=false')).length);
      expect(c.overdue, name).toBe((await all(as, '&overdue=true')).length);
    }
    const clerk = await counts(who['clerk.chen']!);
    expect(clerk.pendingAcceptance).toBeGreaterThanOrEqual(2); // the registered case and the court's
    expect(clerk.nearDue).toBeGreaterThanOrEqual(2); // the parties' 2 and the mediator's 3 working days
    expect(await counts(who['mediator.wu']!)).toMatchObject({ pendingAcceptance: 0, pendingMediatorAcceptance: 1 });
  });

  it('when the counters are read, then 临期 ends at 24:00 China time of the third working day ahead', async () => {
    const res = await stack.send(who['clerk.chen']!, 'GET', '/queues/cases/counts');
    expect(res.body.nearDueWorkingDays).toBe(3);
    const until = new Date(res.body.nearDueBy);
    expect(until.getTime()).toBeGreaterThan(Date.now() + 3 * 86_400_000 - 86_400_000);
    // 24:00 in China is 16:00 UTC.
    expect(until.toISOString()).toMatch(/T16:00:00\.000Z$/);
  });

  it('when a next deadline passes, then the case counts as 超期 and no longer as 临期, and the queue lists it so', async () => {
    const before = await counts(who['clerk.chen']!);
    const past = new Date(Date.now() - 3600_000);
    await stack
      .db('cases')
      .where({ case_id: made.assigning })
      .update({ next_due_at: past, due_sort: past } as never);
    const after = await counts(who['clerk.chen']!);
    expect(after.overdue).toBe(before.overdue + 1);
    expect(after.nearDue).toBe(before.nearDue - 1);
    expect(ids(await all(who['clerk.chen']!, '&overdue=true'))).toContain(made.assigning);
    const near = await all(who['clerk.chen']!, '&dueWithinWorkingDays=3&overdue=false');
    expect(ids(near)).not.toContain(made.assigning);
    expect(near.every((r) => r.nextDue?.near)).toBe(true);
  });

  it('when a party asks for the counters, then it is refused', async () => {
    const view = await stack.send(who['clerk.chen']!, 'GET', `/cases/${made.registered}`);
    const party = await stack.partyLogin(who['clerk.chen']!, made.registered!, view.body.parties[0].partyId);
    expect((await stack.send(party, 'GET', '/queues/cases/counts')).status).toBe(403);
  });
});

describe("each role's list", () => {
  it("when the mediator reads the cases awaiting their acceptance, then each carries the 3 working days' countdown (在线调解规则 Art 12)", async () => {
    const rows = await all(who['mediator.wu']!, '&status=PENDING_MEDIATOR_ACCEPT');
    expect(ids(rows)).toEqual([made.pendingAcceptance]);
    const clock = rows[0]!.clocks.find((c) => c.ruleId === 'mediator_acceptance')!;
    expect(clock).toMatchObject({ status: 'open', daysLeft: { unit: 'working_days' } });
    expect(clock.daysLeft!.n).toBeGreaterThanOrEqual(2);
    expect(clock.daysLeft!.n).toBeLessThanOrEqual(3);
    expect(clock.lastDay! > chinaDateOf(new Date())).toBe(true);
    expect(rows[0]!.nextDue).toMatchObject({ near: true });
  });

  it("when the court's case is in a queue, then the row carries its case number, letter and date, and the court's two lists divide its cases", async () => {
    const row = (await all(who['clerk.chen']!)).find((r) => r.caseId === made.delegated)!;
    expect(row.court).toMatchObject({
      courtCaseNumber: COURT_CASE_NUMBER,
      letterNumber: '榕法委派〔2026〕88号',
      deadline: courtDeadline,
    });
    expect(row.clocks.map((c) => c.ruleId)).toContain('court_letter_deadline');
    for (const court of [who.court!, who['court5202.li']!]) {
      const delegated = ids(await all(court, '&courtScope=delegated'));
      const confirmation = await all(court, '&courtScope=confirmation');
      expect(delegated).toContain(made.delegated);
      expect(delegated).not.toContain(made.confirming);
      expect(ids(confirmation)).toEqual([made.confirming]);
      expect(confirmation[0]!.processes).toEqual([
        expect.objectContaining({ kind: 'judicial_confirmation', institutionId: 'court-5202', status: 'SUBMITTED' }),
      ]);
      expect(confirmation[0]!.clocks.map((c) => c.ruleId)).toContain('court_confirmation_acceptance');
      expect(ids(await all(court))).toEqual(expect.arrayContaining([made.delegated, made.confirming]));
    }
    const refused = await stack.send(who['clerk.chen']!, 'GET', '/queues/cases?courtScope=delegated');
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'courtScope' });
    const saved = await stack.send(who['clerk.chen']!, 'POST', '/me/saved-filters', {
      name: '法院委派',
      filter: { courtScope: 'delegated' },
    });
    expect(saved.status).toBe(400);
  });

  it("when the legal-aid officer reads the applications, then each carries where it stands and the 7 days' countdown; a court never sees legal aid's clocks", async () => {
    const row = (await all(who['legalaid.xu']!)).find((r) => r.caseId === made.legalAid)!;
    expect(row.legalAid).toEqual({ status: 'applied', staffAssigned: false });
    const decision = row.clocks.find((c) => c.ruleId === 'legal_aid_decision')!;
    expect(decision.daysLeft).toMatchObject({ unit: 'calendar_days' });
    expect(decision.daysLeft!.n).toBeGreaterThanOrEqual(6);
    const court = await all(who.court!);
    expect(court.flatMap((r) => r.clocks.map((c) => c.ruleId))).not.toContain('legal_aid_decision');
    expect(court.every((r) => !('legalAid' in r))).toBe(true);
  });

  it('when a filter with the working-day and overdue conditions is saved, then it is kept as the queue takes it', async () => {
    const saved = await stack.send(who['clerk.chen']!, 'POST', '/me/saved-filters', {
      name: '临期未超期',
      filter: { dueWithinWorkingDays: 3, overdue: false },
    });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.body.filter).toEqual({ dueWithinWorkingDays: '3', overdue: 'false' });
    const court = await stack.send(who['court5202.li']!, 'POST', '/me/saved-filters', {
      name: '司法确认',
      filter: { courtScope: 'confirmation' },
    });
    expect(court.status, court.text).toBe(201);
  });
});
