/**
 * The statistics' rollups (db/case-facts-monthly.ts,
 * db/case-facts-durations.ts) stay equal to the facts when the upkeep is interrupted, and the rebuild
 * (`npm run stats:rebuild`, safe while the system runs) and the upkeep never wait on each other crosswise.
 * A database of this file's own: a failure is injected with a trigger on a rollup table.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { metricRows, saveCaseFacts } from '../../db/case-facts.js';
import { groupRollupDrift, monthlyRollupDrift, rebuildMonthlyRollup } from '../../db/case-facts-monthly.js';
import { seedReferenceData } from '../../db/demo-seed.js';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { addDays, chinaDateOf } from '../../domain/calendar.js';
import type { CaseIntake } from '../../domain/case.js';
import { registration } from '../../domain/case-rules.js';
import { METRICS } from '../../domain/statistics.js';
import { fixedCalendarSource, loadHolidayCalendar } from '../../infra/calendar.js';
import { createFieldCipher } from '../../infra/crypto.js';
import { databaseOfItsOwn } from '../support/database.js';
import { ruleIntake } from '../support/fixtures.js';

let db: Knex;
let activities: ReturnType<typeof createActivities>;
const cipher = createFieldCipher(randomBytes(32));
const cal = loadHolidayCalendar();

beforeAll(async () => {
  db = await databaseOfItsOwn('odr_stats_upkeep', { max: 6 });
  await seedReferenceData(db);
  activities = createActivities({
    db,
    cipher,
    calendars: fixedCalendarSource(cal),
    documents: createPostgresDocumentStore(db),
    signingKey: randomBytes(32),
    publicBaseUrl: 'http://localhost:3000',
  });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
});

/** A case received now (its figures fall in the current month), its parties with ids of their own. */
const intake = (): CaseIntake =>
  ruleIntake({
    caseId: randomUUID(),
    receivedAt: new Date().toISOString(),
    claimantLearnedOfHarmOn: addDays(chinaDateOf(new Date()), -30),
    parties: ruleIntake().parties.map((p) => ({ ...p, partyId: randomUUID() })),
  });

const registerInput = (i: CaseIntake) => ({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });

/** 在办 (cases open now) as the dashboard reads it (from the rollup) and as the facts rows alone say. */
async function openNow(): Promise<{ rolled: number; direct: number }> {
  const open = METRICS.find((m) => m.id === 'open')!;
  const today = chinaDateOf(new Date());
  const w = { from: `${today.slice(0, 7)}-01`, to: today, now: new Date(), nearBy: new Date() };
  const rolled = await metricRows(db, open, null, w, 'all');
  const direct = await metricRows(db, open, null, w, 'all', undefined, { direct: true });
  return { rolled: rolled[0]?.numerator ?? 0, direct: direct[0]?.numerator ?? 0 };
}

async function withTrigger(
  table: string,
  body: string,
  timing: 'BEFORE' | 'AFTER',
  run: () => Promise<void>,
): Promise<void> {
  await db.raw(
    `CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$`,
  );
  await db.raw(
    `CREATE TRIGGER injected_failure ${timing} INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION injected_failure()`,
  );
  try {
    await run();
  } finally {
    await db.raw(`DROP TRIGGER IF EXISTS injected_failure ON ${table}`);
  }
}

describe('the statistics rollups beside an interrupted or concurrent upkeep', () => {
  it('when registration is interrupted after the facts row was written and the activity is retried, then the rollups still count the case', async () => {
    const i = intake();
    // The first attempt fails between the facts row and the rollups (a dropped connection, a deadlock victim, a
    // worker killed there): the activity is retried, as Temporal retries it.
    await withTrigger(
      'case_facts_monthly_groups',
      "RAISE EXCEPTION 'injected: the connection dropped';",
      'BEFORE',
      () => expect(activities.registerCase(registerInput(i))).rejects.toThrow(/injected/),
    );
    await activities.registerCase(registerInput(i));

    expect(await db('case_facts').where({ case_id: i.caseId }).first()).toBeDefined();
    // The dashboard's 在办 (read from the rollup) counts the case as the facts do.
    const open = await openNow();
    expect(open.direct).toBeGreaterThan(0);
    expect(open.rolled).toBe(open.direct);
    expect(await monthlyRollupDrift(db)).toEqual([]);
    expect(await groupRollupDrift(db)).toEqual([]);
  }, 60_000);

  it('when the rollups are rebuilt while a case’s facts move, then both finish (neither is a deadlock victim)', async () => {
    const i = intake();
    await activities.registerCase(registerInput(i));
    let moving: Promise<void> | undefined;
    let rebuilding: Promise<void> | undefined;
    // The upkeep is held for two seconds right after it wrote the counts by scope and group, as a slow statement or
    // a busy server holds it; the rebuild starts meanwhile.
    await withTrigger('case_facts_monthly_groups', 'PERFORM pg_sleep(2); RETURN NULL;', 'AFTER', async () => {
      moving = db.transaction(async (trx) => {
        // What recordCaseEvents does: the case row moves, then its facts (and with them the rollups).
        await trx('cases').where({ case_id: i.caseId }).update({ dispute_type: 'labour' });
        await saveCaseFacts(trx, i.caseId, [], cal);
      });
      await expect
        .poll(
          async () =>
            (
              await db.raw(
                `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`,
              )
            ).rows[0].n,
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
      rebuilding = rebuildMonthlyRollup(db);
      await Promise.allSettled([moving, rebuilding]);
    });
    const [moved, rebuilt] = await Promise.allSettled([moving!, rebuilding!]);
    const outcome = (r: PromiseSettledResult<void>) => (r.status === 'fulfilled' ? 'done' : String(r.reason));
    expect(outcome(moved)).toBe('done');
    expect(outcome(rebuilt)).toBe('done');
    expect(await monthlyRollupDrift(db)).toEqual([]);
    expect(await groupRollupDrift(db)).toEqual([]);
  }, 60_000);
});
