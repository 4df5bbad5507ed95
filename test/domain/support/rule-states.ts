/**
 * Small builders of case and securing states for the pure rule tests: each starts from the registered walk-in
 * loan dispute of `ruleIntake` (or a fresh application) and moves it to one phase, with only what that phase
 * needs. Override anything with the last argument.
 */
import type { Actor, CaseIntake, CaseStatus } from '../../../domain/case.js';
import { initialState } from '../../../domain/case-rules.js';
import type { CaseState, DeadlineState, Instalment, ProcessSummary } from '../../../domain/case-state.js';
import type { DeadlineRuleId } from '../../../domain/deadlines.js';
import {
  initialConfirmation,
  initialNotarization,
  type ConfirmationState,
  type NotarizationState,
} from '../../../domain/securing.js';
import { ruleIntake } from '../../support/fixtures.js';

/** The moment every command is decided at (Beijing 10:00 on 25 November 2026). */
export const now = new Date('2026-11-25T02:00:00Z');
/** Before `now`, and after it. */
export const past = '2026-11-24T16:00:00.000Z';
export const future = '2026-12-25T16:00:00.000Z';

export const actors = {
  clerk: { id: 'clerk-1', role: 'clerk' },
  /** The mediator assigned by `mediating` and the phases after it. */
  mediator: { id: 'mediator-1', role: 'mediator' },
  otherMediator: { id: 'mediator-2', role: 'mediator' },
  court: { id: 'court-5202', role: 'court' },
  notary: { id: 'notary-jieyang', role: 'notary' },
  legalAidOfficer: { id: 'officer-1', role: 'legal_aid_officer' },
  system: { id: 'system', role: 'system' },
  /** The applicant (p1) and the respondent (p2), acting for themselves. */
  p1: { id: 'p1', role: 'party' },
  p2: { id: 'p2', role: 'party' },
} satisfies Record<string, Actor>;

/** An open clock of the case or a process, due at `dueAt`. */
export function openDeadline(ruleId: DeadlineRuleId, dueAt: string, more: Partial<DeadlineState> = {}): DeadlineState {
  return {
    ruleId,
    startedAt: '2026-11-20T00:00:00.000Z',
    dueAt,
    lastDay: '',
    calendarVersion: 'v',
    extensionDays: 0,
    pausedDays: 0,
    explanation: [],
    status: 'open',
    reminderAt: null,
    reminded: false,
    ...more,
  };
}

/** A registered case, numbered, its first event recorded. */
export function registered(intake: Partial<CaseIntake> = {}, more: Partial<CaseState> = {}): CaseState {
  return { ...initialState(ruleIntake(intake)), caseNumber: 'X', lastSeq: 1, ...more };
}

/** A case in `status` (no other change: for the checks that come before the phase's own). */
export function inStatus(
  status: CaseStatus,
  intake: Partial<CaseIntake> = {},
  more: Partial<CaseState> = {},
): CaseState {
  return registered(intake, { status, ...more });
}

/** A one-sided application waiting for the other side to agree to mediation. */
export function awaitingCounterparty(more: Partial<CaseState> = {}): CaseState {
  return registered({ oneSided: true }, { status: 'PENDING_COUNTERPARTY_CONSENT', ...more });
}

/** In mediation with mediator-1 of the Rongcheng committee. */
export function mediating(intake: Partial<CaseIntake> = {}, more: Partial<CaseState> = {}): CaseState {
  const s = registered(intake);
  return {
    ...s,
    status: 'IN_MEDIATION',
    assignment: { ...s.assignment, orgId: 'rongcheng-pmc', mediatorId: 'mediator-1', mode: 'designated' },
    ...more,
  };
}

/** The written draft version 1 circulated for signature, no signature yet. */
export function awaitingSignatures(intake: Partial<CaseIntake> = {}, more: Partial<CaseState> = {}): CaseState {
  return mediating(intake, {
    status: 'PENDING_SIGNATURE',
    agreement: { form: 'written', version: 1, hash: 'h1', path: 'peoples_mediation', signatures: [] },
    ...more,
  });
}

/**
 * A written agreement (version 1, one dated payment from p2 to p1) in effect, with the 30 days to apply for
 * judicial confirmation running until `future`.
 */
export function effectiveAgreement(more: Partial<CaseState> = {}): CaseState {
  return mediating(
    {},
    {
      status: 'AGREEMENT_EFFECTIVE',
      agreement: {
        form: 'written',
        version: 1,
        hash: 'h1',
        path: 'peoples_mediation',
        signatures: ['p1', 'p2', 'mediator', 'organization_seal'],
        effectiveAt: '2026-11-20T02:00:00.000Z',
        schedule: [{ amountFen: 600_000, dueDate: '2027-03-01', payeePartyId: 'p1' }],
      },
      termination: { reason: 'agreement_reached', returnedToCourt: false },
      performance: { instalments: [], followUps: 0, defaulted: false },
      deadlines: { judicial_confirmation_application: openDeadline('judicial_confirmation_application', future) },
      ...more,
    },
  );
}

/** What the case knows of its n-th judicial confirmation or notarization. */
export function processSummary(kind: ProcessSummary['kind'], more: Partial<ProcessSummary> = {}): ProcessSummary {
  return {
    kind,
    n: 1,
    workflowId: `wf-${kind}`,
    institutionId: kind === 'notarization' ? 'notary-jieyang' : 'court-5202',
    agreementVersion: 1,
    status: 'PREPARING',
    final: false,
    reportSeq: 0,
    ...more,
  };
}

/** Instalment n of the agreement, pending, due at `future` and paid to p1. */
export function instalment(n: number, more: Partial<Instalment> = {}): Instalment {
  return {
    n,
    amountFen: 600_000,
    dueDate: '2026-12-25',
    lastDay: '2026-12-25',
    dueAt: future,
    reminderAt: null,
    reminded: false,
    status: 'pending',
    payeePartyId: 'p1',
    ...more,
  };
}

/** A joint application for judicial confirmation by p1 and p2 to the Rongcheng court, being signed. */
export function confirmationApplication(more: Partial<ConfirmationState> = {}): ConfirmationState {
  return {
    ...initialConfirmation({
      caseId: 'c',
      n: 1,
      court: { institutionId: 'court-5202', name: '揭阳市榕城区人民法院', venueGround: 'party_domicile' },
      applicants: ['p1', 'p2'],
      agreementVersion: 1,
    }),
    ...more,
  };
}

/** An application to notarize the agreement with enforcement effect: p1 the creditor, p2 the debtor. */
export function notarizationApplication(more: Partial<NotarizationState> = {}): NotarizationState {
  return {
    ...initialNotarization({
      caseId: 'c',
      n: 1,
      notary: { institutionId: 'notary-jieyang', name: '揭阳市公证处' },
      creditorPartyId: 'p1',
      debtorPartyId: 'p2',
      agreementVersion: 1,
      feeReduction: false,
    }),
    ...more,
  };
}
