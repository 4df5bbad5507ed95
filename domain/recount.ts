/**
 * Recounting running clocks after a holiday calendar is loaded (a State Council notice for a year that was
 * counted provisionally, or a correction). A clock that is still running is counted again from its own
 * start with its own pauses and extensions on the new calendar; one that has expired, been met or been
 * cancelled stays as it is. The case and its securing processes both use this.
 */
import type { DeadlineState, Instalment } from './case-rules.js';
import { DEADLINE_RULES, type ComputedDeadline, type DeadlineRule } from './deadlines.js';

/** Versions that no calendar counted: test overrides and the bench's skeleton. */
export const NOT_CALENDAR_COUNTED = ['override', 'skeleton'] as const;

export const isProvisional = (d: Pick<ComputedDeadline, 'calendarVersion'>): boolean =>
  d.calendarVersion.includes('+provisional-');

/** The published calendar a count used (without its `+provisional-YYYY` years). */
export const baseVersion = (calendarVersion: string): string => calendarVersion.split('+')[0]!;

/**
 * Whether a clock must be counted again on `version`: one counted on another calendar, or never counted. A
 * clock counted provisionally on this very calendar is as good as this calendar can make it.
 */
export function needsRecount(d: DeadlineState | undefined, version: string): d is DeadlineState {
  if (!d || (d.status !== 'open' && d.status !== 'uncomputable')) return false;
  if ((NOT_CALENDAR_COUNTED as readonly string[]).includes(d.calendarVersion)) return false;
  return baseVersion(d.calendarVersion) !== version;
}

/** The clock as recounted: still open, its reminder kept as sent unless the new one falls later. */
export function recounted(before: DeadlineState, after: ComputedDeadline, reminderAt: string | null): DeadlineState {
  const remindedStill =
    before.reminded && (reminderAt === null || (before.reminderAt !== null && reminderAt <= before.reminderAt));
  const { problem: _problem, provisionalYears: _years, ...rest } = before;
  return { ...rest, ...after, status: 'open', reminderAt, reminded: remindedStill };
}

/**
 * The length a running clock started with, whoever set it (a court, an organization); a clock recorded
 * before lengths were kept ran on the rule's own, so an organization's later setting never changes it.
 */
export function recordedLength(d: Pick<DeadlineState, 'ruleId' | 'length'>): { length?: number } {
  const rule: DeadlineRule = DEADLINE_RULES[d.ruleId];
  return d.length !== undefined
    ? { length: d.length }
    : rule.lengthSetBy === 'organization'
      ? { length: rule.length }
      : {};
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

/** A pending instalment whose rest-day rollover was counted on another calendar (or before versions were kept). */
export function instalmentNeedsRecount(i: Instalment, version: string): boolean {
  if (i.status !== 'pending' || (NOT_CALENDAR_COUNTED as readonly string[]).includes(i.calendarVersion ?? ''))
    return false;
  return i.calendarVersion === undefined || baseVersion(i.calendarVersion) !== version;
}

/** What the case row keeps for finding stale instalments: the calendar of the pending ones ('' if one predates versions). */
export function instalmentsCalendarVersion(instalments: readonly Instalment[]): string | null {
  const pending = instalments.filter((i) => i.status === 'pending');
  if (pending.length === 0) return null;
  return pending.map((i) => i.calendarVersion ?? '').sort()[0]!;
}
