/**
 * The clocks of the processes that run beside a case: a complaint's (domain/complaints.ts) and a 差评 follow-up's
 * (domain/ratings.ts; docs/supervision.md#complaints, #ratings). Each clock is a data row with its source, counted as
 * every period is (domain/deadlines.ts: 民事诉讼法 Art 85, working days on the holiday calendar), and kept in its
 * process's state as counted (or as uncomputable: a year no calendar covers), until it is met, cancelled or runs out.
 * The open clock due first is the workflow's next timer; those past due are the supervisor's overdue list. Pure: the
 * processes differ only in their rows, which stay in their own modules.
 */
import type { HolidayCalendar } from './calendar.js';
import { computeDeadline, type ComputedDeadline, type DeadlineRule } from './deadlines.js';

/** A process clock's data row: a deadline row whose start is one of the process's own events. */
export type ProcessClockRule<Id extends string, Start extends string> = Omit<DeadlineRule, 'id' | 'startsAt'> & {
  id: Id;
  startsAt: Start;
};

export type ComputedProcessClock<Id extends string> = Omit<ComputedDeadline, 'ruleId'> & { clockId: Id };

/** A clock that could not be counted (its year has no calendar yet): recorded and shown, never timed. */
export type UncomputableClock<Id extends string> = { clockId: Id; startedAt: string; problem: string };

/** A clock as a process's state keeps it. */
export type ProcessClock<Id extends string> = {
  clockId: Id;
  status: 'open' | 'met' | 'expired' | 'cancelled' | 'uncomputable';
  startedAt: string;
  dueAt: string | null;
  lastDay: string | null;
  calendarVersion: string | null;
  explanation: string[];
};

/**
 * A clock counted from its row as every period is; `startsAt` only describes the row (the process says when its
 * event happened), so the counting reads the rest of it unchanged. An extension counts again from the same start.
 */
export function computeProcessClock<Id extends string>(
  clockId: Id,
  row: ProcessClockRule<Id, string>,
  startedAt: string,
  calendar: HolidayCalendar,
  extensionDays = 0,
): ComputedProcessClock<Id> {
  const rule: DeadlineRule = { ...row, startsAt: 'application' };
  const { ruleId: _ruleId, ...counted } = computeDeadline(rule, startedAt, calendar, { extensionDays });
  return { ...counted, clockId };
}

/** A clock as counted, open; or, as uncomputable, with why in its explanation and no due time. */
export function countedClock<Id extends string>(
  counted: ComputedProcessClock<Id> | UncomputableClock<Id>,
): ProcessClock<Id> {
  if ('problem' in counted)
    return {
      clockId: counted.clockId,
      status: 'uncomputable',
      startedAt: counted.startedAt,
      dueAt: null,
      lastDay: null,
      calendarVersion: null,
      explanation: [counted.problem],
    };
  const { clockId, startedAt, dueAt, lastDay, calendarVersion, explanation } = counted;
  return { clockId, status: 'open', startedAt, dueAt, lastDay, calendarVersion, explanation };
}

/** A process's state, as far as its clocks go. */
export type WithClocks<Id extends string> = { clocks: Partial<Record<Id, ProcessClock<Id>>> };

/** The ids of a state's clocks. */
type ClockIdOf<S extends WithClocks<string>> = keyof S['clocks'] & string;

/** The state with a running clock stopped (met or cancelled); undefined when it is not running (met, expired or cancelled). */
export function withClockStopped<S extends WithClocks<string>>(
  s: S,
  clockId: ClockIdOf<S>,
  outcome: 'met' | 'cancelled',
): S | undefined {
  const clocks: WithClocks<string>['clocks'] = s.clocks;
  const clock = clocks[clockId];
  if (!clock || (clock.status !== 'open' && clock.status !== 'uncomputable')) return undefined;
  return { ...s, clocks: { ...clocks, [clockId]: { ...clock, status: outcome } } };
}

/**
 * The clocks with one run out, and its due time; undefined when it is not open, or was counted again (an extension)
 * since the timer was set for `timerDueAt` (a stale timer: refused).
 */
export function clocksExpired<Id extends string, C extends ProcessClock<Id>>(
  clocks: Partial<Record<Id, C>>,
  clockId: NoInfer<Id>,
  timerDueAt?: string,
): { clocks: Partial<Record<Id, C>>; dueAt: string | null } | undefined {
  const clock = clocks[clockId];
  if (!clock || clock.status !== 'open') return undefined;
  if (timerDueAt !== undefined && clock.dueAt !== timerDueAt) return undefined;
  return { clocks: { ...clocks, [clockId]: { ...clock, status: 'expired' } }, dueAt: clock.dueAt };
}

/** The open clock that runs out first: the workflow's next timer (an uncomputable one is never timed). */
export function nextClockTimer<Id extends string>(s: WithClocks<Id>): { clockId: Id; at: string } | undefined {
  let next: { clockId: Id; at: string } | undefined;
  for (const clock of Object.values(s.clocks) as (ProcessClock<Id> | undefined)[]) {
    if (!clock || clock.status !== 'open' || clock.dueAt === null) continue;
    if (!next || clock.dueAt < next.at) next = { clockId: clock.clockId, at: clock.dueAt };
  }
  return next;
}

/**
 * The clocks that ran out without being met, or are open past their due time (the supervisor's overdue list), while
 * the process is open: once it is closed (办结, excluded, withdrawn) nothing of it waits on anyone, and a clock that ran
 * out stays in its history as expired, not in the list.
 */
export function overdueClockIds<Id extends string>(s: WithClocks<Id> & { closedAt?: string | null }, now: Date): Id[] {
  if (s.closedAt) return [];
  const nowIso = now.toISOString();
  return (Object.values(s.clocks) as (ProcessClock<Id> | undefined)[])
    .filter((c): c is ProcessClock<Id> => c !== undefined)
    .filter((c) => c.status === 'expired' || (c.status === 'open' && c.dueAt !== null && c.dueAt <= nowIso))
    .map((c) => c.clockId);
}
