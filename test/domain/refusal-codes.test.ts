/**
 * Every refusal the rule books can give, each with the smallest state and command that gives it: the case's
 * `decide` and the securing processes' `decideConfirmation` and `decideNotarization`. A last test reads the
 * rule books' sources and fails naming any refusal code that has no row here (or a row whose code they no
 * longer give), so a new refusal comes with its example.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decide } from '../../domain/case-rules.js';
import type { CaseCommand, CaseState, Refusal } from '../../domain/case-state.js';
import {
  decideConfirmation,
  decideNotarization,
  type ConfirmationCommand,
  type ConfirmationState,
  type NotarizationCommand,
  type NotarizationState,
} from '../../domain/securing.js';
import {
  actors,
  awaitingCounterparty,
  awaitingSignatures,
  confirmationApplication,
  effectiveAgreement,
  inStatus,
  instalment,
  mediating,
  notarizationApplication,
  now,
  openDeadline,
  past,
  future,
  processSummary,
  registered,
} from './support/rule-states.js';

const { clerk, mediator, otherMediator, court, notary, legalAidOfficer, system, p1, p2 } = actors;

/** The refusal a row expects: its kind and code, and the article when a rule of law refuses. */
type Expected = { kind: 'wrong_state' | 'forbidden'; code: string } | { kind: 'rule'; code: string; article: string };
type Row<S, C> = { when: string; state: S; command: C; refusal: Expected };

const wrongState = (code: string): Expected => ({ kind: 'wrong_state', code });
const forbidden = (code: string): Expected => ({ kind: 'forbidden', code });
const rule = (code: string, article: string): Expected => ({ kind: 'rule', code, article });

const oneDatedPayment = [{ amountFen: 600_000, dueDate: '2027-03-01' }];
const report = (more: Partial<Extract<CaseCommand, { type: 'process_report' }>['report']> = {}) => ({
  kind: 'judicial_confirmation' as const,
  n: 1,
  reportSeq: 1,
  status: 'SUBMITTED',
  final: false,
  events: [],
  deadlines: [],
  ...more,
});
const notarize = {
  type: 'request_notarization',
  actor: clerk,
  notary: { institutionId: 'notary-jieyang', name: '揭阳市公证处' },
  creditorPartyId: 'p1',
  debtorPartyId: 'p2',
  obligation: 'money',
} as const;
const applyForConfirmation = {
  type: 'apply_judicial_confirmation',
  actor: clerk,
  court: { institutionId: 'court-5202', name: '揭阳市榕城区人民法院' },
  venueGround: 'party_domicile',
} as const;
const proposal = { mediatorId: 'mediator-1', orgId: 'rongcheng-pmc', mode: 'designated', reasoning: {} } as const;
const recusal = { mediatorId: 'mediator-1', partyId: 'p1', ground: 'close_relative', requestedAt: past } as const;
const courtCase = { channel: 'court_pre_filing' } as const;
const facts = { basicFacts: '借款未还', undisputedFacts: '借款12000元' };

const CASE_ROWS: Row<CaseState, CaseCommand>[] = [
  // Who may give the command, in which state, and only the assigned mediator.
  {
    when: 'a mediator accepts a case',
    state: registered(),
    command: { type: 'accept', actor: mediator },
    refusal: forbidden('role_not_allowed'),
  },
  {
    when: 'an accepted case is accepted again',
    state: inStatus('PENDING_ASSIGNMENT'),
    command: { type: 'accept', actor: clerk },
    refusal: wrongState('wrong_state'),
  },
  {
    when: 'a mediator not assigned records a session',
    state: mediating(),
    command: {
      type: 'record_session',
      actor: otherMediator,
      at: past,
      place: '调解室',
      mode: 'in_person',
      record: '…',
    },
    refusal: forbidden('not_the_assigned_mediator'),
  },
  // Intake.
  {
    when: 'a walk-in dispute already before the police is accepted',
    state: registered({ priorProceedings: { before: 'police' } }),
    command: { type: 'accept', actor: clerk },
    refusal: rule('already_before_authority', '司法部《人民调解工作若干规定》第二十二条'),
  },
  {
    when: 'the applicant is recorded as consenting for the other side',
    state: awaitingCounterparty(),
    command: { type: 'counterparty_consents', actor: clerk, partyId: 'p1' },
    refusal: wrongState('not_a_counterparty'),
  },
  {
    when: 'the applicant refuses for the other side',
    state: awaitingCounterparty(),
    command: { type: 'counterparty_refuses', actor: p1, partyId: 'p2' },
    refusal: forbidden('not_your_party'),
  },
  {
    when: 'a case is closed as unreachable with no contact attempt',
    state: awaitingCounterparty(),
    command: { type: 'close_unreachable', actor: clerk },
    refusal: rule('contact_log_required', '人民法院在线调解规则第十五条'),
  },
  {
    when: 'an unknown priority group is screened',
    state: registered(),
    command: { type: 'record_screening', actor: clerk, priorityGroups: ['astronaut' as never] },
    refusal: wrongState('unknown_priority_group'),
  },
  // Legal aid.
  {
    when: 'legal aid is applied for while an application is pending',
    state: registered({}, { screening: { ...registered().screening, legalAid: { status: 'applied', partyId: 'p1' } } }),
    command: {
      type: 'apply_legal_aid',
      actor: clerk,
      partyId: 'p1',
      basis: 'national_hero_relatives',
      selfDeclaration: true,
    },
    refusal: wrongState('legal_aid_pending'),
  },
  {
    when: 'legal aid is applied for someone not a party',
    state: registered(),
    command: {
      type: 'apply_legal_aid',
      actor: clerk,
      partyId: 'p9',
      basis: 'national_hero_relatives',
      selfDeclaration: true,
    },
    refusal: wrongState('unknown_party'),
  },
  {
    when: 'legal aid cites a proof never received',
    state: registered(),
    command: {
      type: 'apply_legal_aid',
      actor: clerk,
      partyId: 'p1',
      basis: 'national_hero_relatives',
      selfDeclaration: true,
      proof: { description: '证明', materialId: 'm-9' },
    },
    refusal: wrongState('unknown_material'),
  },
  {
    when: 'legal aid is decided with no application',
    state: registered(),
    command: { type: 'decide_legal_aid', actor: legalAidOfficer, granted: true, reason: '符合条件' },
    refusal: wrongState('no_legal_aid_application'),
  },
  {
    when: 'legal-aid staff are assigned without a grant',
    state: registered(),
    command: {
      type: 'assign_legal_aid_staff',
      actor: legalAidOfficer,
      staffName: '王律师',
      organization: '法律援助中心',
    },
    refusal: wrongState('no_granted_legal_aid'),
  },
  // Assignment and recusal.
  {
    when: 'a recused mediator is assigned again',
    state: inStatus('PENDING_ASSIGNMENT', {}, { assignment: { excluded: ['mediator-1'], refusedByParties: 1 } }),
    command: { type: 'assign_mediator', actor: clerk, proposal },
    refusal: rule('mediator_excluded', '特邀调解规定第十五条；人民法院在线调解规则第十二条'),
  },
  {
    when: 'a second recusal is asked for while one awaits decision',
    state: mediating(
      {},
      { assignment: { orgId: 'rongcheng-pmc', mediatorId: 'mediator-1', excluded: [], refusedByParties: 0, recusal } },
    ),
    command: { type: 'request_recusal', actor: clerk, partyId: 'p2', ground: 'interest_in_dispute' },
    refusal: wrongState('recusal_pending'),
  },
  {
    when: 'a recusal is decided with no request',
    state: mediating(),
    command: { type: 'decide_recusal', actor: clerk, granted: true, reason: '—' },
    refusal: wrongState('no_recusal_request'),
  },
  {
    when: 'a court decides a recusal in a walk-in case',
    state: mediating(
      {},
      { assignment: { orgId: 'rongcheng-pmc', mediatorId: 'mediator-1', excluded: [], refusedByParties: 0, recusal } },
    ),
    command: { type: 'decide_recusal', actor: court, granted: true, reason: '—' },
    refusal: forbidden('not_a_court_case'),
  },
  // Mediation.
  {
    when: 'a labour mediation is extended',
    state: mediating({ disputeType: 'labour' }),
    command: { type: 'consent_to_extension', actor: clerk, partyId: 'p1', days: 10 },
    refusal: rule('no_extension', '劳动争议调解仲裁法第十四条'),
  },
  {
    when: 'a court-entrusted mediation is extended by more than 30 days',
    state: mediating({ channel: 'court_post_filing' }),
    command: { type: 'consent_to_extension', actor: clerk, partyId: 'p1', days: 31 },
    refusal: rule(
      'extension_too_long',
      '特邀调解规定第二十七条；最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》第三条',
    ),
  },
  {
    when: 'a court case is terminated without a failure report',
    state: mediating(courtCase),
    command: { type: 'terminate', actor: mediator, reason: 'positions_too_far_apart' },
    refusal: rule('failure_report_required', '人民法院在线调解规则第二十一条'),
  },
  // The agreement.
  {
    when: 'a draft skips a version',
    state: mediating(),
    command: { type: 'save_draft', actor: mediator, version: 2, hash: 'h' },
    refusal: wrongState('stale_draft'),
  },
  {
    when: 'a draft pays an amount with no date',
    state: mediating(),
    command: {
      type: 'save_draft',
      actor: mediator,
      version: 1,
      hash: 'h',
      content: { facts: '…', terms: [{ text: '归还6000元', amountFen: 600_000 }], performance: '银行转账' },
    },
    refusal: rule(
      'performance_terms_required',
      '人民调解法第二十九条第一款第（三）项；民诉法解释第三百五十八条第（五）项',
    ),
  },
  {
    when: 'a draft plans notarization with no dated obligation',
    state: mediating(),
    command: {
      type: 'save_draft',
      actor: mediator,
      version: 1,
      hash: 'h',
      content: { facts: '…', terms: [{ text: '赔礼道歉' }], notarization: { debtorPartyIds: ['p2'] } },
    },
    refusal: rule('indefinite_terms', '公证程序规则第三十九条第（三）项'),
  },
  {
    when: 'nothing drafted is circulated',
    state: mediating({}, { status: 'AGREEMENT_DRAFTING' }),
    command: { type: 'circulate_for_signature', actor: mediator },
    refusal: wrongState('no_draft'),
  },
  {
    when: 'a clerk signs as the mediator',
    state: awaitingSignatures(),
    command: { type: 'sign', actor: clerk, signer: 'mediator', method: 'handwritten', draftVersion: 1 },
    refusal: forbidden('mediator_signs_himself'),
  },
  {
    when: 'the mediator applies the organization seal',
    state: awaitingSignatures(),
    command: { type: 'sign', actor: mediator, signer: 'organization_seal', method: 'seal', draftVersion: 1 },
    refusal: forbidden('seal_by_clerk'),
  },
  {
    when: 'someone not a party signs',
    state: awaitingSignatures(),
    command: { type: 'sign', actor: clerk, signer: 'p9', method: 'handwritten', draftVersion: 1 },
    refusal: wrongState('unknown_signer'),
  },
  {
    when: 'the mediator records a party signature',
    state: awaitingSignatures(),
    command: { type: 'sign', actor: mediator, signer: 'p1', method: 'handwritten', draftVersion: 1 },
    refusal: forbidden('party_signature'),
  },
  {
    when: 'a clerk records an electronic party signature',
    state: awaitingSignatures(),
    command: { type: 'sign', actor: clerk, signer: 'p1', method: 'electronic', draftVersion: 1 },
    refusal: forbidden('electronic_signature_by_party'),
  },
  {
    when: 'a family property agreement is signed electronically',
    state: awaitingSignatures({ disputeType: 'family_property' }),
    command: { type: 'sign', actor: p1, signer: 'p1', method: 'electronic', draftVersion: 1 },
    refusal: rule('electronic_signature_excluded', '电子签名法第三条第二款第一项'),
  },
  {
    when: 'a wet-ink family property signature is recorded without its scan',
    state: awaitingSignatures({ disputeType: 'family_property' }),
    command: { type: 'sign', actor: clerk, signer: 'p1', method: 'handwritten', draftVersion: 1 },
    refusal: rule('signature_scan_required', '电子签名法第三条第二款第一项'),
  },
  {
    when: 'a signature is recorded twice',
    state: awaitingSignatures(
      {},
      { agreement: { form: 'written', version: 1, hash: 'h1', path: 'peoples_mediation', signatures: ['p1'] } },
    ),
    command: { type: 'sign', actor: clerk, signer: 'p1', method: 'handwritten', draftVersion: 1 },
    refusal: wrongState('already_signed'),
  },
  {
    when: 'a court case records an oral agreement',
    state: mediating(courtCase),
    command: { type: 'record_oral_agreement', actor: mediator, version: 1, hash: 'h' },
    refusal: rule('written_agreement_required', '特邀调解规定第二十四条'),
  },
  {
    when: 'an oral agreement plans notarization',
    state: mediating(),
    command: {
      type: 'record_oral_agreement',
      actor: mediator,
      version: 1,
      hash: 'h',
      content: { facts: '…', terms: [], notarization: { debtorPartyIds: ['p2'] } },
    },
    refusal: rule('notarization_needs_written_agreement', '公证法第三十七条'),
  },
  // Securing the agreement.
  {
    when: 'an agreement on title to property applies for confirmation',
    state: effectiveAgreement({
      screening: { ...registered().screening, judicialConfirmation: { possible: false, reason: '涉及物权确权' } },
    }),
    command: applyForConfirmation,
    refusal: rule('not_confirmable', '民诉法解释第三百五十五条'),
  },
  {
    when: 'confirmation is applied for after the 30 days',
    state: effectiveAgreement({
      deadlines: {
        judicial_confirmation_application: openDeadline('judicial_confirmation_application', past, {
          status: 'expired',
        }),
      },
    }),
    command: applyForConfirmation,
    refusal: rule('window_closed', '民事诉讼法第二百零五条'),
  },
  {
    when: 'confirmation is applied for twice at once',
    state: effectiveAgreement({ securing: { processes: [processSummary('judicial_confirmation')] } }),
    command: applyForConfirmation,
    refusal: wrongState('already_applied'),
  },
  {
    when: 'a confirmed agreement is sent for confirmation again',
    state: effectiveAgreement({
      securing: {
        processes: [
          processSummary('judicial_confirmation', {
            status: 'CONFIRMED',
            final: true,
            outcome: { status: 'CONFIRMED', at: past },
          }),
        ],
      },
    }),
    command: applyForConfirmation,
    refusal: wrongState('already_confirmed'),
  },
  {
    when: 'a walk-in case names the delegating court',
    state: effectiveAgreement(),
    command: { ...applyForConfirmation, venueGround: 'delegating_court' },
    refusal: rule('wrong_venue', '民事诉讼法第二百零五条'),
  },
  {
    when: 'notarization names a creditor not a party',
    state: effectiveAgreement(),
    command: { ...notarize, creditorPartyId: 'p9' },
    refusal: wrongState('unknown_party'),
  },
  {
    when: 'an oral agreement is sent for notarization',
    state: effectiveAgreement({
      agreement: {
        form: 'oral',
        version: 1,
        hash: 'h1',
        path: 'peoples_mediation',
        signatures: [],
        schedule: oneDatedPayment,
      },
    }),
    command: notarize,
    refusal: rule('written_instrument_required', '公证法第三十七条；公证程序规则第三十九条'),
  },
  {
    when: 'an obligation other than a payment is sent for notarization',
    state: effectiveAgreement(),
    command: { ...notarize, obligation: 'other' },
    refusal: rule('not_a_payment', '公证法第三十七条；公证程序规则第三十九条'),
  },
  {
    when: 'notarization is asked twice at once',
    state: effectiveAgreement({ securing: { processes: [processSummary('notarization')] } }),
    command: notarize,
    refusal: wrongState('already_applied'),
  },
  {
    when: 'a notarized agreement is sent to the notary again',
    state: effectiveAgreement({
      securing: {
        processes: [
          processSummary('notarization', { status: 'ISSUED', final: true, outcome: { status: 'ISSUED', at: past } }),
        ],
      },
    }),
    command: notarize,
    refusal: wrongState('already_notarized'),
  },
  {
    when: 'a process nobody started reports',
    state: effectiveAgreement(),
    command: { type: 'process_report', actor: system, report: report() },
    refusal: wrongState('unknown_process'),
  },
  {
    when: 'a process report arrives twice',
    state: effectiveAgreement({ securing: { processes: [processSummary('judicial_confirmation', { reportSeq: 1 })] } }),
    command: { type: 'process_report', actor: system, report: report() },
    refusal: wrongState('already_recorded'),
  },
  {
    when: 'mediation resumes with no rejection by the court',
    state: effectiveAgreement(),
    command: { type: 'remediate', actor: clerk },
    refusal: wrongState('not_rejected'),
  },
  {
    when: 'mediation resumes after a rejection while the old agreement is at the notary',
    state: effectiveAgreement({
      securing: {
        processes: [
          processSummary('judicial_confirmation', {
            status: 'REJECTED',
            final: true,
            outcome: { status: 'REJECTED', at: past },
          }),
          processSummary('notarization'),
        ],
      },
    }),
    command: { type: 'remediate', actor: clerk },
    refusal: wrongState('notarization_under_way'),
  },
  // Performance and the file.
  {
    when: 'a payment is confirmed for an instalment the agreement lacks',
    state: effectiveAgreement({ performance: { instalments: [instalment(1)], followUps: 0, defaulted: false } }),
    command: { type: 'confirm_payment', actor: clerk, instalment: 9, partyId: 'p1' },
    refusal: wrongState('unknown_instalment'),
  },
  {
    when: 'a paid instalment is confirmed again',
    state: effectiveAgreement({
      performance: { instalments: [instalment(1, { status: 'paid' })], followUps: 0, defaulted: false },
    }),
    command: { type: 'confirm_payment', actor: clerk, instalment: 1, partyId: 'p1' },
    refusal: wrongState('already_paid'),
  },
  {
    when: 'the debtor confirms their own payment',
    state: effectiveAgreement({ performance: { instalments: [instalment(1)], followUps: 0, defaulted: false } }),
    command: { type: 'confirm_payment', actor: clerk, instalment: 1, partyId: 'p2' },
    refusal: forbidden('not_the_creditor'),
  },
  {
    when: 'a case is archived while the court is deciding',
    state: effectiveAgreement({ securing: { processes: [processSummary('judicial_confirmation')] } }),
    command: { type: 'archive', actor: clerk },
    refusal: wrongState('securing_under_way'),
  },
  {
    when: 'a case is archived with instalments to pay',
    state: effectiveAgreement({ performance: { instalments: [instalment(1)], followUps: 0, defaulted: false } }),
    command: { type: 'archive', actor: clerk },
    refusal: wrongState('performance_pending'),
  },
  // Timers and the court's failure report.
  {
    when: 'an instalment reminder fires for no instalment',
    state: effectiveAgreement(),
    command: { type: 'instalment_reminder', actor: system, instalment: 1 },
    refusal: wrongState('no_reminder_due'),
  },
  {
    when: 'a paid instalment falls due',
    state: effectiveAgreement({
      performance: { instalments: [instalment(1, { status: 'paid' })], followUps: 0, defaulted: false },
    }),
    command: { type: 'instalment_due', actor: system, instalment: 1 },
    refusal: wrongState('not_pending'),
  },
  {
    when: 'an instalment timer fires before its due time',
    state: effectiveAgreement({ performance: { instalments: [instalment(1)], followUps: 0, defaulted: false } }),
    command: { type: 'instalment_due', actor: system, instalment: 1 },
    refusal: wrongState('not_yet_due'),
  },
  {
    when: 'a deadline timer fires for no open deadline',
    state: mediating(),
    command: { type: 'deadline_expired', actor: system, ruleId: 'general_mediation' },
    refusal: wrongState('no_open_deadline'),
  },
  {
    when: 'a deadline timer fires after the period was extended',
    state: mediating({}, { deadlines: { general_mediation: openDeadline('general_mediation', future) } }),
    command: { type: 'deadline_expired', actor: system, ruleId: 'general_mediation' },
    refusal: wrongState('not_yet_due'),
  },
  {
    when: 'a deadline reminder fires twice',
    state: mediating(
      {},
      {
        deadlines: {
          general_mediation: openDeadline('general_mediation', future, { reminderAt: past, reminded: true }),
        },
      },
    ),
    command: { type: 'deadline_reminder', actor: system, ruleId: 'general_mediation' },
    refusal: wrongState('no_reminder_due'),
  },
  {
    when: 'facts for a failure report are recorded in a walk-in case',
    state: mediating(),
    command: { type: 'record_case_facts', actor: mediator, ...facts },
    refusal: wrongState('not_a_court_case'),
  },
  {
    when: 'facts are recorded after a court case ended with its report sent',
    state: mediating(courtCase, { status: 'TERMINATED' }),
    command: { type: 'record_case_facts', actor: clerk, ...facts },
    refusal: wrongState('no_failure_report_pending'),
  },
  {
    when: 'the facts timer fires with no report waiting',
    state: mediating(courtCase, { status: 'TERMINATED' }),
    command: { type: 'failure_facts_due', actor: system },
    refusal: wrongState('no_failure_report_pending'),
  },
  {
    when: "the facts timer fires before the mediator's time is up",
    state: mediating(courtCase, {
      status: 'TERMINATED',
      failureReportPending: { whyFailed: '分歧过大', askedAt: past, askedOf: 'mediator-1', dueAt: future },
    }),
    command: { type: 'failure_facts_due', actor: system },
    refusal: wrongState('not_yet_due'),
  },
];

const accepted = confirmationApplication({ status: 'ACCEPTED', courtCaseNumber: '(2026)粤5202民特1号' });
const CONFIRMATION_ROWS: Row<ConfirmationState, ConfirmationCommand>[] = [
  {
    when: 'a clerk rules for the court',
    state: accepted,
    command: { type: 'court_rules', actor: clerk, outcome: 'confirmed' },
    refusal: forbidden('role_not_allowed'),
  },
  {
    when: 'the court rules before accepting',
    state: confirmationApplication({ status: 'SUBMITTED' }),
    command: { type: 'court_rules', actor: court, outcome: 'confirmed' },
    refusal: wrongState('wrong_state'),
  },
  {
    when: 'someone not a party to the agreement signs the application',
    state: confirmationApplication(),
    command: { type: 'sign_application', actor: clerk, partyId: 'p9', method: 'handwritten' },
    refusal: wrongState('not_an_applicant'),
  },
  {
    when: 'a party signs for the other party',
    state: confirmationApplication(),
    command: { type: 'sign_application', actor: p1, partyId: 'p2', method: 'electronic' },
    refusal: forbidden('not_your_party'),
  },
  {
    when: 'a clerk records an electronic signature',
    state: confirmationApplication(),
    command: { type: 'sign_application', actor: clerk, partyId: 'p2', method: 'electronic' },
    refusal: forbidden('electronic_signature_by_party'),
  },
  {
    when: 'a party signs twice',
    state: confirmationApplication({ signedBy: ['p1'] }),
    command: { type: 'sign_application', actor: clerk, partyId: 'p1', method: 'handwritten' },
    refusal: wrongState('already_signed'),
  },
  {
    when: 'the last signature comes after the 30 days',
    state: confirmationApplication({ signedBy: ['p1'], applyBy: past }),
    command: { type: 'sign_application', actor: p2, partyId: 'p2', method: 'electronic' },
    refusal: rule('window_closed', '民事诉讼法第二百零五条'),
  },
  {
    when: 'the court accepts without a case number',
    state: confirmationApplication({ status: 'SUBMITTED' }),
    command: { type: 'court_accepts', actor: court, courtCaseNumber: ' ' },
    refusal: wrongState('case_number_required'),
  },
  {
    when: 'the court asks for supplements naming none',
    state: accepted,
    command: { type: 'request_correction', actor: court, items: [], days: 5 },
    refusal: wrongState('items_required'),
  },
  {
    when: 'the court gives 31 days to supplement',
    state: accepted,
    command: { type: 'request_correction', actor: court, items: ['借款合同原件'], days: 31 },
    refusal: wrongState('days_out_of_range'),
  },
  {
    when: 'the review is extended twice',
    state: { ...accepted, extensionDays: 10 },
    command: { type: 'extend_review', actor: court, approvedBy: '院长' },
    refusal: rule('already_extended', '最高人民法院《关于人民调解协议司法确认程序的若干规定》第五条'),
  },
  {
    when: 'the court rejects without a ground',
    state: accepted,
    command: { type: 'court_rules', actor: court, outcome: 'rejected' },
    refusal: wrongState('ground_required'),
  },
  {
    when: 'the window timer fires after a recount moved it later',
    state: confirmationApplication({ applyBy: future }),
    command: { type: 'window_closed', actor: system },
    refusal: wrongState('not_yet_due'),
  },
  {
    when: 'a court clock fires for no open deadline',
    state: accepted,
    command: { type: 'deadline_expired', actor: system, ruleId: 'court_confirmation_decision' },
    refusal: wrongState('no_open_deadline'),
  },
  {
    when: 'a court clock fires after it was extended',
    state: {
      ...accepted,
      deadlines: { court_confirmation_decision: openDeadline('court_confirmation_decision', future) },
    },
    command: { type: 'deadline_expired', actor: system, ruleId: 'court_confirmation_decision' },
    refusal: wrongState('not_yet_due'),
  },
  {
    when: 'a reminder fires for no open deadline',
    state: accepted,
    command: { type: 'deadline_reminder', actor: system, ruleId: 'court_confirmation_decision' },
    refusal: wrongState('no_reminder_due'),
  },
];

const notaryAccepted = notarizationApplication({ status: 'ACCEPTED' });
const NOTARIZATION_ROWS: Row<NotarizationState, NotarizationCommand>[] = [
  {
    when: 'a party issues the certificate',
    state: notaryAccepted,
    command: { type: 'issue_certificate', actor: p1, certificateNumber: '（2026）粤揭证字第1号' },
    refusal: forbidden('role_not_allowed'),
  },
  {
    when: 'the notary accepts before the parties have signed',
    state: notarizationApplication(),
    command: { type: 'notary_accepts', actor: notary },
    refusal: wrongState('wrong_state'),
  },
  {
    when: 'someone neither creditor nor debtor signs',
    state: notarizationApplication(),
    command: { type: 'sign_application', actor: clerk, partyId: 'p9', method: 'handwritten' },
    refusal: wrongState('not_an_applicant'),
  },
  {
    when: 'the creditor withdraws for the debtor',
    state: notaryAccepted,
    command: { type: 'withdraw', actor: p1, partyId: 'p2' },
    refusal: forbidden('not_your_party'),
  },
  {
    when: "a clerk records the debtor's electronic signature",
    state: notarizationApplication(),
    command: { type: 'sign_application', actor: clerk, partyId: 'p2', method: 'electronic' },
    refusal: forbidden('electronic_signature_by_party'),
  },
  {
    when: 'the creditor signs twice',
    state: notarizationApplication({ signedBy: ['p1'] }),
    command: { type: 'sign_application', actor: p1, partyId: 'p1', method: 'electronic' },
    refusal: wrongState('already_signed'),
  },
  {
    when: 'the notary asks for supplements naming none',
    state: notaryAccepted,
    command: { type: 'request_supplement', actor: notary, items: [] },
    refusal: wrongState('items_required'),
  },
  {
    when: 'a certificate is issued without its number',
    state: notaryAccepted,
    command: { type: 'issue_certificate', actor: notary, certificateNumber: '' },
    refusal: wrongState('certificate_number_required'),
  },
  {
    when: 'the notarization clock fires when it is not running',
    state: notaryAccepted,
    command: { type: 'deadline_expired', actor: system, ruleId: 'notarization' },
    refusal: wrongState('no_open_deadline'),
  },
  {
    when: 'the notarization clock fires after a pause moved it',
    state: { ...notaryAccepted, deadlines: { notarization: openDeadline('notarization', future) } },
    command: { type: 'deadline_expired', actor: system, ruleId: 'notarization' },
    refusal: wrongState('not_yet_due'),
  },
  {
    when: 'a reminder fires before its time',
    state: {
      ...notaryAccepted,
      deadlines: { notarization: openDeadline('notarization', future, { reminderAt: future }) },
    },
    command: { type: 'deadline_reminder', actor: system, ruleId: 'notarization' },
    refusal: wrongState('no_reminder_due'),
  },
];

/** The refusal as the rule book gave it, or a failure naming the success it got instead. */
function refusalOf(d: { ok: true } | { ok: false; refusal: Refusal }): Refusal {
  if (d.ok) throw new Error('expected a refusal, got a decision');
  return d.refusal;
}
const asExpected = (want: Expected) => ({ ...want, message: expect.any(String) });

describe('every refusal of the rule books', () => {
  it.each(CASE_ROWS)('when $when, then decide refuses with $refusal.code', ({ state, command, refusal }) => {
    expect(refusalOf(decide(state, command, now))).toEqual(asExpected(refusal));
  });

  it.each(CONFIRMATION_ROWS)(
    'when $when, then judicial confirmation refuses with $refusal.code',
    ({ state, command, refusal }) => {
      expect(refusalOf(decideConfirmation(state, command, now))).toEqual(asExpected(refusal));
    },
  );

  it.each(NOTARIZATION_ROWS)(
    'when $when, then notarization refuses with $refusal.code',
    ({ state, command, refusal }) => {
      expect(refusalOf(decideNotarization(state, command, now))).toEqual(asExpected(refusal));
    },
  );

  it("when the rule books can give a refusal code, then a row above names it (and every row's code can still be given)", () => {
    const given = refusalCodesInRuleBooks();
    const named = new Set([...CASE_ROWS, ...CONFIRMATION_ROWS, ...NOTARIZATION_ROWS].map((r) => r.refusal.code));
    const withoutRow = [...given.keys()]
      .filter((code) => !named.has(code))
      .map((code) => `${code} (${given.get(code)!.join(', ')})`);
    // A row whose code no rule book gives any more, or that the scan below no longer finds (a new way of writing refusals?).
    const notFound = [...named].filter((code) => !given.has(code));
    expect({ withoutRow, notFound }).toEqual({ withoutRow: [], notFound: [] });
  });
});

// Reading the rule books' sources ----------------------------------------------------------------------------

const DOMAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../domain');

/**
 * How a refusal code is written in the rule books: a helper given the kind first (`refuse('wrong_state',
 * 'code', …)`), the rule helper given the code first (`rule('code', message, article)`), or an inline refusal
 * (`{ kind: 'rule', code: 'code', … }`, or the eligibility check's `{ ok: false, code: 'code', … }`, whose code
 * `decide` passes on).
 */
const CODE_PATTERNS = [
  /\b\w+\(\s*'(?:wrong_state|forbidden)',\s*'([a-z_]+)'/g,
  /\brule\(\s*'([a-z_]+)'/g,
  /(?:\bkind:\s*'(?:rule|wrong_state|forbidden)'|\bok:\s*false),\s*code:\s*'([a-z_]+)'/g,
];

/**
 * The refusal codes of the modules the rule books are made of, with the files that give each: every module
 * with a `decide…` function, and the domain modules they import (wherever `decide` keeps its handlers).
 * Other modules that import the rule books (the console's possible actions) give no refusal of their own here.
 */
function refusalCodesInRuleBooks(): Map<string, string[]> {
  const files = domainFiles(DOMAIN);
  // The complaint and rating books have their own tables of refusal codes (test/domain/complaints.test.ts,
  // test/domain/ratings.test.ts); they are not case rule books.
  const entries = files.filter(
    (f) =>
      !['complaints.ts', 'ratings.ts'].includes(relative(DOMAIN, f)) &&
      /export function decide\w*\(/.test(readFileSync(f, 'utf8')),
  );
  expect(
    entries.map((f) => relative(DOMAIN, f)),
    'the modules with a decide function',
  ).toEqual(expect.arrayContaining(['case-rules.ts', 'securing.ts']));
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)\.js'/g)) {
      const target = resolve(dirname(file), `${spec}.ts`);
      if (target.startsWith(DOMAIN) && files.includes(target)) queue.push(target);
    }
  }
  const codes = new Map<string, string[]>();
  for (const file of seen) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of CODE_PATTERNS) {
      for (const [, code] of text.matchAll(pattern))
        codes.set(code!, [...new Set([...(codes.get(code!) ?? []), relative(DOMAIN, file)])]);
    }
  }
  return codes;
}

function domainFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? domainFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
