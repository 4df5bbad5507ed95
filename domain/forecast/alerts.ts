/**
 * Risk alerts (seed Art 15; docs/supervision.md#forecast): a dispute type or county whose latest month is
 * above the 95% band of the forecast made with the data up to the month before, or up by more than a
 * configured share on the same month last year, with the cases behind it.
 */
import type { Band } from './backtest.js';
import { forecastSeries, type Forecast } from './ladder.js';
import { addMonths, isMonth, monthlySeries, workingDaysOf, type WorkingDayTable } from './months.js';

/** One series to watch: a dispute type or a county, its counts per month and the ids of the cases counted. */
export type WatchedSeries = {
  key: string;
  counts: Readonly<Record<string, number>>;
  caseIds: Readonly<Record<string, readonly string[]>>;
  /** The first month of its history (default: the earliest month in `counts`). */
  firstMonth?: string;
};

export type AlertOptions = {
  /** The latest month, the one checked. */
  month: string;
  workingDays: WorkingDayTable;
  /** Alert when the month is more than this share above the same month last year (0.5: more than 50%). */
  yearOnYearShare: number;
};

export type AlertReason = { code: 'above_band_95' | 'up_on_last_year'; text: string };

export type RiskAlert = {
  key: string;
  month: string;
  actual: number;
  /** The forecast's expected count; without a forecast, last year's count scaled by working days. */
  expected: number;
  /** The 95% band of the forecast made with the data up to the month before (null: too short for one). */
  band95: Band | null;
  /** 预测 or 趋势参考: what the band rests on (null: no forecast). */
  basis: Forecast['label'] | null;
  lastYear: { month: string; count: number; scaled: number } | null;
  reasons: AlertReason[];
  caseIds: string[];
};

const shown = (x: number) => String(Math.round(x * 10) / 10);

/** The forecast of `month` from the data up to the month before; null when there is no earlier month. */
function forecastOf(series: WatchedSeries, month: string, workingDays: WorkingDayTable): Forecast | null {
  const history = monthlySeries(series.counts, addMonths(month, -1), series.firstMonth);
  if (history.months.length === 0) return null;
  return forecastSeries(history, workingDays, 1);
}

/**
 * Last year's count of the month, scaled by working days (as the baseline scales it), so a Spring Festival
 * that moved into or out of the month is not taken for a rise; null before the series' first month.
 */
function lastYearOf(series: WatchedSeries, month: string, workingDays: WorkingDayTable): RiskAlert['lastYear'] {
  const previous = addMonths(month, -12);
  const first = series.firstMonth ?? Object.keys(series.counts).sort()[0];
  if (first === undefined || previous < first) return null;
  const count = series.counts[previous] ?? 0;
  const scaled = (count * workingDaysOf(workingDays, month)) / workingDaysOf(workingDays, previous);
  return { month: previous, count, scaled };
}

function reasonsFor(
  actual: number,
  month: string,
  forecast: Forecast | null,
  lastYear: RiskAlert['lastYear'],
  share: number,
): AlertReason[] {
  const reasons: AlertReason[] = [];
  const point = forecast?.points[0];
  if (point?.band95 && actual > point.band95.upper)
    reasons.push({
      code: 'above_band_95',
      text: `${month}案件数${actual}件，高于据${forecast!.cutoff}及以前数据所作${forecast!.label}的95%区间上限${shown(point.band95.upper)}件（预计${shown(point.expected)}件）。`,
    });
  // Last year's month with no case gives no share to be up by: this rule is silent, the band still applies.
  if (lastYear && lastYear.count > 0 && actual > lastYear.scaled * (1 + share))
    reasons.push({
      code: 'up_on_last_year',
      text: `${month}案件数${actual}件，较去年同月${lastYear.count}件按工作日折算的${shown(lastYear.scaled)}件增加${shown((actual / lastYear.scaled - 1) * 100)}%，超过设定的${shown(share * 100)}%。`,
    });
  return reasons;
}

/** The alerts of one month across the watched series, in the order the series were given. */
export function riskAlerts(watched: readonly WatchedSeries[], options: AlertOptions): RiskAlert[] {
  const { month, workingDays, yearOnYearShare } = options;
  if (!isMonth(month)) throw new RangeError(`month must be YYYY-MM, not ${JSON.stringify(month)}`);
  if (!(yearOnYearShare >= 0)) throw new RangeError('yearOnYearShare must be 0 or more');
  const alerts: RiskAlert[] = [];
  for (const series of watched) {
    const actual = series.counts[month] ?? 0;
    const forecast = forecastOf(series, month, workingDays);
    const lastYear = lastYearOf(series, month, workingDays);
    const reasons = reasonsFor(actual, month, forecast, lastYear, yearOnYearShare);
    if (reasons.length === 0) continue;
    const point = forecast?.points[0];
    alerts.push({
      key: series.key,
      month,
      actual,
      expected: point?.expected ?? lastYear!.scaled,
      band95: point?.band95 ?? null,
      basis: forecast?.label ?? null,
      lastYear,
      reasons,
      caseIds: [...(series.caseIds[month] ?? [])],
    });
  }
  return alerts;
}
