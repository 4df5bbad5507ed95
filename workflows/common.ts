import { ApplicationFailure, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { Refusal } from '../domain/case-rules.js';
import { REFUSAL_FAILURE_TYPE } from './messages.js';
import { documentsTaskQueue } from './task-queues.js';

/** The case's and its processes' activities: short, and retried with backoff until they succeed. */
export const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
};

/**
 * The document activity, on the documents queue next to this workflow's own (workflows/task-queues.ts). Called
 * inside a workflow (it reads the workflow's task queue); a render waits in that queue while no documents worker
 * runs, and is retried like any other activity.
 */
export function documentActivities(): Pick<Activities, 'renderCaseDocument'> {
  return proxyActivities<Activities>({ ...ACTIVITY_OPTIONS, taskQueue: documentsTaskQueue(workflowInfo().taskQueue) });
}

export type SerialQueue = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Runs workflow work one piece at a time, in arrival order: actions, timer expiries and reports never
 * interleave, so events get consecutive numbers. A failed piece does not stop the queue.
 */
export function serialQueue(): SerialQueue {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
}

/** A rule's refusal as the failure the API maps to HTTP; never retried (the same command is refused again). */
export function refusalFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({
    type: REFUSAL_FAILURE_TYPE[refusal.kind],
    message: refusal.message,
    details: [refusal],
    nonRetryable: true,
  });
}

const REFUSAL_TYPES: readonly string[] = Object.values(REFUSAL_FAILURE_TYPE);

/** Whether an error is a rule's refusal (as `refusalFailure` makes it), not a fault. */
export function isRefusal(err: unknown): err is ApplicationFailure {
  return (
    err instanceof ApplicationFailure && err.type !== undefined && err.type !== null && REFUSAL_TYPES.includes(err.type)
  );
}

/**
 * For work nobody waits on (a timer that fired, a process's report): a refusal means the case has moved on
 * (the command no longer applies) and ends the work quietly; any other error is a fault and fails loudly.
 */
export function unlessRefused(err: unknown): void {
  if (!isRefusal(err)) throw err;
}
