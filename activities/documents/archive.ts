/** The archive file's cover and contents (docs/documents.md#the-archive-file). */
import { eventPayloads, eventTypesOf, staffDisplayName } from '../../db/document-sources.js';
import { chinaDateOf } from '../../domain/calendar.js';
import { archiveSummaryTemplate } from '../../templates/party-documents.js';
import { AGREEMENT_FORMS, CLAUSE_SETS } from '../../templates/agreement.js';
import { renderedWith, type DocumentDeps, type DocumentSource, type Rendered, type RequestBase } from './source.js';

export type ArchiveSummaryRequest = RequestBase & { kind: 'archive_summary'; mediatorId: string; outcome: string };

const CHANNEL_LABELS: Record<string, string> = {
  walk_in: '当事人申请（现场）',
  phone: '当事人申请（电话）',
  online: '当事人申请（网上）',
  court_pre_filing: '人民法院委派',
  court_post_filing: '人民法院委托',
  referral: '有关机关移送',
};

export async function archiveSummary(
  deps: DocumentDeps,
  s: DocumentSource,
  req: ArchiveSummaryRequest,
): Promise<Rendered> {
  const { c } = s;
  const mediatorName = req.mediatorId ? await staffDisplayName(deps.db, req.mediatorId) : undefined;
  const view = {
    caseNumber: c.caseNumber,
    organizationName: s.org?.name ?? '',
    disputeTypeLabel: (CLAUSE_SETS[c.disputeType] ?? CLAUSE_SETS.general_civil!).label,
    channelLabel: CHANNEL_LABELS[c.channel] ?? c.channel,
    parties: s.principals.map(s.nameOf),
    mediatorName: mediatorName ?? '',
    receivedOn: chinaDateOf(c.receivedAt.toISOString()),
    closedOn: s.date,
    outcome: req.outcome,
    retention: '按本组织档案管理规定',
    compiledBy: s.org?.name ?? '',
    contents: await archiveContents(deps, s, req.caseId),
    mediationKind: s.kind,
  };
  return renderedWith(deps, archiveSummaryTemplate, view, s.ctx);
}

/** The file's contents (docs/documents.md#the-archive-file), each marked present from what the record holds, named as the kind of mediation names them. */
async function archiveContents(deps: DocumentDeps, s: DocumentSource, caseId: string) {
  const kinds = new Set((await deps.documents.list(caseId)).map((d) => d.kind));
  const seen = new Set(await eventTypesOf(deps.db, caseId));
  const reps = s.parties.filter((p) => p.representsPartyId);
  // Files as the chain recorded them (an upload the case refused is never in it).
  const materials = new Set(
    (await eventPayloads(deps.db, caseId, 'MaterialReceived')).map((e) => (e as { kind: string }).kind),
  );
  const peoples = s.kind === 'peoples';
  return [
    { item: `${peoples ? '人民调解' : '调解'}申请书或受理登记表`, present: true, required: true },
    { item: '当事人权利义务告知书', present: kinds.has('rights_notice'), required: true },
    { item: '当事人身份证明', present: s.principals.every((p) => p.idNumberEnc || p.creditCode), required: true },
    { item: '授权委托书', present: reps.some((r) => r.role === 'agent'), required: false },
    ...(s.c.courtInstitutionId
      ? [
          {
            item: '法院委派（委托）调解函及移送材料',
            present: materials.has('court_letter') || materials.has('complaint'),
            required: true,
          },
        ]
      : []),
    { item: '证据材料', present: materials.has('evidence'), required: false },
    { item: `${peoples ? '人民调解' : '调解'}记录`, present: seen.has('SessionRecorded'), required: true },
    {
      item: AGREEMENT_FORMS[s.kind].title,
      present: kinds.has('agreement') || seen.has('AgreementEffective'),
      required: true,
    },
    { item: '履行凭证', present: seen.has('PaymentConfirmed'), required: false },
    { item: '回访记录', present: seen.has('FollowUpRecorded'), required: false },
    { item: '司法确认有关材料', present: kinds.has('judicial_confirmation_application'), required: false },
    { item: '公证有关材料', present: kinds.has('notarization_request'), required: false },
    { item: '封底', present: true, required: true },
  ];
}
