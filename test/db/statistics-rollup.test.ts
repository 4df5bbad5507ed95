/**
 * The monthly rollup (db/case-facts-monthly.ts) answers exactly what the facts rows answer: random synthetic cases
 * (bench/seed.ts: three years, every status, random milestones), then every count and ratio by every grouping, in
 * every scope, over random periods (whole months, cut months, the current month), once from the rollup and once from
 * the facts alone (the counts summed by scope and group answer all but one dispute type's or county's series, which the
 * combinations answer); durations (median, P90, mean) likewise from their rollup of histograms
 * (db/case-facts-durations.ts). Then a case's facts moved by the upkeep leave the rollups equal to ones rebuilt from the
 * facts.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { seedCases } from '../../bench/seed.js';
import { metricRows, saveCaseFacts, type StatisticsScope } from '../../db/case-facts.js';
import { groupRollupDrift, monthlyRollupDrift } from '../../db/case-facts-monthly.js';
import { durationRollupDrift } from '../../db/case-facts-durations.js';
import { seedDemoData } from '../../db/demo-seed.js';
import { createDb, ensureDatabase, migrateLatest } from '../../db/knex.js';
import { addDays, chinaDateOf } from '../../domain/calendar.js';
import { GROUPINGS, METRICS, groupingAllowed, type Grouping } from '../../domain/statistics.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';

let db: Knex;
const now = new Date();
const today = chinaDateOf(now);

beforeAll(async () => {
  const name = `odr_rollup_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await ensureDatabase(inject('databaseUrl'), name);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  db = createDb(url.toString(), { max: 4 });
  await migrateLatest(db);
  await seedDemoData(db);
  await seedCases(db, { total: 3000, batch: 1000, now });
  // Ratings of a third of the concluded cases' parties, all five levels, some excluded by 申诉复核: 参评率 reads them.
  await db.raw(`INSERT INTO ratings (rating_id, case_id, party_id, level, negative, channel, rated_by_id, rated_at,
      last_seq, review_outcome)
    SELECT md5('rating-' || p.party_id)::uuid, p.case_id, p.party_id,
      (ARRAY['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'])[1 + abs(hashtext(p.party_id::text)) % 5],
      FALSE, 'portal', p.party_id::text, f.concluded_at + interval '2 days', 1,
      CASE WHEN abs(hashtext(p.case_id::text)) % 10 = 0 THEN 'excluded_malicious' END
    FROM case_parties p JOIN case_facts f ON f.case_id = p.case_id
    WHERE f.concluded_at IS NOT NULL AND abs(hashtext(p.party_id::text || 'rated')) % 3 = 0`);
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
    // Not vacuous: the periods held cases, and rated ones.
    expect(compared).toBeGreaterThan(10_000);
    const rated = await metricRows(
      db,
      METRICS.find((m) => m.id === 'rating_rate')!,
      null,
      { ...periods()[0]!, now, nearBy: now },
      'all',
    );
    expect(rated[0]!.numerator).toBeGreaterThan(100);
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
});
