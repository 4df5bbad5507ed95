/**
 * The case's state and the language of its rule book: the commands `decide` accepts, the effects it asks the
 * workflow to run, and its refusals. Types only: the rules themselves are in `case-rules.ts` (the entry) and
 * `rules/` (one module per phase). Securing's processes use `DeadlineState` and `Refusal` from here.
 */
import type {
  Actor,
  CaseEvent,
  CaseStatus,
  DisputeType,
  EffectPath,
  IntakeChannel,
  NotAcceptedReason,
  PartyRole,
  PriorProceedings,
  TerminationReason,
} from './case.js';
import type { ComputedDeadline, DeadlineRuleId, Pause } from './deadlines.js';
import type { LegalAidBasis, PriorityGroup } from './screening.js';
// Types only (erased at run time): a securing process's own state is defined with its rules in securing.ts.
import type { ConfirmationState, NotarizationState, ProcessEvent, SecuringKind, VenueGround } from './securing.js';

export type DeadlineState = ComputedDeadline & {
  status: 'open' | 'met' | 'expired' | 'cancelled' | 'paused' | 'uncomputable';
  reminderAt: string | null;
  reminded: boolean;
  problem?: string;
  /** Kept by a securing process's own workflow (its timers); the case only shows it. */
  owner?: SecuringKind;
};

/** A dated obligation of the agreement: amounts and dates only (the wording stays in the stored draft). */
export type ScheduleItem = {
  amountFen?: number | undefined;
  dueDate?: string | undefined;
  payeePartyId?: string | undefined;
};

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
  /** Why this mediator: candidates, inputs, rule version, conflict check (docs/case-path.md#assignment). */
  reasoning: Record<string, unknown>;
};

export type AgreementContent = {
  facts: string;
  /** `manner`: how this term is performed; drafts stored before it have none (the agreement's `performance` may say). */
  terms: {
    text: string;
    amountFen?: number | undefined;
    dueDate?: string | undefined;
    manner?: string | undefined;
    payeePartyId?: string | undefined;
  }[];
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
    legalAid: {
      status: 'none' | 'applied' | 'granted' | 'refused';
      partyId?: string;
      basis?: LegalAidBasis;
      proof?: LegalAidProof;
      reason?: string;
      staffAssigned?: boolean;
      refusals?: number;
    };
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
  mediation: {
    startedAt?: string;
    sessions: number;
    suspended?: { reason: 'appraisal' | 'sham_check'; since: string };
    pauses: Pause[];
    extensionDays: number;
    extensionConsents: Record<string, number>;
  };
  /** `enforcementCommitment`: the draft plans notarization and prints these debtors' commitment (公证法 Art 37). */
  agreement?: {
    form: 'written' | 'oral';
    version: number;
    hash: string;
    path: EffectPath;
    signatures: string[];
    effectiveAt?: string;
    schedule?: ScheduleItem[];
    enforcementCommitment?: { debtorPartyIds: string[] };
  };
  /** Judicial confirmation and notarization, every application in order (docs/securing.md). */
  securing?: { processes: ProcessSummary[]; enforceableBy?: SecuringKind };
  /** Files received, by id (their bytes and titles are in PostgreSQL). */
  materials?: string[];
  /** Instalments, follow-up visits, default (docs/case-path.md#performance-and-follow-up). */
  performance?: { instalments: Instalment[]; followUps: number; defaulted: boolean; completedAt?: string };
  deadlines: Partial<Record<DeadlineRuleId, DeadlineState>>;
  /** `partyId`: the other side who refused (人民调解法 Art 17). */
  notAccepted?: { reason: NotAcceptedReason; note?: string; partyId?: string };
  /** `partyId`: the party whose act ended it (refused to sign); `ruleId`: the period that ran out. */
  termination?: {
    reason: TerminationReason;
    note?: string;
    returnedToCourt: boolean;
    partyId?: string;
    ruleId?: DeadlineRuleId;
  };
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
export type CaseMaterial = {
  materialId: string;
  kind: MaterialKind;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
};

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
  | {
      type: 'log_contact';
      actor: Actor;
      channel: ContactChannel;
      result: 'reached' | 'no_answer' | 'wrong_number' | 'refused';
      note?: string | undefined;
    }
  | { type: 'counterparty_consents'; actor: Actor; partyId: string }
  | { type: 'counterparty_refuses'; actor: Actor; partyId: string; note?: string | undefined }
  | { type: 'close_unreachable'; actor: Actor; note?: string | undefined }
  | { type: 'record_screening'; actor: Actor; priorityGroups: PriorityGroup[] }
  /** `proof`: what shows the applicant belongs to a group whose hardship is not verified (法律援助法 Art 42). */
  | {
      type: 'apply_legal_aid';
      actor: Actor;
      partyId: string;
      basis: LegalAidBasis;
      selfDeclaration: boolean;
      proof?: LegalAidProof | undefined;
    }
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
  | {
      type: 'request_recusal';
      actor: Actor;
      partyId: string;
      ground: RecusalGround;
      note?: string | undefined;
      grantedOnRequest?: boolean | undefined;
    }
  /** The organization, or for 特邀调解 the court, decides a request for recusal (特邀调解规定 Art 15). */
  | { type: 'decide_recusal'; actor: Actor; granted: boolean; reason: string }
  | {
      type: 'record_session';
      actor: Actor;
      at: string;
      place: string;
      mode: 'in_person' | 'video' | 'phone';
      record: string;
    }
  | { type: 'suspend'; actor: Actor; reason: 'appraisal' | 'sham_check'; note?: string | undefined }
  | { type: 'resume'; actor: Actor; note?: string | undefined }
  | { type: 'consent_to_extension'; actor: Actor; partyId: string; days: number }
  | {
      type: 'terminate';
      actor: Actor;
      reason: Exclude<TerminationReason, 'agreement_reached' | 'period_expired' | 'party_refuses_to_sign'>;
      note?: string | undefined;
      failureReport?: FailureReport | undefined;
    }
  /** `content`: the draft, for the rules on its terms; absent for drafts recorded before those rules (they replay as taken). */
  | {
      type: 'save_draft';
      actor: Actor;
      version: number;
      hash: string;
      schedule?: ScheduleItem[] | undefined;
      content?: AgreementContent | undefined;
    }
  | { type: 'circulate_for_signature'; actor: Actor }
  /**
   * `scanMaterialId`: the scan of a wet-ink signature the clerk records (required where e-signing is excluded);
   * `beforeWetInkRule`: only for signatures recorded before that rule (they replay as they were taken).
   */
  | {
      type: 'sign';
      actor: Actor;
      signer: string;
      method: 'handwritten' | 'seal' | 'fingerprint' | 'electronic';
      draftVersion: number;
      scanMaterialId?: string | undefined;
      beforeWetInkRule?: boolean | undefined;
    }
  | { type: 'refuse_to_sign'; actor: Actor; partyId: string; note?: string | undefined }
  | {
      type: 'record_oral_agreement';
      actor: Actor;
      version: number;
      hash: string;
      schedule?: ScheduleItem[] | undefined;
      content?: AgreementContent | undefined;
    }
  | {
      type: 'apply_judicial_confirmation';
      actor: Actor;
      court: { institutionId: string; name: string };
      venueGround: VenueGround;
    }
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
  | {
      kind: 'render_document';
      document: 'agreement' | 'termination_notice' | 'rights_notice' | 'archive_summary';
      version: number;
    }
  /**
   * Written notices the law requires: not accepted, with the other routes (人民调解法 Arts 17, 26); the other
   * side refused or could not be reached, with the contact log (在线调解规则 Art 15); legal aid refused, with
   * reasons (法律援助法 Art 43; version = the how-many-th refusal).
   */
  | {
      kind: 'render_document';
      document: 'not_accepted_notice' | 'counterparty_notice' | 'legal_aid_refusal';
      version: number;
    }
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
      message:
        | 'case_accepted'
        | 'agreement_filed'
        | 'agreement_for_court_document'
        | 'failure_report'
        | 'agreement_confirmed'
        | 'sham_mediation_suspected';
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

export type Decision =
  { ok: true; state: CaseState; events: CaseEvent[]; effects: Effect[] } | { ok: false; refusal: Refusal };

/** The next timer the workflow must wait for: a reminder or a due time of an open deadline. */
export type Timer =
  | { at: string; command: 'deadline_reminder' | 'deadline_expired'; ruleId: DeadlineRuleId }
  | { at: string; command: 'instalment_reminder' | 'instalment_due'; instalment: number };
