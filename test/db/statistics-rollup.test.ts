/**
 * The monthly rollup (db/case-facts-monthly.ts) answers exactly what the facts rows answer: random synthetic cases
 * (bench/seed.ts: three years, every status, random milestones), then every count and ratio by every grouping, in
 * every scope, over random periods (whole months, cut months, the current month), once from the rollup and once from
 * the facts alone (the counts summed by scope and group answer all but one dispute type's or county's series, which the
 * combinations answer); durations (median, P90, mean) likewise from their rollup of histograms
 * (db/case-facts-durations.ts). Then a case's facts moved by the upkeep leave the rollups equal to ones rebuilt from the
 * facts.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCases } from '../../bench/seed.js';
import { metricRows, saveCaseFacts, type StatisticsScope } from '../../db/case-facts.js';
import { groupRollupDrift, monthlyRollupDrift, rebuildMonthlyRollup } from '../../db/case-facts-monthly.js';
import { durationRollupDrift } from '../../db/case-facts-durations.js';
import { seedDemoData } from '../../db/demo-seed.js';
import { appendRatingEvents, insertRating } from '../../db/ratings.js';
import type { CaseEvent } from '../../domain/case.js';
import { followUpStarted, ratingGivenEvent, type Rating, type RatingLevel } from '../../domain/ratings.js';
import { addDays, chinaDateOf } from '../../domain/calendar.js';
import { GROUPINGS, METRICS, groupingAllowed, type Grouping } from '../../domain/statistics.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';
import { databaseOfItsOwn } from '../support/database.js';

let db: Knex;
const now = new Date();
const today = chinaDateOf(now);

beforeAll(async () => {
  db = await databaseOfItsOwn('odr_rollup', { max: 4 });
  await seedDemoData(db);
  await seedCases(db, { total: 3000, batch: 1000, now });
  // This file's own ratings in place of the seed's: half of the concluded cases' parties, all five levels; the
  // applicant two days after the conclusion, the respondent forty (another month: a case rated in two months); one
  // rating in eight excluded by 申诉复核, one in eight kept by it (a case may have one excluded and one counted).
  await db('ratings').delete();
  await db.raw(
    `INSERT INTO ratings (rating_id, case_id, party_id, level, negative, channel, rated_by_id, rated_at,
      last_seq, review_outcome)
    SELECT md5('rating-' || p.party_id)::uuid, p.case_id, p.party_id,
      (ARRAY['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'])[1 + abs(hashtext(p.party_id::text)) % 5],
      FALSE, 'portal', p.party_id::text,
      LEAST(f.concluded_at + CASE WHEN p.role = 'applicant' THEN interval '2 days' ELSE interval '40 days' END, CAST(? AS timestamptz)),
      1, (ARRAY['excluded_malicious', 'kept'])[1 + abs(hashtext(p.party_id::text || 'review')) % 8]
    FROM case_parties p JOIN case_facts f ON f.case_id = p.case_id
    WHERE f.concluded_at IS NOT NULL AND abs(hashtext(p.party_id::text || 'rated')) % 2 = 0`,
    [now],
  );
  // Written beside the upkeep (as the seed writes its own): the rollups rebuilt with them, as `npm run stats:rebuild` does.
  await rebuildMonthlyRollup(db);
}, 240_000);

afterAll(async () => {
  await db?.destroy();
});

/** A seeded pseudo-random sequence: the same periods on every run. */
function sequence(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Periods within the seeded three years: some of whole months, some cut at both ends, some up to today. */
function periods(): { from: string; to: string }[] {
  const random = sequence(17);
  const out = [
    { from: `${addDays(today, -365).slice(0, 7)}-01`, to: today },
    { from: `${addDays(today, -800).slice(0, 7)}-01`, to: addDays(`${today.slice(0, 7)}-01`, -1) },
  ];
  for (let i = 0; i < 2; i++) {
    const a = addDays(today, -Math.floor(random() * 1100));
    const b = addDays(today, -Math.floor(random() * 1100));
    out.push(a < b ? { from: a, to: b } : { from: b, to: a });
  }
  return out;
}

describe('when three thousand random cases are in the facts and their rollup', () => {
  /** Every case; two organizations' (one takes cases in, one handles them); a mediator's. */
  async function scopes(): Promise<StatisticsScope[]> {
    const mediator = (await db('case_facts').whereNotNull('mediator_account_id').first())!.mediator_account_id!;
    return ['all', { orgId: 'center' }, { orgId: 'rongcheng-pmc' }, { mediatorId: mediator }];
  }

  it('then every count and ratio, by every grouping and in every scope, is the same from the rollup as from the facts', async () => {
    const counted = METRICS.filter((m) => m.kind === 'count' || m.kind === 'ratio');
    const groupings: (Grouping | null)[] = [null, ...(Object.keys(GROUPINGS) as Grouping[])];
    let compared = 0;
    for (const p of periods()) {
      const w = { ...p, now, nearBy: now };
      for (const metric of counted)
        for (const g of groupings.filter((x) => x === null || groupingAllowed(metric, x)))
          for (const scope of await scopes()) {
            const rolled = await metricRows(db, metric, g, w, scope);
            const direct = await metricRows(db, metric, g, w, scope, undefined, { direct: true });
            expect(rolled, `${metric.id} by ${g} in ${JSON.stringify(scope)} ${p.from}..${p.to}`).toEqual(direct);
            compared += direct.reduce((n, r) => n + r.denominator, 0);
          }
    }
    // Not vacuous: the periods held cases, and rated ones, excluded ones and cases rated by both parties.
    expect(compared).toBeGreaterThan(10_000);
    const w = { ...periods()[0]!, now, nearBy: now };
    const rated = await metricRows(
      db,
      METRICS.find((m) => m.id === 'rating_rate')!,
      null,
      w,
      'all',
    );
    expect(rated[0]!.numerator).toBeGreaterThan(100);
    const satisfaction = await metricRows(
      db,
      METRICS.find((m) => m.id === 'satisfaction_rate')!,
      null,
      w,
      'all',
    );
    expect(satisfaction[0]!.denominator).toBeGreaterThan(rated[0]!.numerator);
    expect(await db('ratings').where({ review_outcome: 'excluded_malicious' }).count({ n: '*' })).not.toEqual([
      { n: '0' },
    ]);
  }, 240_000);

  it("then one dispute type's or county's counts and ratios (a forecast's series) are the same from the rollup as from the facts", async () => {
    const counted = METRICS.filter((m) => m.kind === 'count' || m.kind === 'ratio');
    const some = (await db('case_facts').whereNotNull('county').first())!;
    const filters = [
      { groupBy: 'disputeType' as const, key: some.dispute_type },
      { groupBy: 'county' as const, key: some.county! },
    ];
    let compared = 0;
    for (const p of periods().slice(0, 2)) {
      const w = { ...p, now, nearBy: now };
      for (const metric of counted)
        for (const only of filters)
          for (const scope of (await scopes()).slice(0, 2)) {
            const rolled = await metricRows(db, metric, 'month', w, scope, only);
            const direct = await metricRows(db, metric, 'month', w, scope, only, { direct: true });
            expect(rolled, `${metric.id} of ${only.key} in ${JSON.stringify(scope)} ${p.from}..${p.to}`).toEqual(
              direct,
            );
            compared += direct.reduce((n, r) => n + r.denominator, 0);
          }
    }
    expect(compared).toBeGreaterThan(1_000);
  }, 240_000);

  it('then the durations (median, P90, mean in calendar and working days), by every grouping and in every scope, are the same from their rollup as from the facts', async () => {
    const durations = METRICS.filter((m) => m.kind === 'duration');
    const groupings: (Grouping | null)[] = [null, ...(Object.keys(GROUPINGS) as Grouping[])];
    let compared = 0;
    for (const p of periods()) {
      const w = { ...p, now, nearBy: now };
      for (const metric of durations)
        for (const g of groupings.filter((x) => x === null || groupingAllowed(metric, x)))
          for (const scope of await scopes()) {
            const rolled = await metricRows(db, metric, g, w, scope);
            const direct = await metricRows(db, metric, g, w, scope, undefined, { direct: true });
            expect(rolled, `${metric.id} by ${g} in ${JSON.stringify(scope)} ${p.from}..${p.to}`).toEqual(direct);
            compared += direct.filter((r) => r.calendarDays?.median !== null).length;
          }
    }
    // Not vacuous: the groups had durations to summarise.
    expect(compared).toBeGreaterThan(1_000);
  }, 240_000);

  it('then a case whose facts move (a mediator taking it, its conclusion) leaves the rollup equal to one rebuilt from the facts', async () => {
    const row = (await db('case_facts').whereNull('concluded_at').whereNotNull('accepted_at').first())!;
    const cal = loadHolidayCalendar();
    expect(await monthlyRollupDrift(db)).toEqual([]);
    expect(await groupRollupDrift(db)).toEqual([]);
    expect(await durationRollupDrift(db)).toEqual([]);
    await db.transaction(async (trx) => {
      // What the activity does when events are recorded: the case row moves, then its facts fold the new events in.
      await trx('cases').where({ case_id: row.case_id }).update({ dispute_type: 'labour', status: 'TERMINATED' });
      await saveCaseFacts(
        trx,
        row.case_id,
        [
          {
            seq: row.last_seq + 1,
            type: 'MediationTerminated',
            at: now.toISOString(),
            payload: { reason: 'withdrawn' },
          },
        ],
        cal,
      );
    });
    expect(await monthlyRollupDrift(db)).toEqual([]);
    expect(await groupRollupDrift(db)).toEqual([]);
    expect(await durationRollupDrift(db)).toEqual([]);
    // And once more with nothing new: a retried activity changes nothing.
    await db.transaction((trx) => saveCaseFacts(trx, row.case_id, [], cal));
    expect(await monthlyRollupDrift(db)).toEqual([]);
    expect(await groupRollupDrift(db)).toEqual([]);
    expect(await durationRollupDrift(db)).toEqual([]);
  }, 240_000);

  it('then cases of every shape whose facts move (two priority groups or none, handled by another organization, with and without a mediator) leave the counts by scope and group equal to ones rebuilt', async () => {
    // The upkeep expands a change into scopes and groups in SQL, the rebuild in TypeScript: each shape that takes a
    // different branch of that expansion is given to an open case, which then concludes, so a branch the two
    // disagree on shows as drift.
    const orgs = (await db('organizations').select('org_id')).map((o) => o.org_id as string);
    const mediator = (await db('case_facts').whereNotNull('mediator_account_id').first('mediator_account_id'))!;
    const shapes: [string, (c: { intake_org_id: string }) => Record<string, unknown>][] = [
      ['two priority groups', () => ({ priority_groups: JSON.stringify(['elderly', 'disabled']) })],
      ['no priority group', () => ({ priority_groups: JSON.stringify([]) })],
      ['handled by another organization', (c) => ({ handling_org_id: orgs.find((o) => o !== c.intake_org_id) })],
      ['handled where it was taken in', (c) => ({ handling_org_id: c.intake_org_id })],
      ['no mediator', () => ({ mediator_account_id: null })],
      ['a mediator', () => ({ mediator_account_id: mediator.mediator_account_id })],
    ];
    const open = await db('case_facts')
      .join('cases', 'cases.case_id', 'case_facts.case_id')
      .whereNull('case_facts.concluded_at')
      .whereNotNull('case_facts.accepted_at')
      .limit(shapes.length)
      .select('cases.case_id', 'cases.intake_org_id', 'case_facts.last_seq');
    expect(open).toHaveLength(shapes.length);
    const cal = loadHolidayCalendar();
    for (const [i, [shape, set]] of shapes.entries()) {
      const c = open[i]!;
      await db.transaction(async (trx) => {
        await trx('cases')
          .where({ case_id: c.case_id })
          .update({ ...set(c), status: 'TERMINATED' });
        const event = { seq: c.last_seq + 1, type: 'MediationTerminated', at: now.toISOString() };
        await saveCaseFacts(trx, c.case_id, [{ ...event, payload: { reason: 'withdrawn' } }], cal);
      });
      expect(await groupRollupDrift(db), shape).toEqual([]);
    }
    expect(await monthlyRollupDrift(db)).toEqual([]);
  }, 240_000);
});

describe('when parties rate a concluded case and 申诉复核 decides on a rating', () => {
  const ratingRate = METRICS.find((m) => m.id === 'rating_rate')!;
  const satisfactionRate = METRICS.find((m) => m.id === 'satisfaction_rate')!;

  /** A case concluded in an earlier month (so the rollup answers for it) that no party has rated, with its parties. */
  async function unratedCase(): Promise<{ caseId: string; month: string; parties: string[] }> {
    const { rows } = await db.raw(
      `SELECT f.case_id, to_char(f.concluded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month
       FROM case_facts f
       WHERE f.concluded_at < CAST(? AS timestamptz) - interval '62 days'
         AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = f.case_id)
       ORDER BY f.case_id LIMIT 1`,
      [now],
    );
    const { case_id: caseId, month } = rows[0] as { case_id: string; month: string };
    const parties = (await db('case_parties').where({ case_id: caseId }).orderBy('position')).map((p) => p.party_id);
    return { caseId, month, parties };
  }

  function given(caseId: string, partyId: string, level: RatingLevel): Rating {
    return {
      ratingId: randomUUID(),
      caseId,
      partyId,
      level,
      tags: [],
      text: null,
      channel: 'portal',
      mediatorAccountId: null,
      orgId: null,
      ratedAt: now.toISOString(),
      ratedBy: { id: partyId, role: 'party' },
    };
  }

  const input = (r: Rating) => ({ rating: r, event: ratingGivenEvent(r), workflowId: null, followUp: null });

  /**
   * The case's month's 参评率 and this month's 满意率 as the dashboard reads them (the rollup), each checked against the
   * facts and ratings read directly.
   */
  async function figures(month: string): Promise<{ rated: number; ratings: number; satisfied: number }> {
    const w = { from: `${month}-01`, to: today, now, nearBy: now };
    const read = async (metric: (typeof METRICS)[number], g: Grouping | null) => {
      const rolled = await metricRows(db, metric, g, w, 'all');
      expect(rolled, metric.id).toEqual(await metricRows(db, metric, g, w, 'all', undefined, { direct: true }));
      return rolled;
    };
    const rated = (await read(ratingRate, 'month')).find((r) => r.key === month)!;
    const ratings = (await read(satisfactionRate, 'month')).find((r) => r.key === today.slice(0, 7))!;
    return { rated: rated.numerator, ratings: ratings.denominator, satisfied: ratings.numerator };
  }

  it('then 参评率 counts the case once, 满意率 each rating, and a rating excluded by 申诉复核 in neither', async () => {
    const c = await unratedCase();
    const start = await figures(c.month);
    const first = given(c.caseId, c.parties[0]!, 'very_satisfied');
    await insertRating(db, input(first));
    expect(await figures(c.month)).toEqual({
      rated: start.rated + 1,
      ratings: start.ratings + 1,
      satisfied: start.satisfied + 1,
    });
    // The other party rates 不满意: a second rating of a case rated already.
    const second = given(c.caseId, c.parties[1]!, 'dissatisfied');
    const followUp = followUpStarted(second).state;
    await insertRating(db, { ...input(second), workflowId: `wf-${second.ratingId}`, followUp });
    expect(await figures(c.month)).toEqual({
      rated: start.rated + 1,
      ratings: start.ratings + 2,
      satisfied: start.satisfied + 1,
    });
    // 申诉复核 excludes the first as malicious: the second still counts, so the case is still rated.
    const excluded = followUpStarted(first).state;
    const review = { reason: '恶意评价', requestedAt: now.toISOString(), requestedBy: 'm', reasons: '查实' };
    await db.transaction((trx) =>
      appendRatingEvents(trx, first.ratingId, [reviewEvent(2)], {
        ...excluded,
        review: { ...review, outcome: 'excluded_malicious', decidedAt: now.toISOString() },
      }),
    );
    expect(await figures(c.month)).toEqual({
      rated: start.rated + 1,
      ratings: start.ratings + 1,
      satisfied: start.satisfied,
    });
    // And the second excluded too: the case is no longer rated.
    await db.transaction((trx) =>
      appendRatingEvents(trx, second.ratingId, [reviewEvent(2)], {
        ...followUp,
        review: { ...review, outcome: 'excluded_mistaken', decidedAt: now.toISOString() },
      }),
    );
    expect(await figures(c.month)).toEqual(start);
    expect(await monthlyRollupDrift(db)).toEqual([]);
    expect(await groupRollupDrift(db)).toEqual([]);
  }, 120_000);

  it('then two parties rating the case at the same moment count it once in 参评率', async () => {
    const c = await unratedCase();
    const start = await figures(c.month);
    // The applicant's rating is written and not yet committed when the respondent's arrives.
    let respondent: Promise<void> | undefined;
    await db.transaction(async (trx) => {
      await insertRating(db, input(given(c.caseId, c.parties[0]!, 'satisfied')), trx);
      respondent = insertRating(db, input(given(c.caseId, c.parties[1]!, 'very_satisfied')));
      // The respondent's transaction waits on the case row until the applicant's commits.
      await expect
        .poll(
          async () =>
            (
              await db.raw(
                `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            ).rows[0].n,
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
    });
    await respondent;
    expect(await figures(c.month)).toEqual({
      rated: start.rated + 1,
      ratings: start.ratings + 2,
      satisfied: start.satisfied + 2,
    });
    expect(await monthlyRollupDrift(db)).toEqual([]);
    expect(await groupRollupDrift(db)).toEqual([]);
  }, 120_000);
});

const reviewEvent = (seq: number): CaseEvent => ({
  seq,
  type: 'RatingReviewDecided',
  at: now.toISOString(),
  actor: { id: 'supervisor-1', role: 'supervisor' },
  payload: {},
});
