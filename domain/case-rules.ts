/**
 * The case's rules as one pure function: `decide(state, command, now)` returns the new state, the events
 * to record and the effects to run (deadlines to start, stop or recompute), or a refusal with a code (and
 * the article, where a law forbids the action). The workflow applies it; the API never decides anything.
 * Steps 1-8 of "How a case travels" in domain.md. Table-tested without Temporal.
 */
import {
  COURT_CHANNELS,
  EFFECT_RULES,
  ELECTRONIC_SIGNATURE_EXCLUSION,
  NOT_ACCEPTED_REASONS,
  OTHER_ROUTES_NOTICE,
  PARTY_ROLE_LABELS,
  TERMINATION_REASONS,
  effectPathOf,
  type Actor,
  type CaseEvent,
  type CaseIntake,
  type CaseStatus,
  type DisputeType,
  type EffectPath,
  type IntakeChannel,
  type NotAcceptedReason,
  type PartyRole,
  type PriorProceedings,
  type Role,
  type TerminationReason,
} from './case.js';
import { chinaDateOf, daysBetween } from './calendar.js';
import { DEADLINE_RULES, mediationPeriodRule, type ComputedDeadline, type DeadlineRuleId, type Pause } from './deadlines.js';
import { LEGAL_AID_BASES, PRIORITY_GROUPS, judicialConfirmationOutlook, limitationAlert, type LegalAidBasis, type PriorityGroup } from './screening.js';
import {
  initialConfirmation,
  initialNotarization,
  notarizationEligibility,
  type ConfirmationState,
  type NotarizationState,
  type ProcessEvent,
  type SecuringKind,
  type VenueGround,
} from './securing.js';

export type DeadlineState = ComputedDeadline & {
  status: 'open' | 'met' | 'expired' | 'cancelled' | 'paused' | 'uncomputable';
  reminderAt: string | null;
  reminded: boolean;
  problem?: string;
  /** Kept by a securing process's own workflow (its timers); the case only shows it. */
  owner?: SecuringKind;
};

/** A dated obligation of the agreement: amounts and dates only (the wording stays in the stored draft). */
export type ScheduleItem = { amountFen?: number | undefined; dueDate?: string | undefined; payeePartyId?: string | undefined };

/** One instalment being performed; due at the end of its (rolled) last day. */
export type Instalment = {
  n: number;
  amountFen: number | null;
  dueDate: string;
  lastDay: string;
  dueAt: string;
  reminderAt: string | null;
  reminded: boolean;
  status: 'pending' | 'paid' | 'overdue';
  paidAt?: string;
  /** Who receives it, when the agreement says: only they (or staff for them) confirm it was paid. */
  payeePartyId?: string | undefined;
  /** The calendar its rest-day rollover was counted on (民法典 Art 203); absent in instalments from before. */
  calendarVersion?: string;
};

/** What the case knows of a securing process (its child workflow holds the rest). */
export type ProcessSummary = {
  kind: SecuringKind;
  n: number;
  workflowId: string;
  institutionId: string;
  /** The agreement version it secures: a new agreement after re-mediation needs its own. */
  agreementVersion: number;
  status: string;
  final: boolean;
  /** The last report recorded, so an HTTP answer can wait for it. */
  reportSeq: number;
  outcome?: { status: string; ground?: string; note?: string; at: string };
  courtCaseNumber?: string;
  certificateNumber?: string;
  feeReduction?: boolean;
};

/** A securing process tells the case what happened; the case records it in its own chain. */
export type ProcessReport = {
  kind: SecuringKind;
  n: number;
  reportSeq: number;
  status: string;
  final: boolean;
  events: ProcessEvent[];
  deadlines: (DeadlineState & { ruleId: DeadlineRuleId })[];
  outcome?: ProcessSummary['outcome'];
  courtCaseNumber?: string;
  certificateNumber?: string;
  /** The process's whole state after this report, for the record (reports from before it carry none). */
  state?: ConfirmationState | NotarizationState;
};

export type MediatorProposal = {
  mediatorId: string;
  orgId: string;
  mode: 'party_choice' | 'designated' | 'by_rule';
  /** Why this mediator: candidates, inputs, rule version, conflict check (domain.md step 4). */
  reasoning: Record<string, unknown>;
};

export type AgreementContent = {
  facts: string;
  /** `manner`: how this term is performed; drafts stored before it have none (the agreement's `performance` may say). */
  terms: { text: string; amountFen?: number | undefined; dueDate?: string | undefined; manner?: string | undefined; payeePartyId?: string | undefined }[];
  performance?: string | undefined;
  /** Notarization with enforcement effect is planned: these debtors' commitment is printed (公证法 Art 37). */
  notarization?: { debtorPartyIds: string[] } | undefined;
};

export type CaseState = {
  caseId: string;
  caseNumber?: string;
  status: CaseStatus;
  channel: IntakeChannel;
  disputeType: DisputeType;
  receivedAt: string;
  courtProcedure?: 'ordinary' | 'summary';
  /** A market regulator's complaint mediation (its 45 working days, 市场监督管理投诉举报处理暂行办法 Art 21). */
  marketRegulatorComplaint?: boolean;
  priorProceedings?: PriorProceedings;
  oneSided: boolean;
  /** Parties by id only (names and numbers stay in PostgreSQL). */
  parties: { partyId: string; role: PartyRole; representsPartyId?: string }[];
  /** Sequence number of the last recorded event. */
  lastSeq: number;
  contactLog: { at: string; channel: string; result: string }[];
  screening: {
    priorityGroups: PriorityGroup[];
    judicialConfirmation: { possible: boolean; reason: string };
    limitation: { level: 'none' | 'near' | 'expired'; endsOn: string; basis: string };
    legalAid: { status: 'none' | 'applied' | 'granted' | 'refused'; partyId?: string; basis?: LegalAidBasis; proof?: LegalAidProof; reason?: string; staffAssigned?: boolean; refusals?: number };
  };
  assignment: {
    orgId?: string;
    mediatorId?: string;
    mode?: MediatorProposal['mode'];
    excluded: string[];
    refusedByParties: number;
    /** A request for recusal awaiting the decision of the organization or the court. */
    recusal?: { mediatorId: string; partyId: string; ground: RecusalGround; requestedAt: string };
    /** Each party's choice of mediator while the parties choose (在线调解规则 Art 10): party id → mediator id. */
    choices?: Record<string, string>;
  };
  mediation: { startedAt?: string; sessions: number; suspended?: { reason: 'appraisal' | 'sham_check'; since: string }; pauses: Pause[]; extensionDays: number; extensionConsents: Record<string, number> };
  /** `enforcementCommitment`: the draft plans notarization and prints these debtors' commitment (公证法 Art 37). */
  agreement?: { form: 'written' | 'oral'; version: number; hash: string; path: EffectPath; signatures: string[]; effectiveAt?: string; schedule?: ScheduleItem[]; enforcementCommitment?: { debtorPartyIds: string[] } };
  /** Judicial confirmation and notarization, every application in order (domain.md step 9). */
  securing?: { processes: ProcessSummary[]; enforceableBy?: SecuringKind };
  /** Files received, by id (their bytes and titles are in PostgreSQL). */
  materials?: string[];
  /** Instalments, follow-up visits, default (domain.md step 10). */
  performance?: { instalments: Instalment[]; followUps: number; defaulted: boolean; completedAt?: string };
  deadlines: Partial<Record<DeadlineRuleId, DeadlineState>>;
  /** `partyId`: the other side who refused (人民调解法 Art 17). */
  notAccepted?: { reason: NotAcceptedReason; note?: string; partyId?: string };
  /** `partyId`: the party whose act ended it (refused to sign); `ruleId`: the period that ran out. */
  termination?: { reason: TerminationReason; note?: string; returnedToCourt: boolean; partyId?: string; ruleId?: DeadlineRuleId };
  /** The workflow ends when this is set. */
  closedAt?: string;
  /**
   * What the mediator recorded during mediation for a court's failure report: the basic and undisputed facts
   * and conduct that raised the other side's costs (人民法院在线调解规则 Arts 21-22).
   */
  caseFacts?: CaseFacts & { recordedAt: string };
  /**
   * Set by the workflow for runs that began after this rule: a court case that ends on its own with nothing
   * recorded asks the mediator first (older histories replay as they ran, sending the report at once).
   */
  askForFailureFacts?: boolean;
  /**
   * A court case keeps its period across a change of mediator and clocks the court's own date from its
   * letter (特邀调解规定 Art 27); runs recorded before this rule replay without it.
   */
  courtClocks?: boolean;
  /** The statutory last day the clerk was last alerted about, when the court's own date comes earlier. */
  courtDateAlertedFor?: string;
  /** The failure report waits for the mediator's facts until `dueAt` (its own clock), then goes out anyway. */
  failureReportPending?: { whyFailed: string; askedAt: string; askedOf?: string; dueAt?: string };
};

export type MaterialKind = 'court_letter' | 'complaint' | 'evidence' | 'identity' | 'other';
export type CaseMaterial = { materialId: string; kind: MaterialKind; sha256: string; sizeBytes: number; mediaType: string };

export type RecusalGround = 'close_relative' | 'interest_in_dispute' | 'other_relationship';

/** A document offered to show a group membership: described, and the file on the case when there is one. */
export type LegalAidProof = { description: string; materialId?: string | undefined };

export type ContactChannel = 'sms' | 'phone_call' | 'visit' | 'letter' | 'online';
export type FailureReport = {
  basicFacts: string;
  undisputedFacts: string;
  whyFailed: string;
  costlyConduct?: string | undefined;
  /** Nothing was recorded in time: the report adds the dispute as registered after `basicFacts`. */
  withIntakeSummary?: boolean | undefined;
};
/** The facts a mediator records for the court (人民法院在线调解规则 Art 21). */
export type CaseFacts = { basicFacts: string; undisputedFacts: string; costlyConduct?: string | undefined };

export type CaseCommand =
  | { type: 'accept'; actor: Actor; note?: string | undefined }
  | { type: 'decline'; actor: Actor; reason: NotAcceptedReason; note?: string | undefined }
  | { type: 'log_contact'; actor: Actor; channel: ContactChannel; result: 'reached' | 'no_answer' | 'wrong_number' | 'refused'; note?: string | undefined }
  | { type: 'counterparty_consents'; actor: Actor; partyId: string }
  | { type: 'counterparty_refuses'; actor: Actor; partyId: string; note?: string | undefined }
  | { type: 'close_unreachable'; actor: Actor; note?: string | undefined }
  | { type: 'record_screening'; actor: Actor; priorityGroups: PriorityGroup[] }
  /** `proof`: what shows the applicant belongs to a group whose hardship is not verified (法律援助法 Art 42). */
  | { type: 'apply_legal_aid'; actor: Actor; partyId: string; basis: LegalAidBasis; selfDeclaration: boolean; proof?: LegalAidProof | undefined }
  | { type: 'decide_legal_aid'; actor: Actor; granted: boolean; reason: string }
  | { type: 'assign_legal_aid_staff'; actor: Actor; staffName: string; organization: string }
  | { type: 'assign_mediator'; actor: Actor; proposal: MediatorProposal }
  /** A party confirms where documents reach them (送达地址确认): which contact details changed, never the details. */
  | { type: 'confirm_service_address'; actor: Actor; partyId: string; changed: ('address' | 'phone')[] }
  /** A party names the mediator they choose from the roster (`proposal`: the roster's check of that mediator). */
  | { type: 'choose_mediator'; actor: Actor; partyId: string; proposal: MediatorProposal }
  | { type: 'mediator_accepts'; actor: Actor; conflict: 'none' | 'disclosed_and_parties_agree' }
  | { type: 'mediator_declines'; actor: Actor; reason: string }
  /** `grantedOnRequest`: only for requests recorded before recusals were decided (they were granted at once). */
  | { type: 'request_recusal'; actor: Actor; partyId: string; ground: RecusalGround; note?: string | undefined; grantedOnRequest?: boolean | undefined }
  /** The organization, or for 特邀调解 the court, decides a request for recusal (特邀调解规定 Art 15). */
  | { type: 'decide_recusal'; actor: Actor; granted: boolean; reason: string }
  | { type: 'record_session'; actor: Actor; at: string; place: string; mode: 'in_person' | 'video' | 'phone'; record: string }
  | { type: 'suspend'; actor: Actor; reason: 'appraisal' | 'sham_check'; note?: string | undefined }
  | { type: 'resume'; actor: Actor; note?: string | undefined }
  | { type: 'consent_to_extension'; actor: Actor; partyId: string; days: number }
  | { type: 'terminate'; actor: Actor; reason: Exclude<TerminationReason, 'agreement_reached' | 'period_expired' | 'party_refuses_to_sign'>; note?: string | undefined; failureReport?: FailureReport | undefined }
  /** `content`: the draft, for the rules on its terms; absent for drafts recorded before those rules (they replay as taken). */
  | { type: 'save_draft'; actor: Actor; version: number; hash: string; schedule?: ScheduleItem[] | undefined; content?: AgreementContent | undefined }
  | { type: 'circulate_for_signature'; actor: Actor }
  /**
   * `scanMaterialId`: the scan of a wet-ink signature the clerk records (required where e-signing is excluded);
   * `beforeWetInkRule`: only for signatures recorded before that rule (they replay as they were taken).
   */
  | { type: 'sign'; actor: Actor; signer: string; method: 'handwritten' | 'seal' | 'fingerprint' | 'electronic'; draftVersion: number; scanMaterialId?: string | undefined; beforeWetInkRule?: boolean | undefined }
  | { type: 'refuse_to_sign'; actor: Actor; partyId: string; note?: string | undefined }
  | { type: 'record_oral_agreement'; actor: Actor; version: number; hash: string; schedule?: ScheduleItem[] | undefined; content?: AgreementContent | undefined }
  | { type: 'apply_judicial_confirmation'; actor: Actor; court: { institutionId: string; name: string }; venueGround: VenueGround }
  | {
      type: 'request_notarization';
      actor: Actor;
      notary: { institutionId: string; name: string };
      creditorPartyId: string;
      debtorPartyId: string;
      obligation: 'money' | 'goods' | 'securities' | 'other';
    }
  | { type: 'remediate'; actor: Actor; note?: string | undefined }
  | { type: 'confirm_payment'; actor: Actor; instalment: number; partyId: string; note?: string | undefined }
  | { type: 'record_follow_up'; actor: Actor; at: string; mode: 'visit' | 'phone' | 'video'; note: string }
  /** A file received for the case (the delegating court's 起诉状 and evidence, or what a party handed in): by hash only. */
  | { type: 'record_material'; actor: Actor; material: CaseMaterial }
  | { type: 'archive'; actor: Actor; note?: string | undefined }
  /** From a securing process's workflow. */
  | { type: 'process_report'; actor: Actor; report: ProcessReport }
  /** From the workflow's own timers. */
  | { type: 'instalment_reminder'; actor: Actor; instalment: number }
  | { type: 'instalment_due'; actor: Actor; instalment: number }
  | { type: 'deadline_expired'; actor: Actor; ruleId: DeadlineRuleId }
  | { type: 'deadline_reminder'; actor: Actor; ruleId: DeadlineRuleId }
  /** The mediator records (or updates) the facts for a court's failure report; also the answer when asked. */
  | ({ type: 'record_case_facts'; actor: Actor } & CaseFacts)
  /** From the workflow's clock: the mediator did not answer in time, the report goes out with what is known. */
  | { type: 'failure_facts_due'; actor: Actor };

/** Effects the workflow runs after recording the events: deadlines are computed by an activity. */
export type Effect =
  | { kind: 'start_deadline'; ruleId: DeadlineRuleId; startedAt: string; length?: number }
  | { kind: 'recompute_deadline'; ruleId: DeadlineRuleId }
  | { kind: 'stop_deadline'; ruleId: DeadlineRuleId; outcome: 'met' | 'cancelled' }
  | { kind: 'pause_deadline'; ruleId: DeadlineRuleId }
  | { kind: 'auto_assign' }
  /** A document to render and store: the agreement sent for signature, the termination notice. */
  | { kind: 'render_document'; document: 'agreement' | 'termination_notice' | 'rights_notice' | 'archive_summary'; version: number }
  /**
   * Written notices the law requires: not accepted, with the other routes (人民调解法 Arts 17, 26); the other
   * side refused or could not be reached, with the contact log (在线调解规则 Art 15); legal aid refused, with
   * reasons (法律援助法 Art 43; version = the how-many-th refusal).
   */
  | { kind: 'render_document'; document: 'not_accepted_notice' | 'counterparty_notice' | 'legal_aid_refusal'; version: number }
  /** Start a securing process as a child workflow, from this initial state. */
  | { kind: 'start_process'; process: ConfirmationState | NotarizationState }
  /** Compute each instalment's due time with the calendar (an activity), then record the schedule. */
  | { kind: 'schedule_performance' }
  /** A notice to the parties by SMS (the phone numbers stay in PostgreSQL). */
  | { kind: 'notify_parties'; notice: 'instalment_reminder'; instalment: number }
  /** A clock's reminder fired: the case's mediator and its organization's clerks are texted where they gave a phone. */
  | { kind: 'notify_staff'; ruleId: DeadlineRuleId }
  /** Report to the delegating court (特邀调解规定 Arts 19-21, 26): its integration delivers it. */
  | {
      kind: 'report_to_court';
      message: 'case_accepted' | 'agreement_filed' | 'agreement_for_court_document' | 'failure_report' | 'agreement_confirmed' | 'sham_mediation_suspected';
      payload: Record<string, unknown>;
      /** Tells apart reports of the same kind (a second suspension), so each is delivered once. */
      keySuffix?: string;
    }
  | { kind: 'render_document'; document: 'failure_report'; version: number; failureReport: FailureReport }
  /** Ask the mediator for the failure report's facts, with a clock of its own (computed by an activity). */
  | { kind: 'request_failure_facts' };

export type Refusal =
  /** The action does not fit the case's current state (HTTP 409). */
  | { kind: 'wrong_state'; code: string; message: string }
  /** The actor's role may not take this action, or not on this case (HTTP 403). */
  | { kind: 'forbidden'; code: string; message: string }
  /** A rule of law forbids the action (HTTP 422). */
  | { kind: 'rule'; code: string; message: string; article: string };

export type Decision = { ok: true; state: CaseState; events: CaseEvent[]; effects: Effect[] } | { ok: false; refusal: Refusal };

/** Who may give each command (the policy module decides who may see the case at all). */
export const ALLOWED_ROLES: Record<CaseCommand['type'], readonly Role[]> = {
  accept: ['clerk'],
  decline: ['clerk'],
  log_contact: ['clerk', 'mediator'],
  counterparty_consents: ['clerk', 'party'],
  counterparty_refuses: ['clerk', 'party'],
  close_unreachable: ['clerk'],
  record_screening: ['clerk'],
  apply_legal_aid: ['clerk', 'party'],
  decide_legal_aid: ['legal_aid_officer'],
  assign_legal_aid_staff: ['legal_aid_officer'],
  assign_mediator: ['clerk', 'system'],
  // A party confirms their own in the portal; a clerk records a 送达地址确认书 filled in at the desk.
  confirm_service_address: ['party', 'clerk'],
  // A party chooses in the portal; a clerk records a choice given at the desk or by phone (在线调解规则 Art 10).
  choose_mediator: ['party', 'clerk'],
  mediator_accepts: ['mediator'],
  mediator_declines: ['mediator'],
  request_recusal: ['clerk', 'party'],
  // The organization decides, or the court for the mediators it invited (特邀调解规定 Art 15).
  decide_recusal: ['clerk', 'court'],
  record_session: ['mediator'],
  suspend: ['mediator', 'clerk'],
  resume: ['mediator', 'clerk'],
  consent_to_extension: ['party', 'clerk'],
  terminate: ['mediator', 'clerk'],
  save_draft: ['mediator', 'clerk'],
  circulate_for_signature: ['mediator'],
  sign: ['party', 'mediator', 'clerk'],
  refuse_to_sign: ['party', 'clerk', 'mediator'],
  record_oral_agreement: ['mediator'],
  // Both parties apply (民事诉讼法 Art 205): a party starts it online, or a clerk records it at the desk.
  apply_judicial_confirmation: ['clerk', 'party'],
  request_notarization: ['clerk', 'party'],
  remediate: ['clerk'],
  confirm_payment: ['party', 'clerk', 'mediator'],
  record_follow_up: ['mediator', 'clerk'],
  // The delegating court hands over its file (特邀调解规定 Art 27: the period runs from signing for it); staff record what
  // parties hand in at the desk, and a party uploads their own evidence in the portal (人民调解法 Art 23: to state facts).
  record_material: ['clerk', 'mediator', 'court', 'party'],
  archive: ['clerk'],
  process_report: ['system'],
  instalment_reminder: ['system'],
  instalment_due: ['system'],
  deadline_expired: ['system'],
  deadline_reminder: ['system'],
  // The mediator records them; a clerk records what the mediator reported, or answers when no mediator is assigned.
  record_case_facts: ['mediator', 'clerk'],
  failure_facts_due: ['system'],
};

/** After the agreement takes effect: securing, performance, follow-up, archive. */
const SECURABLE: readonly CaseStatus[] = ['AGREEMENT_EFFECTIVE', 'PERFORMED', 'ENFORCEMENT_ADVISED'];

/** The states each command may be given in. */
const STATES: Record<CaseCommand['type'], readonly CaseStatus[]> = {
  accept: ['REGISTERED'],
  decline: ['REGISTERED'],
  log_contact: ['PENDING_COUNTERPARTY_CONSENT'],
  counterparty_consents: ['PENDING_COUNTERPARTY_CONSENT'],
  counterparty_refuses: ['PENDING_COUNTERPARTY_CONSENT'],
  close_unreachable: ['PENDING_COUNTERPARTY_CONSENT'],
  record_screening: ['REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED'],
  apply_legal_aid: ['REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED'],
  // Legal aid runs on its own clock (法律援助法 Art 43): an agreement reached meanwhile does not end it.
  decide_legal_aid: ['REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE', ...SECURABLE],
  assign_legal_aid_staff: ['REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE', ...SECURABLE],
  assign_mediator: ['PENDING_ASSIGNMENT'],
  choose_mediator: ['PENDING_ASSIGNMENT'],
  // While documents may still be served: until the case is closed.
  confirm_service_address: ['REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE', ...SECURABLE],
  mediator_accepts: ['PENDING_MEDIATOR_ACCEPT'],
  mediator_declines: ['PENDING_MEDIATOR_ACCEPT'],
  request_recusal: ['PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION'],
  decide_recusal: ['PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED'],
  record_session: ['IN_MEDIATION'],
  suspend: ['IN_MEDIATION'],
  resume: ['SUSPENDED'],
  consent_to_extension: ['IN_MEDIATION', 'SUSPENDED'],
  terminate: ['PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE'],
  save_draft: ['IN_MEDIATION', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE'],
  circulate_for_signature: ['AGREEMENT_DRAFTING'],
  sign: ['PENDING_SIGNATURE'],
  refuse_to_sign: ['PENDING_SIGNATURE'],
  record_oral_agreement: ['IN_MEDIATION'],
  apply_judicial_confirmation: SECURABLE,
  request_notarization: SECURABLE,
  remediate: ['AGREEMENT_EFFECTIVE'],
  confirm_payment: ['AGREEMENT_EFFECTIVE', 'ENFORCEMENT_ADVISED'],
  record_follow_up: SECURABLE,
  // Any time until the case is closed.
  record_material: ['REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE', ...SECURABLE],
  archive: SECURABLE,
  process_report: [],
  instalment_reminder: [],
  instalment_due: [],
  deadline_expired: [],
  deadline_reminder: [],
  // During mediation, and once it ended while the failure report waits for them.
  record_case_facts: ['IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE', 'TERMINATED'],
  failure_facts_due: [],
};

/** Statuses in which the mediation period runs. */
const MEDIATING: readonly CaseStatus[] = ['PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE'];

export function initialState(intake: CaseIntake): CaseState {
  const intakeDate = chinaDateOf(intake.receivedAt);
  return {
    caseId: intake.caseId,
    status: 'REGISTERED',
    channel: intake.channel,
    disputeType: intake.disputeType,
    receivedAt: intake.receivedAt,
    ...(intake.court?.procedure ? { courtProcedure: intake.court.procedure } : {}),
    ...(intake.marketRegulatorComplaint ? { marketRegulatorComplaint: true } : {}),
    ...(intake.priorProceedings ? { priorProceedings: intake.priorProceedings } : {}),
    oneSided: intake.oneSided ?? false,
    parties: intake.parties.map((p) => ({ partyId: p.partyId, role: p.role, ...(p.representsPartyId ? { representsPartyId: p.representsPartyId } : {}) })),
    lastSeq: 0,
    contactLog: [],
    screening: {
      priorityGroups: [],
      judicialConfirmation: judicialConfirmationOutlook({ channel: intake.channel, ...(intake.involves ? { involves: intake.involves } : {}) }),
      limitation: limitationAlert({ disputeType: intake.disputeType, claimantLearnedOfHarmOn: intake.claimantLearnedOfHarmOn, intakeDate }),
      legalAid: { status: 'none' },
    },
    assignment: { excluded: [], refusedByParties: 0 },
    mediation: { sessions: 0, pauses: [], extensionDays: 0, extensionConsents: {} },
    deadlines: {},
  };
}

/** The first event (without personal data: parties by reference only) and the deadlines intake starts. */
/** The state once the record has the case: its number, the limitation alert as counted there, the first event. */
export function registeredState(state: CaseState, registered: { caseNumber: string; limitation?: CaseState['screening']['limitation'] | undefined; seq: number }): CaseState {
  const { caseNumber, limitation, seq } = registered;
  return { ...state, caseNumber, ...(limitation ? { screening: { ...state.screening, limitation } } : {}), lastSeq: seq };
}

export function registration(intake: CaseIntake, opts: { courtClocks?: boolean } = {}): { event: CaseEvent; effects: Effect[] } {
  const state = initialState(intake);
  const event: CaseEvent = {
    seq: 1,
    type: 'CaseRegistered',
    at: intake.receivedAt,
    actor: intake.registeredBy,
    payload: {
      channel: intake.channel,
      disputeType: intake.disputeType,
      oneSided: state.oneSided,
      parties: intake.parties.map((p) => ({ partyId: p.partyId, role: p.role, kind: p.kind, ...(p.representsPartyId ? { represents: p.representsPartyId } : {}) })),
      ...(intake.court ? { court: { courtCode: intake.court.courtCode, courtCaseNumber: intake.court.courtCaseNumber ?? null } } : {}),
      ...(intake.marketRegulatorComplaint ? { marketRegulatorComplaint: intake.marketRegulatorComplaint } : {}),
      judicialConfirmation: state.screening.judicialConfirmation,
      limitation: state.screening.limitation,
    },
  };
  const rule = mediationPeriodRule(state);
  // Labour mediation runs from the application itself (劳动争议调解仲裁法 Art 14).
  const effects: Effect[] = DEADLINE_RULES[rule].startsAt === 'intake' ? [{ kind: 'start_deadline', ruleId: rule, startedAt: intake.receivedAt }] : [];
  // The court's own date from its 委派/委托 letter: clocked, reminded and alerted on like a period.
  const letterDays = intake.court?.deadline ? courtLetterDays(intake.receivedAt, intake.court.deadline) : undefined;
  if (opts.courtClocks && letterDays !== undefined) effects.push({ kind: 'start_deadline', ruleId: 'court_letter_deadline', startedAt: intake.receivedAt, length: letterDays });
  return { event, effects };
}

/** Days from the day the letter was received to the court's date (at least one: the start day does not count). */
export function courtLetterDays(receivedAt: string, courtDate: string): number {
  return Math.max(1, daysBetween(chinaDateOf(receivedAt), courtDate));
}

export const PRINCIPAL_ROLES: readonly PartyRole[] = ['applicant', 'respondent', 'third_party'];
const principalParties = (s: CaseState) => s.parties.filter((p) => PRINCIPAL_ROLES.includes(p.role));
/** Legal aid's own periods (法律援助法 Art 43), which do not end with the mediation. */
const LEGAL_AID_DEADLINES: readonly DeadlineRuleId[] = ['legal_aid_decision', 'legal_aid_assignment'];

/** A party acts for itself, or through its guardian or agent. */
function actsFor(s: CaseState, actor: Actor, partyId: string): boolean {
  if (actor.role !== 'party') return true; // staff record what a party said or signed
  return actor.id === partyId || s.parties.some((p) => p.partyId === actor.id && p.representsPartyId === partyId);
}

export function decide(state: CaseState, command: CaseCommand, now: Date): Decision {
  if (!ALLOWED_ROLES[command.type].includes(command.actor.role)) {
    return refuse('forbidden', 'role_not_allowed', `a ${command.actor.role} may not ${command.type.replace(/_/g, ' ')}`);
  }
  const allowedStates = STATES[command.type];
  if (allowedStates.length > 0 && !allowedStates.includes(state.status)) {
    return refuse('wrong_state', 'wrong_state', `the case is ${state.status}; ${command.type.replace(/_/g, ' ')} is not possible now`);
  }
  if (command.actor.role === 'mediator' && state.assignment.mediatorId !== command.actor.id) {
    return refuse('forbidden', 'not_the_assigned_mediator', 'only the mediator assigned to this case may do this');
  }

  const at = now.toISOString();
  let seq = state.lastSeq;
  const events: CaseEvent[] = [];
  const effects: Effect[] = [];
  const emit = (type: string, payload: Record<string, unknown> = {}) => {
    seq += 1;
    events.push({ seq, type, at, actor: command.actor, payload });
  };
  const done = (next: Partial<CaseState>): Decision => ({ ok: true, state: { ...state, ...next, lastSeq: seq }, events, effects });
  const mediationRule = mediationPeriodRule(state);
  /** Stops the open periods; legal aid's own periods stay open while the case goes on (`keepLegalAid`). */
  const closeOpenDeadlines = (outcome: 'met' | 'cancelled', legalAid: 'keep' | 'cancel' = 'cancel') => {
    for (const [id, d] of Object.entries(state.deadlines)) {
      if (!d || d.owner || (d.status !== 'open' && d.status !== 'paused')) continue;
      // An agreement does not meet legal aid's deadlines: they stay open, or end with the case.
      if (LEGAL_AID_DEADLINES.includes(id as DeadlineRuleId)) {
        if (legalAid === 'cancel') effects.push({ kind: 'stop_deadline', ruleId: id as DeadlineRuleId, outcome: 'cancelled' });
        continue;
      }
      effects.push({ kind: 'stop_deadline', ruleId: id as DeadlineRuleId, outcome });
    }
  };
  /**
   * Enters assignment; periods that run from acceptance start now. The parties may choose a mediator
   * jointly within 2 working days (在线调解规则 Art 10), else the organization designates by its rule.
   */
  const enterAssignment = () => {
    if (DEADLINE_RULES[mediationRule].startsAt === 'acceptance') effects.push({ kind: 'start_deadline', ruleId: mediationRule, startedAt: at });
    effects.push({ kind: 'start_deadline', ruleId: 'party_mediator_choice', startedAt: at });
  };
  /** `failure`: a court case's report as given, or only why it failed (the facts then come from the record). */
  const terminate = (reason: TerminationReason, note: string | undefined, failure?: FailureReport | { whyFailed: string }, cause: { partyId?: string; ruleId?: DeadlineRuleId } = {}): Decision => {
    const returnedToCourt = COURT_CHANNELS.includes(state.channel);
    closeOpenDeadlines('cancelled');
    emit('MediationTerminated', {
      reason,
      reasonLabel: TERMINATION_REASONS[reason],
      ...(note ? { note } : {}),
      ...cause,
      // 终止调解告知书 (人民调解法 Art 26).
      notice: { article: '人民调解法第二十六条', otherRoutes: OTHER_ROUTES_NOTICE },
    });
    effects.push({ kind: 'render_document', document: 'termination_notice', version: 1 });
    const ended = { termination: { reason, ...(note ? { note } : {}), returnedToCourt, ...cause }, closedAt: at };
    if (!returnedToCourt) return done({ status: 'TERMINATED', ...ended });
    // The failure report carries the facts (在线调解规则 Art 21): as given, else as the mediator recorded them.
    const whyFailed = failure?.whyFailed || TERMINATION_REASONS[reason];
    const given = failure && 'basicFacts' in failure && failure.basicFacts.trim() ? failure : undefined;
    const report = given ?? (state.caseFacts ? { ...factsOf(state.caseFacts), whyFailed } : undefined);
    if (!report && state.askForFailureFacts) {
      // Nothing recorded: the mediator is asked first, on a clock of its own; the report goes out after.
      effects.push({ kind: 'request_failure_facts' });
      const askedOf = state.assignment.mediatorId;
      return done({ status: 'TERMINATED', ...ended, failureReportPending: { whyFailed, askedAt: at, ...(askedOf ? { askedOf } : {}) } });
    }
    returnToCourt(report ?? unrecordedFacts(whyFailed, false), reason);
    return done({ status: 'RETURNED_TO_COURT', ...ended });
  };
  /** The report that waited for the mediator's facts goes out now (with them, or saying they were not given). */
  const sendPendingReport = (report: FailureReport): Decision => {
    const { failureReportPending: _asked, ...rest } = state;
    state = rest;
    returnToCourt(report, state.termination!.reason);
    return done({ status: 'RETURNED_TO_COURT' });
  };
  /** 调解情况说明 and the materials go back to the court (在线调解规则 Art 21; 特邀调解规定 Arts 21, 26). */
  const returnToCourt = (failureReport: FailureReport, reason: TerminationReason) => {
    emit('ReturnedToCourt', { failureReport, basis: '人民法院在线调解规则第二十一条' });
    effects.push({ kind: 'render_document', document: 'failure_report', version: 1, failureReport });
    effects.push({ kind: 'report_to_court', message: 'failure_report', payload: { reason, basis: '特邀调解规定第二十一条、第二十六条' } });
  };

  switch (command.type) {
    case 'accept': {
      // A matter another authority has already accepted is not for people's mediation, unless that
      // authority is the court handing it to us (委派/委托).
      if (state.priorProceedings && !COURT_CHANNELS.includes(state.channel)) {
        return rule('already_before_authority', `the dispute is already before the ${state.priorProceedings.before}; it cannot be accepted for people's mediation`, NOT_ACCEPTED_REASONS.already_before_authority.article);
      }
      emit('CaseAccepted', command.note ? { note: command.note } : {});
      // The delegating court learns that its case was taken on.
      if (COURT_CHANNELS.includes(state.channel)) effects.push({ kind: 'report_to_court', message: 'case_accepted', payload: { acceptedAt: at } });
      // The parties are told their rights and duties when the case is accepted (人民调解法 Arts 23-24).
      effects.push({ kind: 'render_document', document: 'rights_notice', version: 1 });
      if (state.oneSided) {
        // The other side must be willing (人民调解法 Arts 3, 17); try to reach them within 3 working days.
        effects.push({ kind: 'start_deadline', ruleId: 'counterparty_contact', startedAt: at });
        return done({ status: 'PENDING_COUNTERPARTY_CONSENT' });
      }
      enterAssignment();
      return done({ status: 'PENDING_ASSIGNMENT' });
    }
    case 'decline': {
      const basis = NOT_ACCEPTED_REASONS[command.reason];
      closeOpenDeadlines('cancelled');
      emit('CaseNotAccepted', { reason: command.reason, article: basis.article, otherRoutesNotice: OTHER_ROUTES_NOTICE, ...(command.note ? { note: command.note } : {}) });
      // 不予受理告知书: the reason, its article and the other routes, in writing.
      effects.push({ kind: 'render_document', document: 'not_accepted_notice', version: 1 });
      return done({ status: 'NOT_ACCEPTED', notAccepted: { reason: command.reason, ...(command.note ? { note: command.note } : {}) }, closedAt: at });
    }
    case 'log_contact': {
      const entry = { at, channel: command.channel, result: command.result };
      emit('CounterpartyContactLogged', { ...entry, ...(command.note ? { note: command.note } : {}) });
      return done({ contactLog: [...state.contactLog, entry] });
    }
    case 'counterparty_consents': {
      if (!isParty(state, command.partyId, ['respondent', 'third_party'])) return refuse('wrong_state', 'not_a_counterparty', 'that party is not the other side of this application');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only answer for themselves');
      emit('CounterpartyConsented', { partyId: command.partyId });
      effects.push({ kind: 'stop_deadline', ruleId: 'counterparty_contact', outcome: 'met' });
      enterAssignment();
      return done({ status: 'PENDING_ASSIGNMENT' });
    }
    case 'counterparty_refuses': {
      if (!isParty(state, command.partyId, ['respondent', 'third_party'])) return refuse('wrong_state', 'not_a_counterparty', 'that party is not the other side of this application');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only answer for themselves');
      closeOpenDeadlines('cancelled');
      emit('CaseNotAccepted', { reason: 'party_refuses_mediation', partyId: command.partyId, article: NOT_ACCEPTED_REASONS.party_refuses_mediation.article, otherRoutesNotice: OTHER_ROUTES_NOTICE });
      // The applicant is told in writing, with the attempts to reach the other side (在线调解规则 Art 15).
      effects.push({ kind: 'render_document', document: 'counterparty_notice', version: 1 });
      return done({ status: 'NOT_ACCEPTED', notAccepted: { reason: 'party_refuses_mediation', partyId: command.partyId, ...(command.note ? { note: command.note } : {}) }, closedAt: at });
    }
    case 'close_unreachable': {
      // "Unreachable" needs evidence: a contact log (在线调解规则 Art 15 — the mediator records why).
      if (state.contactLog.length === 0) {
        return rule('contact_log_required', 'record at least one attempt to reach the other party (channel, time, result) before closing the case as unreachable', NOT_ACCEPTED_REASONS.counterparty_unreachable.article);
      }
      closeOpenDeadlines('cancelled');
      emit('CaseNotAccepted', { reason: 'counterparty_unreachable', attempts: state.contactLog.length, article: NOT_ACCEPTED_REASONS.counterparty_unreachable.article, otherRoutesNotice: OTHER_ROUTES_NOTICE });
      effects.push({ kind: 'render_document', document: 'counterparty_notice', version: 1 });
      return done({ status: 'NOT_ACCEPTED', notAccepted: { reason: 'counterparty_unreachable', ...(command.note ? { note: command.note } : {}) }, closedAt: at });
    }
    case 'record_screening': {
      const unknown = command.priorityGroups.filter((g) => !(g in PRIORITY_GROUPS));
      if (unknown.length) return refuse('wrong_state', 'unknown_priority_group', `unknown priority groups: ${unknown.join(', ')}`);
      emit('ScreeningRecorded', { priorityGroups: command.priorityGroups, basis: '揭阳市公共法律服务促进办法（草案）第三十条' });
      return done({ screening: { ...state.screening, priorityGroups: [...command.priorityGroups] } });
    }
    case 'apply_legal_aid': {
      if (state.screening.legalAid.status === 'applied' || state.screening.legalAid.status === 'granted') return refuse('wrong_state', 'legal_aid_pending', 'a legal-aid application is already pending or granted');
      // Aid is for a party to the dispute; a guardian or agent applies on that party's behalf.
      if (!isParty(state, command.partyId, PRINCIPAL_ROLES)) return refuse('wrong_state', 'unknown_party', 'legal aid is applied for on behalf of a party to the dispute, not a guardian or agent');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only apply for themselves');
      const basis = LEGAL_AID_BASES[command.basis];
      if (command.proof?.materialId && !state.materials?.includes(command.proof.materialId)) return refuse('wrong_state', 'unknown_material', 'the proof must be a file received for this case');
      // Verification is waived for someone who shows they belong to the group (法律援助法 Art 42): the proof offered is recorded, or that none was.
      const proof = basis.treatment === 'verification_exempt' ? { proofOffered: command.proof ?? null } : command.proof ? { proofOffered: command.proof } : {};
      emit('LegalAidApplied', { partyId: command.partyId, basis: command.basis, treatment: basis.treatment, source: basis.source, selfDeclaration: command.selfDeclaration, ...proof });
      // The legal-aid body decides within 7 days (法律援助法 Art 43).
      effects.push({ kind: 'start_deadline', ruleId: 'legal_aid_decision', startedAt: at });
      return done({ screening: { ...state.screening, legalAid: { status: 'applied', partyId: command.partyId, basis: command.basis, ...(command.proof ? { proof: command.proof } : {}), ...(state.screening.legalAid.refusals ? { refusals: state.screening.legalAid.refusals } : {}) } } });
    }
    case 'decide_legal_aid': {
      if (state.screening.legalAid.status !== 'applied') return refuse('wrong_state', 'no_legal_aid_application', 'there is no pending legal-aid application');
      // A refusal is given in writing with reasons (法律援助法 Art 43).
      emit(command.granted ? 'LegalAidGranted' : 'LegalAidRefused', { reason: command.reason, basis: state.screening.legalAid.basis, article: '法律援助法第四十三条' });
      effects.push({ kind: 'stop_deadline', ruleId: 'legal_aid_decision', outcome: 'met' });
      // Aid staff are assigned within 3 days of a decision to grant (法律援助法 Art 43).
      if (command.granted) effects.push({ kind: 'start_deadline', ruleId: 'legal_aid_assignment', startedAt: at });
      // The written refusal, one per refusal (a party may apply again).
      const refusals = (state.screening.legalAid.refusals ?? 0) + (command.granted ? 0 : 1);
      if (!command.granted) effects.push({ kind: 'render_document', document: 'legal_aid_refusal', version: refusals });
      return done({ screening: { ...state.screening, legalAid: { ...state.screening.legalAid, status: command.granted ? 'granted' : 'refused', reason: command.reason, ...(refusals ? { refusals } : {}) } } });
    }
    case 'assign_legal_aid_staff': {
      if (state.screening.legalAid.status !== 'granted' || state.screening.legalAid.staffAssigned) return refuse('wrong_state', 'no_granted_legal_aid', 'legal aid must be granted, and staff not yet assigned');
      emit('LegalAidStaffAssigned', { staffName: command.staffName, organization: command.organization, article: '法律援助法第四十三条' });
      effects.push({ kind: 'stop_deadline', ruleId: 'legal_aid_assignment', outcome: 'met' });
      return done({ screening: { ...state.screening, legalAid: { ...state.screening.legalAid, staffAssigned: true } } });
    }
    case 'assign_mediator': {
      if (state.assignment.excluded.includes(command.proposal.mediatorId)) return excludedMediator();
      return assign(command.proposal);
    }
    case 'confirm_service_address': {
      // 送达地址确认书 (人民法院在线调解规则 Art 17): the chain records that it was confirmed, the record holds the address.
      if (!isParty(state, command.partyId)) return refuse('wrong_state', 'unknown_party', 'no such party in this case');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only confirm their own address');
      emit('ServiceAddressConfirmed', { partyId: command.partyId, changed: command.changed, article: '人民法院在线调解规则第十七条' });
      return done({});
    }
    case 'choose_mediator': {
      // The parties choose jointly (在线调解规则 Art 10): each names one; when all name the same, that one is assigned.
      if (!isParty(state, command.partyId, PRINCIPAL_ROLES)) return refuse('wrong_state', 'unknown_party', 'a mediator is chosen by a party to the dispute (a guardian or agent chooses for that party)');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only choose for themselves');
      const p = command.proposal;
      if (state.assignment.excluded.includes(p.mediatorId)) return excludedMediator();
      const choices = { ...state.assignment.choices, [command.partyId]: p.mediatorId };
      const parties = principalParties(state);
      const agreed = parties.every((party) => choices[party.partyId] === p.mediatorId);
      emit('MediatorChosen', { partyId: command.partyId, mediatorId: p.mediatorId, agreed, article: '人民法院在线调解规则第十条' });
      if (!agreed) return done({ assignment: { ...state.assignment, choices } });
      return assign({ ...p, mode: 'party_choice', reasoning: { ...p.reasoning, chosenBy: parties.map((party) => party.partyId) } });
    }
    case 'mediator_accepts': {
      // After disclosing a conflict the mediator may continue only if the parties agree (在线调解规则 Art 13).
      emit('MediatorAccepted', { conflict: command.conflict, ...(command.conflict !== 'none' ? { article: '人民法院在线调解规则第十三条' } : {}) });
      effects.push({ kind: 'stop_deadline', ruleId: 'mediator_acceptance', outcome: 'met' });
      // Court periods run from the organization's receipt of the court's file (特邀调解规定 Art 27): the first
      // acceptance. A change of mediator (recusal, a mediator who declines) does not start them again.
      const running = state.courtClocks && state.deadlines[mediationRule] && state.deadlines[mediationRule]!.status !== 'cancelled';
      if (DEADLINE_RULES[mediationRule].startsAt === 'mediator_accepts' && !running) effects.push({ kind: 'start_deadline', ruleId: mediationRule, startedAt: at });
      return done({ status: 'IN_MEDIATION', mediation: { ...state.mediation, startedAt: running ? (state.mediation.startedAt ?? at) : at } });
    }
    case 'mediator_declines': {
      emit('MediatorDeclined', { mediatorId: command.actor.id, reason: command.reason, article: '人民法院在线调解规则第十二条' });
      return reassign(command.actor.id);
    }
    case 'request_recusal': {
      if (!isParty(state, command.partyId, PRINCIPAL_ROLES)) return refuse('wrong_state', 'unknown_party', 'no such party in this case');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only ask for themselves');
      const mediatorId = state.assignment.mediatorId!;
      if (command.grantedOnRequest) {
        emit('MediatorRecused', { mediatorId, partyId: command.partyId, ground: command.ground, article: '特邀调解规定第十五条；人民调解法第二十三条', ...(command.note ? { note: command.note } : {}) });
        return reassign(mediatorId, state.assignment.refusedByParties + 1);
      }
      if (state.assignment.recusal) return refuse('wrong_state', 'recusal_pending', 'a request for recusal is already awaiting a decision');
      // Not granted by asking: the organization, or the court for 特邀调解, decides (特邀调解规定 Art 15).
      const decidedBy = COURT_CHANNELS.includes(state.channel) ? '特邀调解组织或者人民法院' : '调解组织';
      emit('RecusalRequested', { mediatorId, partyId: command.partyId, ground: command.ground, decidedBy, article: '特邀调解规定第十五条；人民调解法第二十三条', ...(command.note ? { note: command.note } : {}) });
      return done({ assignment: { ...state.assignment, recusal: { mediatorId, partyId: command.partyId, ground: command.ground, requestedAt: at } } });
    }
    case 'decide_recusal': {
      const request = state.assignment.recusal;
      if (!request) return refuse('wrong_state', 'no_recusal_request', 'there is no request for recusal to decide');
      if (command.actor.role === 'court' && !COURT_CHANNELS.includes(state.channel)) return refuse('forbidden', 'not_a_court_case', 'a court decides recusals only in the mediations it delegated');
      const { recusal: _r, ...assignment } = state.assignment;
      const decision = { mediatorId: request.mediatorId, partyId: request.partyId, ground: request.ground, reason: command.reason, decidedBy: command.actor.role, article: '特邀调解规定第十五条' };
      if (!command.granted) {
        emit('RecusalRefused', decision);
        return done({ assignment });
      }
      emit('MediatorRecused', decision);
      return reassign(request.mediatorId, state.assignment.refusedByParties + 1);
    }
    case 'record_session': {
      emit('SessionRecorded', { at: command.at, place: command.place, mode: command.mode, record: command.record });
      return done({ mediation: { ...state.mediation, sessions: state.mediation.sessions + 1 } });
    }
    case 'suspend': {
      // Appraisal time is excluded from the period (在线调解规则 Art 26); suspected sham mediation is
      // suspended and reported (特邀调解规定 Art 18).
      // A period with no pause rule keeps running (labour: 15 days from the application, 劳动争议调解仲裁法 Art 14).
      const pauses = DEADLINE_RULES[mediationRule].pauses !== null;
      emit('MediationSuspended', { reason: command.reason, article: command.reason === 'appraisal' ? '人民法院在线调解规则第二十六条' : '特邀调解规定第十八条', clockPaused: pauses, ...(command.note ? { note: command.note } : {}) });
      if (pauses && state.deadlines[mediationRule]?.status === 'open') effects.push({ kind: 'pause_deadline', ruleId: mediationRule });
      // A court's case suspended for suspected sham mediation is reported to that court (特邀调解规定 Art 18).
      if (command.reason === 'sham_check' && COURT_CHANNELS.includes(state.channel)) {
        effects.push({ kind: 'report_to_court', message: 'sham_mediation_suspected', payload: { suspendedAt: at, basis: '特邀调解规定第十八条', ...(command.note ? { note: command.note } : {}) }, keySuffix: String(seq) });
      }
      return done({ status: 'SUSPENDED', mediation: { ...state.mediation, suspended: { reason: command.reason, since: at } } });
    }
    case 'resume': {
      const since = state.mediation.suspended?.since ?? at;
      emit('MediationResumed', { pausedFrom: since, ...(command.note ? { note: command.note } : {}) });
      const paused = state.deadlines[mediationRule]?.status === 'paused';
      const pauses = paused ? [...state.mediation.pauses, { from: since, to: at }] : state.mediation.pauses;
      if (paused) effects.push({ kind: 'recompute_deadline', ruleId: mediationRule });
      const { suspended: _s, ...rest } = state.mediation;
      return done({ status: 'IN_MEDIATION', mediation: { ...rest, pauses } });
    }
    case 'consent_to_extension': {
      const r = DEADLINE_RULES[mediationRule];
      if (!r.extension) return rule('no_extension', `${r.label} cannot be extended`, r.citation);
      // The limit is on the extension in total (e.g. +30 days for 委托), not on each round of consent.
      if (typeof r.extension.days === 'number' && state.mediation.extensionDays + command.days > r.extension.days) {
        return rule('extension_too_long', `${r.label} can be extended by at most ${r.extension.days} days`, r.citation);
      }
      if (!isParty(state, command.partyId, PRINCIPAL_ROLES)) return refuse('wrong_state', 'unknown_party', 'no such party in this case');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only consent for themselves');
      const consents = { ...state.mediation.extensionConsents, [command.partyId]: command.days };
      emit('ExtensionConsented', { partyId: command.partyId, days: command.days });
      const everyone = principalParties(state).every((p) => consents[p.partyId] === command.days);
      if (!everyone) return done({ mediation: { ...state.mediation, extensionConsents: consents } });
      // Every party agreed to the same extension (特邀调解规定 Art 27; 2025 opinion: +30 days for 委托).
      emit('MediationExtended', { days: command.days, article: r.citation });
      // While suspended the clock stays paused; resuming recomputes with the extension included.
      if (state.deadlines[mediationRule]?.status === 'open') effects.push({ kind: 'recompute_deadline', ruleId: mediationRule });
      return done({ mediation: { ...state.mediation, extensionConsents: {}, extensionDays: state.mediation.extensionDays + command.days } });
    }
    case 'terminate': {
      // The facts the mediator recorded during mediation make the report (whyFailed is the reason given).
      if (COURT_CHANNELS.includes(state.channel) && !command.failureReport && !state.caseFacts) {
        return rule('failure_report_required', 'a court-delegated case returns to the court with a failure report: basic facts, undisputed facts, why it failed, conduct that raised costs', '人民法院在线调解规则第二十一条');
      }
      return terminate(command.reason, command.note, command.failureReport);
    }
    case 'save_draft': {
      if (command.version !== (state.agreement?.version ?? 0) + 1) return refuse('wrong_state', 'stale_draft', `the next draft is version ${(state.agreement?.version ?? 0) + 1}`);
      const problem = command.content && agreementContentProblem(state, command.content, 'written');
      if (problem) return { ok: false, refusal: problem };
      const commitment = command.content?.notarization ? { enforcementCommitment: { debtorPartyIds: command.content.notarization.debtorPartyIds } } : {};
      emit('AgreementDrafted', { version: command.version, sha256: command.hash, ...(commitment.enforcementCommitment ? { notarizationPlanned: commitment.enforcementCommitment } : {}) });
      const path = effectPathOf(state);
      // A new draft starts a new round of signatures.
      return done({ status: 'AGREEMENT_DRAFTING', agreement: { form: 'written', version: command.version, hash: command.hash, path, signatures: [], ...(command.schedule ? { schedule: command.schedule } : {}), ...commitment } });
    }
    case 'circulate_for_signature': {
      if (!state.agreement) return refuse('wrong_state', 'no_draft', 'save a draft first');
      emit('AgreementCirculated', { version: state.agreement.version, sha256: state.agreement.hash });
      effects.push({ kind: 'render_document', document: 'agreement', version: state.agreement.version });
      return done({ status: 'PENDING_SIGNATURE' });
    }
    case 'sign': {
      const a = state.agreement!;
      if (command.draftVersion !== a.version) return refuse('wrong_state', 'stale_draft', `the agreement to sign is version ${a.version}`);
      const signer = command.signer;
      if (signer === 'mediator') {
        if (command.actor.role !== 'mediator') return refuse('forbidden', 'mediator_signs_himself', 'only the mediator signs as mediator');
      } else if (signer === 'organization_seal') {
        if (command.actor.role !== 'clerk') return refuse('forbidden', 'seal_by_clerk', 'the organization seal is applied by a clerk');
      } else {
        if (!isParty(state, signer, PRINCIPAL_ROLES)) return refuse('wrong_state', 'unknown_signer', 'the signer is not a party to this case');
        if (!actsFor(state, command.actor, signer)) return refuse('forbidden', 'not_your_party', 'a party signs only for themselves');
        if (command.actor.role === 'mediator') return refuse('forbidden', 'party_signature', 'a party signs, or a clerk records a wet-ink signature');
        // An electronic signature is the signer's own act (电子签名法 Art 13): staff record only wet ink, seals and fingerprints.
        if (command.method === 'electronic' && command.actor.role !== 'party') return refuse('forbidden', 'electronic_signature_by_party', 'only the party signs electronically; staff record a handwritten signature, seal or fingerprint');
        // Family and inheritance agreements are signed in ink, and the clerk keeps the scan (电子签名法 Art 3).
        if (ELECTRONIC_SIGNATURE_EXCLUSION.disputeTypes.includes(state.disputeType) && !command.beforeWetInkRule) {
          if (command.method === 'electronic') return rule('electronic_signature_excluded', 'an agreement on a family or inheritance matter is signed by hand, seal or fingerprint, not electronically', ELECTRONIC_SIGNATURE_EXCLUSION.basis);
          if (!command.scanMaterialId) return rule('signature_scan_required', 'upload the scan of the signed page first and name it (scanMaterialId) when recording this signature', ELECTRONIC_SIGNATURE_EXCLUSION.basis);
        }
      }
      if (command.scanMaterialId && !state.materials?.includes(command.scanMaterialId)) return refuse('wrong_state', 'unknown_material', 'the scan must be a file received for this case');
      if (a.signatures.includes(signer)) return refuse('wrong_state', 'already_signed', 'this signature is already recorded');
      const signatures = [...a.signatures, signer];
      emit('AgreementSigned', { signer, method: command.method, version: a.version, sha256: a.hash, ...(command.scanMaterialId ? { scan: { materialId: command.scanMaterialId } } : {}) });
      const needs = EFFECT_RULES[a.path].needs;
      const complete =
        (!needs.includes('parties') || principalParties(state).every((p) => signatures.includes(p.partyId))) &&
        (!(needs as readonly string[]).includes('mediator') || signatures.includes('mediator')) &&
        (!(needs as readonly string[]).includes('organization_seal') || signatures.includes('organization_seal'));
      if (!complete) return done({ agreement: { ...a, signatures } });
      return effective({ ...a, signatures });
    }
    case 'refuse_to_sign': {
      if (!isParty(state, command.partyId, PRINCIPAL_ROLES)) return refuse('wrong_state', 'unknown_party', 'no such party in this case');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party may only refuse for themselves');
      // 在线调解规则 Art 25(7): a party refusing to sign ends the mediation.
      // The party is named by reference; the notice names them by role and masked name.
      const refuser = PARTY_ROLE_LABELS[state.parties.find((p) => p.partyId === command.partyId)!.role];
      const whyFailed = `${refuser}拒绝在调解协议上签章（人民法院在线调解规则第二十五条第（七）项）`;
      return terminate('party_refuses_to_sign', command.note, { whyFailed }, { partyId: command.partyId });
    }
    case 'record_oral_agreement': {
      // Only people's mediation knows oral agreements (人民调解法 Art 28); a court case and a labour
      // dispute need a written agreement (特邀调解规定 Arts 20, 24; 劳动争议调解仲裁法 Art 14).
      const path = effectPathOf(state);
      if (path !== 'peoples_mediation') {
        return rule('written_agreement_required', path === 'labour_mediation' ? 'a labour dispute settles by a written agreement' : 'a court-delegated case needs a written, signed agreement', EFFECT_RULES[path].basis);
      }
      const problem = command.content && agreementContentProblem(state, command.content, 'oral');
      if (problem) return { ok: false, refusal: problem };
      // An oral agreement takes effect the day it is reached; the mediator records it (人民调解法 Arts 28, 30).
      return effective({ form: 'oral', version: command.version, hash: command.hash, path: effectPathOf(state), signatures: [], ...(command.schedule ? { schedule: command.schedule } : {}) });
    }
    case 'apply_judicial_confirmation': {
      const jc = state.screening.judicialConfirmation;
      if (!jc.possible) return rule('not_confirmable', jc.reason, '民诉法解释第三百五十五条');
      // Within 30 days of the agreement taking effect; an application that was not accepted or was
      // withdrawn may be made again while they last.
      const window = state.deadlines.judicial_confirmation_application;
      const windowEnds = window?.dueAt ? Date.parse(window.dueAt) : undefined;
      if (!window || window.status === 'cancelled' || window.status === 'expired' || (windowEnds !== undefined && now.getTime() > windowEnds)) {
        return rule('window_closed', 'judicial confirmation is applied for within 30 days of the agreement taking effect', '民事诉讼法第二百零五条');
      }
      if (active(state, 'judicial_confirmation')) return refuse('wrong_state', 'already_applied', 'an application for judicial confirmation is already under way');
      if (securedBy(state, 'judicial_confirmation', 'CONFIRMED')) return refuse('wrong_state', 'already_confirmed', 'the agreement is already confirmed');
      // A court that invited the mediation hears it; otherwise a basic court where a party lives, the property is, or the organization sits (Art 205).
      const delegated = state.channel === 'court_pre_filing';
      if (delegated !== (command.venueGround === 'delegating_court')) {
        return rule('wrong_venue', delegated ? 'a case the court delegated goes back to that court for confirmation' : 'name the basic court where a party lives, the property is, or the organization sits', '民事诉讼法第二百零五条');
      }
      const n = (state.securing?.processes.filter((p) => p.kind === 'judicial_confirmation').length ?? 0) + 1;
      const process = initialConfirmation({
        caseId: state.caseId,
        n,
        court: { ...command.court, venueGround: command.venueGround },
        applicants: principalParties(state).map((p) => p.partyId),
        agreementVersion: state.agreement!.version,
        ...(window.dueAt ? { applyBy: window.dueAt } : {}),
      });
      emit('JudicialConfirmationStarted', { n, courtInstitutionId: command.court.institutionId, venueGround: command.venueGround, article: '民事诉讼法第二百零五条；人民调解法第三十三条', free: true });
      effects.push({ kind: 'start_process', process });
      return done({ securing: withProcess(state, { kind: 'judicial_confirmation', n, workflowId: '', institutionId: command.court.institutionId, agreementVersion: process.agreementVersion, status: process.status, final: false, reportSeq: 0 }) });
    }
    case 'request_notarization': {
      const parties = principalParties(state).map((p) => p.partyId);
      if (!parties.includes(command.creditorPartyId) || !parties.includes(command.debtorPartyId) || command.creditorPartyId === command.debtorPartyId) {
        return refuse('wrong_state', 'unknown_party', 'creditor and debtor are two different parties to the agreement');
      }
      if (command.actor.role === 'party' && !actsFor(state, command.actor, command.creditorPartyId) && !actsFor(state, command.actor, command.debtorPartyId)) {
        return refuse('forbidden', 'not_your_party', 'a party applies only for an agreement it is a party to');
      }
      const eligible = notarizationEligibility({ form: state.agreement!.form, schedule: state.agreement?.schedule ?? [], obligation: command.obligation });
      if (!eligible.ok) return rule(eligible.code, eligible.message, eligible.article);
      if (active(state, 'notarization')) return refuse('wrong_state', 'already_applied', 'a notarization is already under way');
      if (securedBy(state, 'notarization', 'ISSUED')) return refuse('wrong_state', 'already_notarized', 'the agreement is already notarized');
      const n = (state.securing?.processes.filter((p) => p.kind === 'notarization').length ?? 0) + 1;
      const aid = state.screening.legalAid;
      // A legal-aid party pays a reduced fee or none (公证法 Art 34).
      const feeReduction = aid.status === 'granted' && (aid.partyId === command.creditorPartyId || aid.partyId === command.debtorPartyId);
      const process = initialNotarization({ caseId: state.caseId, n, notary: command.notary, creditorPartyId: command.creditorPartyId, debtorPartyId: command.debtorPartyId, agreementVersion: state.agreement!.version, feeReduction });
      // The fee reduction is the notary's and the aided party's business: not in the event others may read.
      emit('NotarizationRequested', { n, notaryInstitutionId: command.notary.institutionId, creditorPartyId: command.creditorPartyId, debtorPartyId: command.debtorPartyId, obligation: command.obligation, article: '公证法第三十七条；公证程序规则第三十九条' });
      effects.push({ kind: 'start_process', process });
      return done({
        securing: withProcess(state, { kind: 'notarization', n, workflowId: '', institutionId: command.notary.institutionId, agreementVersion: process.agreementVersion, status: process.status, final: false, reportSeq: 0, feeReduction }),
      });
    }
    case 'process_report': {
      const r = command.report;
      const summary = state.securing?.processes.find((p) => p.kind === r.kind && p.n === r.n);
      if (!summary) return refuse('wrong_state', 'unknown_process', 'no such process');
      if (r.reportSeq <= summary.reportSeq) return refuse('wrong_state', 'already_recorded', 'this report is already recorded');
      // The process's events join the case's chain in the order they happened, under the case's numbering.
      for (const e of r.events) {
        seq += 1;
        events.push({ seq, type: e.type, at: e.at, actor: e.actor, payload: { process: r.kind, n: r.n, ...e.payload } });
      }
      const deadlines = { ...state.deadlines };
      for (const d of r.deadlines) deadlines[d.ruleId] = { ...d, owner: r.kind };
      const updated: ProcessSummary = {
        ...summary,
        status: r.status,
        final: r.final,
        reportSeq: r.reportSeq,
        ...(r.outcome ? { outcome: r.outcome } : {}),
        ...(r.courtCaseNumber ? { courtCaseNumber: r.courtCaseNumber } : {}),
        ...(r.certificateNumber ? { certificateNumber: r.certificateNumber } : {}),
      };
      let next: CaseState = { ...state, deadlines, securing: withProcess(state, updated) };
      // Handed in within the 30 days: the window is met (民事诉讼法 Art 205).
      if (r.kind === 'judicial_confirmation' && r.status === 'SUBMITTED' && state.deadlines.judicial_confirmation_application?.status === 'open') {
        effects.push({ kind: 'stop_deadline', ruleId: 'judicial_confirmation_application', outcome: 'met' });
      }
      const titled = r.outcome?.status === 'CONFIRMED' ? 'judicial_confirmation' : r.outcome?.status === 'ISSUED' ? 'notarization' : undefined;
      if (titled) {
        next = { ...next, securing: { ...next.securing!, enforceableBy: next.securing!.enforceableBy ?? titled } };
        if (titled === 'judicial_confirmation' && COURT_CHANNELS.includes(state.channel)) {
          effects.push({ kind: 'report_to_court', message: 'agreement_confirmed', payload: { courtCaseNumber: r.courtCaseNumber ?? null, confirmedAt: r.outcome?.at ?? at } });
        }
        // A default already recorded can now be enforced.
        if (next.performance?.defaulted && next.status === 'AGREEMENT_EFFECTIVE') {
          state = next;
          return adviseEnforcement();
        }
      }
      state = next;
      return done({});
    }
    case 'remediate': {
      // After a rejection the parties may change the agreement or make a new one by mediation (民事诉讼法 Art 206).
      if (lastOf(state, 'judicial_confirmation')?.outcome?.status !== 'REJECTED') {
        return refuse('wrong_state', 'not_rejected', 'mediation resumes after a court rejects the application for confirmation');
      }
      if (active(state, 'notarization')) return refuse('wrong_state', 'notarization_under_way', 'withdraw the notarization of the old agreement first');
      emit('MediationResumedAfterRejection', { article: '民事诉讼法第二百零六条', ...(command.note ? { note: command.note } : {}) });
      effects.push({ kind: 'start_deadline', ruleId: mediationRule, startedAt: at });
      // The old agreement's titles do not carry over to the new one.
      const { termination: _t, performance: _p, ...rest } = state;
      const securing = state.securing ? { processes: state.securing.processes } : undefined;
      return {
        ok: true,
        state: { ...rest, ...(securing ? { securing } : {}), status: 'IN_MEDIATION', mediation: { ...state.mediation, startedAt: at, pauses: [], extensionDays: 0, extensionConsents: {} }, lastSeq: seq },
        events,
        effects,
      };
    }
    case 'confirm_payment': {
      const inst = state.performance?.instalments.find((i) => i.n === command.instalment);
      if (!inst) return refuse('wrong_state', 'unknown_instalment', `no instalment ${command.instalment}`);
      if (inst.status === 'paid') return refuse('wrong_state', 'already_paid', 'this instalment is already confirmed as paid');
      if (!isParty(state, command.partyId, PRINCIPAL_ROLES)) return refuse('wrong_state', 'unknown_party', 'no such party in this case');
      if (!actsFor(state, command.actor, command.partyId)) return refuse('forbidden', 'not_your_party', 'a party confirms only for themselves');
      // Only the creditor confirms a payment: a party online only where the agreement names them as payee;
      // otherwise staff record the creditor's confirmation given in person or by phone.
      if (inst.payeePartyId ? command.partyId !== inst.payeePartyId : command.actor.role === 'party') {
        return refuse('forbidden', 'not_the_creditor', 'only the party who receives this instalment confirms it was paid');
      }
      emit('PaymentConfirmed', { instalment: inst.n, amountFen: inst.amountFen, confirmedBy: command.partyId, late: inst.status === 'overdue', ...(command.note ? { note: command.note } : {}) });
      const instalments = state.performance!.instalments.map((i) => (i.n === inst.n ? { ...i, status: 'paid' as const, paidAt: at } : i));
      const performance = { ...state.performance!, instalments };
      if (!instalments.every((i) => i.status === 'paid')) return done({ performance });
      emit('PerformanceCompleted', { instalments: instalments.length, article: '人民调解法第三十一条' });
      if (state.deadlines.enforcement_application?.status === 'open') effects.push({ kind: 'stop_deadline', ruleId: 'enforcement_application', outcome: 'met' });
      return done({ status: 'PERFORMED', performance: { ...performance, completedAt: at } });
    }
    case 'record_follow_up': {
      // 回访: the committee follows up on performance (人民调解法 Art 31).
      emit('FollowUpRecorded', { at: command.at, mode: command.mode, note: command.note, article: '人民调解法第三十一条' });
      return done({ performance: { ...(state.performance ?? { instalments: [], defaulted: false }), followUps: (state.performance?.followUps ?? 0) + 1 } });
    }
    case 'record_material': {
      // The same file again (a retried upload) is already on record.
      if (state.materials?.includes(command.material.materialId)) return done({});
      emit('MaterialReceived', { ...command.material });
      return done({ materials: [...(state.materials ?? []), command.material.materialId] });
    }
    case 'archive': {
      if (state.securing?.processes.some((p) => !p.final)) return refuse('wrong_state', 'securing_under_way', 'wait for the court or notary to conclude');
      // While instalments are running the committee follows them; unless the court refused to confirm the
      // agreement and the parties turn to litigation (民事诉讼法 Arts 186, 206).
      const litigating = ['REJECTED', 'DISPUTE_FOUND'].includes(lastOf(state, 'judicial_confirmation')?.outcome?.status ?? '');
      if (state.status === 'AGREEMENT_EFFECTIVE' && !litigating && state.performance?.instalments.some((i) => i.status === 'pending')) {
        return refuse('wrong_state', 'performance_pending', 'instalments are still to be paid; archive once performed or in default');
      }
      closeOpenDeadlines('cancelled');
      for (const [id, d] of Object.entries(state.deadlines)) {
        if (d?.owner && (d.status === 'open' || d.status === 'paused')) effects.push({ kind: 'stop_deadline', ruleId: id as DeadlineRuleId, outcome: 'cancelled' });
      }
      // The file is archived (人民调解法 Art 27), with its list of contents (legal memo §8.2).
      emit('CaseArchived', { article: '人民调解法第二十七条', ...(command.note ? { note: command.note } : {}) });
      effects.push({ kind: 'render_document', document: 'archive_summary', version: 1 });
      return done({ status: 'CLOSED_ARCHIVED', closedAt: at });
    }
    case 'instalment_reminder': {
      const inst = state.performance?.instalments.find((i) => i.n === command.instalment);
      if (!inst || inst.status !== 'pending' || inst.reminded || !inst.reminderAt || Date.parse(inst.reminderAt) > now.getTime()) return refuse('wrong_state', 'no_reminder_due', 'no reminder due');
      emit('InstalmentReminder', { instalment: inst.n, dueAt: inst.dueAt, amountFen: inst.amountFen, to: ['parties', 'mediator'] });
      effects.push({ kind: 'notify_parties', notice: 'instalment_reminder', instalment: inst.n });
      return done({ performance: { ...state.performance!, instalments: state.performance!.instalments.map((i) => (i.n === inst.n ? { ...i, reminded: true } : i)) } });
    }
    case 'instalment_due': {
      const inst = state.performance?.instalments.find((i) => i.n === command.instalment);
      if (!inst || inst.status !== 'pending') return refuse('wrong_state', 'not_pending', 'the instalment is not pending');
      if (Date.parse(inst.dueAt) > now.getTime()) return refuse('wrong_state', 'not_yet_due', 'the instalment is not due yet');
      emit('InstalmentOverdue', { instalment: inst.n, dueAt: inst.dueAt, amountFen: inst.amountFen });
      const instalments = state.performance!.instalments.map((i) => (i.n === inst.n ? { ...i, status: 'overdue' as const } : i));
      const firstDefault = !state.performance!.defaulted;
      state = { ...state, performance: { ...state.performance!, instalments, defaulted: true } };
      if (!firstDefault || state.status !== 'AGREEMENT_EFFECTIVE') return done({});
      if (state.securing?.enforceableBy) return adviseEnforcement();
      // No enforceable title: the creditor may sue on the agreement (人民调解法 Art 32), or still apply for confirmation.
      const windowOpen = state.deadlines.judicial_confirmation_application?.status === 'open';
      emit('PerformanceDefaulted', { instalment: inst.n, routes: windowOpen ? ['judicial_confirmation', 'litigation'] : ['litigation'], article: '人民调解法第三十二条' });
      return done({});
    }
    case 'record_case_facts': {
      if (!COURT_CHANNELS.includes(state.channel)) return refuse('wrong_state', 'not_a_court_case', 'facts for a failure report are recorded in a case a court delegated');
      const pending = state.failureReportPending;
      if (state.status === 'TERMINATED' && !pending) return refuse('wrong_state', 'no_failure_report_pending', 'mediation has ended and no failure report is waiting for facts');
      const facts = factsOf(command);
      // The mediator records the mediation (在线调解规则 Arts 21-22; 人民调解法 Art 27); a later record replaces an earlier one.
      emit('CaseFactsRecorded', { ...facts, article: '人民法院在线调解规则第二十一条', ...(pending ? { answersRequestOf: pending.askedAt } : {}) });
      if (!pending) return done({ caseFacts: { ...facts, recordedAt: at } });
      state = { ...state, caseFacts: { ...facts, recordedAt: at } };
      return sendPendingReport({ ...facts, whyFailed: pending.whyFailed });
    }
    case 'failure_facts_due': {
      const pending = state.failureReportPending;
      if (!pending) return refuse('wrong_state', 'no_failure_report_pending', 'no failure report is waiting for facts');
      if (pending.dueAt && Date.parse(pending.dueAt) > now.getTime()) return refuse('wrong_state', 'not_yet_due', 'the mediator still has time to answer');
      // Never blank: the report says what was not recorded and carries the dispute as registered.
      emit('FailureFactsNotProvided', { askedOf: pending.askedOf ?? null, askedAt: pending.askedAt, dueAt: pending.dueAt ?? null, article: '人民法院在线调解规则第二十一条' });
      return sendPendingReport(unrecordedFacts(pending.whyFailed, true));
    }
    case 'deadline_reminder': {
      const d = state.deadlines[command.ruleId];
      if (!d || d.status !== 'open' || d.reminded || !d.reminderAt || Date.parse(d.reminderAt) > now.getTime()) return refuse('wrong_state', 'no_reminder_due', 'no reminder due');
      emit('DeadlineReminder', { ruleId: command.ruleId, dueAt: d.dueAt, to: ['mediator', 'clerk'] });
      effects.push({ kind: 'notify_staff', ruleId: command.ruleId });
      return done({ deadlines: { ...state.deadlines, [command.ruleId]: { ...d, reminded: true } } });
    }
    case 'deadline_expired': {
      const d = state.deadlines[command.ruleId];
      if (!d || d.status !== 'open') return refuse('wrong_state', 'no_open_deadline', 'no such open deadline');
      // A timer queued behind an action that extended or restarted the period must not expire it.
      if (Date.parse(d.dueAt) > now.getTime()) return refuse('wrong_state', 'not_yet_due', 'the deadline has moved and is not due yet');
      const deadlines = { ...state.deadlines, [command.ruleId]: { ...d, status: 'expired' as const } };
      emit('DeadlineExpired', { ruleId: command.ruleId, dueAt: d.dueAt, onExpiry: DEADLINE_RULES[command.ruleId].onExpiry, citation: DEADLINE_RULES[command.ruleId].citation });
      state = { ...state, deadlines };
      if (command.ruleId === mediationRule && MEDIATING.includes(state.status)) return terminate('period_expired', undefined, undefined, { ruleId: command.ruleId });
      if (command.ruleId === 'mediator_acceptance' && state.status === 'PENDING_MEDIATOR_ACCEPT') {
        return reassign(state.assignment.mediatorId!, state.assignment.refusedByParties, 'timeout');
      }
      if (command.ruleId === 'party_mediator_choice' && state.status === 'PENDING_ASSIGNMENT') {
        // Still unwilling after a change of mediator, and no choice of their own: that is refusing
        // mediation (人民法院在线调解规则 Art 14). One change asked for is not.
        if (state.assignment.refusedByParties >= 2) {
          emit('AllMediatorsRefused', { refusals: state.assignment.refusedByParties, article: '人民法院在线调解规则第十四条' });
          return terminate('party_refuses_to_continue', '当事人更换调解员后仍不同意，且未自行选择，视为拒绝调解', {
            whyFailed: '当事人申请更换调解员后仍不同意且拒绝自行选择，视为拒绝调解（人民法院在线调解规则第十四条）',
          });
        }
        effects.push({ kind: 'auto_assign' });
      }
      // Other expiries (contact attempts, legal-aid decision, confirmation window) are escalations: the
      // case stays where it is and the SLA-breach list shows them.
      return done({});
    }
  }

  /**
   * A default on an enforceable agreement: tell the creditor where to apply and by when — two years from the
   * last day of performance (民事诉讼法 Art 250). A notarized one needs the notary's 执行证书 first.
   */
  function adviseEnforcement(): Decision {
    const by = state.securing!.enforceableBy!;
    const last = [...(state.performance?.instalments ?? [])].sort((a, b) => a.lastDay.localeCompare(b.lastDay)).at(-1);
    emit('EnforcementAdvised', {
      title: by,
      route:
        by === 'judicial_confirmation'
          ? '向作出确认裁定的人民法院申请强制执行（民事诉讼法第二百零六条；民诉法解释第四百六十条）'
          : '先向公证机构申请出具执行证书，再向被执行人住所地或财产所在地人民法院申请执行（公证法第三十七条；最高人民法院《关于公证债权文书执行若干问题的规定》第二条、第三条）',
      periodFrom: last?.lastDay ?? chinaDateOf(at),
      article: '民事诉讼法第二百五十条',
    });
    effects.push({ kind: 'start_deadline', ruleId: 'enforcement_application', startedAt: `${last?.lastDay ?? chinaDateOf(at)}T00:00:00+08:00` });
    return done({ status: 'ENFORCEMENT_ADVISED' });
  }

  /** After a decline, timeout or recusal the parties may choose again (2 working days), else the organization designates. */
  function excludedMediator(): Decision {
    return rule('mediator_excluded', 'this mediator declined, timed out or was recused in this case', '特邀调解规定第十五条；人民法院在线调解规则第十二条');
  }

  /** The mediator is assigned and has 3 working days to accept (在线调解规则 Art 12); the parties' choosing ends. */
  function assign(p: MediatorProposal): Decision {
    emit('MediatorAssigned', { mediatorId: p.mediatorId, orgId: p.orgId, mode: p.mode, reasoning: p.reasoning });
    effects.push({ kind: 'stop_deadline', ruleId: 'party_mediator_choice', outcome: 'met' });
    effects.push({ kind: 'start_deadline', ruleId: 'mediator_acceptance', startedAt: at });
    const { choices: _chosen, ...rest } = state.assignment;
    return done({ status: 'PENDING_MEDIATOR_ACCEPT', assignment: { ...rest, orgId: p.orgId, mediatorId: p.mediatorId, mode: p.mode } });
  }

  function reassign(mediatorId: string, refusedByParties = state.assignment.refusedByParties, why?: 'timeout'): Decision {
    if (why === 'timeout') emit('MediatorAcceptanceTimedOut', { mediatorId, article: '人民法院在线调解规则第十二条' });
    effects.push({ kind: 'stop_deadline', ruleId: 'mediator_acceptance', outcome: 'cancelled' });
    effects.push({ kind: 'start_deadline', ruleId: 'party_mediator_choice', startedAt: at });
    const { mediatorId: _m, recusal: _r, ...rest } = state.assignment;
    return done({ status: 'PENDING_ASSIGNMENT', assignment: { ...rest, excluded: [...state.assignment.excluded, mediatorId], refusedByParties } });
  }

  function effective(agreement: NonNullable<CaseState['agreement']>): Decision {
    const path = agreement.path;
    // A case that goes on (to confirmation) keeps legal aid's periods open; one that closes ends them.
    closeOpenDeadlines('met', path === 'court_post_filing' ? 'cancel' : 'keep');
    emit('AgreementEffective', { form: agreement.form, version: agreement.version, sha256: agreement.hash, effectiveAt: at, basis: agreement.form === 'oral' ? '人民调解法第三十条' : EFFECT_RULES[path].basis });
    if (path === 'court_pre_filing') {
      // The agreement is filed with the delegating court (特邀调解规定 Art 19).
      emit('AgreementFiledWithCourt', { agreementVersion: agreement.version, sha256: agreement.hash, basis: '特邀调解规定第十九条' });
      effects.push({ kind: 'report_to_court', message: 'agreement_filed', payload: { agreementVersion: agreement.version, sha256: agreement.hash, basis: '特邀调解规定第十九条' } });
    }
    if (path === 'court_post_filing') {
      // The court issues a 调解书 or allows withdrawal (特邀调解规定 Art 20).
      emit('ReturnedToCourt', { agreementVersion: agreement.version, purpose: '出具调解书或准许撤诉', basis: EFFECT_RULES.court_post_filing.basis });
      effects.push({ kind: 'report_to_court', message: 'agreement_for_court_document', payload: { agreementVersion: agreement.version, sha256: agreement.hash, basis: EFFECT_RULES.court_post_filing.basis } });
      return done({ status: 'RETURNED_TO_COURT', agreement: { ...agreement, effectiveAt: at }, termination: { reason: 'agreement_reached', returnedToCourt: true }, closedAt: at });
    }
    // The effective time starts the 30-day window for judicial confirmation (民事诉讼法 Art 205).
    if (state.screening.judicialConfirmation.possible) effects.push({ kind: 'start_deadline', ruleId: 'judicial_confirmation_application', startedAt: at });
    // The committee follows performance (人民调解法 Art 31): dated terms become instalments with reminders.
    if ((agreement.schedule ?? []).some((t) => t.dueDate)) effects.push({ kind: 'schedule_performance' });
    return done({
      status: 'AGREEMENT_EFFECTIVE',
      agreement: { ...agreement, effectiveAt: at },
      termination: { reason: 'agreement_reached', returnedToCourt: false },
      performance: { instalments: [], followUps: 0, defaulted: false },
    });
  }
}

/** How long the mediator has to give a failure report's facts when asked (the center's rule, not a statute). */
export const FAILURE_FACTS_WORKING_DAYS = 3;

function factsOf(f: CaseFacts): CaseFacts {
  return { basicFacts: f.basicFacts, undisputedFacts: f.undisputedFacts, ...(f.costlyConduct ? { costlyConduct: f.costlyConduct } : {}) };
}

/**
 * A failure report when the mediator recorded nothing (or did not answer in time): never blank, and never a
 * fact nobody stated. It says what was not recorded; the document adds the dispute as it was registered.
 */
export function unrecordedFacts(whyFailed: string, asked: boolean): FailureReport {
  const who = asked ? '调解员经要求后未在期限内补充' : '调解员未记录';
  return {
    basicFacts: `${who}纠纷基本事实；登记时的纠纷概要如下：`,
    undisputedFacts: `${who}当事人无争议的事实，本组织不能确认任何无争议事实。`,
    whyFailed,
    costlyConduct: `${who}导致其他当事人诉讼成本增加的行为。`,
    withIntakeSummary: true,
  };
}

/** Records the due time of a request for a failure report's facts. */
export function withFailureFactsDue(state: CaseState, dueAt: string): CaseState {
  return state.failureReportPending ? { ...state, failureReportPending: { ...state.failureReportPending, dueAt } } : state;
}

/** Records a computed (or recomputed) deadline in the state. */
export function withDeadline(state: CaseState, d: ComputedDeadline, reminderAt: string | null): CaseState {
  return { ...state, deadlines: { ...state.deadlines, [d.ruleId]: { ...d, status: 'open', reminderAt, reminded: false } } };
}

/**
 * Stopping or pausing a clock: its new status and the event that records it, or nothing when the clock
 * is not running (already met, expired or cancelled). The case and its processes both use it.
 */
export function haltDeadline(
  d: DeadlineState | undefined,
  effect: { kind: 'stop_deadline'; outcome: 'met' | 'cancelled' } | { kind: 'pause_deadline' },
): { status: DeadlineState['status']; eventType: 'DeadlinePaused' | 'DeadlineStopped' } | undefined {
  if (!d || (d.status !== 'open' && d.status !== 'paused' && d.status !== 'uncomputable')) return undefined;
  return effect.kind === 'pause_deadline' ? { status: 'paused', eventType: 'DeadlinePaused' } : { status: effect.outcome, eventType: 'DeadlineStopped' };
}

/** A deadline the calendar cannot count yet (its year is not published): recorded, shown, never timed. */
export function uncomputableDeadline(ruleId: DeadlineRuleId, startedAt: string, problem: string): DeadlineState {
  return { ruleId, startedAt, dueAt: '', lastDay: '', calendarVersion: '', extensionDays: 0, pausedDays: 0, explanation: [problem], status: 'uncomputable', reminderAt: null, reminded: false, problem };
}

export function withDeadlineStatus(state: CaseState, ruleId: DeadlineRuleId, status: DeadlineState['status']): CaseState {
  const d = state.deadlines[ruleId];
  return d ? { ...state, deadlines: { ...state.deadlines, [ruleId]: { ...d, status } } } : state;
}

/** The next timer the workflow must wait for: a reminder or a due time of an open deadline. */
export type Timer =
  | { at: string; command: 'deadline_reminder' | 'deadline_expired'; ruleId: DeadlineRuleId }
  | { at: string; command: 'instalment_reminder' | 'instalment_due'; instalment: number };

export function nextTimer(state: CaseState): Timer | undefined {
  let best: Timer | undefined;
  for (const i of state.performance?.instalments ?? []) {
    if (i.status !== 'pending') continue;
    if (i.reminderAt && !i.reminded && i.reminderAt < i.dueAt && (!best || i.reminderAt < best.at)) best = { at: i.reminderAt, command: 'instalment_reminder', instalment: i.n };
    if (!best || i.dueAt < best.at) best = { at: i.dueAt, command: 'instalment_due', instalment: i.n };
  }
  for (const [id, d] of Object.entries(state.deadlines)) {
    if (!d || d.status !== 'open' || d.owner) continue;
    const ruleId = id as DeadlineRuleId;
    if (d.reminderAt && !d.reminded && d.reminderAt < d.dueAt && (!best || d.reminderAt < best.at)) best = { at: d.reminderAt, command: 'deadline_reminder', ruleId };
    if (!best || d.dueAt < best.at) best = { at: d.dueAt, command: 'deadline_expired', ruleId };
  }
  return best;
}

/** The case's processes with one added or replaced (by kind and number). */
function withProcess(s: CaseState, p: ProcessSummary): NonNullable<CaseState['securing']> {
  const processes = s.securing?.processes ?? [];
  const i = processes.findIndex((q) => q.kind === p.kind && q.n === p.n);
  return { ...s.securing, processes: i < 0 ? [...processes, p] : processes.map((q, j) => (j === i ? p : q)) };
}

const lastOf = (s: CaseState, kind: SecuringKind) => s.securing?.processes.filter((p) => p.kind === kind).at(-1);
/** Whether the current agreement already has this title. */
const securedBy = (s: CaseState, kind: SecuringKind, outcome: string) =>
  (s.securing?.processes ?? []).some((p) => p.kind === kind && p.outcome?.status === outcome && p.agreementVersion === s.agreement?.version);
const active = (s: CaseState, kind: SecuringKind) => lastOf(s, kind)?.final === false;

/** Records a started process's workflow id. */
export function withProcessWorkflow(s: CaseState, kind: SecuringKind, n: number, workflowId: string): CaseState {
  const p = s.securing?.processes.find((q) => q.kind === kind && q.n === n);
  return p ? { ...s, securing: withProcess(s, { ...p, workflowId }) } : s;
}

/** Records the computed instalments. */
export function withInstalments(s: CaseState, instalments: Instalment[]): CaseState {
  return { ...s, performance: { ...(s.performance ?? { followUps: 0, defaulted: false }), instalments } };
}

function isParty(s: CaseState, partyId: string, roles?: readonly PartyRole[]): boolean {
  return s.parties.some((p) => p.partyId === partyId && (!roles || roles.includes(p.role)));
}

/**
 * The rules on a draft's content. A term that pays an amount states how and by when it is performed
 * (人民调解法 Art 29 ¶1(三); for other organizations the contract rule, 民法典 Art 470 ¶1(六)): a court rejects an
 * agreement whose content is not definite (民诉法解释 Art 358(五)). A planned notarization with enforcement
 * effect names the debtors whose commitment the written agreement prints (公证法 Art 37), and needs an
 * obligation with a date (公证程序规则 Art 39(三)).
 */
export function agreementContentProblem(s: CaseState, content: AgreementContent, form: 'written' | 'oral'): Refusal | undefined {
  const path = effectPathOf(s);
  const definite = [path === 'peoples_mediation' ? '人民调解法第二十九条第一款第（三）项' : '民法典第四百七十条第一款第（六）项', ...(path === 'court_post_filing' ? [] : ['民诉法解释第三百五十八条第（五）项'])].join('；');
  for (const [i, t] of content.terms.entries()) {
    if (t.amountFen === undefined) continue;
    const missing = [...(t.dueDate ? [] : ['by when (dueDate)']), ...(t.manner || content.performance ? [] : ['how (manner, or the agreement\'s performance)'])];
    if (missing.length) return { kind: 'rule', code: 'performance_terms_required', message: `term ${i + 1} pays an amount: state ${missing.join(' and ')} it is paid`, article: definite };
  }
  const n = content.notarization;
  if (n) {
    if (form === 'oral') return { kind: 'rule', code: 'notarization_needs_written_agreement', message: 'the debtor\'s commitment to accept enforcement is written into the agreement: notarization needs a written agreement', article: '公证法第三十七条' };
    const principals = principalParties(s).map((p) => p.partyId);
    if (n.debtorPartyIds.some((id) => !principals.includes(id))) return { kind: 'wrong_state', code: 'unknown_party', message: 'each debtor named for notarization must be a party to the dispute' };
    if (!content.terms.some((t) => t.dueDate)) return { kind: 'rule', code: 'indefinite_terms', message: 'notarization with enforcement effect needs an obligation with a date of performance', article: '公证程序规则第三十九条第（三）项' };
  }
  return undefined;
}

function refuse(kind: 'wrong_state' | 'forbidden', code: string, message: string): Decision {
  return { ok: false, refusal: { kind, code, message } };
}

function rule(code: string, message: string, article: string): Decision {
  return { ok: false, refusal: { kind: 'rule', code, message, article } };
}
