/**
 * The methods of the forecast ladder (docs/supervision.md#forecast), each a pure function from a training
 * window to point forecasts 1..h months ahead. The short-history methods work on counts; the baseline and
 * Holt-Winters work on counts per working day, so a month with fewer working days (the Spring Festival's)
 * expects fewer cases.
 */

/** What a method sees: counts and working days of the training months, and the working days of the months ahead. */
export type Training = {
  counts: readonly number[];
  workingDays: readonly number[];
  /** Working days of the months to forecast, 1, 2, … months after the last training month. */
  aheadWorkingDays: readonly number[];
};

export const SEASON = 12;

/** 3-month mean: the mean of the last three months (or of those there are), flat ahead. */
export function meanOfLastThree({ counts, aheadWorkingDays }: Training): number[] {
  const last = counts.slice(-3);
  const mean = last.reduce((a, b) => a + b, 0) / last.length;
  return aheadWorkingDays.map(() => mean);
}

/** Naive with drift: the last month plus h times the average monthly change from the first month to the last. */
export function naiveWithDrift({ counts, aheadWorkingDays }: Training): number[] {
  const last = counts.at(-1)!;
  const drift = counts.length > 1 ? (last - counts[0]!) / (counts.length - 1) : 0;
  return aheadWorkingDays.map((_, i) => last + (i + 1) * drift);
}

/**
 * Baseline: the same month last year scaled by working days (target month ÷ that month last year), i.e. last
 * year's count per working day times this month's working days. Multiplied before dividing, so whole counts
 * and working days give an exact result when the ratio is exact.
 */
export function sameMonthLastYear({ counts, workingDays, aheadWorkingDays }: Training): number[] {
  const n = counts.length;
  return aheadWorkingDays.map((target, i) => {
    const lastYear = n + i - SEASON; // index of the same month a year before the target
    if (lastYear < 0 || i >= SEASON) throw new RangeError('the baseline needs the same month of last year');
    return (counts[lastYear]! * target) / workingDays[lastYear]!;
  });
}

export type HoltWintersParameters = { alpha: number; beta: number; gamma: number };

type HoltWintersState = { level: number; trend: number; seasonal: number[]; sse: number };

/**
 * The smoothing constants searched, in this order (the first of equal errors wins, so the fit is deterministic):
 * level α 0.1–0.9, trend β up to α, season γ up to 1 − α (the usual admissible region).
 */
export const HOLT_WINTERS_GRID: readonly HoltWintersParameters[] = (() => {
  const grid: HoltWintersParameters[] = [];
  for (const alpha of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    for (const beta of [0, 0.05, 0.1, 0.2, 0.3])
      for (const gamma of [0, 0.05, 0.1, 0.2, 0.3, 0.5])
        if (beta <= alpha && gamma <= 1 - alpha) grid.push({ alpha, beta, gamma });
  return grid;
})();

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The state at the end of the first season: the level at month 12 from the first year's mean, the trend from
 * the second year's mean less the first's (none when there is only one year), and each month's seasonal
 * term as its deviation from that trend line, so a purely seasonal or purely linear series starts exact.
 */
function initialState(rates: readonly number[]): HoltWintersState {
  const firstYear = mean(rates.slice(0, SEASON));
  const trend = rates.length >= 2 * SEASON ? (mean(rates.slice(SEASON, 2 * SEASON)) - firstYear) / SEASON : 0;
  const centre = (SEASON - 1) / 2;
  const seasonal = rates.slice(0, SEASON).map((r, i) => r - (firstYear + (i - centre) * trend));
  return { level: firstYear + centre * trend, trend, seasonal, sse: 0 };
}

/** Additive Holt-Winters over the rates after the first season, with the one-step errors' sum of squares. */
function smooth(rates: readonly number[], { alpha, beta, gamma }: HoltWintersParameters): HoltWintersState {
  const state = initialState(rates);
  const seasonal = [...state.seasonal];
  let { level, trend, sse } = state;
  for (let t = SEASON; t < rates.length; t += 1) {
    const s = seasonal[t % SEASON]!;
    const error = rates[t]! - (level + trend + s);
    sse += error * error;
    const nextLevel = alpha * (rates[t]! - s) + (1 - alpha) * (level + trend);
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    level = nextLevel;
    seasonal[t % SEASON] = gamma * (rates[t]! - level) + (1 - gamma) * s;
  }
  return { level, trend, seasonal, sse };
}

/** The grid point with the least in-sample one-step sum of squared errors. */
export function fitHoltWinters(rates: readonly number[]): HoltWintersParameters & { state: HoltWintersState } {
  if (rates.length < SEASON) throw new RangeError('Holt-Winters needs a full season to start from');
  let best: (HoltWintersParameters & { state: HoltWintersState }) | undefined;
  for (const parameters of HOLT_WINTERS_GRID) {
    const state = smooth(rates, parameters);
    if (!best || state.sse < best.state.sse) best = { ...parameters, state };
  }
  return best!;
}

/**
 * Holt-Winters on counts per working day: fit on the training rates, forecast the rate h months ahead
 * (level + h·trend + that month's seasonal term) and multiply by the target month's working days.
 */
export function holtWinters(training: Training): { forecasts: number[]; parameters: HoltWintersParameters } {
  const rates = training.counts.map((c, i) => c / training.workingDays[i]!);
  const { state, ...parameters } = fitHoltWinters(rates);
  const n = rates.length;
  const forecasts = training.aheadWorkingDays.map((days, i) => {
    const h = i + 1;
    return (state.level + h * state.trend + state.seasonal[(n - 1 + h) % SEASON]!) * days;
  });
  return { forecasts, parameters };
}
