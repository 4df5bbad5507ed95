/**
 * Loading a State Council holiday notice (the operator command and the supervisor's API action share it):
 * validate it, store the calendar it makes under a new version, then tell every case whose running clocks
 * were counted on another version. Each case recounts durably in its own workflow (and forwards to its
 * securing processes); a case told twice recounts once, so the whole step may be run again at any time.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { withNotice, type CalendarNotice } from '../domain/calendar-notice.js';
import { casesWithStaleDeadlines, storeCalendar } from '../db/calendars.js';
import { calendarLoadedSignal } from '../workflows/messages.js';
import { loadHolidayCalendar, readShippedCalendar, type CalendarSource } from './calendar.js';

export type CalendarLoadResult = { version: string; changed: boolean; conflicts: string[]; stale?: boolean };

/** Stores the calendar with the notice's years (conflicting years refused unless `replace`). */
export async function loadCalendarNotice(
  db: Knex,
  calendars: CalendarSource,
  notice: CalendarNotice,
  opts: { loadedBy: string; replace?: boolean },
): Promise<CalendarLoadResult> {
  const current = await calendars.current({ fresh: true });
  const { calendar, changed, conflicts } = withNotice(current, notice, opts.replace ? { replace: true } : {});
  if (conflicts.length > 0) return { version: current.version, changed: false, conflicts };
  if (changed) {
    const stored = await storeCalendar(db, calendar, {
      basedOn: current.version,
      shippedVersion: loadHolidayCalendar().version,
      publishedOn: notice.publishedOn,
      loadedBy: opts.loadedBy,
    });
    // Another load landed between reading and storing: nothing stored, the caller tries again.
    if (stored.stale) return { version: current.version, changed: false, conflicts: [], stale: true };
    await calendars.current({ version: calendar.version });
  }
  return { version: calendar.version, changed, conflicts: [] };
}

/** Tells each case with a clock counted on another version to recount on `version`. */
export async function recountRunningCases(
  db: Knex,
  client: Client,
  version: string,
): Promise<{ told: number; closed: number }> {
  let told = 0;
  let closed = 0;
  for (const c of await casesWithStaleDeadlines(db, version)) {
    try {
      await client.workflow.getHandle(c.workflowId).signal(calendarLoadedSignal, { version });
      told += 1;
    } catch (err) {
      // A case whose workflow has ended has no clock left to run.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      closed += 1;
    }
  }
  return { told, closed };
}

/**
 * A release may ship years that the calendar loaded into PostgreSQL lacks (loaded 2027 by hand, then a
 * release brings 2027 and 2028): those years join it as a new version. A year loaded by an operator is
 * kept as loaded.
 */
export async function adoptShippedYears(db: Knex, calendars: CalendarSource): Promise<CalendarLoadResult | undefined> {
  const current = await calendars.current({ fresh: true });
  const shipped = readShippedCalendar();
  if (current.version === shipped.version) return undefined;
  const missing = Object.keys(shipped.years).filter((y) => !current.years[y]);
  if (missing.length === 0) return undefined;
  const publishedOn = /@(\d{4}-\d{2}-\d{2})/.exec(shipped.version)?.[1] ?? `${missing.sort()[0]}-01-01`;
  const notice: CalendarNotice = {
    source: shipped.source ?? shipped.version,
    publishedOn,
    years: Object.fromEntries(missing.map((y) => [y, shipped.years[y]!])),
  };
  return loadCalendarNotice(db, calendars, notice, { loadedBy: 'release' });
}

/** What every API instance does at start and every few minutes: adopt shipped years, then tell stale cases. */
export async function calendarUpkeep(db: Knex, client: Client, calendars: CalendarSource): Promise<{ told: number }> {
  await adoptShippedYears(db, calendars);
  const cal = await calendars.current({ fresh: true });
  return recountRunningCases(db, client, cal.version);
}
