/**
 * A case's start: the state a new case begins in, the first event (parties by reference only) and the
 * deadlines intake starts (docs/case-path.md#intake).
 */
import { DEADLINE_RULES, mediationPeriodRule } from '../deadlines.js';
import { chinaDateOf, daysBetween } from '../calendar.js';
import type { CaseEvent, CaseIntake } from '../case.js';
import type { CaseState, Effect } from '../case-state.js';
import { judicialConfirmationOutlook, limitationAlert } from '../screening.js';

/** The state a new case begins in, before the record gives it a number. */
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
    parties: intake.parties.map((p) => ({
      partyId: p.partyId,
      role: p.role,
      ...(p.representsPartyId ? { representsPartyId: p.representsPartyId } : {}),
    })),
    lastSeq: 0,
    contactLog: [],
    screening: {
      priorityGroups: [],
      judicialConfirmation: judicialConfirmationOutlook({
        channel: intake.channel,
        ...(intake.involves ? { involves: intake.involves } : {}),
      }),
      limitation: limitationAlert({
        disputeType: intake.disputeType,
        claimantLearnedOfHarmOn: intake.claimantLearnedOfHarmOn,
        intakeDate,
      }),
      legalAid: { status: 'none' },
    },
    assignment: { excluded: [], refusedByParties: 0 },
    mediation: { sessions: 0, pauses: [], extensionDays: 0, extensionConsents: {} },
    deadlines: {},
  };
}

/** The state once the record has the case: its number, the limitation alert as counted there, the first event. */
export function registeredState(
  state: CaseState,
  registered: { caseNumber: string; limitation?: CaseState['screening']['limitation'] | undefined; seq: number },
): CaseState {
  const { caseNumber, limitation, seq } = registered;
  return {
    ...state,
    caseNumber,
    ...(limitation ? { screening: { ...state.screening, limitation } } : {}),
    lastSeq: seq,
  };
}

/** The first event (without personal data: parties by reference only) and the deadlines intake starts. */
export function registration(
  intake: CaseIntake,
  opts: { courtClocks?: boolean } = {},
): { event: CaseEvent; effects: Effect[] } {
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
      parties: intake.parties.map((p) => ({
        partyId: p.partyId,
        role: p.role,
        kind: p.kind,
        ...(p.representsPartyId ? { represents: p.representsPartyId } : {}),
      })),
      ...(intake.court
        ? { court: { courtCode: intake.court.courtCode, courtCaseNumber: intake.court.courtCaseNumber ?? null } }
        : {}),
      ...(intake.marketRegulatorComplaint ? { marketRegulatorComplaint: intake.marketRegulatorComplaint } : {}),
      judicialConfirmation: state.screening.judicialConfirmation,
      limitation: state.screening.limitation,
    },
  };
  const rule = mediationPeriodRule(state);
  // Labour mediation runs from the application itself (劳动争议调解仲裁法 Art 14).
  const effects: Effect[] =
    DEADLINE_RULES[rule].startsAt === 'intake'
      ? [{ kind: 'start_deadline', ruleId: rule, startedAt: intake.receivedAt }]
      : [];
  // The court's own date from its 委派/委托 letter: clocked, reminded and alerted on like a period.
  const letterDays = intake.court?.deadline ? courtLetterDays(intake.receivedAt, intake.court.deadline) : undefined;
  if (opts.courtClocks && letterDays !== undefined)
    effects.push({
      kind: 'start_deadline',
      ruleId: 'court_letter_deadline',
      startedAt: intake.receivedAt,
      length: letterDays,
    });
  return { event, effects };
}

/** Days from the day the letter was received to the court's date (at least one: the start day does not count). */
export function courtLetterDays(receivedAt: string, courtDate: string): number {
  return Math.max(1, daysBetween(chinaDateOf(receivedAt), courtDate));
}
