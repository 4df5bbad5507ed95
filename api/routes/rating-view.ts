/**
 * What the rating routes take and give: the request bodies, and a rating as each reader may see it
 * (domain/ratings.ts `ratingReader`): the supervisor and the case's clerks in full, the party who rated without the
 * internal call-back notes and review, the rated mediator the level, tags and text and what became of them, never
 * who rated (real-name, never shown to third parties: docs/supervision.md#ratings).
 */
import { z } from 'zod';
import type { Actor } from '../../domain/case.js';
import { chinaDateOf } from '../../domain/calendar.js';
import {
  CALLBACK_OUTCOMES,
  FIX_KINDS,
  FOLLOW_UP_RULES,
  FOLLOW_UP_STATUSES,
  MAX_SAMPLE_SIZE,
  RATING_CHANNELS,
  RATING_CLOCKS,
  RATING_LEVELS,
  RATING_TAGS,
  REVIEW_OUTCOMES,
  followUpActionsFor,
  isNegative,
  type Rating,
  type RatingFollowUpCommandType,
  type RatingFollowUpState,
  type RatingReader,
} from '../../domain/ratings.js';
import { overdueClockIds } from '../../domain/process-clocks.js';
import type { CallbackWithCase } from '../../db/ratings.js';
import { clockSchema as clockSchemaOf, clockViews, instant, keys, presentTo, text } from './reader-views.js';

// Requests ------------------------------------------------------------------------------------------------

export const rateBody = z.strictObject({
  level: z.enum(keys(RATING_LEVELS)).describe('非常满意, 满意, 基本满意, 不满意, 非常不满意 (the last two are 差评)'),
  tags: z
    .array(z.enum(keys(RATING_TAGS)))
    .max(8)
    .default([]),
  text: text(2000).optional(),
});
export type RateBody = z.output<typeof rateBody>;

/** Rating through the link texted when the case concluded: the token from the link, then the rating. */
export const rateByLinkBody = rateBody.extend({
  token: z.string().min(10).max(200).describe('the token the texted link carries'),
});

/** Each follow-up action's path under /ratings/{ratingId}, its command and its body. */
export const RATING_ACTION_ROUTES = {
  callback: {
    type: 'call_back',
    body: z.strictObject({ reached: z.boolean(), note: text(2000) }),
  },
  fix: { type: 'record_fix', body: z.strictObject({ kind: z.enum(keys(FIX_KINDS)), text: text(5000) }) },
  answer: { type: 'answer', body: z.strictObject({ text: text(5000) }) },
  'follow-up': {
    type: 'add_follow_up',
    body: z.strictObject({ level: z.enum(keys(RATING_LEVELS)), text: text(2000).optional() }),
  },
  'review-request': { type: 'request_review', body: z.strictObject({ reason: text(2000) }) },
  'review-decision': {
    type: 'decide_review',
    body: z.strictObject({ outcome: z.enum(keys(REVIEW_OUTCOMES)), reasons: text(2000) }),
  },
} as const satisfies Record<string, { type: RatingFollowUpCommandType; body: z.ZodType }>;

/** The roles that keep the 回访 samples: the clerks (their organization's cases) and the supervisor (all). */
export const CALLBACK_ROLES = ['clerk', 'supervisor'] as const;
/** The roles that read ratings: the party who rated, the rated mediator, the clerks, the supervisor. */
export const RATING_READER_ROLES = ['party', 'mediator', 'clerk', 'supervisor'] as const;

export const ratingRolesOf = (type: RatingFollowUpCommandType) => FOLLOW_UP_RULES[type].roles;

export const sampleBody = z.strictObject({ size: z.number().int().min(1).max(MAX_SAMPLE_SIZE) });
export const callbackRecordBody = z.strictObject({
  outcome: z.enum(keys(CALLBACK_OUTCOMES)),
  level: z.enum(keys(RATING_LEVELS)).optional().describe('the satisfaction the party gave on the phone, when reached'),
  note: text(2000).optional(),
});

// Answers -------------------------------------------------------------------------------------------------

const clockIds = keys(RATING_CLOCKS);
const clockSchema = clockSchemaOf(clockIds);
const reviewSchema = z.object({
  outcome: z.enum(keys(REVIEW_OUTCOMES)).nullable(),
  outcomeLabel: z.string().nullable(),
  requestedAt: instant,
  decidedAt: instant.nullable(),
  reason: z.string().optional(),
  reasons: z.string().nullable().optional(),
});

export const ratingViewSchema = z.object({
  ratingId: z.string(),
  level: z.enum(keys(RATING_LEVELS)),
  levelLabel: z.string(),
  negative: z.boolean(),
  tags: z.array(z.enum(keys(RATING_TAGS))),
  text: z.string().nullable(),
  /** The rated mediator sees the day only. */
  ratedOn: z.string(),
  /** Not for the rated mediator: the case and who rated. */
  caseId: z.string().optional(),
  caseNumber: z.string().optional().describe('案号, beside caseId (not for the rated mediator)'),
  ratedAt: instant.optional(),
  channel: z.enum(keys(RATING_CHANNELS)).optional(),
  rater: z.object({ partyId: z.string(), name: z.string().optional(), role: z.string().optional() }).optional(),
  followUp: z
    .object({
      status: z.enum(keys(FOLLOW_UP_STATUSES)),
      statusLabel: z.string(),
      callback: z.object({ reached: z.boolean(), note: z.string(), at: instant }).nullable().optional(),
      fix: z.object({ kind: z.enum(keys(FIX_KINDS)), text: z.string(), at: instant }).nullable(),
      answer: z.object({ text: z.string(), at: instant }).nullable(),
      followUp: z.object({ level: z.enum(keys(RATING_LEVELS)), text: z.string().nullable(), at: instant }).nullable(),
      review: reviewSchema.nullable().optional(),
      clocks: z.array(clockSchema).optional(),
      overdue: z.array(z.enum(clockIds)).optional(),
    })
    .nullable(),
  actions: z.array(z.string()),
});
export type RatingView = z.infer<typeof ratingViewSchema>;

export const callbackViewSchema = z.object({
  callbackId: z.string(),
  sampleId: z.string(),
  caseId: z.string(),
  caseNumber: z.string().describe('案号'),
  drawnAt: instant,
  outcome: z.enum(keys(CALLBACK_OUTCOMES)).nullable(),
  outcomeLabel: z.string().nullable(),
  level: z.enum(keys(RATING_LEVELS)).nullable(),
  note: z.string().nullable(),
  recordedAt: instant.nullable(),
});

/** Keyed as api/responses.ts keys them: `<method> <OpenAPI path>`. */
export const RATING_RESPONSES: Record<string, z.ZodType> = {
  'post /cases/{caseId}/ratings': ratingViewSchema,
  'post /rating-links/rating': ratingViewSchema,
  'get /ratings': z.object({ ratings: z.array(ratingViewSchema) }),
  'get /rating-follow-ups': z.object({ ratings: z.array(ratingViewSchema) }),
  'get /ratings/{ratingId}': ratingViewSchema,
  ...Object.fromEntries(
    Object.keys(RATING_ACTION_ROUTES).map((path) => [`post /ratings/{ratingId}/${path}`, ratingViewSchema]),
  ),
  'post /rating-callbacks/samples': z.object({ callbacks: z.array(callbackViewSchema) }),
  'get /rating-callbacks': z.object({ callbacks: z.array(callbackViewSchema) }),
  'post /rating-callbacks/{callbackId}': callbackViewSchema,
};

// The view ------------------------------------------------------------------------------------------------

const reviewOf = (s: RatingFollowUpState, withReasons: boolean) =>
  s.review && {
    outcome: s.review.outcome,
    outcomeLabel: s.review.outcome ? REVIEW_OUTCOMES[s.review.outcome] : null,
    requestedAt: s.review.requestedAt,
    decidedAt: s.review.decidedAt,
    ...(withReasons ? { reason: s.review.reason, reasons: s.review.reasons } : {}),
  };

type FollowUpView = NonNullable<RatingView['followUp']>;

/**
 * The follow-up as this reader may see it: the party who rated reads what was done and answered, not the internal
 * call-back notes or the mediator's review; the rated mediator their own review, not the call-back or the staff's
 * clocks; the staff all of it.
 */
function followUpView(s: RatingFollowUpState | undefined, reader: RatingReader, now: Date): RatingView['followUp'] {
  if (!s) return null;
  const everyone: FollowUpView = {
    status: s.status,
    statusLabel: FOLLOW_UP_STATUSES[s.status],
    fix: s.fix && { kind: s.fix.kind, text: s.fix.text, at: s.fix.at },
    answer: s.answer && { text: s.answer.text, at: s.answer.at },
    followUp: s.followUp,
  };
  return presentTo<RatingReader, FollowUpView>(reader, everyone, [
    {
      readers: ['full'],
      fields: () => ({
        callback: s.callback && { reached: s.callback.reached, note: s.callback.note, at: s.callback.at },
      }),
    },
    { readers: ['full', 'rated'], fields: () => ({ review: reviewOf(s, true) }) },
    {
      readers: ['full'],
      fields: () => ({ clocks: clockViews(s.clocks, RATING_CLOCKS), overdue: overdueClockIds(s, now) }),
    },
  ]);
}

/** What the rating's row holds beside it (db/ratings.ts RatingWithCase): the case's number, who rated. */
export type RatingContext = { caseNumber?: string; rater?: { name: string; role: string } };

/**
 * A rating as this reader may see it, with the actions this person may take now. The rated mediator never reads
 * who rated, nor the case that would tell (its id or number); `rater` names the party for the full reader only (the
 * name as the case stores it: masked for a child).
 */
export function ratingView(
  r: Rating,
  followUp: RatingFollowUpState | undefined,
  reader: RatingReader,
  actor: Actor,
  now: Date,
  { caseNumber, rater }: RatingContext = {},
): RatingView {
  const everyone: RatingView = {
    ratingId: r.ratingId,
    level: r.level,
    levelLabel: RATING_LEVELS[r.level],
    negative: isNegative(r.level),
    tags: r.tags,
    text: r.text,
    ratedOn: chinaDateOf(r.ratedAt),
    followUp: followUpView(followUp, reader, now),
    actions: followUp ? followUpActionsFor(actor, followUp) : [],
  };
  const rated = { caseId: r.caseId, ...(caseNumber ? { caseNumber } : {}), ratedAt: r.ratedAt, channel: r.channel };
  return presentTo<RatingReader, RatingView>(reader, everyone, [
    { readers: ['rater'], fields: () => ({ ...rated, rater: { partyId: r.partyId } }) },
    { readers: ['full'], fields: () => ({ ...rated, rater: { partyId: r.partyId, ...rater } }) },
  ]);
}

export function callbackView(row: CallbackWithCase) {
  return {
    callbackId: row.callback_id,
    sampleId: row.sample_id,
    caseId: row.case_id,
    caseNumber: row.case_number,
    drawnAt: row.drawn_at.toISOString(),
    outcome: row.outcome as keyof typeof CALLBACK_OUTCOMES | null,
    outcomeLabel: row.outcome ? CALLBACK_OUTCOMES[row.outcome as keyof typeof CALLBACK_OUTCOMES] : null,
    level: row.level as keyof typeof RATING_LEVELS | null,
    note: row.note,
    recordedAt: row.recorded_at ? row.recorded_at.toISOString() : null,
  };
}
