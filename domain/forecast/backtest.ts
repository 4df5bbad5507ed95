/**
 * The rolling-origin backtest that chooses a forecast method and sizes its bands
 * (docs/supervision.md#backtest-error-and-bands): from each origin over the last 12 months, forecast 1–3
 * months ahead with only the data up to the origin, and compare with what came.
 */
import { SEASON, type Training } from './methods.js';

export const HORIZONS = 3;
/** Origins whose forecasts land in the last 12 months of the series. */
export const BACKTEST_MONTHS = 12;

/** A method as the backtest runs it: a training window in, forecasts for each month ahead out. */
export type Method = (training: Training) => number[];

export type BacktestResult = {
  origins: number;
  /** Mean absolute error over every (origin, horizon) pair. */
  mae: number;
  /** Absolute errors by horizon: index 0 holds the one-month-ahead errors. */
  errorsByHorizon: number[][];
};

/** A count is never negative: a method's forecast below 0 is shown, and scored, as 0. */
export const notNegative = (x: number): number => (x > 0 ? x : 0);

/** The training window ending at `origin` (its last month's index) and the working days of up to 3 months after. */
export function trainingAt(counts: readonly number[], workingDays: readonly number[], origin: number): Training {
  const ahead = Math.min(HORIZONS, counts.length - 1 - origin);
  return {
    counts: counts.slice(0, origin + 1),
    workingDays: workingDays.slice(0, origin + 1),
    aheadWorkingDays: workingDays.slice(origin + 1, origin + 1 + ahead),
  };
}

/**
 * The origins: the last months of training windows whose next month falls in the last 12 months of the
 * series, and that leave the method at least `minTraining` months to learn from.
 */
export function origins(length: number, minTraining: number): number[] {
  const first = Math.max(length - 1 - BACKTEST_MONTHS, minTraining - 1);
  const result: number[] = [];
  for (let o = first; o <= length - 2; o += 1) result.push(o);
  return result;
}

/** Runs a method from every origin; null when there is no origin to run from. */
export function backtest(
  method: Method,
  counts: readonly number[],
  workingDays: readonly number[],
  minTraining: number,
): BacktestResult | null {
  const from = origins(counts.length, minTraining);
  if (from.length === 0) return null;
  const errorsByHorizon: number[][] = Array.from({ length: HORIZONS }, () => []);
  for (const origin of from) {
    const forecasts = method(trainingAt(counts, workingDays, origin));
    forecasts.forEach((f, i) => errorsByHorizon[i]!.push(Math.abs(counts[origin + 1 + i]! - notNegative(f))));
  }
  const all = errorsByHorizon.flat();
  return { origins: from.length, mae: all.reduce((a, b) => a + b, 0) / all.length, errorsByHorizon };
}

/**
 * MASE: the backtest MAE over the in-sample MAE of the seasonal naive forecast (each month as the same month
 * a year before) across the whole series; a series shorter than 13 months has no seasonal naive, so its scale
 * is the one-month naive (each month as the month before). When that scale is 0 (the series repeats itself
 * exactly) no ratio to it means anything: MASE is null and the MAE stands alone.
 */
export function meanAbsoluteScaledError(mae: number, counts: readonly number[]): number | null {
  const lag = counts.length > SEASON ? SEASON : 1;
  if (counts.length <= lag) return null;
  let sum = 0;
  for (let t = lag; t < counts.length; t += 1) sum += Math.abs(counts[t]! - counts[t - lag]!);
  const scale = sum / (counts.length - lag);
  return scale > 0 ? mae / scale : null;
}

/**
 * The empirical quantile of absolute errors, nearest rank (the ⌈p·k⌉-th smallest of k, no interpolation):
 * with 10–12 errors per horizon, the 95% band reaches the largest error the backtest saw and the 80% band
 * the tenth or so. `percent` is a whole number, so the rank is exact.
 */
export function errorQuantile(errors: readonly number[], percent: 80 | 95): number {
  const sorted = [...errors].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[rank - 1]!;
}

export type Band = { lower: number; upper: number };

/** A band around a forecast: the error quantile either side, the lower edge never below 0. */
export function bandAround(point: number, errors: readonly number[], percent: 80 | 95): Band | null {
  if (errors.length === 0) return null;
  const q = errorQuantile(errors, percent);
  return { lower: notNegative(point - q), upper: point + q };
}
