/**
 * `npm run calendar -- add <file> [--replace]` / `show` / `recount`: an operator loads a year's State
 * Council holiday notice (a JSON file: source, publishedOn, years; see README "Deadlines beyond the
 * published calendar"), and every running case whose clocks were counted on another calendar version
 * (provisionally, or on an older notice) recounts them and records DeadlineRecomputed. `recount` tells the
 * cases again (after Temporal was unreachable during `add`); telling a case twice recounts once.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../config/index.js';
import { calendarOverview } from '../domain/provisional-calendar.js';
import { calendarNoticeSchema } from '../domain/calendar-notice.js';
import { databaseCalendarSource } from '../infra/calendar.js';
import { loadCalendarNotice, recountRunningCases } from '../infra/calendar-load.js';
import { connectRecord } from './record.js';

const USAGE = 'usage: npm run calendar -- add <notice.json> [--replace] | show | recount';
const [command, ...rest] = process.argv.slice(2);
const file = rest.find((a) => !a.startsWith('--'));
const replace = rest.includes('--replace');
if (!(command === 'add' && file) && command !== 'show' && command !== 'recount') {
  console.error(USAGE);
  process.exit(64);
}

let notice;
if (command === 'add') {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file!, 'utf8'));
  } catch (err) {
    console.error(`cannot read ${file}: ${(err as Error).message}`);
    process.exit(66);
  }
  const parsed = calendarNoticeSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`${file} is not a holiday notice this system can load:`);
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    process.exit(65);
  }
  notice = parsed.data;
}

const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
const calendars = databaseCalendarSource(db, { ttlMs: 0 });

/** Tells the running cases; a Temporal that cannot be reached leaves the calendar loaded and says what to do. */
async function recount(version: string) {
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: '5s' });
  } catch (err) {
    console.error(
      `Temporal at ${address} cannot be reached (${(err as Error).message}): running cases were not told yet; run \`npm run calendar -- recount\` when it is up`,
    );
    process.exitCode = 75;
    return;
  }
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const { told, closed } = await recountRunningCases(db, client, version);
    console.log(
      `${told} running case(s) told to recount their deadlines on ${version}${closed ? ` (${closed} already closed)` : ''}`,
    );
  } finally {
    await connection.close();
  }
}

try {
  if (command === 'add') {
    const result = await loadCalendarNotice(db, calendars, notice!, { loadedBy: 'operator', replace });
    if (result.stale) {
      console.error('another calendar was loaded at the same moment: run the command again');
      process.exitCode = 75;
    } else if (result.conflicts.length > 0) {
      console.error(`already loaded with other dates: ${result.conflicts.join(', ')}; add --replace to correct them`);
      process.exitCode = 65;
    } else {
      console.log(
        result.changed
          ? `loaded: the calendar is now ${result.version}`
          : `nothing new: the calendar ${result.version} already has these dates`,
      );
      await recount(result.version);
    }
  } else if (command === 'show') {
    const o = calendarOverview(await calendars.current(), new Date());
    console.log(
      `calendar ${o.version}\nsource: ${o.source ?? '(none)'}\npublished years: ${o.publishedYears.join(', ')}`,
    );
    for (const p of o.provisional)
      console.log(`${p.year}: provisional (weekends and statutory holidays) — rest days ${p.off.join(' ')}`);
  } else {
    await recount((await calendars.current()).version);
  }
} finally {
  await close();
}
