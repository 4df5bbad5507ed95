/**
 * Ratings of the service (seed Art 59; the 政务服务"好差评" pattern; docs/supervision.md#ratings): their vocabulary,
 * the 差评 follow-up's clocks as data rows with their sources, and the rules as pure functions: `checkNewRating`
 * (one rating per party per concluded case) and `decideRatingFollowUp(state, command, now)`, which returns the new
 * state with the events to record and the clocks to start or stop, or a refusal with a code. The follow-up's own
 * workflow (workflows/rating-followup.ts) applies it; the API never decides anything. Free text (the rating's,
 * the call-back's, the answer's) stays in the state and the projection: the hash-chained events carry only codes.
 */
import type { Actor, CaseEvent, CaseStatus } from './case.js';
import type { Refusal } from './case-state.js';
import type { HolidayCalendar } from './calendar.js';
import {
  clocksExpired,
  computeProcessClock,
  countedClock,
  type ComputedProcessClock,
  type ProcessClock,
  type ProcessClockRule,
  type UncomputableClock,
} from './process-clocks.js';

/** The five levels of 好差评; the last two are 差评. */
export const RATING_LEVELS = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
} as const;
export type RatingLevel = keyof typeof RATING_LEVELS;
export const NEGATIVE_LEVELS: readonly RatingLevel[] = ['dissatisfied', 'very_dissatisfied'];
/** 满意率 counts these (docs/supervision.md#statistics: (非常满意 + 满意) ÷ ratings). */
export const SATISFIED_LEVELS: readonly RatingLevel[] = ['very_satisfied', 'satisfied'];
export const isNegative = (level: RatingLevel): boolean => NEGATIVE_LEVELS.includes(level);

/** What a party may tick beside the level (the 好差评 evaluation items, in this center's words). */
export const RATING_TAGS = {
  attitude: '服务态度',
  efficiency: '办理效率',
  fairness: '公正公平',
  professionalism: '专业水平',
  explanation: '解释说明清楚',
  convenience: '便民程度',
  result: '化解结果',
  other: '其他',
} as const;
export type RatingTag = keyof typeof RATING_TAGS;

/** How a rating came in: the party's portal login, or the one-use link texted when the case concluded. */
export const RATING_CHANNELS = { portal: '当事人门户', sms_link: '短信链接' } as const;
export type RatingChannel = keyof typeof RATING_CHANNELS;

/**
 * The case statuses in which a case has concluded and its parties may rate: 不予受理 and 终止 included
 * (docs/supervision.md#ratings), an agreement in effect and everything after it.
 */
export const CONCLUDED_STATUSES: readonly CaseStatus[] = [
  'NOT_ACCEPTED',
  'AGREEMENT_EFFECTIVE',
  'PERFORMED',
  'ENFORCEMENT_ADVISED',
  'TERMINATED',
  'RETURNED_TO_COURT',
  'CLOSED_ARCHIVED',
];
export const isConcluded = (status: CaseStatus): boolean => CONCLUDED_STATUSES.includes(status);
/** The case events that conclude it (domain/statistics.ts dates 结案 by the same ones): the parties are invited to rate. */
export const CONCLUDING_EVENT_TYPES: readonly string[] = [
  'CaseNotAccepted',
  'MediationTerminated',
  'AgreementEffective',
];
/** How long the one-use link texted at conclusion stays valid (本中心设定, configurable). */
export const RATING_LINK_VALID_DAYS = 30;

// Clocks ---------------------------------------------------------------------------------------------------

/** The local rule that sets the numbers (docs/supervision.md#ratings). */
export const LOCAL_RULE = '揭阳市政务服务"好差评"实施细则（2026年1月20日修订）';
const NATIONAL = '参照国务院办公厅关于建立政务服务"好差评"制度提高政务服务水平的意见（国办发〔2019〕51号）';

export type RatingClockId = 'rating_callback' | 'rating_rectification' | 'rating_follow_up';
export type RatingClockRule = ProcessClockRule<RatingClockId, 'rating' | 'answer'>;

/**
 * The 差评 follow-up's clocks, configurable rows with their source. Both the call-back and the fix-or-explain
 * period count from the day the 差评 was given; the follow-up rating window is this center's own.
 */
export const RATING_CLOCKS: Record<RatingClockId, RatingClockRule> = {
  rating_callback: {
    id: 'rating_callback',
    label: '差评回访核实',
    length: 1,
    unit: 'working_days',
    startsAt: 'rating',
    pauses: null,
    extension: null,
    onExpiry: "overdue: shown in the supervisor's follow-up list until the party is called back",
    citation: `${LOCAL_RULE}；${NATIONAL}`,
  },
  rating_rectification: {
    id: 'rating_rectification',
    label: '差评整改或说明并反馈',
    length: 15,
    unit: 'working_days',
    startsAt: 'rating',
    pauses: null,
    extension: null,
    onExpiry: "overdue: shown in the supervisor's follow-up list until the party is answered",
    citation: `${LOCAL_RULE}；${NATIONAL}`,
  },
  rating_follow_up: {
    id: 'rating_follow_up',
    label: '当事人追评',
    length: 15,
    unit: 'working_days',
    startsAt: 'answer',
    pauses: null,
    extension: null,
    onExpiry: 'closed without a follow-up rating (the first rating stands)',
    citation: `本中心设定（可配置）；${LOCAL_RULE}`,
  },
};

export type ComputedRatingClock = ComputedProcessClock<RatingClockId>;

/** A follow-up clock counted from its row as every period is (domain/process-clocks.ts); never extended. */
export function computeRatingClock(
  clockId: RatingClockId,
  startedAt: string,
  calendar: HolidayCalendar,
  rows: Record<RatingClockId, RatingClockRule> = RATING_CLOCKS,
): ComputedRatingClock {
  return computeProcessClock(clockId, rows[clockId], startedAt, calendar);
}

export type RatingClock = ProcessClock<RatingClockId>;

// A new rating ---------------------------------------------------------------------------------------------

/** A rating as given (its text stays here and in the projection; the chain records only the level and tags). */
export type Rating = {
  ratingId: string;
  caseId: string;
  partyId: string;
  level: RatingLevel;
  tags: RatingTag[];
  text: string | null;
  channel: RatingChannel;
  /** Whom it rates: the case's mediator (none for a case not accepted) and its organization, at the time. */
  mediatorAccountId: string | null;
  orgId: string | null;
  ratedAt: string;
  ratedBy: Actor;
};

/** Whether a party may rate this case now: only a concluded case, and only once per party. */
export function checkNewRating(c: { caseStatus: CaseStatus; alreadyRated: boolean }): Refusal | undefined {
  if (!isConcluded(c.caseStatus))
    return {
      kind: 'rule',
      code: 'case_not_concluded',
      message: `the case is ${c.caseStatus}; a case is rated once it has concluded (including 不予受理 and 终止)`,
      article: LOCAL_RULE,
    };
  if (c.alreadyRated)
    return {
      kind: 'rule',
      code: 'already_rated',
      message: 'this party has already rated this case; a 差评 may be followed by one 追评 after the answer',
      article: LOCAL_RULE,
    };
  return undefined;
}

/** The rating's first event (seq 1): codes only, never the text. */
export function ratingGivenEvent(r: Rating): CaseEvent {
  return {
    seq: 1,
    type: 'RatingGiven',
    at: r.ratedAt,
    actor: r.ratedBy,
    payload: {
      caseId: r.caseId,
      partyId: r.partyId,
      level: r.level,
      negative: isNegative(r.level),
      tags: r.tags,
      channel: r.channel,
      mediatorAccountId: r.mediatorAccountId,
      orgId: r.orgId,
    },
  };
}

// The 差评 follow-up -----------------------------------------------------------------------------------------

export const FOLLOW_UP_STATUSES = {
  AWAITING_CALLBACK: '待回访',
  CALLED_BACK: '已回访（整改或说明中）',
  FIXED: '已整改或说明',
  ANSWERED: '已反馈（待追评）',
  CLOSED: '已办结',
  EXCLUDED: '经申诉复核不计入',
} as const;
export type FollowUpStatus = keyof typeof FOLLOW_UP_STATUSES;
const FINAL: readonly FollowUpStatus[] = ['CLOSED', 'EXCLUDED'];
const OPEN: readonly FollowUpStatus[] = ['AWAITING_CALLBACK', 'CALLED_BACK', 'FIXED', 'ANSWERED'];

/** 申诉复核: the rating is kept, or excluded as mistaken (误评) or malicious (恶意差评). */
export const REVIEW_OUTCOMES = {
  kept: '维持评价',
  excluded_mistaken: '误评，不计入',
  excluded_malicious: '恶意差评，不计入',
} as const;
export type ReviewOutcome = keyof typeof REVIEW_OUTCOMES;

export const FIX_KINDS = { fixed: '已整改', explained: '已解释说明' } as const;
export type FixKind = keyof typeof FIX_KINDS;

export type RatingFollowUpState = {
  rating: Rating;
  status: FollowUpStatus;
  callback: { reached: boolean; note: string; at: string; by: string } | null;
  fix: { kind: FixKind; text: string; at: string; by: string } | null;
  answer: { text: string; at: string; by: string } | null;
  /** 追评: one, by the party who rated, after the answer. */
  followUp: { level: RatingLevel; text: string | null; at: string } | null;
  review: {
    reason: string;
    requestedAt: string;
    requestedBy: string;
    outcome: ReviewOutcome | null;
    reasons: string | null;
    decidedAt: string | null;
  } | null;
  clocks: Partial<Record<RatingClockId, RatingClock>>;
  lastSeq: number;
  closedAt: string | null;
};

export type RatingFollowUpCommand = { actor: Actor } & (
  | { type: 'call_back'; reached: boolean; note: string }
  | { type: 'record_fix'; kind: FixKind; text: string }
  | { type: 'answer'; text: string }
  | { type: 'add_follow_up'; level: RatingLevel; text?: string | undefined }
  | { type: 'request_review'; reason: string }
  | { type: 'decide_review'; outcome: ReviewOutcome; reasons: string }
  // dueAt: the due time the timer was set for (older histories sent none); a clock counted again since is not run out.
  | { type: 'clock_expired'; clockId: RatingClockId; dueAt?: string }
);
export type RatingFollowUpCommandType = RatingFollowUpCommand['type'];

export type RatingFollowUpEffect =
  | { kind: 'start_clock'; clockId: RatingClockId; startedAt: string }
  | { kind: 'stop_clock'; clockId: RatingClockId; outcome: 'met' | 'cancelled' };

export type RatingFollowUpDecision =
  | { ok: true; state: RatingFollowUpState; events: CaseEvent[]; effects: RatingFollowUpEffect[] }
  | { ok: false; refusal: Refusal };

export const isFinalFollowUp = (s: Pick<RatingFollowUpState, 'status'>): boolean => FINAL.includes(s.status);

/** A 差评's follow-up as it starts: awaiting the call-back, with both of its clocks to start from the rating. */
export function followUpStarted(rating: Rating): { state: RatingFollowUpState; effects: RatingFollowUpEffect[] } {
  return {
    state: {
      rating,
      status: 'AWAITING_CALLBACK',
      callback: null,
      fix: null,
      answer: null,
      followUp: null,
      review: null,
      clocks: {},
      lastSeq: 1,
      closedAt: null,
    },
    effects: [
      { kind: 'start_clock', clockId: 'rating_callback', startedAt: rating.ratedAt },
      { kind: 'start_clock', clockId: 'rating_rectification', startedAt: rating.ratedAt },
    ],
  };
}

type Ctx = {
  at: string;
  effects: RatingFollowUpEffect[];
  emit(type: string, payload?: Record<string, unknown>): void;
  done(state: RatingFollowUpState, next?: Partial<RatingFollowUpState>): RatingFollowUpDecision;
};
type Handler<K extends RatingFollowUpCommandType> = (
  s: RatingFollowUpState,
  c: Extract<RatingFollowUpCommand, { type: K }>,
  ctx: Ctx,
) => RatingFollowUpDecision;

const refuse = (kind: 'wrong_state' | 'forbidden', code: string, message: string): RatingFollowUpDecision => ({
  ok: false,
  refusal: { kind, code, message },
});
const rule = (code: string, message: string): RatingFollowUpDecision => ({
  ok: false,
  refusal: { kind: 'rule', code, message, article: LOCAL_RULE },
});

const callBack: Handler<'call_back'> = (s, c, ctx) => {
  ctx.emit('RatingCalledBack', { reached: c.reached });
  ctx.effects.push({ kind: 'stop_clock', clockId: 'rating_callback', outcome: 'met' });
  return ctx.done(s, {
    status: 'CALLED_BACK',
    callback: { reached: c.reached, note: c.note, at: ctx.at, by: c.actor.id },
  });
};

const recordFix: Handler<'record_fix'> = (s, c, ctx) => {
  ctx.emit('RatingFixRecorded', { kind: c.kind });
  return ctx.done(s, { status: 'FIXED', fix: { kind: c.kind, text: c.text, at: ctx.at, by: c.actor.id } });
};

const answer: Handler<'answer'> = (s, c, ctx) => {
  ctx.emit('RatingAnswered', {});
  ctx.effects.push(
    { kind: 'stop_clock', clockId: 'rating_rectification', outcome: 'met' },
    { kind: 'start_clock', clockId: 'rating_follow_up', startedAt: ctx.at },
  );
  return ctx.done(s, { status: 'ANSWERED', answer: { text: c.text, at: ctx.at, by: c.actor.id } });
};

const addFollowUp: Handler<'add_follow_up'> = (s, c, ctx) => {
  if (c.actor.id !== s.rating.partyId)
    return refuse('forbidden', 'not_the_rater', 'only the party who gave the rating adds its 追评');
  if (s.followUp) return rule('follow_up_already_given', 'a rating takes one 追评, and it was given');
  ctx.emit('RatingFollowUpGiven', { level: c.level, negative: isNegative(c.level) });
  ctx.effects.push({ kind: 'stop_clock', clockId: 'rating_follow_up', outcome: 'met' });
  return ctx.done(s, {
    status: 'CLOSED',
    closedAt: ctx.at,
    followUp: { level: c.level, text: c.text ?? null, at: ctx.at },
  });
};

const requestReview: Handler<'request_review'> = (s, c, ctx) => {
  if (c.actor.id !== s.rating.mediatorAccountId)
    return refuse('forbidden', 'not_the_rated_mediator', 'only the mediator the rating is about asks for its review');
  if (s.review) return rule('review_already_requested', 'a rating is reviewed once (申诉复核), and it was asked for');
  ctx.emit('RatingReviewRequested', {});
  return ctx.done(s, {
    review: {
      reason: c.reason,
      requestedAt: ctx.at,
      requestedBy: c.actor.id,
      outcome: null,
      reasons: null,
      decidedAt: null,
    },
  });
};

const decideReview: Handler<'decide_review'> = (s, c, ctx) => {
  if (!s.review) return refuse('wrong_state', 'no_review_requested', 'no review (申诉复核) was asked for');
  if (s.review.outcome) return rule('review_already_decided', 'the review was decided; it is not decided twice');
  const review = { ...s.review, outcome: c.outcome, reasons: c.reasons, decidedAt: ctx.at };
  // Excluded: the rating no longer counts (statistics, credit file) and its follow-up ends.
  const excluded = c.outcome !== 'kept';
  ctx.emit('RatingReviewDecided', { outcome: c.outcome, excluded });
  if (!excluded) return ctx.done(s, { review });
  for (const clockId of Object.keys(s.clocks) as RatingClockId[])
    ctx.effects.push({ kind: 'stop_clock', clockId, outcome: 'cancelled' });
  return ctx.done(s, { review, status: 'EXCLUDED', closedAt: ctx.at });
};

/** A clock ran out: overdue (shown to the supervisor), or, for the 追评 window, the follow-up closes. */
const clockExpired: Handler<'clock_expired'> = (s, c, ctx) => {
  const expired = clocksExpired(s.clocks, c.clockId, c.dueAt);
  if (!expired) return refuse('wrong_state', 'clock_not_running', `${c.clockId} is not running`);
  const { clocks, dueAt } = expired;
  ctx.emit('RatingClockExpired', { clockId: c.clockId, dueAt });
  if (c.clockId === 'rating_follow_up') {
    ctx.emit('RatingFollowUpClosed', { followUp: 'none' });
    return ctx.done(s, { clocks, status: 'CLOSED', closedAt: ctx.at });
  }
  return ctx.done(s, { clocks });
};

type Row<K extends RatingFollowUpCommandType> = {
  roles: readonly Actor['role'][];
  states: readonly FollowUpStatus[];
  handler: Handler<K>;
};

/** Who may give each command, in which states (none listed: any), and its rule. */
export const FOLLOW_UP_RULES: { [K in RatingFollowUpCommandType]: Row<K> } = {
  call_back: { roles: ['supervisor', 'clerk'], states: ['AWAITING_CALLBACK'], handler: callBack },
  record_fix: { roles: ['supervisor', 'clerk'], states: ['CALLED_BACK'], handler: recordFix },
  answer: { roles: ['supervisor', 'clerk'], states: ['FIXED'], handler: answer },
  add_follow_up: { roles: ['party'], states: ['ANSWERED'], handler: addFollowUp },
  request_review: { roles: ['mediator'], states: OPEN, handler: requestReview },
  decide_review: { roles: ['supervisor'], states: OPEN, handler: decideReview },
  clock_expired: { roles: ['system'], states: [], handler: clockExpired },
};

export function decideRatingFollowUp(
  state: RatingFollowUpState,
  command: RatingFollowUpCommand,
  now: Date,
): RatingFollowUpDecision {
  const row = FOLLOW_UP_RULES[command.type] as Row<RatingFollowUpCommandType>;
  const what = command.type.replace(/_/g, ' ');
  if (!row.roles.includes(command.actor.role))
    return refuse('forbidden', 'role_not_allowed', `a ${command.actor.role} may not ${what}`);
  if (row.states.length > 0 && !row.states.includes(state.status))
    return refuse('wrong_state', 'wrong_state', `the follow-up is ${state.status}; ${what} is not possible now`);
  return row.handler(state, command, openContext(state, command, now));
}

function openContext(state: RatingFollowUpState, command: RatingFollowUpCommand, now: Date): Ctx {
  const at = now.toISOString();
  let seq = state.lastSeq;
  const events: CaseEvent[] = [];
  const effects: RatingFollowUpEffect[] = [];
  return {
    at,
    effects,
    emit: (type, payload = {}) => {
      seq += 1;
      events.push({ seq, type, at, actor: command.actor, payload });
    },
    done: (s, next = {}) => ({ ok: true, state: { ...s, ...next, lastSeq: seq }, events, effects }),
  };
}

// Clocks in the state ----------------------------------------------------------------------------------------

/** A clock as counted (or as uncomputable: a year with no calendar), recorded in the state. */
export function withRatingClock(
  s: RatingFollowUpState,
  counted: ComputedRatingClock | UncomputableClock<RatingClockId>,
): RatingFollowUpState {
  return { ...s, clocks: { ...s.clocks, [counted.clockId]: countedClock(counted) } };
}

// Who reads a rating -----------------------------------------------------------------------------------------

/**
 * How much of a rating a person reads: `full` (the supervisor; a clerk of the case's organization, who calls the
 * party back), `rater` (the party who gave it: all but the internal review), `rated` (the mediator it is about:
 * the level, tags and text and what became of it, never who gave it); nothing for anyone else (404).
 * Real-name, never shown to third parties (docs/supervision.md#ratings).
 */
export type RatingReader = 'full' | 'rater' | 'rated';

export function ratingReader(
  p: { id: string; role: Actor['role']; orgId?: string | null },
  r: Pick<Rating, 'partyId' | 'mediatorAccountId' | 'orgId'>,
): RatingReader | undefined {
  if (p.role === 'supervisor') return 'full';
  if (p.role === 'party') return p.id === r.partyId ? 'rater' : undefined;
  if (p.role === 'clerk') return p.orgId && p.orgId === r.orgId ? 'full' : undefined;
  if (p.role === 'mediator') return p.id === r.mediatorAccountId ? 'rated' : undefined;
  return undefined;
}

/** The follow-up commands a person may give now (what the console offers). */
export function followUpActionsFor(p: Actor, s: RatingFollowUpState): RatingFollowUpCommandType[] {
  return (Object.keys(FOLLOW_UP_RULES) as RatingFollowUpCommandType[]).filter((type) => {
    if (type === 'clock_expired') return false;
    const row = FOLLOW_UP_RULES[type];
    if (!row.roles.includes(p.role) || (row.states.length > 0 && !row.states.includes(s.status))) return false;
    if (type === 'add_follow_up') return p.id === s.rating.partyId && !s.followUp;
    if (type === 'request_review') return p.id === s.rating.mediatorAccountId && !s.review;
    if (type === 'decide_review') return s.review !== null && s.review.outcome === null;
    return true;
  });
}

// 回访 by sample ---------------------------------------------------------------------------------------------

/** What a clerk's random call-back (回访) found. */
export const CALLBACK_OUTCOMES = { reached: '已回访', unreachable: '无法联系', declined: '当事人拒绝回访' } as const;
export type CallbackOutcome = keyof typeof CALLBACK_OUTCOMES;

/** The most cases one draw takes (a sample, not a census). */
export const MAX_SAMPLE_SIZE = 50;

/** Whether a call-back record fits: a level heard only when the party was reached; recorded once. */
export function checkCallbackRecord(c: {
  outcome: CallbackOutcome;
  level?: RatingLevel | undefined;
  alreadyRecorded: boolean;
}): Refusal | undefined {
  if (c.alreadyRecorded)
    return { kind: 'wrong_state', code: 'callback_already_recorded', message: 'this call-back was recorded' };
  if (c.level && c.outcome !== 'reached')
    return {
      kind: 'rule',
      code: 'level_without_contact',
      message: 'a satisfaction level is recorded only when the party was reached',
      article: LOCAL_RULE,
    };
  return undefined;
}
