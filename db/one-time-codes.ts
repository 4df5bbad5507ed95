/**
 * One-time codes sent by SMS: the one implementation behind a party's sign-in (kept in one_time_codes, for the
 * party on record) and the proof that someone holds a phone (kept in phone_challenges, for a blind index of the
 * phone). A code is six digits, stored only as a hash bound to its challenge; it is given back once, before it
 * expires, and stops working after `ATTEMPTS_PER_ONE_TIME_CODE` wrong guesses. How many codes a holder may be
 * sent is limited where they are asked for (api/guess-limits.ts), on attempts every API instance shares.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { newOneTimeCode, sha256 } from '../identity/secrets.js';

type Tx = Knex | Knex.Transaction;

/** Wrong guesses a code takes before it stops working (then ask for a new one). */
export const ATTEMPTS_PER_ONE_TIME_CODE = 5;

/** Where each use keeps its codes, and the column that says whom a code is for. */
const STORES = {
  party_sign_in: { table: 'one_time_codes', holder: 'party_id' },
  phone_proof: { table: 'phone_challenges', holder: 'phone_index' },
} as const;
export type OneTimeCodeUse = keyof typeof STORES;

export type IssuedOneTimeCode = { challengeId: string; code: string; expiresAt: Date };

export type OneTimeCodeRefusal = 'unknown' | 'reused' | 'expired' | 'too_many_attempts' | 'other_holder' | 'wrong_code';

/** Used up, for `holder`; or refused, with the holder the challenge was for when there is one. */
export type OneTimeCodeOutcome =
  { ok: true; holder: string } | { ok: false; refusal: OneTimeCodeRefusal; holder?: string };

type CodeRow = { code_hash: string; expires_at: Date; consumed_at: Date | null; failed_attempts: number } & Record<
  string,
  unknown
>;

const codeHash = (challengeId: string, code: string) => sha256(`${challengeId}:${code}`);

/** A new code for `holder`, valid for `ttlMs`; only its hash is kept. */
export async function issueOneTimeCode(
  db: Tx,
  use: OneTimeCodeUse,
  holder: string,
  ttlMs: number,
): Promise<IssuedOneTimeCode> {
  const { table, holder: column } = STORES[use];
  const code = newOneTimeCode();
  const challengeId = randomUUID();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db(table).insert({
    challenge_id: challengeId,
    [column]: holder,
    code_hash: codeHash(challengeId, code),
    expires_at: expiresAt,
  });
  return { challengeId, code, expiresAt };
}

/**
 * Uses the challenge up if `code` is its code (and, when `holder` is given, the challenge was for that holder);
 * otherwise says why not. A wrong code counts as an attempt.
 */
export async function consumeOneTimeCode(
  db: Knex,
  use: OneTimeCodeUse,
  proof: { challengeId: string; code: string; holder?: string },
): Promise<OneTimeCodeOutcome> {
  const { table, holder: column } = STORES[use];
  return db.transaction(async (tx) => {
    // Locked, so two guesses cannot race past the attempt limit or both use the code up.
    const row = (await tx(table).where({ challenge_id: proof.challengeId }).forUpdate().first()) as CodeRow | undefined;
    if (!row) return { ok: false, refusal: 'unknown' };
    const holder = row[column] as string;
    const refusal = refusalOf(row, holder, proof);
    if (refusal === 'wrong_code')
      await tx(table).where({ challenge_id: proof.challengeId }).increment('failed_attempts', 1);
    if (refusal) return { ok: false, refusal, holder };
    await tx(table).where({ challenge_id: proof.challengeId }).update({ consumed_at: new Date() });
    return { ok: true, holder };
  });
}

/** Why a stored challenge does not take this code, in the order the checks are made; undefined when it does. */
function refusalOf(
  row: CodeRow,
  holder: string,
  proof: { challengeId: string; code: string; holder?: string },
): OneTimeCodeRefusal | undefined {
  if (row.consumed_at) return 'reused';
  if (row.expires_at <= new Date()) return 'expired';
  if (row.failed_attempts >= ATTEMPTS_PER_ONE_TIME_CODE) return 'too_many_attempts';
  if (proof.holder !== undefined && holder !== proof.holder) return 'other_holder';
  if (row.code_hash !== codeHash(proof.challengeId, proof.code)) return 'wrong_code';
  return undefined;
}
