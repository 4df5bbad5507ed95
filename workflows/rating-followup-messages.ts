/**
 * The 差评 follow-up workflow's public contract (as workflows/complaint-messages.ts is a complaint's): its type, its
 * id, its input and its messages. The API and the tests import these constants; no message name is written anywhere
 * else.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Rating, RatingFollowUpCommand, RatingFollowUpState } from '../domain/ratings.js';

export const RATING_FOLLOW_UP_WORKFLOW_TYPE = 'ratingFollowUp';

/** One workflow per 差评: starting the same rating's follow-up twice finds the first. */
export function ratingFollowUpWorkflowId(ratingId: string): string {
  return `rating-followup-${ratingId}`;
}

/** A 差评 as recorded (its first event is in its chain already). */
export type RatingFollowUpInput = { rating: Rating };

/** What people ask of a follow-up: every command but the workflow's own timers. */
export type RatingFollowUpAction = Exclude<RatingFollowUpCommand, { type: 'clock_expired' }>;

/** Answers once the follow-up's clocks run (what POST …/ratings waits for). */
export const awaitFollowUpStartedUpdate = defineUpdate<RatingFollowUpState, []>('awaitRatingFollowUpStarted');
/** A person's action; the validator refuses with the rule's reason (never entering history). */
export const ratingFollowUpActionUpdate = defineUpdate<RatingFollowUpState, [RatingFollowUpAction]>(
  'ratingFollowUpAction',
);
export const ratingFollowUpStateQuery = defineQuery<RatingFollowUpState>('ratingFollowUpState');
