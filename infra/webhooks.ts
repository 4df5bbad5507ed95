/**
 * Signed notifications to courts and notaries. Each carries a stable delivery id, a timestamp and an
 * HMAC-SHA256 over `${timestamp}.${body}` with the institution's secret; a receiver checks all three and
 * deduplicates by delivery id (delivery is at least once). `verifyWebhook` is what a receiver runs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export const HEADERS = {
  delivery: 'X-ODR-Delivery',
  timestamp: 'X-ODR-Timestamp',
  signature: 'X-ODR-Signature',
} as const;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True only for a signature by this secret over this body, stamped within `toleranceSeconds` of now. */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now?: Date;
  toleranceSeconds?: number;
}): { ok: true } | { ok: false; why: 'stale' | 'forged' | 'malformed' } {
  const ts = Number(input.timestamp);
  if (!input.timestamp || !Number.isInteger(ts) || !input.signature) return { ok: false, why: 'malformed' };
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? 300)) return { ok: false, why: 'stale' };
  const expected = Buffer.from(signWebhook(input.secret, ts, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true }
    : { ok: false, why: 'forged' };
}

/** Addresses a webhook must never reach from the worker: loopback, private, link-local, unique-local. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv4');
}
// (IPv4-mapped IPv6 addresses are checked by the IPv4 rules: BlockList matches them across families.)
for (const [net, prefix] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}

/**
 * Whether the worker may post to this URL: https (http only where internal addresses are allowed, i.e.
 * development), no credentials in it, and every address its host resolves to public.
 */
export async function webhookTargetProblem(url: string, opts: { allowInternal: boolean }): Promise<string | undefined> {
  const u = new URL(url);
  if (u.username || u.password) return 'credentials in the URL';
  if (u.protocol !== 'https:' && !(opts.allowInternal && u.protocol === 'http:')) return 'not https';
  if (opts.allowInternal) return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  const internal = addresses.find((a) => INTERNAL.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'));
  return internal ? 'an internal address' : undefined;
}
