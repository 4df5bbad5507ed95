/**
 * Attempts held against a limit (rate_limit_attempts), shared by every API instance: an attempt is taken before
 * the guess is checked, so guesses that arrive at once (at one instance or at several) cannot all pass on the
 * same count, and a process that dies mid-check leaves its attempt counted. The window is read on the database's
 * clock, the one clock every instance shares.
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
