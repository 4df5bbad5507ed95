/**
 * The agreement (docs/case-path.md#the-agreement): drafts and their content rules, circulation, signatures (the form each
 * path needs, wet ink where e-signing is excluded), an oral agreement, and the moment it takes effect.
 */
import { EFFECT_RULES, ELECTRONIC_SIGNATURE_EXCLUSION, PARTY_ROLE_LABELS, effectPathOf } from '../case.js';
import type { AgreementContent, CaseState, Decision, Refusal } from '../case-state.js';
import {
  PRINCIPAL_ROLES,
  actsFor,
  closeOpenDeadlines,
  isParty,
  principalParties,
  refuse,
  rule,
  type Handler,
  type RuleContext,
} from './support.js';
import { terminateMediation } from './termination.js';

/**
 * The rules on a draft's content. A term that pays an amount states how and by when it is performed
 * (人民调解法 Art 29 ¶1(三); for other organizations the contract rule, 民法典 Art 470 ¶1(六)): a court rejects an
 * agreement whose content is not definite (民诉法解释 Art 358(五)). A planned notarization with enforcement
 * effect names the debtors whose commitment the written agreement prints (公证法 Art 37), and needs an
 * obligation with a date (公证程序规则 Art 39(三)).
 */
export function agreementContentProblem(
  s: CaseState,
  content: AgreementContent,
  form: 'written' | 'oral',
): Refusal | undefined {
  const path = effectPathOf(s);
  const definite = [
    path === 'peoples_mediation' ? '人民调解法第二十九条第一款第（三）项' : '民法典第四百七十条第一款第（六）项',
    ...(path === 'court_post_filing' ? [] : ['民诉法解释第三百五十八条第（五）项']),
  ].join('；');
  for (const [i, t] of content.terms.entries()) {
    if (t.amountFen === undefined) continue;
    const missing = [
      ...(t.dueDate ? [] : ['by when (dueDate)']),
      ...(t.manner || content.performance ? [] : ["how (manner, or the agreement's performance)"]),
    ];
    if (missing.length)
      return {
        kind: 'rule',
        code: 'performance_terms_required',
        message: `term ${i + 1} pays an amount: state ${missing.join(' and ')} it is paid`,
        article: definite,
      };
  }
  const n = content.notarization;
  if (n) {
    if (form === 'oral')
      return {
        kind: 'rule',
        code: 'notarization_needs_written_agreement',
        message:
          "the debtor's commitment to accept enforcement is written into the agreement: notarization needs a written agreement",
        article: '公证法第三十七条',
      };
    const principals = principalParties(s).map((p) => p.partyId);
    if (n.debtorPartyIds.some((id) => !principals.includes(id)))
      return {
        kind: 'wrong_state',
        code: 'unknown_party',
        message: 'each debtor named for notarization must be a party to the dispute',
      };
    if (!content.terms.some((t) => t.dueDate))
      return {
        kind: 'rule',
        code: 'indefinite_terms',
        message: 'notarization with enforcement effect needs an obligation with a date of performance',
        article: '公证程序规则第三十九条第（三）项',
      };
  }
  return undefined;
}

/** The agreement takes effect: filed with or returned to a delegating court, or followed here (performance, securing). */
function effective(state: CaseState, ctx: RuleContext, agreement: NonNullable<CaseState['agreement']>): Decision {
  const { at } = ctx;
  const path = agreement.path;
  // A case that goes on (to confirmation) keeps legal aid's periods open; one that closes ends them.
  closeOpenDeadlines(state, ctx, 'met', path === 'court_post_filing' ? 'cancel' : 'keep');
  ctx.emit('AgreementEffective', {
    form: agreement.form,
    version: agreement.version,
    sha256: agreement.hash,
    effectiveAt: at,
    basis: agreement.form === 'oral' ? '人民调解法第三十条' : EFFECT_RULES[path].basis,
  });
  if (path === 'court_pre_filing') {
    // The agreement is filed with the delegating court (特邀调解规定 Art 19).
    ctx.emit('AgreementFiledWithCourt', {
      agreementVersion: agreement.version,
      sha256: agreement.hash,
      basis: '特邀调解规定第十九条',
    });
    ctx.effects.push({
      kind: 'report_to_court',
      message: 'agreement_filed',
      payload: { agreementVersion: agreement.version, sha256: agreement.hash, basis: '特邀调解规定第十九条' },
    });
  }
  if (path === 'court_post_filing') {
    // The court issues a 调解书 or allows withdrawal (特邀调解规定 Art 20).
    ctx.emit('ReturnedToCourt', {
      agreementVersion: agreement.version,
      purpose: '出具调解书或准许撤诉',
      basis: EFFECT_RULES.court_post_filing.basis,
    });
    ctx.effects.push({
      kind: 'report_to_court',
      message: 'agreement_for_court_document',
      payload: {
        agreementVersion: agreement.version,
        sha256: agreement.hash,
        basis: EFFECT_RULES.court_post_filing.basis,
      },
    });
    return ctx.done(state, {
      status: 'RETURNED_TO_COURT',
      agreement: { ...agreement, effectiveAt: at },
      termination: { reason: 'agreement_reached', returnedToCourt: true },
      closedAt: at,
    });
  }
  // The effective time starts the 30-day window for judicial confirmation (民事诉讼法 Art 205).
  if (state.screening.judicialConfirmation.possible)
    ctx.effects.push({ kind: 'start_deadline', ruleId: 'judicial_confirmation_application', startedAt: at });
  // The committee follows performance (人民调解法 Art 31): dated terms become instalments with reminders.
  if ((agreement.schedule ?? []).some((t) => t.dueDate)) ctx.effects.push({ kind: 'schedule_performance' });
  return ctx.done(state, {
    status: 'AGREEMENT_EFFECTIVE',
    agreement: { ...agreement, effectiveAt: at },
    termination: { reason: 'agreement_reached', returnedToCourt: false },
    performance: { instalments: [], followUps: 0, defaulted: false },
  });
}

export const saveDraft: Handler<'save_draft'> = (state, command, _now, ctx) => {
  if (command.version !== (state.agreement?.version ?? 0) + 1)
    return refuse('wrong_state', 'stale_draft', `the next draft is version ${(state.agreement?.version ?? 0) + 1}`);
  const problem = command.content && agreementContentProblem(state, command.content, 'written');
  if (problem) return { ok: false, refusal: problem };
  const commitment = command.content?.notarization
    ? { enforcementCommitment: { debtorPartyIds: command.content.notarization.debtorPartyIds } }
    : {};
  ctx.emit('AgreementDrafted', {
    version: command.version,
    sha256: command.hash,
    ...(commitment.enforcementCommitment ? { notarizationPlanned: commitment.enforcementCommitment } : {}),
  });
  const path = effectPathOf(state);
  // A new draft starts a new round of signatures.
  return ctx.done(state, {
    status: 'AGREEMENT_DRAFTING',
    agreement: {
      form: 'written',
      version: command.version,
      hash: command.hash,
      path,
      signatures: [],
      ...(command.schedule ? { schedule: command.schedule } : {}),
      ...commitment,
    },
  });
};

export const circulateForSignature: Handler<'circulate_for_signature'> = (state, _command, _now, ctx) => {
  if (!state.agreement) return refuse('wrong_state', 'no_draft', 'save a draft first');
  ctx.emit('AgreementCirculated', { version: state.agreement.version, sha256: state.agreement.hash });
  ctx.effects.push({ kind: 'render_document', document: 'agreement', version: state.agreement.version });
  return ctx.done(state, { status: 'PENDING_SIGNATURE' });
};

/** Who may record a party's signature, and how (the mediator and the seal are checked in `sign`). */
function partySignatureRefusal(state: CaseState, command: Parameters<Handler<'sign'>>[1]): Decision | undefined {
  const signer = command.signer;
  if (!isParty(state, signer, PRINCIPAL_ROLES))
    return refuse('wrong_state', 'unknown_signer', 'the signer is not a party to this case');
  if (!actsFor(state, command.actor, signer))
    return refuse('forbidden', 'not_your_party', 'a party signs only for themselves');
  if (command.actor.role === 'mediator')
    return refuse('forbidden', 'party_signature', 'a party signs, or a clerk records a wet-ink signature');
  // An electronic signature is the signer's own act (电子签名法 Art 13): staff record only wet ink, seals and fingerprints.
  if (command.method === 'electronic' && command.actor.role !== 'party')
    return refuse(
      'forbidden',
      'electronic_signature_by_party',
      'only the party signs electronically; staff record a handwritten signature, seal or fingerprint',
    );
  // Family and inheritance agreements are signed in ink, and the clerk keeps the scan (电子签名法 Art 3).
  if (ELECTRONIC_SIGNATURE_EXCLUSION.disputeTypes.includes(state.disputeType) && !command.beforeWetInkRule) {
    if (command.method === 'electronic')
      return rule(
        'electronic_signature_excluded',
        'an agreement on a family or inheritance matter is signed by hand, seal or fingerprint, not electronically',
        ELECTRONIC_SIGNATURE_EXCLUSION.basis,
      );
    if (!command.scanMaterialId)
      return rule(
        'signature_scan_required',
        'upload the scan of the signed page first and name it (scanMaterialId) when recording this signature',
        ELECTRONIC_SIGNATURE_EXCLUSION.basis,
      );
  }
  return undefined;
}

export const sign: Handler<'sign'> = (state, command, _now, ctx) => {
  const a = state.agreement!;
  if (command.draftVersion !== a.version)
    return refuse('wrong_state', 'stale_draft', `the agreement to sign is version ${a.version}`);
  const signer = command.signer;
  if (signer === 'mediator') {
    if (command.actor.role !== 'mediator')
      return refuse('forbidden', 'mediator_signs_himself', 'only the mediator signs as mediator');
  } else if (signer === 'organization_seal') {
    if (command.actor.role !== 'clerk')
      return refuse('forbidden', 'seal_by_clerk', 'the organization seal is applied by a clerk');
  } else {
    const refused = partySignatureRefusal(state, command);
    if (refused) return refused;
  }
  if (command.scanMaterialId && !state.materials?.includes(command.scanMaterialId))
    return refuse('wrong_state', 'unknown_material', 'the scan must be a file received for this case');
  if (a.signatures.includes(signer))
    return refuse('wrong_state', 'already_signed', 'this signature is already recorded');
  const signatures = [...a.signatures, signer];
  ctx.emit('AgreementSigned', {
    signer,
    method: command.method,
    version: a.version,
    sha256: a.hash,
    ...(command.scanMaterialId ? { scan: { materialId: command.scanMaterialId } } : {}),
  });
  const needs = EFFECT_RULES[a.path].needs;
  const complete =
    (!needs.includes('parties') || principalParties(state).every((p) => signatures.includes(p.partyId))) &&
    (!(needs as readonly string[]).includes('mediator') || signatures.includes('mediator')) &&
    (!(needs as readonly string[]).includes('organization_seal') || signatures.includes('organization_seal'));
  if (!complete) return ctx.done(state, { agreement: { ...a, signatures } });
  return effective(state, ctx, { ...a, signatures });
};

export const refuseToSign: Handler<'refuse_to_sign'> = (state, command, _now, ctx) => {
  if (!isParty(state, command.partyId, PRINCIPAL_ROLES))
    return refuse('wrong_state', 'unknown_party', 'no such party in this case');
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party may only refuse for themselves');
  // 在线调解规则 Art 25(7): a party refusing to sign ends the mediation.
  // The party is named by reference; the notice names them by role and masked name.
  const refuser = PARTY_ROLE_LABELS[state.parties.find((p) => p.partyId === command.partyId)!.role];
  const whyFailed = `${refuser}拒绝在调解协议上签章（人民法院在线调解规则第二十五条第（七）项）`;
  return terminateMediation(
    state,
    ctx,
    'party_refuses_to_sign',
    command.note,
    { whyFailed },
    { partyId: command.partyId },
  );
};

export const recordOralAgreement: Handler<'record_oral_agreement'> = (state, command, _now, ctx) => {
  // Only people's mediation knows oral agreements (人民调解法 Art 28); a court case and a labour
  // dispute need a written agreement (特邀调解规定 Arts 20, 24; 劳动争议调解仲裁法 Art 14).
  const path = effectPathOf(state);
  if (path !== 'peoples_mediation') {
    return rule(
      'written_agreement_required',
      path === 'labour_mediation'
        ? 'a labour dispute settles by a written agreement'
        : 'a court-delegated case needs a written, signed agreement',
      EFFECT_RULES[path].basis,
    );
  }
  const problem = command.content && agreementContentProblem(state, command.content, 'oral');
  if (problem) return { ok: false, refusal: problem };
  // An oral agreement takes effect the day it is reached; the mediator records it (人民调解法 Arts 28, 30).
  return effective(state, ctx, {
    form: 'oral',
    version: command.version,
    hash: command.hash,
    path: effectPathOf(state),
    signatures: [],
    ...(command.schedule ? { schedule: command.schedule } : {}),
  });
};
