/**
 * Forecast of monthly case counts for the 司法行政部门 (seed Art 15; docs/supervision.md#forecast). The
 * ladder: with fewer than 24 months, a 3-month mean or naive with drift, labelled 趋势参考 and never 预测; with
 * 24 or more, the same month last year scaled by working days, replaced by additive Holt-Winters on counts
 * per working day only where Holt-Winters beats it in the rolling-origin backtest. Only the chosen method is
 * returned: a model that lost is never shown. Pure and deterministic (no clock, no randomness).
 */
import {
  BACKTEST_MONTHS,
  HORIZONS,
  backtest,
  bandAround,
  meanAbsoluteScaledError,
  notNegative,
  type Band,
  type BacktestResult,
  type Method,
} from './backtest.js';
import {
  SEASON,
  holtWinters,
  meanOfLastThree,
  naiveWithDrift,
  sameMonthLastYear,
  type HoltWintersParameters,
} from './methods.js';
import { addMonths, workingDaysOf, type MonthlySeries, type WorkingDayTable } from './months.js';

export type { Band } from './backtest.js';
export type { HoltWintersParameters } from './methods.js';

/** Months of history a 预测 needs (two full seasons); below it the figure is only 趋势参考. */
export const MIN_FORECAST_MONTHS = 2 * SEASON;

export type ForecastMethodId = 'mean_3_months' | 'naive_drift' | 'same_month_last_year' | 'holt_winters';

/** The one Chinese sentence shown with a forecast, per method. */
export const METHOD_DESCRIPTIONS: Record<ForecastMethodId, string> = {
  mean_3_months: '以最近3个月案件数的平均值作为今后各月的参考值。',
  naive_drift: '以最近一个月的案件数为起点，按历史首月至末月的平均每月变化量向后外推。',
  same_month_last_year:
    '以去年同月的案件数按两月工作日数之比（本月工作日数÷去年同月工作日数）折算，春节等假期在一月、二月间的移动随之体现。',
  holt_winters:
    '对每工作日案件数作加法Holt-Winters平滑（水平、趋势及12个月季节项，平滑参数按一步预测误差平方和最小选定），再乘以目标月工作日数；其回测误差低于去年同月折算法。',
};

export type ForecastPoint = { month: string; expected: number; band80: Band | null; band95: Band | null };

export type Forecast = {
  /** 预测 with 24 months or more; 趋势参考 below (docs/supervision.md#the-ladder). */
  label: '预测' | '趋势参考';
  method: ForecastMethodId;
  description: string;
  /** The last month of data used. */
  cutoff: string;
  historyMonths: number;
  /** The chosen method's rolling-origin backtest; null when the series is too short to run one. */
  backtest: { origins: number; mae: number; mase: number | null } | null;
  points: ForecastPoint[];
  parameters?: HoltWintersParameters;
  /** The holiday calendar the working days came from, and the years it could only count provisionally. */
  calendar: { version: string | null; provisionalYears: number[]; note: string | null };
};

type Candidate = { id: ForecastMethodId; run: Method; minTraining: number };

const MEAN: Candidate = { id: 'mean_3_months', run: meanOfLastThree, minTraining: 1 };
const DRIFT: Candidate = { id: 'naive_drift', run: naiveWithDrift, minTraining: 1 };
const BASELINE: Candidate = { id: 'same_month_last_year', run: sameMonthLastYear, minTraining: SEASON };
const HOLT_WINTERS: Candidate = { id: 'holt_winters', run: (t) => holtWinters(t).forecasts, minTraining: SEASON };

/**
 * Holt-Winters must beat the baseline by more than floating-point noise: an MAE lower by less than this is a
 * tie, and a tie keeps the baseline.
 */
const NOISE = 1e-9;

/**
 * The candidate that wins the backtest: the first (the simpler) unless the second's MAE is lower. With 24
 * months or more the baseline is first and Holt-Winters second; below, the 3-month mean and then drift.
 */
function choose(
  first: Candidate,
  second: Candidate,
  counts: readonly number[],
  days: readonly number[],
): { chosen: Candidate; result: BacktestResult | null } {
  const a = backtest(first.run, counts, days, first.minTraining);
  const b = backtest(second.run, counts, days, second.minTraining);
  if (a && b && b.mae < a.mae - NOISE) return { chosen: second, result: b };
  return { chosen: first, result: a };
}

function calendarNote(table: WorkingDayTable, months: readonly string[]): Forecast['calendar'] {
  const used = new Set(months.map((m) => Number(m.slice(0, 4))));
  const provisionalYears = (table.provisionalYears ?? []).filter((y) => used.has(y));
  const note =
    provisionalYears.length === 0
      ? null
      : `${provisionalYears.join('、')}年国务院节假日安排未载入：该年各月工作日数暂按周末及法定节假日推算（不含调休上班日），相关折算为暂定。`;
  return { version: table.calendarVersion ?? null, provisionalYears, note };
}

/**
 * Forecasts the next 1–3 months (`horizon`, default 3) after the series' cut-off. `workingDays` must cover
 * every month of the series and the months ahead (workingDaysByMonth gives it from the holiday calendar).
 */
export function forecastSeries(series: MonthlySeries, workingDays: WorkingDayTable, horizon = HORIZONS): Forecast {
  const { months, counts } = series;
  if (months.length === 0) throw new RangeError('a forecast needs at least one month of data');
  if (counts.length !== months.length) throw new RangeError('a series needs one count per month');
  if (!(horizon >= 1 && horizon <= HORIZONS)) throw new RangeError(`the horizon is 1 to ${HORIZONS} months`);
  const cutoff = months.at(-1)!;
  const ahead = Array.from({ length: horizon }, (_, i) => addMonths(cutoff, i + 1));
  const long = months.length >= MIN_FORECAST_MONTHS;
  // Counts per working day only matter to the long methods; the short ones do not read the calendar.
  const days = long ? months.map((m) => workingDaysOf(workingDays, m)) : months.map(() => 1);
  const aheadDays = long ? ahead.map((m) => workingDaysOf(workingDays, m)) : ahead.map(() => 1);
  const { chosen, result } = long ? choose(BASELINE, HOLT_WINTERS, counts, days) : choose(MEAN, DRIFT, counts, days);
  const training = { counts, workingDays: days, aheadWorkingDays: aheadDays };
  const fitted = chosen === HOLT_WINTERS ? holtWinters(training) : { forecasts: chosen.run(training) };
  const forecasts = fitted.forecasts;
  const points = ahead.map((month, i) => {
    const expected = notNegative(forecasts[i]!);
    const errors = result?.errorsByHorizon[i] ?? [];
    return { month, expected, band80: bandAround(expected, errors, 80), band95: bandAround(expected, errors, 95) };
  });
  return {
    label: long ? '预测' : '趋势参考',
    method: chosen.id,
    description: METHOD_DESCRIPTIONS[chosen.id],
    cutoff,
    historyMonths: months.length,
    backtest: result && { origins: result.origins, mae: result.mae, mase: meanAbsoluteScaledError(result.mae, counts) },
    points,
    ...('parameters' in fitted ? { parameters: fitted.parameters } : {}),
    calendar: long
      ? calendarNote(workingDays, [...months, ...ahead])
      : { version: null, provisionalYears: [], note: null },
  };
}

export { BACKTEST_MONTHS, HORIZONS };
