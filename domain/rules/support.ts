/**
 * What every handler of the rule book shares: the decision being built (its events and effects), the
 * refusals, who acts for whom, and the periods the case closes when it ends.
 */
import type { Actor, CaseEvent, CaseStatus, PartyRole } from '../case.js';
import type { CaseCommand, CaseState, Decision, Effect } from '../case-state.js';
import { mediationPeriodRule, type DeadlineRuleId } from '../deadlines.js';

/** The decision one command is building: its events (numbered after the case's last) and effects. */
export type RuleContext = {
  /** The time of the command, as recorded on its events. */
  readonly at: string;
  /** The period the case's mediation runs on, as the case stood when the command came. */
  readonly mediationRule: DeadlineRuleId;
  readonly effects: Effect[];
  /** Records an event of this command. */
  emit(type: string, payload?: Record<string, unknown>): void;
  /** Records an event that happened elsewhere (a securing process's), under the case's numbering. */
  append(type: string, at: string, actor: Actor, payload: Record<string, unknown>): void;
  /** The number of the last event recorded so far. */
  lastSeq(): number;
  /** The decision: `state` with `next` applied, and the events and effects recorded. */
  done(state: CaseState, next?: Partial<CaseState>): Decision;
};

/** One command's rule: given the case and the command, what happens (or why not). */
export type Handler<K extends CaseCommand['type']> = (
  state: CaseState,
  command: Extract<CaseCommand, { type: K }>,
  now: Date,
  ctx: RuleContext,
) => Decision;

export function openDecision(state: CaseState, command: CaseCommand, now: Date): RuleContext {
  const at = now.toISOString();
  let seq = state.lastSeq;
  const events: CaseEvent[] = [];
  const effects: Effect[] = [];
  const append = (type: string, eventAt: string, actor: Actor, payload: Record<string, unknown>) => {
    seq += 1;
    events.push({ seq, type, at: eventAt, actor, payload });
  };
  return {
    at,
    mediationRule: mediationPeriodRule(state),
    effects,
    emit: (type, payload = {}) => append(type, at, command.actor, payload),
    append,
    lastSeq: () => seq,
    done: (s, next = {}) => ({ ok: true, state: { ...s, ...next, lastSeq: seq }, events, effects }),
  };
}

export function refuse(kind: 'wrong_state' | 'forbidden', code: string, message: string): Decision {
  return { ok: false, refusal: { kind, code, message } };
}

export function rule(code: string, message: string, article: string): Decision {
  return { ok: false, refusal: { kind: 'rule', code, message, article } };
}

export const PRINCIPAL_ROLES: readonly PartyRole[] = ['applicant', 'respondent', 'third_party'];
export const principalParties = (s: CaseState) => s.parties.filter((p) => PRINCIPAL_ROLES.includes(p.role));

export function isParty(s: CaseState, partyId: string, roles?: readonly PartyRole[]): boolean {
  return s.parties.some((p) => p.partyId === partyId && (!roles || roles.includes(p.role)));
}

/** A party acts for itself, or through its guardian or agent. */
export function actsFor(s: CaseState, actor: Actor, partyId: string): boolean {
  if (actor.role !== 'party') return true; // staff record what a party said or signed
  return actor.id === partyId || s.parties.some((p) => p.partyId === actor.id && p.representsPartyId === partyId);
}

/** Statuses in which the mediation period runs. */
export const MEDIATING: readonly CaseStatus[] = [
  'PENDING_ASSIGNMENT',
  'PENDING_MEDIATOR_ACCEPT',
  'IN_MEDIATION',
  'SUSPENDED',
  'AGREEMENT_DRAFTING',
  'PENDING_SIGNATURE',
];

/** Legal aid's own periods (法律援助法 Art 43), which do not end with the mediation. */
const LEGAL_AID_DEADLINES: readonly DeadlineRuleId[] = ['legal_aid_decision', 'legal_aid_assignment'];

/** Stops the open periods; legal aid's own periods stay open while the case goes on (`legalAid: 'keep'`). */
export function closeOpenDeadlines(
  state: CaseState,
  ctx: RuleContext,
  outcome: 'met' | 'cancelled',
  legalAid: 'keep' | 'cancel' = 'cancel',
): void {
  for (const [id, d] of Object.entries(state.deadlines)) {
    if (!d || d.owner || (d.status !== 'open' && d.status !== 'paused')) continue;
    // An agreement does not meet legal aid's deadlines: they stay open, or end with the case.
    if (LEGAL_AID_DEADLINES.includes(id as DeadlineRuleId)) {
      if (legalAid === 'cancel')
        ctx.effects.push({ kind: 'stop_deadline', ruleId: id as DeadlineRuleId, outcome: 'cancelled' });
      continue;
    }
    ctx.effects.push({ kind: 'stop_deadline', ruleId: id as DeadlineRuleId, outcome });
  }
}
