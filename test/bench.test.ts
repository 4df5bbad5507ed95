/**
 * The bench's own pieces, without timing anything: the skeleton worker covers every real activity, and the
 * queue's seeding writes the cases it is asked for into a fresh database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.js';
import type { DegradedBench } from '../bench/degraded.js';
import { NO_OP_ALLOWED, realActivities, type PipelineBench } from '../bench/pipeline.js';
import { benchRecording, capturingRecording, type RecordedCall } from '../bench/recording.js';
import { networkConditions, SLOW_4G, type PortalBench } from '../bench/portal.js';
import { renderTable, targets } from '../bench/report.js';
import { activityNames, skeletonActivities } from '../bench/skeleton.js';
import { countNotSeeded, countSeeded, seedCases } from '../bench/seed.js';
import { seedDemoData } from '../db/demo-seed.js';
import { createPostgresDocumentStore } from '../db/documents.js';
import { createDb, ensureDatabase, migrateLatest } from '../db/knex.js';
import { verifyCaseChain } from '../db/event-chain.js';
import type { CaseIntake } from '../domain/case.js';
import { registration } from '../domain/case-rules.js';
import { queue } from '../db/queues.js';
import { databaseOfItsOwn } from './support/database.js';
import { ruleIntake } from './support/fixtures.js';
import { fixedCalendarSource, loadHolidayCalendar } from '../infra/calendar.js';
import { createFieldCipher } from '../infra/crypto.js';

/** A degraded part's figures, within the bounds. */
const degraded = (): DegradedBench => ({
  cases: 5,
  runs: 60,
  read: {
    up: { p50Ms: 12, p95Ms: 20, p99Ms: 30, maxMs: 30, sources: { record: 60 } },
    down: {
      p50Ms: 11,
      p95Ms: 22,
      p99Ms: 29,
      maxMs: 29,
      sources: { record: 60 },
      notFromRecord: 0,
      problems: [],
      waitedForWorkflow: 0,
    },
  },
  action: {
    route: 'POST /cases/:id/screening',
    event: 'ScreeningRecorded',
    waitMs: 2000,
    refused: [{ ms: 2050, status: 503, retryAfter: '5', type: '/problems/action-not-taken-up' }],
    retried: [{ status: 200, attempts: 1, ms: 300, effects: 1 }],
  },
  worker: { startMs: 5000, restartMs: 5000 },
});
/** A portal part's figures: 115.4 kB gzipped as the build counts, a little less as received from the API (level 9). */
const portal = (gzipBytes = 118_151, gzipEncodedFiles = 1): PortalBench => ({
  build: 'up to date',
  browser: 'Chromium test, headless',
  phone: { viewport: '360×740', deviceScaleFactor: 3, cpuSlowdown: 4 },
  network: {
    name: 'slow 4G (Lighthouse)',
    rttMs: 150,
    downKbps: 1638.4,
    upKbps: 750,
    applied: networkConditions(SLOW_4G),
  },
  bundle: {
    scripts: { gzipBytes, transferBytes: gzipBytes - 1024, files: [{ name: 'react.js', gzipBytes }] },
    gzipEncodedFiles,
    buildCheckBytes: gzipBytes,
  },
  samples: 20,
  firstUsable: { p50Ms: 2500, p95Ms: 2700, maxMs: 2800, scriptsP50Ms: 2100 },
  caseScreen: {
    caseNumber: '（2026）揭非诉字第0001号',
    signInToCaseMs: 2200,
    runs: 20,
    shown: { p50Ms: 180, p95Ms: 260, maxMs: 270 },
    current: { p50Ms: 840, p95Ms: 1100, maxMs: 1200 },
    requestP50Ms: 580,
  },
});
const machine = { cores: 2, memoryGiB: 4, cpu: 'test', node: 'v20', loadAverage1m: 0 };
const servers = { temporal: 'test', postgres: 'test' };

/** A pipeline part's figures, as a run without ablations reports them. */
const pipelineFigures = (): PipelineBench => ({
  casesPerSecond: 1.5,
  skeletonCasesPerSecond: 1.6,
  ratio: 0.94,
  roundRatios: [0.94],
  concurrentCases: 20,
  rounds: 1,
  runs: 20,
  updatesPerCase: 23,
  caseMs: 13_000,
  skeletonCaseMs: 12_000,
  cpuMsPerCase: 500,
  skeletonCpuMsPerCase: 400,
  eventLoopDelayP99Ms: 30,
  skeletonEventLoopDelayP99Ms: 20,
  activities: [],
  noOps: [],
});

/** The real activities on `db` (building them does no I/O). */
const activitiesOn = (db: Knex) =>
  createActivities({
    db,
    cipher: createFieldCipher(randomBytes(32)),
    calendars: fixedCalendarSource(loadHolidayCalendar()),
    documents: createPostgresDocumentStore(db),
    signingKey: randomBytes(32),
    publicBaseUrl: 'http://localhost',
  });

/** A case received now, under ids of its own. */
const newIntake = (): CaseIntake =>
  ruleIntake({
    caseId: randomUUID(),
    receivedAt: new Date().toISOString(),
    parties: ruleIntake().parties.map((p) => ({ ...p, partyId: randomUUID() })),
  });

describe('the bench', () => {
  it('when the degraded part is within its bounds, then both its targets are met and the table shows both phases side by side', () => {
    const t = targets({ machine, servers, degraded: degraded() });
    expect(t.degradedRead).toMatchObject({ met: true, value: 29 });
    expect(t.degradedAction).toMatchObject({ met: true, value: 2050 });
    const table = renderTable({ machine, servers, degraded: degraded(), targets: t });
    expect(table).toMatch(/GET, worker up .*p99 30 ms/);
    expect(table).toMatch(/GET, worker down .*p99 29 ms/);
    expect(table).toContain('actionWait 2000 ms (bound 3000 ms)');
  });

  it('when a degraded view is slow or not from the record, or an action is late, unbounded or taken twice, then its target is missed and says which', () => {
    const slow = degraded();
    slow.read.down = {
      ...slow.read.down,
      p99Ms: 1020,
      notFromRecord: 1,
      problems: ['HTTP 200, view.source workflow'],
      waitedForWorkflow: 1,
    };
    const read = targets({ machine, servers, degraded: slow }).degradedRead!;
    expect(read.met).toBe(false);
    expect(read.explanation).toContain('1 of 60 answers were not a 200 from the record');
    expect(read.explanation).toContain('asked the absent workflow');

    for (const change of [
      (d: DegradedBench) => (d.action.refused[0]!.ms = 3100),
      (d: DegradedBench) => (d.action.refused[0]!.retryAfter = null),
      (d: DegradedBench) => (d.action.refused[0]!.status = 504),
      (d: DegradedBench) => (d.action.retried[0]!.effects = 2),
      (d: DegradedBench) => (d.action.retried[0]!.status = 503),
    ]) {
      const d = degraded();
      change(d);
      const action = targets({ machine, servers, degraded: d }).degradedAction!;
      expect(action.met).toBe(false);
      expect(action.explanation).toBeTruthy();
    }
  });

  it('when slow 4G is applied through the DevTools protocol, then it is Lighthouse’s figures per request: 562.5 ms latency, 1474.56 kbit/s down and 675 kbit/s up, in bytes per second', () => {
    expect(networkConditions(SLOW_4G)).toEqual({
      offline: false,
      latency: 562.5,
      downloadThroughput: 188_743,
      uploadThroughput: 86_400,
      connectionType: 'cellular4g',
    });
  });

  it('when the portal’s first screen arrives within 150 kB gzipped from the API, then its target is met and the table shows the bytes received beside the build’s count and the cold loads; a script sent without gzip is noted; above the bound, the target is missed', () => {
    const t = targets({ machine, servers, portal: portal() });
    expect(t.portalBundle).toMatchObject({ met: true, value: 114.38 });
    expect(t.portalBundle!.notes).toBeUndefined();
    const table = renderTable({ machine, servers, portal: portal(), targets: t });
    expect(table).toMatch(/as received from the API .*114\.4 kB in 1 files, 1 gzip-encoded/);
    expect(table).toContain("gzipped as the build counts: 115.4 kB (build's check: 115.4 kB)");
    expect(table).toMatch(/usable login .*20 samples .*p50 2500 ms, p95 2700 ms/);
    expect(table).not.toContain('uncompressed');
    expect(targets({ machine, servers, portal: portal(118_151, 0) }).portalBundle!.notes).toContain(
      '1 of 1 scripts arrived without Content-Encoding: gzip',
    );
    expect(table).toMatch(/its fresh answer drawn .*p95 1100 ms.*GET \/cases\/:id 580 ms/);
    const big = targets({ machine, servers, portal: portal(160 * 1024) }).portalBundle!;
    expect(big.met).toBe(false);
    expect(big.explanation).toContain('react.js 160.0 kB');
  });

  it('when the skeleton worker is built, then it has every activity the real worker has, and no other', async () => {
    const db = createDb('postgres://nobody@127.0.0.1:1/none'); // never connected: building activities does no I/O
    try {
      const real = activitiesOn(db);
      expect(activityNames(skeletonActivities())).toEqual(activityNames(real));
      // An ablation (--no-op) swaps only the activities it names.
      const ablated = realActivities(real, ['renderCaseDocument']);
      await expect(
        ablated.renderCaseDocument({ caseId: 'c', kind: 'agreement', docVersion: 1 } as never),
      ).resolves.toMatchObject({ verificationCode: 'SKELETON' });
      expect(ablated.recordCaseEvents).toBe(real.recordCaseEvents);
      expect(NO_OP_ALLOWED).not.toContain('registerCase');
    } finally {
      await db.destroy();
    }
  });

  it('when the pipeline ran with activities made no-ops (an ablation), then the table names them and no target is judged', () => {
    const pipeline: PipelineBench = {
      ...pipelineFigures(),
      noOps: ['renderCaseDocument', 'recordCaseEvents'],
    };
    const report = { machine, servers, pipeline };
    expect(targets(report).pipeline).toBeUndefined();
    expect(renderTable({ ...report, targets: targets(report) })).toMatch(
      /no-ops in the real run too \(an ablation, not judged\) +renderCaseDocument, recordCaseEvents/,
    );
    // The same figures without the no-ops are judged, and meet the target.
    expect(targets({ ...report, pipeline: { ...pipeline, noOps: [] } }).pipeline).toMatchObject({ met: true });
  });

  it('when one case’s recording calls are captured and replayed, then only that case’s calls are kept, each replay records a new case whose chain verifies, and the table shows both processes’ CPU', async () => {
    // A database of its own: other files record cases in the shared one meanwhile.
    const db = await databaseOfItsOwn('odr_bench_recording', { max: 4 });
    await seedDemoData(db);
    try {
      const activities = activitiesOn(db);
      const recorded: RecordedCall[] = [];
      const capturing = capturingRecording(activities, recorded);
      const [first, second] = [newIntake(), newIntake()];
      for (const i of [first, second])
        await capturing.registerCase({ intake: i, event: registration(i).event, workflowId: `wf-${i.caseId}` });
      for (const i of [first, second]) {
        const accepted = {
          seq: 2,
          type: 'CaseAccepted',
          at: new Date().toISOString(),
          actor: i.registeredBy,
          payload: {},
        };
        await capturing.recordCaseEvents({ caseId: i.caseId, events: [accepted], status: 'PENDING_ASSIGNMENT' });
      }
      expect(recorded.map((c) => c.activity)).toEqual(['registerCase', 'recordCaseEvents']);
      expect(JSON.stringify(recorded)).not.toContain(second.caseId);

      const before = new Set<string>(await db('cases').pluck('case_id'));
      const recording = await benchRecording(db, activities, recorded, 3);
      const replayed = (await db('cases').pluck('case_id')).filter((id: string) => !before.has(id));
      // Three timed and one before them, not counted.
      expect(replayed).toHaveLength(4);
      for (const id of replayed) expect(await verifyCaseChain(db, id)).toEqual({ ok: true, events: 2 });
      expect(recording).toMatchObject({ cases: 3, callsPerCase: 2 });
      expect(recording.nodeCpuMsPerCase).toBeGreaterThan(0);
      // The embedded test server runs on this machine: its CPU is read too (one named by DATABASE_URL may be elsewhere).
      if (!process.env.DATABASE_URL) expect(recording.postgresCpuMsPerCase).toBeGreaterThan(0);
      const pipeline = { ...pipelineFigures(), recording };
      expect(renderTable({ machine, servers, pipeline, targets: {} })).toMatch(
        /CPU per case, this process \/ PostgreSQL +[\d.]+ ms \/ ([\d.]+ ms|not measured)/,
      );
    } finally {
      await db.destroy();
    }
  });

  it('when cases are seeded into a fresh database, then it holds that many with two parties each, topping up adds only the missing ones, and the clerk’s queue reads them', async () => {
    const serverUrl = inject('databaseUrl');
    const name = `odr_bench_seed_${Date.now()}_${randomBytes(3).toString('hex')}`;
    await ensureDatabase(serverUrl, name);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = createDb(url.toString(), { max: 2 });
    try {
      await migrateLatest(db);
      await seedDemoData(db);
      expect(await seedCases(db, { total: 300, batch: 128 })).toMatchObject({ inserted: 300, total: 300 });
      expect(await countSeeded(db)).toBe(300);
      expect(Number((await db('case_parties').count({ n: '*' }).first())!.n)).toBe(600);
      expect(await seedCases(db, { total: 500 })).toMatchObject({ inserted: 200, total: 500 });
      expect(await countSeeded(db)).toBe(500);
      // Only synthetic cases: bench:seed may top it up. One case of somebody's own and it refuses.
      expect(await countNotSeeded(db)).toBe(0);

      const clerk = await db('staff_accounts').where({ username: 'clerk.chen' }).first();
      const page = await queue(
        db,
        { kind: 'staff', id: clerk.account_id, role: 'clerk', orgId: 'center', name: clerk.display_name },
        { limit: 10 },
        new Date(),
      );
      expect(page.rows).toHaveLength(10);
      expect(page.rows[0]!.parties).toHaveLength(2);

      // A name search gives the same pages whichever way it is run (a common name walks the queue, a rare one collects its parties first).
      const principal = {
        kind: 'staff' as const,
        id: clerk.account_id,
        role: 'clerk' as const,
        orgId: 'center',
        name: clerk.display_name,
      };
      const surname = (page.rows[0]!.parties[0] as string).slice(0, 1);
      const pages = async (commonNameParties: number) => {
        const out: string[][] = [];
        let cursor: { dueSort: string; caseId: string } | undefined;
        do {
          const r = await queue(db, principal, { q: surname, limit: 7, ...(cursor ? { cursor } : {}) }, new Date(), {
            commonNameParties,
          });
          out.push(r.rows.map((x) => x.caseId));
          cursor = r.next ?? undefined;
        } while (cursor && out.length < 50);
        return out;
      };
      const walked = await pages(1);
      expect(walked.flat().length).toBeGreaterThan(7);
      expect(await pages(1_000_000)).toEqual(walked);

      const [one] = await db('cases').orderBy('case_id').limit(1).pluck('case_id');
      await db('cases')
        .where({ case_id: one })
        .update({ workflow_id: `case-${one}` });
      expect(await countNotSeeded(db)).toBe(1);
    } finally {
      await db.destroy();
      const admin = createDb(serverUrl, { max: 1 });
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.destroy());
    }
  });
});
