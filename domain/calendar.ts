/**
 * Working days under the PRC holiday calendar (versioned data, domain/data/prc-holidays.json, plus years an
 * operator loads later). A make-up working day (调休上班) is a working day; a weekend or public holiday is a
 * rest day. A year with no State Council notice loaded is counted provisionally when the calendar carries
 * a provisional rule (weekends plus the statutory holidays, see provisional-calendar.ts), and fails loudly
 * when it does not.
 */
export type CalendarYear = { off: string[]; workdays: string[] };

export type HolidayCalendar = {
  version: string;
  source?: string;
  years: Record<string, CalendarYear>;
  /** The rest days of a year no notice covers yet (provisional); absent: such a year cannot be counted. */
  provisional?: (year: number) => CalendarYear;
};

export class CalendarYearMissing extends Error {
  constructor(
    readonly year: number,
    readonly version: string,
  ) {
    super(
      `the holiday calendar ${version} does not cover ${year}: load the State Council notice for ${year} before counting working days in it`,
    );
    this.name = 'CalendarYearMissing';
  }
}

/** YYYY-MM-DD plus n days (calendar arithmetic on dates, no time zone involved). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whole days from one date to another (YYYY-MM-DD; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The date in China Standard Time (UTC+8, no daylight saving) of an instant. */
export function chinaDateOf(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 24:00 China Standard Time at the end of a date, as an instant. */
export function endOfChinaDay(date: string): string {
  return new Date(Date.parse(`${addDays(date, 1)}T00:00:00+08:00`)).toISOString();
}

export function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** The rest days of a year: the published notice's, or the provisional rule's. */
export function calendarYear(cal: HolidayCalendar, year: number): { days: CalendarYear; provisional: boolean } {
  const published = cal.years[String(year)];
  if (published) return { days: published, provisional: false };
  if (cal.provisional) return { days: cal.provisional(year), provisional: true };
  throw new CalendarYearMissing(year, cal.version);
}

export function isWorkingDay(cal: HolidayCalendar, date: string): boolean {
  const { days } = calendarYear(cal, Number(date.slice(0, 4)));
  if (days.workdays.includes(date)) return true;
  if (days.off.includes(date)) return false;
  return !isWeekend(date);
}

/**
 * The same calendar, noting every year it had to count provisionally: what a computed deadline must say
 * about itself (calendar version `provisional-YYYY`, a flag, a line of its explanation).
 */
export function tracingProvisionalYears(cal: HolidayCalendar): {
  calendar: HolidayCalendar;
  provisionalYears: () => number[];
} {
  const used = new Set<number>();
  const provisional = cal.provisional;
  const calendar: HolidayCalendar = provisional
    ? {
        ...cal,
        provisional: (year) => {
          used.add(year);
          return provisional(year);
        },
      }
    : cal;
  return { calendar, provisionalYears: () => [...used].sort((a, b) => a - b) };
}

/** The version a computation used: the published calendar's, plus `provisional-YYYY` for each provisional year. */
export function versionWith(cal: HolidayCalendar, provisionalYears: readonly number[]): string {
  return provisionalYears.length === 0 ? cal.version : `${cal.version}+provisional-${provisionalYears.join('-')}`;
}

/** The date itself if it is a working day, else the next working day. */
export function nextWorkingDayFrom(cal: HolidayCalendar, date: string): string {
  let d = date;
  while (!isWorkingDay(cal, d)) d = addDays(d, 1);
  return d;
}

/** The n-th working day after `date` (the start day itself is not counted). */
export function addWorkingDays(cal: HolidayCalendar, date: string, n: number): string {
  let d = date;
  for (let counted = 0; counted < n;) {
    d = addDays(d, 1);
    if (isWorkingDay(cal, d)) counted += 1;
  }
  return d;
}

/** Working days in the inclusive range [from, to]. */
export function workingDaysBetween(cal: HolidayCalendar, from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(cal, d)) n += 1;
  return n;
}

/**
 * The end (24:00 China Standard Time) of the n-th working day after the China date of `now` (today is not
 * counted, as the start day of a period is not: 民事诉讼法 Art 85): whatever is due by then is due "within n
 * working days". On the day a reminder fires (09:00, n working days before a last day: deadlines.ts
 * reminderAt) that last day is exactly the n-th working day ahead, so 临期 and the reminders agree.
 */
export function endOfWorkingDaysAhead(cal: HolidayCalendar, now: Date | string, n: number): string {
  return endOfChinaDay(addWorkingDays(cal, chinaDateOf(now), n));
}

/**
 * Whole days left after today until a period's last day (YYYY-MM-DD), counted in the period's own unit:
 * working days for a working-day period (today not counted), calendar days otherwise; 0 on the last day
 * and after it (a passed period says so by its due time, not by a negative count).
 */
export function daysLeft(
  cal: HolidayCalendar,
  now: Date | string,
  lastDay: string,
  unit: 'working_days' | 'calendar_days',
): number {
  const today = chinaDateOf(now);
  if (lastDay <= today) return 0;
  return unit === 'working_days' ? workingDaysBetween(cal, addDays(today, 1), lastDay) : daysBetween(today, lastDay);
}
