/**
 * Where each action a person takes on a case is sent: its path under `/cases/{id}/` (always POST) and the
 * command it becomes. The API's routes (their bodies are the API's own) and the case's possible actions
 * (domain/possible-actions.ts) both name actions by these paths, so a console button and the route it
 * calls cannot drift apart. The types below fail to compile when a command a person gives has no path.
 */
import type { CaseCommand } from './case-rules.js';
import type { ConfirmationCommand, NotarizationCommand, SecuringKind } from './securing.js';

/** Commands the case's workflow gives itself (its timers, its processes' reports): no one sends them. */
export type SystemCommandType =
  | 'process_report'
  | 'instalment_reminder'
  | 'instalment_due'
  | 'deadline_expired'
  | 'deadline_reminder'
  | 'failure_facts_due';
/** Every command on a case that a person gives. */
export type PersonCommandType = Exclude<CaseCommand['type'], SystemCommandType>;

/** The securing processes' own timers. */
type ProcessSystemType = 'window_closed' | 'deadline_expired' | 'deadline_reminder';
export type PersonConfirmationType = Exclude<ConfirmationCommand['type'], ProcessSystemType>;
export type PersonNotarizationType = Exclude<NotarizationCommand['type'], ProcessSystemType>;
export type PersonProcessType = PersonConfirmationType | PersonNotarizationType;

/** The actions of the API's generic case route (a body per path): path → command. */
export const CASE_ACTION_PATHS = {
  accept: 'accept',
  decline: 'decline',
  contacts: 'log_contact',
  'counterparty-consent': 'counterparty_consents',
  'counterparty-refusal': 'counterparty_refuses',
  'close-unreachable': 'close_unreachable',
  screening: 'record_screening',
  'legal-aid': 'apply_legal_aid',
  'legal-aid/decision': 'decide_legal_aid',
  'legal-aid/staff': 'assign_legal_aid_staff',
  mediator: 'assign_mediator',
  'mediator/choices': 'choose_mediator',
  'mediator/accept': 'mediator_accepts',
  'mediator/decline': 'mediator_declines',
  recusal: 'request_recusal',
  'recusal/decision': 'decide_recusal',
  sessions: 'record_session',
  suspension: 'suspend',
  resumption: 'resume',
  'extension-consents': 'consent_to_extension',
  termination: 'terminate',
  facts: 'record_case_facts',
  'agreement/drafts': 'save_draft',
  'agreement/circulation': 'circulate_for_signature',
  'agreement/signatures': 'sign',
  'agreement/refusals': 'refuse_to_sign',
  'agreement/oral': 'record_oral_agreement',
  remediation: 'remediate',
  payments: 'confirm_payment',
  'follow-ups': 'record_follow_up',
  archive: 'archive',
} as const satisfies Record<string, PersonCommandType>;

/**
 * Actions with a route of their own: securing starts with facts the API looks up first (the court by its
 * code, the notary office), and a material's body is the file itself.
 */
export const OWN_ROUTE_ACTION_PATHS = {
  // The new details go to the record (sealed), the confirmation to the chain; a new phone is proved first.
  'parties/contact': 'confirm_service_address',
  'judicial-confirmation': 'apply_judicial_confirmation',
  notarization: 'request_notarization',
  materials: 'record_material',
} as const satisfies Record<string, PersonCommandType>;

/** Actions on the latest securing process of a kind: path → process and command. */
export const PROCESS_ACTION_PATHS = {
  'judicial-confirmation/signatures': { process: 'judicial_confirmation', type: 'sign_application' },
  'judicial-confirmation/acceptance': { process: 'judicial_confirmation', type: 'court_accepts' },
  'judicial-confirmation/non-acceptance': { process: 'judicial_confirmation', type: 'court_does_not_accept' },
  'judicial-confirmation/corrections': { process: 'judicial_confirmation', type: 'request_correction' },
  'judicial-confirmation/corrections/submission': { process: 'judicial_confirmation', type: 'submit_correction' },
  'judicial-confirmation/extension': { process: 'judicial_confirmation', type: 'extend_review' },
  'judicial-confirmation/ruling': { process: 'judicial_confirmation', type: 'court_rules' },
  'judicial-confirmation/dispute': { process: 'judicial_confirmation', type: 'court_finds_dispute' },
  'judicial-confirmation/withdrawal': { process: 'judicial_confirmation', type: 'withdraw' },
  'notarization/signatures': { process: 'notarization', type: 'sign_application' },
  'notarization/acceptance': { process: 'notarization', type: 'notary_accepts' },
  'notarization/supplements': { process: 'notarization', type: 'request_supplement' },
  'notarization/supplements/submission': { process: 'notarization', type: 'submit_supplement' },
  'notarization/period-pause': { process: 'notarization', type: 'pause_period' },
  'notarization/period-resumption': { process: 'notarization', type: 'resume_period' },
  'notarization/certificate': { process: 'notarization', type: 'issue_certificate' },
  'notarization/refusal': { process: 'notarization', type: 'refuse_notarization' },
  'notarization/withdrawal': { process: 'notarization', type: 'withdraw' },
} as const satisfies Record<
  string,
  | { process: 'judicial_confirmation'; type: PersonConfirmationType }
  | { process: 'notarization'; type: PersonNotarizationType }
>;

/**
 * Actions taken for a party, and the body field that names them: a party who leaves it out means themselves
 * (a guardian or agent, the party they act for); staff recording it for a party must name one.
 */
export const CASE_PARTY_FIELD = {
  counterparty_consents: 'partyId',
  counterparty_refuses: 'partyId',
  apply_legal_aid: 'partyId',
  choose_mediator: 'partyId',
  confirm_service_address: 'partyId',
  request_recusal: 'partyId',
  consent_to_extension: 'partyId',
  refuse_to_sign: 'partyId',
  confirm_payment: 'partyId',
  sign: 'signer',
} as const satisfies Partial<Record<PersonCommandType, 'partyId' | 'signer'>>;
export const PROCESS_PARTY_FIELD = { sign_application: 'partyId', withdraw: 'partyId' } as const satisfies Partial<
  Record<PersonProcessType, 'partyId'>
>;

export type CaseActionPath = keyof typeof CASE_ACTION_PATHS | keyof typeof OWN_ROUTE_ACTION_PATHS;
export type ProcessActionPath = keyof typeof PROCESS_ACTION_PATHS;

type ValueOf<T> = T[keyof T];
/** Compiles only when T is never; otherwise the error names what is missing. */
type AssertNone<T extends never> = T;
type _EveryCaseCommandHasAPath = AssertNone<
  Exclude<PersonCommandType, ValueOf<typeof CASE_ACTION_PATHS> | ValueOf<typeof OWN_ROUTE_ACTION_PATHS>>
>;
type ProcessTypes<K extends SecuringKind> = Extract<ValueOf<typeof PROCESS_ACTION_PATHS>, { process: K }>['type'];
type _EveryConfirmationCommandHasAPath = AssertNone<
  Exclude<PersonConfirmationType, ProcessTypes<'judicial_confirmation'>>
>;
type _EveryNotarizationCommandHasAPath = AssertNone<Exclude<PersonNotarizationType, ProcessTypes<'notarization'>>>;
