/**
 * `npm run stats:rebuild`: rebuilds the statistics' per-case facts (case_facts) from every case's chain and
 * case row (docs/supervision.md#statistics), then their monthly rollups (case_facts_monthly for counts by every
 * combination of attributes, case_facts_monthly_groups for counts per scope and grouping, and
 * case_facts_monthly_durations for durations) from the facts, for after a change to how milestones are read or a
 * restore. Safe while the system runs: each page of cases is locked as the activity that records events locks it,
 * and the rollups' tables while they are rewritten.
 */
import { loadConfigOrExit } from '../config/index.js';
import { rebuildCaseFacts } from '../db/case-facts.js';
import { databaseCalendarSource } from '../infra/calendar.js';
import { connectRecord } from './record.js';

const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
try {
  const started = Date.now();
  const cases = await rebuildCaseFacts(db, await databaseCalendarSource(db, { ttlMs: 0 }).current());
  console.log(
    `case facts and their monthly rollups rebuilt for ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await close();
}
