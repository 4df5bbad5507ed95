/**
 * Signed notifications to courts and notaries. Each carries a stable delivery id, a timestamp and an
 * HMAC-SHA256 over `${timestamp}.${body}` with the institution's secret; a receiver checks all three and
 * deduplicates by delivery id (delivery is at least once). `verifyWebhook` is what a receiver runs;
 * `postWebhook` is how the worker sends, connecting only to addresses it has checked.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

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

/**
 * Addresses a webhook must never reach from the worker: this host, private and shared networks, link-local
 * (cloud metadata at 169.254.169.254), unique-local, multicast and reserved ranges.
 */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv4');
}
// (IPv4-mapped IPv6 addresses are checked by the IPv4 rules: BlockList matches them across families.)
for (const [net, prefix] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}

/** True for an address the worker must not reach; anything that is not an IP address counts as internal. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  return family === 0 || INTERNAL.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Every address a host name resolves to (the system resolver unless a test injects another). */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family: number }[]>;
const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true });

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');

/** What can be told from the URL alone: credentials, scheme, and a literal internal address. */
function urlProblem(u: URL, allowInternal: boolean): string | undefined {
  if (u.username || u.password) return 'credentials in the URL';
  if (u.protocol !== 'https:' && !(allowInternal && u.protocol === 'http:')) return 'not https';
  if (!allowInternal && isIP(hostOf(u)) && isInternalAddress(hostOf(u))) return 'an internal address';
  return undefined;
}

/**
 * Whether the worker may post to this URL: https (http only where internal addresses are allowed, i.e.
 * development), no credentials in it, and every address its host resolves to public. This is the check at
 * registration; a delivery does not rely on it (a host can be re-pointed between a check and a connection):
 * `postWebhook` checks the addresses it actually connects to.
 */
export async function webhookTargetProblem(
  url: string,
  opts: { allowInternal: boolean; resolve?: ResolveHost },
): Promise<string | undefined> {
  const u = new URL(url);
  const problem = urlProblem(u, opts.allowInternal);
  if (problem || opts.allowInternal || isIP(hostOf(u))) return problem;
  const addresses = await (opts.resolve ?? systemResolve)(hostOf(u));
  return addresses.some((a) => isInternalAddress(a.address)) ? 'an internal address' : undefined;
}

/** The target was refused before a byte was sent: `problem` is the category the delivery log shows. */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
  constructor(readonly problem: string) {
    super(`the webhook target is refused (${problem})`);
  }
}

/**
 * A `lookup` for the socket (net and tls call it in place of dns.lookup): resolves the host once, refuses
 * when any of its addresses is internal, and hands the socket exactly the addresses it checked, so there is
 * no window between check and connection for a DNS rebinding to slip an internal address in. Called with
 * `all: true` (Node's default happy-eyeballs connect) or for one address.
 */
export function guardedLookup(opts: { allowInternal: boolean; resolve?: ResolveHost }): LookupFunction {
  const resolve = opts.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    const answer = (found: readonly { address: string; family: number }[]) => {
      const usable = found.filter(
        (a) =>
          isIP(a.address) !== 0 && (options.family === 4 || options.family === 6 ? a.family === options.family : true),
      );
      if (usable.length === 0) return callback(new WebhookTargetRefused('unresolvable'), '');
      if (!opts.allowInternal && found.some((a) => isInternalAddress(a.address)))
        return callback(new WebhookTargetRefused('an internal address'), '');
      if (options.all)
        return callback(
          null,
          usable.map((a) => ({ address: a.address, family: a.family })),
        );
      return callback(null, usable[0]!.address, usable[0]!.family);
    };
    void resolve(hostname).then(answer, () => callback(new WebhookTargetRefused('unresolvable'), ''));
  };
}

/**
 * POSTs a body to a webhook and answers the HTTP status (redirects are not followed; the response body is not
 * read). The URL is checked as at registration, and the host's addresses again at connection time by
 * `guardedLookup`, on a connection of its own (no pooled socket from another check). Throws
 * `WebhookTargetRefused` when the target is refused, the signal's `TimeoutError` after `timeoutMs`, or the
 * connection's error.
 */
export async function postWebhook(
  url: string,
  input: {
    headers: Record<string, string>;
    body: string;
    allowInternal: boolean;
    timeoutMs: number;
    resolve?: ResolveHost;
  },
): Promise<number> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new WebhookTargetRefused('not a URL');
  }
  const problem = urlProblem(u, input.allowInternal);
  if (problem) throw new WebhookTargetRefused(problem);
  const signal = AbortSignal.timeout(input.timeoutMs);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'POST',
        headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
        lookup: guardedLookup({ allowInternal: input.allowInternal, resolve: input.resolve }),
        agent: false,
        signal,
      },
      (res) => {
        res.on('error', () => undefined);
        res.destroy();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (err) => reject(signal.aborted ? signal.reason : err));
    req.end(input.body);
  });
}
