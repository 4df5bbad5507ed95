/**
 * What the statistics screens ask the API and how they show its figures (docs/supervision.md#statistics; seed
 * Art 15): the periods (whole months in Beijing time, and the same length just before for the change), the
 * metrics on the cards, and numbers as a supervisor reads them. The server counts; nothing here recounts.
 */
import { api, ok } from '../../../api/client';
import type { paths } from '../../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Summary = Json<paths['/statistics/summary']['get']['responses'][200]>;
export type SummaryMetric = Summary['metrics'][number];
export type Series = Json<paths['/statistics/series']['get']['responses'][200]>;
export type SeriesRow = Series['rows'][number];
export type MetricId = SummaryMetric['id'];
export type Grouping = NonNullable<NonNullable<paths['/statistics/series']['get']['parameters']['query']>['groupBy']>;

/** A period of whole China dates, both ends included. */
export type Period = { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** Today's date in Beijing time (YYYY-MM-DD), whatever the browser's own zone. */
export function chinaToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/** The first day of the month `months` before the month of `day`. */
export function firstOfMonthBefore(day: string, months: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

/** The day before a date (YYYY-MM-DD), on the proleptic calendar (no time zone involved). */
export function dayBefore(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The last `months` months up to today (this month so far included), and the period just before it of the same
 * number of whole months: the one each card's change is measured against.
 */
export function periodsOf(months: number, today: string): { current: Period; previous: Period } {
  const from = firstOfMonthBefore(today, months - 1);
  return {
    current: { from, to: today },
    previous: { from: firstOfMonthBefore(from, months), to: dayBefore(from) },
  };
}

/** The months of a period, YYYY-MM, oldest first. */
export function monthsOf(p: Period): string[] {
  const months: string[] = [];
  for (let m = p.from.slice(0, 7); m <= p.to.slice(0, 7); m = firstOfMonthBefore(`${m}-01`, -1).slice(0, 7))
    months.push(m);
  return months;
}

export const PERIOD_CHOICES = [
  { months: 1, label: '本月' },
  { months: 3, label: '近3个月' },
  { months: 12, label: '近12个月' },
] as const;

/**
 * The cards: flows over the period compare with the period before; 在办 and 临期 are as of now (the open cases
 * registered in the period, the deadlines due within 3 working days), so they show no change.
 */
export const CARD_METRICS: { id: MetricId; asOfNow?: true }[] = [
  { id: 'received' },
  { id: 'accepted' },
  { id: 'concluded' },
  { id: 'success_rate' },
  { id: 'duration_from_acceptance' },
  { id: 'overdue' },
  { id: 'open', asOfNow: true },
  { id: 'near_due', asOfNow: true },
  { id: 'satisfaction_rate' },
  { id: 'rating_rate' },
];

/** The metrics a trend may show (counts by month; a forecast is made for each of them). */
export const TREND_METRICS: MetricId[] = ['received', 'accepted', 'concluded', 'agreements'];

/** The breakdowns beside the trend: who and what the period's cases were, and how old the open ones are. */
export const BREAKDOWNS: { metric: MetricId; groupBy: Grouping; title: string }[] = [
  { metric: 'received', groupBy: 'disputeType', title: '登记量（按纠纷类型）' },
  { metric: 'received', groupBy: 'organization', title: '登记量（按调解组织）' },
  { metric: 'received', groupBy: 'county', title: '登记量（按县（市、区））' },
  { metric: 'open', groupBy: 'ageBucket', title: '在办案件（按积压账龄）' },
];

const percent = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

/** A figure as read: a count, a share as a percentage, a duration in days; — when there is nothing to divide. */
export function formatFigure(kind: SummaryMetric['kind'], value: number | null): string {
  if (value === null) return '—';
  if (kind === 'ratio') return percent.format(value);
  if (kind === 'duration') return `${count.format(value)} 天`;
  return count.format(value);
}

/** The change on the previous period, in words (never a colour alone): 较上期 +3、−12.5 个百分点、持平. */
export function formatChange(kind: SummaryMetric['kind'], now: number | null, before: number | null): string {
  if (now === null || before === null) return '上期无可比数据';
  const diff = now - before;
  if (Math.abs(diff) < 1e-9) return '较上期持平';
  const sign = diff > 0 ? '+' : '−';
  if (kind === 'ratio') return `较上期 ${sign}${count.format(Math.abs(diff) * 100)} 个百分点`;
  if (kind === 'duration') return `较上期 ${sign}${count.format(Math.abs(diff))} 天`;
  const share = before > 0 ? `（${sign}${percent.format(Math.abs(diff) / before)}）` : '';
  return `较上期 ${sign}${count.format(Math.abs(diff))}${share}`;
}

/** The query a period and an optional download format make. */
const periodQuery = (p: Period, format?: 'csv' | 'xlsx') => ({ from: p.from, to: p.to, ...(format ? { format } : {}) });

export const fetchSummary = (p: Period) =>
  ok(api.GET('/statistics/summary', { params: { query: periodQuery(p) } })) as Promise<Summary>;

export const fetchSeries = (metric: MetricId, groupBy: Grouping, p: Period) =>
  ok(api.GET('/statistics/series', { params: { query: { metric, groupBy, ...periodQuery(p) } } })) as Promise<Series>;

/** A table as a file (the session's token goes with the request, so it cannot be a plain link). */
export async function fetchDownload(
  what: { kind: 'summary' } | { kind: 'series'; metric: MetricId; groupBy: Grouping },
  p: Period,
  format: 'csv' | 'xlsx',
): Promise<{ blob: Blob; fileName: string }> {
  const call =
    what.kind === 'summary'
      ? api.GET('/statistics/summary', { params: { query: periodQuery(p, format) }, parseAs: 'blob' })
      : api.GET('/statistics/series', {
          params: { query: { metric: what.metric, groupBy: what.groupBy, ...periodQuery(p, format) } },
          parseAs: 'blob',
        });
  const result = await call;
  const blob = await ok(Promise.resolve(result) as Promise<{ data?: Blob; error?: unknown; response: Response }>);
  return { blob, fileName: fileNameOf(result.response) ?? `statistics.${format}` };
}

/** The file's name as the server gave it (RFC 6266: the UTF-8 `filename*` first). */
function fileNameOf(res: Response): string | undefined {
  const header = res.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  return /filename="?([^";]+)"?/i.exec(header)?.[1];
}
