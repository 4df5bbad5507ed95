/** Builds the worker that runs mediation-case workflows and their activities. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import {
  NativeConnection,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleOption,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities, type Activities, type ActivityDeps } from '../activities/index.js';
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

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  log: () => undefined,
};

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
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: opts.activities ?? createActivities(opts.deps),
    dataConverter: dataConverterFor(opts.deps.cipher),
  });
}
