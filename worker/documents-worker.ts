/**
 * The documents worker: polls the documents queue next to the case queue (workflows/task-queues.ts) and renders
 * at most `concurrency` documents at once. Rendering is CPU work (PDF layout, font subsetting): a process
 * running only this worker keeps it off the case worker's event loop, and more such processes render more at
 * once. It runs no workflows.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { dataConverterFor } from '../infra/temporal.js';
import { documentsTaskQueue } from '../workflows/task-queues.js';

export async function createDocumentsWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  /** The case queue: documents are polled on the queue next to it. */
  taskQueue: string;
  deps: ActivityDeps;
  /** Documents rendered at once by this worker. */
  concurrency?: number;
  /** Instead of the activity built from `deps` (tests stub it). */
  renderCaseDocument?: ReturnType<typeof createActivities>['renderCaseDocument'];
}): Promise<Worker> {
  const renderCaseDocument = opts.renderCaseDocument ?? createActivities(opts.deps).renderCaseDocument;
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: documentsTaskQueue(opts.taskQueue),
    activities: { renderCaseDocument },
    maxConcurrentActivityTaskExecutions: opts.concurrency ?? 2,
    dataConverter: dataConverterFor(opts.deps.cipher),
  });
}
