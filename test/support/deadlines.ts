/**
 * What an end-to-end test may expect of a deadline on any date: that it was counted by the calculator,
 * from its recorded start, on its recorded calendar version, and says whether that count is provisional.
 */
import type { Knex } from 'knex';
import { expect } from 'vitest';
import { DEADLINE_RULES, computeDeadline, reminderAt, type DeadlineRuleId } from '../../domain/deadlines.js';
import { isProvisional } from '../../domain/recount.js';
import type { HolidayCalendar } from '../../domain/calendar.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';

type ShownDeadline = {
  ruleId: string;
  startedAt: string;
  dueAt: string | null;
  calendarVersion: string | null;
  provisional: boolean;
  reminderAt?: string | null;
  extensionDays?: number;
};

/** The calendar a recorded version names: the shipped one, or one loaded into this database. */
export async function calendarOfVersion(db: Knex, version: string): Promise<HolidayCalendar> {
  const shipped = loadHolidayCalendar();
  const base = version.split('+')[0]!;
  if (base === shipped.version) return shipped;
  const row = await db('holiday_calendars').where({ version: base }).first();
  if (!row) throw new Error(`no calendar ${base} in this database`);
  return { version: row.version, source: row.source, years: row.years, provisional: shipped.provisional! };
}

/**
 * The deadline has the due time (and, with `reminder`, the reminder) the calculator gives for its recorded
 * start, agreed extension and version, and is flagged provisional exactly when that count used a year with no notice.
 */
export async function expectCountedAsRecorded(
  db: Knex,
  d: ShownDeadline | undefined,
  opts: { reminder?: boolean } = {},
): Promise<void> {
  expect(d, 'the deadline is shown').toBeDefined();
  expect(d!.dueAt, `${d!.ruleId} has a due time`).toBeTruthy();
  const cal = await calendarOfVersion(db, d!.calendarVersion!);
  const counted = computeDeadline(DEADLINE_RULES[d!.ruleId as DeadlineRuleId], d!.startedAt, cal, {
    extensionDays: d!.extensionDays ?? 0,
  });
  expect({ dueAt: d!.dueAt, calendarVersion: d!.calendarVersion, provisional: d!.provisional }).toEqual({
    dueAt: counted.dueAt,
    calendarVersion: counted.calendarVersion,
    provisional: isProvisional(counted),
  });
  if (opts.reminder) {
    expect(d!.reminderAt, `${d!.ruleId} has a reminder`).toBeTruthy();
    expect(d!.reminderAt).toBe(reminderAt(counted, cal));
  }
}
