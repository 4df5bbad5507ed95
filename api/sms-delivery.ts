/**
 * The API's texts (one-time codes, access codes): recorded in the outbox, then handed to the gateway by a
 * delivery workflow, at least once. The record comes first; if the delivery cannot be started then
 * (Temporal down), the request still succeeds and the sweep starts it within a minute or so.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { SmsSender } from '../infra/sms.js';
import { SMS_DELIVERY_WORKFLOW_TYPE, smsDeliveryWorkflowId, type SmsDeliveryInput } from '../workflows/messages.js';

type Log = (msg: string, fields: Record<string, unknown>) => void;

/** Starts a message's delivery once: never again after a delivery of it has run (delivered or given up). */
async function startDelivery(temporal: Client, taskQueue: string, input: SmsDeliveryInput): Promise<void> {
  await temporal.workflow
    .start(SMS_DELIVERY_WORKFLOW_TYPE, { workflowId: smsDeliveryWorkflowId(input.messageId), taskQueue, args: [input], workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE })
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
}

export function deliveredSms(outbox: SmsSender, temporal: Client, taskQueue: string, log: Log): SmsSender {
  return {
    async send(message) {
      const recorded = await outbox.send(message);
      await startDelivery(temporal, taskQueue, { messageId: recorded.messageId, urgent: message.purpose === 'one_time_code' }).catch((err: unknown) => {
        log('sms delivery not started; the sweep will start it', { level: 'warn', messageId: recorded.messageId, error: err instanceof Error ? err.name : typeof err });
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
export async function sweepUndelivered(db: Knex, temporal: Client, taskQueue: string, opts: { oneTimeCodeMs: number; graceMs?: number; now?: Date }): Promise<number> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - (opts.graceMs ?? 30_000));
  const rows = (await db('sms_outbox as m')
    .whereNull('m.sent_at')
    .where('m.created_at', '<', before)
    .where((w) =>
      w
        .where((c) => c.whereNotNull('m.expires_at').where('m.expires_at', '>', now))
        // Texts recorded before expiry times were (a code then lasted at most ONE_TIME_CODE_MINUTES).
        .orWhere((c) => c.whereNull('m.expires_at').where('m.purpose', 'one_time_code').where('m.created_at', '>', new Date(now.getTime() - opts.oneTimeCodeMs)))
        .orWhere((c) => c.whereNull('m.expires_at').whereNot('m.purpose', 'one_time_code').where('m.created_at', '>', new Date(now.getTime() - 3 * 86_400_000))),
    )
    .whereNotExists((e) => e.select(db.raw('1')).from('delivery_attempts as a').whereRaw('a.delivery_id = m.message_id').where('a.channel', 'sms'))
    .orderBy('m.created_at')
    .limit(500)
    .select('m.message_id', 'm.purpose')) as { message_id: string; purpose: string }[];
  for (const r of rows) await startDelivery(temporal, taskQueue, { messageId: r.message_id, urgent: r.purpose === 'one_time_code' });
  return rows.length;
}
