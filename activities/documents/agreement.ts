/** 调解协议书: the stored draft's text with the parties, their representatives and the notices its type prints. */
import { staffDisplayName } from '../../db/document-sources.js';
import { storedDraftContent } from '../../db/stored-drafts.js';
import {
  COURT_CHANNELS,
  DISPUTE_TYPES,
  type IntakeChannel,
  type DisputeType,
  type EffectPath,
} from '../../domain/case.js';
import { agreementTemplate, type AgreementParty } from '../../templates/agreement.js';
import type { Template } from '../../templates/render.js';
import { type DocumentDeps, type DocumentSource, type Rendered, type RequestBase } from './source.js';

export type AgreementRequest = RequestBase & {
  kind: 'agreement';
  path: EffectPath;
  judicialConfirmationPossible: boolean;
  notarizationPlanned: boolean;
  mediatorId: string;
};

export async function agreement(deps: DocumentDeps, s: DocumentSource, req: AgreementRequest): Promise<Rendered> {
  const { c, parties, roleOf, nameOf } = s;
  const content = await storedDraftContent(deps.db, req.caseId, req.docVersion);
  if (!content) throw new Error(`case ${req.caseId} has no draft version ${req.docVersion}`);
  const mediatorName = await staffDisplayName(deps.db, req.mediatorId);
  const view = {
    caseNumber: c.caseNumber,
    organizationName: s.org?.name ?? '',
    organizationKind: s.org?.kind ?? null,
    courtName: COURT_CHANNELS.includes(c.channel as IntakeChannel) ? await s.delegatingCourt() : null,
    disputeType: (DISPUTE_TYPES as readonly string[]).includes(c.disputeType)
      ? (c.disputeType as DisputeType)
      : 'general_civil',
    path: req.path,
    parties: s.principals.map((p): AgreementParty => {
      const rep = parties.find((r) => r.representsPartyId === p.partyId);
      return {
        ...s.details(p, roleOf(p)),
        representative: rep ? { label: roleOf(rep), name: nameOf(rep), idNumber: s.open(rep.idNumberEnc) } : null,
      };
    }),
    facts: content.facts,
    terms: content.terms,
    performance: content.performance,
    mediatorName: mediatorName ?? '',
    notarizationPlanned: req.notarizationPlanned,
    // The debtors the draft named (drafts stored before name none: the commitment then says 债务人).
    enforcementDebtors: (content.notarization?.debtorPartyIds ?? [])
      .map((id) => parties.find((p) => p.partyId === id))
      .filter((p) => p !== undefined)
      .map(nameOf),
    judicialConfirmationPossible: req.judicialConfirmationPossible,
    date: s.date,
    draftVersion: req.docVersion,
  };
  return {
    template: agreementTemplate as Template<never>,
    title: agreementTemplate.title(view),
    bytes: await deps.render(agreementTemplate, view, s.ctx),
  };
}
