/**
 * The supervision's statistics (db/case-facts.ts, what GET /statistics/summary and /statistics/series run) over
 * the synthetic cases' facts (bench/seed.ts: a million unless limited, 36 months with a seasonal pattern): the
 * summary (every metric side by side on the pool, as the route runs them) and each metric grouping's series over
 * the last 12 months, as the supervisor sees them (every case). p50/p99 over interleaved runs after ANALYZE,
 * against the issue's bound: p99 < 200 ms. Seeds into the database it is given (the queue part's, when both run).
 */
import type { Knex } from 'knex';
import { groupNames, metricRows, type StatisticsWindow } from '../db/case-facts.js';
import { addDays, chinaDateOf } from '../domain/calendar.js';
import { METRICS, metricOf, type Grouping, type MetricId } from '../domain/statistics.js';
import { seedCases } from './seed.js';
import { pct, round } from './stats.js';

export type StatisticsQuery = { name: string; p50Ms: number; p99Ms: number };

export type StatisticsBench = {
  cases: number;
  /** Seconds the seeding took here (0: the cases were there already). */
  seedSeconds: number;
  months: number;
  runs: number;
  queries: StatisticsQuery[];
  /** The slowest query's p99: the figure held against the bound. */
  worstP99Ms: number;
  worst: string;
};

/** The bound the issue sets for every statistics answer (summary, and series by every grouping). */
export const STATISTICS_P99_MS = 200;

/** The series measured by each grouping: a count, a ratio, durations with their percentiles, and the ratings' two ratios. */
const GROUPINGS: Grouping[] = [
  'month',
  'disputeType',
  'organization',
  'mediator',
  'channel',
  'county',
  'priorityGroup',
];
const SERIES_METRICS: MetricId[] = [
  'received',
  'success_rate',
  'duration_from_acceptance',
  'satisfaction_rate',
  'rating_rate',
];

type Call = { name: string; run: () => Promise<unknown> };

function calls(db: Knex, w: StatisticsWindow): Call[] {
  const summary: Call = {
    name: 'summary',
    run: () => Promise.all(METRICS.map((m) => metricRows(db, m, null, w, 'all'))),
  };
  const series = SERIES_METRICS.flatMap((id) =>
    GROUPINGS.map((g) => ({
      name: `series ${id} by ${g}`,
      run: async () => {
        const rows = await metricRows(db, metricOf(id), g, w, 'all');
        return groupNames(
          db,
          g,
          rows.map((r) => r.key),
        );
      },
    })),
  );
  return [summary, ...series];
}

/** The last 12 months to today, as the routes default to. */
function lastTwelveMonths(now: Date): StatisticsWindow {
  const to = chinaDateOf(now);
  const [y, m] = to.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - 11;
  const from = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  return { from, to, now, nearBy: new Date(`${addDays(to, 5)}T00:00:00+08:00`) };
}

export async function benchStatistics(
  db: Knex,
  opts: { cases: number; runs: number; log: (line: string) => void },
): Promise<StatisticsBench> {
  opts.log(`statistics: seeding to ${opts.cases} cases with their facts`);
  const seeded = await seedCases(db, { total: opts.cases, log: opts.log });
  const w = lastTwelveMonths(new Date());
  const all = calls(db, w);
  const times = new Map(all.map((c) => [c.name, [] as number[]]));
  // Warm: the tables' hot pages in PostgreSQL's buffers, as on a server in use.
  for (let i = 0; i < 3; i++) for (const c of all) await c.run();
  for (let i = 0; i < opts.runs; i++) {
    for (const c of all) {
      const t = performance.now();
      await c.run();
      times.get(c.name)!.push(performance.now() - t);
    }
    if ((i + 1) % 10 === 0) opts.log(`statistics: ${i + 1} of ${opts.runs} runs`);
  }
  const queries = all.map((c) => ({
    name: c.name,
    p50Ms: round(pct(times.get(c.name)!, 50)),
    p99Ms: round(pct(times.get(c.name)!, 99)),
  }));
  const worst = queries.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
  return {
    cases: seeded.total,
    seedSeconds: seeded.seconds,
    months: 12,
    runs: opts.runs,
    queries,
    worstP99Ms: worst.p99Ms,
    worst: worst.name,
  };
}
