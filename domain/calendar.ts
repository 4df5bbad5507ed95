/**
 * Working days under the published PRC holiday calendar (versioned data, domain/data/prc-holidays.json).
 * A make-up working day (调休上班) is a working day; a weekend or public holiday is a rest day. A date in a
 * year the calendar does not cover fails loudly instead of silently counting weekdays.
 */
export type HolidayCalendar = {
  version: string;
  years: Record<string, { off: string[]; workdays: string[] }>;
};

export class CalendarYearMissing extends Error {
  constructor(readonly year: number, readonly version: string) {
    super(`the holiday calendar ${version} does not cover ${year}: load the State Council notice for ${year} before counting working days in it`);
    this.name = 'CalendarYearMissing';
  }
}

/** YYYY-MM-DD plus n days (calendar arithmetic on dates, no time zone involved). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
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

export function isWorkingDay(cal: HolidayCalendar, date: string): boolean {
  const year = cal.years[date.slice(0, 4)];
  if (!year) throw new CalendarYearMissing(Number(date.slice(0, 4)), cal.version);
  if (year.workdays.includes(date)) return true;
  if (year.off.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
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
  for (let counted = 0; counted < n; ) {
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
