/**
 * Authentication at the edge: a session token (staff or party, `Authorization: Bearer …`) or an
 * institution API key (`X-API-Key`). Refused credentials are answered 401 and recorded.
 */
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Principal } from '../domain/access-policy.js';
import { findApiKey, findSession, recordSecurityEvent } from '../db/identity.js';
import { sha256 } from '../identity/secrets.js';
import { problems } from './problem.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export const clientIp = (req: Request) => req.socket.remoteAddress ?? null;

export function authenticate(db: Knex): RequestHandler {
  return async (req, _res, next) => {
    const apiKey = req.get('x-api-key');
    const authorization = req.get('authorization');
    if (apiKey !== undefined) {
      const found = await findApiKey(db, apiKey.trim());
      if (!found.ok) {
        await recordSecurityEvent(db, {
          kind: 'api_key_refused',
          subject: found.prefix ?? null,
          ip: clientIp(req),
          detail: { reason: found.reason, path: req.path },
        });
        throw problems.unauthenticated('The API key is not valid.');
      }
      req.principal = found.principal;
    } else if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const found = token ? await findSession(db, token) : ({ ok: false, reason: 'unknown' } as const);
      if (!found.ok) {
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
      req.principal = found.principal;
    }
    next();
  };
}

export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw problems.unauthenticated();
  next();
};

export function principalOf(req: Request): Principal {
  if (!req.principal) throw problems.unauthenticated();
  return req.principal;
}
