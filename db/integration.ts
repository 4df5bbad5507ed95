/**
 * A court's or notary office's integration: the webhook it registered (its signing secret sealed), the
 * messages kept for it (institution_messages, delivered by webhook or polled) and each delivery's attempts.
 */
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

export type WebhookAttempt = {
  attempt: number;
  at: string;
  outcome: string;
  httpStatus: number | null;
  error: string | null;
};

export type InstitutionMessage = {
  id: number;
  deliveryId: string;
  message: string;
  caseId: string;
  payload: unknown;
  createdAt: string;
  deliveredAt: string | null;
};

/** Registers (or replaces) the institution's webhook with its sealed signing secret. */
export async function saveWebhook(
  db: Tx,
  institutionId: string,
  webhook: { url: string; secretEnc: string },
): Promise<void> {
  await db('institution_webhooks')
    .insert({ institution_id: institutionId, url: webhook.url, secret_enc: webhook.secretEnc, updated_at: new Date() })
    .onConflict('institution_id')
    .merge();
}

/** The registered webhook, without its secret. */
export async function findWebhook(
  db: Tx,
  institutionId: string,
): Promise<{ url: string; updatedAt: string } | undefined> {
  const row = await db('institution_webhooks').where({ institution_id: institutionId }).first('url', 'updated_at');
  return row ? { url: row.url as string, updatedAt: (row.updated_at as Date).toISOString() } : undefined;
}

/** The delivery ids of the institution's messages not yet delivered, oldest first (at most `limit`). */
export async function undeliveredMessageIds(db: Tx, institutionId: string, limit = 1000): Promise<string[]> {
  return (await db('institution_messages')
    .where({ institution_id: institutionId })
    .whereNull('delivered_at')
    .orderBy('id')
    .limit(limit)
    .pluck('delivery_id')) as string[];
}

/** The institution's messages after the message id `after`, oldest first. */
export async function messagesAfter(
  db: Tx,
  institutionId: string,
  after: number,
  limit: number,
): Promise<InstitutionMessage[]> {
  const rows = await db('institution_messages')
    .where({ institution_id: institutionId })
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit);
  return rows.map((m) => ({
    id: Number(m.id),
    deliveryId: m.delivery_id as string,
    message: m.message as string,
    caseId: m.case_id as string,
    payload: m.payload as unknown,
    createdAt: (m.created_at as Date).toISOString(),
    deliveredAt: m.delivered_at ? (m.delivered_at as Date).toISOString() : null,
  }));
}

/** Every attempt to deliver one of the institution's messages to its webhook, or undefined when it has no such message. */
export async function webhookAttempts(
  db: Tx,
  institutionId: string,
  deliveryId: string,
): Promise<WebhookAttempt[] | undefined> {
  const m = await db('institution_messages')
    .where({ delivery_id: deliveryId, institution_id: institutionId })
    .first('delivery_id');
  if (!m) return undefined;
  const attempts = await db('delivery_attempts')
    .where({ delivery_id: deliveryId, channel: 'institution' })
    .orderBy('id');
  return attempts.map((a) => ({
    attempt: a.attempt as number,
    at: (a.at as Date).toISOString(),
    outcome: a.outcome as string,
    httpStatus: a.http_status as number | null,
    error: a.error as string | null,
  }));
}
