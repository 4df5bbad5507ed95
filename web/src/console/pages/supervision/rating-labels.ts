/**
 * Ratings and credit files in Chinese for the console (docs/supervision.md#ratings, #credit-files; domain/ratings.ts,
 * domain/credit.ts): the shapes the screens read, the tags, the follow-up's actions and where each is sent, the
 * credit entries' kinds, sources and disclosure windows, and a clock's time left in words. The API sends each
 * rating's level, status and clock labels itself; these are for the codes the answers carry bare and for the forms.
 */
import type { paths } from '../../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type RatingView = Json<paths['/ratings/{ratingId}']['get']['responses'][200]>;
export type RatingFollowUp = NonNullable<RatingView['followUp']>;
export type RatingClock = NonNullable<RatingFollowUp['clocks']>[number];
export type CallbackView = Json<paths['/rating-callbacks']['get']['responses'][200]>['callbacks'][number];
export type CreditFile = Json<paths['/credit/mediators/{mediatorId}']['get']['responses'][200]>;
export type CreditEntry = CreditFile['entries'][number];
export type CreditEntryBody = NonNullable<
  paths['/credit/mediators/{mediatorId}/entries']['post']['requestBody']
>['content']['application/json'];

/** The five levels of 好差评 (domain/ratings.ts RATING_LEVELS); the last two are 差评. */
export const RATING_LEVEL_LABELS: Record<RatingView['level'], string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};

export const RATING_TAG_LABELS: Record<RatingView['tags'][number], string> = {
  attitude: '服务态度',
  efficiency: '办理效率',
  fairness: '公正公平',
  professionalism: '专业水平',
  explanation: '解释说明清楚',
  convenience: '便民程度',
  result: '化解结果',
  other: '其他',
};

export const RATING_CHANNEL_LABELS: Record<string, string> = { portal: '当事人门户', sms_link: '短信链接' };

export const FIX_KIND_LABELS: Record<string, string> = { fixed: '已整改', explained: '已解释说明' };

/** 申诉复核's outcomes (domain/ratings.ts REVIEW_OUTCOMES). */
export const REVIEW_OUTCOME_LABELS: Record<string, string> = {
  kept: '维持评价',
  excluded_mistaken: '误评，不计入',
  excluded_malicious: '恶意差评，不计入',
};

/** What a random 回访 found (domain/ratings.ts CALLBACK_OUTCOMES). */
export const CALLBACK_OUTCOME_LABELS: Record<string, string> = {
  reached: '已回访',
  unreachable: '无法联系',
  declined: '当事人拒绝回访',
};

/**
 * The follow-up's commands the console offers (the rating's `actions`), each with its path under
 * /ratings/{ratingId} (api/routes/rating-view.ts RATING_ACTION_ROUTES) and its name on the button. The party's
 * 追评 is given in the portal.
 */
export const RATING_ACTIONS: Record<string, { path: string; name: string }> = {
  call_back: { path: 'callback', name: '记录回访核实' },
  record_fix: { path: 'fix', name: '记录整改或说明' },
  answer: { path: 'answer', name: '反馈当事人' },
  request_review: { path: 'review-request', name: '申请申诉复核' },
  decide_review: { path: 'review-decision', name: '作出复核决定' },
};

/** The levels of the versioned rule (domain/credit.ts CREDIT_LEVELS). */
export const CREDIT_LEVEL_LABELS: Record<string, string> = {
  A: '优秀',
  B: '良好',
  C: '合格',
  D: '警示',
  unrated: '暂不评级',
};

export const CREDIT_SUBJECT_LABELS: Record<string, string> = { mediator: '调解员', organization: '调解组织' };

/** The kinds the supervisor records by hand (domain/credit.ts RECORDED_ENTRY_KINDS). */
export const RECORDED_ENTRY_KIND_LABELS: Record<CreditEntryBody['kind'], string> = {
  qualification: '资质',
  training: '培训',
  commendation: '表扬奖励',
  sanction: '处罚惩戒',
};

/** Where an entry came from (domain/credit.ts CreditEntry.source). */
export const CREDIT_SOURCE_LABELS: Record<CreditEntry['source']['kind'], string> = {
  complaint: '投诉处理决定（投诉属实）',
  rating: '差评跟进办结（差评核实）',
  recorded: '司法行政部门录入',
  evaluation: '按评级规则计算',
};

/** The disclosure windows (domain/credit.ts DISCLOSURE_RULES): the choice in the form. */
export const DISCLOSURE_LABELS: Record<NonNullable<CreditEntryBody['disclosure']>, string> = {
  institution_adverse: '机构不良记录公示期（3 年）',
  individual_adverse: '个人不良记录查询期（5 年）',
  commendation: '表扬奖励信用激励期（3 年）',
  internal: '不对外公开',
};

export const DISCLOSURE_STATUS_LABELS: Record<CreditEntry['disclosure']['status'], string> = {
  internal: '不对外公开',
  not_yet: '尚未开始公示',
  inside: '公示中',
  expired: '公示期已满（不再公开，档案内保留）',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span of at least a minute in the largest whole unit a person reads at a glance: 3 天, 5 小时, 12 分钟. */
function span(ms: number): string {
  if (ms >= DAY) return `${Math.floor(ms / DAY)} 天`;
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)} 小时`;
  return `${Math.floor(ms / MINUTE)} 分钟`;
}

/** How long is left until a due time, or how long it is overdue, in words (never in colour alone). */
export function timeLeft(dueIso: string, now = Date.now()): { overdue: boolean; text: string } {
  const ms = Date.parse(dueIso) - now;
  if (ms > 0) return { overdue: false, text: ms < MINUTE ? '即将到期（不足 1 分钟）' : `剩 ${span(ms)}` };
  return { overdue: true, text: -ms < MINUTE ? '刚刚超期' : `已超期 ${span(-ms)}` };
}

/** A rate (0..1) as a percentage, — for none. */
export const formatRate = (r: number | null | undefined): string =>
  r === null || r === undefined ? '—' : `${Math.round(r * 1000) / 10}%`;
