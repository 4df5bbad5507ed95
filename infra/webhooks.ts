/**
 * Signed notifications to courts and notaries. Each carries a stable delivery id, a timestamp and an
 * HMAC-SHA256 over `${timestamp}.${body}` with the institution's secret; a receiver checks all three and
 * deduplicates by delivery id (delivery is at least once). `verifyWebhook` is what a receiver runs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HEADERS = { delivery: 'X-ODR-Delivery', timestamp: 'X-ODR-Timestamp', signature: 'X-ODR-Signature' } as const;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True only for a signature by this secret over this body, stamped within `toleranceSeconds` of now. */
export function verifyWebhook(input: { secret: string; body: string; timestamp: string | undefined; signature: string | undefined; now?: Date; toleranceSeconds?: number }): { ok: true } | { ok: false; why: 'stale' | 'forged' | 'malformed' } {
  const ts = Number(input.timestamp);
  if (!input.timestamp || !Number.isInteger(ts) || !input.signature) return { ok: false, why: 'malformed' };
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? 300)) return { ok: false, why: 'stale' };
  const expected = Buffer.from(signWebhook(input.secret, ts, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, why: 'forged' };
}
