/**
 * Backup and restore of the record (db/backup.ts, `npm run backup` / `npm run restore`): a backup taken while
 * cases keep being registered holds one moment of the record; restored into an empty database every case
 * verifies as `npm run verify:chain` checks it, and every table holds what the manifest says. A database
 * with rows is refused, and so is a file with one byte changed, before anything is written.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackupError,
  backupDatabase,
  restoreDatabase,
  verifyBackupFile,
  type BackupManifest,
} from '../../db/backup.js';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { seedReferenceData } from '../../db/demo-seed.js';
import { createDb, ensureDatabase, migrateLatest } from '../../db/knex.js';
import { verifyCase } from '../../db/verify-case.js';
import { effectiveAgreement } from '../support/drive.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let stack: Stack;
let clerk: Credentials;
let sourceUrl = '';
let dir = '';
let file = '';
let manifest: BackupManifest;
/** Cases registered while the backup's snapshot was held open: committed after it, so not in the backup. */
const afterSnapshot: string[] = [];
let registeredMeanwhile = 0;
const created: { name: string; db: Knex }[] = [];

/** A new, empty database beside this file's own (dropped at the end). */
async function emptyDatabase(): Promise<{ url: string; db: Knex }> {
  const url = new URL(sourceUrl);
  const name = `${url.pathname.slice(1)}_r${randomBytes(3).toString('hex')}`;
  const admin = new URL(sourceUrl);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), name);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 2 });
  created.push({ name, db });
  return { url: url.toString(), db };
}

async function register(): Promise<string> {
  const res = await stack.send(clerk, 'POST', '/cases', partyApplication());
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return res.body.caseId as string;
}

/** Each case of a database checked as `npm run verify:chain -- --all` checks it. */
async function verifyAll(db: Knex): Promise<{ caseId: string; ok: boolean; events: number; documents: number }[]> {
  const store = createPostgresDocumentStore(db);
  const ids = (await db('cases').orderBy('received_at').pluck('case_id')) as string[];
  const out = [];
  for (const caseId of ids) out.push({ caseId, ...(await verifyCase(db, caseId, store)) });
  return out;
}

/** An operator's command, run as an operator would. */
function command(
  script: string,
  args: string[],
  databaseUrl: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', script), ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_ENV: 'test',
          DATABASE_URL: databaseUrl,
          DATA_DIR: mkdtempSync(path.join(dir, 'data-')),
        },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const countRows = async (db: Knex, table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'odr-backup-test-'));
  // A database of this file's own: the counts below are this file's cases alone.
  stack = await startStack({ ownDatabase: true });
  sourceUrl = stack.workerEnv(dir).DATABASE_URL!;
  // One case with documents (bytea) and a received file, and a few just registered.
  const driven = await effectiveAgreement(stack, { intake: partyApplication() });
  clerk = driven.clerk;
  const upload = await fetch(
    `${stack.url}/cases/${driven.caseId}/materials?kind=evidence&title=${encodeURIComponent('借条')}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${(clerk as { token: string }).token}` },
      body: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096), Buffer.from('\n%%EOF\n')]),
    },
  );
  if (upload.status !== 201) throw new Error(`material: ${upload.status} ${await upload.text()}`);
  for (let i = 0; i < 3; i++) await register();
  // A document is stored a moment before the event announcing it: wait until nothing is in flight.
  for (const deadline = Date.now() + 60_000; ;) {
    if ((await verifyAll(stack.db)).every((v) => v.ok)) break;
    if (Date.now() > deadline) throw new Error('the source cases never settled');
    await new Promise((r) => setTimeout(r, 500));
  }
}, 240_000);

afterAll(async () => {
  await stack?.close();
  if (created.length > 0) {
    const admin = new URL(sourceUrl);
    admin.pathname = '/postgres';
    const db = createDb(admin.toString(), { max: 1 });
    for (const c of created) {
      await c.db.destroy();
      await db.raw(`DROP DATABASE IF EXISTS ${c.name} WITH (FORCE)`);
    }
    await db.destroy();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore of the record', () => {
  it('when cases are registered while the backup runs, then the backup holds one moment of the record', async () => {
    file = path.join(dir, 'record.odrbak');
    let stop = false;
    const meanwhile = (async () => {
      while (!stop) {
        await register();
        registeredMeanwhile += 1;
      }
    })();
    const casesBefore = await countRows(stack.db, 'cases');
    manifest = await backupDatabase(sourceUrl, file, {
      // Writes commit while the snapshot is held: the backup blocks no writer and sees none of them.
      afterSnapshot: async () => {
        for (let i = 0; i < 2; i++) afterSnapshot.push(await register());
      },
    });
    stop = true;
    await meanwhile;

    expect(registeredMeanwhile).toBeGreaterThan(0);
    const cases = manifest.tables.find((t) => t.name === 'cases')!;
    expect(cases.rows).toBeGreaterThanOrEqual(casesBefore);
    expect(await countRows(stack.db, 'cases')).toBeGreaterThanOrEqual(cases.rows + afterSnapshot.length);
    // The tables of the record, from the catalog, parents before children.
    const names = manifest.tables.map((t) => t.name);
    for (const t of ['cases', 'case_events', 'case_parties', 'documents', 'case_materials', 'organizations'])
      expect(names).toContain(t);
    expect(names).not.toContain('knex_migrations');
    expect(names.indexOf('cases')).toBeLessThan(names.indexOf('case_events'));
    expect(names.indexOf('organizations')).toBeLessThan(names.indexOf('cases'));
    expect(manifest.migrations).toEqual(await stack.db('knex_migrations').orderBy('id').pluck('name'));
    expect(manifest.serverVersion).toMatch(/^\d+/);
    // The file holds what its manifest says, checked from the file alone.
    expect(await verifyBackupFile(file)).toEqual(manifest);
    expect(readFileSync(file).subarray(0, 18).toString()).toBe('ODR-RECORD-BACKUP ');
  });

  it("when restored into an empty database, then every table holds the manifest's rows and every case verifies", async () => {
    const target = await emptyDatabase();
    const restored = await restoreDatabase(target.url, file);
    expect(restored).toEqual(manifest);

    for (const t of manifest.tables)
      expect({ table: t.name, rows: await countRows(target.db, t.name) }).toEqual({ table: t.name, rows: t.rows });
    expect(await target.db('knex_migrations').orderBy('id').pluck('name')).toEqual(manifest.migrations);

    // One moment: the cases registered after the snapshot are not there, and each case's row agrees with its
    // events (its last sequence number is its event count), each event with the source's.
    const ids = (await target.db('cases').pluck('case_id')) as string[];
    for (const id of afterSnapshot) expect(ids).not.toContain(id);
    const disagreeing = await target.db.raw(`
      SELECT c.case_id FROM cases c
        LEFT JOIN (SELECT case_id, count(*)::int AS n, max(seq) AS last FROM case_events GROUP BY case_id) e USING (case_id)
       WHERE c.last_seq <> COALESCE(e.n, 0) OR c.last_seq <> COALESCE(e.last, 0)`);
    expect(disagreeing.rows).toEqual([]);
    const orphans = await target.db.raw(
      'SELECT count(*)::int AS n FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = e.case_id)',
    );
    expect(orphans.rows[0].n).toBe(0);
    const events = (await target
      .db('case_events')
      .orderBy(['case_id', 'seq'])
      .select('case_id', 'seq', 'hash', 'payload', 'at')) as unknown[];
    const sourceEvents = (await stack
      .db('case_events')
      .whereIn('case_id', ids)
      .orderBy(['case_id', 'seq'])
      .select('case_id', 'seq', 'hash', 'payload', 'at')) as { case_id: string; seq: number }[];
    const bySeq = new Map(sourceEvents.map((e) => [`${e.case_id}/${e.seq}`, e]));
    for (const e of events as { case_id: string; seq: number }[]) expect(e).toEqual(bySeq.get(`${e.case_id}/${e.seq}`));

    // Every case verifies: its chain, its documents' bytes, its files' bytes.
    const verdicts = await verifyAll(target.db);
    expect(verdicts.length).toBe(manifest.tables.find((t) => t.name === 'cases')!.rows);
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(verdicts.reduce((n, v) => n + v.documents, 0)).toBeGreaterThan(0);
    const cli = await command('verify-chain.ts', ['--all'], target.url);
    expect(cli.stdout).toContain(`${verdicts.length} verified, 0 broken`);
    expect(cli.code).toBe(0);

    // Sequences continue after the restored rows.
    for (const s of manifest.sequences) {
      if (!('table' in s)) continue;
      const max = (await target.db(s.table).max({ m: s.column }))[0]!.m as number | null;
      const seq = (await target.db.raw(`SELECT last_value, is_called FROM "${s.name}"`)).rows[0];
      if (max !== null)
        expect({ sequence: s.name, last: Number(seq.last_value), called: seq.is_called }).toEqual({
          sequence: s.name,
          last: Number(max),
          called: true,
        });
    }

    // A backup of the restored database (by the operator's command) is the same data, table by table.
    const again = path.join(dir, 'again.odrbak');
    const backup = await command('backup.ts', [again], target.url);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const second = await verifyBackupFile(again);
    expect(second.tables).toEqual(manifest.tables);
    expect(second.migrations).toEqual(manifest.migrations);
  });

  it('when the target database holds rows, then the restore is refused and nothing changes', async () => {
    const target = await emptyDatabase();
    await restoreDatabase(target.url, file);
    const before = await countRows(target.db, 'case_events');
    const refused = restoreDatabase(target.url, file);
    await expect(refused).rejects.toThrow(BackupError);
    await expect(refused).rejects.toThrow(/not empty \(cases has rows/);
    const cli = await command('restore.ts', [file], target.url);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/^restore refused: the target database is not empty/);
    expect(cli.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await countRows(target.db, 'case_events')).toBe(before);
    // Nor a database the API has started on (it seeds the reference data) that holds no case yet.
    const seeded = await emptyDatabase();
    await migrateLatest(seeded.db);
    await seedReferenceData(seeded.db);
    await expect(restoreDatabase(seeded.url, file)).rejects.toThrow(/not empty \(\w+ has rows/);
  });

  it('when one byte of the file is changed, then the restore is refused before anything is written', async () => {
    const bytes = readFileSync(file);
    // In the first table's header, in the middle of the data, in the manifest, in the trailer.
    for (const at of [22, Math.floor(bytes.length / 2), bytes.length - 40, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at] = altered[at]! ^ 0x01;
      const damaged = path.join(dir, `damaged-${at}.odrbak`);
      writeFileSync(damaged, altered);
      await expect(verifyBackupFile(damaged), `byte ${at}`).rejects.toThrow(/is damaged/);
    }
    const damaged = path.join(dir, `damaged-${Math.floor(bytes.length / 2)}.odrbak`);
    const target = await emptyDatabase();
    await expect(restoreDatabase(target.url, damaged)).rejects.toThrow(/is damaged: .*nothing was restored/);
    // Not even the schema: the file is checked before the migrations run.
    expect(
      (await target.db.raw("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n,
    ).toBe(0);
    // Cut short: refused too.
    const cut = path.join(dir, 'cut.odrbak');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    await expect(verifyBackupFile(cut)).rejects.toThrow(/is damaged/);

    const cli = await command('restore.ts', [damaged], target.url);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/^restore refused: the backup .* is damaged/);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
    const missing = await command('restore.ts', ['--check', path.join(dir, 'no-such.odrbak')], target.url);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^restore refused: no such file/);
  });
});
