/**
 * `Idempotency-Key` on POST: a repeat with the same body returns the first response and changes nothing;
 * the same key with a different body, or while the first is still running, is a 409.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { canonicalJson } from '../db/event-chain.js';
import type { Response } from 'express';
import { problems, sendProblem, Problem } from './problem.js';
import { clientIp } from './auth.js';

/** How long a request holds its key; a process that dies mid-request frees the key after this. */
export const IDEMPOTENCY_LEASE_MS = 120_000;

/** Keys belong to whoever sends them: a person, or an institution whichever of its API keys it uses. */
export function idempotencyScope(req: Request): string {
  const p = req.principal;
  // A caller without credentials is known by its address: its keys cannot clash with, or probe, others'.
  const owner =
    p === undefined
      ? `anonymous:${clientIp(req) ?? 'unknown'}`
      : p.kind === 'institution'
        ? `institution:${p.institutionId}`
        : p.id;
  return `${owner} ${req.method} ${req.baseUrl}${req.path}`;
}

/** The routes a caller without credentials may POST to (and so store a key for). */
const ANONYMOUS_POSTS = new Set(['/auth/login', '/auth/party/challenge', '/auth/party/verify', '/applications', '/applications/phone-challenge']);

/** Keys are kept a day: long enough for any client's retries. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

/** A stable id for the workflow update a keyed request sends: a retry is deduplicated by Temporal too. */
export function idempotentUpdateId(req: Request): string | undefined {
  const key = idempotencyKeyOf(req);
  return key === undefined ? undefined : createHash('sha256').update(`${idempotencyScope(req)}\n${key}`).digest('hex');
}

/** A response that holds a secret is replayed without it (the secret is never stored). */
export function redactForReplay(res: Response, redact: (body: unknown) => unknown): void {
  res.locals.redactForReplay = redact;
}

export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw problems.validation([{ field: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' }]);
  }
  return key;
}

export function idempotency(db: Knex): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST') return next();
    const key = idempotencyKeyOf(req);
    if (key === undefined) return next();
    // Without credentials only the public routes keep keys; anything else is refused later anyway.
    if (req.principal === undefined && !ANONYMOUS_POSTS.has(req.path.replace(/\/$/, ''))) return next();
    // Now and then, forget keys older than the retention.
    if (Math.random() < 0.01) await db('idempotency_keys').where('created_at', '<', new Date(Date.now() - IDEMPOTENCY_RETENTION_MS)).delete();
    const scope = idempotencyScope(req);
    // A file upload is compared by its bytes and its query (kind, title), anything else by its JSON.
    const requestHash = (Buffer.isBuffer(req.body) ? createHash('sha256').update(req.originalUrl).update('\n').update(req.body) : createHash('sha256').update(canonicalJson(req.body ?? null))).digest('hex');

    const lease = () => new Date(Date.now() + IDEMPOTENCY_LEASE_MS);
    const inserted = await db('idempotency_keys')
      .insert({ scope, key, request_hash: requestHash, locked_until: lease() })
      .onConflict(['scope', 'key'])
      .ignore()
      .returning('key');
    if (inserted.length === 0) {
      const row = await db('idempotency_keys').where({ scope, key }).first();
      if (!row || row.request_hash !== requestHash) {
        return sendProblem(res, req.originalUrl, problems.conflict('idempotency-key-reused', 'this Idempotency-Key was used with a different request body'));
      }
      if (row.status_code === null) {
        // Unanswered: still running, or abandoned (a crash, a server error). An expired lease is taken over.
        const taken = await db('idempotency_keys')
          .where({ scope, key })
          .whereNull('status_code')
          .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', new Date()))
          .update({ locked_until: lease() });
        if (taken === 0) {
          return sendProblem(res, req.originalUrl, problems.conflict('idempotency-key-in-progress', 'a request with this Idempotency-Key is still being processed'));
        }
        return proceed();
      }
      for (const [h, v] of Object.entries(row.response_headers ?? {})) res.setHeader(h, v);
      res.setHeader('Idempotent-Replayed', 'true');
      res.setHeader('Cache-Control', 'no-store');
      res.status(row.status_code);
      if (row.response_body === null) return res.end();
      return res.type(row.status_code >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(row.response_body));
    }

    return proceed();

    /**
     * Remember the response when it is sent. A server error is not remembered: the key (still bound to
     * this body) is released at once so the client may retry, and the workflow update the retry sends
     * carries the same id, so an action that did reach the case is not applied twice.
     */
    function proceed() {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        const status = res.statusCode;
        const location = res.getHeader('Location');
        const store =
          status >= 500
            ? db('idempotency_keys').where({ scope, key }).whereNull('status_code').update({ locked_until: new Date(0) })
            : db('idempotency_keys')
                .where({ scope, key })
                .update({
                  status_code: status,
                  response_body: JSON.stringify((res.locals.redactForReplay as ((b: unknown) => unknown) | undefined)?.(body) ?? body ?? null),
                  response_headers: location ? { Location: String(location) } : {},
                  locked_until: null,
                });
        store.then(
          () => json(body),
          (err: unknown) => next(err instanceof Problem ? err : problems.unavailable('the response could not be recorded')),
        );
        return res;
      };
      // An answer without a JSON body (204 logout, a PDF) is recorded when it is sent.
      res.on('finish', () => {
        if (res.statusCode >= 500) return;
        void db('idempotency_keys')
          .where({ scope, key })
          .whereNull('status_code')
          .update({ status_code: res.statusCode, response_body: null, response_headers: {}, locked_until: null })
          .catch(() => undefined);
      });
      next();
    }
  };
}
