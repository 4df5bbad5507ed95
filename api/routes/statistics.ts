/**
 * GET /statistics/summary and GET /statistics/series (docs/supervision.md#statistics; seed Art 15): every metric
 * of domain/statistics.ts over a period, and one metric grouped by month (Beijing time), dispute type,
 * organization, mediator, channel, county or priority group, a month without a case as 0. Counted by the
 * database over the per-case facts (db/case-facts.ts), never from the event log. Each principal sees their own
 * scope (statisticsScope): the supervisor every case, an organization's clerk its cases, a mediator theirs.
 * `format=csv|xlsx` (or an Accept of text/csv or the XLSX type) downloads the same table.
 */
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { statisticsScope } from '../../domain/access-policy.js';
import { chinaDateOf, endOfWorkingDaysAhead } from '../../domain/calendar.js';
import { DEADLINE_RULES, NEAR_DUE_WORKING_DAYS, type DeadlineRuleId } from '../../domain/deadlines.js';
import { PRIORITY_GROUPS } from '../../domain/screening.js';
import {
  GROUPINGS,
  METRICS,
  METRIC_IDS,
  codeLabel,
  groupingAllowed,
  metricOf,
  ratio,
  type Grouping,
  type Metric,
} from '../../domain/statistics.js';
import { groupNames, metricRows, type MetricRow, type StatisticsWindow } from '../../db/case-facts.js';
import type { CalendarSource } from '../../infra/calendar.js';
import { principalOf } from '../auth.js';
import { attachment } from './cases/documents.js';
import { parseOrThrow, problems } from '../problem.js';
import { FORECAST_RESPONSES, alerts, forecast } from './statistics-forecast.js';
import { XLSX_TYPE, toCsv, toXlsx, type Table, type TableColumn } from '../statistics-export.js';

/** The longest period a request may ask for: ten years of months. */
const MAX_MONTHS = 120;

const period = {
  from: z.iso
    .date()
    .optional()
    .describe('first day (China date, YYYY-MM-DD); default: the first of the month 11 months before `to`'),
  to: z.iso.date().optional().describe('last day, included (China date); default: today'),
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .optional()
    .describe('csv or xlsx downloads the table; default: JSON, or what Accept asks for'),
};

export const summaryQuery = z.strictObject(period);

export const seriesQuery = z.strictObject({
  metric: z.enum(METRIC_IDS),
  groupBy: z
    .enum(Object.keys(GROUPINGS) as [Grouping, ...Grouping[]])
    .default('month')
    .describe('rule: deadline metrics only; status and ageBucket: open cases and deadlines only'),
  ...period,
});

type StatisticsDeps = { db: Knex; now: () => Date; calendars: CalendarSource };

export function statisticsRouter(deps: StatisticsDeps): Router {
  const router = Router();
  router.get('/summary', (req, res) => summary(deps, req, res));
  router.get('/series', (req, res) => series(deps, req, res));
  router.get('/forecast', (req, res) => forecast(deps, scopeOf(req), req, res));
  router.get('/alerts', (req, res) => alerts(deps, scopeOf(req), req, res));
  return router;
}

/** The scope of whoever asks, or 403. */
function scopeOf(req: Request) {
  const p = principalOf(req);
  const scope = statisticsScope(p);
  if (!scope) throw problems.forbidden(`a ${p.role} does not read the statistics`);
  return scope;
}

/** The period asked for (defaults: the last 12 months to today), checked. */
async function windowOf(deps: StatisticsDeps, q: { from?: string; to?: string }): Promise<StatisticsWindow> {
  const now = deps.now();
  const to = q.to ?? chinaDateOf(now);
  const from = q.from ?? firstOfMonthBefore(to, 11);
  if (from > to) throw problems.validation([{ field: 'from', message: 'must not be after `to`' }]);
  if (from < firstOfMonthBefore(to, MAX_MONTHS - 1))
    throw problems.validation([{ field: 'from', message: `the period may span at most ${MAX_MONTHS} months` }]);
  const nearBy = new Date(endOfWorkingDaysAhead(await deps.calendars.current(), now, NEAR_DUE_WORKING_DAYS));
  return { from, to, now, nearBy };
}

function firstOfMonthBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** One metric's figures as the API answers them: the value is the count, the share, or the median in days. */
function figures(metric: Metric, r: MetricRow) {
  const value =
    metric.kind === 'ratio'
      ? ratio(r.numerator, r.denominator)
      : metric.kind === 'duration'
        ? (r.calendarDays?.median ?? null)
        : r.numerator;
  return {
    numerator: r.numerator,
    denominator: metric.kind === 'ratio' || metric.kind === 'duration' ? r.denominator : null,
    value,
    ...(r.calendarDays ? { calendarDays: r.calendarDays, workingDays: r.workingDays! } : {}),
  };
}

const describe = (m: Metric) => ({ id: m.id, label: m.label, kind: m.kind, note: m.note });

async function summary(deps: StatisticsDeps, req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const q = parseOrThrow(summaryQuery, req.query);
  const w = await windowOf(deps, q);
  // One aggregate per metric, side by side on the pool.
  const totals = await Promise.all(METRICS.map((metric) => metricRows(deps.db, metric, null, w, scope)));
  const metrics = METRICS.map((metric, i) => ({
    ...describe(metric),
    ...figures(metric, totals[i]![0] ?? { key: 'total', numerator: 0, denominator: 0 }),
  }));
  const body = { from: w.from, to: w.to, asOf: w.now.toISOString(), scope: scopeName(scope), metrics };
  await answer(req, res, q.format, body, {
    title: '统计汇总',
    file: { name: `统计汇总_${w.from}_${w.to}`, ascii: `statistics-summary_${w.from}_${w.to}` },
    columns: [{ key: 'label', header: '指标' }, ...FIGURE_COLUMNS, { key: 'note', header: '口径说明' }],
    rows: metrics.map(flatten),
  });
}

async function series(deps: StatisticsDeps, req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const q = parseOrThrow(seriesQuery, req.query);
  const metric = metricOf(q.metric);
  if (!groupingAllowed(metric, q.groupBy))
    throw problems.validation([{ field: 'groupBy', message: `${metric.id} cannot be grouped by ${q.groupBy}` }]);
  const w = await windowOf(deps, q);
  const found = await metricRows(deps.db, metric, q.groupBy, w, scope);
  const names = await groupNames(
    deps.db,
    q.groupBy,
    found.map((r) => r.key),
  );
  const rows = found.map((r) => ({ key: r.key, label: groupLabel(q.groupBy, r.key, names), ...figures(metric, r) }));
  const body = {
    metric: describe(metric),
    groupBy: q.groupBy,
    groupLabel: GROUPINGS[q.groupBy],
    from: w.from,
    to: w.to,
    asOf: w.now.toISOString(),
    scope: scopeName(scope),
    rows,
  };
  const title = `${metric.label}（按${GROUPINGS[q.groupBy]}）`;
  await answer(req, res, q.format, body, {
    title,
    file: { name: `${title}_${w.from}_${w.to}`, ascii: `statistics-${metric.id}-by-${q.groupBy}_${w.from}_${w.to}` },
    columns: [{ key: 'label', header: GROUPINGS[q.groupBy] }, ...FIGURE_COLUMNS],
    rows: rows.map(flatten),
  });
}

const scopeName = (s: ReturnType<typeof scopeOf>) =>
  typeof s === 'string' ? s : 'orgId' in s ? 'organization' : 'mediator';

/** A group's label in Chinese: a code's label, a name, or what an empty key means. */
function groupLabel(g: Grouping, key: string, names: Map<string, string>): string {
  const empty: Partial<Record<Grouping, string>> = {
    organization: '未分派组织',
    mediator: '未指派调解员',
    county: '未填写县（市、区）',
    priorityGroup: '非优先服务对象',
  };
  if (key === '') return empty[g] ?? key;
  if (g === 'priorityGroup') return PRIORITY_GROUPS[key as keyof typeof PRIORITY_GROUPS] ?? key;
  if (g === 'rule') return DEADLINE_RULES[key as DeadlineRuleId]?.label ?? key;
  return names.get(key) ?? codeLabel(g, key) ?? key;
}

const FIGURE_COLUMNS: TableColumn[] = [
  { key: 'value', header: '数值' },
  { key: 'numerator', header: '分子（计数）', format: 'count' },
  { key: 'denominator', header: '分母', format: 'count' },
  { key: 'calMedian', header: '自然日中位数', format: 'days' },
  { key: 'calP90', header: '自然日P90', format: 'days' },
  { key: 'calMean', header: '自然日平均', format: 'days' },
  { key: 'workMedian', header: '工作日中位数', format: 'days' },
  { key: 'workP90', header: '工作日P90', format: 'days' },
  { key: 'workMean', header: '工作日平均', format: 'days' },
];

type Figures = ReturnType<typeof figures> & { label: string; note?: string };

/** A row of figures as a table row (a share as a share, durations spread into their columns). */
function flatten(f: Figures): Record<string, string | number | null> {
  return {
    label: f.label,
    value: f.value,
    numerator: f.numerator,
    denominator: f.denominator,
    calMedian: f.calendarDays?.median ?? null,
    calP90: f.calendarDays?.p90 ?? null,
    calMean: f.calendarDays?.mean ?? null,
    workMedian: f.workingDays?.median ?? null,
    workP90: f.workingDays?.p90 ?? null,
    workMean: f.workingDays?.mean ?? null,
    ...(f.note !== undefined ? { note: f.note } : {}),
  };
}

type Download = { title: string; file: { name: string; ascii: string }; columns: TableColumn[]; rows: Table['rows'] };

/** JSON, or the table as CSV or XLSX (by `format`, else by Accept) with its file name. */
async function answer(req: Request, res: Response, format: string | undefined, body: object, d: Download) {
  const wanted = format ?? negotiated(req);
  res.setHeader('Cache-Control', 'no-store');
  res.vary('Accept');
  if (wanted === 'json') {
    res.json(body);
    return;
  }
  const table: Table = { title: d.title, columns: d.columns, rows: d.rows };
  res.setHeader('Content-Disposition', attachment(`${d.file.ascii}.${wanted}`, `${d.file.name}.${wanted}`));
  if (wanted === 'csv') {
    res.type('text/csv; charset=utf-8').send(toCsv(table));
    return;
  }
  res.type(XLSX_TYPE).send(await toXlsx(table));
}

function negotiated(req: Request): 'json' | 'csv' | 'xlsx' {
  const best = req.accepts(['application/json', 'text/csv', XLSX_TYPE]);
  return best === 'text/csv' ? 'csv' : best === XLSX_TYPE ? 'xlsx' : 'json';
}

// What the API answers (api/responses.ts: the OpenAPI document's response schemas) --------------------------

const durationSummary = z.object({
  median: z.number().nullable(),
  p90: z.number().nullable(),
  mean: z.number().nullable(),
});
const figureShape = {
  numerator: z.number().int().describe('the count (a ratio: its numerator; durations: the cases measured)'),
  denominator: z.number().int().nullable().describe("a ratio's denominator; durations: the cases concluded"),
  value: z.number().nullable().describe('a count, a share (0–1; null over 0), or the median in calendar days'),
  calendarDays: durationSummary.optional(),
  workingDays: durationSummary.optional(),
};
const metricShape = {
  id: z.enum(METRIC_IDS),
  label: z.string(),
  kind: z.enum(['count', 'ratio', 'duration', 'deadline']),
  note: z.string(),
};
const windowShape = {
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  scope: z.enum(['all', 'none', 'organization', 'mediator']),
};

export const STATISTICS_RESPONSES: Record<string, z.ZodType> = {
  'get /statistics/summary': z.object({
    ...windowShape,
    metrics: z.array(z.object({ ...metricShape, ...figureShape })),
  }),
  'get /statistics/series': z.object({
    metric: z.object(metricShape),
    groupBy: z.enum(Object.keys(GROUPINGS) as [Grouping, ...Grouping[]]),
    groupLabel: z.string(),
    ...windowShape,
    rows: z.array(z.object({ key: z.string(), label: z.string(), ...figureShape })),
  }),
  ...FORECAST_RESPONSES,
};
