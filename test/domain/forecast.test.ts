/**
 * The forecast ladder and risk alerts (docs/supervision.md#forecast): properties of every method (a
 * constant series forecasts itself, a purely seasonal one is reproduced, the working-day scaling moves with
 * the Spring Festival, bands are ordered and never negative, a short history is never a 预测), the backtest's
 * choice, and alerts with their cases. Every month here is pinned: nothing depends on the day the suite runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarYearMissing } from '../../domain/calendar.js';
import { backtest } from '../../domain/forecast/backtest.js';
import {
  addMonths,
  forecastSeries,
  monthRange,
  monthlySeries,
  riskAlerts,
  workingDaysByMonth,
  type Forecast,
  type MonthlySeries,
  type WorkingDayTable,
} from '../../domain/forecast/index.js';
import { holtWinters, meanOfLastThree, naiveWithDrift, sameMonthLastYear } from '../../domain/forecast/methods.js';
import { loadHolidayCalendar, readShippedCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
const FIRST = '2021-01';

/** A series of consecutive months from FIRST, and the months after it. */
function seriesOf(counts: readonly number[]): MonthlySeries {
  return { months: counts.map((_, i) => addMonths(FIRST, i)), counts: [...counts] };
}

/** The same number of working days in every month from FIRST for `length` months and 3 more. */
function equalDays(length: number, days = 20): WorkingDayTable {
  return { days: Object.fromEntries(monthRange(FIRST, addMonths(FIRST, length + 2)).map((m) => [m, days])) };
}

/** Working days per month from FIRST as given (the series' months and the 3 ahead). */
function daysOf(days: readonly number[]): WorkingDayTable {
  return { days: Object.fromEntries(days.map((d, i) => [addMonths(FIRST, i), d])) };
}

const training = (counts: readonly number[], days = 20) => ({
  counts,
  workingDays: counts.map(() => days),
  aheadWorkingDays: [days, days, days],
});

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 6);

describe('the forecast methods', () => {
  it('when a series is constant, then every method forecasts the constant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 60 }), (c, n) => {
        const counts = Array.from({ length: n }, () => c);
        for (const f of meanOfLastThree(training(counts))) close(f, c);
        for (const f of naiveWithDrift(training(counts))) close(f, c);
        if (n >= 12) {
          for (const f of sameMonthLastYear(training(counts))) close(f, c);
          for (const f of holtWinters(training(counts)).forecasts) close(f, c);
        }
        const forecast = forecastSeries(seriesOf(counts), equalDays(n, 21));
        for (const p of forecast.points) close(p.expected, c);
      }),
      { numRuns: 30 },
    );
  });

  it('when a series is purely seasonal with equal working days, then the baseline and Holt-Winters reproduce it', () => {
    const pattern = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(pattern, fc.integer({ min: 24, max: 60 }), (season, n) => {
        const counts = Array.from({ length: n }, (_, t) => season[t % 12]!);
        const next = [0, 1, 2].map((h) => season[(n + h) % 12]!);
        sameMonthLastYear(training(counts)).forEach((f, i) => close(f, next[i]!));
        holtWinters(training(counts)).forecasts.forEach((f, i) => close(f, next[i]!));
        const forecast = forecastSeries(seriesOf(counts), equalDays(n));
        expect(forecast.label).toBe('预测');
        forecast.points.forEach((p, i) => close(p.expected, next[i]!));
      }),
      { numRuns: 30 },
    );
  });
});

describe('working days and the Spring Festival', () => {
  it('when the festival moves from January (2023) to February (2024), then the working days move with it', () => {
    const { days } = workingDaysByMonth(cal, ['2023-01', '2023-02', '2024-01', '2024-02']);
    // 春节 2023: 21–27 January; 2024: 10–17 February.
    expect(days['2023-01']).toBeLessThan(days['2024-01']!);
    expect(days['2024-02']).toBeLessThan(days['2023-02']!);
  });

  it('when a series is proportional to working days, then the baseline forecasts it exactly whichever month the festival falls in', () => {
    const first = '2022-01';
    const table = workingDaysByMonth(cal, monthRange(first, '2027-03'));
    const cutoffs = monthRange('2023-12', '2026-12');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.constantFrom(...cutoffs), (k, cutoff) => {
        const counts = Object.fromEntries(monthRange(first, cutoff).map((m) => [m, k * table.days[m]!]));
        const forecast = forecastSeries(monthlySeries(counts, cutoff, first), table);
        expect(forecast.method).toBe('same_month_last_year');
        for (const p of forecast.points) expect(p.expected).toBe(k * table.days[p.month]!);
      }),
      { numRuns: 30 },
    );
    // January 2024 after a January festival: 22 working days against 17, so not last year's count.
    const counts = Object.fromEntries(monthRange(first, '2023-12').map((m) => [m, 3 * table.days[m]!]));
    const jan = forecastSeries(monthlySeries(counts, '2023-12', first), table).points[0]!;
    expect(jan).toMatchObject({ month: '2024-01', expected: 3 * 22 });
    expect(counts['2023-01']).toBe(3 * 17);
  });

  it('when months fall in a year no notice covers, then they are counted provisionally and the forecast says so', () => {
    const table = workingDaysByMonth(cal, monthRange('2025-01', '2027-03'));
    expect(table.provisionalYears).toEqual([2027]);
    expect(table.calendarVersion).toBe(`${cal.version}+provisional-2027`);
    const counts = Object.fromEntries(monthRange('2025-01', '2026-12').map((m) => [m, 2 * table.days[m]!]));
    const forecast = forecastSeries(monthlySeries(counts, '2026-12'), table);
    expect(forecast.calendar.provisionalYears).toEqual([2027]);
    expect(forecast.calendar.note).toContain('2027年');
    expect(() => workingDaysByMonth(readShippedCalendar(), ['2027-01'])).toThrow(CalendarYearMissing);
  });
});

/** Arbitrary counts with arbitrary working days for the months and the 3 ahead. */
const anySeries = fc
  .integer({ min: 1, max: 48 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 300 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 12, max: 23 }), { minLength: n + 3, maxLength: n + 3 }),
    ),
  );

describe('the ladder', () => {
  it('when any series is forecast, then 95% ⊇ 80% ⊇ the point and nothing is negative', () => {
    fc.assert(
      fc.property(anySeries, ([counts, days]) => {
        const forecast = forecastSeries(seriesOf(counts), daysOf(days));
        expect(forecast.points.map((p) => p.month)).toEqual([1, 2, 3].map((h) => addMonths(forecast.cutoff, h)));
        for (const { expected, band80, band95 } of forecast.points) {
          expect(expected).toBeGreaterThanOrEqual(0);
          expect(band80 === null).toBe(band95 === null);
          if (!band80 || !band95) continue;
          expect(band95.lower).toBeGreaterThanOrEqual(0);
          expect(band95.lower).toBeLessThanOrEqual(band80.lower);
          expect(band80.lower).toBeLessThanOrEqual(expected);
          expect(expected).toBeLessThanOrEqual(band80.upper);
          expect(band80.upper).toBeLessThanOrEqual(band95.upper);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('when the history is shorter than 24 months, then it is 趋势参考 from a 3-month mean or drift, never 预测', () => {
    fc.assert(
      fc.property(anySeries, ([counts, days]) => {
        const forecast = forecastSeries(seriesOf(counts), daysOf(days));
        if (counts.length < 24) {
          expect(forecast.label).toBe('趋势参考');
          expect(['mean_3_months', 'naive_drift']).toContain(forecast.method);
        } else {
          expect(forecast.label).toBe('预测');
          expect(['same_month_last_year', 'holt_winters']).toContain(forecast.method);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('when there is a single month, then it is its own 3-month mean with no backtest and no band', () => {
    const forecast = forecastSeries(seriesOf([7]), equalDays(1));
    expect(forecast).toMatchObject({ label: '趋势参考', method: 'mean_3_months', backtest: null, cutoff: FIRST });
    expect(forecast.points.map((p) => [p.expected, p.band95])).toEqual([
      [7, null],
      [7, null],
      [7, null],
    ]);
  });
});

describe('the backtest', () => {
  const season = [40, 35, 50, 55, 60, 58, 52, 49, 61, 45, 57, 66];

  it('when Holt-Winters loses to the baseline, then the baseline is shown and Holt-Winters is not', () => {
    // A first year 100 higher, then the same year twice: the baseline is exact over the last 12 months,
    // Holt-Winters starts from a falling trend that is not there.
    const counts = [...season.map((c) => c + 100), ...season, ...season];
    const days = equalDays(counts.length).days;
    const dayList = counts.map(() => 20);
    const hw = backtest((t) => holtWinters(t).forecasts, counts, dayList, 12)!;
    const base = backtest(sameMonthLastYear, counts, dayList, 12)!;
    expect(hw.mae).toBeGreaterThan(base.mae);
    const forecast = forecastSeries(seriesOf(counts), { days });
    expect(forecast).toMatchObject({ label: '预测', method: 'same_month_last_year', cutoff: '2023-12' });
    expect(forecast.description).toContain('去年同月');
    expect(forecast).not.toHaveProperty('parameters');
    expect(forecast.backtest).toEqual({ origins: 12, mae: 0, mase: 0 });
    expect(forecast.points.map((p) => p.expected)).toEqual(season.slice(0, 3));
  });

  it('when Holt-Winters beats the baseline (a rising trend), then it is chosen with its parameters and bands', () => {
    const counts = Array.from({ length: 36 }, (_, t) => season[t % 12]! + 2 * t);
    const forecast = forecastSeries(seriesOf(counts), equalDays(36));
    expect(forecast.method).toBe('holt_winters');
    expect(forecast.description).toContain('Holt-Winters');
    expect(forecast.parameters).toEqual({
      alpha: expect.any(Number),
      beta: expect.any(Number),
      gamma: expect.any(Number),
    });
    forecast.points.forEach((p, i) => close(p.expected, season[i]! + 2 * (36 + i)));
    // The baseline misses by a year's rise (24) every time; Holt-Winters by nothing.
    close(forecast.backtest!.mae, 0);
    expect(forecast.backtest!.mase).toBeLessThan(1);
  });

  it('when the series repeats itself exactly, then MASE is not a number to show (null) and the MAE is 0', () => {
    const forecast = forecastSeries(seriesOf(Array.from({ length: 30 }, () => 12)), equalDays(30));
    expect(forecast.backtest).toEqual({ origins: 12, mae: 0, mase: null });
  });

  it('when errors are spread, then the 80% band is narrower than the 95% band and both come from those errors', () => {
    const noisy = [10, 30, 5, 25, 8, 28, 6, 27, 9, 26, 7, 29, 11, 24, 6, 31, 9, 22];
    const forecast: Forecast = forecastSeries(seriesOf(noisy), equalDays(noisy.length));
    const [first] = forecast.points;
    expect(forecast.backtest!.origins).toBe(12); // the last 12 months' origins of 18
    expect(first!.band95!.upper - first!.expected).toBeGreaterThan(first!.band80!.upper - first!.expected);
  });
});

describe('risk alerts', () => {
  const season = [40, 35, 50, 55, 60, 58, 52, 49, 61, 45, 57, 66];
  // Three years with a little noise out of step with the seasons, so the band has a width.
  const wobble = [2, -1, 0, 3, -2, 1, -3];
  const history = Array.from({ length: 36 }, (_, t) => season[t % 12]! + wobble[t % 7]!);
  const month = addMonths(FIRST, 36); // 2024-01
  const countsWith = (latest: number) => ({
    ...Object.fromEntries(history.map((c, i) => [addMonths(FIRST, i), c])),
    [month]: latest,
  });
  const workingDays = equalDays(40);

  it('when a dispute type jumps above its 95% band and its rise on last year, then it alerts with the cases behind it', () => {
    const ids = Array.from({ length: 150 }, (_, i) => `case-${i}`);
    const alerts = riskAlerts(
      [
        { key: 'loan_debt', counts: countsWith(150), caseIds: { [month]: ids } },
        { key: 'neighbour', counts: countsWith(41), caseIds: { [month]: ['case-n1'] } },
      ],
      { month, workingDays, yearOnYearShare: 0.5 },
    );
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({ key: 'loan_debt', month: '2024-01', actual: 150, basis: '预测', caseIds: ids });
    expect(alert!.reasons.map((r) => r.code)).toEqual(['above_band_95', 'up_on_last_year']);
    expect(alert!.actual).toBeGreaterThan(alert!.band95!.upper);
    expect(alert!.expected).toBeLessThan(alert!.band95!.upper);
    expect(alert!.lastYear).toEqual({ month: '2023-01', count: history[24], scaled: history[24] });
    expect(alert!.reasons[0]!.text).toContain('95%区间上限');
  });

  it('when a county is up on last year by more than the share but inside its band, then only that reason is given', () => {
    const noisy = [10, 30, 5, 25, 8, 28, 6, 27, 9, 26, 7, 29];
    const counts = Object.fromEntries([...noisy, 16].map((c, i) => [addMonths(FIRST, i), c]));
    const latest = addMonths(FIRST, 12);
    const [alert, ...rest] = riskAlerts([{ key: '榕城区', counts, caseIds: {} }], {
      month: latest,
      workingDays,
      yearOnYearShare: 0.5,
    });
    expect(rest).toEqual([]);
    expect(alert!.reasons.map((r) => r.code)).toEqual(['up_on_last_year']);
    expect(alert).toMatchObject({ basis: '趋势参考', actual: 16, caseIds: [] });
    expect(alert!.band95!.upper).toBeGreaterThanOrEqual(16);
    // With a 70% threshold, 16 against 10 is no alert.
    expect(
      riskAlerts([{ key: '榕城区', counts, caseIds: {} }], { month: latest, workingDays, yearOnYearShare: 0.7 }),
    ).toEqual([]);
  });

  it('when the same month last year had no case, then no share is computed and only the band can alert', () => {
    const counts = Object.fromEntries([0, 3, 2, 4, 3, 2, 3, 4, 2, 3, 3, 2, 3].map((c, i) => [addMonths(FIRST, i), c]));
    const alerts = riskAlerts([{ key: 'quiet', counts, caseIds: {} }], {
      month: addMonths(FIRST, 12),
      workingDays,
      yearOnYearShare: 0,
    });
    expect(alerts).toEqual([]);
  });

  it('when the Spring Festival leaves February 2026 fewer working days, then last February is scaled down before the share is compared', () => {
    const table = workingDaysByMonth(cal, monthRange('2025-01', '2026-02'));
    // February 2025: 19 working days; February 2026: 16 (春节 15–23 February 2026).
    const counts = { '2025-02': 38, '2026-02': 38 };
    const alerts = (share: number) =>
      riskAlerts([{ key: 'labour', counts, caseIds: {}, firstMonth: '2025-01' }], {
        month: '2026-02',
        workingDays: table,
        yearOnYearShare: share,
      }).flatMap((a) => a.reasons.map((r) => r.code));
    expect(table.days['2025-02']).toBe(19);
    expect(table.days['2026-02']).toBe(16);
    // Scaled, last February's 38 is 32 in this February: 38 is 18.75% up.
    expect(alerts(0.15)).toContain('up_on_last_year');
    expect(alerts(0.2)).not.toContain('up_on_last_year');
  });
});
