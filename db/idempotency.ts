/**
 * The `Idempotency-Key`s the API keeps (idempotency_keys): per caller and route, the hash of the first
 * request's body, a lease while it runs, then its answer for replays.
 */
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

/** A key as its caller and route know it. */
export type IdempotencyKeyId = { scope: string; key: string };

/** What a kept key holds: the body it was first used with and, once answered, the answer. */
export type StoredIdempotencyKey = {
  requestHash: string;
  /** Null while unanswered: still running, or abandoned. */
  statusCode: number | null;
  responseBody: unknown;
  responseHeaders: Record<string, string>;
};

/** The answer to keep for replays (the body already without secrets; null for none). */
export type IdempotentAnswer = { statusCode: number; responseBody: unknown; responseHeaders: Record<string, string> };

/** Forgets the keys first used before `before`. */
export async function forgetIdempotencyKeysBefore(db: Tx, before: Date): Promise<void> {
  await db('idempotency_keys').where('created_at', '<', before).delete();
}

/** Takes a key not used before for this request, leased until `lockedUntil`; false when it was already there. */
export async function claimIdempotencyKey(
  db: Tx,
  id: IdempotencyKeyId,
  requestHash: string,
  lockedUntil: Date,
): Promise<boolean> {
  const inserted = await db('idempotency_keys')
    .insert({ scope: id.scope, key: id.key, request_hash: requestHash, locked_until: lockedUntil })
    .onConflict(['scope', 'key'])
    .ignore()
    .returning('key');
  return inserted.length > 0;
}

export async function findIdempotencyKey(db: Tx, id: IdempotencyKeyId): Promise<StoredIdempotencyKey | undefined> {
  const row = await db('idempotency_keys').where({ scope: id.scope, key: id.key }).first();
  if (!row) return undefined;
  return {
    requestHash: row.request_hash,
    statusCode: row.status_code,
    responseBody: row.response_body,
    responseHeaders: row.response_headers ?? {},
  };
}

/** Takes over an unanswered key whose lease ran out (or was released), until `lockedUntil`; false while another holds it. */
export async function takeOverIdempotencyKey(db: Tx, id: IdempotencyKeyId, lockedUntil: Date): Promise<boolean> {
  const taken = await db('idempotency_keys')
    .where({ scope: id.scope, key: id.key })
    .whereNull('status_code')
    .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', new Date()))
    .update({ locked_until: lockedUntil });
  return taken > 0;
}

/** Lets a retry take an unanswered key at once (its request failed on the server's side). */
export async function releaseIdempotencyKey(db: Tx, id: IdempotencyKeyId): Promise<void> {
  await db('idempotency_keys')
    .where({ scope: id.scope, key: id.key })
    .whereNull('status_code')
    .update({ locked_until: new Date(0) });
}

/** Keeps the answer for replays; with `unansweredOnly`, only if none was kept yet. */
export async function recordIdempotentAnswer(
  db: Tx,
  id: IdempotencyKeyId,
  answer: IdempotentAnswer,
  opts: { unansweredOnly?: boolean } = {},
): Promise<void> {
  const q = db('idempotency_keys').where({ scope: id.scope, key: id.key });
  if (opts.unansweredOnly) q.whereNull('status_code');
  await q.update({
    status_code: answer.statusCode,
    response_body: answer.responseBody === null ? null : JSON.stringify(answer.responseBody),
    response_headers: answer.responseHeaders,
    locked_until: null,
  });
}
