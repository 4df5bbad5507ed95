/**
 * Messages to parties, staff, courts and notary offices: each kept in an outbox once per key, then handed on
 * by its own delivery (workflows/delivery.ts), one logged attempt per activity call, retried by Temporal.
 */
import { ApplicationFailure, Context, activityInfo } from '@temporalio/activity';
import type { Knex } from 'knex';
import { DEADLINE_RULES, type DeadlineRuleId } from '../domain/deadlines.js';
import { reminderRecipients } from '../db/calendars.js';
import {
  enqueueInstitutionMessage,
  findInstitutionMessage,
  findInstitutionWebhook,
  findOutboxSms,
  logDeliveryAttempt,
  markInstitutionMessageDelivered,
  markSmsSent,
  type InstitutionMessage,
} from '../db/outbox.js';
import { caseStaffing, delegatingCourtOf, partiesToText } from '../db/notice-recipients.js';
import type { FieldCipher } from '../infra/crypto.js';
import { sweepUndelivered } from '../infra/sms-delivery-start.js';
import { SmsRejected, type SmsGateway, type SmsSender } from '../infra/sms.js';
import { HEADERS, WebhookTargetRefused, postWebhook, signWebhook } from '../infra/webhooks.js';

type MessageDeps = {
  db: Knex;
  cipher: FieldCipher;
  sms: SmsSender;
  smsGateway: SmsGateway;
  allowInternalWebhooks: boolean;
  /** How long a one-time code is of use (ONE_TIME_CODE_MINUTES): the sweep leaves older unsent codes. */
  oneTimeCodeMs: number;
};

export function messageActivities(deps: MessageDeps) {
  const { db, cipher, sms } = deps;
  return {
    /**
     * A message for a court or notary (application submitted, supplements handed in, withdrawn), kept in the
     * outbox once per key; delivery to the institution's system is the integration's job.
     */
    async notifyInstitution(input: {
      key: string;
      institutionId: string;
      caseId: string;
      message: string;
      payload: Record<string, unknown>;
    }): Promise<{ deliveryId: string }> {
      return enqueueInstitutionMessage(db, {
        key: input.key,
        institutionId: input.institutionId,
        caseId: input.caseId,
        message: input.message,
        payload: input.payload,
      });
    },

    /**
     * One attempt to deliver a message to the institution's webhook, logged whatever happens; a failure
     * throws, and Temporal retries with backoff. No webhook registered: the institution polls instead.
     */
    async deliverInstitutionMessage(input: { deliveryId: string }): Promise<{ outcome: 'delivered' | 'no_webhook' }> {
      return deliverInstitutionMessage(deps, input.deliveryId);
    },

    /**
     * One attempt to hand an outbox message to the SMS gateway, logged whatever happens; a failure throws
     * and Temporal retries with backoff. A message the gateway already took is not sent again.
     */
    async handSmsToGateway(input: {
      messageId: string;
    }): Promise<{ outcome: 'delivered' | 'already_delivered' | 'expired' }> {
      return handSmsToGateway(deps, input.messageId);
    },

    /**
     * The SMS sweep (workflows/sms-sweep.ts): starts, on `taskQueue`, the delivery of each text nobody started
     * (recorded while Temporal was down), at most `limit`, with the worker's own client. Idempotent: a delivery
     * that runs or ran is not started again.
     */
    async startUndeliveredSms(input: { taskQueue: string; limit: number }): Promise<{ started: number }> {
      const started = await sweepUndelivered(db, Context.current().client, input.taskQueue, {
        oneTimeCodeMs: deps.oneTimeCodeMs,
        limit: input.limit,
      });
      return { started };
    },

    /** Texts the parties with a phone on record (into the outbox; each message then has its own delivery); once per key and party. */
    async notifyParties(input: {
      caseId: string;
      key: string;
      notice: { kind: 'instalment_reminder'; instalment: number; lastDay: string; amountFen: number | null };
    }): Promise<{ sent: number; messageIds: string[] }> {
      const { caseNumber, parties } = await partiesToText(db, input.caseId);
      const n = input.notice;
      const amount = n.amountFen !== null ? `，金额${(n.amountFen / 100).toFixed(2)}元` : '';
      const body = `【揭阳市一站式非诉讼纠纷化解中心】您的案件${caseNumber ?? ''}调解协议约定的第${n.instalment}期履行期限为${n.lastDay}${amount}，请按约履行；已履行的请告知调解员。`;
      const messageIds: string[] = [];
      for (const p of parties) {
        const { messageId } = await sms.send({
          to: cipher.decrypt(p.phoneEnc),
          body,
          purpose: 'notice',
          caseId: input.caseId,
          partyId: p.partyId,
          dedupeKey: `${input.key}/${p.partyId}`,
        });
        messageIds.push(messageId);
      }
      return { sent: parties.length, messageIds };
    },

    /**
     * A reminder by text to the case's mediator and its organization's clerks who gave a phone for reminders
     * (in the outbox once per key and person); the text names the case number and the period, no party.
     */
    async notifyStaff(input: {
      caseId: string;
      key: string;
      notice: { kind: 'deadline_reminder'; ruleId: DeadlineRuleId; lastDay: string };
    }): Promise<{ messageIds: string[] }> {
      const c = await caseStaffing(db, input.caseId);
      if (!c) return { messageIds: [] };
      const staff = await reminderRecipients(db, {
        mediatorAccountId: c.mediatorAccountId,
        orgIds: [c.handlingOrgId, c.intakeOrgId],
      });
      const rule = DEADLINE_RULES[input.notice.ruleId];
      const body = `【揭阳市一站式非诉讼纠纷化解中心】案件${c.caseNumber}的${rule.label}将于${input.notice.lastDay}届满（${rule.citation}），请及时处理。`;
      const messageIds: string[] = [];
      for (const s of staff) {
        const { messageId } = await sms.send({
          to: cipher.decrypt(s.phoneEnc),
          body,
          purpose: 'notice',
          caseId: input.caseId,
          dedupeKey: `${input.key}/${s.accountId}`,
        });
        messageIds.push(messageId);
      }
      return { messageIds };
    },

    /** A report for the court that delegated the case, kept in the outbox once per key. */
    async reportToCourt(input: {
      caseId: string;
      key: string;
      message: string;
      payload: Record<string, unknown>;
    }): Promise<{ deliveryId: string | null }> {
      const court = await delegatingCourtOf(db, input.caseId);
      if (!court) return { deliveryId: null }; // not a court case: nobody to report to
      return enqueueInstitutionMessage(db, {
        key: input.key,
        institutionId: court.institutionId,
        caseId: input.caseId,
        message: input.message,
        payload: {
          ...input.payload,
          caseNumber: court.caseNumber,
          courtCaseNumber: court.courtCaseNumber,
          letterNumber: court.letterNumber,
        },
      });
    },
  };
}

async function deliverInstitutionMessage(
  { db, cipher, allowInternalWebhooks }: MessageDeps,
  deliveryId: string,
): Promise<{ outcome: 'delivered' | 'no_webhook' }> {
  const attempt = activityInfo().attempt;
  const m = await findInstitutionMessage(db, deliveryId);
  if (!m) throw ApplicationFailure.nonRetryable(`no message with delivery id ${deliveryId}`, 'UnknownDelivery');
  // Started again after an earlier delivery had it accepted (a sweep that read it as waiting just before that
  // delivery ended, on this instance or another): the institution has it; it is not sent twice.
  if (m.deliveredAt) return { outcome: 'delivered' };
  const hook = await findInstitutionWebhook(db, m.institutionId);
  const log = (outcome: string, httpStatus: number | null, error: string | null) =>
    logDeliveryAttempt(db, { deliveryId, channel: 'institution', attempt, outcome, httpStatus, error });
  if (!hook) {
    await log('no_webhook', null, null);
    return { outcome: 'no_webhook' };
  }
  let status: number;
  try {
    status = await postToWebhook(hook.url, cipher.decrypt(hook.secretEnc), m, allowInternalWebhooks);
  } catch (err) {
    // Checked at every attempt, on the address connected to (a host may be re-pointed): never an internal
    // address in production.
    if (err instanceof WebhookTargetRefused) {
      await log('failed', null, `refused target: ${err.problem}`);
      throw ApplicationFailure.retryable(err.message, 'WebhookTargetRefused');
    }
    // A category only: the institution reads these, and raw errors would map the network behind.
    await log('failed', null, err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'connection failed');
    throw err;
  }
  if (status < 200 || status >= 300) {
    await log('failed', status, null);
    throw ApplicationFailure.retryable(`the webhook answered ${status}`, 'WebhookRefused');
  }
  await log('delivered', status, null);
  await markInstitutionMessageDelivered(db, deliveryId);
  return { outcome: 'delivered' };
}

/** The message, signed with the institution's secret; answers the HTTP status (redirects are not followed). */
async function postToWebhook(
  url: string,
  secret: string,
  m: InstitutionMessage,
  allowInternal: boolean,
): Promise<number> {
  const body = JSON.stringify({
    deliveryId: m.deliveryId,
    message: m.message,
    caseId: m.caseId,
    createdAt: m.createdAt.toISOString(),
    payload: m.payload,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  return postWebhook(url, {
    headers: {
      'content-type': 'application/json',
      [HEADERS.delivery]: m.deliveryId,
      [HEADERS.timestamp]: String(timestamp),
      [HEADERS.signature]: signWebhook(secret, timestamp, body),
    },
    body,
    allowInternal,
    timeoutMs: 10_000,
  });
}

async function handSmsToGateway(
  { db, cipher, smsGateway }: MessageDeps,
  messageId: string,
): Promise<{ outcome: 'delivered' | 'already_delivered' | 'expired' }> {
  const m = await findOutboxSms(db, messageId);
  if (!m) throw ApplicationFailure.nonRetryable(`no SMS with message id ${messageId}`, 'UnknownDelivery');
  if (m.sentAt) return { outcome: 'already_delivered' };
  const log = (outcome: string, error: string | null) =>
    logDeliveryAttempt(db, { deliveryId: messageId, channel: 'sms', attempt: activityInfo().attempt, outcome, error });
  // A one-time code that has expired would only confuse the party: the delivery ends; they ask for a new one.
  if (m.expiresAt && m.expiresAt.getTime() <= Date.now()) {
    await log('expired', null);
    return { outcome: 'expired' };
  }
  let gatewayMessageId: string;
  try {
    ({ gatewayMessageId } = await smsGateway.deliver({
      messageId,
      to: cipher.decrypt(m.toPhoneEnc),
      body: cipher.decrypt(m.bodyEnc),
    }));
  } catch (err) {
    // The error text names the gateway's answer, never the number or the text.
    const why = err instanceof Error ? (err.name === 'TimeoutError' ? 'timeout' : err.message.slice(0, 200)) : 'failed';
    await log(err instanceof SmsRejected ? 'rejected' : 'failed', why);
    if (err instanceof SmsRejected)
      throw ApplicationFailure.nonRetryable(`the SMS gateway refused the message: ${why}`, 'SmsRejected');
    throw ApplicationFailure.retryable(`the SMS gateway did not take the message: ${why}`, 'SmsGatewayFailed');
  }
  await log('delivered', null);
  await markSmsSent(db, messageId, gatewayMessageId);
  return { outcome: 'delivered' };
}
