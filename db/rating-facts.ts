/**
 * The ratings' part of the counts' rollups (db/case-facts-monthly.ts; docs/supervision.md#statistics): 满意率 and 参评率
 * read whole months from them, so a rating written, or its 申诉复核 outcome recorded (a rating excluded counts nowhere),
 * moves its case's contribution in the same transaction: the contribution before, the write, the contribution after.
 *
 * Serialized per case on the case row, locked first as appendCaseEvents (db/cases.ts) and saveCaseFacts's callers lock
 * it: two parties rating one case at once would otherwise both find it not yet rated and both count it in 参评率, and
 * a rating written while the case's facts move would be counted from a row about to change. Taken before the rating
 * row is written or locked, so every writer takes the case row, then the rating, then the rollups' rows (in key order),
 * and none waits on another crosswise. (Inserting a rating takes a key-share lock on the case row for its foreign key;
 * upgrading that later to an update lock is what would deadlock two concurrent ratings of one case.)
 */
import type { Knex } from 'knex';
import { caseContribution, moveContribution } from './case-facts-monthly.js';

/** The rollup's move to finish once the rating is written. */
export type RatingUpkeep = { finish: () => Promise<void> };

/** Locks the case row (as appendCaseEvents does) and notes the case's contribution before a rating of it is written. */
export async function beginRatingUpkeep(trx: Knex.Transaction, caseId: string): Promise<RatingUpkeep> {
  await trx('cases').where({ case_id: caseId }).forUpdate().first('case_id');
  const before = await caseContribution(trx, caseId);
  return { finish: async () => moveContribution(trx, before, await caseContribution(trx, caseId)) };
}

const NOTHING: RatingUpkeep = { finish: async () => undefined };

/**
 * The same for a stored rating whose follow-up moves to a state with this 申诉复核 outcome (null: none yet): by the
 * rating's case, and only when the outcome changes (the rest of a follow-up counts nowhere in the statistics).
 */
export async function beginReviewUpkeep(
  trx: Knex.Transaction,
  ratingId: string,
  outcome: string | null,
): Promise<RatingUpkeep> {
  // A rating's case never changes, and its outcome only by its own follow-up (one writer): read without a lock,
  // which comes next, on the case row first.
  const rating = await trx('ratings').where({ rating_id: ratingId }).first('case_id', 'review_outcome');
  if (!rating || rating.review_outcome === outcome) return NOTHING;
  return beginRatingUpkeep(trx, rating.case_id);
}
