/**
 * What a case sent and whether it arrived: its texts (the SMS outbox) and its messages for courts and notary
 * offices (the institution outbox), each with every delivery attempt the delivery workflows logged; and, across
 * the cases of an organization or all, those that could not be delivered (投递失败). Read-only; phones are
 * masked and a text's body is never read (it may carry an access code or a one-time code).
 */
import type { Knex } from 'knex';
import { maskName, maskPhone } from '../domain/masking.js';
import type { FieldCipher } from '../infra/crypto.js';

type Tx = Knex | Knex.Transaction;

/**
 * Where a delivery stands, from its attempts: `delivered` (the gateway or the institution's webhook took it);
 * `awaiting_poll` (the institution has no webhook and fetches its messages itself); `failing` (attempts failed
 * and none succeeded: retried with backoff until the delivery gives up); `rejected` (the SMS gateway refused the
 * message itself); `expired` (a one-time code no longer of use); `pending` (no attempt yet).
 */
export type DeliveryStatus = 'delivered' | 'awaiting_poll' | 'failing' | 'rejected' | 'expired' | 'pending';

export type DeliveryAttempt = {
  attempt: number;
  at: string;
  outcome: string;
  httpStatus: number | null;
  error: string | null;
};

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

/**
 * A text's phone, masked; null when this key cannot open it (a row sealed under another key: a rotation not
 * finished, or a restored backup of another installation). One such row must not take the whole list down.
 */
function maskedPhone(cipher: FieldCipher, sealed: string): string | null {
  try {
    return maskPhone(cipher.decrypt(sealed));
  } catch {
    return null;
  }
}

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
    db('sms_outbox')
      .where({ case_id: caseId })
      .orderBy('created_at', 'desc')
      .limit(LIMIT)
      .select('message_id', 'purpose', 'party_id', 'to_phone_enc', 'created_at', 'sent_at'),
    db('institution_messages as m')
      .leftJoin('institutions as i', 'i.institution_id', 'm.institution_id')
      .where('m.case_id', caseId)
      .orderBy('m.id', 'desc')
      .limit(LIMIT)
      .select(
        'm.delivery_id',
        'm.message',
        'm.institution_id',
        'i.name as institution_name',
        'm.created_at',
        'm.delivered_at',
      ),
  ]);
  const ids = [...texts.map((t) => t.message_id as string), ...messages.map((m) => m.delivery_id as string)];
  const attemptRows = ids.length
    ? await db('delivery_attempts')
        .whereIn('delivery_id', ids)
        .orderBy('id')
        .select('delivery_id', 'channel', 'attempt', 'at', 'outcome', 'http_status', 'error')
    : [];
  const attemptsOf = (id: string, channel: 'sms' | 'institution'): DeliveryAttempt[] =>
    attemptRows
      .filter((a) => a.delivery_id === id && a.channel === channel)
      .map((a) => ({
        attempt: a.attempt as number,
        at: (a.at as Date).toISOString(),
        outcome: a.outcome as string,
        httpStatus: (a.http_status as number | null) ?? null,
        error: (a.error as string | null) ?? null,
      }));
  const out: CaseDelivery[] = [
    ...texts.map((t): CaseDelivery => {
      const attempts = attemptsOf(t.message_id, 'sms');
      return {
        deliveryId: t.message_id,
        channel: 'sms',
        subject: t.purpose,
        partyId: t.party_id ?? null,
        phone: maskedPhone(cipher, t.to_phone_enc),
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

/** A delivery that could not be made, with the case it belongs to, for the staff who follow it up. */
export type FailedDelivery = {
  deliveryId: string;
  channel: 'sms' | 'institution';
  /** As in CaseDelivery: a text's purpose, or the institution message's name. */
  subject: string;
  caseId: string;
  caseNumber: string;
  /** A text's party, their role and their name masked (张**), as the work queues show names. */
  partyId: string | null;
  partyRole: string | null;
  partyName: string | null;
  /** A text's phone, masked. */
  phone: string | null;
  institutionId: string | null;
  institutionName: string | null;
  createdAt: string;
  /** Only these two (`statusOf`): the gateway refused it, or every attempt so far failed. */
  status: Extract<DeliveryStatus, 'failing' | 'rejected'>;
  attemptCount: number;
  lastAttempt: DeliveryAttempt;
};

/** Whose cases a list covers: one organization's (taken in or handled there) or every case. */
export type DeliveryScope = { orgId: string } | 'all';

/** At most this many failed deliveries in one answer, the oldest first. */
export const FAILED_DELIVERY_LIMIT = 500;

/**
 * Texts and court or notary notifications that could not be delivered, across the cases of a scope, the
 * oldest first (the one waiting longest is followed up first): the same rule as `statusOf` in SQL, so the
 * list and each case's 通知 agree. Not delivered (no time of delivery, no delivered attempt), and either refused
 * by the SMS gateway, or tried and failed without having stood down (a one-time code that expired, an
 * institution that fetches its own messages). Never a text's body; phones and names masked.
 */
export async function failedDeliveries(
  db: Knex,
  cipher: FieldCipher,
  scope: DeliveryScope,
  limit = FAILED_DELIVERY_LIMIT,
): Promise<{ deliveries: FailedDelivery[]; more: boolean }> {
  const attempted = (channel: 'sms' | 'institution', id: string, outcomes: string[]) => (q: Knex.QueryBuilder) =>
    q
      .select(db.raw('1'))
      .from('delivery_attempts as a')
      .whereRaw('a.delivery_id = ??', [id])
      .where('a.channel', channel)
      .whereIn('a.outcome', outcomes);
  const undelivered = (channel: 'sms' | 'institution', id: string) => (q: Knex.QueryBuilder) =>
    q
      .whereNotExists(attempted(channel, id, ['delivered']))
      .where((w) =>
        w
          .whereExists(attempted(channel, id, ['rejected']))
          .orWhere((o) =>
            o
              .whereExists(attempted(channel, id, ['failed']))
              .whereNotExists(attempted(channel, id, ['expired', 'no_webhook'])),
          ),
      );
  const inScope = (q: Knex.QueryBuilder) => {
    if (scope !== 'all')
      q.where((w) => w.where('c.intake_org_id', scope.orgId).orWhere('c.handling_org_id', scope.orgId));
  };
  const rejected = (channel: 'sms' | 'institution', id: string) =>
    db.raw(
      `EXISTS (SELECT 1 FROM delivery_attempts AS a WHERE a.delivery_id = ?? AND a.channel = ? AND a.outcome = 'rejected') AS rejected`,
      [id, channel],
    );
  type TextRow = {
    message_id: string;
    purpose: string;
    party_id: string | null;
    to_phone_enc: string;
    created_at: Date;
    case_id: string;
    case_number: string;
    party_role: string | null;
    party_name: string | null;
    minor_under_14: boolean | null;
    rejected: boolean;
  };
  type MessageRow = {
    delivery_id: string;
    message: string;
    institution_id: string;
    institution_name: string | null;
    created_at: Date;
    case_id: string;
    case_number: string;
    rejected: boolean;
  };
  const [texts, messages] = (await Promise.all([
    db('sms_outbox as o')
      .join('cases as c', 'c.case_id', 'o.case_id')
      .leftJoin('case_parties as p', 'p.party_id', 'o.party_id')
      .whereNull('o.sent_at')
      .modify(undelivered('sms', 'o.message_id'))
      .modify(inScope)
      .orderBy([{ column: 'o.created_at' }, { column: 'o.message_id' }])
      .limit(limit + 1)
      .select(
        'o.message_id',
        'o.purpose',
        'o.party_id',
        'o.to_phone_enc',
        'o.created_at',
        'c.case_id',
        'c.case_number',
        'p.role as party_role',
        'p.name as party_name',
        'p.minor_under_14',
        rejected('sms', 'o.message_id'),
      ),
    db('institution_messages as m')
      .join('cases as c', 'c.case_id', 'm.case_id')
      .leftJoin('institutions as i', 'i.institution_id', 'm.institution_id')
      .whereNull('m.delivered_at')
      .modify(undelivered('institution', 'm.delivery_id'))
      .modify(inScope)
      .orderBy([{ column: 'm.created_at' }, { column: 'm.delivery_id' }])
      .limit(limit + 1)
      .select(
        'm.delivery_id',
        'm.message',
        'm.institution_id',
        'i.name as institution_name',
        'm.created_at',
        'c.case_id',
        'c.case_number',
        rejected('institution', 'm.delivery_id'),
      ),
  ])) as [TextRow[], MessageRow[]];
  const ids = [...texts.map((t) => t.message_id), ...messages.map((m) => m.delivery_id)];
  // Each delivery's last attempt and how many there were (a notification retried for days has many).
  const last = ids.length
    ? (
        await db.raw(
          `SELECT DISTINCT ON (delivery_id, channel) delivery_id, channel, attempt, at, outcome, http_status, error, count(*) OVER (PARTITION BY delivery_id, channel) AS n
             FROM delivery_attempts WHERE delivery_id = ANY(?::uuid[]) ORDER BY delivery_id, channel, id DESC`,
          [ids],
        )
      ).rows
    : [];
  const lastOf = (id: string, channel: 'sms' | 'institution') => {
    const a = last.find((r: { delivery_id: string; channel: string }) => r.delivery_id === id && r.channel === channel);
    return {
      attemptCount: Number(a.n),
      lastAttempt: {
        attempt: a.attempt as number,
        at: (a.at as Date).toISOString(),
        outcome: a.outcome as string,
        httpStatus: (a.http_status as number | null) ?? null,
        error: (a.error as string | null) ?? null,
      },
    };
  };
  const rows: FailedDelivery[] = [
    ...texts.map((t): FailedDelivery => ({
      deliveryId: t.message_id,
      channel: 'sms',
      subject: t.purpose,
      caseId: t.case_id,
      caseNumber: t.case_number,
      partyId: t.party_id ?? null,
      partyRole: t.party_role ?? null,
      // A child's name is kept masked already (个人信息保护法 Art 28).
      partyName: t.party_name ? (t.minor_under_14 ? t.party_name : maskName(t.party_name)) : null,
      phone: maskedPhone(cipher, t.to_phone_enc),
      institutionId: null,
      institutionName: null,
      createdAt: t.created_at.toISOString(),
      status: t.rejected ? 'rejected' : 'failing',
      ...lastOf(t.message_id, 'sms'),
    })),
    ...messages.map((m): FailedDelivery => ({
      deliveryId: m.delivery_id,
      channel: 'institution',
      subject: m.message,
      caseId: m.case_id,
      caseNumber: m.case_number,
      partyId: null,
      partyRole: null,
      partyName: null,
      phone: null,
      institutionId: m.institution_id,
      institutionName: m.institution_name ?? null,
      createdAt: m.created_at.toISOString(),
      status: m.rejected ? 'rejected' : 'failing',
      ...lastOf(m.delivery_id, 'institution'),
    })),
  ].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.deliveryId.localeCompare(b.deliveryId));
  return { deliveries: rows.slice(0, limit), more: rows.length > limit };
}
