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

export function idempotencyScope(req: Request): string {
  return `${req.principal?.id ?? 'anonymous'} ${req.method} ${req.baseUrl}${req.path}`;
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
    const scope = idempotencyScope(req);
    const requestHash = createHash('sha256').update(canonicalJson(req.body ?? null)).digest('hex');

    const inserted = await db('idempotency_keys')
      .insert({ scope, key, request_hash: requestHash })
      .onConflict(['scope', 'key'])
      .ignore()
      .returning('key');
    if (inserted.length === 0) {
      const row = await db('idempotency_keys').where({ scope, key }).first();
      if (!row || row.request_hash !== requestHash) {
        return sendProblem(res, req.originalUrl, problems.conflict('idempotency-key-reused', 'this Idempotency-Key was used with a different request body'));
      }
      if (row.status_code === null) {
        return sendProblem(res, req.originalUrl, problems.conflict('idempotency-key-in-progress', 'a request with this Idempotency-Key is still being processed'));
      }
      for (const [h, v] of Object.entries(row.response_headers ?? {})) res.setHeader(h, v);
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(row.status_code);
      if (row.response_body === null) return res.end();
      return res.type(row.status_code >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(row.response_body));
    }

    // Remember the response when it is sent. Server errors are forgotten, so the client may retry.
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const location = res.getHeader('Location');
      const store =
        status >= 500
          ? db('idempotency_keys').where({ scope, key }).delete()
          : db('idempotency_keys')
              .where({ scope, key })
              .update({
                status_code: status,
                response_body: JSON.stringify((res.locals.redactForReplay as ((b: unknown) => unknown) | undefined)?.(body) ?? body ?? null),
                response_headers: location ? { Location: String(location) } : {},
              });
      store.then(
        () => json(body),
        (err: unknown) => next(err instanceof Problem ? err : problems.unavailable('the response could not be recorded')),
      );
      return res;
    };
    next();
  };
}
