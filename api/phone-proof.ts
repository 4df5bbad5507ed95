/**
 * Proof that someone holds a phone: a one-time code sent to it by SMS, then given back once, before it expires
 * (phone_challenges). An online applicant proves the phone they apply with; a party proves a new phone before it
 * replaces the one on record (送达地址确认). Challenges are limited per phone and per address as sign-ins are.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { countSecurityEvents, recordSecurityEvent } from '../db/identity.js';
import { maskPhone } from '../domain/masking.js';
import type { FieldCipher } from '../infra/crypto.js';
import { newOneTimeCode, sha256 } from '../identity/secrets.js';
import type { SmsSender } from '../infra/sms.js';
import { problems } from './problem.js';
import { LIMITS } from './routes/auth.js';

type Deps = { db: Knex; cipher: FieldCipher; sms: SmsSender; oneTimeCodeMs: number };

/** Sends a code to `phone` with `text(code, minutes)`; refuses (429) past the limits, recording it as `what`. */
export async function sendPhoneChallenge(deps: Deps, phone: string, ip: string | null, what: string, text: (code: string, minutes: number) => string) {
  const index = deps.cipher.blindIndex(phone);
  const [recent] = await deps.db('phone_challenges').where({ phone_index: index }).where('created_at', '>', new Date(Date.now() - 3600_000)).count<{ n: number }[]>({ n: '*' });
  if (Number(recent?.n ?? 0) >= LIMITS.challengesPerPartyPerHour || (await countSecurityEvents(deps.db, 'otp_refused', { ip: ip ?? '' }, LIMITS.window)) >= LIMITS.accessCodeFailuresPerIp) {
    await recordSecurityEvent(deps.db, { kind: 'rate_limited', ip, detail: { what } });
    throw problems.tooManyAttempts(3600);
  }
  const code = newOneTimeCode();
  const challengeId = randomUUID();
  const expiresAt = new Date(Date.now() + deps.oneTimeCodeMs);
  await deps.db('phone_challenges').insert({ challenge_id: challengeId, phone_index: index, code_hash: sha256(`${challengeId}:${code}`), expires_at: expiresAt });
  await deps.sms.send({ to: phone, body: text(code, Math.round(deps.oneTimeCodeMs / 60_000)), purpose: 'one_time_code', expiresAt });
  return { challengeId, sentTo: maskPhone(phone), expiresAt: expiresAt.toISOString() };
}

export type PhoneProofRefusal = 'unknown' | 'reused' | 'expired' | 'too_many_attempts' | 'other_phone' | 'wrong_code';

/** Uses the challenge up if `code` is its code and `phone` the phone it went to; otherwise says why not (a wrong code counts). */
export async function consumePhoneChallenge(db: Knex, cipher: FieldCipher, proof: { challengeId: string; code: string; phone: string }): Promise<PhoneProofRefusal | undefined> {
  return db.transaction(async (tx) => {
    const row = await tx('phone_challenges').where({ challenge_id: proof.challengeId }).forUpdate().first();
    if (!row) return 'unknown';
    if (row.consumed_at) return 'reused';
    if (row.expires_at <= new Date()) return 'expired';
    if (row.failed_attempts >= LIMITS.attemptsPerOneTimeCode) return 'too_many_attempts';
    if (row.phone_index !== cipher.blindIndex(proof.phone)) return 'other_phone';
    if (row.code_hash !== sha256(`${proof.challengeId}:${proof.code}`)) {
      await tx('phone_challenges').where({ challenge_id: proof.challengeId }).increment('failed_attempts', 1);
      return 'wrong_code';
    }
    await tx('phone_challenges').where({ challenge_id: proof.challengeId }).update({ consumed_at: new Date() });
    return undefined;
  });
}
