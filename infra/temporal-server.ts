/**
 * The real Temporal server, not the dev server, for `npm run start:cluster` (issue 18): go.temporal.io/server's
 * own `server` command and its SQL tool, built once with `go install` into the per-user cache (nothing is
 * downloaded at run time), with PostgreSQL persistence and visibility through the postgres12 plugin. The
 * schema is set up by the server's own SQL tool from the schema compiled into it, and the configuration is a
 * generated file. docker-compose.yml runs the same version, plugin, shard count and schema versions with the
 * server image's environment variables; test/docker-compose.test.ts checks them against the constants here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { Config } from '../config/index.js';
import { findGo, goInstall, isExecutable } from './temporal-cli.js';

/**
 * The server the Temporal CLI v1.5.1's dev server embeds (`go version -m` on it: go.temporal.io/server v1.29.1),
 * so `npm start` and the cluster run the same server. v1.29.1's go.mod carries no `replace`, so `go install` takes it.
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
/** The server's SQL plugin for PostgreSQL 12 and later (the embedded PostgreSQL is 17). */
export const TEMPORAL_SQL_PLUGIN = 'postgres12';
/** Fixed when the persistence database is created: changing it later needs a new database. */
export const TEMPORAL_HISTORY_SHARDS = 4;
/** How long Temporal keeps a closed workflow's history; the case's record stays in PostgreSQL. */
export const TEMPORAL_NAMESPACE_RETENTION_HOURS = 72;
/**
 * Temporal's two databases and the schema versions server v1.29.1 expects (schema/postgresql/v12/version.go in
 * the server module); the SQL tool carries the schema files in its binary under these names.
 */
export const TEMPORAL_DATABASES = [
  { role: 'persistence', database: 'temporal', schemaName: 'postgresql/v12/temporal', schemaVersion: '1.18' },
  {
    role: 'visibility',
    database: 'temporal_visibility',
    schemaName: 'postgresql/v12/visibility',
    schemaVersion: '1.9',
  },
] as const;

const MODULE = 'go.temporal.io/server';
/** `go install` names binaries after their package (`server`, `sql`); the cache keeps Temporal's own names. */
const BINARIES = [
  { pkg: 'cmd/server', built: 'server', name: 'temporal-server' },
  { pkg: 'cmd/tools/sql', built: 'sql', name: 'temporal-sql-tool' },
] as const;

export type ServerBinaries = {
  server: string;
  sqlTool: string;
  source: 'TEMPORAL_SERVER_PATH' | 'cache' | 'built';
};

export function cachedServerDir(config: Config): string {
  return path.join(config.toolCacheDir, `temporal-server-v${TEMPORAL_SERVER_VERSION}`);
}

/**
 * Looks without building: `serverPath` (TEMPORAL_SERVER_PATH: a temporal-server binary with temporal-sql-tool
 * beside it), then the per-user cache.
 */
export function findTemporalServer(config: Config, serverPath?: string): ServerBinaries | undefined {
  if (serverPath) {
    const sqlTool = path.join(path.dirname(serverPath), 'temporal-sql-tool');
    if (!isExecutable(serverPath)) throw new Error(`TEMPORAL_SERVER_PATH=${serverPath} is not an executable file`);
    if (!isExecutable(sqlTool))
      throw new Error(`TEMPORAL_SERVER_PATH=${serverPath}: no executable temporal-sql-tool beside it (${sqlTool})`);
    return { server: serverPath, sqlTool, source: 'TEMPORAL_SERVER_PATH' };
  }
  const dir = cachedServerDir(config);
  const [server, sqlTool] = BINARIES.map((b) => path.join(dir, b.name)) as [string, string];
  return isExecutable(server) && isExecutable(sqlTool) ? { server, sqlTool, source: 'cache' } : undefined;
}

/** Looks, and builds both programs into the per-user cache when they are not there. Prints what it does. */
export async function ensureTemporalServer(
  config: Config,
  opts: { serverPath?: string; log?: (line: string) => void } = {},
): Promise<ServerBinaries> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const found = findTemporalServer(config, opts.serverPath);
  if (found) return found;
  const dir = cachedServerDir(config);
  const go = findGo(config);
  if (!go) {
    throw new Error(
      `The Temporal server was not found (TEMPORAL_SERVER_PATH unset, nothing in ${dir}) and Go is not installed ` +
        `to build it. Install Go 1.25+ or set TEMPORAL_SERVER_PATH to a temporal-server v${TEMPORAL_SERVER_VERSION} ` +
        'with temporal-sql-tool beside it.',
    );
  }
  mkdirSync(dir, { recursive: true });
  log(
    `[temporal-server] building the Temporal server v${TEMPORAL_SERVER_VERSION} and its SQL tool once, into the per-user cache ${dir}`,
  );
  log('[temporal-server] this takes about 5–15 minutes on two cores; later runs reuse it and start at once');
  log(
    `[temporal-server] to skip it: Ctrl-C, then run again with TEMPORAL_SERVER_PATH set to an existing temporal-server v${TEMPORAL_SERVER_VERSION} (temporal-sql-tool beside it)`,
  );
  const started = Date.now();
  const modules = BINARIES.map((b) => `${MODULE}/${b.pkg}@v${TEMPORAL_SERVER_VERSION}`);
  await goInstall(go, modules, dir, (packages) =>
    log(
      `[temporal-server] still building (${Math.round((Date.now() - started) / 1000)}s, ${packages} packages compiled)`,
    ),
  );
  for (const b of BINARIES) renameSync(path.join(dir, b.built), path.join(dir, b.name));
  const built = findTemporalServer(config);
  if (!built) throw new Error(`go install finished but ${dir} lacks temporal-server or temporal-sql-tool`);
  log(`[temporal-server] built in ${Math.round((Date.now() - started) / 1000)}s: ${built.server}, ${built.sqlTool}`);
  return { ...built, source: 'built' };
}

/** Runs a program to its end; its output comes back in the error when it fails. */
function run(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(file)} ${args.join(' ')} exited with code ${code}:\n${output.trim()}`)),
    );
  });
}

/** The schema versions are this server's: another build (TEMPORAL_SERVER_PATH) is refused before it touches data. */
export async function assertServerVersion(binaries: ServerBinaries): Promise<void> {
  for (const file of [binaries.server, binaries.sqlTool]) {
    const printed = (await run(file, ['--version'])).trim();
    if (!printed.endsWith(` ${TEMPORAL_SERVER_VERSION}`))
      throw new Error(`${file} is not Temporal server ${TEMPORAL_SERVER_VERSION} (it says "${printed}")`);
  }
}

export type PostgresEndpoint = { host: string; port: number; user: string; password: string };

/** Host, port, user and password of a postgres:// URL (the database in it is not Temporal's). */
export function postgresEndpoint(url: string): PostgresEndpoint {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/**
 * The SQL tool's connection, by its own environment variables: the password stays off command lines others
 * can read, and docker-compose.yml's temporal-schema service sets the same variables.
 */
export function sqlToolEnvironment(pg: PostgresEndpoint): Record<string, string> {
  return {
    SQL_PLUGIN: TEMPORAL_SQL_PLUGIN,
    SQL_HOST: pg.host,
    SQL_PORT: String(pg.port),
    SQL_USER: pg.user,
    SQL_PASSWORD: pg.password,
  };
}

/**
 * The SQL tool's arguments that create Temporal's two databases and bring their schema to this server's
 * versions: create-database, setup-schema -v 0.0 (the version tables), update-schema to the version, from
 * the schema compiled into the tool. Every step is idempotent: a database already at its version is left
 * alone, so they run at every start. docker-compose.yml's temporal-schema service runs the same lines.
 */
export function schemaCommands(): { database: string; args: string[] }[] {
  return TEMPORAL_DATABASES.flatMap((db) =>
    [
      ['create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '--schema-name', db.schemaName, '-v', db.schemaVersion],
    ].map((step) => ({ database: db.database, args: ['--db', db.database, ...step] })),
  );
}

export async function setupTemporalSchema(
  sqlTool: string,
  pg: PostgresEndpoint,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const env = sqlToolEnvironment(pg);
  for (const command of schemaCommands()) await run(sqlTool, command.args, env);
  for (const db of TEMPORAL_DATABASES) log(`${db.role} database ${db.database} at schema ${db.schemaVersion}`);
}

/** Whether a TCP port is free on the loopback interface right now. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` ports free right now, the first ones from `from` up to `max`. */
async function freePortsFrom(from: number, count: number, max = 65_535): Promise<number[]> {
  const found: number[] = [];
  for (let port = from; found.length < count; port += 1) {
    if (port > max) throw new Error(`no ${count} free ports from ${from} up to ${max}`);
    if (await isPortFree(port)) found.push(port);
  }
  return found;
}

export type ServerPorts = {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  /** gRPC and membership (ringpop) ports of the other three services. */
  history: [number, number];
  matching: [number, number];
  worker: [number, number];
};

/**
 * The frontend on `frontendPort` (what workers and the API dial); the other ports the first free ones after it
 * and, for membership, from 700 below it (7233 gives 7234… and 6533…, near Temporal's usual 7234 and 6933).
 * The server records membership ports in a smallint column, so they stay below 32768: an ephemeral port
 * (port 0) would not do.
 */
export async function chooseServerPorts(frontendPort: number): Promise<ServerPorts> {
  const [frontendHttp, history, matching, worker] = await freePortsFrom(frontendPort + 1, 4);
  const membershipFrom = frontendPort - 700 >= 1024 && frontendPort < 32_000 ? frontendPort - 700 : 20_000;
  const [frontendMembership, historyM, matchingM, workerM] = await freePortsFrom(membershipFrom, 4, 32_767);
  return {
    frontend: frontendPort,
    frontendHttp: frontendHttp!,
    frontendMembership: frontendMembership!,
    history: [history!, historyM!],
    matching: [matching!, matchingM!],
    worker: [worker!, workerM!],
  };
}

/**
 * The server's configuration (the shape of the server module's config/development-postgres12.yaml): all four
 * services in one process on the loopback interface, persistence and visibility on PostgreSQL, no archival,
 * no metrics endpoint. JSON is YAML, so the object is written as JSON.
 */
export function serverConfig(pg: PostgresEndpoint, ports: ServerPorts, logLevel = 'error') {
  const datastore = (database: string, maxConns: number) => ({
    sql: {
      pluginName: TEMPORAL_SQL_PLUGIN,
      databaseName: database,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const [persistence, visibility] = TEMPORAL_DATABASES;
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: logLevel },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: TEMPORAL_HISTORY_SHARDS,
      datastores: {
        'postgres-default': datastore(persistence.database, 20),
        'postgres-visibility': datastore(visibility.database, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      history: rpc(...ports.history),
      matching: rpc(...ports.matching),
      worker: rpc(...ports.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
  };
}

export type RunningServer = { address: string; process: ChildProcess };

/**
 * Writes the configuration (owner-only: it holds the database password) under `configDir` and starts the
 * server on it; resolves when its frontend answers and `namespace` exists (registered on first start).
 */
export async function startTemporalServer(opts: {
  serverPath: string;
  configDir: string;
  config: ReturnType<typeof serverConfig>;
  namespace: string;
  onOutput?: (line: string) => void;
  /** Called as soon as the process exists, so a caller stopped while it starts can stop it too. */
  onSpawn?: (child: ChildProcess) => void;
}): Promise<RunningServer> {
  mkdirSync(opts.configDir, { recursive: true });
  const file = path.join(opts.configDir, 'cluster.yaml');
  writeFileSync(file, JSON.stringify(opts.config, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  const child = spawn(
    opts.serverPath,
    ['--root', opts.configDir, '--config', '.', '--env', 'cluster', '--allow-no-auth', 'start'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  opts.onSpawn?.(child);
  const forward = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => opts.onOutput?.(l));
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const address = `127.0.0.1:${opts.config.services.frontend.rpc.grpcPort}`;
  try {
    await waitForNamespace(address, opts.namespace, child);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return { address, process: child };
}

/** Polls the frontend until it answers, registers the namespace if it is missing, and waits until it is served. */
async function waitForNamespace(address: string, namespace: string, child: ChildProcess): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== undefined)
      throw new Error(`the Temporal server exited with code ${exited} before it answered (its output above says why)`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        if (await namespaceReady(connection, namespace)) return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`the Temporal server did not become ready on ${address}: ${(err as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** True once the frontend serves the namespace; registers it when the server does not know it. */
async function namespaceReady(connection: Connection, namespace: string): Promise<boolean> {
  const service = connection.workflowService;
  try {
    await service.describeNamespace({ namespace });
  } catch (err) {
    if ((err as { code?: number }).code !== 5) throw err; // 5 = gRPC NOT_FOUND
    await service.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${TEMPORAL_NAMESPACE_RETENTION_HOURS}h`),
    });
    return false;
  }
  // A namespace just registered reaches the frontend's cache some seconds later: wait until a call on it works.
  await service.listOpenWorkflowExecutions({ namespace, maximumPageSize: 1 });
  return true;
}
