/**
 * Complaints about the service (seed Art 59; docs/supervision.md#complaints): their vocabulary, their clocks as
 * data rows with sources, and their rules as one pure function, `decideComplaint(state, command, now)`, which
 * returns the new state with the events to record and the clocks to start or stop, or a refusal with a code
 * (and the article, where a rule of law refuses). The complaint's own workflow (workflows/complaint.ts) applies
 * it; the API never decides anything. Free text (facts, request, findings, answer) stays in the workflow's
 * state and the projection: the hash-chained events carry only codes, ids and times.
 */
import type { Actor, CaseEvent } from './case.js';
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

/** 投诉事由: 人民调解法 Art 15, 人民法院在线调解规则 Art 29, 特邀调解规定 Art 28, and the service itself. */
export const COMPLAINT_GROUNDS = {
  partiality: '偏袒一方',
  insult: '侮辱当事人',
  bribery: '索取或收受财物',
  privacy_leak: '泄露隐私或商业秘密',
  forced_mediation: '强迫调解',
  unlawful_mediation: '违法调解',
  delay: '拖延超期',
  attitude: '服务态度',
  other: '其他',
} as const;
export type ComplaintGround = keyof typeof COMPLAINT_GROUNDS;

/** How a complaint came in: the portal (a party), or a clerk recording a call, a letter or a visit. */
export const COMPLAINT_CHANNELS = { portal: '网上投诉', phone: '电话', letter: '信函', in_person: '来访' } as const;
export type ComplaintChannel = keyof typeof COMPLAINT_CHANNELS;
/** The channels a clerk records (the portal is the party's own). */
export const RECORDED_CHANNELS = ['phone', 'letter', 'in_person'] as const satisfies readonly ComplaintChannel[];

/** How the complainant wants the answer (an accessible channel may be asked for: seed Art 16). */
export const REPLY_CHANNELS = { portal: '网上查看', sms: '短信', phone: '电话', letter: '书面信函' } as const;
export type ReplyChannel = keyof typeof REPLY_CHANNELS;

export const TARGET_KINDS = { mediator: '调解员', organization: '调解组织', staff: '工作人员' } as const;
export type TargetKind = keyof typeof TARGET_KINDS;

/** A people's mediator (人民调解法) or a court-invited one (特邀调解员, a court's case): different sanctions. */
export const MEDIATOR_KINDS = { people: '人民调解员', court_invited: '特邀调解员' } as const;
export type MediatorKind = keyof typeof MEDIATOR_KINDS;

/** What an upheld complaint may lead to, by kind of target, with the article that provides it. */
export const COMPLAINT_OUTCOMES = {
  people: {
    citation: '人民调解法第十五条',
    outcomes: { criticism_education: '批评教育', order_correction: '责令改正', dismissal: '罢免或者解聘' },
  },
  court_invited: {
    citation: '最高人民法院关于人民法院特邀调解的规定第二十八条',
    outcomes: { warning: '警告', circulation: '通报', removal: '除名' },
  },
  // An organization or a member of staff: corrected by the justice bureau (seed Arts 60-61).
  service: {
    citation: '揭阳市公共法律服务促进办法（草案）第六十条、第六十一条',
    outcomes: { criticism_education: '批评教育', order_correction: '责令改正' },
  },
} as const;
export type OutcomeTable = keyof typeof COMPLAINT_OUTCOMES;
export type ComplaintOutcome = {
  [K in OutcomeTable]: keyof (typeof COMPLAINT_OUTCOMES)[K]['outcomes'];
}[OutcomeTable];

export type ComplaintTarget = { kind: TargetKind; id: string; name: string; mediatorKind?: MediatorKind | undefined };

/** The sanctions open against a target: by kind of mediator, or the service's own for an organization or staff. */
export function outcomeTableFor(target: Pick<ComplaintTarget, 'kind' | 'mediatorKind'>): OutcomeTable {
  return target.kind === 'mediator' ? (target.mediatorKind ?? 'people') : 'service';
}

// Clocks ---------------------------------------------------------------------------------------------------

/**
 * The nearest statutory model is the Ministry of Justice's complaint rules for legal aid (司法部《法律援助投诉
 * 处理办法》): accept in 5 working days, decide in 45 days (longer with the authority head's approval), answer in
 * 5 working days; the one-time notice of what is missing follows 行政许可法 Art 32(4). The lengths are this
 * center's defaults until the justice bureau sets its own: configurable rows, each with its source.
 */
const SOURCE = '参照司法部《法律援助投诉处理办法》；揭阳市公共法律服务促进办法（草案）第五十九条';

export type ComplaintClockRule = ProcessClockRule<
  ComplaintClockId,
  'filing_or_supplement' | 'notice' | 'acceptance' | 'decision' | 'answer'
>;

export const COMPLAINT_CLOCKS = {
  complaint_acceptance: {
    id: 'complaint_acceptance',
    label: '投诉受理审查',
    length: 5,
    unit: 'working_days',
    startsAt: 'filing_or_supplement',
    pauses: null,
    extension: null,
    onExpiry: "overdue: shown in the supervisor's list until accepted or declined",
    citation: SOURCE,
  },
  complaint_supplement: {
    id: 'complaint_supplement',
    label: '一次性告知补正期限',
    length: 10,
    unit: 'working_days',
    startsAt: 'notice',
    pauses: null,
    extension: null,
    onExpiry: 'deemed withdrawn (视为撤回投诉); the complainant may complain again',
    citation: `${SOURCE}；行政许可法第三十二条第一款第四项（一次性告知，参照）`,
  },
  complaint_decision: {
    id: 'complaint_decision',
    label: '投诉处理决定',
    length: 45,
    unit: 'calendar_days',
    startsAt: 'acceptance',
    pauses: null,
    extension: { days: 30, requires: "the justice bureau's head approves (经负责人批准)" },
    onExpiry: "overdue: shown in the supervisor's list until decided",
    citation: SOURCE,
  },
  complaint_answer: {
    id: 'complaint_answer',
    label: '答复投诉人',
    length: 5,
    unit: 'working_days',
    startsAt: 'decision',
    pauses: null,
    extension: null,
    onExpiry: "overdue: shown in the supervisor's list until answered",
    citation: SOURCE,
  },
  complaint_feedback: {
    // Not in any rule: the center's own window for the complainant's view of the answer (好差评 practice).
    id: 'complaint_feedback',
    label: '投诉人评价答复',
    length: 10,
    unit: 'working_days',
    startsAt: 'answer',
    pauses: null,
    extension: null,
    onExpiry: 'closed without feedback',
    citation: '本中心设定（可配置）；揭阳市公共法律服务促进办法（草案）第五十九条',
  },
} as const satisfies Record<string, Omit<ComplaintClockRule, 'id'> & { id: string }>;
export type ComplaintClockId =
  'complaint_acceptance' | 'complaint_supplement' | 'complaint_decision' | 'complaint_answer' | 'complaint_feedback';

export type ComputedComplaintClock = ComputedProcessClock<ComplaintClockId>;

/** A complaint clock counted from its row as every period is (domain/process-clocks.ts), with any approved extension. */
export function computeComplaintClock(
  clockId: ComplaintClockId,
  startedAt: string,
  calendar: HolidayCalendar,
  extensionDays = 0,
): ComputedComplaintClock {
  return computeProcessClock(clockId, COMPLAINT_CLOCKS[clockId], startedAt, calendar, extensionDays);
}

/** A complaint clock as the state keeps it: with the days of an approved extension (none: 0). */
export type ComplaintClock = ProcessClock<ComplaintClockId> & { extensionDays: number };

// State and commands ----------------------------------------------------------------------------------------

export const COMPLAINT_STATUSES = {
  FILED: '待受理',
  AWAITING_SUPPLEMENT: '待补正',
  ACCEPTED: '已受理（调查中）',
  DECIDED: '已作出处理决定',
  ANSWERED: '已答复',
  CLOSED: '已办结',
  NOT_ACCEPTED: '不予受理',
  WITHDRAWN: '视为撤回',
} as const;
export type ComplaintStatus = keyof typeof COMPLAINT_STATUSES;
const FINAL: readonly ComplaintStatus[] = ['CLOSED', 'NOT_ACCEPTED', 'WITHDRAWN'];
const OPEN: readonly ComplaintStatus[] = ['FILED', 'AWAITING_SUPPLEMENT', 'ACCEPTED', 'DECIDED'];

/** What a complaint is filed with (free text here; the chain records none of it). */
export type ComplaintFiling = {
  complaintId: string;
  caseId: string;
  channel: ComplaintChannel;
  ground: ComplaintGround;
  facts: string;
  request: string;
  evidenceRefs: string[];
  replyChannel: ReplyChannel;
  target: ComplaintTarget;
  /** The party of the case the complaint is for (an agent or guardian may file for them). */
  complainantPartyId: string;
  filedBy: Actor;
  receivedAt: string;
};

export type ComplaintState = {
  complaintId: string;
  caseId: string;
  trackingNumber: string | null;
  status: ComplaintStatus;
  filing: ComplaintFiling;
  /** The party the complaint is for and, when another party (an agent or guardian) filed it, that party. */
  complainantIds: string[];
  notice: { missing: string[]; issuedAt: string } | null;
  supplements: { at: string; text: string; evidenceRefs: string[] }[];
  acceptedAt: string | null;
  investigator: { accountId: string; name: string } | null;
  findings: string | null;
  extension: { days: number; approvedBy: string; reason: string } | null;
  decision: { upheld: boolean; outcome: ComplaintOutcome | null; reasons: string; at: string } | null;
  answer: { channel: ReplyChannel; text: string; at: string } | null;
  feedback: { satisfied: boolean | null; comment: string | null; at: string } | null;
  /** Repeated complaints on the same matter, merged into this one. */
  repeats: { at: string; channel: ComplaintChannel; facts: string; evidenceRefs: string[]; filedBy: Actor }[];
  clocks: Partial<Record<ComplaintClockId, ComplaintClock>>;
  lastSeq: number;
  closedAt: string | null;
};

export type ComplaintCommand = { actor: Actor } & (
  | { type: 'issue_notice'; missing: string[] }
  | { type: 'supplement'; text: string; evidenceRefs: string[] }
  | { type: 'accept' }
  | { type: 'decline'; reason: string }
  | { type: 'assign_investigator'; accountId: string; name: string }
  | { type: 'record_findings'; findings: string }
  | { type: 'extend_decision'; days: number; approvedBy: string; reason: string }
  | { type: 'decide'; upheld: boolean; outcome?: ComplaintOutcome | undefined; reasons: string }
  | { type: 'answer'; channel: ReplyChannel; text: string }
  | { type: 'give_feedback'; satisfied: boolean; comment?: string | undefined }
  | {
      type: 'merge_repeat';
      /** The party the repeated complaint is for (as filing found it: the party, or the one a guardian acts for). */
      complainantPartyId: string;
      channel: ComplaintChannel;
      facts: string;
      evidenceRefs: string[];
    }
  // dueAt: the due time the timer was set for (older histories sent none); a clock counted again since is not run out.
  | { type: 'clock_expired'; clockId: ComplaintClockId; dueAt?: string }
);
export type ComplaintCommandType = ComplaintCommand['type'];

export type ComplaintEffect =
  | { kind: 'start_clock'; clockId: ComplaintClockId; startedAt: string; extensionDays?: number }
  | { kind: 'stop_clock'; clockId: ComplaintClockId; outcome: 'met' | 'cancelled' };

export type ComplaintDecision =
  | { ok: true; state: ComplaintState; events: CaseEvent[]; effects: ComplaintEffect[] }
  | { ok: false; refusal: Refusal };

export function isFinalComplaint(s: Pick<ComplaintState, 'status'>): boolean {
  return FINAL.includes(s.status);
}

/** A new complaint: filed, its acceptance clock to start, its first event (seq 1). */
export function complaintFiled(filing: ComplaintFiling): {
  state: ComplaintState;
  event: CaseEvent;
  effects: ComplaintEffect[];
} {
  const filer = filing.filedBy.role === 'party' ? [filing.filedBy.id] : [];
  const state: ComplaintState = {
    complaintId: filing.complaintId,
    caseId: filing.caseId,
    trackingNumber: null,
    status: 'FILED',
    filing,
    complainantIds: [...new Set([filing.complainantPartyId, ...filer])],
    notice: null,
    supplements: [],
    acceptedAt: null,
    investigator: null,
    findings: null,
    extension: null,
    decision: null,
    answer: null,
    feedback: null,
    repeats: [],
    clocks: {},
    lastSeq: 1,
    closedAt: null,
  };
  const { target } = filing;
  const event: CaseEvent = {
    seq: 1,
    type: 'ComplaintFiled',
    at: filing.receivedAt,
    actor: filing.filedBy,
    payload: {
      caseId: filing.caseId,
      channel: filing.channel,
      ground: filing.ground,
      target: {
        kind: target.kind,
        id: target.id,
        ...(target.mediatorKind ? { mediatorKind: target.mediatorKind } : {}),
      },
      complainantPartyId: filing.complainantPartyId,
      replyChannel: filing.replyChannel,
      evidenceRefs: filing.evidenceRefs,
    },
  };
  const effects: ComplaintEffect[] = [
    { kind: 'start_clock', clockId: 'complaint_acceptance', startedAt: filing.receivedAt },
  ];
  return { state, event, effects };
}

/**
 * Whether a new complaint is on the same matter as an open one, and is merged into it rather than opened
 * again: the same case, for the same party, against the same target (the ground may be worded differently).
 */
export function isSameMatter(
  open: { caseId: string; complainantPartyId: string; targetKind: string; targetId: string },
  incoming: { caseId: string; complainantPartyId: string; targetKind: string; targetId: string },
): boolean {
  return (
    open.caseId === incoming.caseId &&
    open.complainantPartyId === incoming.complainantPartyId &&
    open.targetKind === incoming.targetKind &&
    open.targetId === incoming.targetId
  );
}

// The rules --------------------------------------------------------------------------------------------------

type Ctx = {
  at: string;
  events: CaseEvent[];
  effects: ComplaintEffect[];
  emit(type: string, payload?: Record<string, unknown>): void;
  done(state: ComplaintState, next?: Partial<ComplaintState>): ComplaintDecision;
};
type Handler<K extends ComplaintCommandType> = (
  s: ComplaintState,
  c: Extract<ComplaintCommand, { type: K }>,
  ctx: Ctx,
) => ComplaintDecision;

const refuse = (kind: 'wrong_state' | 'forbidden', code: string, message: string): ComplaintDecision => ({
  ok: false,
  refusal: { kind, code, message },
});
const rule = (code: string, message: string, article: string): ComplaintDecision => ({
  ok: false,
  refusal: { kind: 'rule', code, message, article },
});

/** A party acts on a complaint only when it is theirs (filed for them, or by them for another); staff record. */
function actsForComplainant(s: ComplaintState, actor: Actor): boolean {
  return actor.role !== 'party' || s.complainantIds.includes(actor.id);
}

const issueNotice: Handler<'issue_notice'> = (s, c, ctx) => {
  // 一次性告知: everything missing is named at once, and never asked for a second time.
  if (s.notice)
    return rule(
      'notice_already_issued',
      'the one-time notice of what is missing was already issued; it cannot be issued again',
      COMPLAINT_CLOCKS.complaint_supplement.citation,
    );
  ctx.emit('ComplaintNoticeIssued', { missingCount: c.missing.length });
  ctx.effects.push(
    { kind: 'stop_clock', clockId: 'complaint_acceptance', outcome: 'cancelled' },
    { kind: 'start_clock', clockId: 'complaint_supplement', startedAt: ctx.at },
  );
  return ctx.done(s, { status: 'AWAITING_SUPPLEMENT', notice: { missing: c.missing, issuedAt: ctx.at } });
};

const supplement: Handler<'supplement'> = (s, c, ctx) => {
  if (!actsForComplainant(s, c.actor))
    return refuse('forbidden', 'not_the_complainant', 'only the complainant may supplement this complaint');
  ctx.emit('ComplaintSupplemented', { evidenceRefs: c.evidenceRefs });
  // The acceptance review counts again from the day the missing items arrive.
  ctx.effects.push(
    { kind: 'stop_clock', clockId: 'complaint_supplement', outcome: 'met' },
    { kind: 'start_clock', clockId: 'complaint_acceptance', startedAt: ctx.at },
  );
  return ctx.done(s, {
    status: 'FILED',
    supplements: [...s.supplements, { at: ctx.at, text: c.text, evidenceRefs: c.evidenceRefs }],
  });
};

const accept: Handler<'accept'> = (s, _c, ctx) => {
  ctx.emit('ComplaintAccepted', { targetKind: s.filing.target.kind, targetId: s.filing.target.id });
  ctx.effects.push(
    { kind: 'stop_clock', clockId: 'complaint_acceptance', outcome: 'met' },
    { kind: 'start_clock', clockId: 'complaint_decision', startedAt: ctx.at },
  );
  return ctx.done(s, { status: 'ACCEPTED', acceptedAt: ctx.at });
};

const decline: Handler<'decline'> = (s, _c, ctx) => {
  ctx.emit('ComplaintNotAccepted', {});
  ctx.effects.push({ kind: 'stop_clock', clockId: 'complaint_acceptance', outcome: 'met' });
  return ctx.done(s, { status: 'NOT_ACCEPTED', closedAt: ctx.at });
};

const assignInvestigator: Handler<'assign_investigator'> = (s, c, ctx) => {
  ctx.emit('ComplaintInvestigatorAssigned', { investigatorId: c.accountId });
  return ctx.done(s, { investigator: { accountId: c.accountId, name: c.name } });
};

const recordFindings: Handler<'record_findings'> = (s, c, ctx) => {
  if (!s.investigator)
    return refuse('wrong_state', 'no_investigator', 'assign an investigator before recording findings');
  if (c.actor.role !== 'supervisor' && c.actor.id !== s.investigator.accountId)
    return refuse(
      'forbidden',
      'not_the_investigator',
      'only the assigned investigator or the supervisor records findings',
    );
  ctx.emit('ComplaintFindingsRecorded', { investigatorId: s.investigator.accountId });
  return ctx.done(s, { findings: c.findings });
};

const extendDecision: Handler<'extend_decision'> = (s, c, ctx) => {
  const allowed = COMPLAINT_CLOCKS.complaint_decision.extension;
  if (s.extension)
    return rule(
      'already_extended',
      'the decision period was already extended once',
      COMPLAINT_CLOCKS.complaint_decision.citation,
    );
  if (c.days > allowed.days)
    return rule(
      'extension_too_long',
      `the decision period may be extended by at most ${allowed.days} days`,
      COMPLAINT_CLOCKS.complaint_decision.citation,
    );
  const started = s.clocks.complaint_decision?.startedAt ?? s.acceptedAt ?? ctx.at;
  ctx.emit('ComplaintDecisionExtended', { days: c.days, approvedBy: c.approvedBy });
  ctx.effects.push({ kind: 'start_clock', clockId: 'complaint_decision', startedAt: started, extensionDays: c.days });
  return ctx.done(s, { extension: { days: c.days, approvedBy: c.approvedBy, reason: c.reason } });
};

const decideOn: Handler<'decide'> = (s, c, ctx) => {
  if (s.findings === null) return refuse('wrong_state', 'no_findings', 'record the findings before deciding');
  const table = outcomeTableFor(s.filing.target);
  const { citation, outcomes } = COMPLAINT_OUTCOMES[table];
  if (c.upheld && !c.outcome)
    return rule('outcome_required', 'an upheld complaint names what follows for the target', citation);
  if (!c.upheld && c.outcome)
    return rule('outcome_without_upholding', 'a complaint not upheld leads to no sanction', citation);
  if (c.outcome && !Object.hasOwn(outcomes, c.outcome))
    return rule(
      'outcome_not_for_target',
      `${c.outcome} is not open against this target; open: ${Object.keys(outcomes).join(', ')}`,
      citation,
    );
  const outcome = c.outcome ?? null;
  ctx.emit('ComplaintDecided', { upheld: c.upheld, outcome, outcomeTable: table });
  // Upheld: what a credit file reads (诚信档案, seed Art 57), with the target and the decision's time.
  if (c.upheld)
    ctx.emit('ComplaintUpheld', { targetKind: s.filing.target.kind, targetId: s.filing.target.id, outcome, citation });
  ctx.effects.push(
    { kind: 'stop_clock', clockId: 'complaint_decision', outcome: 'met' },
    { kind: 'start_clock', clockId: 'complaint_answer', startedAt: ctx.at },
  );
  return ctx.done(s, { status: 'DECIDED', decision: { upheld: c.upheld, outcome, reasons: c.reasons, at: ctx.at } });
};

const answer: Handler<'answer'> = (s, c, ctx) => {
  ctx.emit('ComplaintAnswered', { channel: c.channel });
  ctx.effects.push(
    { kind: 'stop_clock', clockId: 'complaint_answer', outcome: 'met' },
    { kind: 'start_clock', clockId: 'complaint_feedback', startedAt: ctx.at },
  );
  return ctx.done(s, { status: 'ANSWERED', answer: { channel: c.channel, text: c.text, at: ctx.at } });
};

const giveFeedback: Handler<'give_feedback'> = (s, c, ctx) => {
  if (!actsForComplainant(s, c.actor))
    return refuse('forbidden', 'not_the_complainant', 'only the complainant gives feedback on the answer');
  ctx.emit('ComplaintFeedbackGiven', { satisfied: c.satisfied });
  ctx.effects.push({ kind: 'stop_clock', clockId: 'complaint_feedback', outcome: 'met' });
  return ctx.done(s, {
    status: 'CLOSED',
    closedAt: ctx.at,
    feedback: { satisfied: c.satisfied, comment: c.comment ?? null, at: ctx.at },
  });
};

const mergeRepeat: Handler<'merge_repeat'> = (s, c, ctx) => {
  if (c.complainantPartyId !== s.filing.complainantPartyId)
    return refuse('forbidden', 'not_the_complainant', 'a repeated complaint is merged only into the same party’s');
  ctx.emit('RepeatComplaintMerged', { channel: c.channel, evidenceRefs: c.evidenceRefs });
  const repeat = { at: ctx.at, channel: c.channel, facts: c.facts, evidenceRefs: c.evidenceRefs, filedBy: c.actor };
  return ctx.done(s, { repeats: [...s.repeats, repeat] });
};

/** A clock ran out: overdue (shown to the supervisor), or, for the one-time notice, the complaint lapses. */
const clockExpired: Handler<'clock_expired'> = (s, c, ctx) => {
  const expired = clocksExpired(s.clocks, c.clockId, c.dueAt);
  if (!expired) return refuse('wrong_state', 'clock_not_running', `${c.clockId} is not running`);
  const { clocks, dueAt } = expired;
  ctx.emit('ComplaintClockExpired', { clockId: c.clockId, dueAt });
  if (c.clockId === 'complaint_supplement') {
    ctx.emit('ComplaintDeemedWithdrawn', {});
    return ctx.done(s, { clocks, status: 'WITHDRAWN', closedAt: ctx.at });
  }
  if (c.clockId === 'complaint_feedback') {
    ctx.emit('ComplaintClosed', { feedback: 'none' });
    return ctx.done(s, { clocks, status: 'CLOSED', closedAt: ctx.at });
  }
  return ctx.done(s, { clocks });
};

type Row<K extends ComplaintCommandType> = {
  roles: readonly Actor['role'][];
  states: readonly ComplaintStatus[];
  handler: Handler<K>;
};

/** Who may give each command, in which states (none listed: any), and its rule. */
export const COMPLAINT_RULES: { [K in ComplaintCommandType]: Row<K> } = {
  issue_notice: { roles: ['supervisor'], states: ['FILED'], handler: issueNotice },
  supplement: { roles: ['party', 'clerk'], states: ['AWAITING_SUPPLEMENT'], handler: supplement },
  accept: { roles: ['supervisor'], states: ['FILED'], handler: accept },
  decline: { roles: ['supervisor'], states: ['FILED'], handler: decline },
  assign_investigator: { roles: ['supervisor'], states: ['ACCEPTED'], handler: assignInvestigator },
  record_findings: { roles: ['supervisor', 'clerk'], states: ['ACCEPTED'], handler: recordFindings },
  extend_decision: { roles: ['supervisor'], states: ['ACCEPTED'], handler: extendDecision },
  decide: { roles: ['supervisor'], states: ['ACCEPTED'], handler: decideOn },
  answer: { roles: ['supervisor'], states: ['DECIDED'], handler: answer },
  give_feedback: { roles: ['party', 'clerk'], states: ['ANSWERED'], handler: giveFeedback },
  merge_repeat: { roles: ['party', 'clerk'], states: OPEN, handler: mergeRepeat },
  clock_expired: { roles: ['system'], states: [], handler: clockExpired },
};

/** Who may give each command (the API's OpenAPI roles and its cheap check before asking the workflow). */
export const COMPLAINT_ROLES = Object.fromEntries(
  Object.entries(COMPLAINT_RULES).map(([type, row]) => [type, row.roles]),
) as Record<ComplaintCommandType, readonly Actor['role'][]>;

export function decideComplaint(state: ComplaintState, command: ComplaintCommand, now: Date): ComplaintDecision {
  const row = COMPLAINT_RULES[command.type] as Row<ComplaintCommandType>;
  const what = command.type.replace(/_/g, ' ');
  if (!row.roles.includes(command.actor.role))
    return refuse('forbidden', 'role_not_allowed', `a ${command.actor.role} may not ${what}`);
  if (row.states.length > 0 && !row.states.includes(state.status))
    return refuse('wrong_state', 'wrong_state', `the complaint is ${state.status}; ${what} is not possible now`);
  return row.handler(state, command, openContext(state, command, now));
}

function openContext(state: ComplaintState, command: ComplaintCommand, now: Date): Ctx {
  const at = now.toISOString();
  let seq = state.lastSeq;
  const events: CaseEvent[] = [];
  const effects: ComplaintEffect[] = [];
  return {
    at,
    events,
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
export function withClock(
  s: ComplaintState,
  counted: ComputedComplaintClock | UncomputableClock<ComplaintClockId>,
): ComplaintState {
  const clock: ComplaintClock = {
    ...countedClock(counted),
    extensionDays: 'problem' in counted ? 0 : counted.extensionDays,
  };
  return { ...s, clocks: { ...s.clocks, [counted.clockId]: clock } };
}

// Who reads a complaint ----------------------------------------------------------------------------------------

/**
 * How much of a complaint a person reads: `full` (the supervisor who handles it, the clerk who recorded it, the
 * investigator), `complainant` (the party it is for, or the agent or guardian who filed it: all but the internal
 * findings), `target` (the mediator or member of staff complained about, and only once it is accepted: what is
 * alleged and what was decided, never who complained or how to reach them); nothing for anyone else (404).
 */
export type ComplaintReader = 'full' | 'complainant' | 'target';

export function complaintReader(
  p: { id: string; role: Actor['role'] },
  s: Pick<ComplaintState, 'filing' | 'complainantIds' | 'investigator' | 'acceptedAt'>,
): ComplaintReader | undefined {
  if (p.role === 'supervisor') return 'full';
  if (p.role === 'party') return s.complainantIds.includes(p.id) ? 'complainant' : undefined;
  if (p.id === s.filing.filedBy.id || p.id === s.investigator?.accountId) return 'full';
  const { target } = s.filing;
  if (target.kind !== 'organization' && target.id === p.id && s.acceptedAt !== null) return 'target';
  return undefined;
}

/** The commands a person may give now (what the console offers): their role, the state, their complaint. */
export function complaintActionsFor(p: Actor, s: ComplaintState): ComplaintCommandType[] {
  return (Object.keys(COMPLAINT_RULES) as ComplaintCommandType[]).filter((type) => {
    if (type === 'clock_expired' || type === 'merge_repeat') return false;
    const row = COMPLAINT_RULES[type];
    if (!row.roles.includes(p.role) || (row.states.length > 0 && !row.states.includes(s.status))) return false;
    if (type === 'record_findings' && p.role !== 'supervisor') return s.investigator?.accountId === p.id;
    return actsForComplainant(s, p);
  });
}
