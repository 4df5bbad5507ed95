/** Loads the versioned holiday calendar data (activities only: workflows get computed due times). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HolidayCalendar } from '../domain/calendar.js';

const DEFAULT_FILE = fileURLToPath(new URL('../domain/data/prc-holidays.json', import.meta.url));

let cached: HolidayCalendar | undefined;
export function loadHolidayCalendar(file = DEFAULT_FILE): HolidayCalendar {
  if (file === DEFAULT_FILE && cached) return cached;
  const data = JSON.parse(readFileSync(file, 'utf8')) as HolidayCalendar;
  if (file === DEFAULT_FILE) cached = data;
  return data;
}
