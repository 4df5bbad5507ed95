/**
 * The API's texts (one-time codes, access codes): recorded in the outbox, then handed to the gateway by a
 * delivery workflow, at least once. The record comes first; if the delivery cannot be started then
 * (Temporal down), the request still succeeds and the SMS sweep (the Temporal Schedule `sms-sweep`, see
 * infra/sms-delivery-start.ts) starts it within a minute or so.
 */
import type { Client } from '@temporalio/client';
import { startSmsDelivery } from '../infra/sms-delivery-start.js';
import type { SmsSender } from '../infra/sms.js';

export { ensureSmsSweepSchedule } from '../infra/sms-delivery-start.js';

type Log = (msg: string, fields: Record<string, unknown>) => void;

export function deliveredSms(outbox: SmsSender, temporal: Client, taskQueue: string, log: Log): SmsSender {
  return {
    async send(message) {
      const recorded = await outbox.send(message);
      await startSmsDelivery(temporal, taskQueue, {
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
