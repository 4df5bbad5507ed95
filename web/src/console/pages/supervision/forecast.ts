/**
 * The forecast on a trend and the risk alerts (docs/supervision.md#forecast-and-risk-alerts; seed Art 15), as
 * GET /statistics/forecast and GET /statistics/alerts answer them. Their shapes restate the domain's types
 * (domain/forecast/ladder.ts `Forecast`, domain/forecast/alerts.ts `RiskAlert`) until the OpenAPI document lists
 * the two routes; a server without them answers 404, which the screen shows as 暂无预测, never as a failure.
 */
import { api, ok } from '../../../api/client';
import { ApiError } from '../../../api/problems';
import type { Grouping, MetricId } from './stats';

export type Band = { lower: number; upper: number };
export type ForecastPoint = { month: string; expected: number; band80: Band | null; band95: Band | null };
export type Forecast = {
  label: '预测' | '趋势参考';
  method: 'mean_3_months' | 'naive_drift' | 'same_month_last_year' | 'holt_winters';
  /** The method in one Chinese sentence. */
  description: string;
  /** The last month of data used. */
  cutoff: string;
  historyMonths: number;
  backtest: { origins: number; mae: number; mase: number | null } | null;
  points: ForecastPoint[];
  calendar?: { version: string | null; provisionalYears: number[]; note: string | null };
};
export type ForecastAnswer = { metric: string; history: { month: string; value: number }[]; forecast: Forecast | null };

export type RiskAlert = {
  key: string;
  month: string;
  actual: number;
  expected: number;
  band95: Band | null;
  basis: '预测' | '趋势参考' | null;
  lastYear: { month: string; count: number; scaled: number } | null;
  reasons: { code: string; text: string }[];
  caseIds: string[];
  /** Whether the key is a dispute type or a county, and its name. */
  dimension?: 'disputeType' | 'county';
  label?: string;
};

type Untyped = {
  GET(
    path: string,
    init: { params: { query: Record<string, string> } },
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
};
/** The typed client (with the session's token) on a path its generated schema may not list yet. */
const untyped = api as unknown as Untyped;

/** Not offered by this server (yet): 404, 405 or 501. */
export const notOffered = (e: unknown) => e instanceof ApiError && [404, 405, 501].includes(e.status);

/** The forecast of a metric, or null where the server offers none. */
export async function fetchForecast(
  metric: MetricId,
  group?: { groupBy: Extract<Grouping, 'disputeType' | 'county'>; key: string },
): Promise<ForecastAnswer | null> {
  const query: Record<string, string> = { metric, ...(group ? { groupBy: group.groupBy, key: group.key } : {}) };
  try {
    return (await ok(untyped.GET('/statistics/forecast', { params: { query } }))) as ForecastAnswer;
  } catch (e) {
    if (notOffered(e)) return null;
    throw e;
  }
}

/** The alerts, or null where the server offers none. */
export async function fetchAlerts(): Promise<RiskAlert[] | null> {
  try {
    const answer = (await ok(untyped.GET('/statistics/alerts', { params: { query: {} } }))) as { alerts: RiskAlert[] };
    return answer.alerts;
  } catch (e) {
    if (notOffered(e)) return null;
    throw e;
  }
}

const one = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
export const formatCount = (x: number) => one.format(x);
export const formatBand = (b: Band | null) => (b ? `${one.format(b.lower)}～${one.format(b.upper)}` : '—');

/** The backtest in words: MAE in cases a month, MASE against the naive method (below 1: better than it). */
export function backtestText(f: Forecast): string {
  if (!f.backtest) return '历史数据不足，未作回测。';
  const mase = f.backtest.mase === null ? '' : `，MASE ${two.format(f.backtest.mase)}`;
  return `滚动起点回测（${f.backtest.origins} 个起点）：MAE ${two.format(f.backtest.mae)} 件/月${mase}`;
}
