/**
 * Builds a document's view from the case record (personal data decrypted here, in the activity, never in
 * workflow history) and renders and stores it once per version.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { DISPUTE_TYPES, type DisputeType, type EffectPath } from '../domain/case.js';
import type { AgreementContent, FailureReport } from '../domain/case-rules.js';
import { chinaDateOf } from '../domain/calendar.js';
import { verificationCode, type DocumentMeta, type DocumentStore } from '../db/documents.js';
import type { FieldCipher } from '../infra/crypto.js';
import { agreementTemplate, type AgreementParty } from '../templates/agreement.js';
import type { Template } from '../templates/render.js';
import type { Render } from '../templates/render-pool.js';
import { terminationNoticeTemplate } from '../templates/termination-notice.js';
import { failureReportTemplate } from '../templates/court-documents.js';
import type { PartyLine } from '../templates/common.js';
import { archiveSummaryTemplate, notarizationRequestTemplate, rightsNoticeTemplate } from '../templates/party-documents.js';
import { judicialConfirmationApplicationTemplate } from '../templates/court-documents.js';
import { CLAUSE_SETS } from '../templates/agreement.js';

export type DocumentRequest =
  | { kind: 'agreement'; caseId: string; docVersion: number; createdAt: string; path: EffectPath; judicialConfirmationPossible: boolean; notarizationPlanned: boolean; mediatorId: string }
  | { kind: 'termination_notice'; caseId: string; docVersion: number; createdAt: string; reasonLabel: string; note?: string | undefined; returnedToCourt: boolean }
  | { kind: 'failure_report'; caseId: string; docVersion: number; createdAt: string; failureReport: FailureReport; mediatorId: string }
  | { kind: 'rights_notice'; caseId: string; docVersion: number; createdAt: string }
  | { kind: 'archive_summary'; caseId: string; docVersion: number; createdAt: string; mediatorId: string; outcome: string }
  | { kind: 'judicial_confirmation_application'; caseId: string; docVersion: number; createdAt: string; courtName: string; agreementVersion: number }
  | {
      kind: 'notarization_request';
      caseId: string;
      docVersion: number;
      createdAt: string;
      notaryName: string;
      creditorPartyId: string;
      debtorPartyId: string;
      agreementVersion: number;
    };

export type DocumentDeps = { db: Knex; cipher: FieldCipher; documents: DocumentStore; signingKey: Buffer; publicBaseUrl: string; render: Render };

const ROLE_LABELS: Record<string, string> = { applicant: '申请人', respondent: '被申请人', third_party: '第三人' };
const CHANNEL_LABELS: Record<string, string> = {
  walk_in: '当事人申请（现场）',
  phone: '当事人申请（电话）',
  online: '当事人申请（网上）',
  court_pre_filing: '人民法院委派',
  court_post_filing: '人民法院委托',
  referral: '有关机关移送',
};

export async function renderCaseDocument(deps: DocumentDeps, req: DocumentRequest): Promise<DocumentMeta> {
  const existing = await deps.documents.find(req.caseId, req.kind, req.docVersion);
  if (existing) return existing;
  const { db, cipher } = deps;
  const c = await db('cases').where({ case_id: req.caseId }).first();
  if (!c) throw new Error(`case ${req.caseId} has no record`);
  const org = await db('organizations').where({ org_id: c.handling_org_id ?? c.intake_org_id ?? 'center' }).first('name');
  const parties = await db('case_parties').where({ case_id: req.caseId }).orderBy('position');
  const open = (sealed: string | null) => (sealed ? cipher.decrypt(sealed) : null);
  const nameOf = (p: (typeof parties)[number]) => (p.name_enc ? cipher.decrypt(p.name_enc) : p.name);
  const principals = parties.filter((p) => ROLE_LABELS[p.role]);
  const code = verificationCode(deps.signingKey, req);
  const ctx = { verificationCode: code, verifyUrl: `${deps.publicBaseUrl}/verify/${code}`, createdAt: req.createdAt };
  const date = chinaDateOf(req.createdAt);

  let template: Template<never>;
  let bytes: Buffer;
  if (req.kind === 'agreement') {
    const draft = await db('agreement_drafts').where({ case_id: req.caseId, version: req.docVersion }).first('content');
    if (!draft) throw new Error(`case ${req.caseId} has no draft version ${req.docVersion}`);
    const content = draft.content as AgreementContent;
    const mediator = await db('staff_accounts').where({ account_id: req.mediatorId }).first('display_name');
    const view = {
      caseNumber: c.case_number,
      organizationName: org?.name ?? '',
      disputeType: (DISPUTE_TYPES as readonly string[]).includes(c.dispute_type) ? (c.dispute_type as DisputeType) : 'general_civil',
      path: req.path,
      parties: principals.map((p): AgreementParty => {
        const rep = parties.find((r) => r.represents_party_id === p.party_id);
        return {
          roleLabel: ROLE_LABELS[p.role]!,
          kind: p.kind as 'natural' | 'legal',
          name: nameOf(p),
          idNumber: open(p.id_number_enc),
          creditCode: p.credit_code,
          address: open(p.address_enc),
          phone: open(p.phone_enc),
          representative: rep ? { label: rep.role === 'guardian' ? '法定代理人' : '委托代理人', name: nameOf(rep), idNumber: open(rep.id_number_enc) } : null,
        };
      }),
      facts: content.facts,
      terms: content.terms,
      performance: content.performance,
      mediatorName: mediator?.display_name ?? '',
      notarizationPlanned: req.notarizationPlanned,
      judicialConfirmationPossible: req.judicialConfirmationPossible,
      date,
      draftVersion: req.docVersion,
    };
    template = agreementTemplate as Template<never>;
    bytes = await deps.render(agreementTemplate, view, ctx);
  } else if (req.kind === 'termination_notice') {
    const view = { caseNumber: c.case_number, organizationName: org?.name ?? '', partyNames: principals.map(nameOf), reasonLabel: req.reasonLabel, note: req.note, returnedToCourt: req.returnedToCourt, date };
    template = terminationNoticeTemplate as Template<never>;
    bytes = await deps.render(terminationNoticeTemplate, view, ctx);
  } else if (req.kind === 'failure_report') {
    const court = c.court_institution_id ? await db('institutions').where({ institution_id: c.court_institution_id }).first('name') : undefined;
    const mediator = req.mediatorId ? await db('staff_accounts').where({ account_id: req.mediatorId }).first('display_name') : undefined;
    const courtInfo = (c.court ?? {}) as { courtCaseNumber?: string; letterNumber?: string };
    const view = {
      caseNumber: c.case_number,
      courtName: court?.name ?? '',
      courtCaseNumber: courtInfo.courtCaseNumber ?? null,
      letterNumber: courtInfo.letterNumber ?? null,
      organizationName: org?.name ?? '',
      parties: principals.map((p) => ({ roleLabel: ROLE_LABELS[p.role]!, name: nameOf(p), idNumber: open(p.id_number_enc), creditCode: p.credit_code, address: open(p.address_enc), phone: open(p.phone_enc) })),
      ...req.failureReport,
      costlyConduct: req.failureReport.costlyConduct ?? null,
      mediatorName: mediator?.display_name ?? '',
      date,
    };
    template = failureReportTemplate as Template<never>;
    bytes = await deps.render(failureReportTemplate, view, ctx);
  } else if (req.kind === 'judicial_confirmation_application' || req.kind === 'notarization_request') {
    const draft = await db('agreement_drafts').where({ case_id: req.caseId, version: req.agreementVersion }).first('content');
    if (!draft) throw new Error(`case ${req.caseId} has no agreement version ${req.agreementVersion}`);
    const content = draft.content as AgreementContent;
    const line = (p: (typeof parties)[number], roleLabel: string): PartyLine => ({ roleLabel, name: nameOf(p), idNumber: open(p.id_number_enc), creditCode: p.credit_code, address: open(p.address_enc), phone: open(p.phone_enc) });
    const common = { organizationName: org?.name ?? '', agreementCaseNumber: c.case_number, date };
    if (req.kind === 'judicial_confirmation_application') {
      const view = {
        ...common,
        courtName: req.courtName,
        // A joint application: every party appears as 申请人 (民事诉讼法 Art 205).
        applicants: principals.map((p) => line(p, '申请人')),
        agreementEffectiveDate: c.agreement_effective_at ? chinaDateOf(c.agreement_effective_at.toISOString()) : date,
        disputeSummary: c.summary,
        mainTerms: content.terms.map((t) => t.text),
      };
      template = judicialConfirmationApplicationTemplate as Template<never>;
      bytes = await deps.render(judicialConfirmationApplicationTemplate, view, ctx);
    } else {
      const creditor = parties.find((p) => p.party_id === req.creditorPartyId);
      const debtor = parties.find((p) => p.party_id === req.debtorPartyId);
      if (!creditor || !debtor) throw new Error(`case ${req.caseId}: creditor or debtor not found`);
      const view = {
        ...common,
        notaryOfficeName: req.notaryName,
        creditor: line(creditor, '债权人'),
        debtor: line(debtor, '债务人'),
        obligations: content.terms.filter((t) => t.amountFen !== undefined || t.dueDate !== undefined),
        // Both parties sign this form: a legal-aid fee reduction is asked for separately, not printed here.
        feeReductionRequested: false,
      };
      template = notarizationRequestTemplate as Template<never>;
      bytes = await deps.render(notarizationRequestTemplate, view, ctx);
    }
  } else if (req.kind === 'archive_summary') {
    const mediator = req.mediatorId ? await db('staff_accounts').where({ account_id: req.mediatorId }).first('display_name') : undefined;
    const kinds = new Set((await deps.documents.list(req.caseId)).map((d) => d.kind));
    const seen = new Set((await db('case_events').where({ case_id: req.caseId }).distinct('type')).map((e) => e.type as string));
    const reps = parties.filter((p) => p.represents_party_id);
    // Files as the chain recorded them (an upload the case refused is never in it).
    const materials = new Set((await db('case_events').where({ case_id: req.caseId, type: 'MaterialReceived' }).select('payload')).map((e) => (e.payload as { kind: string }).kind));
    // The file's contents (legal memo §8.2), each marked present from what the record holds.
    const contents = [
      { item: '人民调解申请书或受理登记表', present: true, required: true },
      { item: '当事人权利义务告知书', present: kinds.has('rights_notice'), required: true },
      { item: '当事人身份证明', present: principals.every((p) => p.id_number_enc || p.credit_code), required: true },
      { item: '授权委托书', present: reps.some((r) => r.role === 'agent'), required: false },
      ...(c.court_institution_id ? [{ item: '法院委派（委托）调解函及移送材料', present: materials.has('court_letter') || materials.has('complaint'), required: true }] : []),
      { item: '证据材料', present: materials.has('evidence'), required: false },
      { item: '人民调解记录', present: seen.has('SessionRecorded'), required: true },
      { item: '人民调解协议书', present: kinds.has('agreement') || seen.has('AgreementEffective'), required: true },
      { item: '履行凭证', present: seen.has('PaymentConfirmed'), required: false },
      { item: '回访记录', present: seen.has('FollowUpRecorded'), required: false },
      { item: '司法确认有关材料', present: kinds.has('judicial_confirmation_application'), required: false },
      { item: '公证有关材料', present: kinds.has('notarization_request'), required: false },
      { item: '封底', present: true, required: true },
    ];
    const view = {
      caseNumber: c.case_number,
      organizationName: org?.name ?? '',
      disputeTypeLabel: (CLAUSE_SETS[c.dispute_type] ?? CLAUSE_SETS.general_civil!).label,
      channelLabel: CHANNEL_LABELS[c.channel] ?? c.channel,
      parties: principals.map(nameOf),
      mediatorName: mediator?.display_name ?? '',
      receivedOn: chinaDateOf(c.received_at.toISOString()),
      closedOn: date,
      outcome: req.outcome,
      retention: '按本组织档案管理规定',
      compiledBy: org?.name ?? '',
      contents,
    };
    template = archiveSummaryTemplate as Template<never>;
    bytes = await deps.render(archiveSummaryTemplate, view, ctx);
  } else {
    const view = { caseNumber: c.case_number, organizationName: org?.name ?? '', partyName: principals.map(nameOf).join('、'), date };
    template = rightsNoticeTemplate as Template<never>;
    bytes = await deps.render(rightsNoticeTemplate, view, ctx);
  }
  return deps.documents.put(
    {
      caseId: req.caseId,
      kind: req.kind,
      docVersion: req.docVersion,
      templateId: template.id,
      templateVersion: template.version,
      title: template.title(undefined as never),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      verificationCode: code,
      sizeBytes: bytes.length,
      createdAt: req.createdAt,
    },
    bytes,
  );
}
