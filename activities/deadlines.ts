/**
 * Periods counted on the holiday calendar: each due time is computed here, in an activity, and recorded by the
 * workflow with the calendar version, so later calendar data never changes a running case on replay.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import {
  CalendarYearMissing,
  addWorkingDays,
  chinaDateOf,
  endOfChinaDay,
  tracingProvisionalYears,
  versionWith,
} from '../domain/calendar.js';
import { FAILURE_FACTS_WORKING_DAYS, type Instalment } from '../domain/case-rules.js';
import {
  DEADLINE_RULES,
  REMINDER_WORKING_DAYS,
  computeDeadline,
  performanceDue,
  reminderAt,
  type ComputedDeadline,
  type DeadlineRule,
  type DeadlineRuleId,
  type Pause,
} from '../domain/deadlines.js';
import { clockSettingsForCase } from '../db/calendars.js';
import type { CalendarSource } from '../infra/calendar.js';
import type { DeadlineOverrides } from './index.js';

export function deadlineActivities({
  db,
  calendars,
  deadlineOverridesMs,
  dayLengthMs,
}: {
  db: Knex;
  calendars: CalendarSource;
  deadlineOverridesMs: DeadlineOverrides;
  dayLengthMs: number | undefined;
}) {
  return {
    /**
     * The due time of a period, from the rule and the current calendar; the workflow records the result
     * (with the calendar version) so later calendar data never changes a running case on replay.
     */
    async computeDeadline(input: {
      ruleId: DeadlineRuleId;
      startedAt: string;
      extensionDays?: number;
      pauses?: Pause[];
      length?: number;
      calendarVersion?: string;
      caseId?: string;
    }): Promise<{ deadline: ComputedDeadline; reminderAt: string | null }> {
      const rule: DeadlineRule = DEADLINE_RULES[input.ruleId];
      const override = deadlineOverridesMs[input.ruleId];
      if (override !== undefined) return overridden(rule, input, override);
      // A recount after a load names the version it was told of, so a cached older calendar is not used.
      const calendar = await calendars.current(input.calendarVersion ? { version: input.calendarVersion } : {});
      // The organization's own rules: its length of people's mediation (unless one was recorded), its reminder lead.
      const org = input.caseId ? await clockSettingsForCase(db, input.caseId) : undefined;
      const length =
        input.length ?? (rule.lengthSetBy === 'organization' ? (org?.generalMediationDays ?? undefined) : undefined);
      try {
        const deadline = computeDeadline(rule, input.startedAt, calendar, {
          extensionDays: input.extensionDays ?? 0,
          pauses: input.pauses ?? [],
          ...(length !== undefined ? { length } : {}),
        });
        const remindAt = reminderAt(deadline, calendar, org?.reminderWorkingDays ?? REMINDER_WORKING_DAYS);
        return dayLengthMs === undefined
          ? { deadline, reminderAt: remindAt }
          : compressed(deadline, remindAt, dayLengthMs);
      } catch (err) {
        if (err instanceof CalendarYearMissing)
          throw ApplicationFailure.nonRetryable(err.message, 'CalendarYearMissing');
        throw err;
      }
    },

    /**
     * Until when a mediator asked for a court failure report's facts may answer: 3 working days, to the end of
     * the Beijing day (counted provisionally in a year whose holidays are not published yet).
     */
    async failureFactsDue(input: { askedAt: string }): Promise<{ dueAt: string }> {
      const override = deadlineOverridesMs.failure_report_facts;
      if (override !== undefined) return { dueAt: new Date(Date.parse(input.askedAt) + override).toISOString() };
      const calendar = await calendars.current();
      return { dueAt: endOfChinaDay(addWorkingDays(calendar, chinaDateOf(input.askedAt), FAILURE_FACTS_WORKING_DAYS)) };
    },

    /**
     * Due times of the agreed instalments: the end of each date, rolled past a rest day (民法典 Art 203), with
     * the calendar that counted it (provisional years included), so a later holiday notice recounts it.
     */
    async schedulePerformance(input: {
      items: { n: number; amountFen: number | null; dueDate: string; payeePartyId?: string }[];
      calendarVersion?: string;
    }): Promise<Instalment[]> {
      const published = await calendars.current(input.calendarVersion ? { version: input.calendarVersion } : {});
      return input.items.map((item) => {
        const override = deadlineOverridesMs.performance_instalment;
        if (override !== undefined) {
          // Due n × override from now, reminded half an override before.
          const due = Date.now() + override * item.n;
          return {
            ...item,
            lastDay: item.dueDate,
            dueAt: new Date(due).toISOString(),
            reminderAt: new Date(due - override / 2).toISOString(),
            reminded: false,
            status: 'pending' as const,
            calendarVersion: 'override',
          };
        }
        const { calendar, provisionalYears } = tracingProvisionalYears(published);
        const due = performanceDue(item.dueDate, calendar);
        const remindAt = reminderAt({ lastDay: due.lastDay, startedAt: new Date().toISOString() }, calendar);
        return {
          ...item,
          lastDay: due.lastDay,
          dueAt: due.dueAt,
          reminderAt: remindAt,
          reminded: false,
          status: 'pending' as const,
          calendarVersion: versionWith(published, provisionalYears()),
        };
      });
    },
  };
}

/** A period shortened by DEADLINE_OVERRIDES (tests and demos): due after `override` ms, pauses and extensions in proportion. */
function overridden(
  rule: DeadlineRule,
  input: { ruleId: DeadlineRuleId; startedAt: string; extensionDays?: number; pauses?: Pause[] },
  override: number,
): { deadline: ComputedDeadline; reminderAt: string | null } {
  const pausedMs = (input.pauses ?? []).reduce((n, p) => n + (Date.parse(p.to) - Date.parse(p.from)), 0);
  const extensionMs = (input.extensionDays ?? 0) * (override / rule.length);
  const dueAt = new Date(Date.parse(input.startedAt) + override + pausedMs + extensionMs).toISOString();
  return {
    deadline: {
      ruleId: input.ruleId,
      startedAt: input.startedAt,
      dueAt,
      lastDay: dueAt.slice(0, 10),
      calendarVersion: 'override',
      extensionDays: input.extensionDays ?? 0,
      pausedDays: 0,
      explanation: [`${rule.label}: shortened to ${override} ms by DEADLINE_OVERRIDES (testing only)`, rule.citation],
    },
    reminderAt: null,
  };
}

/** A deadline counted on the calendar, its times moved onto a clock whose day lasts `dayMs` (tests only). */
function compressed(
  deadline: ComputedDeadline,
  remindAt: string | null,
  dayMs: number,
): { deadline: ComputedDeadline; reminderAt: string | null } {
  const start = Date.parse(deadline.startedAt);
  const squeeze = (instant: string) =>
    new Date(start + ((Date.parse(instant) - start) * dayMs) / 86_400_000).toISOString();
  return { deadline: { ...deadline, dueAt: squeeze(deadline.dueAt) }, reminderAt: remindAt && squeeze(remindAt) };
}
