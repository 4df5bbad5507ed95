/** Small statistics shared by the bench's parts. */

/** The p-th percentile by nearest rank (p99 of 200 samples is the second largest). */
export const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export const round = (n: number): number => Math.round(n * 100) / 100;
