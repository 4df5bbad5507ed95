/**
 * Ratings end to end (docs/supervision.md#ratings), on the real Temporal dev server and PostgreSQL: every follow-up
 * clock is counted on the real holiday calendar and run on a clock whose day lasts two seconds (the real lengths are
 * table-tested in test/domain/ratings.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../api/openapi.js';
import { recordActivities } from '../../activities/record.js';
import type { CaseEvent } from '../../domain/case.js';
import { computeRatingClock } from '../../domain/ratings.js';
import { confirmedNegativeRatingsAgainst, ratingSummary, verifyRatingChain } from '../../db/ratings.js';
import { databaseCalendarSource } from '../../infra/calendar.js';
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
/** A: mediated by 吴国栋 and terminated; B: not accepted (不予受理); open: still registered. */
let caseA: TwoPartyCase;
let caseB: TwoPartyCase;
let caseOpen: TwoPartyCase;

const TEXT = '调解员多次打断我的陈述，态度生硬';
const PARTIES: PartySeries = { births: ['1900050', '1900060'], phones: ['1700066100', '1700066200'] };

const registerCase = (n: number) => registerTwoPartyCase(stack, who['clerk.chen'], PARTIES, n);
const caseAct = (as: Credentials, caseId: string, path: string, body: unknown = {}) =>
  actOnCase(stack, as, caseId, path, body);

beforeAll(async () => {
  const started = await supervisionStack(['clerk.chen', 'mediator.wu', 'mediator.zhou', 'supervisor.zheng']);
  stack = started.stack;
  Object.assign(who, started.who);
  Object.assign(accountId, started.accountId);
  caseA = await registerCase(1);
  await caseAct(who['clerk.chen'], caseA.caseId, 'accept');
  await caseAct(who['clerk.chen'], caseA.caseId, 'mediator', {
    mode: 'designated',
    mediatorId: accountId['mediator.wu'],
  });
  await caseAct(who['mediator.wu'], caseA.caseId, 'mediator/accept');
  const ended = await caseAct(who['mediator.wu'], caseA.caseId, 'termination', { reason: 'positions_too_far_apart' });
  expect(ended.body.status).toBe('TERMINATED');
  caseB = await registerCase(2);
  const declined = await caseAct(who['clerk.chen'], caseB.caseId, 'decline', { reason: 'outside_scope' });
  expect(declined.body.status).toBe('NOT_ACCEPTED');
  caseOpen = await registerCase(3);
  who.applicantA = await stack.partyLogin(who['clerk.chen'], caseA.caseId, caseA.applicant);
  who.applicantB = await stack.partyLogin(who['clerk.chen'], caseB.caseId, caseB.applicant);
  who.applicantOpen = await stack.partyLogin(who['clerk.chen'], caseOpen.caseId, caseOpen.applicant);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const supervisor = () => who['supervisor.zheng'];
const act = (as: Credentials, ratingId: string, path: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/ratings/${ratingId}/${path}`, body);

/** A case's number (案号) as the case file shows it to the supervisor. */
const caseNumberOf = async (caseId: string) =>
  (await stack.send(supervisor(), 'GET', `/cases/${caseId}`)).body.caseNumber as string;

/** The link the party was texted when their case concluded (what they would tap on their phone). */
const textedLinkToken = (partyId: string) =>
  pollUntil(
    async () => {
      const texts = await stack.outbox(partyId);
      return texts.map((t) => /\/portal\/rate#t=(rate_[\w-]+)/.exec(t.body)?.[1]).find(Boolean);
    },
    `a rating link texted to ${partyId}`,
    15_000,
    250,
  );

describe('a 差评 followed through', () => {
  it('when a party rates a concluded case 差评, then a supervisor follows it through call-back, fix and answer, and the party gives one 追评', async () => {
    const rated = await stack.send(who.applicantA, 'POST', `/cases/${caseA.caseId}/ratings`, {
      level: 'very_dissatisfied',
      tags: ['attitude', 'fairness'],
      text: TEXT,
    });
    expect(rated.status, rated.text).toBe(201);
    expect(rated.body).toMatchObject({ negative: true, channel: 'portal', followUp: { status: 'AWAITING_CALLBACK' } });
    const id = rated.body.ratingId as string;

    // The supervisor's follow-up list: the 差评 with both clocks running, each with its source.
    const list = await stack.send(supervisor(), 'GET', '/rating-follow-ups');
    const mine = list.body.ratings.find((r: { ratingId: string }) => r.ratingId === id);
    expect(mine.rater).toMatchObject({ partyId: caseA.applicant, name: '王五' });
    // The list is read by case number, as the queues are.
    const caseNumber = await caseNumberOf(caseA.caseId);
    expect(caseNumber).toMatch(/号$/);
    expect(mine).toMatchObject({ caseId: caseA.caseId, caseNumber });
    // Open, or the call-back's already run out on this compressed clock (a day lasts two seconds).
    expect(mine.followUp.clocks.map((c: { clockId: string }) => c.clockId)).toEqual([
      'rating_callback',
      'rating_rectification',
    ]);
    expect(mine.followUp.clocks[1].status).toBe('open');
    expect(mine.followUp.clocks[0].citation).toContain('揭阳市政务服务"好差评"实施细则');
    expect(mine.actions).toEqual(['call_back']);

    const calledBack = await act(supervisor(), id, 'callback', { reached: true, note: '电话联系当事人，了解情况' });
    expect(calledBack.status, calledBack.text).toBe(200);
    expect(calledBack.body.followUp.status).toBe('CALLED_BACK');
    // The action's answer replaces the page's copy: it still names the case and who rated.
    expect(calledBack.body).toMatchObject({ caseNumber, rater: { name: '王五' } });
    const early = await act(who.applicantA, id, 'follow-up', { level: 'satisfied' });
    expect(early.status).toBe(409); // the 追评 comes after the answer
    expect(
      (await act(supervisor(), id, 'fix', { kind: 'fixed', text: '已对调解员批评教育并整改' })).body.followUp.status,
    ).toBe('FIXED');
    const answered = await act(supervisor(), id, 'answer', { text: '经核实，已责成整改，感谢监督' });
    expect(answered.body.followUp).toMatchObject({
      status: 'ANSWERED',
      answer: { text: '经核实，已责成整改，感谢监督' },
    });

    // The party reads the answer, not the internal call-back notes, and may add one 追评.
    const seen = await stack.send(who.applicantA, 'GET', `/ratings/${id}`);
    expect(seen.body.followUp.callback).toBeUndefined();
    expect(seen.body.caseNumber).toBe(caseNumber);
    expect(seen.body.actions).toEqual(['add_follow_up']);
    const followed = await act(who.applicantA, id, 'follow-up', { level: 'satisfied', text: '整改及时' });
    expect(followed.body.followUp).toMatchObject({ status: 'CLOSED', followUp: { level: 'satisfied' } });
    expect((await act(who.applicantA, id, 'follow-up', { level: 'very_satisfied' })).status).toBe(409);

    // Closed and not excluded: the 差评 stands, and the mediator's credit file has it once, kept internal.
    const file = await stack.send(supervisor(), 'GET', `/credit/mediators/${accountId['mediator.wu']}`);
    expect(file.status, file.text).toBe(200);
    const filed = file.body.entries.filter((e: { source: { ref: string } }) => e.source.ref === id);
    expect(filed).toEqual([
      expect.objectContaining({
        kind: 'rating_confirmed',
        disclosure: expect.objectContaining({ ruleId: 'internal' }),
      }),
    ]);
    expect(file.body.chain.ok).toBe(true);

    await expectChain(id);
    await expectMediatorView(id);
  }, 120_000);

  it('when the party rates the same case again, then it is refused: one rating per party', async () => {
    const again = await stack.send(who.applicantA, 'POST', `/cases/${caseA.caseId}/ratings`, { level: 'satisfied' });
    expect([again.status, again.body.rule]).toEqual([422, 'already_rated']);
  });

  it('when a party rates a case still open, then it is refused', async () => {
    const open = await stack.send(who.applicantOpen, 'POST', `/cases/${caseOpen.caseId}/ratings`, {
      level: 'satisfied',
    });
    expect([open.status, open.body.rule]).toEqual([422, 'case_not_concluded']);
  });

  it("when another case's party asks for a rating or rates this case, then 404", async () => {
    const [rating] = (await stack.send(who.applicantA, 'GET', '/ratings')).body.ratings;
    expect((await stack.send(who.applicantB, 'GET', `/ratings/${rating.ratingId}`)).status).toBe(404);
    const foreign = await stack.send(who.applicantB, 'POST', `/cases/${caseA.caseId}/ratings`, { level: 'satisfied' });
    expect(foreign.status).toBe(404);
  });
});

/** The chain verifies, records each step, and holds none of the free text. */
async function expectChain(id: string) {
  expect(await verifyRatingChain(stack.db, id)).toMatchObject({ ok: true });
  const events = await stack.db('rating_events').where({ rating_id: id }).orderBy('seq');
  expect(events.map((e) => e.type).filter((t) => !t.startsWith('RatingClock'))).toEqual([
    'RatingGiven',
    'RatingCalledBack',
    'RatingFixRecorded',
    'RatingAnswered',
    'RatingFollowUpGiven',
  ]);
  expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(TEXT);
}

/** The rated mediator reads the level and text, never who rated (nor the case that would tell). */
async function expectMediatorView(id: string) {
  const seen = await stack.send(who['mediator.wu'], 'GET', `/ratings/${id}`);
  expect(seen.status).toBe(200);
  expect(seen.body).toMatchObject({ level: 'very_dissatisfied', text: TEXT });
  for (const hidden of ['rater', 'caseId', 'caseNumber', 'channel', 'ratedAt'])
    expect(seen.body).not.toHaveProperty(hidden);
  const caseNumber = await caseNumberOf(caseA.caseId);
  for (const secret of ['王五', '赵六', caseA.applicant, caseA.respondent, caseA.caseId, caseNumber])
    expect(seen.text).not.toContain(secret);
  for (const list of ['/ratings', '/rating-follow-ups']) {
    const listed = await stack.send(who['mediator.wu'], 'GET', list);
    expect(listed.body.ratings.map((r: { ratingId: string }) => r.ratingId)).toContain(id);
    expect(listed.text).not.toContain('王五');
    expect(listed.text, list).not.toContain(caseNumber);
  }
  expect((await act(who['mediator.wu'], id, 'answer', { text: '—' })).status).toBe(403);
}

describe('the texted link, a missed call-back and the 申诉复核', () => {
  it('when a case concludes and its recording is retried, then each party who has not rated is texted one link, once', async () => {
    // 不予受理 concludes case B: both of its parties are invited.
    await textedLinkToken(caseB.applicant);
    await textedLinkToken(caseB.respondent);
    // The recording of its concluding event, asked again as Temporal retries an activity whose answer was lost.
    const row = (await stack.db('case_events').where({ case_id: caseB.caseId, type: 'CaseNotAccepted' }).first())!;
    const concluded: CaseEvent = {
      seq: row.seq,
      type: row.type,
      at: row.at.toISOString(),
      actor: { id: row.actor_id, role: row.actor_role } as CaseEvent['actor'],
      payload: row.payload,
    };
    const record = recordActivities({
      db: stack.db,
      cipher: stack.cipher,
      calendars: databaseCalendarSource(stack.db),
      publicBaseUrl: 'http://localhost:3000',
    });
    await record.recordCaseEvents({ caseId: caseB.caseId, events: [concluded], status: 'NOT_ACCEPTED' });
    for (const partyId of [caseB.applicant, caseB.respondent])
      expect(await invitationsTo(partyId), partyId).toHaveLength(1);
    // Case A's applicant rated in the portal before the 差评 was followed up: still the one text from conclusion.
    expect(await invitationsTo(caseA.applicant)).toHaveLength(1);
  }, 60_000);

  it('when the other party rates through the link texted at conclusion, then it works once; the missed call-back shows overdue; the mediator asks for a review and the rating is excluded', async () => {
    const token = await textedLinkToken(caseA.respondent);
    expect(await invitationsTo(caseA.respondent)).toHaveLength(1);
    const rated = await stack.send(undefined, 'POST', '/rating-links/rating', { token, level: 'dissatisfied' });
    expect(rated.status, rated.text).toBe(201);
    expect(rated.body).toMatchObject({ channel: 'sms_link', rater: { partyId: caseA.respondent } });
    const again = await stack.send(undefined, 'POST', '/rating-links/rating', { token, level: 'satisfied' });
    expect([again.status, again.body.type]).toEqual([409, '/problems/rating-link-used']);
    const id = rated.body.ratingId as string;

    expect(await untilOverdue(id)).toContain('rating_callback');
    const seen = (await stack.send(supervisor(), 'GET', `/ratings/${id}`)).body;
    const clock = seen.followUp.clocks.find((c: { clockId: string }) => c.clockId === 'rating_callback');
    expect(clock.status).toBe('expired');
    const counted = computeRatingClock(
      'rating_callback',
      clock.startedAt,
      await calendarOfVersion(stack.db, clock.calendarVersion),
    );
    expect(clock.lastDay).toBe(counted.lastDay);

    const asked = await act(who['mediator.wu'], id, 'review-request', { reason: '当事人因诉求未获支持而给予差评' });
    expect(asked.status, asked.text).toBe(200);
    expect(asked.text).not.toContain('赵六');
    expect((await act(who['mediator.wu'], id, 'review-request', { reason: '再次申请' })).body.rule).toBe(
      'review_already_requested',
    );
    const decided = await act(supervisor(), id, 'review-decision', {
      outcome: 'excluded_malicious',
      reasons: '经回访核实，评价与办理情况不符',
    });
    expect(decided.body.followUp).toMatchObject({ status: 'EXCLUDED', review: { outcome: 'excluded_malicious' } });

    // The credit file reads the 差评 that stand: the first, not the one excluded on review.
    const standing = await confirmedNegativeRatingsAgainst(stack.db, {
      kind: 'mediator',
      id: accountId['mediator.wu']!,
    });
    expect(standing.map((r) => r.ratingId)).not.toContain(id);
    expect(standing.filter((r) => r.caseId === caseA.caseId)).toHaveLength(1);
    const file = await stack.send(supervisor(), 'GET', `/credit/mediators/${accountId['mediator.wu']}`);
    expect(file.body.entries.map((e: { source: { ref: string } }) => e.source.ref)).not.toContain(id);
  }, 120_000);

  it('when ratings are summarised, then an excluded rating counts nowhere and the concluded cases give the rating rate', async () => {
    const day = 86_400_000;
    const summary = await ratingSummary(stack.db, {
      from: new Date(Date.now() - day),
      to: new Date(Date.now() + day),
      mediatorAccountId: accountId['mediator.wu']!,
    });
    expect(summary.excluded).toBeGreaterThanOrEqual(1);
    expect(summary.ratedCases).toBeGreaterThanOrEqual(1);
    expect(summary.ratingRate).not.toBeNull();
    expect(summary.satisfactionRate).toBe(summary.satisfied / summary.ratings);
  });
});

/** A valid body for each rating route, so the walk meets the access check, not the body's. */
const VALID_BODIES: Record<string, unknown> = {
  callback: { reached: true, note: '—' },
  fix: { kind: 'explained', text: '—' },
  answer: { text: '—' },
  'follow-up': { level: 'satisfied' },
  'review-request': { reason: '—' },
  'review-decision': { outcome: 'kept', reasons: '—' },
};

describe('every rating route, walked by everyone', () => {
  it('when each principal walks every route of a rating, then one who may not read it gets 404 and a reader whose role may not act gets 403', async () => {
    const [first] = (await stack.send(who.applicantA, 'GET', '/ratings')).body.ratings;
    const readers: Record<string, string> = {
      applicantA: 'party',
      'mediator.wu': 'mediator',
      'supervisor.zheng': 'supervisor',
    };
    let checked = 0;
    for (const op of operations().filter((o) => o.path.startsWith('/ratings/{ratingId}'))) {
      for (const name of ['applicantA', 'applicantB', 'mediator.wu', 'mediator.zhou', 'supervisor.zheng']) {
        const role = readers[name];
        if (role && (!op.roles || op.roles.includes(role))) continue; // what they may do is tested above
        const path = op.path.replace('{ratingId}', first.ratingId);
        const body = op.method === 'get' ? undefined : VALID_BODIES[path.split('/').pop()!];
        const res = await stack.send(who[name], op.method.toUpperCase(), path, body);
        expect(res.status, `${name} ${op.method} ${path}`).toBe(role ? 403 : 404);
        expect(res.text).not.toContain('王五');
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(15);
  }, 60_000);
});

/** The invitations to rate in a party's outbox (each carries its link). */
const invitationsTo = async (partyId: string) =>
  (await stack.outbox(partyId)).filter((t) => /\/portal\/rate#t=rate_/.test(t.body));

/** Polls the supervisor's follow-up list, as the supervisor would refresh it, until the rating shows an overdue clock. */
const untilOverdue = (id: string) =>
  pollUntil(async () => {
    const list = await stack.send(supervisor(), 'GET', '/rating-follow-ups');
    const row = list.body.ratings.find((r: { ratingId: string }) => r.ratingId === id);
    const events = await stack.db('rating_events').where({ rating_id: id, type: 'RatingClockExpired' });
    return row?.followUp.overdue.length && events.length > 0 ? (row.followUp.overdue as string[]) : undefined;
  }, `rating ${id} to become overdue`);

describe('回访 by sample', () => {
  it('when a clerk draws a sample, then only concluded cases of their organization come, each recorded once', async () => {
    const drawn = await stack.send(who['clerk.chen'], 'POST', '/rating-callbacks/samples', { size: 50 });
    expect(drawn.status, drawn.text).toBe(201);
    expect(drawn.body.callbacks.length).toBeGreaterThanOrEqual(1);
    const caseIds = drawn.body.callbacks.map((c: { caseId: string }) => c.caseId);
    expect(caseIds).not.toContain(caseOpen.caseId);
    // Each call-back names its case by number, in the draw's answer and in the list.
    const numbers = await stack.db('cases').whereIn('case_id', caseIds).select('case_id', 'case_number');
    const numberOf = new Map(numbers.map((c) => [c.case_id as string, c.case_number as string]));
    for (const c of drawn.body.callbacks as { caseId: string; caseNumber: string }[])
      expect(c.caseNumber).toBe(numberOf.get(c.caseId));
    const listed = (await stack.send(who['clerk.chen'], 'GET', '/rating-callbacks')).body.callbacks as {
      caseId: string;
      caseNumber: string;
    }[];
    expect(listed.filter((c) => caseIds.includes(c.caseId)).map((c) => c.caseNumber)).toEqual(
      expect.arrayContaining([...numberOf.values()]),
    );
    const statuses = await stack.db('cases').whereIn('case_id', caseIds).pluck('status');
    for (const s of statuses)
      expect([
        'NOT_ACCEPTED',
        'TERMINATED',
        'AGREEMENT_EFFECTIVE',
        'PERFORMED',
        'ENFORCEMENT_ADVISED',
        'RETURNED_TO_COURT',
        'CLOSED_ARCHIVED',
      ]).toContain(s);
    const again = await stack.send(who['clerk.chen'], 'POST', '/rating-callbacks/samples', { size: 50 });
    expect(
      again.body.callbacks.map((c: { caseId: string }) => c.caseId).filter((c: string) => caseIds.includes(c)),
    ).toEqual([]);

    const first = drawn.body.callbacks[0].callbackId as string;
    const noContact = await stack.send(who['clerk.chen'], 'POST', `/rating-callbacks/${first}`, {
      outcome: 'unreachable',
      level: 'satisfied',
    });
    expect([noContact.status, noContact.body.rule]).toEqual([422, 'level_without_contact']);
    const recorded = await stack.send(who['clerk.chen'], 'POST', `/rating-callbacks/${first}`, {
      outcome: 'reached',
      level: 'satisfied',
      note: '当事人表示满意',
    });
    expect(recorded.body).toMatchObject({
      outcome: 'reached',
      level: 'satisfied',
      caseNumber: numberOf.get(drawn.body.callbacks[0].caseId),
    });
    const twice = await stack.send(who['clerk.chen'], 'POST', `/rating-callbacks/${first}`, { outcome: 'reached' });
    expect(twice.status).toBe(409);
    expect((await stack.send(who['mediator.wu'], 'GET', '/rating-callbacks')).status).toBe(403);
  });
});
