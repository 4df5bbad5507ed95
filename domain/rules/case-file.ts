/**
 * The case file, at any stage until it closes: files received, each party's address for service, and the
 * archive (人民调解法 Art 27) once the agreement is secured, performed or in default.
 */
import type { DeadlineRuleId } from '../deadlines.js';
import { lastOf } from './securing-handoff.js';
import { actsFor, closeOpenDeadlines, isParty, refuse, type Handler } from './support.js';

export const confirmServiceAddress: Handler<'confirm_service_address'> = (state, command, _now, ctx) => {
  // 送达地址确认书 (人民法院在线调解规则 Art 17): the chain records that it was confirmed, the record holds the address.
  if (!isParty(state, command.partyId)) return refuse('wrong_state', 'unknown_party', 'no such party in this case');
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party may only confirm their own address');
  ctx.emit('ServiceAddressConfirmed', {
    partyId: command.partyId,
    changed: command.changed,
    article: '人民法院在线调解规则第十七条',
  });
  return ctx.done(state);
};

export const recordMaterial: Handler<'record_material'> = (state, command, _now, ctx) => {
  // The same file again (a retried upload) is already on record.
  if (state.materials?.includes(command.material.materialId)) return ctx.done(state);
  ctx.emit('MaterialReceived', { ...command.material });
  return ctx.done(state, { materials: [...(state.materials ?? []), command.material.materialId] });
};

export const archive: Handler<'archive'> = (state, command, _now, ctx) => {
  if (state.securing?.processes.some((p) => !p.final))
    return refuse('wrong_state', 'securing_under_way', 'wait for the court or notary to conclude');
  // While instalments are running the committee follows them; unless the court refused to confirm the
  // agreement and the parties turn to litigation (民事诉讼法 Arts 186, 206).
  const litigating = ['REJECTED', 'DISPUTE_FOUND'].includes(
    lastOf(state, 'judicial_confirmation')?.outcome?.status ?? '',
  );
  if (
    state.status === 'AGREEMENT_EFFECTIVE' &&
    !litigating &&
    state.performance?.instalments.some((i) => i.status === 'pending')
  ) {
    return refuse(
      'wrong_state',
      'performance_pending',
      'instalments are still to be paid; archive once performed or in default',
    );
  }
  closeOpenDeadlines(state, ctx, 'cancelled');
  for (const [id, d] of Object.entries(state.deadlines)) {
    if (d?.owner && (d.status === 'open' || d.status === 'paused'))
      ctx.effects.push({ kind: 'stop_deadline', ruleId: id as DeadlineRuleId, outcome: 'cancelled' });
  }
  // The file is archived (人民调解法 Art 27), with its list of contents (docs/documents.md#the-archive-file).
  ctx.emit('CaseArchived', { article: '人民调解法第二十七条', ...(command.note ? { note: command.note } : {}) });
  ctx.effects.push({ kind: 'render_document', document: 'archive_summary', version: 1 });
  return ctx.done(state, { status: 'CLOSED_ARCHIVED', closedAt: ctx.at });
};
