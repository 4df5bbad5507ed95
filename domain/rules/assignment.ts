/**
 * Choosing the mediator (docs/case-path.md#assignment): the parties choose jointly or the organization designates
 * (在线调解规则 Art 10); the mediator accepts or declines within 3 working days (Art 12); a party may ask
 * for a recusal, which the organization or the delegating court decides (特邀调解规定 Art 15).
 */
import { COURT_CHANNELS } from '../case.js';
import type { CaseState, Decision, MediatorProposal } from '../case-state.js';
import { DEADLINE_RULES } from '../deadlines.js';
import {
  PRINCIPAL_ROLES,
  actsFor,
  isParty,
  principalParties,
  refuse,
  rule,
  type Handler,
  type RuleContext,
} from './support.js';

/** After a decline, timeout or recusal the parties may choose again (2 working days), else the organization designates. */
function excludedMediator(): Decision {
  return rule(
    'mediator_excluded',
    'this mediator declined, timed out or was recused in this case',
    '特邀调解规定第十五条；人民法院在线调解规则第十二条',
  );
}

/** The mediator is assigned and has 3 working days to accept (在线调解规则 Art 12); the parties' choosing ends. */
function assign(state: CaseState, ctx: RuleContext, p: MediatorProposal): Decision {
  ctx.emit('MediatorAssigned', { mediatorId: p.mediatorId, orgId: p.orgId, mode: p.mode, reasoning: p.reasoning });
  ctx.effects.push({ kind: 'stop_deadline', ruleId: 'party_mediator_choice', outcome: 'met' });
  ctx.effects.push({ kind: 'start_deadline', ruleId: 'mediator_acceptance', startedAt: ctx.at });
  const { choices: _chosen, ...rest } = state.assignment;
  return ctx.done(state, {
    status: 'PENDING_MEDIATOR_ACCEPT',
    assignment: { ...rest, orgId: p.orgId, mediatorId: p.mediatorId, mode: p.mode },
  });
}

/** The mediator is out of this case (declined, timed out, recused): back to assignment, the parties may choose again. */
export function reassign(
  state: CaseState,
  ctx: RuleContext,
  mediatorId: string,
  refusedByParties = state.assignment.refusedByParties,
  why?: 'timeout',
): Decision {
  if (why === 'timeout')
    ctx.emit('MediatorAcceptanceTimedOut', { mediatorId, article: '人民法院在线调解规则第十二条' });
  ctx.effects.push({ kind: 'stop_deadline', ruleId: 'mediator_acceptance', outcome: 'cancelled' });
  ctx.effects.push({ kind: 'start_deadline', ruleId: 'party_mediator_choice', startedAt: ctx.at });
  const { mediatorId: _m, recusal: _r, ...rest } = state.assignment;
  return ctx.done(state, {
    status: 'PENDING_ASSIGNMENT',
    assignment: { ...rest, excluded: [...state.assignment.excluded, mediatorId], refusedByParties },
  });
}

export const assignMediator: Handler<'assign_mediator'> = (state, command, _now, ctx) => {
  if (state.assignment.excluded.includes(command.proposal.mediatorId)) return excludedMediator();
  return assign(state, ctx, command.proposal);
};

export const chooseMediator: Handler<'choose_mediator'> = (state, command, _now, ctx) => {
  // The parties choose jointly (在线调解规则 Art 10): each names one; when all name the same, that one is assigned.
  if (!isParty(state, command.partyId, PRINCIPAL_ROLES))
    return refuse(
      'wrong_state',
      'unknown_party',
      'a mediator is chosen by a party to the dispute (a guardian or agent chooses for that party)',
    );
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party may only choose for themselves');
  const p = command.proposal;
  if (state.assignment.excluded.includes(p.mediatorId)) return excludedMediator();
  const choices = { ...state.assignment.choices, [command.partyId]: p.mediatorId };
  const parties = principalParties(state);
  const agreed = parties.every((party) => choices[party.partyId] === p.mediatorId);
  ctx.emit('MediatorChosen', {
    partyId: command.partyId,
    mediatorId: p.mediatorId,
    agreed,
    article: '人民法院在线调解规则第十条',
  });
  if (!agreed) return ctx.done(state, { assignment: { ...state.assignment, choices } });
  return assign(state, ctx, {
    ...p,
    mode: 'party_choice',
    reasoning: { ...p.reasoning, chosenBy: parties.map((party) => party.partyId) },
  });
};

export const mediatorAccepts: Handler<'mediator_accepts'> = (state, command, _now, ctx) => {
  const { at, mediationRule } = ctx;
  // After disclosing a conflict the mediator may continue only if the parties agree (在线调解规则 Art 13).
  ctx.emit('MediatorAccepted', {
    conflict: command.conflict,
    ...(command.conflict !== 'none' ? { article: '人民法院在线调解规则第十三条' } : {}),
  });
  ctx.effects.push({ kind: 'stop_deadline', ruleId: 'mediator_acceptance', outcome: 'met' });
  // Court periods run from the organization's receipt of the court's file (特邀调解规定 Art 27): the first
  // acceptance. A change of mediator (recusal, a mediator who declines) does not start them again.
  const running =
    state.courtClocks && state.deadlines[mediationRule] && state.deadlines[mediationRule]!.status !== 'cancelled';
  if (DEADLINE_RULES[mediationRule].startsAt === 'mediator_accepts' && !running)
    ctx.effects.push({ kind: 'start_deadline', ruleId: mediationRule, startedAt: at });
  return ctx.done(state, {
    status: 'IN_MEDIATION',
    mediation: { ...state.mediation, startedAt: running ? (state.mediation.startedAt ?? at) : at },
  });
};

export const mediatorDeclines: Handler<'mediator_declines'> = (state, command, _now, ctx) => {
  ctx.emit('MediatorDeclined', {
    mediatorId: command.actor.id,
    reason: command.reason,
    article: '人民法院在线调解规则第十二条',
  });
  return reassign(state, ctx, command.actor.id);
};

export const requestRecusal: Handler<'request_recusal'> = (state, command, _now, ctx) => {
  if (!isParty(state, command.partyId, PRINCIPAL_ROLES))
    return refuse('wrong_state', 'unknown_party', 'no such party in this case');
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party may only ask for themselves');
  const mediatorId = state.assignment.mediatorId!;
  if (command.grantedOnRequest) {
    ctx.emit('MediatorRecused', {
      mediatorId,
      partyId: command.partyId,
      ground: command.ground,
      article: '特邀调解规定第十五条；人民调解法第二十三条',
      ...(command.note ? { note: command.note } : {}),
    });
    return reassign(state, ctx, mediatorId, state.assignment.refusedByParties + 1);
  }
  if (state.assignment.recusal)
    return refuse('wrong_state', 'recusal_pending', 'a request for recusal is already awaiting a decision');
  // Not granted by asking: the organization, or the court for 特邀调解, decides (特邀调解规定 Art 15).
  const decidedBy = COURT_CHANNELS.includes(state.channel) ? '特邀调解组织或者人民法院' : '调解组织';
  ctx.emit('RecusalRequested', {
    mediatorId,
    partyId: command.partyId,
    ground: command.ground,
    decidedBy,
    article: '特邀调解规定第十五条；人民调解法第二十三条',
    ...(command.note ? { note: command.note } : {}),
  });
  return ctx.done(state, {
    assignment: {
      ...state.assignment,
      recusal: { mediatorId, partyId: command.partyId, ground: command.ground, requestedAt: ctx.at },
    },
  });
};

export const decideRecusal: Handler<'decide_recusal'> = (state, command, _now, ctx) => {
  const request = state.assignment.recusal;
  if (!request) return refuse('wrong_state', 'no_recusal_request', 'there is no request for recusal to decide');
  if (command.actor.role === 'court' && !COURT_CHANNELS.includes(state.channel))
    return refuse('forbidden', 'not_a_court_case', 'a court decides recusals only in the mediations it delegated');
  const { recusal: _r, ...assignment } = state.assignment;
  const decision = {
    mediatorId: request.mediatorId,
    partyId: request.partyId,
    ground: request.ground,
    reason: command.reason,
    decidedBy: command.actor.role,
    article: '特邀调解规定第十五条',
  };
  if (!command.granted) {
    ctx.emit('RecusalRefused', decision);
    return ctx.done(state, { assignment });
  }
  ctx.emit('MediatorRecused', decision);
  return reassign(state, ctx, request.mediatorId, state.assignment.refusedByParties + 1);
};
