/**
 * Performance (docs/case-path.md#performance-and-follow-up): the committee follows the agreement's instalments (人民调解法 Art 31) with
 * reminders, confirmed payments and follow-up visits; a default leads to enforcement where the agreement is
 * enforceable, else to the routes a creditor has left (Art 32).
 */
import { chinaDateOf } from '../calendar.js';
import type { CaseState, Decision, Instalment } from '../case-state.js';
import { PRINCIPAL_ROLES, actsFor, isParty, refuse, type Handler, type RuleContext } from './support.js';

/** Records the computed instalments. */
export function withInstalments(s: CaseState, instalments: Instalment[]): CaseState {
  return { ...s, performance: { ...(s.performance ?? { followUps: 0, defaulted: false }), instalments } };
}

/**
 * A default on an enforceable agreement: tell the creditor where to apply and by when — two years from the
 * last day of performance (民事诉讼法 Art 250). A notarized one needs the notary's 执行证书 first.
 */
export function adviseEnforcement(state: CaseState, ctx: RuleContext): Decision {
  const by = state.securing!.enforceableBy!;
  const last = [...(state.performance?.instalments ?? [])].sort((a, b) => a.lastDay.localeCompare(b.lastDay)).at(-1);
  ctx.emit('EnforcementAdvised', {
    title: by,
    route:
      by === 'judicial_confirmation'
        ? '向作出确认裁定的人民法院申请强制执行（民事诉讼法第二百零六条；民诉法解释第四百六十条）'
        : '先向公证机构申请出具执行证书，再向被执行人住所地或财产所在地人民法院申请执行（公证法第三十七条；最高人民法院《关于公证债权文书执行若干问题的规定》第二条、第三条）',
    periodFrom: last?.lastDay ?? chinaDateOf(ctx.at),
    article: '民事诉讼法第二百五十条',
  });
  ctx.effects.push({
    kind: 'start_deadline',
    ruleId: 'enforcement_application',
    startedAt: `${last?.lastDay ?? chinaDateOf(ctx.at)}T00:00:00+08:00`,
  });
  return ctx.done(state, { status: 'ENFORCEMENT_ADVISED' });
}

export const confirmPayment: Handler<'confirm_payment'> = (state, command, _now, ctx) => {
  const inst = state.performance?.instalments.find((i) => i.n === command.instalment);
  if (!inst) return refuse('wrong_state', 'unknown_instalment', `no instalment ${command.instalment}`);
  if (inst.status === 'paid')
    return refuse('wrong_state', 'already_paid', 'this instalment is already confirmed as paid');
  if (!isParty(state, command.partyId, PRINCIPAL_ROLES))
    return refuse('wrong_state', 'unknown_party', 'no such party in this case');
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party confirms only for themselves');
  // Only the creditor confirms a payment: a party online only where the agreement names them as payee;
  // otherwise staff record the creditor's confirmation given in person or by phone.
  if (inst.payeePartyId ? command.partyId !== inst.payeePartyId : command.actor.role === 'party') {
    return refuse('forbidden', 'not_the_creditor', 'only the party who receives this instalment confirms it was paid');
  }
  ctx.emit('PaymentConfirmed', {
    instalment: inst.n,
    amountFen: inst.amountFen,
    confirmedBy: command.partyId,
    late: inst.status === 'overdue',
    ...(command.note ? { note: command.note } : {}),
  });
  const instalments = state.performance!.instalments.map((i) =>
    i.n === inst.n ? { ...i, status: 'paid' as const, paidAt: ctx.at } : i,
  );
  const performance = { ...state.performance!, instalments };
  if (!instalments.every((i) => i.status === 'paid')) return ctx.done(state, { performance });
  ctx.emit('PerformanceCompleted', { instalments: instalments.length, article: '人民调解法第三十一条' });
  if (state.deadlines.enforcement_application?.status === 'open')
    ctx.effects.push({ kind: 'stop_deadline', ruleId: 'enforcement_application', outcome: 'met' });
  return ctx.done(state, { status: 'PERFORMED', performance: { ...performance, completedAt: ctx.at } });
};

export const recordFollowUp: Handler<'record_follow_up'> = (state, command, _now, ctx) => {
  // 回访: the committee follows up on performance (人民调解法 Art 31).
  ctx.emit('FollowUpRecorded', {
    at: command.at,
    mode: command.mode,
    note: command.note,
    article: '人民调解法第三十一条',
  });
  return ctx.done(state, {
    performance: {
      ...(state.performance ?? { instalments: [], defaulted: false }),
      followUps: (state.performance?.followUps ?? 0) + 1,
    },
  });
};

/** From the workflow's timer: the parties are reminded of an instalment before it is due. */
export const instalmentReminder: Handler<'instalment_reminder'> = (state, command, now, ctx) => {
  const inst = state.performance?.instalments.find((i) => i.n === command.instalment);
  if (
    !inst ||
    inst.status !== 'pending' ||
    inst.reminded ||
    !inst.reminderAt ||
    Date.parse(inst.reminderAt) > now.getTime()
  )
    return refuse('wrong_state', 'no_reminder_due', 'no reminder due');
  ctx.emit('InstalmentReminder', {
    instalment: inst.n,
    dueAt: inst.dueAt,
    amountFen: inst.amountFen,
    to: ['parties', 'mediator'],
  });
  ctx.effects.push({ kind: 'notify_parties', notice: 'instalment_reminder', instalment: inst.n });
  return ctx.done(state, {
    performance: {
      ...state.performance!,
      instalments: state.performance!.instalments.map((i) => (i.n === inst.n ? { ...i, reminded: true } : i)),
    },
  });
};

/** From the workflow's timer: an instalment not confirmed paid by the end of its last day is overdue. */
export const instalmentDue: Handler<'instalment_due'> = (state, command, now, ctx) => {
  const inst = state.performance?.instalments.find((i) => i.n === command.instalment);
  if (!inst || inst.status !== 'pending') return refuse('wrong_state', 'not_pending', 'the instalment is not pending');
  if (Date.parse(inst.dueAt) > now.getTime())
    return refuse('wrong_state', 'not_yet_due', 'the instalment is not due yet');
  ctx.emit('InstalmentOverdue', { instalment: inst.n, dueAt: inst.dueAt, amountFen: inst.amountFen });
  const instalments = state.performance!.instalments.map((i) =>
    i.n === inst.n ? { ...i, status: 'overdue' as const } : i,
  );
  const firstDefault = !state.performance!.defaulted;
  const next: CaseState = { ...state, performance: { ...state.performance!, instalments, defaulted: true } };
  if (!firstDefault || next.status !== 'AGREEMENT_EFFECTIVE') return ctx.done(next);
  if (next.securing?.enforceableBy) return adviseEnforcement(next, ctx);
  // No enforceable title: the creditor may sue on the agreement (人民调解法 Art 32), or still apply for confirmation.
  const windowOpen = next.deadlines.judicial_confirmation_application?.status === 'open';
  ctx.emit('PerformanceDefaulted', {
    instalment: inst.n,
    routes: windowOpen ? ['judicial_confirmation', 'litigation'] : ['litigation'],
    article: '人民调解法第三十二条',
  });
  return ctx.done(next);
};
