/**
 * The statutory clocks of a case and of its securing processes, kept the same way by both workflows: a
 * clock is counted by an activity (the calendar is data, read outside the workflow) and recorded with its
 * rule and calendar version, so new calendar data never changes a running clock on replay; a clock's due
 * time or reminder is a durable timer, and a timer that fires becomes a domain command.
 *
 * Each function returns what changed (the clocks, and the fact to record as an event); the case stamps the
 * fact with its next sequence number, a process reports it to the case.
 */
import { ActivityFailure, ApplicationFailure, condition, proxyActivities } from '@temporalio/workflow';
import {
  haltDeadline,
  uncomputableDeadline,
  withDeadline,
  withDeadlineStatus,
  type CaseCommand,
  type CaseState,
  type DeadlineState,
  type Timer,
} from '../domain/case-rules.js';
import type { DeadlineRuleId } from '../domain/deadlines.js';
import { recounted, recountPayload } from '../domain/recount.js';
import type { Activities } from '../activities/index.js';
import { ACTIVITY_OPTIONS } from './common.js';
import { SYSTEM_ACTOR } from './messages.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** A workflow's clocks by rule (the case's and a process's have the same shape). */
export type Clocks = CaseState['deadlines'];
/** How a clock is counted beyond its rule: its pauses and extension, and the length it was started with. */
export type Counting = { extensionDays?: number; pauses?: CaseState['mediation']['pauses']; length?: number };
/** What a change of clock records: the event's type and payload (each workflow stamps it its own way). */
export type ClockFact = { type: string; payload: Record<string, unknown> };

// The domain's clock helpers take a case state; they read and replace only its deadlines.
const onClocks = (clocks: Clocks) => ({ deadlines: clocks }) as CaseState;

/**
 * Starts (or restarts) a clock from `startedAt`. A calendar year not yet published is recorded loudly and
 * the clock stays uncomputable (shown, never timed): the case goes on, a clerk sees it.
 */
export async function startClock(
  caseId: string,
  clocks: Clocks,
  ruleId: DeadlineRuleId,
  startedAt: string,
  counting: Counting,
): Promise<{ clocks: Clocks; fact: ClockFact; counted: boolean }> {
  try {
    const { deadline, reminderAt } = await acts.computeDeadline({ caseId, ruleId, startedAt, ...counting });
    const { dueAt, lastDay, calendarVersion, explanation } = deadline;
    return {
      clocks: withDeadline(onClocks(clocks), deadline, reminderAt).deadlines,
      fact: { type: 'DeadlineSet', payload: { ruleId, startedAt, dueAt, lastDay, calendarVersion, explanation } },
      counted: true,
    };
  } catch (err) {
    if (
      !(err instanceof ActivityFailure) ||
      !(err.cause instanceof ApplicationFailure) ||
      err.cause.type !== 'CalendarYearMissing'
    )
      throw err;
    const problem = err.cause.message;
    return {
      clocks: { ...clocks, [ruleId]: uncomputableDeadline(ruleId, startedAt, problem) },
      fact: { type: 'DeadlineUncomputable', payload: { ruleId, startedAt, problem } },
      counted: false,
    };
  }
}

/** Stops or pauses a clock; nothing when it is not running (already met, expired or cancelled). */
export function haltClock(
  clocks: Clocks,
  effect:
    | { kind: 'stop_deadline'; ruleId: DeadlineRuleId; outcome: 'met' | 'cancelled' }
    | { kind: 'pause_deadline'; ruleId: DeadlineRuleId },
): { clocks: Clocks; fact: ClockFact } | undefined {
  const halt = haltDeadline(clocks[effect.ruleId], effect);
  if (!halt) return undefined;
  return {
    clocks: withDeadlineStatus(onClocks(clocks), effect.ruleId, halt.status).deadlines,
    fact: { type: halt.eventType, payload: { ruleId: effect.ruleId, status: halt.status } },
  };
}

/**
 * Counts a running clock again from its recorded start: on `calendarVersion` when a calendar was loaded,
 * else on the calendar in force. The recount records both due times and both versions.
 */
export async function recountClock(
  caseId: string,
  ruleId: DeadlineRuleId,
  before: DeadlineState,
  counting: Counting,
  calendarVersion?: string,
): Promise<{ clock: DeadlineState; fact: ClockFact; moved: boolean }> {
  const { deadline, reminderAt } = await acts.computeDeadline({
    caseId,
    ruleId,
    startedAt: before.startedAt,
    ...counting,
    ...(calendarVersion !== undefined ? { calendarVersion } : {}),
  });
  return {
    clock: recounted(before, deadline, reminderAt),
    fact: { type: 'DeadlineRecomputed', payload: recountPayload(before, deadline) },
    moved: deadline.dueAt !== before.dueAt,
  };
}

/**
 * Waits until something changes (`changed`) or the next timer is due at `at`; true when the timer fired
 * first. Without a timer it waits for a change only.
 */
export async function timerFired(changed: () => boolean, at: string | undefined): Promise<boolean> {
  if (at === undefined) {
    await condition(changed);
    return false;
  }
  return !(await condition(changed, Math.max(1, Date.parse(at) - Date.now())));
}

/** The domain command a case's fired timer becomes: a deadline's reminder or expiry, an instalment's. */
export function timerCommand(timer: Timer): CaseCommand {
  return 'ruleId' in timer
    ? { type: timer.command, actor: SYSTEM_ACTOR, ruleId: timer.ruleId }
    : { type: timer.command, actor: SYSTEM_ACTOR, instalment: timer.instalment };
}
