/**
 * Attempts held against a limit (rate_limit_attempts), shared by every API instance: an attempt is taken before
 * the guess is checked, so guesses that arrive at once (at one instance or at several) cannot all pass on the
 * same count, and a process that dies mid-check leaves its attempt counted. The window is read on the database's
 * clock, the one clock every instance shares. Requests that carry no guess are counted more cheaply, a row per
 * client and window (rate_limit_windows, `countRequest`).
 */
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

/** At most `limit` attempts under one key within `windowMs` (one window per key). */
export type Allowance = { limit: number; windowMs: number };

/**
 * Takes one attempt under `key` if fewer than `limit` are held within the window: its id (give it back with
 * `giveBackAttempt` when it succeeded), or undefined when none is left (nothing is taken then).
 */
export async function takeAttempt(db: Knex, key: string, allowance: Allowance): Promise<string | undefined> {
  const seconds = allowance.windowMs / 1000;
  return db.transaction(async (tx) => {
    // One taker per key at a time, across instances; held only for these three statements.
    await tx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`rate-limit:${key}`]);
    await tx('rate_limit_attempts')
      .where({ key })
      .whereRaw('at <= now() - make_interval(secs => ?)', [seconds])
      .delete();
    const [held] = await tx('rate_limit_attempts').where({ key }).count<{ n: string }[]>({ n: '*' });
    if (Number(held?.n ?? 0) >= allowance.limit) return undefined;
    const [row] = await tx('rate_limit_attempts').insert({ key }).returning<{ id: string }[]>('id');
    return String(row!.id);
  });
}

/** A successful attempt stops counting (a right password is not a guess to bound). */
export async function giveBackAttempt(db: Tx, attemptId: string): Promise<void> {
  await db('rate_limit_attempts').where({ id: attemptId }).delete();
}

/** Forgets attempts older than any window (a day): keys never tried again leave nothing behind. */
export async function forgetAttemptsBefore(db: Tx, before: Date): Promise<void> {
  await db('rate_limit_attempts').where('at', '<', before).delete();
}

/** A request counted in its window: whether it is within the limit, and when the window ends. */
export type CountedRequest = { allowed: boolean; count: number; windowStart: Date; retryAfterSeconds: number };

/**
 * Counts one request under `key` against at most `limit` per fixed window of `windowMs` (rate_limit_windows), for
 * requests that carry no guess to give back, such as the public directory's. Cheaper than `takeAttempt`, which writes
 * and later deletes a row per attempt under a lock: one statement, an upsert that adds one to the row of this key and
 * window (created by the window's first request), so a client costs one row a window however many requests it sends,
 * and concurrent requests at any instance are counted exactly (the row lock of ON CONFLICT serialises them). The
 * windows are cut on the database's clock, the one every instance shares. The price of a fixed window: a client may
 * send up to twice the limit across a window's edge, which does not matter for a limit meant to stop a scraper.
 */
export async function countRequest(db: Tx, key: string, allowance: Allowance): Promise<CountedRequest> {
  const seconds = allowance.windowMs / 1000;
  const { rows } = await db.raw<{ rows: { count: number; window_start: Date; retry_after: number }[] }>(
    `INSERT INTO rate_limit_windows AS w (key, window_start, count)
       VALUES (?, to_timestamp(floor(extract(epoch FROM now()) / ?) * ?), 1)
     ON CONFLICT (key, window_start) DO UPDATE SET count = w.count + 1
     RETURNING w.count, w.window_start,
       greatest(1, ceil(extract(epoch FROM w.window_start + make_interval(secs => ?) - now())))::int AS retry_after`,
    [key, seconds, seconds, seconds],
  );
  const row = rows[0]!;
  return {
    allowed: row.count <= allowance.limit,
    count: row.count,
    windowStart: row.window_start,
    retryAfterSeconds: row.retry_after,
  };
}

/** Forgets the windows that started before `before` (a day back is longer than any window). */
export async function forgetWindowsBefore(db: Tx, before: Date): Promise<void> {
  await db('rate_limit_windows').where('window_start', '<', before).delete();
}
