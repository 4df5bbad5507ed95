/**
 * The API's texts (one-time codes, access codes): recorded in the outbox, then handed to the gateway by a
 * delivery workflow, at least once. The record comes first; if the delivery cannot be started then
 * (Temporal down), the request still succeeds and the sweep starts it within a minute or so.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { undeliveredSms } from '../db/sms-outbox.js';
import type { SmsSender } from '../infra/sms.js';
import { SMS_DELIVERY_WORKFLOW_TYPE, smsDeliveryWorkflowId, type SmsDeliveryInput } from '../workflows/messages.js';

type Log = (msg: string, fields: Record<string, unknown>) => void;

/** Starts a message's delivery once: never again after a delivery of it has run (delivered or given up). */
async function startDelivery(temporal: Client, taskQueue: string, input: SmsDeliveryInput): Promise<void> {
  await temporal.workflow
    .start(SMS_DELIVERY_WORKFLOW_TYPE, {
      workflowId: smsDeliveryWorkflowId(input.messageId),
      taskQueue,
      args: [input],
      // Running: that delivery goes on; ended (delivered or given up): refused, and that is the answer.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    })
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
}

export function deliveredSms(outbox: SmsSender, temporal: Client, taskQueue: string, log: Log): SmsSender {
  return {
    async send(message) {
      const recorded = await outbox.send(message);
      await startDelivery(temporal, taskQueue, {
        messageId: recorded.messageId,
        urgent: message.purpose === 'one_time_code',
      }).catch((err: unknown) => {
        log('sms delivery not started; the sweep will start it', {
          level: 'warn',
          messageId: recorded.messageId,
          error: err instanceof Error ? err.name : typeof err,
        });
      });
      return recorded;
    },
  };
}

/**
 * Starts the deliveries the API could not start: texts still unsent after `graceMs`, while they are of use
 * (a one-time code until it expires, any other text for three days), not refused by the gateway, and never
 * delivered by a workflow before. Returns how many it started.
 */
export async function sweepUndelivered(
  db: Knex,
  temporal: Client,
  taskQueue: string,
  opts: { oneTimeCodeMs: number; graceMs?: number; now?: Date },
): Promise<number> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - (opts.graceMs ?? 30_000));
  const rows = await undeliveredSms(db, { now, before, oneTimeCodeMs: opts.oneTimeCodeMs });
  for (const r of rows)
    await startDelivery(temporal, taskQueue, { messageId: r.messageId, urgent: r.purpose === 'one_time_code' });
  return rows.length;
}
