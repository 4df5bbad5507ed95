/**
 * One real Temporal dev server and one real PostgreSQL per test run, a new database per run, and the workflow
 * bundle built once for every test file's worker (bundling takes seconds of CPU: once per file, 50 files, it was
 * the tier's largest fixed cost). DATABASE_URL points at another PostgreSQL (a database is created on it);
 * TEMPORAL_CLI_PATH or PATH choose the Temporal CLI (npm test builds it into the per-user cache first when none
 * is found).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../config/index.js';
import { seedDemoData } from '../../db/demo-seed.js';
import { createDb, ensureDatabase, migrateLatest } from '../../db/knex.js';
import { startEmbeddedPostgres, UnreachableDataDirError, type RunningPostgres } from '../../infra/embedded-postgres.js';
import { findTemporalCli } from '../../infra/temporal-cli.js';
import { bundleWorkflows } from '../../worker/worker.js';
import { freePort } from './ports.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    databaseUrl: string;
    /** Demo court and notary API keys, by institution id. */
    demoApiKeys: Record<string, string>;
    /** A file holding the run's workflow bundle (test/support/stack.ts reads it for each file's worker). */
    workflowBundleFile: string;
  }
}

export default async function setup(project: TestProject) {
  // The staff console for the browser tests: built once per run, and only when its sources changed.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/web-build.ts'], { cwd: root, stdio: 'inherit' });
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const cli = findTemporalCli(config);
  if (!cli) throw new Error('No Temporal CLI found: run `npm run temporal:install` (npm test does this first).');

  const bundleDir = mkdtempSync(path.join(tmpdir(), 'odr-test-bundle-'));
  const workflowBundleFile = path.join(bundleDir, 'workflows.js');
  const bundle = async () => writeFileSync(workflowBundleFile, (await bundleWorkflows()).code);
  const [temporal, database] = await startAll(bundleDir, [
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli.path },
        ip: '127.0.0.1',
        extraArgs: ['--log-level', 'error'],
      },
    }),
    startDatabase(config.database.url),
    bundle(),
  ]);
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalNamespace', temporal.namespace ?? 'default');
  project.provide('databaseUrl', database.url);
  project.provide('demoApiKeys', database.apiKeys);
  project.provide('workflowBundleFile', workflowBundleFile);
  // In watch mode a changed workflow file is bundled again before the files rerun.
  project.onTestsRerun(bundle);

  return async () => {
    await temporal.teardown();
    await database.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  };
}

/**
 * Temporal, PostgreSQL and the bundle, side by side. When one fails, what the others started is stopped before
 * the run ends (a Temporal dev server left running would outlive the run, holding its port and its files).
 */
async function startAll(
  bundleDir: string,
  starting: [Promise<TestWorkflowEnvironment>, ReturnType<typeof startDatabase>, Promise<void>],
): Promise<[TestWorkflowEnvironment, Awaited<ReturnType<typeof startDatabase>>]> {
  const [temporal, database, bundled] = await Promise.allSettled(starting);
  const failed = [temporal, database, bundled].find((r) => r.status === 'rejected');
  if (temporal.status === 'fulfilled' && database.status === 'fulfilled' && !failed)
    return [temporal.value, database.value];
  await Promise.allSettled([
    temporal.status === 'fulfilled' ? temporal.value.teardown() : undefined,
    database.status === 'fulfilled' ? database.value.stop() : undefined,
  ]);
  rmSync(bundleDir, { recursive: true, force: true });
  const reason: unknown = failed?.reason;
  // What npm start says, without a stack: the message names the folders and how to open them.
  if (reason instanceof UnreachableDataDirError) {
    console.error(`[test] ${reason.message}`);
    process.exit(1);
  }
  throw reason;
}

async function startDatabase(
  externalUrl: string | undefined,
): Promise<{ url: string; apiKeys: Record<string, string>; stop(): Promise<void> }> {
  const name = `odr_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  let server: RunningPostgres | undefined;
  let dir: string | undefined;
  let adminUrl: string;
  if (externalUrl) {
    adminUrl = externalUrl;
  } else {
    dir = mkdtempSync(path.join(tmpdir(), 'odr-test-pg-'));
    chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must enter it
    server = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'data'),
      port: await freePort(),
      password: randomBytes(12).toString('hex'),
      persistent: false,
    }).catch((err: unknown) => {
      rmSync(dir!, { recursive: true, force: true });
      throw err;
    });
    adminUrl = server.adminUrl;
  }
  const stop = async () => {
    if (server) {
      await server.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    } else {
      const admin = createDb(adminUrl, { max: 1 });
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    }
  };
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // A server that started but whose database could not be made ready is stopped, not left behind.
  const apiKeys = await prepareDatabase(adminUrl, name, url.toString()).catch(async (err: unknown) => {
    await stop().catch(() => undefined);
    throw err;
  });
  return { url: url.toString(), apiKeys, stop };
}

/** The run's database, created, migrated and seeded with the demo center; answers the demo API keys. */
async function prepareDatabase(adminUrl: string, name: string, url: string): Promise<Record<string, string>> {
  await ensureDatabase(adminUrl, name);
  const db = createDb(url, { max: 1 });
  try {
    await migrateLatest(db);
    return (await seedDemoData(db)).apiKeys;
  } finally {
    await db.destroy();
  }
}
