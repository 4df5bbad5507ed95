/**
 * The SMS sweep, run by the Temporal Schedule `sms-sweep` every minute (infra/sms-delivery-start.ts creates
 * it): one activity that finds the texts whose delivery was never started (recorded while Temporal was down)
 * and starts each text's own `deliverSms` workflow, on this run's task queue. The activity may run again
 * after a failure: a delivery that runs or ran is never started twice.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { SMS_SWEEP_BATCH, type SmsSweepInput } from './messages.js';

const { startUndeliveredSms } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // A run that cannot reach the database gives up within minutes; the next scheduled run tries again.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
});

export async function smsSweep(input: SmsSweepInput = {}): Promise<{ started: number }> {
  return startUndeliveredSms({ taskQueue: workflowInfo().taskQueue, limit: input.limit ?? SMS_SWEEP_BATCH });
}
