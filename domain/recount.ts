/**
 * Recounting running clocks after a holiday calendar is loaded (a State Council notice for a year that was
 * counted provisionally, or a correction). A clock that is still running is counted again from its own
 * start with its own pauses and extensions on the new calendar; one that has expired, been met or been
 * cancelled stays as it is. The case and its securing processes both use this.
 */
import type { DeadlineState } from './case-rules.js';
import type { ComputedDeadline } from './deadlines.js';

/** Versions that no calendar counted: test overrides and the bench's skeleton. */
const NOT_CALENDAR_COUNTED = new Set(['override', 'skeleton']);

export const isProvisional = (d: Pick<ComputedDeadline, 'calendarVersion'>): boolean => d.calendarVersion.includes('+provisional-');

/** Whether a clock must be counted again on `version`. */
export function needsRecount(d: DeadlineState | undefined, version: string): d is DeadlineState {
  if (!d || (d.status !== 'open' && d.status !== 'uncomputable')) return false;
  if (NOT_CALENDAR_COUNTED.has(d.calendarVersion)) return false;
  return d.calendarVersion !== version;
}

/** The clock as recounted: still open, its reminder kept as sent unless the new one falls later. */
export function recounted(before: DeadlineState, after: ComputedDeadline, reminderAt: string | null): DeadlineState {
  const remindedStill = before.reminded && (reminderAt === null || (before.reminderAt !== null && reminderAt <= before.reminderAt));
  const { problem: _problem, ...rest } = before;
  return { ...rest, ...after, status: 'open', reminderAt, reminded: remindedStill };
}

/** What the chain records of a recount: both due times and both versions. */
export function recountPayload(before: DeadlineState, after: ComputedDeadline): Record<string, unknown> {
  return {
    ruleId: after.ruleId,
    startedAt: after.startedAt,
    oldDueAt: before.dueAt || null,
    newDueAt: after.dueAt,
    oldLastDay: before.lastDay || null,
    newLastDay: after.lastDay,
    oldCalendarVersion: before.calendarVersion || null,
    newCalendarVersion: after.calendarVersion,
    provisional: isProvisional(after),
    explanation: after.explanation,
  };
}
