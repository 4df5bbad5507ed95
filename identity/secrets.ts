/**
 * High-entropy secrets handed to people and systems: session tokens, API keys, party access codes and
 * one-time codes. Only their SHA-256 is stored (they are random, so a slow hash adds nothing), and
 * comparisons are by hash lookup.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Session token: 256 bits. */
export const newSessionToken = () => `sess_${randomBytes(32).toString('base64url')}`;

/** Institution API key: a public prefix to find it and a 256-bit secret. Shown once. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('hex');
  return { key: `odr_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}
export function apiKeyPrefix(key: string): string | undefined {
  return /^odr_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/.exec(key)?.[1];
}

// Crockford base32 without I, L, O, U: easy to read aloud and type from a printed notice.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A party's case access code: 160 bits from the system's secure random source, in groups of four. */
export function newAccessCode(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** What a person typed, in the canonical form that was hashed: no separators, upper case, O→0, I/L→1. */
export function normalizeAccessCode(input: string): string {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return cleaned.match(/.{1,4}/g)?.join('-') ?? '';
}

/** Six-digit one-time code for SMS. */
export const newOneTimeCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
