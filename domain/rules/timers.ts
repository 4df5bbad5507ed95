/**
 * The case's own clocks firing (the workflow's timers): a reminder to staff, or a period that ran out with
 * the outcome its rule names (`DEADLINE_RULES[...].onExpiry`).
 */
import { DEADLINE_RULES } from '../deadlines.js';
import { reassign } from './assignment.js';
import { MEDIATING, refuse, type Handler } from './support.js';
import { terminateMediation } from './termination.js';

export const deadlineReminder: Handler<'deadline_reminder'> = (state, command, now, ctx) => {
  const d = state.deadlines[command.ruleId];
  if (!d || d.status !== 'open' || d.reminded || !d.reminderAt || Date.parse(d.reminderAt) > now.getTime())
    return refuse('wrong_state', 'no_reminder_due', 'no reminder due');
  ctx.emit('DeadlineReminder', { ruleId: command.ruleId, dueAt: d.dueAt, to: ['mediator', 'clerk'] });
  ctx.effects.push({ kind: 'notify_staff', ruleId: command.ruleId });
  return ctx.done(state, { deadlines: { ...state.deadlines, [command.ruleId]: { ...d, reminded: true } } });
};

export const deadlineExpired: Handler<'deadline_expired'> = (state, command, now, ctx) => {
  const d = state.deadlines[command.ruleId];
  if (!d || d.status !== 'open') return refuse('wrong_state', 'no_open_deadline', 'no such open deadline');
  // A timer queued behind an action that extended or restarted the period must not expire it.
  if (Date.parse(d.dueAt) > now.getTime())
    return refuse('wrong_state', 'not_yet_due', 'the deadline has moved and is not due yet');
  const deadlines = { ...state.deadlines, [command.ruleId]: { ...d, status: 'expired' as const } };
  ctx.emit('DeadlineExpired', {
    ruleId: command.ruleId,
    dueAt: d.dueAt,
    onExpiry: DEADLINE_RULES[command.ruleId].onExpiry,
    citation: DEADLINE_RULES[command.ruleId].citation,
  });
  const next = { ...state, deadlines };
  if (command.ruleId === ctx.mediationRule && MEDIATING.includes(next.status))
    return terminateMediation(next, ctx, 'period_expired', undefined, undefined, { ruleId: command.ruleId });
  if (command.ruleId === 'mediator_acceptance' && next.status === 'PENDING_MEDIATOR_ACCEPT') {
    return reassign(next, ctx, next.assignment.mediatorId!, next.assignment.refusedByParties, 'timeout');
  }
  if (command.ruleId === 'party_mediator_choice' && next.status === 'PENDING_ASSIGNMENT') {
    // Still unwilling after a change of mediator, and no choice of their own: that is refusing
    // mediation (人民法院在线调解规则 Art 14). One change asked for is not.
    if (next.assignment.refusedByParties >= 2) {
      ctx.emit('AllMediatorsRefused', {
        refusals: next.assignment.refusedByParties,
        article: '人民法院在线调解规则第十四条',
      });
      return terminateMediation(
        next,
        ctx,
        'party_refuses_to_continue',
        '当事人更换调解员后仍不同意，且未自行选择，视为拒绝调解',
        {
          whyFailed: '当事人申请更换调解员后仍不同意且拒绝自行选择，视为拒绝调解（人民法院在线调解规则第十四条）',
        },
      );
    }
    ctx.effects.push({ kind: 'auto_assign' });
  }
  // Other expiries (contact attempts, legal-aid decision, confirmation window) are escalations: the
  // case stays where it is and the SLA-breach list shows them.
  return ctx.done(next);
};
