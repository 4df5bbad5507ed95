/**
 * When the synthetic cases arrive (bench/seed.ts): every day of the last months weighted as a center's intake
 * moves, so the statistics, the forecast and the alerts (docs/supervision.md#forecast) have a history to read
 * at scale: a seasonal pattern by month (fewer cases around 国庆, more before the year's end and after the
 * Spring Festival), a slow rise year on year, few cases on weekends and statutory holidays (the holiday
 * calendar, provisional where no notice is loaded), and the Spring Festival dip: the 春节 holidays themselves and
 * the fortnight after them (放假办法 Art 2; people are away and courts and centers restart slowly), which falls in
 * January or February as the lunar new year moves. Pure: the caller passes the days' range and the calendar.
 */
import { addDays, daysBetween, isWorkingDay, isWeekend, type HolidayCalendar } from '../domain/calendar.js';
import { statutoryHolidays } from '../domain/provisional-calendar.js';

/** Intake by month, January first: relative weights (a typical basic-level center's year). */
export const MONTH_WEIGHTS = [1.05, 0.95, 1.15, 1.05, 1.0, 1.05, 1.1, 1.0, 1.0, 0.85, 1.05, 1.2] as const;
/** The rise in intake per year (8%). */
export const YEARLY_GROWTH = 0.08;
const WEEKEND = 0.3;
const HOLIDAY = 0.1;
/** The fortnight after the 春节 holidays (正月初四 onwards): half the usual intake. */
const AFTER_SPRING_FESTIVAL = { days: 14, weight: 0.5 };

export type SeasonDays = {
  /** The first day (China date): offset 0. */
  first: string;
  /** Each day's weight, from `first` to the last day. */
  weights: number[];
  /** For each day, the working days from `first` up to and including it (differences give working days between). */
  workingDaysUpTo: number[];
};

/** The days after each year's 春节 holidays that still see fewer cases. */
function springFestivalTails(firstYear: number, lastYear: number): Set<string> {
  const tail = new Set<string>();
  for (let y = firstYear; y <= lastYear; y++) {
    const festival = statutoryHolidays(y).find((h) => h.name === '春节')!.days;
    for (let i = 1; i <= AFTER_SPRING_FESTIVAL.days; i++) tail.add(addDays(festival.at(-1)!, i));
    for (const d of festival) tail.add(d);
  }
  return tail;
}

/** Every day from `first` to `last` (China dates) with its weight and the running count of working days. */
export function seasonDays(cal: HolidayCalendar, first: string, last: string): SeasonDays {
  const tails = springFestivalTails(Number(first.slice(0, 4)), Number(last.slice(0, 4)));
  const weights: number[] = [];
  const workingDaysUpTo: number[] = [];
  let working = 0;
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const workday = isWorkingDay(cal, day);
    if (workday) working += 1;
    workingDaysUpTo.push(working);
    const kind = workday ? 1 : isWeekend(day) ? WEEKEND : HOLIDAY;
    const season = MONTH_WEIGHTS[Number(day.slice(5, 7)) - 1]!;
    const growth = 1 + (YEARLY_GROWTH * daysBetween(first, day)) / 365;
    weights.push(season * growth * kind * (tails.has(day) ? AFTER_SPRING_FESTIVAL.weight : 1));
  }
  return { first, weights, workingDaysUpTo };
}

/** The lower edge of each day's share of [0, 1): PostgreSQL's width_bucket(r, edges) picks the day of a random r. */
export function cumulativeEdges(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const edges: number[] = [];
  let acc = 0;
  for (const w of weights) {
    edges.push(acc / total);
    acc += w;
  }
  return edges;
}
