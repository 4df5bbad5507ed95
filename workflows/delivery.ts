/**
 * Delivers one message to a court's or notary's webhook, or one SMS to the gateway: at least once,
 * retried with backoff (each attempt is logged by the activity). The workflow id comes from the message's
 * id, so one message is never delivered by two workflows at once.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { SmsDeliveryInput } from './messages.js';

const { deliverInstitutionMessage } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export async function deliverMessage(input: { deliveryId: string }): Promise<{ outcome: 'delivered' | 'no_webhook' }> {
  return deliverInstitutionMessage(input);
}

const smsRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;
// A one-time code expires within minutes (ONE_TIME_CODE_MINUTES, at most an hour; the activity stops at its
// expiry); a notice is useful for days.
const urgentSms = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: smsRetry,
});
const noticeSms = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '3 days',
  retry: smsRetry,
});

export async function deliverSms(
  input: SmsDeliveryInput,
): Promise<{ outcome: 'delivered' | 'already_delivered' | 'expired' }> {
  return (input.urgent ? urgentSms : noticeSms).handSmsToGateway({ messageId: input.messageId });
}
