/**
 * `Idempotency-Key` on POST: a repeat with the same body returns the first response and changes nothing;
 * the same key with a different body, or while the first is still running for a client still waiting for it,
 * is a 409. A request cut before its answer (the client went away, or a stopping instance closed its
 * connection) whose effect is named by its key (a workflow update id, `idempotentUpdateId`; a case id from the key)
 * frees its key at once, so the retry proceeds: it takes the key over, and the cut request's late answer then loses
 * to it (db/idempotency.ts: each hold has a token), while the action reaches the case once. Any other cut request
 * keeps its key until it answers, and its answer is replayed to the retry.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { canonicalJson } from '../db/event-chain.js';
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  forgetIdempotencyKey,
  forgetIdempotencyKeysBefore,
  recordIdempotentAnswer,
  releaseIdempotencyKey,
  takeOverIdempotencyKey,
  type IdempotencyClaim,
  type IdempotencyKeyId,
  type StoredIdempotencyKey,
} from '../db/idempotency.js';
import { problems, sendProblem, Problem } from './problem.js';
import { clientIp } from './auth.js';
import { replayedBody } from './case-view-replay.js';

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
const ANONYMOUS_POSTS = new Set([
  '/auth/login',
  '/auth/party/challenge',
  '/auth/party/verify',
  '/applications',
  '/applications/phone-challenge',
]);

/** Keys are kept a day: long enough for any client's retries. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

/** A stable id for the workflow update a keyed request sends: a retry is deduplicated by Temporal too. */
export function idempotentUpdateId(req: Request): string | undefined {
  const key = idempotencyKeyOf(req);
  if (key === undefined) return undefined;
  markRetrySafe(req);
  return createHash('sha256')
    .update(`${idempotencyScope(req)}\n${key}`)
    .digest('hex');
}

/**
 * The request's effect is named by its key (a workflow update id, a case id from the key), so a retry that runs
 * beside it reaches the same effect: its key may be freed the moment it is cut. Any other request keeps its key
 * until it answers (or its lease runs out), so a retry of a cut complaint or credit entry waits (409) instead of
 * filing a second one.
 */
export function markRetrySafe(req: Request): void {
  const res = req.res;
  if (!res || res.locals.retrySafe === true) return;
  res.locals.retrySafe = true;
  // Cut before it got here: its key is freed now, before its update goes out under the key's id.
  (res.locals.releaseIfCut as (() => void) | undefined)?.();
}

const retrySafe = (res: Response): boolean => res.locals.retrySafe === true;

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
    const key = keptKeyOf(req);
    if (key === undefined) return next();
    // Now and then, forget keys older than the retention.
    if (Math.random() < 0.01) await forgetIdempotencyKeysBefore(db, new Date(Date.now() - IDEMPOTENCY_RETENTION_MS));
    const id: IdempotencyKeyId = { scope: idempotencyScope(req), key };
    const requestHash = requestHashOf(req);
    const leaseEnds = lease();
    const claim = await claimIdempotencyKey(db, id, requestHash, leaseEnds);
    if (claim) return rememberAnswer(db, { ...claim, leaseEnds }, res, next);
    const row = await findIdempotencyKey(db, id);
    if (!row || row.requestHash !== requestHash) {
      return sendProblem(
        res,
        req.originalUrl,
        problems.conflict('idempotency-key-reused', 'this Idempotency-Key was used with a different request body'),
      );
    }
    if (row.statusCode === null) {
      // Unanswered: still running, or abandoned (cut, a crash, a server error). A released or expired lease is
      // taken over.
      const leaseEnds = lease();
      const taken = await takeOverIdempotencyKey(db, id, leaseEnds, requestHash);
      if (!taken) {
        return sendProblem(
          res,
          req.originalUrl,
          problems.conflict(
            'idempotency-key-in-progress',
            'a request with this Idempotency-Key is still being processed',
          ),
        );
      }
      return rememberAnswer(db, { ...taken, leaseEnds }, res, next);
    }
    // A case view is kept with its events by reference to the case's chain (api/case-view-replay.ts).
    const responseBody = await replayedBody(db, row.responseBody);
    replay(res, { ...row, responseBody } as StoredIdempotencyKey & { statusCode: number });
  };
}

/** The key a POST keeps, if any: without credentials only the public routes keep keys (anything else is refused later anyway). */
function keptKeyOf(req: Request): string | undefined {
  if (req.method !== 'POST') return undefined;
  const key = idempotencyKeyOf(req);
  if (key === undefined) return undefined;
  if (req.principal === undefined && !ANONYMOUS_POSTS.has(req.path.replace(/\/$/, ''))) return undefined;
  return key;
}

/** A file upload is compared by its bytes and its query (kind, title), anything else by its JSON. */
function requestHashOf(req: Request): string {
  const hash = Buffer.isBuffer(req.body)
    ? createHash('sha256').update(req.originalUrl).update('\n').update(req.body)
    : createHash('sha256').update(canonicalJson(req.body ?? null));
  return hash.digest('hex');
}

const lease = () => new Date(Date.now() + IDEMPOTENCY_LEASE_MS);

/** A claim on a key with the end of its lease, after which a retry may take the key over anyway. */
type Hold = IdempotencyClaim & { leaseEnds: Date };

/** The first wait before a failed write about a key is tried again; the waits double up to the second. */
const WRITE_RETRY_FIRST_MS = 250;
const WRITE_RETRY_LAST_MS = 4_000;

/**
 * A write about a key (its release, its answer): made now, or if that fails (PostgreSQL away for a moment, no
 * connection to be had) tried again in the background with growing waits, until it is made, or its claim no longer
 * holds the key (the write then changes nothing), or the lease has run out. Without it the person's retry would
 * meet "still being processed" (409) for the whole lease, two minutes, after an outage of seconds. The promise is
 * the first attempt's.
 */
function writeNowOrLater<T>(write: () => Promise<T>, hold: Hold): Promise<T> {
  const now = write();
  now.catch(() => writeUntilMade(write, hold));
  return now;
}

function writeUntilMade(write: () => Promise<unknown>, hold: Hold, waitMs = WRITE_RETRY_FIRST_MS): void {
  if (Date.now() + waitMs >= hold.leaseEnds.getTime()) return;
  setTimeout(
    () => void write().catch(() => writeUntilMade(write, hold, Math.min(waitMs * 2, WRITE_RETRY_LAST_MS))),
    waitMs,
  ).unref();
}

/** Per database: the keys held by requests still running, and the releases being written. */
type Holds = { running: Map<Response, Hold>; releasing: Set<Promise<unknown>> };
const holdsByDb = new WeakMap<Knex, Holds>();

function holdsOf(db: Knex): Holds {
  let holds = holdsByDb.get(db);
  if (!holds) holdsByDb.set(db, (holds = { running: new Map(), releasing: new Set() }));
  return holds;
}

/**
 * A stopping API frees the keys of the requests it is about to cut (before it cuts them, so the client's retry at
 * another instance finds the key free however soon it comes), and waits for every release under way (api/server.ts,
 * before the database pool closes).
 */
export async function freeKeysOfCutRequests(db: Knex): Promise<void> {
  const holds = holdsOf(db);
  for (const [res, claim] of holds.running) if (retrySafe(res)) release(db, claim);
  await Promise.all([...holds.releasing]);
}

function release(db: Knex, hold: Hold): void {
  const { releasing } = holdsOf(db);
  const written = writeNowOrLater(() => releaseIdempotencyKey(db, hold), hold).catch(() => false);
  releasing.add(written);
  void written.finally(() => releasing.delete(written));
}

/**
 * A request cut before its answer frees its key for the retry when its effect is named by its key (markRetrySafe),
 * also when its connection closed before the key was claimed (the close event has passed then). A release that
 * cannot be written is tried again; a request that goes on running records its answer for the retry.
 */
function releaseWhenCut(db: Knex, claim: Hold, res: Response): void {
  const { running } = holdsOf(db);
  const closed = () => {
    running.delete(res);
    if (res.writableFinished) return;
    if (retrySafe(res)) release(db, claim);
    // Not yet known to be retry-safe: freed if it turns out so (markRetrySafe), else kept until it answers.
    else res.locals.releaseIfCut = () => release(db, claim);
  };
  if (res.destroyed) return closed();
  running.set(res, claim);
  res.on('close', closed);
}

/** The first answer again, marked as a replay. */
function replay(res: Response, row: StoredIdempotencyKey & { statusCode: number }): void {
  for (const [h, v] of Object.entries(row.responseHeaders)) res.setHeader(h, v);
  res.setHeader('Idempotent-Replayed', 'true');
  res.setHeader('Cache-Control', 'no-store');
  res.status(row.statusCode);
  if (row.responseBody === null) {
    res.end();
    return;
  }
  res
    .type(row.statusCode >= 400 ? 'application/problem+json' : 'application/json')
    .send(JSON.stringify(row.responseBody));
}

/**
 * Remember the response when it is sent. A 400 (the request refused as malformed before anything ran) is forgotten
 * with its key, so the form corrected and sent again under the same key is a request of its own, not a reuse (as a
 * payment API keeps no result for a request that failed validation).
 * A server error is not remembered, nor is a request cut before its
 * answer: the key (still bound to this body) is released at once so the client may retry, and the workflow
 * update the retry sends carries the same id, so an action that did reach the case is not applied twice.
 * Whatever this request writes once a retry has taken the key over changes nothing (its claim no longer holds).
 */
function rememberAnswer(db: Knex, claim: Hold, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  let answeredAsJson = false;
  res.json = (body: unknown) => {
    answeredAsJson = true;
    const status = res.statusCode;
    const location = res.getHeader('Location');
    const redact = res.locals.redactForReplay as ((b: unknown) => unknown) | undefined;
    const write = () =>
      status >= 500
        ? releaseIdempotencyKey(db, claim)
        : status === 400
          ? forgetIdempotencyKey(db, claim)
          : recordIdempotentAnswer(db, claim, {
              statusCode: status,
              responseBody: redact?.(body) ?? body ?? null,
              responseHeaders: location ? { Location: String(location) } : {},
            });
    // If written only later, the retry then finds the key free, or this answer to replay (what was done stays done).
    writeNowOrLater(write, claim).then(
      () => json(body),
      (err: unknown) => {
        // What follows is answered as it is: sent through this hook again, it would fail again and reach Express's
        // own last handler, an HTML page instead of a problem.
        res.json = json;
        if (status >= 500) return json(body);
        next(err instanceof Problem ? err : problems.unavailable('the response could not be recorded'));
      },
    );
    return res;
  };
  // An answer without a JSON body (204 logout, a PDF) is recorded when it is sent (a JSON one was, above).
  res.on('finish', () => {
    if (answeredAsJson || res.statusCode >= 500) return;
    const answer = { statusCode: res.statusCode, responseBody: null, responseHeaders: {} };
    void writeNowOrLater(() => recordIdempotentAnswer(db, claim, answer, { unansweredOnly: true }), claim).catch(
      () => undefined,
    );
  });
  releaseWhenCut(db, claim, res);
  next();
}
