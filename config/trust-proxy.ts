/**
 * TRUST_PROXY: which reverse proxies in front of the API may say who the client is (X-Forwarded-For), passed to
 * Express's `trust proxy` setting. The client address then comes from `req.ip`: the socket's peer when nothing is
 * trusted (the default), otherwise the nearest address in X-Forwarded-For that no trusted proxy added. Limits on
 * failed guesses count per client address, so behind a proxy without this every person would share the proxy's
 * address; trusting a proxy that is not there would let anyone choose their address by sending the header.
 *
 * Accepted: empty or `false` (off); a hop count (`1`: the one proxy in front, whatever its address); or a
 * comma-separated list of addresses, CIDR ranges and Express's names `loopback`, `linklocal`, `uniquelocal`.
 * `true` (trust every hop) is refused: the leftmost X-Forwarded-For entry is whatever the client wrote.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** What Express's `trust proxy` is set to: false, a hop count, or the trusted addresses and ranges. */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, an address/prefix within its family's length, or one of Express's named ranges. */
function isTrustedEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export const trustProxySetting = z
  .string()
  .trim()
  .optional()
  .transform((raw, ctx): TrustProxy => {
    if (raw === undefined || raw === '' || raw === 'false') return false;
    if (/^\d+$/.test(raw)) {
      const hops = Number(raw);
      if (hops >= 1 && hops <= 10) return hops;
      ctx.addIssue({ code: 'custom', message: 'a hop count must be 1 to 10 (or false for no proxy)' });
      return z.NEVER;
    }
    if (raw === 'true') {
      ctx.addIssue({
        code: 'custom',
        message: 'true would trust any X-Forwarded-For a client sends; give the hop count or the proxies’ addresses',
      });
      return z.NEVER;
    }
    const entries = raw.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !isTrustedEntry(e));
    if (bad.length === 0) return entries;
    ctx.addIssue({
      code: 'custom',
      message: `must be false, a hop count, or addresses and CIDR ranges separated by commas (not: ${bad.join(', ')})`,
    });
    return z.NEVER;
  });
