/**
 * Delivers one message to a court's or notary's webhook: at least once, retried with backoff for up to a
 * week (each attempt is logged by the activity). Its workflow id is the delivery id, so one message is
 * never delivered by two workflows at once.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { deliverInstitutionMessage } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export async function deliverMessage(input: { deliveryId: string }): Promise<{ outcome: 'delivered' | 'no_webhook' }> {
  return deliverInstitutionMessage(input);
}
