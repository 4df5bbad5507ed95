/**
 * A case's clocks as state: recording a computed deadline, stopping or pausing one, and the next timer the
 * workflow waits for. The case workflow and the securing processes' workflows both use these; the periods
 * themselves (lengths, starts, citations) are data rows in `deadlines.ts`.
 */
import type { CaseState, DeadlineState, Timer } from './case-state.js';
import type { ComputedDeadline, DeadlineRuleId } from './deadlines.js';

/** Records a computed (or recomputed) deadline in the state. */
export function withDeadline(state: CaseState, d: ComputedDeadline, reminderAt: string | null): CaseState {
  return {
    ...state,
    deadlines: { ...state.deadlines, [d.ruleId]: { ...d, status: 'open', reminderAt, reminded: false } },
  };
}

/**
 * Stopping or pausing a clock: its new status and the event that records it, or nothing when the clock
 * is not running (already met, expired or cancelled). The case and its processes both use it.
 */
export function haltDeadline(
  d: DeadlineState | undefined,
  effect: { kind: 'stop_deadline'; outcome: 'met' | 'cancelled' } | { kind: 'pause_deadline' },
): { status: DeadlineState['status']; eventType: 'DeadlinePaused' | 'DeadlineStopped' } | undefined {
  if (!d || (d.status !== 'open' && d.status !== 'paused' && d.status !== 'uncomputable')) return undefined;
  return effect.kind === 'pause_deadline'
    ? { status: 'paused', eventType: 'DeadlinePaused' }
    : { status: effect.outcome, eventType: 'DeadlineStopped' };
}

/** A deadline the calendar cannot count yet (its year is not published): recorded, shown, never timed. */
export function uncomputableDeadline(ruleId: DeadlineRuleId, startedAt: string, problem: string): DeadlineState {
  return {
    ruleId,
    startedAt,
    dueAt: '',
    lastDay: '',
    calendarVersion: '',
    extensionDays: 0,
    pausedDays: 0,
    explanation: [problem],
    status: 'uncomputable',
    reminderAt: null,
    reminded: false,
    problem,
  };
}

export function withDeadlineStatus(
  state: CaseState,
  ruleId: DeadlineRuleId,
  status: DeadlineState['status'],
): CaseState {
  const d = state.deadlines[ruleId];
  return d ? { ...state, deadlines: { ...state.deadlines, [ruleId]: { ...d, status } } } : state;
}

/** The next timer the workflow must wait for: a reminder or a due time of an open deadline, or an instalment's. */
export function nextTimer(state: CaseState): Timer | undefined {
  let best: Timer | undefined;
  for (const i of state.performance?.instalments ?? []) {
    if (i.status !== 'pending') continue;
    if (i.reminderAt && !i.reminded && i.reminderAt < i.dueAt && (!best || i.reminderAt < best.at))
      best = { at: i.reminderAt, command: 'instalment_reminder', instalment: i.n };
    if (!best || i.dueAt < best.at) best = { at: i.dueAt, command: 'instalment_due', instalment: i.n };
  }
  for (const [id, d] of Object.entries(state.deadlines)) {
    if (!d || d.status !== 'open' || d.owner) continue;
    const ruleId = id as DeadlineRuleId;
    if (d.reminderAt && !d.reminded && d.reminderAt < d.dueAt && (!best || d.reminderAt < best.at))
      best = { at: d.reminderAt, command: 'deadline_reminder', ruleId };
    if (!best || d.dueAt < best.at) best = { at: d.dueAt, command: 'deadline_expired', ruleId };
  }
  return best;
}
