/**
 * What a case sent and whether it arrived: its texts (the SMS outbox) and its messages for courts and notary
 * offices (the institution outbox), each with every delivery attempt the delivery workflows logged. Read-only;
 * phones are masked and a text's body is never read (it may carry an access code or a one-time code).
 */
import type { Knex } from 'knex';
import { maskPhone } from '../domain/masking.js';
import type { FieldCipher } from '../infra/crypto.js';

type Tx = Knex | Knex.Transaction;

/**
 * Where a delivery stands, from its attempts: `delivered` (the gateway or the institution's webhook took it);
 * `awaiting_poll` (the institution has no webhook and fetches its messages itself); `failing` (attempts failed
 * and none succeeded: retried with backoff until the delivery gives up); `rejected` (the SMS gateway refused the
 * message itself); `expired` (a one-time code no longer of use); `pending` (no attempt yet).
 */
export type DeliveryStatus = 'delivered' | 'awaiting_poll' | 'failing' | 'rejected' | 'expired' | 'pending';

export type DeliveryAttempt = { attempt: number; at: string; outcome: string; httpStatus: number | null; error: string | null };

export type CaseDelivery = {
  deliveryId: string;
  channel: 'sms' | 'institution';
  /** A text's purpose (notice, access_code, one_time_code), or the institution message's name (case_accepted…). */
  subject: string;
  /** A text's party (null for one that names none). */
  partyId: string | null;
  /** A text's phone, masked. */
  phone: string | null;
  institutionId: string | null;
  institutionName: string | null;
  createdAt: string;
  deliveredAt: string | null;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
};

/** At most this many of each channel, the latest: a case sends a few dozen at most. */
const LIMIT = 500;

function statusOf(deliveredAt: Date | null, attempts: DeliveryAttempt[]): DeliveryStatus {
  if (deliveredAt || attempts.some((a) => a.outcome === 'delivered')) return 'delivered';
  if (attempts.some((a) => a.outcome === 'rejected')) return 'rejected';
  if (attempts.some((a) => a.outcome === 'expired')) return 'expired';
  if (attempts.some((a) => a.outcome === 'no_webhook')) return 'awaiting_poll';
  return attempts.length ? 'failing' : 'pending';
}

export async function caseDeliveries(db: Tx, cipher: FieldCipher, caseId: string): Promise<CaseDelivery[]> {
  const [texts, messages] = await Promise.all([
    db('sms_outbox').where({ case_id: caseId }).orderBy('created_at', 'desc').limit(LIMIT).select('message_id', 'purpose', 'party_id', 'to_phone_enc', 'created_at', 'sent_at'),
    db('institution_messages as m')
      .leftJoin('institutions as i', 'i.institution_id', 'm.institution_id')
      .where('m.case_id', caseId)
      .orderBy('m.id', 'desc')
      .limit(LIMIT)
      .select('m.delivery_id', 'm.message', 'm.institution_id', 'i.name as institution_name', 'm.created_at', 'm.delivered_at'),
  ]);
  const ids = [...texts.map((t) => t.message_id as string), ...messages.map((m) => m.delivery_id as string)];
  const attemptRows = ids.length ? await db('delivery_attempts').whereIn('delivery_id', ids).orderBy('id').select('delivery_id', 'channel', 'attempt', 'at', 'outcome', 'http_status', 'error') : [];
  const attemptsOf = (id: string, channel: 'sms' | 'institution'): DeliveryAttempt[] =>
    attemptRows
      .filter((a) => a.delivery_id === id && a.channel === channel)
      .map((a) => ({ attempt: a.attempt as number, at: (a.at as Date).toISOString(), outcome: a.outcome as string, httpStatus: (a.http_status as number | null) ?? null, error: (a.error as string | null) ?? null }));
  const out: CaseDelivery[] = [
    ...texts.map((t): CaseDelivery => {
      const attempts = attemptsOf(t.message_id, 'sms');
      return {
        deliveryId: t.message_id,
        channel: 'sms',
        subject: t.purpose,
        partyId: t.party_id ?? null,
        phone: maskPhone(cipher.decrypt(t.to_phone_enc)),
        institutionId: null,
        institutionName: null,
        createdAt: (t.created_at as Date).toISOString(),
        deliveredAt: t.sent_at ? (t.sent_at as Date).toISOString() : null,
        status: statusOf(t.sent_at as Date | null, attempts),
        attempts,
      };
    }),
    ...messages.map((m): CaseDelivery => {
      const attempts = attemptsOf(m.delivery_id, 'institution');
      return {
        deliveryId: m.delivery_id,
        channel: 'institution',
        subject: m.message,
        partyId: null,
        phone: null,
        institutionId: m.institution_id,
        institutionName: m.institution_name ?? null,
        createdAt: (m.created_at as Date).toISOString(),
        deliveredAt: m.delivered_at ? (m.delivered_at as Date).toISOString() : null,
        status: statusOf(m.delivered_at as Date | null, attempts),
        attempts,
      };
    }),
  ];
  // Newest first, as a clerk looks for what just failed.
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.deliveryId.localeCompare(b.deliveryId));
}
