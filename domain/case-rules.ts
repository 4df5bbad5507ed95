/**
 * The case's rules as one pure function: `decide(state, command, now)` returns the new state and the
 * events to record, or a refusal with a code (and the article, where a law forbids the action).
 * The workflow applies it; the API never decides anything itself. Table-tested without Temporal.
 */
import {
  COURT_CHANNELS,
  NOT_ACCEPTED_REASONS,
  OTHER_ROUTES_NOTICE,
  type Actor,
  type CaseEvent,
  type CaseIntake,
  type CaseStatus,
  type IntakeChannel,
  type NotAcceptedReason,
  type PriorProceedings,
  type Role,
} from './case.js';

export type CaseState = {
  caseId: string;
  caseNumber?: string;
  status: CaseStatus;
  channel: IntakeChannel;
  receivedAt: string;
  priorProceedings?: PriorProceedings;
  /** Sequence number of the last recorded event. */
  lastSeq: number;
  notAccepted?: { reason: NotAcceptedReason; note?: string };
  /** The workflow ends when this is set. */
  closedAt?: string;
};

export type CaseCommand =
  | { type: 'accept'; actor: Actor; note?: string }
  | { type: 'decline'; actor: Actor; reason: NotAcceptedReason; note?: string };

export type Refusal =
  /** The action does not fit the case's current state (HTTP 409). */
  | { kind: 'wrong_state'; code: string; message: string }
  /** The actor's role may not take this action (HTTP 403). */
  | { kind: 'forbidden'; code: string; message: string }
  /** A rule of law forbids the action (HTTP 422). */
  | { kind: 'rule'; code: string; message: string; article: string };

export type Decision =
  | { ok: true; state: CaseState; events: CaseEvent[] }
  | { ok: false; refusal: Refusal };

/** Who may give each command. */
const ALLOWED_ROLES: Record<CaseCommand['type'], readonly Role[]> = {
  accept: ['clerk'],
  decline: ['clerk'],
};

export function initialState(intake: CaseIntake): CaseState {
  return {
    caseId: intake.caseId,
    status: 'REGISTERED',
    channel: intake.channel,
    receivedAt: intake.receivedAt,
    ...(intake.priorProceedings ? { priorProceedings: intake.priorProceedings } : {}),
    lastSeq: 0,
  };
}

/** The first event: registration, without personal data (parties by reference only). */
export function registrationEvent(intake: CaseIntake): CaseEvent {
  return {
    seq: 1,
    type: 'CaseRegistered',
    at: intake.receivedAt,
    actor: intake.registeredBy,
    payload: {
      channel: intake.channel,
      disputeType: intake.disputeType,
      parties: intake.parties.map((p) => ({ partyId: p.partyId, role: p.role, kind: p.kind, ...(p.representsPartyId ? { represents: p.representsPartyId } : {}) })),
      ...(intake.court
        ? { court: { courtCode: intake.court.courtCode, courtCaseNumber: intake.court.courtCaseNumber ?? null } }
        : {}),
    },
  };
}

function refuse(kind: 'wrong_state' | 'forbidden', code: string, message: string): Decision {
  return { ok: false, refusal: { kind, code, message } };
}

export function decide(state: CaseState, command: CaseCommand, now: Date): Decision {
  if (!ALLOWED_ROLES[command.type].includes(command.actor.role)) {
    return refuse('forbidden', 'role_not_allowed', `a ${command.actor.role} may not ${command.type} a case`);
  }
  const at = now.toISOString();
  const event = (type: string, payload: Record<string, unknown>): CaseEvent => ({
    seq: state.lastSeq + 1,
    type,
    at,
    actor: command.actor,
    payload,
  });

  switch (command.type) {
    case 'accept': {
      if (state.status !== 'REGISTERED') {
        return refuse('wrong_state', 'not_awaiting_acceptance', `the case is ${state.status}, not awaiting acceptance review`);
      }
      // A matter another authority has already accepted is not for people's mediation, unless that
      // authority is the court handing it to us (委派/委托).
      if (state.priorProceedings && !COURT_CHANNELS.includes(state.channel)) {
        return {
          ok: false,
          refusal: {
            kind: 'rule',
            code: 'already_before_authority',
            message: `the dispute is already before the ${state.priorProceedings.before}; it cannot be accepted for people's mediation`,
            article: NOT_ACCEPTED_REASONS.already_before_authority.article,
          },
        };
      }
      const e = event('CaseAccepted', command.note ? { note: command.note } : {});
      return { ok: true, state: { ...state, status: 'PENDING_ASSIGNMENT', lastSeq: e.seq }, events: [e] };
    }
    case 'decline': {
      if (state.status !== 'REGISTERED') {
        return refuse('wrong_state', 'not_awaiting_acceptance', `the case is ${state.status}, not awaiting acceptance review`);
      }
      const basis = NOT_ACCEPTED_REASONS[command.reason];
      const e = event('CaseNotAccepted', {
        reason: command.reason,
        article: basis.article,
        otherRoutesNotice: OTHER_ROUTES_NOTICE,
        ...(command.note ? { note: command.note } : {}),
      });
      return {
        ok: true,
        state: {
          ...state,
          status: 'NOT_ACCEPTED',
          lastSeq: e.seq,
          notAccepted: { reason: command.reason, ...(command.note ? { note: command.note } : {}) },
          closedAt: at,
        },
        events: [e],
      };
    }
  }
}
