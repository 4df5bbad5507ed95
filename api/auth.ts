/**
 * Authentication at the edge: a session token (staff or party, `Authorization: Bearer …`) or an
 * institution API key (`X-API-Key`), never both. Refused credentials are answered 401 (both at once 400) and
 * recorded.
 */
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Principal } from '../domain/access-policy.js';
import { findApiKey, findSession, recordSecurityEvent } from '../db/identity.js';
import { apiKeyPrefix, sha256 } from '../identity/secrets.js';
import { problems } from './problem.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

/** The client's address: the socket's peer, or what the proxies TRUST_PROXY names say (config/trust-proxy.ts). */
export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? null;

export function authenticate(db: Knex): RequestHandler {
  return async (req, _res, next) => {
    const apiKey = req.get('x-api-key');
    const authorization = req.get('authorization');
    if (apiKey !== undefined && authorization !== undefined) await refuseBoth(db, req, apiKey);
    else if (apiKey !== undefined) req.principal = await byApiKey(db, req, apiKey);
    else if (authorization !== undefined) req.principal = await bySessionToken(db, req, authorization);
    next();
  };
}

/**
 * A request with an API key and an `Authorization` header is judged by neither: which one it means is not
 * ours to guess (RFC 6750 §3.1: more than one method is an invalid request). Recorded with the key's prefix
 * (never a secret), as a refused key is.
 */
async function refuseBoth(db: Knex, req: Request, apiKey: string): Promise<never> {
  await recordSecurityEvent(db, {
    kind: 'credentials_ambiguous',
    subject: apiKeyPrefix(apiKey.trim()) ?? null,
    ip: clientIp(req),
    detail: { path: req.path },
  });
  throw problems.ambiguousCredentials();
}

async function byApiKey(db: Knex, req: Request, apiKey: string): Promise<Principal> {
  const found = await findApiKey(db, apiKey.trim());
  if (found.ok) return found.principal;
  await recordSecurityEvent(db, {
    kind: 'api_key_refused',
    subject: found.prefix ?? null,
    ip: clientIp(req),
    detail: { reason: found.reason, path: req.path },
  });
  throw problems.unauthenticated('The API key is not valid.');
}

async function bySessionToken(db: Knex, req: Request, authorization: string): Promise<Principal> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const found = token ? await findSession(db, token) : ({ ok: false, reason: 'unknown' } as const);
  if (found.ok) return found.principal;
  // The token itself is a secret: only a short fingerprint of it is recorded.
  await recordSecurityEvent(db, {
    kind: 'token_refused',
    subject: token ? sha256(token).slice(0, 16) : null,
    ip: clientIp(req),
    detail: { reason: found.reason, path: req.path },
  });
  throw problems.unauthenticated(
    found.reason === 'expired' ? 'The session has expired; log in again.' : 'The token is not valid.',
  );
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw problems.unauthenticated();
  next();
};

export function principalOf(req: Request): Principal {
  if (!req.principal) throw problems.unauthenticated();
  return req.principal;
}
