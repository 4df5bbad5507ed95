/**
 * Intake (docs/case-path.md#acceptance-review): the organization accepts or declines a case; for a one-sided application the
 * other side is reached and consents or refuses; the case is screened for priority groups.
 */
import { COURT_CHANNELS, NOT_ACCEPTED_REASONS, OTHER_ROUTES_NOTICE, type Actor } from '../case.js';
import type { CaseState, Decision } from '../case-state.js';
import { DEADLINE_RULES } from '../deadlines.js';
import { PRIORITY_GROUPS } from '../screening.js';
import { actsFor, closeOpenDeadlines, isParty, refuse, rule, type Handler, type RuleContext } from './support.js';

/**
 * Enters assignment; periods that run from acceptance start now. The parties may choose a mediator
 * jointly within 2 working days (在线调解规则 Art 10), else the organization designates by its rule.
 */
function enterAssignment(ctx: RuleContext): void {
  if (DEADLINE_RULES[ctx.mediationRule].startsAt === 'acceptance')
    ctx.effects.push({ kind: 'start_deadline', ruleId: ctx.mediationRule, startedAt: ctx.at });
  ctx.effects.push({ kind: 'start_deadline', ruleId: 'party_mediator_choice', startedAt: ctx.at });
}

export const accept: Handler<'accept'> = (state, command, _now, ctx) => {
  // A matter another authority has already accepted is not for people's mediation, unless that
  // authority is the court handing it to us (委派/委托).
  if (state.priorProceedings && !COURT_CHANNELS.includes(state.channel)) {
    return rule(
      'already_before_authority',
      `the dispute is already before the ${state.priorProceedings.before}; it cannot be accepted for people's mediation`,
      NOT_ACCEPTED_REASONS.already_before_authority.article,
    );
  }
  ctx.emit('CaseAccepted', command.note ? { note: command.note } : {});
  // The delegating court learns that its case was taken on.
  if (COURT_CHANNELS.includes(state.channel))
    ctx.effects.push({ kind: 'report_to_court', message: 'case_accepted', payload: { acceptedAt: ctx.at } });
  // The parties are told their rights and duties when the case is accepted (人民调解法 Arts 23-24).
  ctx.effects.push({ kind: 'render_document', document: 'rights_notice', version: 1 });
  if (state.oneSided) {
    // The other side must be willing (人民调解法 Arts 3, 17); try to reach them within 3 working days.
    ctx.effects.push({ kind: 'start_deadline', ruleId: 'counterparty_contact', startedAt: ctx.at });
    return ctx.done(state, { status: 'PENDING_COUNTERPARTY_CONSENT' });
  }
  enterAssignment(ctx);
  return ctx.done(state, { status: 'PENDING_ASSIGNMENT' });
};

export const decline: Handler<'decline'> = (state, command, _now, ctx) => {
  const basis = NOT_ACCEPTED_REASONS[command.reason];
  closeOpenDeadlines(state, ctx, 'cancelled');
  ctx.emit('CaseNotAccepted', {
    reason: command.reason,
    article: basis.article,
    otherRoutesNotice: OTHER_ROUTES_NOTICE,
    ...(command.note ? { note: command.note } : {}),
  });
  // 不予受理告知书: the reason, its article and the other routes, in writing.
  ctx.effects.push({ kind: 'render_document', document: 'not_accepted_notice', version: 1 });
  return ctx.done(state, {
    status: 'NOT_ACCEPTED',
    notAccepted: { reason: command.reason, ...(command.note ? { note: command.note } : {}) },
    closedAt: ctx.at,
  });
};

export const logContact: Handler<'log_contact'> = (state, command, _now, ctx) => {
  const entry = { at: ctx.at, channel: command.channel, result: command.result };
  ctx.emit('CounterpartyContactLogged', { ...entry, ...(command.note ? { note: command.note } : {}) });
  return ctx.done(state, { contactLog: [...state.contactLog, entry] });
};

/** The other side of a one-sided application answers (for themselves, or through a guardian or agent). */
function counterpartyAnswerRefusal(state: CaseState, command: { actor: Actor; partyId: string }): Decision | undefined {
  if (!isParty(state, command.partyId, ['respondent', 'third_party']))
    return refuse('wrong_state', 'not_a_counterparty', 'that party is not the other side of this application');
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party may only answer for themselves');
  return undefined;
}

export const counterpartyConsents: Handler<'counterparty_consents'> = (state, command, _now, ctx) => {
  const refused = counterpartyAnswerRefusal(state, command);
  if (refused) return refused;
  ctx.emit('CounterpartyConsented', { partyId: command.partyId });
  ctx.effects.push({ kind: 'stop_deadline', ruleId: 'counterparty_contact', outcome: 'met' });
  enterAssignment(ctx);
  return ctx.done(state, { status: 'PENDING_ASSIGNMENT' });
};

export const counterpartyRefuses: Handler<'counterparty_refuses'> = (state, command, _now, ctx) => {
  const refused = counterpartyAnswerRefusal(state, command);
  if (refused) return refused;
  closeOpenDeadlines(state, ctx, 'cancelled');
  ctx.emit('CaseNotAccepted', {
    reason: 'party_refuses_mediation',
    partyId: command.partyId,
    article: NOT_ACCEPTED_REASONS.party_refuses_mediation.article,
    otherRoutesNotice: OTHER_ROUTES_NOTICE,
  });
  // The applicant is told in writing, with the attempts to reach the other side (在线调解规则 Art 15).
  ctx.effects.push({ kind: 'render_document', document: 'counterparty_notice', version: 1 });
  return ctx.done(state, {
    status: 'NOT_ACCEPTED',
    notAccepted: {
      reason: 'party_refuses_mediation',
      partyId: command.partyId,
      ...(command.note ? { note: command.note } : {}),
    },
    closedAt: ctx.at,
  });
};

export const closeUnreachable: Handler<'close_unreachable'> = (state, command, _now, ctx) => {
  // "Unreachable" needs evidence: a contact log (在线调解规则 Art 15 — the mediator records why).
  if (state.contactLog.length === 0) {
    return rule(
      'contact_log_required',
      'record at least one attempt to reach the other party (channel, time, result) before closing the case as unreachable',
      NOT_ACCEPTED_REASONS.counterparty_unreachable.article,
    );
  }
  closeOpenDeadlines(state, ctx, 'cancelled');
  ctx.emit('CaseNotAccepted', {
    reason: 'counterparty_unreachable',
    attempts: state.contactLog.length,
    article: NOT_ACCEPTED_REASONS.counterparty_unreachable.article,
    otherRoutesNotice: OTHER_ROUTES_NOTICE,
  });
  ctx.effects.push({ kind: 'render_document', document: 'counterparty_notice', version: 1 });
  return ctx.done(state, {
    status: 'NOT_ACCEPTED',
    notAccepted: { reason: 'counterparty_unreachable', ...(command.note ? { note: command.note } : {}) },
    closedAt: ctx.at,
  });
};

export const recordScreening: Handler<'record_screening'> = (state, command, _now, ctx) => {
  const unknown = command.priorityGroups.filter((g) => !(g in PRIORITY_GROUPS));
  if (unknown.length)
    return refuse('wrong_state', 'unknown_priority_group', `unknown priority groups: ${unknown.join(', ')}`);
  ctx.emit('ScreeningRecorded', {
    priorityGroups: command.priorityGroups,
    basis: '揭阳市公共法律服务促进办法（草案）第三十条',
  });
  return ctx.done(state, { screening: { ...state.screening, priorityGroups: [...command.priorityGroups] } });
};
