/**
 * `npm run start:cluster`: the system as several processes, the way it is deployed, on one machine without
 * Docker (issue 18). PostgreSQL (embedded, data in DATA_DIR/cluster/postgres, or DATABASE_URL), the real
 * Temporal server on it (infra/temporal-server.ts: persistence and visibility in PostgreSQL, schema set up by
 * the server's own SQL tool), two case workers and a documents worker, and two API instances on their own
 * ports. The workers and APIs are supervised as in `npm start`; Ctrl-C stops the APIs and workers, then
 * Temporal, then PostgreSQL. The cluster's PostgreSQL is its own: cases started under `npm start` live in the
 * dev server's history, which this Temporal does not have.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { seedDemoData, seedReferenceData } from '../db/demo-seed.js';
import { createDb, ensureDatabase, migrateLatest } from '../db/knex.js';
import { clusterChildSpecs, prepareTemporal, waitForHttp, waitForPollers } from '../infra/cluster.js';
import { startEmbeddedPostgres, UnreachableDataDirError, type RunningPostgres } from '../infra/embedded-postgres.js';
import { createSupervisor, stopProcess, type Supervisor } from '../infra/supervisor.js';
import {
  postgresEndpoint,
  startTemporalServer,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SQL_PLUGIN,
  type PostgresEndpoint,
} from '../infra/temporal-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfigOrExit();
const clusterDir = path.join(config.dataDir, 'cluster');
const say = (line: string) => console.log(`[cluster] ${line}`);
const shout = (line: string) => console.error(`[cluster] ${line}`);

let temporalServer: ChildProcess | undefined;
let supervisor: Supervisor | undefined;
let postgres: RunningPostgres | undefined;
let stopping = false;

/** The two API instances: PORT and the port after it. */
const apiPorts = [config.http.port, config.http.port + 1];

/** The case workers' SDK metrics each need a port of their own: WORKER_METRICS_ADDRESS and the port after it. */
function workerMetricsAddresses(): [string, string] {
  const address = config.temporal.workerMetricsAddress;
  if (!address) return ['', ''];
  const [, host, port] = /^(.*):(\d+)$/.exec(address)!;
  return [address, `${host}:${Number(port) + 1}`];
}

async function startPostgres(postgresPassword: string): Promise<{ databaseUrl: string; pg: PostgresEndpoint }> {
  if (config.database.url) {
    say('PostgreSQL: using DATABASE_URL (Temporal creates its databases temporal and temporal_visibility there)');
    return { databaseUrl: config.database.url, pg: postgresEndpoint(config.database.url) };
  }
  const dataDir = path.join(clusterDir, 'postgres');
  say(`PostgreSQL: starting the embedded server on 127.0.0.1:${config.database.embeddedPort} (data in ${dataDir})`);
  postgres = await startEmbeddedPostgres({
    dataDir,
    port: config.database.embeddedPort,
    password: postgresPassword,
    persistent: true,
  });
  await ensureDatabase(postgres.adminUrl, 'odr');
  return { databaseUrl: postgres.urlFor('odr'), pg: postgresEndpoint(postgres.adminUrl) };
}

/** The system's own schema and reference data; the demo accounts' password when they are seeded. */
async function prepareDatabase(databaseUrl: string): Promise<string | undefined> {
  const db = createDb(databaseUrl, { max: 1 });
  try {
    const applied = await migrateLatest(db);
    say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
    if (!config.seedDemoData) {
      await seedReferenceData(db);
      return undefined;
    }
    return (await seedDemoData(db)).password;
  } finally {
    await db.destroy();
  }
}

async function startTemporal(pg: PostgresEndpoint): Promise<string> {
  const prepared = await prepareTemporal(config, pg, config.temporal.devServerPort, say);
  const server = await startTemporalServer({
    serverPath: prepared.binaries.server,
    configDir: path.join(clusterDir, 'temporal'),
    config: prepared.config,
    namespace: config.temporal.namespace,
    // While everything stops, the server's services log each other's departure as errors: noise, not news.
    onOutput: (l) => stopping || console.log(`[temporal] ${l}`),
    onSpawn: (child) => (temporalServer = child),
  });
  server.process.once('exit', (code, signal) => {
    if (stopping) return;
    shout(`the Temporal server exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    void stop(1);
  });
  return server.address;
}

/** The staff console and the portal, built as `npm start` builds them: when their sources changed (seconds; nothing when unchanged). */
function buildConsole() {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/web-build.ts')], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    shout('the console could not be built (see above): the APIs run, and /console/ says it is not built');
  }
}

async function main() {
  mkdirSync(clusterDir, { recursive: true });
  if (config.temporal.address) {
    shout('TEMPORAL_ADDRESS is set, but start:cluster runs its own Temporal server: unset it (or use npm start)');
    process.exit(78); // EX_CONFIG
  }
  const secrets = loadSecrets(config);
  const { databaseUrl, pg } = await startPostgres(secrets.postgresPassword);
  const demoPassword = await prepareDatabase(databaseUrl);
  const temporalAddress = await startTemporal(pg);
  if (stopping) return; // Ctrl-C while Temporal was starting: start nothing more

  buildConsole();
  const env = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress };
  const specs = clusterChildSpecs({ env, apiPorts, caseWorkerMetrics: workerMetricsAddresses() });
  supervisor = createSupervisor(specs, {
    log: say,
    onGiveUp: ({ name }) => shout(`${name} cannot stay up (its output above says why); the others keep running`),
  });
  supervisor.start();
  const apiUrls = apiPorts.map((port) => `http://localhost:${port}`);
  const [caseWorkers] = await Promise.all([
    waitForPollers(
      { address: temporalAddress, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
      2,
      90_000,
      () => stopping,
    ),
    ...apiUrls.map((url) => waitForHttp(`${url}/readyz`, 90_000, () => stopping)),
  ]);
  if (caseWorkers < 2) shout(`only ${caseWorkers} of 2 case workers polled within 90 s; see their output above`);
  printSummary({ apiUrls, temporalAddress, demoPassword, caseWorkers });
}

function printSummary(s: {
  apiUrls: string[];
  temporalAddress: string;
  demoPassword: string | undefined;
  caseWorkers: number;
}) {
  const [metrics1, metrics2] = workerMetricsAddresses();
  const pgWhere = config.database.url
    ? 'DATABASE_URL'
    : `embedded, 127.0.0.1:${config.database.embeddedPort}, data in ${path.join(clusterDir, 'postgres')}`;
  console.log(
    [
      '',
      '  The dispute resolution center is running as a cluster.',
      ...s.apiUrls.map((url, i) => `  API ${i + 1}:        ${url}  (console ${url}/console/, portal ${url}/portal/)`),
      `  Case workers: 2, ${s.caseWorkers} polling (metrics: ${metrics1 ? `http://${metrics1}/metrics, http://${metrics2}/metrics` : 'off'})`,
      '  Documents:    1 worker',
      `  Temporal:     server v${TEMPORAL_SERVER_VERSION} at ${s.temporalAddress}, namespace ${config.temporal.namespace}` +
        ` (${TEMPORAL_SQL_PLUGIN}: databases temporal, temporal_visibility; no UI: use the Temporal CLI)`,
      `  PostgreSQL:   ${pgWhere}`,
      '',
      ...(s.demoPassword ? [`  Demo accounts as in npm start (password ${s.demoPassword}), e.g. clerk.chen`, ''] : []),
      '  Ctrl-C stops everything; data is kept for the next start.',
      '',
    ].join('\n'),
  );
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await supervisor?.stop(); // the APIs and workers, last started first
  await stopProcess(temporalServer, 15_000, () => shout('the Temporal server did not stop in 15s; killing it'));
  if (postgres) await postgres.stop();
  say('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// If this process dies some other way, do not leave detached children behind.
process.on('exit', () => {
  const server = temporalServer?.exitCode === null ? temporalServer.pid : undefined;
  for (const pid of [...(server ? [server] : []), ...(supervisor?.pids() ?? [])]) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

main().catch(async (err: unknown) => {
  if (err instanceof UnreachableDataDirError) shout(err.message);
  else shout(`could not start: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
});
