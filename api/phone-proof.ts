/**
 * Proof that someone holds a phone: a one-time code sent to it by SMS, then given back once, before it expires
 * (db/one-time-codes.ts, kept for a blind index of the phone). An online applicant proves the phone they apply
 * with; a party proves a new phone before it replaces the one on record (送达地址确认). Challenges are limited
 * per phone and per address as sign-ins are.
 */
import type { Knex } from 'knex';
import { countSecurityEvents, recordSecurityEvent } from '../db/identity.js';
import { consumeOneTimeCode, countOneTimeCodesSince, issueOneTimeCode } from '../db/one-time-codes.js';
import { maskPhone } from '../domain/masking.js';
import type { FieldCipher } from '../infra/crypto.js';
import type { SmsSender } from '../infra/sms.js';
import { problems } from './problem.js';
import { LIMITS } from './routes/auth.js';

type Deps = { db: Knex; cipher: FieldCipher; sms: SmsSender; oneTimeCodeMs: number };

/** Sends a code to `phone` with `text(code, minutes)`; refuses (429) past the limits, recording it as `what`. */
export async function sendPhoneChallenge(
  deps: Deps,
  phone: string,
  ip: string | null,
  what: string,
  text: (code: string, minutes: number) => string,
) {
  const index = deps.cipher.blindIndex(phone);
  const recent = await countOneTimeCodesSince(deps.db, 'phone_proof', index, new Date(Date.now() - 3600_000));
  if (
    recent >= LIMITS.challengesPerPartyPerHour ||
    (await countSecurityEvents(deps.db, 'otp_refused', { ip: ip ?? '' }, LIMITS.window)) >=
      LIMITS.accessCodeFailuresPerIp
  ) {
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
