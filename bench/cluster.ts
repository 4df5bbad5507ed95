/**
 * The cluster's figures (issue 18 item 5): the real Temporal server on PostgreSQL (infra/cluster.ts, as
 * `npm run start:cluster` runs it), with the workers and APIs as their own processes. Cases per second from intake to
 * the archive with one case worker and with two (the same driver and updates as the pipeline part), and the API's
 * action latency (POST /cases/:id/sessions, the api part's action) with one instance and with two, under the same
 * concurrent load spread over the instances in turn. The report prints them beside the dev server's figures from
 * the pipeline and api parts of the same run. Everything shares this machine's cores: see the README's "Beyond one
 * process" for what the figures do and do not show.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../config/index.js';
import { DEMO_PASSWORD, seedDemoData } from '../db/demo-seed.js';
import { createDb, ensureDatabase, migrateLatest } from '../db/knex.js';
import { clusterChildSpecs, prepareTemporal, waitForHttp, waitForPollers } from '../infra/cluster.js';
import { createFieldCipher } from '../infra/crypto.js';
import { startEmbeddedPostgres } from '../infra/embedded-postgres.js';
import { createSupervisor, stopProcess } from '../infra/supervisor.js';
import {
  postgresEndpoint,
  startTemporalServer,
  TEMPORAL_HISTORY_SHARDS,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SQL_PLUGIN,
} from '../infra/temporal-server.js';
import { connectClient } from '../infra/temporal.js';
import { bundleWorkflows } from '../worker/worker.js';
import { driveToArchive, loadCast, toMediation, type Cast, type DrivenCase } from './drive.js';
import { freePort } from './stack.js';
import { pct, round } from './stats.js';

export type Latency = { p50Ms: number; p99Ms: number };

export type ClusterBench = {
  server: string;
  /** Cases driven at once in each throughput run (after one warm-up case). */
  cases: number;
  casesPerSecond: { oneWorker: number; twoWorkers: number };
  /** Requests timed per configuration, and how many were in flight at once. */
  apiSamples: number;
  apiConcurrency: number;
  /** One request at a time through one instance (as the api part measures the dev server), then API_CONCURRENCY at once. */
  api: { sequential: Latency; oneInstance: Latency; twoInstances: Latency };
};

type Cluster = {
  client: Client;
  cast: Cast;
  env: Record<string, string>;
  close(): Promise<void>;
};

type Log = (line: string) => void;
type Processes = { taskQueue: string; urls: string[]; stop(): Promise<void> };

const NAMESPACE = 'default';
const API_CONCURRENCY = 8;

/** PostgreSQL, the real Temporal server and a client, in a folder of their own; stopped again if the start fails. */
async function startCluster(log: Log): Promise<Cluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'odr-bench-cluster-'));
  chmodSync(dir, 0o755); // as root the embedded server runs as `postgres`, which must enter it
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log(`cluster: ${(err as Error).message}`));
  };
  try {
    return { ...(await startServers(dir, cleanups, log)), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The servers and a client; each pushes how it is stopped onto `cleanups`. The processes come per run. */
async function startServers(dir: string, cleanups: (() => Promise<unknown>)[], log: Log) {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const password = randomBytes(12).toString('hex');
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    password,
    persistent: false,
  });
  cleanups.push(() => pg.stop());
  await ensureDatabase(pg.adminUrl, 'odr');
  const db = createDb(pg.urlFor('odr'), { max: 2 });
  await migrateLatest(db);
  await seedDemoData(db);
  const cast = await loadCast(db);
  await db.destroy();
  const bundle = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundle, (await bundleWorkflows()).code);
  const prepared = await prepareTemporal(config, postgresEndpoint(pg.adminUrl), await freePort(), (l) =>
    log(`cluster: ${l}`),
  );
  const server = await startTemporalServer({
    serverPath: prepared.binaries.server,
    configDir: path.join(dir, 'temporal'),
    config: prepared.config,
    namespace: NAMESPACE,
  });
  cleanups.push(() => stopProcess(server.process, 15_000, () => log('cluster: the Temporal server did not stop')));
  const encryptionKey = randomBytes(32);
  const { client, connection } = await connectClient({
    address: server.address,
    namespace: NAMESPACE,
    cipher: createFieldCipher(encryptionKey),
  });
  cleanups.push(() => connection.close());
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    DATA_DIR: path.join(dir, 'app'),
    DATABASE_URL: pg.urlFor('odr'),
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    WORKFLOW_BUNDLE_PATH: bundle,
    ENCRYPTION_KEY: encryptionKey.toString('base64'),
    TOKEN_SECRET: randomBytes(32).toString('base64'),
    SIGNING_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  return { client, cast, env };
}

/** `caseWorkers` case workers, a documents worker and `apis` API processes on a task queue of their own. */
async function startProcesses(c: Cluster, caseWorkers: number, apis: number): Promise<Processes> {
  const taskQueue = `bench-cluster-${randomUUID()}`;
  const apiPorts = await Promise.all(Array.from({ length: apis }, () => freePort()));
  const supervisor = createSupervisor(
    clusterChildSpecs({
      env: { ...c.env, TEMPORAL_TASK_QUEUE: taskQueue },
      apiPorts,
      caseWorkerMetrics: Array.from({ length: caseWorkers }, () => ''),
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
    { log: () => undefined },
  );
  supervisor.start();
  const urls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const polling = waitForPollers(
    { address: String(c.env.TEMPORAL_ADDRESS), namespace: NAMESPACE, taskQueue },
    caseWorkers,
    120_000,
  );
  await Promise.all([polling, ...urls.map((url) => waitForHttp(`${url}/readyz`, 120_000))]);
  return { taskQueue, urls, stop: () => supervisor.stop() };
}

async function casesPerSecond(c: Cluster, workers: number, cases: number, log: Log) {
  const p = await startProcesses(c, workers, 0);
  try {
    log(`cluster: ${cases} cases at once, ${workers} case worker(s)`);
    await driveToArchive(c.client, p.taskQueue, c.cast); // warm-up, not counted
    const started = performance.now();
    await Promise.all(Array.from({ length: cases }, () => driveToArchive(c.client, p.taskQueue, c.cast)));
    return round(cases / ((performance.now() - started) / 1000));
  } finally {
    await p.stop();
  }
}

async function logIn(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'mediator.wu', password: DEMO_PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** One mediation session recorded through the API; its wall time. */
async function recordSession(url: string, token: string, c: DrivenCase, i: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/cases/${c.caseId}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      at: new Date().toISOString(),
      place: '中心调解室',
      mode: 'in_person',
      record: `第${i}次调解：双方就还款期限交换意见，申请人同意分期。`,
    }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`POST /sessions: ${res.status} ${body}`);
  return performance.now() - started;
}

/** `clients` at once, each on a case of its own, each request to the next instance in turn; p50 and p99. */
async function timeActions(c: Cluster, p: Processes, token: string, clients: number, samples: number) {
  const cases = await Promise.all(Array.from({ length: clients }, () => toMediation(c.client, p.taskQueue, c.cast)));
  const warmUp = Math.max(10, clients * 2);
  const times: number[] = [];
  let next = 0;
  let turn = 0;
  await Promise.all(
    cases.map(async (theCase) => {
      for (let i = next++; i < samples + warmUp; i = next++) {
        const ms = await recordSession(p.urls[turn++ % p.urls.length]!, token, theCase, i);
        if (i >= warmUp) times.push(ms);
      }
    }),
  );
  await Promise.all(cases.map((x) => x.handle.terminate('bench finished').catch(() => undefined)));
  return { p50Ms: round(pct(times, 50)), p99Ms: round(pct(times, 99)) };
}

/** The action through `instances` API processes (two case workers behind them), at each number of clients. */
async function apiLatency(c: Cluster, instances: number, clients: number[], samples: number, log: Log) {
  const p = await startProcesses(c, 2, instances);
  try {
    const token = await logIn(p.urls[0]!);
    const out: Latency[] = [];
    for (const n of clients) {
      log(`cluster: ${samples} actions through ${instances} API instance(s), ${n} at once`);
      out.push(await timeActions(c, p, token, n, samples));
    }
    return out;
  } finally {
    await p.stop();
  }
}

export async function benchCluster(opts: {
  cases: number;
  samples: number;
  log: (line: string) => void;
}): Promise<ClusterBench> {
  opts.log('cluster: starting PostgreSQL and the real Temporal server');
  const cluster = await startCluster(opts.log);
  try {
    const oneWorker = await casesPerSecond(cluster, 1, opts.cases, opts.log);
    const twoWorkers = await casesPerSecond(cluster, 2, opts.cases, opts.log);
    const [sequential, oneInstance] = await apiLatency(cluster, 1, [1, API_CONCURRENCY], opts.samples, opts.log);
    const [twoInstances] = await apiLatency(cluster, 2, [API_CONCURRENCY], opts.samples, opts.log);
    return {
      server: `Temporal server v${TEMPORAL_SERVER_VERSION} on PostgreSQL (${TEMPORAL_SQL_PLUGIN}, ${TEMPORAL_HISTORY_SHARDS} history shards), started here`,
      cases: opts.cases,
      casesPerSecond: { oneWorker, twoWorkers },
      apiSamples: opts.samples,
      apiConcurrency: API_CONCURRENCY,
      api: { sequential: sequential!, oneInstance: oneInstance!, twoInstances: twoInstances! },
    };
  } finally {
    await cluster.close();
  }
}
