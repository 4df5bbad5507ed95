/**
 * SMS behind an interface. The local implementation records every message in an outbox (phone number
 * and text encrypted) instead of sending it; the operator reads it with `npm run sms:outbox`. A real
 * gateway implements the same interface.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { FieldCipher } from './crypto.js';

export type SmsMessage = {
  to: string;
  body: string;
  purpose: 'one_time_code' | 'access_code' | 'notice';
  caseId?: string;
  partyId?: string;
  /** A message sent by a retried activity is sent once: the same key gives the same message. */
  dedupeKey?: string;
};
export type SmsSender = { send(message: SmsMessage): Promise<{ messageId: string }> };

export function createOutboxSms(db: Knex, cipher: FieldCipher): SmsSender {
  return {
    async send(m) {
      const messageId = m.dedupeKey ? uuidFrom(m.dedupeKey) : randomUUID();
      await db('sms_outbox')
        .insert({
          message_id: messageId,
          to_phone_enc: cipher.encrypt(m.to),
          body_enc: cipher.encrypt(m.body),
          purpose: m.purpose,
          case_id: m.caseId ?? null,
          party_id: m.partyId ?? null,
        })
        .onConflict('message_id')
        .ignore();
      return { messageId };
    },
  };
}

export async function readOutbox(db: Knex, cipher: FieldCipher, limit = 20, filter: { partyId?: string } = {}) {
  const q = db('sms_outbox').orderBy('created_at', 'desc').limit(limit);
  if (filter.partyId) q.where({ party_id: filter.partyId });
  const rows = await q;
  return rows.map((r) => ({
    messageId: r.message_id as string,
    at: (r.created_at as Date).toISOString(),
    to: cipher.decrypt(r.to_phone_enc as string),
    purpose: r.purpose as string,
    body: cipher.decrypt(r.body_enc as string),
  }));
}

/** A UUID (version 8, name-based) from a key. */
export function uuidFrom(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
