/**
 * The rule book's table: for each command, who may give it (the policy module decides who may see the case
 * at all), the states it may be given in (none listed: the workflow's own timers and reports, checked by
 * their handlers), and the handler that applies its rule.
 */
import type { CaseStatus, Role } from '../case.js';
import type { CaseCommand } from '../case-state.js';
import { applyLegalAid, assignLegalAidStaff, decideLegalAid } from './legal-aid.js';
import {
  assignMediator,
  chooseMediator,
  decideRecusal,
  mediatorAccepts,
  mediatorDeclines,
  requestRecusal,
} from './assignment.js';
import { archive, confirmServiceAddress, recordMaterial } from './case-file.js';
import { circulateForSignature, recordOralAgreement, refuseToSign, saveDraft, sign } from './agreement.js';
import {
  accept,
  closeUnreachable,
  counterpartyConsents,
  counterpartyRefuses,
  decline,
  logContact,
  recordScreening,
} from './intake.js';
import { consentToExtension, recordSession, resume, suspend } from './mediation.js';
import { confirmPayment, instalmentDue, instalmentReminder, recordFollowUp } from './performance.js';
import { applyJudicialConfirmation, processReport, remediate, requestNotarization } from './securing-handoff.js';
import { MEDIATING, type Handler } from './support.js';
import { failureFactsDue, recordCaseFacts, terminate } from './termination.js';
import { deadlineExpired, deadlineReminder } from './timers.js';

export type RuleRow<K extends CaseCommand['type']> = {
  roles: readonly Role[];
  states: readonly CaseStatus[];
  handler: Handler<K>;
};

/** Before an agreement is drafted: screening and legal aid may be recorded. */
const BEFORE_AGREEMENT: readonly CaseStatus[] = [
  'REGISTERED',
  'PENDING_COUNTERPARTY_CONSENT',
  'PENDING_ASSIGNMENT',
  'PENDING_MEDIATOR_ACCEPT',
  'IN_MEDIATION',
  'SUSPENDED',
];
/** After the agreement takes effect: securing, performance, follow-up, archive. */
const SECURABLE: readonly CaseStatus[] = ['AGREEMENT_EFFECTIVE', 'PERFORMED', 'ENFORCEMENT_ADVISED'];
/** Until the case is closed. */
const OPEN: readonly CaseStatus[] = [...BEFORE_AGREEMENT, 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE', ...SECURABLE];
/** The workflow's own timers and reports: any state (their handlers check what they need). */
const ANY: readonly CaseStatus[] = [];

export const RULE_BOOK: { [K in CaseCommand['type']]: RuleRow<K> } = {
  accept: { roles: ['clerk'], states: ['REGISTERED'], handler: accept },
  decline: { roles: ['clerk'], states: ['REGISTERED'], handler: decline },
  log_contact: { roles: ['clerk', 'mediator'], states: ['PENDING_COUNTERPARTY_CONSENT'], handler: logContact },
  counterparty_consents: {
    roles: ['clerk', 'party'],
    states: ['PENDING_COUNTERPARTY_CONSENT'],
    handler: counterpartyConsents,
  },
  counterparty_refuses: {
    roles: ['clerk', 'party'],
    states: ['PENDING_COUNTERPARTY_CONSENT'],
    handler: counterpartyRefuses,
  },
  close_unreachable: { roles: ['clerk'], states: ['PENDING_COUNTERPARTY_CONSENT'], handler: closeUnreachable },
  record_screening: { roles: ['clerk'], states: BEFORE_AGREEMENT, handler: recordScreening },
  apply_legal_aid: { roles: ['clerk', 'party'], states: BEFORE_AGREEMENT, handler: applyLegalAid },
  // Legal aid runs on its own clock (法律援助法 Art 43): an agreement reached meanwhile does not end it.
  decide_legal_aid: { roles: ['legal_aid_officer'], states: OPEN, handler: decideLegalAid },
  assign_legal_aid_staff: { roles: ['legal_aid_officer'], states: OPEN, handler: assignLegalAidStaff },
  assign_mediator: { roles: ['clerk', 'system'], states: ['PENDING_ASSIGNMENT'], handler: assignMediator },
  // A party confirms their own in the portal; a clerk records a 送达地址确认书 filled in at the desk.
  // While documents may still be served: until the case is closed.
  confirm_service_address: { roles: ['party', 'clerk'], states: OPEN, handler: confirmServiceAddress },
  // A party chooses in the portal; a clerk records a choice given at the desk or by phone (在线调解规则 Art 10).
  choose_mediator: { roles: ['party', 'clerk'], states: ['PENDING_ASSIGNMENT'], handler: chooseMediator },
  mediator_accepts: { roles: ['mediator'], states: ['PENDING_MEDIATOR_ACCEPT'], handler: mediatorAccepts },
  mediator_declines: { roles: ['mediator'], states: ['PENDING_MEDIATOR_ACCEPT'], handler: mediatorDeclines },
  request_recusal: {
    roles: ['clerk', 'party'],
    states: ['PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION'],
    handler: requestRecusal,
  },
  // The organization decides, or the court for the mediators it invited (特邀调解规定 Art 15).
  decide_recusal: {
    roles: ['clerk', 'court'],
    states: ['PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED'],
    handler: decideRecusal,
  },
  record_session: { roles: ['mediator'], states: ['IN_MEDIATION'], handler: recordSession },
  suspend: { roles: ['mediator', 'clerk'], states: ['IN_MEDIATION'], handler: suspend },
  resume: { roles: ['mediator', 'clerk'], states: ['SUSPENDED'], handler: resume },
  consent_to_extension: {
    roles: ['party', 'clerk'],
    states: ['IN_MEDIATION', 'SUSPENDED'],
    handler: consentToExtension,
  },
  terminate: { roles: ['mediator', 'clerk'], states: MEDIATING, handler: terminate },
  save_draft: {
    roles: ['mediator', 'clerk'],
    states: ['IN_MEDIATION', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE'],
    handler: saveDraft,
  },
  circulate_for_signature: { roles: ['mediator'], states: ['AGREEMENT_DRAFTING'], handler: circulateForSignature },
  sign: { roles: ['party', 'mediator', 'clerk'], states: ['PENDING_SIGNATURE'], handler: sign },
  refuse_to_sign: { roles: ['party', 'clerk', 'mediator'], states: ['PENDING_SIGNATURE'], handler: refuseToSign },
  record_oral_agreement: { roles: ['mediator'], states: ['IN_MEDIATION'], handler: recordOralAgreement },
  // Both parties apply (民事诉讼法 Art 205): a party starts it online, or a clerk records it at the desk.
  apply_judicial_confirmation: { roles: ['clerk', 'party'], states: SECURABLE, handler: applyJudicialConfirmation },
  request_notarization: { roles: ['clerk', 'party'], states: SECURABLE, handler: requestNotarization },
  remediate: { roles: ['clerk'], states: ['AGREEMENT_EFFECTIVE'], handler: remediate },
  confirm_payment: {
    roles: ['party', 'clerk', 'mediator'],
    states: ['AGREEMENT_EFFECTIVE', 'ENFORCEMENT_ADVISED'],
    handler: confirmPayment,
  },
  record_follow_up: { roles: ['mediator', 'clerk'], states: SECURABLE, handler: recordFollowUp },
  // The delegating court hands over its file (特邀调解规定 Art 27: the period runs from signing for it); staff record what
  // parties hand in at the desk, and a party uploads their own evidence in the portal (人民调解法 Art 24: to state the facts truthfully).
  // Any time until the case is closed.
  record_material: { roles: ['clerk', 'mediator', 'court', 'party'], states: OPEN, handler: recordMaterial },
  archive: { roles: ['clerk'], states: SECURABLE, handler: archive },
  process_report: { roles: ['system'], states: ANY, handler: processReport },
  instalment_reminder: { roles: ['system'], states: ANY, handler: instalmentReminder },
  instalment_due: { roles: ['system'], states: ANY, handler: instalmentDue },
  deadline_expired: { roles: ['system'], states: ANY, handler: deadlineExpired },
  deadline_reminder: { roles: ['system'], states: ANY, handler: deadlineReminder },
  // The mediator records them; a clerk records what the mediator reported, or answers when no mediator is assigned.
  // During mediation, and once it ended while the failure report waits for them.
  record_case_facts: {
    roles: ['mediator', 'clerk'],
    states: ['IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE', 'TERMINATED'],
    handler: recordCaseFacts,
  },
  failure_facts_due: { roles: ['system'], states: ANY, handler: failureFactsDue },
};
