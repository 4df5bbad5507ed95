/**
 * The supervisor's SLA-breach list (docs/periods.md#reminders-and-the-sla-breach-list: a missed due time appears in it): every deadline that ran
 * out, or is open past its due time, from the PostgreSQL projection. Clerks see their organization's.
 */
import type { Client } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { calendarOverview } from '../../domain/provisional-calendar.js';
import { calendarNoticeSchema } from '../../domain/calendar-notice.js';
import { DEADLINE_RULES, REMINDER_WORKING_DAYS, type DeadlineRuleId } from '../../domain/deadlines.js';
import { organizationClockSettings, setOrganizationClockSettings } from '../../db/calendars.js';
import { slaBreaches } from '../../db/queues.js';
import { loadCalendarNotice, recountRunningCases } from '../../infra/calendar-load.js';
import type { CalendarSource } from '../../infra/calendar.js';
import { canReadClockSettings, mayCenter, slaBreachScope } from '../../domain/access-policy.js';
import { principalOf } from '../auth.js';
import { Problem, parseOrThrow, problems } from '../problem.js';

/**
 * An organization's own clock rules: the length of people's mediation in days (司法部《人民调解工作若干规定》
 * Art 33 is guidance: "一般在一个月内") and the working days before a due time that reminders go out; null
 * restores the default (30 days; 3 working days). Cases already running keep the length they started with.
 */
export const clockSettingsBody = z
  .object({
    generalMediationDays: z.number().int().min(1).max(90).nullable(),
    reminderWorkingDays: z.number().int().min(1).max(10).nullable(),
  })
  .strict();

/** A State Council notice as the supervisor loads it; `replace` corrects a year already loaded. */
export const calendarLoadBody = z.object({ notice: calendarNoticeSchema, replace: z.boolean().optional() }).strict();

type SupervisionDeps = { db: Knex; now: () => Date; temporal: Client; calendars: CalendarSource };

export function supervisionRouter(deps: SupervisionDeps): Router {
  const router = Router();

  router.get('/organizations/:orgId/clock-settings', async (req, res) => {
    const p = principalOf(req);
    const orgId = String(req.params.orgId);
    if (!canReadClockSettings(p, orgId))
      throw problems.forbidden("only a supervisor, or the organization's clerks, read its clock settings");
    const settings = await organizationClockSettings(deps.db, orgId);
    if (!settings) throw problems.notFound('The organization');
    res.json({
      orgId,
      ...settings,
      defaults: {
        generalMediationDays: DEADLINE_RULES.general_mediation.length,
        reminderWorkingDays: REMINDER_WORKING_DAYS,
      },
    });
  });

  router.put('/organizations/:orgId/clock-settings', async (req, res) => {
    const p = principalOf(req);
    if (!mayCenter(p, 'setClockSettings'))
      throw problems.forbidden("only a supervisor sets an organization's clock settings");
    const body = parseOrThrow(clockSettingsBody, req.body);
    const orgId = String(req.params.orgId);
    if (!(await setOrganizationClockSettings(deps.db, orgId, body))) throw problems.notFound('The organization');
    res.json({ orgId, ...body });
  });

  /** The holiday calendar deadlines are counted with: its version, the published years, the years ahead counted provisionally. */
  router.get('/calendar', async (req, res) => {
    const p = principalOf(req);
    if (!mayCenter(p, 'readCalendar'))
      throw problems.forbidden('only supervisors and clerks read the calendar settings');
    res.json(calendarOverview(await deps.calendars.current(), deps.now()));
  });

  router.post('/calendar', (req, res) => loadCalendar(deps, req, res));

  router.get('/sla-breaches', async (req, res) => {
    const p = principalOf(req);
    const scope = slaBreachScope(p);
    if (!scope) throw problems.forbidden('only supervisors and clerks see SLA breaches');
    const rows = scope === 'none' ? [] : await slaBreaches(deps.db, deps.now(), scope);
    // Case numbers and where each case stands: no cache (a browser's, a proxy's) may keep it.
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      breaches: rows.map((r) => ({
        caseId: r.caseId,
        caseNumber: r.caseNumber,
        caseStatus: r.caseStatus,
        ruleId: r.ruleId,
        label: DEADLINE_RULES[r.ruleId as DeadlineRuleId]?.label ?? r.ruleId,
        citation: DEADLINE_RULES[r.ruleId as DeadlineRuleId]?.citation ?? null,
        deadlineStatus: r.status,
        dueAt: r.dueAt?.toISOString() ?? null,
      })),
    });
  });
  return router;
}

/**
 * A supervisor loads a year's notice: stored under a new calendar version, and every running clock
 * counted on another version is recounted by its case (DeadlineRecomputed on the case's chain).
 */
async function loadCalendar(deps: SupervisionDeps, req: Request, res: Response): Promise<void> {
  const p = principalOf(req);
  if (!mayCenter(p, 'loadCalendar')) throw problems.forbidden('only a supervisor loads a holiday calendar');
  const body = parseOrThrow(calendarLoadBody, req.body);
  const result = await loadCalendarNotice(deps.db, deps.calendars, body.notice, {
    loadedBy: p.id,
    ...(body.replace ? { replace: true } : {}),
  });
  if (result.conflicts.length > 0) {
    throw new Problem(
      409,
      'calendar-year-loaded',
      'A year of this notice is already loaded with other dates',
      `already loaded with other dates: ${result.conflicts.join(', ')}; send "replace": true to correct it`,
      {
        errors: result.conflicts.map((y) => ({
          field: `notice.years.${y}`,
          message: 'already loaded with other dates',
        })),
      },
    );
  }
  if (result.stale)
    throw problems.conflict(
      'calendar-changed',
      'another calendar was loaded at the same moment: send the notice again',
    );
  const recount = await recountRunningCases(deps.db, deps.temporal, result.version);
  res.status(result.changed ? 201 : 200).json({ version: result.version, changed: result.changed, recount });
}
