/**
 * The rating's words for the portal (docs/supervision.md#ratings; the 政务服务"好差评" pattern): the five levels
 * and the tags as the API takes them (api/routes/rating-view.ts `rateBody`), each in plain Chinese, typed by the
 * generated client so that a new level or tag fails the typecheck until it is named here.
 */
import type { CaseView } from '../../../api/client';
import type { paths } from '../../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type RateBody = NonNullable<
  paths['/cases/{caseId}/ratings']['post']['requestBody']
>['content']['application/json'];
export type RatingView = Json<paths['/cases/{caseId}/ratings']['post']['responses'][201]>;
export type RatingLevel = RateBody['level'];
export type RatingTag = NonNullable<RateBody['tags']>[number];

/** Best first, as the 好差评 form lists them (domain/ratings.ts RATING_LEVELS); the last two are 差评. */
export const RATING_LEVEL_LABELS: Record<RatingLevel, string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};

/** The 好差评 evaluation items, in the center's words (domain/ratings.ts RATING_TAGS). */
export const RATING_TAG_LABELS: Record<RatingTag, string> = {
  attitude: '服务态度',
  efficiency: '办理效率',
  fairness: '公正公平',
  professionalism: '专业水平',
  explanation: '解释说明清楚',
  convenience: '便民程度',
  result: '化解结果',
  other: '其他',
};

/**
 * The statuses in which a case has concluded, 不予受理 and 终止 included (domain/ratings.ts CONCLUDED_STATUSES):
 * only then is the invitation to rate shown. The server decides; this only keeps the card off an open case.
 */
const CONCLUDED: readonly CaseView['status'][] = [
  'NOT_ACCEPTED',
  'AGREEMENT_EFFECTIVE',
  'PERFORMED',
  'ENFORCEMENT_ADVISED',
  'TERMINATED',
  'RETURNED_TO_COURT',
  'CLOSED_ARCHIVED',
];
export const isConcluded = (status: CaseView['status']): boolean => CONCLUDED.includes(status);

/** Whether the server offers this party the one 追评 on the center's answer to their 差评. */
export const offersFollowUp = (r: RatingView): boolean => r.actions.includes('add_follow_up');

/** What happens after a 差评 (揭阳市政务服务"好差评"实施细则, revised 2026-01-20), said before the party chooses. */
export const NEGATIVE_FOLLOW_UP =
  '选择“不满意”或“非常不满意”的，中心会在 1 个工作日内回访核实，15 个工作日内整改或说明并答复您；答复后您还可以追加一次评价。';
