/** The statistics' operations, for the OpenAPI catalogue (api/openapi.ts). */
import type { Operation } from './openapi.js';
import { CENTER_ACTIONS } from '../domain/access-policy.js';
import { METRICS } from '../domain/statistics.js';
import { seriesQuery, summaryQuery } from './routes/statistics.js';

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
];
