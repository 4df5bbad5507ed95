/**
 * A State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) as an operator loads it, checked
 * before it can move a single deadline: a whole year, rest and make-up days disjoint, make-up working days
 * only on weekends, every statutory holiday of 全国年节及纪念日放假办法 Art 2 among the rest days, and the
 * notice's source and date.
 */
import { z } from 'zod';
import { isWeekend, type CalendarYear, type HolidayCalendar } from './calendar.js';
import { statutoryHolidays } from './provisional-calendar.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a real date',
  );

const noticeYear = z.object({ off: z.array(isoDate).min(1).max(60), workdays: z.array(isoDate).max(20) });

export const calendarNoticeSchema = z
  .object({
    source: z.string().trim().min(4, 'the notice that publishes the year, e.g. 国办发明电〔2026〕X号').max(200),
    publishedOn: isoDate,
    years: z
      .record(z.string().regex(/^(19|20)\d{2}$|^2100$/, 'a year from 1900 to 2100'), noticeYear)
      .refine((y) => Object.keys(y).length >= 1, 'at least one year'),
  })
  .superRefine((notice, ctx) => {
    for (const [year, days] of Object.entries(notice.years)) {
      const path = ['years', year];
      for (const [kind, list] of [
        ['off', days.off],
        ['workdays', days.workdays],
      ] as const) {
        list.forEach((d, i) => {
          if (!d.startsWith(`${year}-`))
            ctx.addIssue({ code: 'custom', path: [...path, kind, i], message: `${d} is not in ${year}` });
        });
        if (new Set(list).size !== list.length)
          ctx.addIssue({ code: 'custom', path: [...path, kind], message: 'a date is listed twice' });
      }
      const both = days.off.filter((d) => days.workdays.includes(d));
      if (both.length)
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'workdays'],
          message: `both a rest day and a working day: ${both.join(', ')}`,
        });
      days.workdays.forEach((d, i) => {
        if (!isWeekend(d))
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'workdays', i],
            message: `${d} is a weekday: a make-up working day (调休上班) is a Saturday or Sunday`,
          });
      });
      // A whole year: every statutory holiday is a rest day in it (放假办法 Art 2).
      const off = new Set(days.off);
      for (const h of statutoryHolidays(Number(year))) {
        const missing = h.days.filter((d) => !off.has(d));
        if (missing.length)
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'off'],
            message: `${h.name} ${missing.join(', ')} is a statutory holiday (全国年节及纪念日放假办法第二条) but not a rest day here: is the whole year's notice loaded?`,
          });
      }
    }
    if (Object.keys(notice.years).some((y) => notice.publishedOn.slice(0, 4) > y)) {
      // A notice for a year is published before or during it; a later date is a typo worth stopping on.
      ctx.addIssue({ code: 'custom', path: ['publishedOn'], message: 'published after the year it announces' });
    }
  });
export type CalendarNotice = z.infer<typeof calendarNoticeSchema>;

/** The published calendar with a notice's years added (or, with `replace`, corrected): its new version. */
export function withNotice(
  current: HolidayCalendar,
  notice: CalendarNotice,
  opts: { replace?: boolean } = {},
): { calendar: HolidayCalendar; changed: boolean; conflicts: string[] } {
  const sorted = (y: CalendarYear): CalendarYear => ({ off: [...y.off].sort(), workdays: [...y.workdays].sort() });
  const years: Record<string, CalendarYear> = { ...current.years };
  const conflicts: string[] = [];
  let changed = false;
  for (const [year, days] of Object.entries(notice.years)) {
    const next = sorted(days);
    const had = years[year];
    if (had && JSON.stringify(sorted(had)) === JSON.stringify(next)) continue;
    if (had && !opts.replace) {
      conflicts.push(year);
      continue;
    }
    years[year] = next;
    changed = true;
  }
  const list = Object.keys(years).sort();
  // A correction names its content too: the same notice date with other days is another calendar.
  const corrected = Object.keys(notice.years).some(
    (y) => current.years[y] !== undefined && years[y] !== current.years[y],
  );
  const version = `prc-${list[0]}-${list.at(-1)}@${notice.publishedOn}${corrected ? `.r${fnv1a(JSON.stringify(list.map((y) => [y, years[y]])))}` : ''}`;
  const source = [current.source, notice.source].filter(Boolean).join('; ');
  return { calendar: changed ? { version, source, years } : current, changed, conflicts };
}

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable name for a calendar's content (not a security measure). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
