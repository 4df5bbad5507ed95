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
import { renderPdf, type Template } from '../templates/render.js';
import { terminationNoticeTemplate } from '../templates/termination-notice.js';
import { failureReportTemplate } from '../templates/court-documents.js';
import { rightsNoticeTemplate } from '../templates/party-documents.js';

export type DocumentRequest =
  | { kind: 'agreement'; caseId: string; docVersion: number; createdAt: string; path: EffectPath; judicialConfirmationPossible: boolean; notarizationPlanned: boolean; mediatorId: string }
  | { kind: 'termination_notice'; caseId: string; docVersion: number; createdAt: string; reasonLabel: string; note?: string | undefined; returnedToCourt: boolean }
  | { kind: 'failure_report'; caseId: string; docVersion: number; createdAt: string; failureReport: FailureReport; mediatorId: string }
  | { kind: 'rights_notice'; caseId: string; docVersion: number; createdAt: string };

export type DocumentDeps = { db: Knex; cipher: FieldCipher; documents: DocumentStore; signingKey: Buffer; publicBaseUrl: string };

const ROLE_LABELS: Record<string, string> = { applicant: '申请人', respondent: '被申请人', third_party: '第三人' };

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
    bytes = await renderPdf(agreementTemplate, view, ctx);
  } else if (req.kind === 'termination_notice') {
    const view = { caseNumber: c.case_number, organizationName: org?.name ?? '', partyNames: principals.map(nameOf), reasonLabel: req.reasonLabel, note: req.note, returnedToCourt: req.returnedToCourt, date };
    template = terminationNoticeTemplate as Template<never>;
    bytes = await renderPdf(terminationNoticeTemplate, view, ctx);
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
    bytes = await renderPdf(failureReportTemplate, view, ctx);
  } else {
    const view = { caseNumber: c.case_number, organizationName: org?.name ?? '', partyName: principals.map(nameOf).join('、'), date };
    template = rightsNoticeTemplate as Template<never>;
    bytes = await renderPdf(rightsNoticeTemplate, view, ctx);
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
