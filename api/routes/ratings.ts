/**
 * Ratings (docs/supervision.md#ratings): a party rates their concluded case once (不予受理 and 终止 included), in
 * the portal or through the one-use link texted when the case concluded; a 差评 starts its own follow-up workflow,
 * in which the supervisor or the case's clerks call back, fix or explain, and answer, the party gives one 追评, and
 * the rated mediator may ask for a 申诉复核 that the supervisor decides. Clerks draw random 回访 samples and record
 * what the party said. Who reads how much: domain/ratings.ts `ratingReader`; anyone else gets 404.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { actorOf, type Principal } from '../../domain/access-policy.js';
import type { Actor, CaseStatus } from '../../domain/case.js';
import {
  checkCallbackRecord,
  checkNewRating,
  followUpStarted,
  isFinalFollowUp,
  isNegative,
  ratingGivenEvent,
  ratingReader,
  type Rating,
  type RatingChannel,
  type RatingReader,
} from '../../domain/ratings.js';
import type { Refusal } from '../../domain/case-state.js';
import { getCaseAccess } from '../../db/cases.js';
import {
  AlreadyRated,
  callbackById,
  drawCallbackSample,
  insertRating,
  listCallbacks,
  listRatings,
  ratingById,
  ratingOf,
  ratingOfParty,
  ratingSubject,
  recordCallback,
  storedFollowUp,
  useRatingLink,
  type RatingWithCase,
} from '../../db/ratings.js';
import { sha256 } from '../../identity/secrets.js';
import {
  RATING_FOLLOW_UP_WORKFLOW_TYPE,
  awaitFollowUpStartedUpdate,
  ratingFollowUpActionUpdate,
  ratingFollowUpWorkflowId,
  type RatingFollowUpAction,
} from '../../workflows/rating-followup-messages.js';
import { principalOf, requireAuth } from '../auth.js';
import { idempotentUpdateId } from '../idempotency.js';
import { mountedAt } from '../observability.js';
import { parseOrThrow, problems } from '../problem.js';
import { UUID, loadVisibleCase, ownParty, recordDenied, type CasesDeps } from './cases/context.js';
import { DEFAULT_RECORD_WAIT_MS, boundedCall, runUpdate } from './cases/workflow-calls.js';
import {
  CALLBACK_ROLES,
  RATING_ACTION_ROUTES,
  RATING_READER_ROLES,
  callbackRecordBody,
  callbackView,
  rateBody,
  rateByLinkBody,
  ratingRolesOf,
  ratingView,
  sampleBody,
  type RateBody,
  type RatingContext,
} from './rating-view.js';

type ActionSpec = (typeof RATING_ACTION_ROUTES)[keyof typeof RATING_ACTION_ROUTES];

/** Mounted at the root (its paths are whole), after the case routes. */
export function ratingsRouter(deps: CasesDeps): Router {
  const router = Router();
  // Public: the link texted at conclusion is the proof (a one-use token; only its hash is kept).
  router.post('/rating-links/rating', mountedAt(''), async (req, res) => rateByLink(deps, req, res));
  router.use(
    ['/ratings', '/rating-follow-ups', '/rating-callbacks', '/cases/:caseId/ratings'],
    mountedAt(''),
    requireAuth,
  );
  router.post('/cases/:caseId/ratings', async (req, res) => rateInPortal(deps, req, res));
  router.get('/ratings', async (req, res) => listForPrincipal(deps, req, res, false));
  router.get('/rating-follow-ups', async (req, res) => listForPrincipal(deps, req, res, true));
  router.get('/ratings/:ratingId', async (req, res) => {
    const loaded = await loadRating(deps, req);
    res.json(viewOf(deps, loaded.row, loaded.reader, loaded.actor));
  });
  for (const [path, spec] of Object.entries(RATING_ACTION_ROUTES))
    router.post(`/ratings/:ratingId/${path}`, async (req, res) => takeAction(deps, spec, req, res));
  router.post('/rating-callbacks/samples', async (req, res) => drawSample(deps, req, res));
  router.get('/rating-callbacks', async (req, res) => {
    const p = callbackKeeper(req);
    res.json({ callbacks: (await listCallbacks(deps.db, scopeOf(p))).map(callbackView) });
  });
  router.post('/rating-callbacks/:callbackId', async (req, res) => recordCallbackOutcome(deps, req, res));
  return router;
}

// Rating --------------------------------------------------------------------------------------------------

async function rateInPortal(deps: CasesDeps, req: Request, res: Response): Promise<void> {
  const loaded = await loadVisibleCase(deps, req, 'rateCase');
  const body = parseOrThrow(rateBody, req.body ?? {});
  const partyId = ownParty(loaded)!;
  const rating = await newRating(deps, deps.db, loaded.caseId, partyId, body, 'portal', actorOf(loaded.principal));
  const followUp = await record(deps, rating);
  res.status(201).json(ratingView(rating, followUp, 'rater', { id: partyId, role: 'party' }, deps.now()));
}

/**
 * The link's token names the case and the party; it is used up in the same transaction that records the rating,
 * so it works once, and a rating refused (the case rated already) leaves it unused.
 */
async function rateByLink(deps: CasesDeps, req: Request, res: Response): Promise<void> {
  const body = parseOrThrow(rateByLinkBody, req.body ?? {});
  const { token, ...rest } = body;
  const rating = await deps.db.transaction(async (tx) => {
    const used = await useRatingLink(tx, sha256(token), deps.now());
    if (!used.ok) throw linkProblem(used.refusal);
    const r = await newRating(deps, tx, used.caseId, used.partyId, rest, 'sms_link', {
      id: used.partyId,
      role: 'party',
    });
    await insertRating(deps.db, recordOf(r), tx).catch(alreadyRatedAsRule);
    return r;
  });
  const followUp = isNegative(rating.level) ? await startFollowUp(deps, rating) : undefined;
  res.status(201).json(ratingView(rating, followUp, 'rater', { id: rating.partyId, role: 'party' }, deps.now()));
}

function linkProblem(refusal: 'unknown' | 'used' | 'expired') {
  if (refusal === 'unknown') return problems.notFound('The rating link');
  return problems.conflict(
    `rating-link-${refusal}`,
    refusal === 'used'
      ? 'this link was used: a case is rated once per party'
      : 'this link has expired; the party may rate in the portal',
  );
}

/** A rating the rules allow (a concluded case, not rated by this party), with whom it rates. */
async function newRating(
  deps: CasesDeps,
  db: Knex | Knex.Transaction,
  caseId: string,
  partyId: string,
  body: RateBody,
  channel: RatingChannel,
  ratedBy: Actor,
): Promise<Rating> {
  const subject = await ratingSubject(db, caseId);
  if (!subject) throw problems.notFound('The case');
  const refusal = checkNewRating({
    caseStatus: subject.status as CaseStatus,
    alreadyRated: (await ratingOfParty(db, caseId, partyId)) !== undefined,
  });
  if (refusal) throw problemOf(refusal);
  return {
    ratingId: randomUUID(),
    caseId,
    partyId,
    level: body.level,
    tags: [...new Set(body.tags)],
    text: body.text ?? null,
    channel,
    mediatorAccountId: subject.mediatorAccountId,
    orgId: subject.orgId,
    ratedAt: deps.now().toISOString(),
    ratedBy,
  };
}

function problemOf(refusal: Refusal) {
  if (refusal.kind === 'rule') return problems.rule(refusal.code, refusal.message, refusal.article);
  if (refusal.kind === 'forbidden') return problems.forbidden(refusal.message);
  return problems.conflict(refusal.code.replace(/_/g, '-'), refusal.message);
}

const recordOf = (r: Rating) => ({
  rating: r,
  event: ratingGivenEvent(r),
  workflowId: isNegative(r.level) ? ratingFollowUpWorkflowId(r.ratingId) : null,
  followUp: isNegative(r.level) ? followUpStarted(r).state : null,
});

/** A second rating that raced past the check is refused as the rule refuses it. */
function alreadyRatedAsRule(err: unknown): never {
  if (!(err instanceof AlreadyRated)) throw err;
  throw problemOf(checkNewRating({ caseStatus: 'CLOSED_ARCHIVED', alreadyRated: true })!);
}

/** Records the rating (a race with another is refused as the rule refuses it); a 差评 starts its follow-up. */
async function record(deps: CasesDeps, rating: Rating) {
  await insertRating(deps.db, recordOf(rating)).catch(alreadyRatedAsRule);
  return isNegative(rating.level) ? startFollowUp(deps, rating) : undefined;
}

async function startFollowUp(deps: CasesDeps, rating: Rating) {
  const handle = await deps.temporal.workflow.start(RATING_FOLLOW_UP_WORKFLOW_TYPE, {
    workflowId: ratingFollowUpWorkflowId(rating.ratingId),
    taskQueue: deps.taskQueue,
    args: [{ rating }],
  });
  return boundedCall(
    deps,
    () => handle.executeUpdate(awaitFollowUpStartedUpdate),
    deps.registrationWait ?? DEFAULT_RECORD_WAIT_MS,
  );
}

// Reading and acting -----------------------------------------------------------------------------------------

type LoadedRating = { row: RatingWithCase; rating: Rating; reader: RatingReader; actor: Actor };

/** The rating the URL names, if this person may read it; 404 otherwise, whether or not it exists. */
async function loadRating(deps: CasesDeps, req: Request): Promise<LoadedRating> {
  const principal = principalOf(req);
  const id = String(req.params.ratingId);
  const row = UUID.test(id) ? await ratingById(deps.db, id) : undefined;
  const rating = row ? ratingOf(row) : undefined;
  const actor = rating ? await actingAs(deps, principal, rating) : undefined;
  const reader = rating && actor ? ratingReader({ ...actor, orgId: orgOf(principal) }, rating) : undefined;
  if (!row || !rating || !actor || !reader) {
    if (rating) await recordDenied(deps, req, principal, rating.caseId, 'rating_not_visible');
    throw problems.notFound('The rating');
  }
  return { row, rating, reader, actor };
}

const orgOf = (p: Principal) => (p.kind === 'staff' ? p.orgId : null);

/** A party acts as themselves, or as the party they act for (a guardian or agent); staff as themselves. */
async function actingAs(deps: CasesDeps, p: Principal, r: Rating): Promise<Actor | undefined> {
  if (p.kind === 'institution') return undefined;
  if (p.kind !== 'party') return actorOf(p);
  if (p.caseId !== r.caseId) return undefined;
  const represented = (await getCaseAccess(deps.db, r.caseId))?.represents[p.id];
  return { id: represented ?? p.id, role: 'party' };
}

/** What the row read beside the rating: the case's number and the party's name (ratingView shows each to whom it may). */
function contextOf(row: RatingWithCase): RatingContext {
  const rater = row.rater_name && row.rater_role ? { name: row.rater_name, role: row.rater_role } : undefined;
  return { caseNumber: row.case_number, ...(rater ? { rater } : {}) };
}

/** The rating as read, with the case's number and the party's name (as the case stores it) for whom may see them. */
function viewOf(deps: CasesDeps, row: RatingWithCase, reader: RatingReader, actor: Actor) {
  return ratingView(ratingOf(row), storedFollowUp(row), reader, actor, deps.now(), contextOf(row));
}

async function takeAction(deps: CasesDeps, spec: ActionSpec, req: Request, res: Response): Promise<void> {
  // The body first: a malformed one is a 400 naming the field, whatever the rating (it reveals nothing of it).
  const body = parseOrThrow(spec.body as z.ZodType, req.body ?? {}) as Record<string, unknown>;
  const { row, reader, actor, rating } = await loadRating(deps, req);
  const followUp = storedFollowUp(row);
  const roles: readonly string[] = ratingRolesOf(spec.type);
  if (!roles.includes(actor.role)) {
    await recordDenied(deps, req, principalOf(req), rating.caseId, `role_may_not_${spec.type}`);
    throw problems.forbidden(`a ${actor.role} may not ${spec.type.replace(/_/g, ' ')} this rating`);
  }
  if (!followUp) throw problems.conflict('no-follow-up', 'only a 差评 has a follow-up');
  if (isFinalFollowUp(followUp))
    throw problems.conflict('follow-up-closed', `the follow-up is ${followUp.status}; no further action is possible`);
  const action = { type: spec.type, actor, ...body } as RatingFollowUpAction;
  const updateId = idempotentUpdateId(req);
  const after = await runUpdate(deps, rating.caseId, () =>
    deps.temporal.workflow
      .getHandle(ratingFollowUpWorkflowId(rating.ratingId))
      .executeUpdate(ratingFollowUpActionUpdate, { args: [action], ...(updateId ? { updateId } : {}) }),
  );
  res.json(ratingView(rating, after, reader, actor, deps.now(), contextOf(row)));
}

/** The ratings this person reads (the 差评 with their follow-up, for the follow-up list), newest first. */
async function listForPrincipal(deps: CasesDeps, req: Request, res: Response, negativeOnly: boolean): Promise<void> {
  const p = principalOf(req);
  if (!(RATING_READER_ROLES as readonly string[]).includes(p.role) || (negativeOnly && p.role === 'party'))
    throw problems.forbidden(`a ${p.role} reads no ratings here`);
  const scope =
    p.role === 'supervisor'
      ? 'all'
      : p.role === 'mediator'
        ? { mediatorAccountId: p.id }
        : p.kind === 'staff'
          ? { orgId: p.orgId ?? '' }
          : { partyId: p.kind === 'party' ? ((await getCaseAccess(deps.db, p.caseId))?.represents[p.id] ?? p.id) : '' };
  const rows = await listRatings(deps.db, scope, { negativeOnly });
  const ratings = [];
  for (const row of rows) {
    const actor = await actingAs(deps, p, ratingOf(row));
    const reader = actor ? ratingReader({ ...actor, orgId: orgOf(p) }, ratingOf(row)) : undefined;
    if (actor && reader) ratings.push(viewOf(deps, row, reader, actor));
  }
  res.json({ ratings });
}

// 回访 by sample ---------------------------------------------------------------------------------------------

function callbackKeeper(req: Request): Principal {
  const p = principalOf(req);
  if (!(CALLBACK_ROLES as readonly string[]).includes(p.role))
    throw problems.forbidden(`a ${p.role} does not make 回访 call-backs`);
  return p;
}

const scopeOf = (p: Principal): 'all' | { orgId: string } =>
  p.role === 'supervisor' ? 'all' : { orgId: (p.kind === 'staff' && p.orgId) || '' };

async function drawSample(deps: CasesDeps, req: Request, res: Response): Promise<void> {
  const p = callbackKeeper(req);
  const { size } = parseOrThrow(sampleBody, req.body ?? {});
  const scope = scopeOf(p);
  const rows = await drawCallbackSample(deps.db, {
    orgId: scope === 'all' ? null : scope.orgId,
    drawnById: p.id,
    size,
    now: deps.now(),
  });
  res.status(201).json({ callbacks: rows.map(callbackView) });
}

async function recordCallbackOutcome(deps: CasesDeps, req: Request, res: Response): Promise<void> {
  const p = callbackKeeper(req);
  const body = parseOrThrow(callbackRecordBody, req.body ?? {});
  const id = String(req.params.callbackId);
  const row = UUID.test(id) ? await callbackById(deps.db, id) : undefined;
  const scope = scopeOf(p);
  if (!row || (scope !== 'all' && row.org_id !== scope.orgId)) throw problems.notFound('The call-back');
  const refusal = checkCallbackRecord({ ...body, alreadyRecorded: row.recorded_at !== null });
  if (refusal) throw problemOf(refusal);
  const recorded = await recordCallback(deps.db, id, {
    outcome: body.outcome,
    level: body.level ?? null,
    note: body.note ?? null,
    recordedById: p.id,
    at: deps.now(),
  });
  if (!recorded) throw problemOf(checkCallbackRecord({ ...body, alreadyRecorded: true })!);
  res.json(callbackView({ ...recorded, case_number: row.case_number }));
}
