/**
 * Legal aid (法律援助法 Arts 42-43): a party applies, the legal-aid body decides within 7 days and assigns
 * staff within 3 days of granting. It runs on its own clocks, alongside the mediation.
 */
import { LEGAL_AID_BASES } from '../screening.js';
import { PRINCIPAL_ROLES, actsFor, isParty, refuse, type Handler } from './support.js';

export const applyLegalAid: Handler<'apply_legal_aid'> = (state, command, _now, ctx) => {
  if (state.screening.legalAid.status === 'applied' || state.screening.legalAid.status === 'granted')
    return refuse('wrong_state', 'legal_aid_pending', 'a legal-aid application is already pending or granted');
  // Aid is for a party to the dispute; a guardian or agent applies on that party's behalf.
  if (!isParty(state, command.partyId, PRINCIPAL_ROLES))
    return refuse(
      'wrong_state',
      'unknown_party',
      'legal aid is applied for on behalf of a party to the dispute, not a guardian or agent',
    );
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party may only apply for themselves');
  const basis = LEGAL_AID_BASES[command.basis];
  if (command.proof?.materialId && !state.materials?.includes(command.proof.materialId))
    return refuse('wrong_state', 'unknown_material', 'the proof must be a file received for this case');
  // Verification is waived for someone who shows they belong to the group (法律援助法 Art 42): the proof offered is recorded, or that none was.
  const proof =
    basis.treatment === 'verification_exempt'
      ? { proofOffered: command.proof ?? null }
      : command.proof
        ? { proofOffered: command.proof }
        : {};
  ctx.emit('LegalAidApplied', {
    partyId: command.partyId,
    basis: command.basis,
    treatment: basis.treatment,
    source: basis.source,
    selfDeclaration: command.selfDeclaration,
    ...proof,
  });
  // The legal-aid body decides within 7 days (法律援助法 Art 43).
  ctx.effects.push({ kind: 'start_deadline', ruleId: 'legal_aid_decision', startedAt: ctx.at });
  return ctx.done(state, {
    screening: {
      ...state.screening,
      legalAid: {
        status: 'applied',
        partyId: command.partyId,
        basis: command.basis,
        ...(command.proof ? { proof: command.proof } : {}),
        ...(state.screening.legalAid.refusals ? { refusals: state.screening.legalAid.refusals } : {}),
      },
    },
  });
};

export const decideLegalAid: Handler<'decide_legal_aid'> = (state, command, _now, ctx) => {
  if (state.screening.legalAid.status !== 'applied')
    return refuse('wrong_state', 'no_legal_aid_application', 'there is no pending legal-aid application');
  // A refusal is given in writing with reasons (法律援助法 Art 43).
  ctx.emit(command.granted ? 'LegalAidGranted' : 'LegalAidRefused', {
    reason: command.reason,
    basis: state.screening.legalAid.basis,
    article: '法律援助法第四十三条',
  });
  ctx.effects.push({ kind: 'stop_deadline', ruleId: 'legal_aid_decision', outcome: 'met' });
  // Aid staff are assigned within 3 days of a decision to grant (法律援助法 Art 43).
  if (command.granted) ctx.effects.push({ kind: 'start_deadline', ruleId: 'legal_aid_assignment', startedAt: ctx.at });
  // The written refusal, one per refusal (a party may apply again).
  const refusals = (state.screening.legalAid.refusals ?? 0) + (command.granted ? 0 : 1);
  if (!command.granted) ctx.effects.push({ kind: 'render_document', document: 'legal_aid_refusal', version: refusals });
  return ctx.done(state, {
    screening: {
      ...state.screening,
      legalAid: {
        ...state.screening.legalAid,
        status: command.granted ? 'granted' : 'refused',
        reason: command.reason,
        ...(refusals ? { refusals } : {}),
      },
    },
  });
};

export const assignLegalAidStaff: Handler<'assign_legal_aid_staff'> = (state, command, _now, ctx) => {
  if (state.screening.legalAid.status !== 'granted' || state.screening.legalAid.staffAssigned)
    return refuse('wrong_state', 'no_granted_legal_aid', 'legal aid must be granted, and staff not yet assigned');
  ctx.emit('LegalAidStaffAssigned', {
    staffName: command.staffName,
    organization: command.organization,
    article: '法律援助法第四十三条',
  });
  ctx.effects.push({ kind: 'stop_deadline', ruleId: 'legal_aid_assignment', outcome: 'met' });
  return ctx.done(state, {
    screening: { ...state.screening, legalAid: { ...state.screening.legalAid, staffAssigned: true } },
  });
};
