/**
 * Renders and stores a case's document once per version: the view is built from the case record by the
 * builder of its kind, one per row of domain/documents.ts (a kind without a builder does not compile).
 */
import { createHash } from 'node:crypto';
import type { DocumentMeta } from '../../db/documents.js';
import type { DocumentKind } from '../../domain/documents.js';
import { agreement, type AgreementRequest } from './agreement.js';
import { archiveSummary, type ArchiveSummaryRequest } from './archive.js';
import {
  failureReport,
  securingApplication,
  type FailureReportRequest,
  type SecuringApplicationRequest,
} from './court.js';
import {
  intakeRefusalNotice,
  legalAidRefusalNotice,
  rightsNotice,
  terminationNotice,
  type IntakeRefusalRequest,
  type LegalAidRefusalRequest,
  type RightsNoticeRequest,
  type TerminationNoticeRequest,
} from './notices.js';
import { documentSource, type DocumentDeps, type DocumentSource, type Rendered } from './source.js';

export type { DocumentDeps } from './source.js';

/** What a workflow asks for: the kind, the case and version, and the facts the record does not hold. */
export type DocumentRequest =
  | AgreementRequest
  | TerminationNoticeRequest
  | IntakeRefusalRequest
  | LegalAidRefusalRequest
  | FailureReportRequest
  | RightsNoticeRequest
  | ArchiveSummaryRequest
  | SecuringApplicationRequest;

type Builder<K extends DocumentKind> = (
  deps: DocumentDeps,
  source: DocumentSource,
  req: Extract<DocumentRequest, { kind: K }>,
) => Promise<Rendered>;

/** Each kind's builder: its view from the record, rendered with its template. */
const BUILDERS: { [K in DocumentKind]: Builder<K> } = {
  agreement,
  termination_notice: terminationNotice,
  not_accepted_notice: intakeRefusalNotice,
  counterparty_notice: intakeRefusalNotice,
  legal_aid_refusal: legalAidRefusalNotice,
  failure_report: failureReport,
  rights_notice: rightsNotice,
  archive_summary: archiveSummary,
  judicial_confirmation_application: securingApplication,
  notarization_request: securingApplication,
};

export async function renderCaseDocument(deps: DocumentDeps, req: DocumentRequest): Promise<DocumentMeta> {
  const existing = await deps.documents.find(req.caseId, req.kind, req.docVersion);
  if (existing) return existing;
  const source = await documentSource(deps, req);
  const build = BUILDERS[req.kind] as Builder<DocumentKind>;
  const { template, bytes, title } = await build(deps, source, req as never);
  return deps.documents.put(
    {
      caseId: req.caseId,
      kind: req.kind,
      docVersion: req.docVersion,
      templateId: template.id,
      templateVersion: template.version,
      title: title ?? template.title(undefined as never),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      verificationCode: source.ctx.verificationCode,
      sizeBytes: bytes.length,
      createdAt: req.createdAt,
    },
    bytes,
  );
}
