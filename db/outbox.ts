/**
 * The outboxes as the delivery activities write them: a message for a court or notary office kept once per key,
 * each attempt to hand a message or a text on logged, and a delivery marked done. Delivery is at least once:
 * every message has a stable delivery id, so a retry finds the same one and the receiver deduplicates.
 * db/deliveries.ts reads the same tables for the people who follow deliveries up.
 */
import type { Knex } from 'knex';
import { nameBasedId } from '../identity/name-based-ids.js';
import type { SmsOutboxRow } from './tables.js';

type Tx = Knex | Knex.Transaction;

export type InstitutionMessage = {
  deliveryId: string;
  institutionId: string;
  caseId: string;
  message: string;
  payload: unknown;
  createdAt: Date;
  /** When a delivery had it accepted; null while none has. */
  deliveredAt: Date | null;
};

/** Into the outbox once per key; the delivery id comes from the key, so a retry finds the same one. */
export async function enqueueInstitutionMessage(
  db: Tx,
  m: { key: string; institutionId: string; caseId: string; message: string; payload: Record<string, unknown> },
): Promise<{ deliveryId: string }> {
  await db('institution_messages')
    .insert({
      message_key: m.key,
      delivery_id: nameBasedId(m.key),
      institution_id: m.institutionId,
      case_id: m.caseId,
      message: m.message,
      payload: JSON.stringify(m.payload),
    })
    .onConflict('message_key')
    .ignore();
  // The row's own id: one written earlier (even by older code) keeps the id it was given.
  const row = await db('institution_messages').where({ message_key: m.key }).first('delivery_id');
  return { deliveryId: row!.delivery_id };
}

export async function findInstitutionMessage(db: Tx, deliveryId: string): Promise<InstitutionMessage | undefined> {
  const m = await db('institution_messages').where({ delivery_id: deliveryId }).first();
  return m
    ? {
        deliveryId: m.delivery_id,
        institutionId: m.institution_id,
        caseId: m.case_id,
        message: m.message,
        payload: m.payload,
        createdAt: m.created_at,
        deliveredAt: m.delivered_at ?? null,
      }
    : undefined;
}

/** Where an institution takes its messages; none registered: it polls for them instead. */
export async function findInstitutionWebhook(
  db: Tx,
  institutionId: string,
): Promise<{ url: string; secretEnc: string } | undefined> {
  const hook = await db('institution_webhooks').where({ institution_id: institutionId }).first();
  return hook ? { url: hook.url, secretEnc: hook.secret_enc } : undefined;
}

export async function markInstitutionMessageDelivered(db: Tx, deliveryId: string): Promise<void> {
  await db('institution_messages').where({ delivery_id: deliveryId }).update({ delivered_at: new Date() });
}

/** One attempt, whatever its outcome; `error` names a category or the gateway's answer, never personal data. */
export async function logDeliveryAttempt(
  db: Tx,
  a: {
    deliveryId: string;
    channel: 'institution' | 'sms';
    attempt: number;
    outcome: string;
    httpStatus?: number | null;
    error: string | null;
  },
): Promise<void> {
  await db('delivery_attempts').insert({
    delivery_id: a.deliveryId,
    channel: a.channel,
    attempt: a.attempt,
    outcome: a.outcome,
    ...(a.httpStatus !== undefined ? { http_status: a.httpStatus } : {}),
    error: a.error,
  });
}

export type OutboxSms = { toPhoneEnc: string; bodyEnc: string; sentAt: Date | null; expiresAt: Date | null };

export async function findOutboxSms(db: Tx, messageId: string): Promise<OutboxSms | undefined> {
  const m = (await db('sms_outbox')
    .where({ message_id: messageId })
    .first('to_phone_enc', 'body_enc', 'sent_at', 'expires_at')) as
    Pick<SmsOutboxRow, 'to_phone_enc' | 'body_enc' | 'sent_at' | 'expires_at'> | undefined;
  return m
    ? { toPhoneEnc: m.to_phone_enc, bodyEnc: m.body_enc, sentAt: m.sent_at, expiresAt: m.expires_at }
    : undefined;
}

/** The gateway took the text: it is never handed on again. */
export async function markSmsSent(db: Tx, messageId: string, gatewayMessageId: string): Promise<void> {
  await db('sms_outbox')
    .where({ message_id: messageId })
    .update({ sent_at: new Date(), gateway_message_id: gatewayMessageId });
}
