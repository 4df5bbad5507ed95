/**
 * The pieces of the cluster (issue 18) that `npm run start:cluster`, `npm run test:cluster` and the bench share:
 * the real Temporal server made ready on a PostgreSQL (binaries, schema, ports, configuration), the worker and API
 * processes as supervisor specs, and the waits until they serve. Each caller keeps its own policy (what to log,
 * what to do when a process gives up).
 */
import { spawn, type StdioOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Config } from '../config/index.js';
import type { ChildSpec } from './supervisor.js';
import {
  assertServerVersion,
  chooseServerPorts,
  ensureTemporalServer,
  serverConfig,
  setupTemporalSchema,
  TEMPORAL_SERVER_VERSION,
  type PostgresEndpoint,
  type ServerBinaries,
} from './temporal-server.js';

const { temporal } = proto;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What starting (and starting again, with the same configuration and ports) the server needs. */
export type PreparedTemporal = {
  binaries: ServerBinaries;
  config: ReturnType<typeof serverConfig>;
};

/**
 * Finds (or builds once, saying so) the server v1.29.1 and its SQL tool, brings Temporal's two databases on `pg` to
 * their schema versions and chooses the ports from `frontendPort`. Starting it is `startTemporalServer`.
 */
export async function prepareTemporal(
  config: Config,
  pg: PostgresEndpoint,
  frontendPort: number,
  log: (line: string) => void,
): Promise<PreparedTemporal> {
  const binaries = await ensureTemporalServer(config, { serverPath: config.temporal.serverPath, log });
  await assertServerVersion(binaries);
  log(`Temporal: server v${TEMPORAL_SERVER_VERSION} (${binaries.source}: ${binaries.server})`);
  await setupTemporalSchema(binaries.sqlTool, pg, (line) => log(`Temporal: ${line}`));
  const ports = await chooseServerPorts(frontendPort);
  return { binaries, config: serverConfig(pg, ports) };
}

export type ClusterProcesses = {
  env: NodeJS.ProcessEnv;
  apiPorts: number[];
  /** The case workers' SDK metrics addresses ('' for none), one per case worker. */
  caseWorkerMetrics: string[];
  /** 'inherit' for a terminal; a test passes 'pipe' and reads what it needs. */
  stdio?: StdioOptions;
};

/** Case workers, a documents worker and the API instances, each its own process (`npm run worker`, `npm run api`). */
export function clusterChildSpecs(p: ClusterProcesses): ChildSpec[] {
  const stdio = p.stdio ?? ['ignore', 'inherit', 'inherit'];
  const spawnEntry = (entry: string, own: Record<string, string>) => () =>
    spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
      cwd: root,
      env: { ...p.env, ...own },
      stdio,
      detached: true, // Ctrl-C reaches only the parent, which stops them in order
    });
  const worker = (name: string, own: Record<string, string>): ChildSpec => ({
    name,
    spawn: spawnEntry('worker/main.ts', own),
    giveUp: 'keep-others',
  });
  return [
    ...p.caseWorkerMetrics.map((metrics, i) =>
      worker(`worker-${i + 1}`, { WORKER_ROLE: 'cases', WORKER_METRICS_ADDRESS: metrics }),
    ),
    worker('documents', { WORKER_ROLE: 'documents', WORKER_METRICS_ADDRESS: '' }),
    ...p.apiPorts.map((port, i): ChildSpec => ({
      name: `api-${i + 1}`,
      spawn: spawnEntry('api/main.ts', { PORT: String(port) }),
      giveUp: 'keep-others',
    })),
  ];
}

/** Resolves once `url` answers 2xx; rejects after `timeoutMs`; gives up quietly once `stopped()` says so. */
export async function waitForHttp(url: string, timeoutMs: number, stopped: () => boolean = () => false) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false, // not listening yet
    );
    if (ok || stopped()) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
    await sleep(500);
  }
}

/** How many distinct workers poll `taskQueue` for workflow tasks, once `wanted` do or the time is up. */
export async function waitForPollers(
  q: { address: string; namespace: string; taskQueue: string },
  wanted: number,
  timeoutMs: number,
  stopped: () => boolean = () => false,
): Promise<number> {
  const connection = await Connection.connect({ address: q.address });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: q.namespace,
        taskQueue: { name: q.taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const polling = new Set((pollers ?? []).map((p) => p.identity)).size;
      if (polling >= wanted || stopped() || Date.now() > deadline) return polling;
      await sleep(500);
    }
  } finally {
    await connection.close();
  }
}
