/**
 * The bench's own stack, started in this process: a Temporal dev server configured as `npm start` runs it
 * (SQLite file in WAL mode), and an embedded PostgreSQL with a fresh database, migrated and demo-seeded.
 * TEMPORAL_ADDRESS / DATABASE_URL use those servers instead (a fresh database is created on the
 * PostgreSQL server and dropped afterwards). `spawnWorker` runs a worker as its own process, so the degraded
 * part can SIGKILL it as a crash would.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { ActivityDeps } from '../activities/index.js';
import { loadConfig } from '../config/index.js';
import { seedDemoData } from '../db/demo-seed.js';
import { createPostgresDocumentStore } from '../db/documents.js';
import { createDb, ensureDatabase, migrateLatest } from '../db/knex.js';
import { dropDatabase } from '../db/tooling.js';
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
  /**
   * A worker process (`npm run worker`) on this stack's servers, database and keys, polling `taskQueue`;
   * resolves once it polls. Its `kill()` is a SIGKILL: no graceful shutdown, as a crash leaves things.
   */
  spawnWorker(taskQueue: string): Promise<WorkerProcess>;
  /** What was started here, and what was given. */
  servers: { temporal: string; postgres: string };
  close(): Promise<void>;
};

export type WorkerProcess = { pid: number; kill(): Promise<void> };

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

    const [temporalAddress, adminUrl] = await Promise.all([
      startTemporal(config, dir, cleanups, log),
      startPostgres(config.database.url, dir, cleanups, log),
    ]);
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
        url: url.toString(),
        async drop() {
          await db.destroy();
          await dropDatabase(adminUrl, name);
        },
      };
    };
    const main = await freshDatabase('main');
    cleanups.push(main.drop);
    // Kept as bytes: a worker process is handed the same keys (spawnWorker).
    const encryptionKey = randomBytes(32);
    const signingKey = randomBytes(32);
    const cipher = createFieldCipher(encryptionKey);
    const activityDeps: ActivityDeps = {
      db: main.db,
      cipher,
      calendars: databaseCalendarSource(main.db),
      documents: createPostgresDocumentStore(main.db),
      signingKey,
      publicBaseUrl: 'http://localhost:3000',
    };
    const connection = await NativeConnection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const { client, connection: clientConnection } = await connectClient({
      address: temporalAddress,
      namespace,
      cipher,
    });
    cleanups.push(() => clientConnection.close());
    const workflowBundle = await bundleWorkflows();
    const spawnWorker = (taskQueue: string) =>
      startWorkerProcess(
        {
          NODE_ENV: 'test',
          DATA_DIR: path.join(dir, 'worker'),
          DATABASE_URL: main.url,
          TEMPORAL_ADDRESS: temporalAddress,
          TEMPORAL_NAMESPACE: namespace,
          TEMPORAL_TASK_QUEUE: taskQueue,
          ENCRYPTION_KEY: encryptionKey.toString('base64'),
          SIGNING_KEY: signingKey.toString('base64'),
          PUBLIC_BASE_URL: 'http://localhost:3000',
          DOCUMENT_CONCURRENCY: String(config.worker.documentConcurrency),
          LOG_LEVEL: 'warn',
          WORKER_METRICS_ADDRESS: '', // no fixed port: a killed worker's successor would find it taken
        },
        client,
        namespace,
        cleanups,
      );
    return {
      namespace,
      db: main.db,
      cipher,
      activityDeps,
      workflowBundle,
      connection,
      client,
      freshDatabase,
      spawnWorker,
      servers: {
        temporal: config.temporal.address ? 'TEMPORAL_ADDRESS' : 'dev server started here',
        postgres: config.database.url ? 'DATABASE_URL' : 'embedded, started here',
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

const WORKER_MAIN = fileURLToPath(new URL('../worker/main.ts', import.meta.url));

/** Spawns `worker/main.ts` as `npm run worker` runs it and waits until it polls the workflow task queue. */
async function startWorkerProcess(
  env: Record<string, string>,
  client: Client,
  namespace: string,
  cleanups: (() => Promise<void>)[],
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    process.removeListener('exit', onExit);
    if (alive()) child.kill('SIGKILL');
    await exited;
  };
  const onExit = () => {
    if (alive()) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  cleanups.push(kill);
  // Ready when it polls: the SDK's identity is `<pid>@<host>`.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (!alive()) throw new Error(`the worker process exited (${child.exitCode ?? child.signalCode}) before it polled`);
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (pollers?.some((p) => p.identity?.startsWith(`${child.pid}@`))) return { pid: child.pid!, kill };
    if (Date.now() > deadline) {
      await kill();
      throw new Error('the worker process did not start polling within 120 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startTemporal(
  config: ReturnType<typeof loadConfig>,
  dir: string,
  cleanups: (() => Promise<void>)[],
  log: (line: string) => void,
): Promise<string> {
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

async function startPostgres(
  externalUrl: string | undefined,
  dir: string,
  cleanups: (() => Promise<void>)[],
  log: (line: string) => void,
): Promise<string> {
  if (externalUrl) return externalUrl;
  log('starting the embedded PostgreSQL');
  const server: RunningPostgres = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    password: randomBytes(12).toString('hex'),
    persistent: false,
  });
  cleanups.push(() => server.stop());
  return server.adminUrl;
}
