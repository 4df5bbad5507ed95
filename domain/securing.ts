/**
 * Securing an effective agreement (docs/securing.md): judicial confirmation by a court and notarization with
 * enforcement effect. Each runs as its own child workflow with its own clocks; this module is its pure rule
 * book: `decideConfirmation` and `decideNotarization` return the new state, the events and the effects, or
 * a refusal with its article, like `decide` does for the case. Table-tested without Temporal.
 */
import type { Actor, Role } from './case.js';
import type { DeadlineState, Refusal } from './case-state.js';
import type { DeadlineRuleId, Pause } from './deadlines.js';

export type SecuringKind = 'judicial_confirmation' | 'notarization';

/** An event of a securing process; the case workflow gives it its place in the case's chain. */
export type ProcessEvent = { type: string; at: string; actor: Actor; payload: Record<string, unknown> };

export type ProcessEffect =
  | { kind: 'start_deadline'; ruleId: DeadlineRuleId; startedAt: string; length?: number }
  | { kind: 'stop_deadline'; ruleId: DeadlineRuleId; outcome: 'met' | 'cancelled' }
  | { kind: 'pause_deadline'; ruleId: DeadlineRuleId }
  /** Recomputed with the process's pauses and extension as they stand after the decision. */
  | { kind: 'recompute_deadline'; ruleId: DeadlineRuleId }
  | { kind: 'render_document'; document: 'judicial_confirmation_application' | 'notarization_request'; version: number }
  /** Tell the court or notary (queued in the institution outbox and delivered at least once by its own delivery workflow). */
  | {
      kind: 'notify_institution';
      message: 'application_submitted' | 'correction_submitted' | 'supplement_submitted' | 'withdrawn';
    };

export type ProcessDecision<S> =
  { ok: true; state: S; events: ProcessEvent[]; effects: ProcessEffect[] } | { ok: false; refusal: Refusal };

// Judicial confirmation ------------------------------------------------------------------------------------

/** 解释 Art 355 grounds for not accepting; 2011 规定 Art 7 and 解释 Art 358 grounds for rejecting. */
export const NOT_ACCEPTED_GROUNDS = {
  outside_court_jurisdiction: '不属于人民法院受理范围',
  not_this_court: '不属于收到申请的人民法院管辖',
  status_relationship: '请求确认婚姻关系、亲子关系、收养关系等身份关系',
  other_special_procedure: '涉及适用其他特别程序、公示催告程序、破产程序审理',
  title_to_property_or_ip: '调解协议内容涉及物权、知识产权确权',
} as const;
export const REJECTION_GROUNDS = {
  violates_mandatory_law: '违反法律强制性规定',
  harms_others: '损害国家利益、社会公共利益、他人合法权益',
  public_order: '违背公序良俗',
  not_voluntary: '违反自愿原则',
  indefinite: '内容不明确',
  other: '其他不能进行司法确认的情形',
} as const;
export type NotAcceptedGround = keyof typeof NOT_ACCEPTED_GROUNDS;
export type RejectionGround = keyof typeof REJECTION_GROUNDS;

/** Where the joint application goes (民事诉讼法 Art 205). */
export const VENUE_GROUNDS = {
  delegating_court: '作出邀请（委派）的人民法院',
  party_domicile: '当事人住所地基层人民法院',
  property_location: '标的物所在地基层人民法院',
  organization_seat: '调解组织所在地基层人民法院',
} as const;
export type VenueGround = keyof typeof VENUE_GROUNDS;

export type ConfirmationStatus =
  | 'PREPARING' // the parties sign the joint application
  | 'SUBMITTED' // with the court, which accepts within 3 days
  | 'ACCEPTED' // filed (立案): ruling within 15 days (+10), ceiling 30
  | 'CORRECTION' // the court asked for supplements by a date
  | 'CONFIRMED'
  | 'REJECTED'
  | 'NOT_ACCEPTED'
  | 'WITHDRAWN'
  | 'DISPUTE_FOUND' // 民事诉讼法 Art 186: the special procedure ends, the parties may sue
  | 'LAPSED'; // not submitted within the 30-day window

export const CONFIRMATION_STATUS_LABELS: Record<ConfirmationStatus, string> = {
  PREPARING: '申请准备（双方签名）',
  SUBMITTED: '已提交法院',
  ACCEPTED: '法院已受理',
  CORRECTION: '补正中',
  CONFIRMED: '裁定确认有效',
  REJECTED: '裁定驳回申请',
  NOT_ACCEPTED: '裁定不予受理',
  WITHDRAWN: '撤回申请',
  DISPUTE_FOUND: '终结特别程序',
  LAPSED: '逾期未申请',
};

const CONFIRMATION_FINAL: readonly ConfirmationStatus[] = [
  'CONFIRMED',
  'REJECTED',
  'NOT_ACCEPTED',
  'WITHDRAWN',
  'DISPUTE_FOUND',
  'LAPSED',
];

export type ConfirmationState = {
  kind: 'judicial_confirmation';
  caseId: string;
  /** The n-th application of this case (after a rejection the parties may re-mediate and apply again). */
  n: number;
  status: ConfirmationStatus;
  court: { institutionId: string; name: string; venueGround: VenueGround };
  /** Principal parties: all must sign the joint application. */
  applicants: string[];
  signedBy: string[];
  agreementVersion: number;
  /** The end of the 30 days to apply (民事诉讼法 Art 205); unset when the calendar could not count them. */
  applyBy?: string;
  courtCaseNumber?: string;
  correction?: { since: string; items: string[] };
  pauses: Pause[];
  extensionDays: number;
  deadlines: Partial<Record<DeadlineRuleId, DeadlineState>>;
  outcome?: { status: ConfirmationStatus; ground?: string; note?: string; at: string };
};

export type ConfirmationCommand =
  | {
      type: 'sign_application';
      actor: Actor;
      partyId: string;
      method: 'handwritten' | 'seal' | 'fingerprint' | 'electronic';
    }
  | { type: 'court_accepts'; actor: Actor; courtCaseNumber: string }
  | { type: 'court_does_not_accept'; actor: Actor; ground: NotAcceptedGround; note?: string | undefined }
  | { type: 'request_correction'; actor: Actor; items: string[]; days: number }
  | { type: 'submit_correction'; actor: Actor; note?: string | undefined }
  | { type: 'extend_review'; actor: Actor; approvedBy: string }
  | {
      type: 'court_rules';
      actor: Actor;
      outcome: 'confirmed' | 'rejected';
      ground?: RejectionGround | undefined;
      note?: string | undefined;
    }
  | { type: 'court_finds_dispute'; actor: Actor; note?: string | undefined }
  | { type: 'withdraw'; actor: Actor; partyId: string; note?: string | undefined }
  | { type: 'window_closed'; actor: Actor }
  | { type: 'deadline_expired'; actor: Actor; ruleId: DeadlineRuleId }
  | { type: 'deadline_reminder'; actor: Actor; ruleId: DeadlineRuleId };

/**
 * The judicial-confirmation rule book: for each command, who may give it, in which states of the application,
 * and the handler that applies its article. A state list left empty means any state (the timers).
 */
const CONFIRMATION_BOOK: RuleBook<ConfirmationState, ConfirmationCommand> = {
  sign_application: { roles: ['party', 'clerk'], states: ['PREPARING'], handle: signConfirmationApplication },
  court_accepts: { roles: ['court'], states: ['SUBMITTED'], handle: courtAccepts },
  court_does_not_accept: { roles: ['court'], states: ['SUBMITTED'], handle: courtDoesNotAccept },
  request_correction: { roles: ['court'], states: ['SUBMITTED', 'ACCEPTED'], handle: requestCorrection },
  submit_correction: { roles: ['clerk', 'party'], states: ['CORRECTION'], handle: submitCorrection },
  extend_review: { roles: ['court'], states: ['ACCEPTED', 'CORRECTION'], handle: extendReview },
  court_rules: { roles: ['court'], states: ['ACCEPTED'], handle: courtRules },
  court_finds_dispute: { roles: ['court'], states: ['ACCEPTED', 'CORRECTION'], handle: courtFindsDispute },
  // Either party may withdraw before the ruling (2011 规定 Art 5; 解释 Art 357).
  withdraw: {
    roles: ['party', 'clerk'],
    states: ['PREPARING', 'SUBMITTED', 'ACCEPTED', 'CORRECTION'],
    handle: withdrawConfirmation,
  },
  window_closed: { roles: ['system'], states: ['PREPARING'], handle: closeApplicationWindow },
  deadline_expired: { roles: ['system'], states: [], handle: confirmationDeadlineExpired },
  deadline_reminder: { roles: ['system'], states: [], handle: remindDeadline },
};

export const CONFIRMATION_ROLES: Record<ConfirmationCommand['type'], readonly Role[]> = rolesOf(CONFIRMATION_BOOK);

export function initialConfirmation(input: {
  caseId: string;
  n: number;
  court: ConfirmationState['court'];
  applicants: string[];
  agreementVersion: number;
  applyBy?: string;
}): ConfirmationState {
  return {
    kind: 'judicial_confirmation',
    ...input,
    status: 'PREPARING',
    signedBy: [],
    pauses: [],
    extensionDays: 0,
    deadlines: {},
  };
}

export function isFinal(s: ConfirmationState | NotarizationState): boolean {
  return s.kind === 'judicial_confirmation'
    ? CONFIRMATION_FINAL.includes(s.status)
    : NOTARIZATION_FINAL.includes(s.status);
}

/** Who acts for whom: a party for itself or through its guardian or agent (the case knows who represents whom). */
export type Representation = Record<string, string>;

export function decideConfirmation(
  state: ConfirmationState,
  command: ConfirmationCommand,
  now: Date,
  represents: Representation = {},
): ProcessDecision<ConfirmationState> {
  return applyRuleBook(CONFIRMATION_BOOK, state, command, now, represents);
}

type ConfirmationTurn<T extends ConfirmationCommand['type']> = Turn<
  ConfirmationState,
  Extract<ConfirmationCommand, { type: T }>
>;
type ConfirmationDecision = ProcessDecision<ConfirmationState>;

/** The parties sign the joint application; with the last signature it goes to the court (民事诉讼法 Art 205). */
function signConfirmationApplication(t: ConfirmationTurn<'sign_application'>): ConfirmationDecision {
  const { state, command, now, at, emit, effects } = t;
  if (!state.applicants.includes(command.partyId))
    return refusal('wrong_state', 'not_an_applicant', 'only the parties to the agreement sign the joint application');
  const refused = signatureRefusal(t, state.signedBy);
  if (refused) return refused;
  if (state.applyBy && now.getTime() > Date.parse(state.applyBy))
    return rule(
      'window_closed',
      'the 30 days to apply for judicial confirmation have run out',
      '民事诉讼法第二百零五条',
    );
  const signedBy = [...state.signedBy, command.partyId];
  emit('ConfirmationApplicationSigned', { partyId: command.partyId, method: command.method });
  if (!state.applicants.every((p) => signedBy.includes(p))) return done(t, { signedBy });
  // Both parties have applied jointly (民事诉讼法 Art 205): the application goes to the court.
  emit('ConfirmationApplicationSubmitted', {
    courtInstitutionId: state.court.institutionId,
    venueGround: state.court.venueGround,
    venueBasis: '民事诉讼法第二百零五条',
    agreementVersion: state.agreementVersion,
  });
  effects.push({ kind: 'render_document', document: 'judicial_confirmation_application', version: state.n });
  effects.push({ kind: 'notify_institution', message: 'application_submitted' });
  effects.push({ kind: 'start_deadline', ruleId: 'court_confirmation_acceptance', startedAt: at });
  return done(t, { signedBy, status: 'SUBMITTED' });
}

/** The court files the application (2011 规定 Art 4). */
function courtAccepts(t: ConfirmationTurn<'court_accepts'>): ConfirmationDecision {
  const { command, at, emit, effects } = t;
  if (!/\S/.test(command.courtCaseNumber))
    return refusal('wrong_state', 'case_number_required', 'the court case number (民特 or 诉前调确) is required');
  emit('ConfirmationAccepted', {
    courtCaseNumber: command.courtCaseNumber,
    article: '最高人民法院《关于人民调解协议司法确认程序的若干规定》第四条',
  });
  effects.push({ kind: 'stop_deadline', ruleId: 'court_confirmation_acceptance', outcome: 'met' });
  // Ruling within 15 days of acceptance (2011 规定 Art 5), within the 30-day ceiling (民事诉讼法 Art 187).
  effects.push({ kind: 'start_deadline', ruleId: 'court_confirmation_decision', startedAt: at });
  effects.push({ kind: 'start_deadline', ruleId: 'court_confirmation_ceiling', startedAt: at });
  return done(t, { status: 'ACCEPTED', courtCaseNumber: command.courtCaseNumber });
}

/** The court rules not to accept, on one of the grounds of 解释 Art 355. */
function courtDoesNotAccept(t: ConfirmationTurn<'court_does_not_accept'>): ConfirmationDecision {
  const { command } = t;
  return endApplication(
    t,
    'NOT_ACCEPTED',
    'ConfirmationNotAccepted',
    { ground: command.ground, groundLabel: NOT_ACCEPTED_GROUNDS[command.ground], article: '民诉法解释第三百五十五条' },
    command.ground,
    command.note,
  );
}

/** The court asks for supplements by a date (解释 Art 354). */
function requestCorrection(t: ConfirmationTurn<'request_correction'>): ConfirmationDecision {
  const { state, command, at, emit, effects } = t;
  if (command.items.length === 0) return refusal('wrong_state', 'items_required', 'name what is to be supplemented');
  if (!Number.isInteger(command.days) || command.days < 1 || command.days > 30)
    return refusal('wrong_state', 'days_out_of_range', 'the period for supplements is 1 to 30 days');
  emit('ConfirmationCorrectionRequested', {
    items: command.items,
    days: command.days,
    article: '民诉法解释第三百五十四条',
  });
  // The review clock stands still while the parties supplement (补正 excluded).
  if (state.deadlines.court_confirmation_decision?.status === 'open')
    effects.push({ kind: 'pause_deadline', ruleId: 'court_confirmation_decision' });
  effects.push({
    kind: 'start_deadline',
    ruleId: 'court_confirmation_correction',
    startedAt: at,
    length: command.days,
  });
  return done(t, { status: 'CORRECTION', correction: { since: at, items: command.items } });
}

/** The supplements are handed in: the review clock runs again, the time spent supplementing excluded. */
function submitCorrection(t: ConfirmationTurn<'submit_correction'>): ConfirmationDecision {
  const { state, command, at, emit, effects, events } = t;
  emit('ConfirmationCorrectionSubmitted', command.note ? { note: command.note } : {});
  effects.push({ kind: 'stop_deadline', ruleId: 'court_confirmation_correction', outcome: 'met' });
  effects.push({ kind: 'notify_institution', message: 'correction_submitted' });
  const wasAccepted = state.courtCaseNumber !== undefined;
  const pauses = wasAccepted ? [...state.pauses, { from: state.correction?.since ?? at, to: at }] : state.pauses;
  if (state.deadlines.court_confirmation_decision?.status === 'paused')
    effects.push({ kind: 'recompute_deadline', ruleId: 'court_confirmation_decision' });
  const { correction: _c, ...rest } = state;
  return { ok: true, state: { ...rest, status: wasAccepted ? 'ACCEPTED' : 'SUBMITTED', pauses }, events, effects };
}

/** With the court president's approval the review is extended once, by 10 days (2011 规定 Art 5). */
function extendReview(t: ConfirmationTurn<'extend_review'>): ConfirmationDecision {
  const { state, command, emit, effects } = t;
  if (state.extensionDays > 0)
    return rule(
      'already_extended',
      'the review period can be extended once, by 10 days',
      '最高人民法院《关于人民调解协议司法确认程序的若干规定》第五条',
    );
  emit('ConfirmationReviewExtended', {
    days: 10,
    approvedBy: command.approvedBy,
    article: '最高人民法院《关于人民调解协议司法确认程序的若干规定》第五条',
  });
  if (state.deadlines.court_confirmation_decision?.status === 'open')
    effects.push({ kind: 'recompute_deadline', ruleId: 'court_confirmation_decision' });
  return done(t, { extensionDays: 10 });
}

/** The court confirms the agreement or rejects the application, naming the ground (民事诉讼法 Art 206; 解释 Art 358). */
function courtRules(t: ConfirmationTurn<'court_rules'>): ConfirmationDecision {
  const { state, command } = t;
  if (command.outcome === 'confirmed') {
    // Valid and enforceable: on non-performance the other party may apply to this court (民事诉讼法 Art 206).
    return endApplication(
      t,
      'CONFIRMED',
      'ConfirmationRuled',
      { outcome: 'confirmed', article: '民事诉讼法第二百零六条', enforcementCourt: state.court.institutionId },
      undefined,
      command.note,
    );
  }
  if (!command.ground)
    return refusal('wrong_state', 'ground_required', 'a rejection names its ground (民诉法解释第三百五十八条)');
  // The parties may change the agreement by mediation, make a new one, or sue (民事诉讼法 Art 206).
  return endApplication(
    t,
    'REJECTED',
    'ConfirmationRuled',
    {
      outcome: 'rejected',
      ground: command.ground,
      groundLabel: REJECTION_GROUNDS[command.ground],
      article: '民事诉讼法第二百零六条；民诉法解释第三百五十八条',
      routes: ['re_mediation', 'litigation'],
    },
    command.ground,
    command.note,
  );
}

/** The court finds a dispute over the agreement: the special procedure ends, the parties may sue (民事诉讼法 Art 186). */
function courtFindsDispute(t: ConfirmationTurn<'court_finds_dispute'>): ConfirmationDecision {
  return endApplication(
    t,
    'DISPUTE_FOUND',
    'ConfirmationProcedureEnded',
    { article: '民事诉讼法第一百八十六条', routes: ['litigation'] },
    undefined,
    t.command.note,
  );
}

/** An applicant withdraws before the ruling (解释 Art 357); the court is told once it has the application. */
function withdrawConfirmation(t: ConfirmationTurn<'withdraw'>): ConfirmationDecision {
  const { state, command, represents, effects } = t;
  if (!state.applicants.includes(command.partyId))
    return refusal('wrong_state', 'not_an_applicant', 'only an applicant may withdraw');
  if (!actsFor(command.actor, command.partyId, represents))
    return refusal('forbidden', 'not_your_party', 'a party withdraws only for themselves');
  if (state.status !== 'PREPARING') effects.push({ kind: 'notify_institution', message: 'withdrawn' });
  return endApplication(
    t,
    'WITHDRAWN',
    'ConfirmationWithdrawn',
    { partyId: command.partyId, article: '民诉法解释第三百五十七条' },
    undefined,
    command.note,
  );
}

/** The 30 days to apply (民事诉讼法 Art 205) ran out while the parties were still signing. */
function closeApplicationWindow(t: ConfirmationTurn<'window_closed'>): ConfirmationDecision {
  // A timer queued behind a recount that moved the window later must not close it.
  if (t.state.applyBy && Date.parse(t.state.applyBy) > t.now.getTime())
    return refusal('wrong_state', 'not_yet_due', 'the window to apply has moved and is still open');
  return endApplication(t, 'LAPSED', 'ConfirmationWindowClosed', { article: '民事诉讼法第二百零五条' });
}

/** A court's clock ran out. Missed supplements withdraw the application; a late acceptance or ruling is escalated. */
function confirmationDeadlineExpired(t: ConfirmationTurn<'deadline_expired'>): ConfirmationDecision {
  const expired = expireDeadline(t);
  if (!expired.ok) return expired;
  // The clocks `endApplication` stops are those that ran before this timer (the expired one among them).
  const after = { ...t, state: { ...t.state, deadlines: expired.deadlines } };
  if (t.command.ruleId === 'court_confirmation_correction' && t.state.status === 'CORRECTION') {
    // Supplements not made by the court's date: treated as withdrawn (民诉法解释 Art 357).
    return endApplication(after, 'WITHDRAWN', 'ConfirmationWithdrawn', {
      treatedAsWithdrawn: true,
      reason: 'correction_missed',
      article: '民诉法解释第三百五十七条',
    });
  }
  // A late acceptance or ruling is an escalation: the SLA-breach list shows it, the court is asked.
  return done(after, {});
}

/**
 * The application ends: the court's clocks stop (met when the court decided, cancelled otherwise), the event
 * is recorded and the outcome kept with its ground and note.
 */
function endApplication(
  t: Turn<ConfirmationState, ConfirmationCommand>,
  status: ConfirmationStatus,
  type: string,
  payload: Record<string, unknown>,
  ground?: string,
  note?: string,
): ConfirmationDecision {
  t.stopAll(status === 'CONFIRMED' || status === 'REJECTED' || status === 'NOT_ACCEPTED' ? 'met' : 'cancelled');
  t.emit(type, { ...payload, ...(note ? { note } : {}) });
  return done(t, { status, outcome: { status, ...(ground ? { ground } : {}), ...(note ? { note } : {}), at: t.at } });
}

// Notarization ---------------------------------------------------------------------------------------------

/** 公证法 Art 31 grounds a notary refuses on (those that can apply to a mediation agreement). */
export const NOTARY_REFUSAL_GROUNDS = {
  no_interest: '申请人与申请公证的事项没有利害关系',
  disputed: '当事人之间对申请公证的事项有争议',
  false_materials: '当事人虚构、隐瞒事实，或者提供虚假证明材料',
  insufficient_materials: '当事人提供的证明材料不充分或者拒绝补充证明材料',
  not_true_or_lawful: '申请公证的事项不真实、不合法',
  against_public_order: '申请公证的事项违背社会公德',
  fee_refused: '当事人拒绝按照规定支付公证费',
} as const;
export type NotaryRefusalGround = keyof typeof NOTARY_REFUSAL_GROUNDS;

/** Besides supplements, the time the notary spends verifying facts, or lost to force majeure, does not count (公证法 Art 30). */
export const NOTARY_PAUSE_REASONS = {
  verification: '需要核实有关情况',
  force_majeure: '不可抗力',
} as const;
export type NotaryPauseReason = keyof typeof NOTARY_PAUSE_REASONS;

export type NotarizationStatus =
  'PREPARING' | 'REQUESTED' | 'ACCEPTED' | 'SUPPLEMENTING' | 'PAUSED' | 'ISSUED' | 'REFUSED' | 'WITHDRAWN';
export const NOTARIZATION_STATUS_LABELS: Record<NotarizationStatus, string> = {
  PREPARING: '申请准备（双方签名，债务人承诺）',
  REQUESTED: '已申请',
  ACCEPTED: '公证处已受理',
  SUPPLEMENTING: '补充材料中',
  PAUSED: '期限中止（核实有关情况或不可抗力）',
  ISSUED: '已出具公证书（赋予强制执行效力）',
  REFUSED: '不予办理公证',
  WITHDRAWN: '撤回申请',
};
const NOTARIZATION_FINAL: readonly NotarizationStatus[] = ['ISSUED', 'REFUSED', 'WITHDRAWN'];

export type NotarizationState = {
  kind: 'notarization';
  caseId: string;
  n: number;
  status: NotarizationStatus;
  notary: { institutionId: string; name: string };
  creditorPartyId: string;
  debtorPartyId: string;
  /** Both sign the application; the debtor's signature carries the commitment to enforcement. */
  signedBy: string[];
  agreementVersion: number;
  /** A legal-aid party pays a reduced fee or none (公证法 Art 34). */
  feeReduction: boolean;
  supplement?: { since: string; items: string[] };
  /** The notary verifies facts, or force majeure stops the work: the time does not count (公证法 Art 30). */
  halt?: { reason: NotaryPauseReason; since: string };
  pauses: Pause[];
  deadlines: Partial<Record<DeadlineRuleId, DeadlineState>>;
  certificateNumber?: string;
  outcome?: { status: NotarizationStatus; ground?: string; note?: string; at: string };
};

export type NotarizationCommand =
  | {
      type: 'sign_application';
      actor: Actor;
      partyId: string;
      method: 'handwritten' | 'seal' | 'fingerprint' | 'electronic';
    }
  | { type: 'notary_accepts'; actor: Actor }
  | { type: 'request_supplement'; actor: Actor; items: string[] }
  | { type: 'submit_supplement'; actor: Actor; note?: string | undefined }
  | { type: 'pause_period'; actor: Actor; reason: NotaryPauseReason; note?: string | undefined }
  | { type: 'resume_period'; actor: Actor; note?: string | undefined }
  | { type: 'issue_certificate'; actor: Actor; certificateNumber: string }
  | { type: 'refuse_notarization'; actor: Actor; ground: NotaryRefusalGround; note?: string | undefined }
  | { type: 'withdraw'; actor: Actor; partyId: string; note?: string | undefined }
  | { type: 'deadline_expired'; actor: Actor; ruleId: DeadlineRuleId }
  | { type: 'deadline_reminder'; actor: Actor; ruleId: DeadlineRuleId };

/** The notarization rule book: for each command, who may give it, in which states, and its handler. */
const NOTARIZATION_BOOK: RuleBook<NotarizationState, NotarizationCommand> = {
  sign_application: { roles: ['party', 'clerk'], states: ['PREPARING'], handle: signNotarizationApplication },
  notary_accepts: { roles: ['notary'], states: ['REQUESTED'], handle: notaryAccepts },
  request_supplement: { roles: ['notary'], states: ['ACCEPTED'], handle: requestSupplement },
  submit_supplement: { roles: ['clerk', 'party'], states: ['SUPPLEMENTING'], handle: submitSupplement },
  pause_period: { roles: ['notary'], states: ['ACCEPTED'], handle: pausePeriod },
  resume_period: { roles: ['notary'], states: ['PAUSED'], handle: resumePeriod },
  issue_certificate: { roles: ['notary'], states: ['ACCEPTED', 'PAUSED'], handle: issueCertificate },
  refuse_notarization: {
    roles: ['notary'],
    states: ['REQUESTED', 'ACCEPTED', 'SUPPLEMENTING', 'PAUSED'],
    handle: refuseNotarization,
  },
  withdraw: {
    roles: ['party', 'clerk'],
    states: ['PREPARING', 'REQUESTED', 'ACCEPTED', 'SUPPLEMENTING', 'PAUSED'],
    handle: withdrawNotarization,
  },
  deadline_expired: { roles: ['system'], states: [], handle: notarizationDeadlineExpired },
  deadline_reminder: { roles: ['system'], states: [], handle: remindDeadline },
};

export const NOTARIZATION_ROLES: Record<NotarizationCommand['type'], readonly Role[]> = rolesOf(NOTARIZATION_BOOK);

export function initialNotarization(
  input: Omit<NotarizationState, 'kind' | 'status' | 'pauses' | 'deadlines' | 'signedBy'>,
): NotarizationState {
  return { kind: 'notarization', ...input, status: 'PREPARING', signedBy: [], pauses: [], deadlines: {} };
}

/**
 * Whether an agreement can be notarized with enforcement effect (公证法 Art 37; 公证程序规则 Art 39;
 * 司发通〔2000〕107号): a payment of money, goods or securities, definite in amount and time, with the
 * debtor's written consent to enforcement and both sides' consent to the notary verifying performance.
 */
export function notarizationEligibility(input: {
  form: 'written' | 'oral';
  schedule: { amountFen?: number | undefined; dueDate?: string | undefined }[];
  obligation: 'money' | 'goods' | 'securities' | 'other';
}): { ok: true } | { ok: false; code: string; message: string; article: string } {
  const article = '公证法第三十七条；公证程序规则第三十九条';
  if (input.form !== 'written')
    return {
      ok: false,
      code: 'written_instrument_required',
      message: 'only a written agreement (a 债权文书) can be notarized',
      article,
    };
  if (input.obligation === 'other')
    return {
      ok: false,
      code: 'not_a_payment',
      message: 'only an obligation to pay money or deliver goods or securities can be given enforcement effect',
      article,
    };
  // Money: each payment with its amount and date. Goods or securities: each delivery dated (the wording names what).
  const obligations =
    input.obligation === 'money'
      ? input.schedule.filter((t) => t.amountFen !== undefined && t.amountFen > 0)
      : input.schedule.filter((t) => t.dueDate);
  if (obligations.length === 0) {
    return {
      ok: false,
      code: 'not_a_payment',
      message:
        input.obligation === 'money'
          ? 'the agreement has no term that pays a definite amount'
          : 'the agreement has no dated delivery',
      article,
    };
  }
  if (obligations.some((t) => !t.dueDate))
    return {
      ok: false,
      code: 'indefinite_terms',
      message: 'every payment needs a definite date (manner, content and time of performance must be definite)',
      article,
    };
  return { ok: true };
}

export function decideNotarization(
  state: NotarizationState,
  command: NotarizationCommand,
  now: Date,
  represents: Representation = {},
): ProcessDecision<NotarizationState> {
  return applyRuleBook(NOTARIZATION_BOOK, state, command, now, represents);
}

type NotarizationTurn<T extends NotarizationCommand['type']> = Turn<
  NotarizationState,
  Extract<NotarizationCommand, { type: T }>
>;
type NotarizationDecision = ProcessDecision<NotarizationState>;

/** Creditor and debtor sign the application; with both signatures it goes to the notary. */
function signNotarizationApplication(t: NotarizationTurn<'sign_application'>): NotarizationDecision {
  const { state, command, emit, effects } = t;
  if (command.partyId !== state.creditorPartyId && command.partyId !== state.debtorPartyId)
    return refusal('wrong_state', 'not_an_applicant', 'creditor and debtor sign the application');
  const refused = signatureRefusal(t, state.signedBy);
  if (refused) return refused;
  const signedBy = [...state.signedBy, command.partyId];
  const debtor = command.partyId === state.debtorPartyId;
  // The debtor's signature is the written commitment to accept enforcement, and both sides consent to
  // the notary verifying performance (公证程序规则 Art 39(4)(5)).
  emit('NotarizationApplicationSigned', {
    partyId: command.partyId,
    method: command.method,
    as: debtor ? 'debtor' : 'creditor',
    ...(debtor ? { enforcementCommitment: true } : {}),
    verificationConsent: true,
  });
  if (!signedBy.includes(state.creditorPartyId) || !signedBy.includes(state.debtorPartyId))
    return done(t, { signedBy });
  emit('NotarizationApplicationSubmitted', {
    notaryInstitutionId: state.notary.institutionId,
    agreementVersion: state.agreementVersion,
  });
  effects.push({ kind: 'render_document', document: 'notarization_request', version: state.n });
  effects.push({ kind: 'notify_institution', message: 'application_submitted' });
  return done(t, { signedBy, status: 'REQUESTED' });
}

/** The notary accepts the application (公证法 Art 30). */
function notaryAccepts(t: NotarizationTurn<'notary_accepts'>): NotarizationDecision {
  t.emit('NotarizationAccepted', { article: '公证法第三十条' });
  // The certificate within 15 working days of acceptance (公证法 Art 30).
  t.effects.push({ kind: 'start_deadline', ruleId: 'notarization', startedAt: t.at });
  return done(t, { status: 'ACCEPTED' });
}

/** The notary asks for further materials. */
function requestSupplement(t: NotarizationTurn<'request_supplement'>): NotarizationDecision {
  const { command, at, emit, effects } = t;
  if (command.items.length === 0) return refusal('wrong_state', 'items_required', 'name the materials to supplement');
  // Time for supplementing materials does not count (公证法 Art 30), and the parties are told (公证程序规则 Art 35).
  emit('NotarizationSupplementRequested', { items: command.items, article: '公证法第三十条；公证程序规则第三十五条' });
  effects.push({ kind: 'pause_deadline', ruleId: 'notarization' });
  return done(t, { status: 'SUPPLEMENTING', supplement: { since: at, items: command.items } });
}

/** The materials are handed in: the 15 working days run again, the time spent supplementing excluded. */
function submitSupplement(t: NotarizationTurn<'submit_supplement'>): NotarizationDecision {
  const { state, command, at, emit, effects, events } = t;
  emit('NotarizationSupplementSubmitted', command.note ? { note: command.note } : {});
  effects.push({ kind: 'notify_institution', message: 'supplement_submitted' });
  effects.push({ kind: 'recompute_deadline', ruleId: 'notarization' });
  const { supplement, ...rest } = state;
  return {
    ok: true,
    state: { ...rest, status: 'ACCEPTED', pauses: [...state.pauses, { from: supplement?.since ?? at, to: at }] },
    events,
    effects,
  };
}

/** The notary verifies facts, or force majeure stops the work: the period stands still (公证法 Art 30). */
function pausePeriod(t: NotarizationTurn<'pause_period'>): NotarizationDecision {
  const { command, at, emit, effects } = t;
  emit('NotarizationPeriodPaused', {
    reason: command.reason,
    reasonLabel: NOTARY_PAUSE_REASONS[command.reason],
    article: '公证法第三十条',
    ...(command.note ? { note: command.note } : {}),
  });
  effects.push({ kind: 'pause_deadline', ruleId: 'notarization' });
  return done(t, { status: 'PAUSED', halt: { reason: command.reason, since: at } });
}

/** The work resumes: the period runs again with the halt excluded. */
function resumePeriod(t: NotarizationTurn<'resume_period'>): NotarizationDecision {
  const { state, command, at, emit, effects, events } = t;
  emit('NotarizationPeriodResumed', {
    pausedFrom: state.halt?.since ?? at,
    ...(command.note ? { note: command.note } : {}),
  });
  effects.push({ kind: 'recompute_deadline', ruleId: 'notarization' });
  const { halt, ...rest } = state;
  return {
    ok: true,
    state: { ...rest, status: 'ACCEPTED', pauses: [...state.pauses, { from: halt?.since ?? at, to: at }] },
    events,
    effects,
  };
}

/** The notary issues the certificate with enforcement effect. */
function issueCertificate(t: NotarizationTurn<'issue_certificate'>): NotarizationDecision {
  const { command, at, emit, stopAll } = t;
  if (!/\S/.test(command.certificateNumber))
    return refusal('wrong_state', 'certificate_number_required', 'the certificate number is required');
  stopAll('met');
  // Effective on issue (公证法 Art 32); enforceable on default (公证法 Art 37; 民事诉讼法 Art 249).
  emit('NotarizationIssued', { certificateNumber: command.certificateNumber, article: '公证法第三十二条、第三十七条' });
  return done(t, { status: 'ISSUED', certificateNumber: command.certificateNumber, outcome: { status: 'ISSUED', at } });
}

/** The notary refuses on one of the grounds of 公证法 Art 31. */
function refuseNotarization(t: NotarizationTurn<'refuse_notarization'>): NotarizationDecision {
  const { command, at, emit, stopAll } = t;
  stopAll('met');
  emit('NotarizationRefused', {
    ground: command.ground,
    groundLabel: NOTARY_REFUSAL_GROUNDS[command.ground],
    article: '公证法第三十一条',
    ...(command.note ? { note: command.note } : {}),
  });
  return done(t, {
    status: 'REFUSED',
    outcome: { status: 'REFUSED', ground: command.ground, ...(command.note ? { note: command.note } : {}), at },
  });
}

/** An applicant withdraws; the notary is told once it has the application. */
function withdrawNotarization(t: NotarizationTurn<'withdraw'>): NotarizationDecision {
  const { state, command, represents, at, emit, effects, stopAll } = t;
  if (command.partyId !== state.creditorPartyId && command.partyId !== state.debtorPartyId)
    return refusal('wrong_state', 'not_an_applicant', 'only an applicant may withdraw');
  if (!actsFor(command.actor, command.partyId, represents))
    return refusal('forbidden', 'not_your_party', 'a party withdraws only for themselves');
  stopAll('cancelled');
  if (state.status !== 'PREPARING') effects.push({ kind: 'notify_institution', message: 'withdrawn' });
  emit('NotarizationWithdrawn', { partyId: command.partyId, ...(command.note ? { note: command.note } : {}) });
  return done(t, { status: 'WITHDRAWN', outcome: { status: 'WITHDRAWN', at } });
}

/** The 15 working days ran out. */
function notarizationDeadlineExpired(t: NotarizationTurn<'deadline_expired'>): NotarizationDecision {
  const expired = expireDeadline(t);
  if (!expired.ok) return expired;
  // A late certificate is escalated (the SLA-breach list); the notary still issues or refuses.
  return done(t, { deadlines: expired.deadlines });
}

// Shared ---------------------------------------------------------------------------------------------------

/** A command's entry in a rule book: who may give it, in which states (none listed: any), and its handler. */
type RuleBook<S extends SecuringState, C extends { type: string }> = {
  [T in C['type']]: {
    roles: readonly Role[];
    states: readonly S['status'][];
    handle: (t: Turn<S, Extract<C, { type: T }>>) => ProcessDecision<S>;
  };
};
type SecuringState = ConfirmationState | NotarizationState;
type Deadlines = Partial<Record<DeadlineRuleId, DeadlineState>>;

/** What a handler is given: the state, the command and its time, who represents whom, and the decision so far. */
type Turn<S, C> = {
  state: S;
  command: C;
  now: Date;
  represents: Representation;
  at: string;
  events: ProcessEvent[];
  effects: ProcessEffect[];
  emit: (type: string, payload?: Record<string, unknown>) => void;
  /** Stops every running clock of the process, as the clocks stood before this command. */
  stopAll: (outcome: 'met' | 'cancelled') => void;
};

/** Checks the command's role and state against its rule book entry, then lets its handler decide. */
function applyRuleBook<S extends SecuringState, C extends { type: string; actor: Actor }>(
  book: RuleBook<S, C>,
  state: S,
  command: C,
  now: Date,
  represents: Representation,
): ProcessDecision<S> {
  const entry = book[command.type as C['type']];
  const pre = precheck(entry.roles, entry.states, state.status, command.actor);
  if (pre) return pre;
  // The entry found by `command.type` handles exactly that command (TypeScript cannot correlate the two).
  const handle = entry.handle as (t: Turn<S, C>) => ProcessDecision<S>;
  return handle({ state, command, now, represents, ...kit(state, command.actor, now) });
}

function rolesOf<C extends string>(book: Record<C, { roles: readonly Role[] }>): Record<C, readonly Role[]> {
  return Object.fromEntries(
    Object.entries<{ roles: readonly Role[] }>(book).map(([type, entry]) => [type, entry.roles]),
  ) as Record<C, readonly Role[]>;
}

/** What every decision builds: its time, the events and effects so far, and ways to add to them. */
function kit(state: { deadlines: Deadlines }, actor: Actor, now: Date) {
  const at = now.toISOString();
  const events: ProcessEvent[] = [];
  const effects: ProcessEffect[] = [];
  const emit = (type: string, payload: Record<string, unknown> = {}) => {
    events.push({ type, at, actor, payload });
  };
  const stopAll = (outcome: 'met' | 'cancelled') => {
    for (const [id, d] of Object.entries(state.deadlines)) {
      if (d && (d.status === 'open' || d.status === 'paused'))
        effects.push({ kind: 'stop_deadline', ruleId: id as DeadlineRuleId, outcome });
    }
  };
  return { at, events, effects, emit, stopAll };
}

/** The handler's decision: the state with these changes, and the events and effects it built. */
function done<S>(t: Turn<S, unknown>, changes: Partial<S>): ProcessDecision<S> {
  return { ok: true, state: { ...t.state, ...changes }, events: t.events, effects: t.effects };
}

function precheck<S extends string>(
  roles: readonly Role[],
  states: readonly S[],
  status: S,
  actor: Actor,
): { ok: false; refusal: Refusal } | undefined {
  if (!roles.includes(actor.role)) return refusal('forbidden', 'role_not_allowed', `a ${actor.role} may not do this`);
  if (states.length > 0 && !states.includes(status))
    return refusal('wrong_state', 'wrong_state', `the application is ${status}; this is not possible now`);
  return undefined;
}

function actsFor(actor: Actor, partyId: string, represents: Representation): boolean {
  return actor.role !== 'party' || actor.id === partyId || represents[actor.id] === partyId;
}

/** A party signs for itself (or through its guardian or agent), electronically only in person, and once. */
function signatureRefusal(
  t: Turn<unknown, { actor: Actor; partyId: string; method: 'handwritten' | 'seal' | 'fingerprint' | 'electronic' }>,
  signedBy: readonly string[],
): { ok: false; refusal: Refusal } | undefined {
  const { command, represents } = t;
  if (!actsFor(command.actor, command.partyId, represents))
    return refusal('forbidden', 'not_your_party', 'a party signs only for themselves');
  if (command.method === 'electronic' && command.actor.role !== 'party')
    return refusal('forbidden', 'electronic_signature_by_party', 'only the party signs electronically');
  if (signedBy.includes(command.partyId))
    return refusal('wrong_state', 'already_signed', 'this party has already signed the application');
  return undefined;
}

/** A clock's reminder timer fired: it is recorded once, if the clock is still open and the reminder due. */
function remindDeadline<S extends SecuringState>(t: Turn<S, { ruleId: DeadlineRuleId }>): ProcessDecision<S> {
  const { state, command, now, emit } = t;
  const d = state.deadlines[command.ruleId];
  if (!d || d.status !== 'open' || d.reminded || !d.reminderAt || Date.parse(d.reminderAt) > now.getTime())
    return refusal('wrong_state', 'no_reminder_due', 'no reminder due');
  emit('DeadlineReminder', { ruleId: command.ruleId, dueAt: d.dueAt });
  return done<S>(t, { deadlines: { ...state.deadlines, [command.ruleId]: { ...d, reminded: true } } } as Partial<S>);
}

/** A clock's timer fired: it expires only if still open and due (a recount may have moved it later). */
function expireDeadline(
  t: Turn<SecuringState, { ruleId: DeadlineRuleId }>,
): { ok: true; deadlines: Deadlines } | { ok: false; refusal: Refusal } {
  const { state, command, now, emit } = t;
  const d = state.deadlines[command.ruleId];
  if (!d || d.status !== 'open') return refusal('wrong_state', 'no_open_deadline', 'no such open deadline');
  if (Date.parse(d.dueAt) > now.getTime())
    return refusal('wrong_state', 'not_yet_due', 'the deadline has moved and is not due yet');
  emit('DeadlineExpired', { ruleId: command.ruleId, dueAt: d.dueAt });
  return { ok: true, deadlines: { ...state.deadlines, [command.ruleId]: { ...d, status: 'expired' as const } } };
}

function refusal(kind: 'wrong_state' | 'forbidden', code: string, message: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { kind, code, message } };
}

function rule(code: string, message: string, article: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { kind: 'rule', code, message, article } };
}
