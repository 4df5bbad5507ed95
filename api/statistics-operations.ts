/** The statistics' operations, for the OpenAPI catalogue (api/openapi.ts). */
import type { Operation } from './openapi.js';
import { CENTER_ACTIONS } from '../domain/access-policy.js';
import { METRICS } from '../domain/statistics.js';
import { seriesQuery, summaryQuery } from './routes/statistics.js';
import { ALERT_CASE_IDS, alertsQuery, forecastQuery } from './routes/statistics-forecast.js';

const SCOPE =
  "The supervisor counts every case; an organization's clerk the cases taken in or handled there; a mediator the cases assigned to them.";
const DOWNLOAD =
  '`format=csv` or `format=xlsx` (or an Accept of text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) downloads the same table as a file with its name in Content-Disposition.';
const REFUSED = 'a legal-aid officer, a court, a notary office or a party: the statistics are the supervision’s';

export const STATISTICS_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/statistics/summary',
    summary: 'every metric over a period',
    description: `Every metric (${METRICS.map((m) => m.label).join('、')}) over a period of China dates, each with its definition; counted from the per-case facts, never the event log. ${SCOPE} ${DOWNLOAD}`,
    tag: 'statistics',
    auth: 'session',
    roles: CENTER_ACTIONS.readStatistics,
    query: summaryQuery,
    refusals: { 400: 'a date that is not YYYY-MM-DD, `from` after `to`, or more than 120 months', 403: REFUSED },
  },
  {
    method: 'get',
    path: '/statistics/series',
    summary: 'one metric grouped',
    description: `One metric grouped by month (Beijing time; every month of the period, a month without a case as 0), dispute type, organization, mediator, channel, county or priority group (a case in two groups counts in each); deadline metrics also by rule, open cases by status and age. ${SCOPE} ${DOWNLOAD}`,
    tag: 'statistics',
    auth: 'session',
    roles: CENTER_ACTIONS.readStatistics,
    query: seriesQuery,
    refusals: {
      400: 'an unknown metric or grouping, a grouping the metric does not take, or a bad period',
      403: REFUSED,
    },
  },
  {
    method: 'get',
    path: '/statistics/forecast',
    summary: 'the monthly history of a count and its forecast',
    description: `The monthly history of a count (cases received, accepted, concluded, agreements or certificates; of the whole scope, or of one dispute type or county) up to the cut-off month, from its first month with a case, and the forecast of the next 1–3 months: with 24 months or more a 预测 (the same month last year scaled by working days, or additive Holt-Winters where it beat that in the rolling-origin backtest), below a 趋势参考 (3-month mean or naive with drift); the method in one sentence, its backtest MAE and MASE, 80% and 95% bands, and the holiday calendar's version with any year counted provisionally. ${SCOPE}`,
    tag: 'statistics',
    auth: 'session',
    roles: CENTER_ACTIONS.readStatistics,
    query: forecastQuery,
    refusals: {
      400: 'a metric that is not a dated count, `groupBy` without `key` (or the reverse), a cut-off that is not a complete month',
      403: REFUSED,
    },
  },
  {
    method: 'get',
    path: '/statistics/alerts',
    summary: 'dispute types and counties on the rise',
    description: `The dispute types and counties whose cases received in the month checked are above the 95% band of the forecast made with the data up to the month before, or up by more than \`yearOnYearShare\` on the same month last year scaled by working days; each with its reasons in Chinese and the ids of the cases behind it (at most ${ALERT_CASE_IDS}, oldest first). ${SCOPE}`,
    tag: 'statistics',
    auth: 'session',
    roles: CENTER_ACTIONS.readStatistics,
    query: alertsQuery,
    refusals: { 400: 'a month that is not a complete month YYYY-MM, or a share outside 0–10', 403: REFUSED },
  },
];
