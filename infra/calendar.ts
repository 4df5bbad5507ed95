/**
 * The holiday calendar the activities count with: the one shipped in domain/data/prc-holidays.json, or the
 * one an operator loaded last (`npm run calendar -- add`), always with the provisional rule for years no
 * notice covers. Read fresh (a few seconds' cache), never once for a process's lifetime.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type { HolidayCalendar } from '../domain/calendar.js';
import { provisionalRule } from '../domain/provisional-calendar.js';
import { latestLoadedCalendar, latestLoadedVersion } from '../db/calendars.js';

const DEFAULT_FILE = fileURLToPath(new URL('../domain/data/prc-holidays.json', import.meta.url));
const provisional = provisionalRule();

/** The published calendar as data (no provisional rule): what a notice is added to. */
export function readShippedCalendar(file = DEFAULT_FILE): HolidayCalendar {
  const data = JSON.parse(readFileSync(file, 'utf8')) as HolidayCalendar;
  return { version: data.version, ...(data.source ? { source: data.source } : {}), years: data.years };
}

let cached: HolidayCalendar | undefined;
/** The shipped calendar, counting unpublished years provisionally. */
export function loadHolidayCalendar(file = DEFAULT_FILE): HolidayCalendar {
  if (file === DEFAULT_FILE && cached) return cached;
  const data = { ...readShippedCalendar(file), provisional };
  if (file === DEFAULT_FILE) cached = data;
  return data;
}

/**
 * Where the current calendar comes from: always with the provisional rule, so no year is uncountable.
 * `version`: the caller knows this version exists (read past the cache unless it holds that one); `fresh`:
 * read past the cache (before adding a notice to it).
 */
export type CalendarSource = { current(opts?: { version?: string; fresh?: boolean }): Promise<HolidayCalendar> };

/** A calendar that never changes (tests of pure counting; the bench), counting unpublished years provisionally. */
export function fixedCalendarSource(calendar: HolidayCalendar): CalendarSource {
  const counted = { ...calendar, provisional: calendar.provisional ?? provisional };
  return { current: async () => counted };
}

/** The last calendar loaded into PostgreSQL, else the shipped one; rechecked after `ttlMs`. */
export function databaseCalendarSource(
  db: Knex,
  opts: { shipped?: HolidayCalendar; ttlMs?: number } = {},
): CalendarSource {
  const shipped = opts.shipped
    ? { ...opts.shipped, provisional: opts.shipped.provisional ?? provisional }
    : loadHolidayCalendar();
  const ttlMs = opts.ttlMs ?? 2_000;
  let held: { calendar: HolidayCalendar; checkedAt: number } | undefined;
  return {
    async current({ version, fresh } = {}) {
      const usable =
        held && !fresh && Date.now() - held.checkedAt < ttlMs && (!version || held.calendar.version === version);
      if (usable) return held!.calendar;
      const latest = await latestLoadedVersion(db);
      if (held && held.calendar.version === (latest ?? shipped.version)) {
        held = { ...held, checkedAt: Date.now() };
        return held.calendar;
      }
      const loaded = latest ? await latestLoadedCalendar(db) : undefined;
      const calendar: HolidayCalendar = loaded ? { ...loaded, provisional } : shipped;
      held = { calendar, checkedAt: Date.now() };
      return calendar;
    },
  };
}
