/**
 * Proof that someone holds a phone: a one-time code sent to it by SMS, then given back once, before it expires
 * (db/one-time-codes.ts, kept for a blind index of the phone). An online applicant proves the phone they apply
 * with; a party proves a new phone before it replaces the one on record (送达地址确认). Codes sent are limited
 * per phone, from any address (each text costs and disturbs whoever holds the phone); nothing here is limited
 * per address, so an applicant behind a shared proxy or NAT is never refused a code because of someone else.
 * Wrong codes are bounded per code (db/one-time-codes.ts) and, once they fail, per address (api/guess-limits.ts).
 */
import type { Knex } from 'knex';
import { recordSecurityEvent } from '../db/identity.js';
import { consumeOneTimeCode, issueOneTimeCode } from '../db/one-time-codes.js';
import { maskPhone } from '../domain/masking.js';
import type { FieldCipher } from '../infra/crypto.js';
import type { SmsSender } from '../infra/sms.js';
import { problems } from './problem.js';
import { LIMITS, takeTargetAttempt } from './guess-limits.js';

type Deps = { db: Knex; cipher: FieldCipher; sms: SmsSender; oneTimeCodeMs: number };

/** Sends a code to `phone` with `text(code, minutes)`; refuses (429) past the phone's limit, recording it as `what`. */
export async function sendPhoneChallenge(
  deps: Deps,
  phone: string,
  ip: string | null,
  what: string,
  text: (code: string, minutes: number) => string,
) {
  const index = deps.cipher.blindIndex(phone);
  const texted = await takeTargetAttempt(deps.db, `phone-proof:${index}`, {
    limit: LIMITS.challengesPerPartyPerHour,
    windowMs: 3600_000,
  });
  if (texted === undefined) {
    await recordSecurityEvent(deps.db, { kind: 'rate_limited', ip, detail: { what } });
    throw problems.tooManyAttempts(3600);
  }
  const { challengeId, code, expiresAt } = await issueOneTimeCode(deps.db, 'phone_proof', index, deps.oneTimeCodeMs);
  await deps.sms.send({
    to: phone,
    body: text(code, Math.round(deps.oneTimeCodeMs / 60_000)),
    purpose: 'one_time_code',
    expiresAt,
  });
  return { challengeId, sentTo: maskPhone(phone), expiresAt: expiresAt.toISOString() };
}

export type PhoneProofRefusal = 'unknown' | 'reused' | 'expired' | 'too_many_attempts' | 'other_phone' | 'wrong_code';

/** Uses the challenge up if `code` is its code and `phone` the phone it went to; otherwise says why not (a wrong code counts). */
export async function consumePhoneChallenge(
  db: Knex,
  cipher: FieldCipher,
  proof: { challengeId: string; code: string; phone: string },
): Promise<PhoneProofRefusal | undefined> {
  const outcome = await consumeOneTimeCode(db, 'phone_proof', {
    challengeId: proof.challengeId,
    code: proof.code,
    holder: cipher.blindIndex(proof.phone),
  });
  if (outcome.ok) return undefined;
  return outcome.refusal === 'other_holder' ? 'other_phone' : outcome.refusal;
}
