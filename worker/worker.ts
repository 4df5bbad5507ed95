/** Builds the worker that runs mediation-case workflows and their activities. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import {
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleOption,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities, type Activities, type ActivityDeps } from '../activities/index.js';
import { complaintActivities } from '../activities/complaints.js';
import { ratingActivities } from '../activities/ratings.js';
import { dataConverterFor } from '../infra/temporal.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The workflows entry next to this file's own extension (.ts under tsx and vitest, .js when built). */
export const workflowsPath = path.join(here, '..', 'workflows', `index${path.extname(fileURLToPath(import.meta.url))}`);

/**
 * Where `npm run build` writes the workflow bundle (dist/workflow-bundle.js), when this file runs built; a
 * worker started from the sources (tsx) has none and bundles at start.
 */
export function builtWorkflowBundle(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const file = path.join(here, '..', 'workflow-bundle.js');
  return existsSync(file) ? file : undefined;
}

/** Bundles the workflow code; its warnings and errors go to `logger` (the console by default). */
export function bundleWorkflows(logger?: TemporalLogger): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger(logger) });
}

/** Webpack's listing of every bundled module (logged at info) is left out; warnings and errors are kept. */
function quietBundlerLogger(logger?: TemporalLogger): TemporalLogger {
  const warn = (m: string, meta?: LogMetadata) => (logger ? logger.warn(m, meta) : console.warn(m));
  const error = (m: string, meta?: LogMetadata) => (logger ? logger.error(m, meta) : console.error(m));
  return {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn,
    error,
    log: (level, m, meta) => (level === 'ERROR' ? error(m, meta) : level === 'WARN' ? warn(m, meta) : undefined),
  };
}

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Instead of the activities built from `deps` (the benchmark times them, or runs no-ops). */
  activities?: Activities;
  /** A prebuilt bundle, or the file holding one (production; tests bundle once per run); else bundled at start. */
  workflowBundle?: WorkflowBundleOption | undefined;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    // Bundled here rather than by the SDK, whose bundler lists every module in the log; its warnings and
    // errors go to the runtime's logger (the process's one logger, once worker/main.ts has installed it).
    workflowBundle: opts.workflowBundle ?? (await bundleWorkflows(Runtime.instance().logger)),
    // The complaints' and the ratings' activities beside the case's (a complaint and a 差评's follow-up run on the
    // same task queue).
    activities: {
      ...complaintActivities(opts.deps),
      ...ratingActivities(opts.deps),
      ...(opts.activities ?? createActivities(opts.deps)),
    },
    dataConverter: dataConverterFor(opts.deps.cipher),
  });
}
