/** Holiday calendars loaded after release, and the running deadlines counted on an older one. */
import type { Knex } from 'knex';
import type { CalendarYear, HolidayCalendar } from '../domain/calendar.js';
import { NOT_CALENDAR_COUNTED } from '../domain/recount.js';

/** The calendar loaded last, if any was (the shipped file is current otherwise). */
export async function latestLoadedCalendar(db: Knex): Promise<HolidayCalendar | undefined> {
  const row = await db('holiday_calendars')
    .orderBy([
      { column: 'loaded_at', order: 'desc' },
      { column: 'version', order: 'desc' },
    ])
    .first('version', 'source', 'years');
  return row
    ? { version: row.version, source: row.source, years: row.years as Record<string, CalendarYear> }
    : undefined;
}

export async function latestLoadedVersion(db: Knex): Promise<string | undefined> {
  const row = await db('holiday_calendars')
    .orderBy([
      { column: 'loaded_at', order: 'desc' },
      { column: 'version', order: 'desc' },
    ])
    .first('version');
  return row?.version;
}

/**
 * Stores a calendar under its version, if the calendar it was made from is still the latest (two loads at
 * once must not drop each other's year): `stale` otherwise. Loading the same version twice keeps the first.
 */
export async function storeCalendar(
  db: Knex,
  cal: HolidayCalendar,
  meta: { basedOn: string; shippedVersion: string; publishedOn: string; loadedBy: string },
): Promise<{ inserted: boolean; stale: boolean }> {
  return db.transaction(async (trx) => {
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext('holiday_calendars'))");
    const latest = (await latestLoadedVersion(trx)) ?? meta.shippedVersion;
    if (latest !== meta.basedOn) return { inserted: false, stale: true };
    const rows = await trx('holiday_calendars')
      .insert({
        version: cal.version,
        years: JSON.stringify(cal.years),
        source: cal.source ?? '',
        published_on: meta.publishedOn,
        loaded_by: meta.loadedBy,
      })
      // A version names its content: loading it again (a revert to it) makes it the one in force again.
      .onConflict('version')
      .merge({ loaded_at: trx.fn.now(), loaded_by: meta.loadedBy })
      .returning('version');
    return { inserted: rows.length > 0, stale: false };
  });
}

/**
 * Cases with a running clock (open, or never counted) that was counted on another calendar version: the
 * ones to recompute after a load. Test overrides are not calendar-counted and are left alone.
 */
export async function casesWithStaleDeadlines(
  db: Knex,
  version: string,
): Promise<{ caseId: string; workflowId: string }[]> {
  // Pending instalments rolled past rest days on another calendar (民法典 Art 203) are clocks too.
  const instalments = await db('cases')
    .whereNotNull('instalments_calendar_version')
    .whereRaw("split_part(instalments_calendar_version, '+', 1) <> ?", [version])
    .whereNotIn('instalments_calendar_version', [...NOT_CALENDAR_COUNTED])
    .select('case_id', 'workflow_id');
  const rows = await db('case_deadlines as d')
    .join('cases as c', 'c.case_id', 'd.case_id')
    .whereIn('d.status', ['open', 'uncomputable'])
    // The calendar a clock was counted on, without its provisional years (domain/recount.ts needsRecount).
    .where((q) =>
      q
        .whereNull('d.calendar_version')
        .orWhere((q2) =>
          q2
            .whereRaw("split_part(d.calendar_version, '+', 1) <> ?", [version])
            .whereNotIn('d.calendar_version', [...NOT_CALENDAR_COUNTED]),
        ),
    )
    .distinct('c.case_id', 'c.workflow_id')
    .orderBy('c.case_id');
  const all = new Map([...rows, ...instalments].map((r) => [r.case_id as string, r.workflow_id as string]));
  return [...all].sort(([a], [b]) => a.localeCompare(b)).map(([caseId, workflowId]) => ({ caseId, workflowId }));
}

/** An organization's own deadline rules (null: the defaults). */
export type OrganizationClockSettings = { generalMediationDays: number | null; reminderWorkingDays: number | null };

/** The settings of the organization handling a case (or, before triage, the one that registered it). */
export async function clockSettingsForCase(db: Knex, caseId: string): Promise<OrganizationClockSettings> {
  const row = await db('cases as c')
    .leftJoin('organizations as o', 'o.org_id', db.raw('coalesce(c.handling_org_id, c.intake_org_id)'))
    .where('c.case_id', caseId)
    .first('o.general_mediation_days', 'o.reminder_working_days');
  return {
    generalMediationDays: row?.general_mediation_days ?? null,
    reminderWorkingDays: row?.reminder_working_days ?? null,
  };
}

export async function organizationClockSettings(
  db: Knex,
  orgId: string,
): Promise<OrganizationClockSettings | undefined> {
  const row = await db('organizations')
    .where({ org_id: orgId })
    .first('general_mediation_days', 'reminder_working_days');
  return row
    ? {
        generalMediationDays: row.general_mediation_days ?? null,
        reminderWorkingDays: row.reminder_working_days ?? null,
      }
    : undefined;
}

export async function setOrganizationClockSettings(
  db: Knex,
  orgId: string,
  s: OrganizationClockSettings,
): Promise<boolean> {
  const n = await db('organizations')
    .where({ org_id: orgId })
    .update({ general_mediation_days: s.generalMediationDays, reminder_working_days: s.reminderWorkingDays });
  return n > 0;
}

/**
 * Who is texted a clock's reminder: the case's mediator and the clerks of the organizations whose queue
 * lists it (the one that registered it and the one handling it), if they gave a phone.
 */
export async function reminderRecipients(
  db: Knex,
  c: { mediatorAccountId: string | null; orgIds: (string | null)[] },
): Promise<{ accountId: string; phoneEnc: string }[]> {
  const orgIds = [...new Set(c.orgIds.filter((o): o is string => o !== null))];
  if (!c.mediatorAccountId && orgIds.length === 0) return [];
  const rows = await db('staff_accounts')
    .where({ active: true })
    .whereNotNull('reminder_phone_enc')
    .where((q) => {
      if (c.mediatorAccountId) q.orWhere({ account_id: c.mediatorAccountId });
      if (orgIds.length) q.orWhere((w) => w.where({ role: 'clerk' }).whereIn('org_id', orgIds));
    })
    .orderBy('account_id')
    .select('account_id', 'reminder_phone_enc');
  return rows.map((r) => ({ accountId: r.account_id, phoneEnc: r.reminder_phone_enc }));
}

/** A staff member's own phone for reminder texts (encrypted), or none. */
export async function setReminderPhone(db: Knex, accountId: string, phoneEnc: string | null): Promise<void> {
  await db('staff_accounts').where({ account_id: accountId }).update({ reminder_phone_enc: phoneEnc });
}
