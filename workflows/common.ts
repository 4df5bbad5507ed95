import type { ActivityOptions } from '@temporalio/workflow';

/** The case's and its processes' activities: short, and retried with backoff until they succeed. */
export const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
};

/**
 * Runs workflow work one piece at a time, in arrival order: actions, timer expiries and reports never
 * interleave, so events get consecutive numbers. A failed piece does not stop the queue.
 */
export function serialQueue(): <T>(fn: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
}
