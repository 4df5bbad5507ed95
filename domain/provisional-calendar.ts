/**
 * The rest days of a year whose State Council notice (放假安排) is not loaded yet, from the law alone:
 * weekends, the statutory holidays of 全国年节及纪念日放假办法 (2024 revision, in force 2025-01-01) Art 2,
 * and, for a holiday that falls on a Saturday or Sunday, a day off on the next working day (Art 6: 适逢
 * 周六、周日，应当在工作日补假). The notice's 调休 (swapped working weekends) cannot be foreseen: a deadline
 * counted this way is marked provisional and recomputed when the notice is loaded.
 *
 * Lunar dates and the 清明 solar term come from tyme4ts (no hand-written astronomy); pure computation.
 */
import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';
import { addDays, calendarYear, chinaDateOf, isWeekend, type CalendarYear, type HolidayCalendar } from './calendar.js';
import { provisionalNote } from './deadlines.js';

export type StatutoryHoliday = { name: string; days: string[] };

const iso = (d: SolarDay) =>
  `${String(d.getYear()).padStart(4, '0')}-${String(d.getMonth()).padStart(2, '0')}-${String(d.getDay()).padStart(2, '0')}`;
const lunar = (year: number, month: number, day: number) => iso(LunarDay.fromYmd(year, month, day).getSolarDay());

/** The statutory holidays of a year (放假办法 Art 2, for all citizens), in date order within each. */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const newYearsEve = iso(LunarDay.fromYmd(year, 1, 1).next(-1).getSolarDay());
  return [
    { name: '元旦', days: [`${year}-01-01`] },
    // 春节 4 days: 农历除夕 to 正月初三 (the lunar new year always falls between 21 January and 20 February).
    { name: '春节', days: [0, 1, 2, 3].map((n) => addDays(newYearsEve, n)) },
    { name: '清明节', days: [iso(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay())] },
    { name: '劳动节', days: [`${year}-05-01`, `${year}-05-02`] },
    { name: '端午节', days: [lunar(year, 5, 5)] },
    { name: '中秋节', days: [lunar(year, 8, 15)] },
    { name: '国庆节', days: [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`] },
  ];
}

/** A year's rest days beyond the weekends, provisionally: the holidays and their Art 6 make-up days off. */
export function provisionalYear(year: number): CalendarYear & { holidays: StatutoryHoliday[] } {
  const holidays = statutoryHolidays(year);
  const off = new Set(holidays.flatMap((h) => h.days));
  for (const h of holidays) {
    for (const day of h.days) {
      if (!isWeekend(day)) continue;
      // 补假: the first weekday after the holiday that is not itself off.
      let d = addDays(h.days.at(-1)!, 1);
      while (isWeekend(d) || off.has(d)) d = addDays(d, 1);
      off.add(d);
    }
  }
  return { off: [...off].sort(), workdays: [], holidays };
}

/** The provisional rule with each year computed once. */
export function provisionalRule(): (year: number) => CalendarYear {
  const years = new Map<number, CalendarYear>();
  return (year) => {
    let y = years.get(year);
    if (!y) {
      const { off, workdays } = provisionalYear(year);
      y = { off, workdays };
      years.set(year, y);
    }
    return y;
  };
}

/** What an operator or supervisor is shown of a calendar: its version, the published years, and this year and the next two where they are provisional. */
export function calendarOverview(cal: HolidayCalendar, now: Date) {
  const thisYear = Number(chinaDateOf(now).slice(0, 4));
  return {
    version: cal.version,
    source: cal.source ?? null,
    publishedYears: Object.keys(cal.years).sort().map(Number),
    provisional: [thisYear, thisYear + 1, thisYear + 2]
      .filter((y) => !cal.years[String(y)])
      .map((year) => ({ year, off: calendarYear(cal, year).days.off, note: provisionalNote([year]) })),
  };
}
