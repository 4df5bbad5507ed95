/**
 * Data access for ratings (docs/supervision.md#ratings): the projection (one row per party per concluded case,
 * with a 差评's follow-up), one hash chain per rating hashed exactly as a case's (db/event-chain.ts, the rating's
 * id in the place of the case's), the one-use links texted when a case concludes, the clerks' 回访 samples, and
 * what statistics and the credit file read. Each chain write is keyed by rating id and event sequence, so a
 * retried activity writes once.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CaseEvent } from '../domain/case.js';
import {
  CONCLUDED_STATUSES,
  SATISFIED_LEVELS,
  type CallbackOutcome,
  type Rating,
  type RatingFollowUpState,
  type RatingLevel,
} from '../domain/ratings.js';
import { nextClockTimer } from '../domain/process-clocks.js';
import { chainLinks, verifyChainRows, type ChainVerdict } from './event-chain.js';
import { beginRatingUpkeep, beginReviewUpkeep } from './rating-facts.js';
import type { RatingCallbackRow, RatingRow } from './tables.js';

type Tx = Knex | Knex.Transaction;

/** The party has rated the case already (the unique key refused a second row). */
export class AlreadyRated extends Error {
  override name = 'AlreadyRated';
}

/**
 * Records a new rating with its first event. The unique key (case, party) is the rule "once per party": a second
 * rating, even one racing the first, is refused with `AlreadyRated`.
 */
export async function insertRating(
  db: Knex,
  input: { rating: Rating; event: CaseEvent; workflowId: string | null; followUp: RatingFollowUpState | null },
  within?: Knex.Transaction,
): Promise<void> {
  const { rating: r, event, workflowId, followUp } = input;
  const write = async (tx: Knex.Transaction) => {
    // The statistics' rollups count the rating with its case's facts, the case row locked first (db/rating-facts.ts).
    const upkeep = await beginRatingUpkeep(tx, r.caseId);
    const inserted = await tx('ratings')
      .insert({
        rating_id: r.ratingId,
        case_id: r.caseId,
        party_id: r.partyId,
        level: r.level,
        negative: followUp !== null,
        tags: JSON.stringify(r.tags),
        text: r.text,
        channel: r.channel,
        rated_by_id: r.ratedBy.id,
        mediator_account_id: r.mediatorAccountId,
        org_id: r.orgId,
        rated_at: new Date(r.ratedAt),
        workflow_id: workflowId,
        last_seq: 0,
        ...followUpColumns(followUp),
      })
      .onConflict(['case_id', 'party_id'])
      .ignore()
      .returning('rating_id');
    if (inserted.length === 0) throw new AlreadyRated(`party ${r.partyId} has rated case ${r.caseId}`);
    await appendRatingEvents(tx, r.ratingId, [event]);
    await upkeep.finish();
  };
  if (within) return write(within);
  return db.transaction(write);
}

function followUpColumns(s: RatingFollowUpState | null) {
  if (!s) return { follow_up_status: null, follow_up: null, next_due_at: null };
  const next = nextClockTimer(s);
  return {
    follow_up_status: s.status,
    follow_up: JSON.stringify(s),
    next_due_at: next ? new Date(next.at) : null,
    review_outcome: s.review?.outcome ?? null,
    updated_at: new Date(),
  };
}

/**
 * Appends events to the rating's chain, idempotently (an event whose sequence number is stored is skipped), and
 * moves the follow-up's projection to `state` when anything was written. One writer per chain: the row is locked.
 */
export async function appendRatingEvents(
  trx: Knex.Transaction,
  ratingId: string,
  events: CaseEvent[],
  state?: RatingFollowUpState,
): Promise<number> {
  // A follow-up's state may carry a 申诉复核 outcome, which the statistics' rollups count (db/rating-facts.ts).
  const upkeep = state ? await beginReviewUpkeep(trx, ratingId, state.review?.outcome ?? null) : undefined;
  const current = await trx('ratings').where({ rating_id: ratingId }).forUpdate().first('last_seq');
  if (!current) throw new Error(`rating ${ratingId} has no record`);
  const prevHash: string | null =
    current.last_seq === 0
      ? null
      : ((await trx('rating_events').where({ rating_id: ratingId, seq: current.last_seq }).first('hash'))?.hash ??
        null);
  const rows = chainLinks(ratingId, events, current.last_seq, prevHash).map((l) => ({ rating_id: ratingId, ...l }));
  if (rows.length === 0) return 0;
  await trx('rating_events').insert(rows);
  await trx('ratings')
    .where({ rating_id: ratingId })
    .update({ last_seq: rows.at(-1)!.seq, ...(state ? followUpColumns(state) : {}) });
  await upkeep?.finish();
  return rows.length;
}

/** Checks a rating's chain as `verifyCaseChain` checks a case's: order, links and every hash. */
export async function verifyRatingChain(db: Tx, ratingId: string): Promise<ChainVerdict> {
  return verifyChainRows(ratingId, await db('rating_events').where({ rating_id: ratingId }).orderBy('seq'));
}

/**
 * A rating's row with what its views show beside it, from the same query: the case's number (案号, for the readers
 * who may see the case: api/routes/rating-view.ts) and the name and role of the party who rated, as the case stores
 * them (masked for a child).
 */
export type RatingWithCase = RatingRow & { case_number: string; rater_name: string | null; rater_role: string | null };

/** Ratings joined to their case and the party who rated: one query for a list, never one per row. */
const ratingsWithCase = (db: Tx) =>
  db('ratings')
    .join('cases', 'cases.case_id', 'ratings.case_id')
    .leftJoin('case_parties', 'case_parties.party_id', 'ratings.party_id')
    .select('ratings.*', 'cases.case_number', 'case_parties.name as rater_name', 'case_parties.role as rater_role');

export async function ratingById(db: Tx, ratingId: string): Promise<RatingWithCase | undefined> {
  return ratingsWithCase(db).where('ratings.rating_id', ratingId).first();
}

export async function ratingOfParty(db: Tx, caseId: string, partyId: string): Promise<RatingRow | undefined> {
  return db('ratings').where({ case_id: caseId, party_id: partyId }).first();
}

/** The rating as given, from its row. */
export function ratingOf(row: RatingRow): Rating {
  const tags = (typeof row.tags === 'string' ? JSON.parse(row.tags) : row.tags) as Rating['tags'];
  return {
    ratingId: row.rating_id,
    caseId: row.case_id,
    partyId: row.party_id,
    level: row.level as RatingLevel,
    tags,
    text: row.text,
    channel: row.channel as Rating['channel'],
    mediatorAccountId: row.mediator_account_id,
    orgId: row.org_id,
    ratedAt: row.rated_at.toISOString(),
    ratedBy: { id: row.rated_by_id, role: 'party' },
  };
}

/** A 差评's follow-up as its workflow last recorded it; undefined for a rating that is not a 差评. */
export function storedFollowUp(row: RatingRow): RatingFollowUpState | undefined {
  if (row.follow_up === null || row.follow_up === undefined) return undefined;
  return (typeof row.follow_up === 'string' ? JSON.parse(row.follow_up) : row.follow_up) as RatingFollowUpState;
}

/** What rating needs of the case: its status, whom it would rate (its mediator and organization). */
export async function ratingSubject(
  db: Tx,
  caseId: string,
): Promise<{ status: string; caseNumber: string; mediatorAccountId: string | null; orgId: string | null } | undefined> {
  const c = await db('cases')
    .where({ case_id: caseId })
    .first('status', 'case_number', 'mediator_account_id', 'handling_org_id', 'intake_org_id');
  if (!c) return undefined;
  return {
    status: c.status,
    caseNumber: c.case_number,
    mediatorAccountId: c.mediator_account_id,
    orgId: c.handling_org_id ?? c.intake_org_id,
  };
}

/**
 * Ratings as a list, newest first: all, those of an organization, about a mediator, or given for a party; each with
 * its case's number and who rated, in the same query.
 */
export async function listRatings(
  db: Tx,
  scope: 'all' | { orgId: string } | { mediatorAccountId: string } | { partyId: string },
  opts: { negativeOnly?: boolean } = {},
): Promise<RatingWithCase[]> {
  const q = ratingsWithCase(db).orderBy('ratings.rated_at', 'desc').limit(200);
  if (scope !== 'all') {
    if ('orgId' in scope) q.where('ratings.org_id', scope.orgId);
    else if ('mediatorAccountId' in scope) q.where('ratings.mediator_account_id', scope.mediatorAccountId);
    else q.where('ratings.party_id', scope.partyId);
  }
  if (opts.negativeOnly) q.where('ratings.negative', true);
  return q;
}

/**
 * The 差评 that stand against a mediator or an organization, after any 申诉复核 (a rating excluded as mistaken or
 * malicious is left out): for the credit file (诚信档案, seed Art 57), oldest first.
 */
export async function confirmedNegativeRatingsAgainst(
  db: Tx,
  target: { kind: 'mediator' | 'organization'; id: string },
): Promise<{ ratingId: string; caseId: string; ratedAt: Date; level: RatingLevel }[]> {
  const column = target.kind === 'mediator' ? 'mediator_account_id' : 'org_id';
  const rows = await db('ratings')
    .where({ [column]: target.id, negative: true })
    .where((w) => w.whereNull('review_outcome').orWhere({ review_outcome: 'kept' }))
    .orderBy('rated_at');
  return rows.map((r) => ({
    ratingId: r.rating_id,
    caseId: r.case_id,
    ratedAt: r.rated_at,
    level: r.level as RatingLevel,
  }));
}

/** A rating that counts: not excluded by 申诉复核. */
const counted = (q: Knex.QueryBuilder) =>
  q.where((w) => w.whereNull('ratings.review_outcome').orWhere('ratings.review_outcome', 'kept'));

/**
 * 参评率 and 满意率 for a period [from, to) (docs/supervision.md#statistics), for the whole center or one
 * organization or mediator. `ratingRate`: of the cases concluded in the period, the share with at least one
 * counted rating ("not rated" stays not rated); `satisfactionRate`: (非常满意 + 满意) ÷ counted ratings given in
 * the period. Ratings excluded by 申诉复核 count nowhere but in `excluded`. Rates are null when nothing is counted.
 */
export async function ratingSummary(
  db: Tx,
  p: { from: Date; to: Date; orgId?: string; mediatorAccountId?: string },
): Promise<{
  concluded: number;
  ratedCases: number;
  ratingRate: number | null;
  ratings: number;
  satisfied: number;
  negative: number;
  satisfactionRate: number | null;
  excluded: number;
}> {
  const scope = (q: Knex.QueryBuilder, org: string, mediator: string) => {
    if (p.orgId) q.where(org, p.orgId);
    if (p.mediatorAccountId) q.where(mediator, p.mediatorAccountId);
    return q;
  };
  const concludedCases = scope(
    db('case_facts').where('concluded_at', '>=', p.from).where('concluded_at', '<', p.to).select('case_id'),
    'org_id',
    'mediator_account_id',
  );
  const concludedRow = await db.from(concludedCases.clone().as('c')).count({ n: '*' }).first();
  const ratedRow = await counted(db('ratings').whereIn('case_id', concludedCases))
    .countDistinct({ n: 'case_id' })
    .first();
  const concluded = Number(concludedRow?.n ?? 0);
  const rated = Number(ratedRow?.n ?? 0);
  const given = scope(
    db('ratings').where('rated_at', '>=', p.from).where('rated_at', '<', p.to),
    'ratings.org_id',
    'ratings.mediator_account_id',
  );
  const rows: { level: string; review_outcome: string | null }[] = await given.select('level', 'review_outcome');
  const kept = rows.filter((r) => r.review_outcome === null || r.review_outcome === 'kept');
  const satisfied = kept.filter((r) => SATISFIED_LEVELS.includes(r.level as RatingLevel)).length;
  return {
    concluded,
    ratedCases: rated,
    ratingRate: concluded === 0 ? null : rated / concluded,
    ratings: kept.length,
    satisfied,
    negative: kept.filter((r) => r.level === 'dissatisfied' || r.level === 'very_dissatisfied').length,
    satisfactionRate: kept.length === 0 ? null : satisfied / kept.length,
    excluded: rows.length - kept.length,
  };
}

// One-use links ----------------------------------------------------------------------------------------------

/** The parties of a case who are invited to rate: the principals with a phone, who have not rated. */
export async function partiesToInvite(db: Tx, caseId: string): Promise<{ partyId: string; phoneEnc: string }[]> {
  const rows = await db('case_parties')
    .where({ case_id: caseId })
    .whereIn('role', ['applicant', 'respondent', 'third_party'])
    .whereNotNull('phone_enc')
    .whereNotExists(
      db('ratings').whereRaw('ratings.case_id = case_parties.case_id AND ratings.party_id = case_parties.party_id'),
    )
    .select('party_id', 'phone_enc');
  return rows.map((r) => ({ partyId: r.party_id, phoneEnc: r.phone_enc! }));
}

/** Keeps a new link (its token's hash only), voiding the party's earlier unused ones: one live link per party. */
export async function saveRatingLink(
  db: Knex,
  link: { caseId: string; partyId: string; tokenHash: string; messageId: string; expiresAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx('rating_links')
      .where({ case_id: link.caseId, party_id: link.partyId })
      .whereNull('used_at')
      .whereNull('voided_at')
      .update({ voided_at: new Date() });
    await tx('rating_links').insert({
      link_id: randomUUID(),
      case_id: link.caseId,
      party_id: link.partyId,
      token_hash: link.tokenHash,
      message_id: link.messageId,
      expires_at: link.expiresAt,
    });
  });
}

export type LinkRefusal = 'unknown' | 'used' | 'expired';

/**
 * Uses a link up inside `tx` (locked, so two uses cannot race): the case and party it is for, or why not. The
 * caller records the rating in the same transaction, so a refused rating leaves the link unused.
 */
export async function useRatingLink(
  tx: Knex.Transaction,
  tokenHash: string,
  now: Date,
): Promise<{ ok: true; caseId: string; partyId: string } | { ok: false; refusal: LinkRefusal }> {
  const row = await tx('rating_links').where({ token_hash: tokenHash }).forUpdate().first();
  if (!row || row.voided_at) return { ok: false, refusal: 'unknown' };
  if (row.used_at) return { ok: false, refusal: 'used' };
  if (row.expires_at <= now) return { ok: false, refusal: 'expired' };
  await tx('rating_links').where({ link_id: row.link_id }).update({ used_at: now });
  return { ok: true, caseId: row.case_id, partyId: row.party_id };
}

/** The message that carried the party's live link, if any (a retried invitation sends no second text). */
export async function liveLinkMessage(db: Tx, caseId: string, partyId: string): Promise<string | undefined> {
  const row = await db('rating_links')
    .where({ case_id: caseId, party_id: partyId })
    .whereNull('voided_at')
    .orderBy('created_at', 'desc')
    .first('message_id');
  return row?.message_id;
}

// 回访 by sample ---------------------------------------------------------------------------------------------

/**
 * Draws a random sample of concluded cases (of an organization, or all for the supervisor) not drawn before,
 * and records each as a call-back to make.
 */
export async function drawCallbackSample(
  db: Knex,
  p: { orgId: string | null; drawnById: string; size: number; now: Date },
): Promise<CallbackWithCase[]> {
  const q = db('cases')
    .whereIn('status', CONCLUDED_STATUSES as string[])
    .whereNotExists(db('rating_callbacks').whereRaw('rating_callbacks.case_id = cases.case_id'))
    .orderByRaw('random()')
    .limit(p.size)
    .select('case_id', 'case_number', 'handling_org_id', 'intake_org_id');
  if (p.orgId) q.where((w) => w.where({ handling_org_id: p.orgId }).orWhere({ intake_org_id: p.orgId }));
  const cases = await q;
  const sampleId = randomUUID();
  const rows: RatingCallbackRow[] = cases.map((c) => ({
    callback_id: randomUUID(),
    sample_id: sampleId,
    case_id: c.case_id,
    // The organization whose clerks make the call (the one that drew it; for the supervisor, the case's).
    org_id: p.orgId ?? c.handling_org_id ?? c.intake_org_id,
    drawn_by_id: p.drawnById,
    drawn_at: p.now,
    outcome: null,
    level: null,
    note: null,
    recorded_by_id: null,
    recorded_at: null,
  }));
  if (rows.length > 0) await db('rating_callbacks').insert(rows);
  return rows.map((row, i) => ({ ...row, case_number: cases[i]!.case_number }));
}

/** A call-back's row with its case's number (案号), which the clerk reads the list by. */
export type CallbackWithCase = RatingCallbackRow & { case_number: string };

/** Call-backs joined to their case: one query for a list, never one per row. */
const callbacksWithCase = (db: Tx) =>
  db('rating_callbacks')
    .join('cases', 'cases.case_id', 'rating_callbacks.case_id')
    .select('rating_callbacks.*', 'cases.case_number');

export async function callbackById(db: Tx, callbackId: string): Promise<CallbackWithCase | undefined> {
  return callbacksWithCase(db).where('rating_callbacks.callback_id', callbackId).first();
}

/** Records what a call-back found, once (a second record changes nothing and says so). */
export async function recordCallback(
  db: Tx,
  callbackId: string,
  r: { outcome: CallbackOutcome; level: RatingLevel | null; note: string | null; recordedById: string; at: Date },
): Promise<RatingCallbackRow | undefined> {
  const [row] = await db('rating_callbacks')
    .where({ callback_id: callbackId })
    .whereNull('recorded_at')
    .update({ outcome: r.outcome, level: r.level, note: r.note, recorded_by_id: r.recordedById, recorded_at: r.at })
    .returning('*');
  return row;
}

/** The call-backs to make and made: an organization's (a clerk), or all (the supervisor), newest first. */
export async function listCallbacks(db: Tx, scope: 'all' | { orgId: string }): Promise<CallbackWithCase[]> {
  const q = callbacksWithCase(db).orderBy('rating_callbacks.drawn_at', 'desc').limit(200);
  if (scope !== 'all') q.where('rating_callbacks.org_id', scope.orgId);
  return q;
}
