/**
 * The mediation case workflow's public contract: task queue, workflow id, input, and every message. The
 * API, the worker and the tests import these constants; no message name is written anywhere else.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, CaseIntake, CaseStatus } from '../domain/case.js';
import type { AgreementContent, CaseCommand, CaseState, DeadlineState, ProcessReport } from '../domain/case-rules.js';
import type { DeadlineRuleId } from '../domain/deadlines.js';
import type {
  ConfirmationCommand,
  ConfirmationState,
  NotarizationCommand,
  NotarizationState,
  Representation,
  SecuringKind,
} from '../domain/securing.js';

export const DEFAULT_TASK_QUEUE = 'mediation-cases';
export const WORKFLOW_TYPE = 'mediationCase';

/** Deterministic: one workflow per case, so starting the same case twice finds the first. */
export function caseWorkflowId(caseId: string): string {
  return `mediation-case-${caseId}`;
}

/**
 * A new case carries its intake; a case that continued as new also carries its state. A case rebuilt from
 * the record after Temporal's own state was lost (`npm run rebuild`) carries the state stored with its last
 * recorded event, and records that it was rebuilt.
 */
export type MediationCaseInput = {
  /** Every new case has one; a carried state does not need it. */
  intake?: CaseIntake;
  carried?: { state: CaseState };
  /** Continue as new after this many history events (default 10,000; Temporal's hard limit is 51,200). */
  maxHistoryEvents?: number;
  rebuilt?: RebuiltFromRecord;
};

/** Who rebuilt the case's process from the record, and why (recorded as the chain's next event). */
export type RebuiltFromRecord = { by: string; reason: string };

/**
 * What people ask the case to do. Most are domain commands as they are; four need facts the workflow
 * fetches first (the roster's proposal, the stored draft's hash).
 */
export type CaseAction =
  | Exclude<
      CaseCommand,
      {
        type:
          | 'assign_mediator'
          | 'choose_mediator'
          | 'save_draft'
          | 'record_oral_agreement'
          | 'deadline_expired'
          | 'deadline_reminder'
          | 'process_report'
          | 'instalment_reminder'
          | 'instalment_due'
          | 'failure_facts_due';
      }
    >
  | {
      type: 'assign_mediator';
      actor: Actor;
      mode: 'party_choice' | 'designated' | 'by_rule';
      mediatorId?: string | undefined;
    }
  | { type: 'choose_mediator'; actor: Actor; partyId: string; mediatorId: string }
  | { type: 'save_draft'; actor: Actor; content: AgreementContent }
  | { type: 'record_oral_agreement'; actor: Actor; content: AgreementContent };

/** What the workflow knows; the API joins it with the PostgreSQL record. */
export type CaseSnapshot = {
  caseId: string;
  caseNumber: string | null;
  status: CaseStatus;
  registered: boolean;
  lastSeq: number;
  closedAt: string | null;
  notAccepted: CaseState['notAccepted'] | null;
  termination: CaseState['termination'] | null;
  assignment: CaseState['assignment'];
  agreement: CaseState['agreement'] | null;
  screening: CaseState['screening'];
  deadlines: (DeadlineState & { ruleId: DeadlineRuleId })[];
  securing: CaseState['securing'] | null;
  performance: CaseState['performance'] | null;
  /** What the mediator recorded for a court's failure report (在线调解规则 Art 21). */
  caseFacts?: CaseState['caseFacts'] | null;
  /** A court's failure report waiting for the mediator's facts, and until when. */
  failureReportPending?: CaseState['failureReportPending'] | null;
};

/** Resolves once the intake is recorded in PostgreSQL and the case has its number. */
export const awaitRegistrationUpdate = defineUpdate<CaseSnapshot, []>('awaitRegistration');
/** Every action on a case; the validator refuses (with the reason) what the rules do not allow. */
export const caseActionUpdate = defineUpdate<CaseSnapshot, [CaseAction]>('caseAction');
export const snapshotQuery = defineQuery<CaseSnapshot>('snapshot');

/**
 * A holiday calendar was loaded: running clocks counted on another version are counted again on this one
 * (the case forwards it to its securing processes, with the confirmation window as it now stands).
 */
export type CalendarLoaded = { version: string; applyBy?: string };
export const calendarLoadedSignal = defineSignal<[CalendarLoaded]>('calendarLoaded');

/** A securing process reports what happened; the case records it in its chain (one writer per chain). */
export const processReportSignal = defineSignal<[ProcessReport]>('processReport');
/** Resolves once the case has recorded a process's report up to `reportSeq`: an HTTP answer shows it. */
export const awaitProcessReportUpdate = defineUpdate<
  CaseSnapshot,
  [{ kind: SecuringKind; n: number; reportSeq: number }]
>('awaitProcessReport');

// Securing processes (child workflows) --------------------------------------------------------------------

// The workflow types below are the names of the workflow functions (`judicialConfirmation`, `deliverMessage`,
// …): workflows start their children by function (`children.ts`), the API and scripts by these names.
// Recorded histories name each child's type and replay refuses a different one, so a function is never
// renamed without its constant here and a new recorded history.
export const CONFIRMATION_WORKFLOW_TYPE = 'judicialConfirmation';
export const DELIVERY_WORKFLOW_TYPE = 'deliverMessage';

/** One delivery workflow per message, whoever asks to start it. */
export function deliveryWorkflowId(deliveryId: string): string {
  return `delivery-${deliveryId}`;
}
export const SMS_DELIVERY_WORKFLOW_TYPE = 'deliverSms';
/** A one-time code is worthless after it expires: its delivery gives up sooner than a notice's. */
export type SmsDeliveryInput = { messageId: string; urgent: boolean };
export function smsDeliveryWorkflowId(messageId: string): string {
  return `sms-${messageId}`;
}
/**
 * The SMS sweep: a Temporal Schedule (one per namespace, `SMS_SWEEP_SCHEDULE_ID`, visible in the Temporal UI)
 * runs `smsSweep` every minute, which starts the deliveries of texts recorded while Temporal was down.
 */
export const SMS_SWEEP_WORKFLOW_TYPE = 'smsSweep';
export const SMS_SWEEP_SCHEDULE_ID = 'sms-sweep';
/** At most this many deliveries started per run, oldest texts first; the next run takes the rest. */
export const SMS_SWEEP_BATCH = 500;
export type SmsSweepInput = { limit?: number };
export const NOTARIZATION_WORKFLOW_TYPE = 'notarization';
/** A complaint's own workflow: its contract is workflows/complaint-messages.ts. */
export { COMPLAINT_WORKFLOW_TYPE } from './complaint-messages.js';
export { RATING_FOLLOW_UP_WORKFLOW_TYPE } from './rating-followup-messages.js';

export function processWorkflowId(caseId: string, kind: SecuringKind, n: number): string {
  return `${caseWorkflowId(caseId)}/${kind === 'judicial_confirmation' ? 'judicial-confirmation' : 'notarization'}-${n}`;
}

export type ProcessInput<S extends ConfirmationState | NotarizationState = ConfirmationState | NotarizationState> = {
  parentWorkflowId: string;
  state: S;
  /** Guardian or agent party id → the party they act for. */
  represents: Representation;
  reportSeq?: number;
};

export type ProcessCommand = ConfirmationCommand | NotarizationCommand;
export type ProcessSnapshot = { state: ConfirmationState | NotarizationState; reportSeq: number };

export const processActionUpdate = defineUpdate<ProcessSnapshot, [ProcessCommand]>('processAction');
export const processSnapshotQuery = defineQuery<ProcessSnapshot>('processSnapshot');

/** ApplicationFailure types the workflow uses to refuse a command; the API maps them to HTTP. */
export const REFUSAL_FAILURE_TYPE = {
  wrong_state: 'CaseWrongState',
  forbidden: 'CaseActionForbidden',
  rule: 'CaseRuleRefusal',
} as const;

/** The actor for what the workflow does on its own (timers, designation by rule). */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };
