/**
 * GET /statistics/forecast and GET /statistics/alerts (docs/supervision.md#forecast; seed Art 15: the 司法行政部门
 * forecast the disputes to come and are warned of a rise): the monthly history of a count metric read from the
 * per-case facts (db/case-facts.ts), the forecast ladder of domain/forecast/ on it with the working days of the
 * holiday calendar (a year no notice covers counted provisionally, never a failure), and the dispute types and
 * counties whose latest month rose above the forecast's 95% band or on the same month last year, with their cases.
 * Scoped like every statistic (statisticsScope): the supervisor every case, a clerk their organization's, a
 * mediator theirs.
 */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { addDays, chinaDateOf } from '../../domain/calendar.js';
import {
  addMonths,
  forecastSeries,
  monthRange,
  riskAlerts,
  workingDaysByMonth,
  type WatchedSeries,
} from '../../domain/forecast/index.js';
import { HORIZONS } from '../../domain/forecast/ladder.js';
import { codeLabel, metricOf, METRICS, type MetricId } from '../../domain/statistics.js';
import {
  chinaMonthStart,
  metricRows,
  receivedByGroupAndMonth,
  receivedCaseIds,
  type GroupFilter,
  type StatisticsScope,
} from '../../db/case-facts.js';
import type { CalendarSource } from '../../infra/calendar.js';
import { parseOrThrow, problems } from '../problem.js';

type ForecastDeps = { db: Knex; now: () => Date; calendars: CalendarSource };

/** Counts dated by a milestone can be forecast; a share, a duration, or figures as they stand cannot. */
export const FORECAST_METRIC_IDS = METRICS.filter((m) => m.kind === 'count' && m.datedBy !== 'now').map(
  (m) => m.id,
) as [MetricId, ...MetricId[]];

/** The longest history read: ten years of months (the backtest needs only the last 24 or more). */
const HISTORY_MONTHS = 120;
/** An alert reads three years: two full seasons before the month checked, and the month itself. */
const ALERT_MONTHS = 36;
/** An alert lists at most this many case ids (the oldest received first); `actual` counts them all. */
export const ALERT_CASE_IDS = 1000;
/** 同比 share above which a month alerts, unless the request names another (docs/supervision.md#risk-alerts). */
export const DEFAULT_YEAR_ON_YEAR_SHARE = 0.5;

const month = z
  .string()
  .max(7)
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .describe('a month (Beijing time), YYYY-MM; default: the last complete month');

export const forecastQuery = z
  .strictObject({
    metric: z.enum(FORECAST_METRIC_IDS).describe('a count dated by a milestone (受理量, 登记量, 结案数 …)'),
    groupBy: z.enum(['disputeType', 'county']).optional().describe('forecast one dispute type or county: with `key`'),
    key: z.string().min(1).max(100).optional().describe('the dispute type code or county name `groupBy` names'),
    cutoff: month.optional().describe('the last month of data used (YYYY-MM); default: the last complete month'),
    horizon: z.coerce.number().int().min(1).max(HORIZONS).default(HORIZONS).describe('months ahead, 1 to 3'),
  })
  .superRefine((q, ctx) => {
    if ((q.groupBy === undefined) !== (q.key === undefined))
      ctx.addIssue({ code: 'custom', path: [q.groupBy ? 'key' : 'groupBy'], message: 'groupBy and key go together' });
  });

export const alertsQuery = z.strictObject({
  month: month.optional().describe('the month checked (YYYY-MM); default: the last complete month'),
  yearOnYearShare: z.coerce
    .number()
    .min(0)
    .max(10)
    .default(DEFAULT_YEAR_ON_YEAR_SHARE)
    .describe('alert when the month is up by more than this share on the same month last year (0.5: 50%)'),
});

/** The month before the one `now` falls in (Beijing time): the last complete month. */
const lastCompleteMonth = (now: Date) => addMonths(chinaDateOf(now).slice(0, 7), -1);

/** A month asked for must be complete: before the month in progress. */
function completeMonth(field: string, asked: string | undefined, now: Date): string {
  const latest = lastCompleteMonth(now);
  if (asked !== undefined && asked > latest)
    throw problems.validation([{ field, message: `must be a complete month: ${latest} or earlier` }]);
  return asked ?? latest;
}

/** The metric's count per month up to the cut-off, from its first month with a case (at most ten years). */
async function historyOf(
  deps: ForecastDeps,
  metricId: MetricId,
  cutoff: string,
  scope: StatisticsScope,
  only: GroupFilter | undefined,
): Promise<{ month: string; value: number }[]> {
  const first = addMonths(cutoff, -(HISTORY_MONTHS - 1));
  const to = addDays(`${addMonths(cutoff, 1)}-01`, -1);
  const now = deps.now();
  const window = { from: `${first}-01`, to, now, nearBy: now };
  const rows = await metricRows(deps.db, metricOf(metricId), 'month', window, scope, only);
  const start = rows.findIndex((r) => r.numerator > 0);
  return start < 0 ? [] : rows.slice(start).map((r) => ({ month: r.key, value: r.numerator }));
}

export async function forecast(deps: ForecastDeps, scope: StatisticsScope, req: Request, res: Response) {
  const q = parseOrThrow(forecastQuery, req.query);
  const cutoff = completeMonth('cutoff', q.cutoff, deps.now());
  const only = q.groupBy && q.key ? { groupBy: q.groupBy, key: q.key } : undefined;
  const history = await historyOf(deps, q.metric, cutoff, scope, only);
  const months = history.map((h) => h.month);
  const ahead = Array.from({ length: q.horizon }, (_, i) => addMonths(cutoff, i + 1));
  const calendar = await deps.calendars.current();
  const result =
    history.length === 0
      ? null
      : forecastSeries(
          { months, counts: history.map((h) => h.value) },
          workingDaysByMonth(calendar, [...months, ...ahead]),
          q.horizon,
        );
  res.setHeader('Cache-Control', 'no-store');
  res.json({
    metric: q.metric,
    ...(only ? { groupBy: only.groupBy, key: only.key } : {}),
    cutoff,
    history,
    forecast: result,
  });
}

/** Each dispute type's or county's monthly counts over the three years up to the month checked. */
async function watchedSeries(
  deps: ForecastDeps,
  g: GroupFilter['groupBy'],
  checked: string,
  scope: StatisticsScope,
): Promise<WatchedSeries[]> {
  const first = addMonths(checked, -(ALERT_MONTHS - 1));
  const rows = await receivedByGroupAndMonth(deps.db, g, { first, last: checked }, scope);
  const earliest = rows.reduce((m, r) => (r.month < m ? r.month : m), checked);
  const counts = new Map<string, Record<string, number>>();
  for (const r of rows) counts.set(r.key, { ...counts.get(r.key), [r.month]: r.count });
  // Every series from the scope's first month with a case, so a group that began later counts 0 before it.
  return [...counts.keys()].sort().map((key) => ({ key, counts: counts.get(key)!, caseIds: {}, firstMonth: earliest }));
}

const DIMENSIONS = ['disputeType', 'county'] as const;

export async function alerts(deps: ForecastDeps, scope: StatisticsScope, req: Request, res: Response) {
  const q = parseOrThrow(alertsQuery, req.query);
  const checked = completeMonth('month', q.month, deps.now());
  const calendar = await deps.calendars.current();
  const workingDays = workingDaysByMonth(calendar, monthRange(addMonths(checked, -(ALERT_MONTHS - 1)), checked));
  const range = { fromAt: chinaMonthStart(checked), toAt: chinaMonthStart(addMonths(checked, 1)) };
  const found = [];
  for (const dimension of DIMENSIONS) {
    const watched = await watchedSeries(deps, dimension, checked, scope);
    const options = { month: checked, workingDays, yearOnYearShare: q.yearOnYearShare };
    for (const alert of riskAlerts(watched, options)) {
      const only = { groupBy: dimension, key: alert.key };
      const caseIds = await receivedCaseIds(deps.db, only, range, scope, ALERT_CASE_IDS);
      found.push({ dimension, label: labelOf(dimension, alert.key), ...alert, caseIds });
    }
  }
  res.setHeader('Cache-Control', 'no-store');
  res.json({ month: checked, yearOnYearShare: q.yearOnYearShare, alerts: found });
}

const labelOf = (g: GroupFilter['groupBy'], key: string) =>
  key === '' ? '未填写县（市、区）' : (codeLabel(g, key) ?? key);

// What the API answers (api/responses.ts) --------------------------------------------------------------------

const band = z.object({ lower: z.number(), upper: z.number() });
const forecastLabel = z.enum(['预测', '趋势参考']);

export const forecastShape = z.object({
  label: forecastLabel.describe('预测 with 24 months of history or more; 趋势参考 below'),
  method: z.enum(['mean_3_months', 'naive_drift', 'same_month_last_year', 'holt_winters']),
  description: z.string().describe('the method in one Chinese sentence'),
  cutoff: z.string().describe('the last month of data used'),
  historyMonths: z.number().int(),
  backtest: z
    .object({ origins: z.number().int(), mae: z.number(), mase: z.number().nullable() })
    .nullable()
    .describe("the chosen method's rolling-origin backtest error; null when the history is too short for one"),
  points: z.array(
    z.object({ month: z.string(), expected: z.number(), band80: band.nullable(), band95: band.nullable() }),
  ),
  parameters: z.object({ alpha: z.number(), beta: z.number(), gamma: z.number() }).optional(),
  calendar: z.object({
    version: z.string().nullable(),
    provisionalYears: z.array(z.number().int()),
    note: z.string().nullable(),
  }),
});

export const riskAlertShape = z.object({
  dimension: z.enum(DIMENSIONS),
  key: z.string().describe('the dispute type code or the county'),
  label: z.string(),
  month: z.string(),
  actual: z.number().int().describe('cases received in the month (all of them, however many ids are listed)'),
  expected: z.number(),
  band95: band.nullable(),
  basis: forecastLabel.nullable(),
  lastYear: z.object({ month: z.string(), count: z.number().int(), scaled: z.number() }).nullable(),
  reasons: z.array(z.object({ code: z.enum(['above_band_95', 'up_on_last_year']), text: z.string() })),
  caseIds: z.array(z.string()).describe(`the cases behind it, oldest first, at most ${ALERT_CASE_IDS}`),
});

export const FORECAST_RESPONSES: Record<string, z.ZodType> = {
  'get /statistics/forecast': z.object({
    metric: z.enum(FORECAST_METRIC_IDS),
    groupBy: z.enum(['disputeType', 'county']).optional(),
    key: z.string().optional(),
    cutoff: z.string(),
    history: z.array(z.object({ month: z.string(), value: z.number().int() })),
    forecast: forecastShape.nullable().describe('null when no case is in the history'),
  }),
  'get /statistics/alerts': z.object({
    month: z.string(),
    yearOnYearShare: z.number(),
    alerts: z.array(riskAlertShape),
  }),
};
