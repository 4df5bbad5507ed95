/**
 * The API's texts (one-time codes, access codes): recorded in the outbox, then handed to the gateway by a
 * delivery workflow, at least once. The record comes first, so a text is never lost between the two.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { SmsSender } from '../infra/sms.js';
import { SMS_DELIVERY_WORKFLOW_TYPE, smsDeliveryWorkflowId, type SmsDeliveryInput } from '../workflows/messages.js';

export function deliveredSms(outbox: SmsSender, temporal: Client, taskQueue: string): SmsSender {
  return {
    async send(message) {
      const recorded = await outbox.send(message);
      const input: SmsDeliveryInput = { messageId: recorded.messageId, urgent: message.purpose === 'one_time_code' };
      await temporal.workflow.start(SMS_DELIVERY_WORKFLOW_TYPE, { workflowId: smsDeliveryWorkflowId(recorded.messageId), taskQueue, args: [input] }).catch((err: unknown) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // a repeat of the same keyed message
      });
      return recorded;
    },
  };
}
