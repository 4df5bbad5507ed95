/** The ratings' operations, for the OpenAPI catalogue (api/openapi.ts); docs/supervision.md#ratings. */
import type { Operation } from './openapi.js';
import { CASE_ACTIONS } from '../domain/access-policy.js';
import type { RatingFollowUpCommandType } from '../domain/ratings.js';
import {
  CALLBACK_ROLES,
  RATING_READER_ROLES,
  RATING_ACTION_ROUTES,
  callbackRecordBody,
  rateBody,
  rateByLinkBody,
  ratingRolesOf,
  sampleBody,
} from './routes/rating-view.js';

const NOT_VISIBLE =
  'no rating with this id that I may read (the party who rated, the rated mediator, the case’s clerks and the supervisor read it)';
const CONFLICT =
  'the rating is not a 差评, its follow-up is not in a state that allows this or is closed; or the Idempotency-Key was used with another body or is still in progress';
const RATED =
  'A case is rated once it has concluded (不予受理 and 终止 included), once per party (422 case_not_concluded, already_rated). A 差评 (不满意, 非常不满意) starts its follow-up: call back within 1 working day, fix or explain and answer within 15 working days (揭阳市政务服务"好差评"实施细则, revised 2026-01-20).';

const ACTION_DESCRIPTIONS: Record<RatingFollowUpCommandType, string> = {
  call_back:
    'The supervisor or a clerk of the case’s organization records the call-back to the party who gave the 差评 (回访核实), whether they were reached and what they said; the call-back clock stops. Only while AWAITING_CALLBACK.',
  record_fix: 'Records what was fixed (整改) or explained (解释说明) about the 差评. Only while CALLED_BACK.',
  answer:
    'Answers the party with the result (反馈); the fix-or-explain clock stops and the party may give one 追评. Only while FIXED.',
  add_follow_up:
    'The party who rated gives one follow-up rating (追评) on the answer; the follow-up closes. Only while ANSWERED; a second is refused (422 follow_up_already_given).',
  request_review:
    'The rated mediator asks for a review (申诉复核) of a mistaken or malicious 差评, with reasons; once (422 review_already_requested). The follow-up goes on meanwhile.',
  decide_review:
    'The supervisor decides the review: the rating is kept, or excluded as mistaken or malicious (it then counts in no statistics or credit file, and its follow-up ends).',
  clock_expired: '',
};

function ratingAction(path: string, type: RatingFollowUpCommandType, body: Operation['body']): Operation {
  return {
    method: 'post',
    path: `/ratings/{ratingId}/${path}`,
    summary: type.replace(/_/g, ' '),
    description: ACTION_DESCRIPTIONS[type],
    tag: 'ratings',
    auth: 'session',
    roles: ratingRolesOf(type),
    ...(body ? { body } : {}),
    idempotent: true,
    asksCase: true,
    refusals: {
      403: 'the role may not do this, or a party who did not give this rating, or a mediator it is not about',
      404: NOT_VISIBLE,
      409: CONFLICT,
    },
  };
}

export const RATING_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/cases/{caseId}/ratings',
    summary: 'rate my concluded case',
    description: `A party (a guardian or agent for the party they act for) rates the service on their case in the portal: the level, tags and text. Real-name, never shown to third parties: the rated mediator reads the level and text only. ${RATED}`,
    tag: 'ratings',
    auth: 'session',
    roles: CASE_ACTIONS.rateCase,
    body: rateBody,
    success: { status: 201, description: 'the rating, with its follow-up when it is a 差评' },
    refusals: { 403: 'a role that does not rate', 422: 'the case has not concluded, or this party rated it already' },
  },
  {
    method: 'post',
    path: '/rating-links/rating',
    summary: 'rate a concluded case through the texted link',
    description: `Without a login: the one-use link texted to each party when the case concluded carries a token that names the case and the party; it works once. ${RATED}`,
    tag: 'ratings',
    auth: 'none',
    body: rateByLinkBody,
    success: { status: 201, description: 'the rating, with its follow-up when it is a 差评' },
    refusals: {
      404: 'no such link (or one replaced by a newer text)',
      409: 'the link was used, or it has expired',
      422: 'the case has not concluded, or this party rated it already',
    },
  },
  {
    method: 'get',
    path: '/ratings',
    summary: 'the ratings I may read',
    description:
      'The supervisor: every rating; a clerk: their organization’s cases’; a mediator: those about them (level, tags, text, never who rated); a party: their own. Newest first.',
    tag: 'ratings',
    auth: 'session',
    roles: RATING_READER_ROLES,
    refusals: { 403: 'a role that reads no ratings' },
  },
  {
    method: 'get',
    path: '/rating-follow-ups',
    summary: 'the 差评 follow-ups, with their clocks',
    description:
      'The 差评 and their follow-up: status, each clock with its rule, source and computation, the clocks run out (overdue), and the actions I may take now. The supervisor: all; a clerk: their organization’s; a mediator: those about them, without who rated.',
    tag: 'ratings',
    auth: 'session',
    roles: ['mediator', 'clerk', 'supervisor'],
    refusals: { 403: 'a party or an institution' },
  },
  {
    method: 'get',
    path: '/ratings/{ratingId}',
    summary: 'a rating, as I may read it',
    description:
      'The rating and its follow-up, as this reader may see it: the rated mediator never learns who rated or on which case; the party who rated does not read the internal call-back notes or the review.',
    tag: 'ratings',
    auth: 'session',
    roles: RATING_READER_ROLES,
    refusals: { 404: NOT_VISIBLE },
  },
  ...Object.entries(RATING_ACTION_ROUTES).map(([path, spec]) => ratingAction(path, spec.type, spec.body)),
  {
    method: 'post',
    path: '/rating-callbacks/samples',
    summary: 'draw a random 回访 sample',
    description:
      'A clerk draws a random sample of their organization’s concluded cases not drawn before (the supervisor: of all), each a call-back to make (回访).',
    tag: 'ratings',
    auth: 'session',
    roles: CALLBACK_ROLES,
    body: sampleBody,
    success: { status: 201, description: 'the call-backs drawn (fewer than asked when fewer cases are left)' },
    refusals: { 403: 'a role that makes no call-backs' },
  },
  {
    method: 'get',
    path: '/rating-callbacks',
    summary: 'the 回访 call-backs to make and made',
    description: 'A clerk: their organization’s; the supervisor: all. Newest first.',
    tag: 'ratings',
    auth: 'session',
    roles: CALLBACK_ROLES,
    refusals: { 403: 'a role that makes no call-backs' },
  },
  {
    method: 'post',
    path: '/rating-callbacks/{callbackId}',
    summary: 'record what a 回访 call-back found',
    description:
      'Whether the party was reached, and the satisfaction they gave (only when reached: 422 level_without_contact); recorded once (409).',
    tag: 'ratings',
    auth: 'session',
    roles: CALLBACK_ROLES,
    body: callbackRecordBody,
    refusals: {
      403: 'a role that makes no call-backs',
      404: 'no call-back with this id in my scope',
      409: 'the call-back was recorded already',
      422: 'a level without contact',
    },
  },
];
