/**
 * SMS in two steps, as court notifications: every message is first recorded in the outbox (phone number
 * and text encrypted), then a delivery workflow hands it to the gateway at least once, retrying with
 * backoff and logging each attempt; the gateway deduplicates by message id. The local gateway sends
 * nothing: the outbox is what it would have sent (`npm run sms:outbox`). `createHttpSmsGateway` posts
 * signed JSON to an SMS provider's adapter.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { latestSms, recordSms, smsRecorded } from '../db/sms-outbox.js';
import { legacyNameBasedId, nameBasedId } from '../identity/name-based-ids.js';
import type { FieldCipher } from './crypto.js';
import { HEADERS, signWebhook } from './webhooks.js';

export type SmsMessage = {
  to: string;
  body: string;
  purpose: 'one_time_code' | 'access_code' | 'notice';
  caseId?: string;
  partyId?: string;
  /** A message sent by a retried activity is sent once: the same key gives the same message. */
  dedupeKey?: string;
  /** A one-time code: no use after this, so it is not handed to the gateway later. */
  expiresAt?: Date;
};
export type SmsSender = { send(message: SmsMessage): Promise<{ messageId: string }> };

/** What hands a recorded message to the network. Throws `SmsRejected` when retrying cannot help. */
export type SmsGateway = {
  readonly name: string;
  deliver(m: { messageId: string; to: string; body: string }): Promise<{ gatewayMessageId: string }>;
};

/** The gateway refused the message itself (an invalid number, a blocked text): do not retry. */
export class SmsRejected extends Error {
  override name = 'SmsRejected';
}

/** Development and demos: nothing leaves the machine; the outbox row is the record of what would have. */
export function createLocalSmsGateway(): SmsGateway {
  return { name: 'local', deliver: async (m) => ({ gatewayMessageId: `local-${m.messageId}` }) };
}

/**
 * A provider's adapter over HTTP: `{ messageId, to, body }` signed like court webhooks (message id,
 * timestamp, HMAC-SHA256). 2xx is accepted; 400 and 422 refuse the message; anything else is retried.
 */
export function createHttpSmsGateway(opts: { url: string; secret: string; timeoutMs?: number }): SmsGateway {
  return {
    name: 'http',
    async deliver(m) {
      const body = JSON.stringify(m);
      const timestamp = Math.floor(Date.now() / 1000);
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [HEADERS.delivery]: m.messageId,
          [HEADERS.timestamp]: String(timestamp),
          [HEADERS.signature]: signWebhook(opts.secret, timestamp, body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      const text = await res.text().catch(() => '');
      if (res.ok) {
        let id: unknown;
        try {
          id = (JSON.parse(text) as { gatewayMessageId?: unknown }).gatewayMessageId;
        } catch {
          id = undefined;
        }
        return { gatewayMessageId: typeof id === 'string' && id ? id.slice(0, 200) : m.messageId };
      }
      const why = `the gateway answered ${res.status}`;
      // Only an answer about the message itself is final; 401, 403, 404 and the like say the adapter is
      // misconfigured, and the text goes out once the operator fixes it.
      if (res.status === 400 || res.status === 422) throw new SmsRejected(why);
      throw new Error(why);
    },
  };
}

export function createOutboxSms(db: Knex, cipher: FieldCipher): SmsSender {
  return {
    async send(m) {
      // A step that recorded this text before ids were version 5, retried since, finds it under its old id.
      if (m.dedupeKey && (await smsRecorded(db, legacyNameBasedId(m.dedupeKey))))
        return { messageId: legacyNameBasedId(m.dedupeKey) };
      const messageId = m.dedupeKey ? nameBasedId(m.dedupeKey) : randomUUID();
      await recordSms(db, {
        messageId,
        toPhoneEnc: cipher.encrypt(m.to),
        bodyEnc: cipher.encrypt(m.body),
        purpose: m.purpose,
        caseId: m.caseId ?? null,
        partyId: m.partyId ?? null,
        expiresAt: m.expiresAt ?? null,
      });
      return { messageId };
    },
  };
}

export async function readOutbox(db: Knex, cipher: FieldCipher, limit = 20, filter: { partyId?: string } = {}) {
  const rows = await latestSms(db, limit, filter);
  return rows.map((r) => ({
    messageId: r.messageId,
    at: r.createdAt.toISOString(),
    sentAt: r.sentAt ? r.sentAt.toISOString() : null,
    to: cipher.decrypt(r.toPhoneEnc),
    purpose: r.purpose,
    body: cipher.decrypt(r.bodyEnc),
  }));
}
