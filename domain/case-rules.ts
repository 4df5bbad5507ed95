/**
 * The case's rules as one pure function: `decide(state, command, now)` returns the new state, the events
 * to record and the effects to run (deadlines to start, stop or recompute), or a refusal with a code (and
 * the article, where a law forbids the action). The workflow applies it; the API never decides anything.
 * The path of a case, intake to archive: docs/case-path.md. Table-tested without Temporal.
 *
 * This file is the rule book's entry; the rules themselves are in pieces:
 * - `case-state.ts`: the case's state, the commands, effects and refusals (types only);
 * - `rules/rule-book.ts`: the table, command → roles, states, handler;
 * - `rules/*.ts`: the handlers by phase: `intake`, `legal-aid`, `assignment`, `mediation`, `termination`,
 *   `agreement`, `securing-handoff`, `performance`, `case-file` (materials, service address, archive), and
 *   `timers` (the workflow's clocks); `registration` (a new case's state and first event) and `support`
 *   (the decision being built, refusals, who acts for whom);
 * - `deadline-state.ts`: recording, halting and timing deadlines in the state (the case and securing workflows).
 * Every name exported here before the split is still exported here.
 */
import type { Role } from './case.js';
import type { CaseCommand, CaseState, Decision } from './case-state.js';
import { RULE_BOOK, type RuleRow } from './rules/rule-book.js';
import { openDecision, refuse, type Handler } from './rules/support.js';

export type {
  AgreementContent,
  CaseCommand,
  CaseFacts,
  CaseMaterial,
  CaseState,
  ContactChannel,
  Decision,
  DeadlineState,
  Effect,
  FailureReport,
  Instalment,
  LegalAidProof,
  MaterialKind,
  MediatorProposal,
  ProcessReport,
  ProcessSummary,
  RecusalGround,
  Refusal,
  ScheduleItem,
  Timer,
} from './case-state.js';
export { haltDeadline, nextTimer, uncomputableDeadline, withDeadline, withDeadlineStatus } from './deadline-state.js';
export { agreementContentProblem } from './rules/agreement.js';
export { withInstalments } from './rules/performance.js';
export { courtLetterDays, initialState, registeredState, registration } from './rules/registration.js';
export { withProcessWorkflow } from './rules/securing-handoff.js';
export { PRINCIPAL_ROLES } from './rules/support.js';
export { FAILURE_FACTS_WORKING_DAYS, unrecordedFacts, withFailureFactsDue } from './rules/termination.js';

/** Who may give each command (the policy module decides who may see the case at all): the rule book's roles. */
export const ALLOWED_ROLES = Object.fromEntries(
  Object.entries(RULE_BOOK).map(([type, row]) => [type, row.roles]),
) as Record<CaseCommand['type'], readonly Role[]>;

export function decide(state: CaseState, command: CaseCommand, now: Date): Decision {
  // The row's handler takes this row's command; the table pairs them by type.
  const row = RULE_BOOK[command.type] as RuleRow<CaseCommand['type']>;
  if (!row.roles.includes(command.actor.role)) {
    return refuse(
      'forbidden',
      'role_not_allowed',
      `a ${command.actor.role} may not ${command.type.replace(/_/g, ' ')}`,
    );
  }
  if (row.states.length > 0 && !row.states.includes(state.status)) {
    return refuse(
      'wrong_state',
      'wrong_state',
      `the case is ${state.status}; ${command.type.replace(/_/g, ' ')} is not possible now`,
    );
  }
  if (command.actor.role === 'mediator' && state.assignment.mediatorId !== command.actor.id) {
    return refuse('forbidden', 'not_the_assigned_mediator', 'only the mediator assigned to this case may do this');
  }
  const handler = row.handler as Handler<CaseCommand['type']>;
  return handler(state, command, now, openDecision(state, command, now));
}
