/**
 * The `Idempotency-Key`s the API keeps (idempotency_keys): per caller and route, the hash of the first
 * request's body, a lease while it runs, then its answer for replays. Each hold on a key has a token: a retry
 * that takes the key over gets a new one, so the earlier holder's late answer or release changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

/** A key as its caller and route know it. */
export type IdempotencyKeyId = { scope: string; key: string };

/** A request's hold on a key: only while the token is still the key's may it answer or release it. */
export type IdempotencyClaim = IdempotencyKeyId & { token: string };

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

/** Takes a key not used before for this request, leased until `lockedUntil`; undefined when it was already there. */
export async function claimIdempotencyKey(
  db: Tx,
  id: IdempotencyKeyId,
  requestHash: string,
  lockedUntil: Date,
): Promise<IdempotencyClaim | undefined> {
  const token = randomUUID();
  const inserted = await db('idempotency_keys')
    .insert({ scope: id.scope, key: id.key, request_hash: requestHash, locked_until: lockedUntil, claim_token: token })
    .onConflict(['scope', 'key'])
    .ignore()
    .returning('key');
  return inserted.length > 0 ? { ...id, token } : undefined;
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

/**
 * Takes over an unanswered key whose lease ran out (or was released), until `lockedUntil`, under a new token;
 * undefined while another holds it, or when the key is now held for another body (forgotten after a 400 and claimed
 * again in between).
 */
export async function takeOverIdempotencyKey(
  db: Tx,
  id: IdempotencyKeyId,
  lockedUntil: Date,
  requestHash: string,
): Promise<IdempotencyClaim | undefined> {
  const token = randomUUID();
  const taken = await db('idempotency_keys')
    .where({ scope: id.scope, key: id.key, request_hash: requestHash })
    .whereNull('status_code')
    .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', new Date()))
    .update({ locked_until: lockedUntil, claim_token: token });
  return taken > 0 ? { ...id, token } : undefined;
}

/**
 * Lets a retry take an unanswered key at once (its request failed on the server's side, or was cut before its
 * answer). The key stays bound to its request's body; false when this claim no longer holds it.
 */
export async function releaseIdempotencyKey(db: Tx, claim: IdempotencyClaim): Promise<boolean> {
  const released = await heldBy(db, claim)
    .whereNull('status_code')
    .update({ locked_until: new Date(0) });
  return released > 0;
}

/**
 * Keeps the answer for replays, if this claim still holds the key (a retry that took it over answers instead);
 * with `unansweredOnly`, only if none was kept yet. True when kept.
 */
export async function recordIdempotentAnswer(
  db: Tx,
  claim: IdempotencyClaim,
  answer: IdempotentAnswer,
  opts: { unansweredOnly?: boolean } = {},
): Promise<boolean> {
  const q = heldBy(db, claim);
  if (opts.unansweredOnly) q.whereNull('status_code');
  const kept = await q.update({
    status_code: answer.statusCode,
    response_body: answer.responseBody === null ? null : JSON.stringify(answer.responseBody),
    response_headers: answer.responseHeaders,
    locked_until: null,
  });
  return kept > 0;
}

/** Forgets the key, if this claim still holds it: the request was refused as malformed, so nothing ran under it. */
export async function forgetIdempotencyKey(db: Tx, claim: IdempotencyClaim): Promise<boolean> {
  return (await heldBy(db, claim).whereNull('status_code').delete()) > 0;
}

/** The key's row while this claim holds it. */
function heldBy(db: Tx, claim: IdempotencyClaim) {
  return db('idempotency_keys').where({ scope: claim.scope, key: claim.key, claim_token: claim.token });
}
