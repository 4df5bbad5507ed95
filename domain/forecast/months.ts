/**
 * Months for the forecast (docs/supervision.md#forecast): a month is 'YYYY-MM' in Beijing time, a series
 * runs from its first month to its data cut-off with every empty month counted as 0, and each month's
 * working days come from the holiday calendar (domain/calendar.ts), so the Spring Festival moving between
 * January and February moves the expected counts with it.
 */
import {
  addDays,
  chinaDateOf,
  tracingProvisionalYears,
  versionWith,
  workingDaysBetween,
  type HolidayCalendar,
} from '../calendar.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

function assertMonth(value: string, what: string): void {
  if (!isMonth(value)) throw new RangeError(`${what} must be a month YYYY-MM, not ${JSON.stringify(value)}`);
}

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  assertMonth(month, 'month');
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `first` to `last`, both included (empty when `last` is earlier). */
export function monthRange(first: string, last: string): string[] {
  assertMonth(first, 'first month');
  assertMonth(last, 'last month');
  const months: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The Beijing-time month of an instant: the month a case counts in. */
export function chinaMonthOf(instant: string | Date): string {
  return chinaDateOf(instant).slice(0, 7);
}

/** A monthly series: consecutive months ending at the data cut-off, each with its count. */
export type MonthlySeries = { months: string[]; counts: number[] };

/**
 * The series of counts from `first` (default: the earliest month given) to `cutoff`, the last month whose
 * data is complete; a month with no entry is 0 (empty months show as 0), a month after the
 * cut-off is left out.
 */
export function monthlySeries(counts: Readonly<Record<string, number>>, cutoff: string, first?: string): MonthlySeries {
  for (const [month, count] of Object.entries(counts)) {
    assertMonth(month, 'a month of the counts');
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`the count of ${month} must be 0 or more`);
  }
  const start = first ?? Object.keys(counts).sort()[0] ?? cutoff;
  const months = monthRange(start, cutoff);
  return { months, counts: months.map((m) => counts[m] ?? 0) };
}

/**
 * Working days per month and the calendar they were counted on. A year with no State Council notice loaded
 * is counted by the calendar's provisional rule (weekends and the statutory holidays, without the notice's
 * make-up working days: domain/provisional-calendar.ts) and named in `provisionalYears`, so a forecast that
 * leans on it says so; a calendar without a provisional rule fails loudly (CalendarYearMissing).
 */
export type WorkingDayTable = {
  days: Readonly<Record<string, number>>;
  calendarVersion?: string;
  provisionalYears?: readonly number[];
};

export function workingDaysByMonth(calendar: HolidayCalendar, months: readonly string[]): Required<WorkingDayTable> {
  const traced = tracingProvisionalYears(calendar);
  const days: Record<string, number> = {};
  for (const month of months) {
    assertMonth(month, 'month');
    const lastDay = addDays(`${addMonths(month, 1)}-01`, -1);
    days[month] = workingDaysBetween(traced.calendar, `${month}-01`, lastDay);
  }
  const provisionalYears = traced.provisionalYears();
  return { days, calendarVersion: versionWith(calendar, provisionalYears), provisionalYears };
}

/** The working days of a month from the table; a month the table lacks, or one with none, cannot be scaled. */
export function workingDaysOf(table: WorkingDayTable, month: string): number {
  const days = table.days[month];
  if (days === undefined) throw new RangeError(`the working-day table has no entry for ${month}`);
  if (!(days > 0)) throw new RangeError(`${month} has no working days to scale by`);
  return days;
}
