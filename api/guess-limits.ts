/**
 * The limits on guessing a password, an access code or a texted code, and what each protects against. All of
 * them are kept in PostgreSQL, so they hold whichever API instance a request reaches. There are two kinds.
 *
 * Per target (an account, a party, a phone, a case with an ID number): an attempt is taken before the guess is
 * checked (db/rate-limits.ts), so these bound the guesses at one target from every address together, and
 * attempts sent at once cannot slip past them. While such a limit lasts it refuses even the right guess: that is
 * the price of bounding the guesses, and it is keyed on the target, never on where the request comes from.
 *
 * Per client address (`req.ip`, with TRUST_PROXY naming the proxies in front): counted on failed guesses
 * (security_events) and applied only after a guess has been checked and found wrong, turning its 401 into a 429.
 * A right password or code from the same address always gets in, so the people behind one proxy or NAT are never
 * locked out by someone else's guessing there; and since the 429 comes after the check, for a guess the per-target
 * limit counted as well, it says nothing a 401 would not. It answers spraying (one client trying a common password
 * on many accounts, staying under each account's limit): the client is told to stop and `rate_limited` flags it
 * to operators, while each account's limit still bounds what it can learn.
 */
import type { Knex } from 'knex';
import { countSecurityEvents, recordSecurityEvent } from '../db/identity.js';
import { ATTEMPTS_PER_ONE_TIME_CODE } from '../db/one-time-codes.js';
import { forgetAttemptsBefore, takeAttempt, type Allowance } from '../db/rate-limits.js';
import { problems, type Problem } from './problem.js';

/** Limits on guessing (these follow common practice for login and OTP). */
export const LIMITS = {
  window: 15 * 60_000,
  /** Per account: wrong passwords in the window, from anywhere; then 429 until the window passes. */
  loginFailuresPerUsername: 5,
  /** Per address: wrong passwords in the window before the next wrong one is answered 429 (never a right one). */
  loginFailuresPerIp: 100,
  /** Per address: refused access codes in the window before the next refused one is answered 429. */
  accessCodeFailuresPerIp: 20,
  /**
   * Per address: refused texted codes in the window before they are flagged (not refused: a code takes five
   * guesses and a party or phone five codes an hour, which bound guessing already).
   */
  oneTimeCodeFailuresPerIp: 20,
  /** Per party, and per phone proven: codes texted in an hour (each text costs and disturbs its receiver). */
  challengesPerPartyPerHour: 5,
  /** Per code: wrong guesses one code takes (counted where codes are kept, db/one-time-codes.ts). */
  attemptsPerOneTimeCode: ATTEMPTS_PER_ONE_TIME_CODE,
  /**
   * Per address: unmatched recoveries of a lost access code in the window before they are flagged. Never
   * refused: the answer is the same whether anything matched, so refusing only the unmatched ones would say
   * which guess was right, and refusing all would lock out the person who knows their details.
   */
  recoveryFailuresPerIp: 20,
  /** Per case and ID number: recovery attempts (matched or not) in an hour, as codes sent to a party. */
  recoveriesPerCaseIdPerHour: 5,
};

/** Attempts are kept a day at most, longer than any window. */
const ATTEMPT_RETENTION_MS = 24 * 3600_000;

/** Takes an attempt under a target's limit: its id, or undefined when the target's allowance is spent. */
export async function takeTargetAttempt(db: Knex, key: string, allowance: Allowance): Promise<string | undefined> {
  // Now and then, forget attempts older than any window.
  if (Math.random() < 0.01) await forgetAttemptsBefore(db, new Date(Date.now() - ATTEMPT_RETENTION_MS));
  return takeAttempt(db, key, allowance);
}

/** A failed guess, already recorded as `kind`, and the most this address may fail in the window before it counts. */
export type FailedGuess = { kind: string; ip: string | null; limit: number; what: string; subject?: string | null };

/** True (and recorded as rate_limited, `what`) once this address has failed more than `limit` times in the window. */
export async function flagFailedGuess(db: Knex, failed: FailedGuess): Promise<boolean> {
  const fromHere = await countSecurityEvents(db, failed.kind, { ip: failed.ip ?? '' }, LIMITS.window);
  if (fromHere <= failed.limit) return false;
  await recordSecurityEvent(db, {
    kind: 'rate_limited',
    subject: failed.subject ?? null,
    ip: failed.ip,
    detail: { what: failed.what, by: 'address' },
  });
  return true;
}

/** What to answer a guess found wrong: `refusal`, or 429 once this address has failed too often (`flagFailedGuess`). */
export async function refusalOfFailedGuess(db: Knex, failed: FailedGuess, refusal: Problem): Promise<Problem> {
  return (await flagFailedGuess(db, failed)) ? problems.tooManyAttempts(LIMITS.window / 1000) : refusal;
}
