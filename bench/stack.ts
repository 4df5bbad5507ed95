/**
 * The bench's own stack, started in this process: a Temporal dev server configured as `npm start` runs it
 * (SQLite file in WAL mode), and an embedded PostgreSQL with a fresh database, migrated and demo-seeded.
 * TEMPORAL_ADDRESS / DATABASE_URL use those servers instead (a fresh database is created on the
 * PostgreSQL server and dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { ActivityDeps } from '../activities/index.js';
import { loadConfig } from '../config/index.js';
import { seedDemoData } from '../db/demo-seed.js';
import { createPostgresDocumentStore } from '../db/documents.js';
import { createDb, ensureDatabase, migrateLatest } from '../db/knex.js';
import { createRenderPool } from '../templates/render-pool.js';
import { databaseCalendarSource } from '../infra/calendar.js';
import { createFieldCipher, type FieldCipher } from '../infra/crypto.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../infra/embedded-postgres.js';
import { findTemporalCli } from '../infra/temporal-cli.js';
import { startTemporalDevServer } from '../infra/temporal-dev-server.js';
import { connectClient } from '../infra/temporal.js';
import { bundleWorkflows } from '../worker/worker.js';

export type BenchStack = {
  namespace: string;
  /** The bench database: migrated, demo center and accounts seeded. */
  db: Knex;
  cipher: FieldCipher;
  activityDeps: ActivityDeps;
  workflowBundle: WorkflowBundleWithSourceMap;
  /** For workers. */
  connection: NativeConnection;
  client: Client;
  /** Another fresh, migrated and demo-seeded database on the same server (the queue's million cases live apart). */
  freshDatabase(label: string): Promise<{ db: Knex; drop(): Promise<void> }>;
  /** What was started here, and what was given. */
  servers: { temporal: string; postgres: string };
  close(): Promise<void>;
};

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startBenchStack(log: (line: string) => void = () => undefined): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log(`cleanup: ${(err as Error).message}`));
  };
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'odr-bench-'));
    chmodSync(dir, 0o755); // as root the embedded server runs as `postgres`, which must enter it
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));

    const [temporalAddress, adminUrl] = await Promise.all([startTemporal(config, dir, cleanups, log), startPostgres(config.database.url, dir, cleanups, log)]);
    const namespace = config.temporal.namespace;

    const freshDatabase = async (label: string) => {
      const name = `odr_bench_${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
      await ensureDatabase(adminUrl, name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const db = createDb(url.toString());
      await migrateLatest(db);
      await seedDemoData(db);
      return {
        db,
        async drop() {
          await db.destroy();
          const admin = createDb(adminUrl, { max: 1 });
          await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.destroy());
        },
      };
    };
    const main = await freshDatabase('main');
    cleanups.push(main.drop);
    const cipher = createFieldCipher(randomBytes(32));
    // Rendering as the worker process renders (RENDER_THREADS, one thread by default).
    const renderPool = config.renderThreads > 0 ? createRenderPool({ threads: config.renderThreads }) : undefined;
    if (renderPool) cleanups.push(() => renderPool.close());
    const activityDeps: ActivityDeps = {
      ...(renderPool ? { render: renderPool.render } : {}),
      db: main.db,
      cipher,
      calendars: databaseCalendarSource(main.db),
      documents: createPostgresDocumentStore(main.db),
      signingKey: randomBytes(32),
      publicBaseUrl: 'http://localhost:3000',
    };
    const connection = await NativeConnection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const { client, connection: clientConnection } = await connectClient({ address: temporalAddress, namespace, cipher });
    cleanups.push(() => clientConnection.close());
    const workflowBundle = await bundleWorkflows();
    return {
      namespace,
      db: main.db,
      cipher,
      activityDeps,
      workflowBundle,
      connection,
      client,
      freshDatabase,
      servers: { temporal: config.temporal.address ? 'TEMPORAL_ADDRESS' : 'dev server started here', postgres: config.database.url ? 'DATABASE_URL' : 'embedded, started here' },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function startTemporal(config: ReturnType<typeof loadConfig>, dir: string, cleanups: (() => Promise<void>)[], log: (line: string) => void): Promise<string> {
  if (config.temporal.address) return config.temporal.address;
  const cli = findTemporalCli(config);
  if (!cli) throw new Error('No Temporal CLI found: run `npm run temporal:install`, or set TEMPORAL_ADDRESS.');
  log(`starting the Temporal dev server (${cli.source})`);
  const server = await startTemporalDevServer({
    cliPath: cli.path,
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: config.temporal.namespace,
  });
  const child = server.process;
  // The server runs in its own process group (detached): stop it with this process whatever happens.
  const kill = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, signal);
  };
  const onExit = () => kill('SIGKILL');
  process.once('exit', onExit);
  cleanups.push(async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  return server.address;
}

async function startPostgres(externalUrl: string | undefined, dir: string, cleanups: (() => Promise<void>)[], log: (line: string) => void): Promise<string> {
  if (externalUrl) return externalUrl;
  log('starting the embedded PostgreSQL');
  const server: RunningPostgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: randomBytes(12).toString('hex'), persistent: false });
  cleanups.push(() => server.stop());
  return server.adminUrl;
}
