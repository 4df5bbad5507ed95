/** The case's documents (every version) and the agreement's drafts, for those who may read them. */
import { create as createContentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';
import { documentVisible, screeningVisibility } from '../../../domain/access-policy.js';
import { recordedAgreementDrafts } from '../../../db/agreement-drafts.js';
import { caseNumberOf, legalAidApplicantOf } from '../../../db/cases.js';
import { recordDocumentDownload } from '../../../db/download-log.js';
import { problems } from '../../problem.js';
import { UUID, recordDenied, type CasesDeps, type LoadedCase } from './context.js';

/** How much of legal aid this principal sees on the case: decides which documents they may read. */
async function documentVisibility(deps: CasesDeps, { caseId, access, principal }: LoadedCase) {
  return screeningVisibility(principal, access, await legalAidApplicantOf(deps.db, caseId));
}

/** The case's documents (every version), for those who may download them. */
export async function listDocuments(deps: CasesDeps, res: Response, loaded: LoadedCase): Promise<void> {
  const visible = await documentVisibility(deps, loaded);
  const docs = (await deps.documents.list(loaded.caseId)).filter((d) => documentVisible(visible, d.kind));
  res.json({ documents: docs.map((d) => ({ ...d, download: `/cases/${loaded.caseId}/documents/${d.documentId}` })) });
}

/** The agreement's recorded versions with their content, for those who may read the agreement itself. */
export async function listAgreementDrafts(deps: CasesDeps, res: Response, loaded: LoadedCase): Promise<void> {
  if (!documentVisible(await documentVisibility(deps, loaded), 'agreement')) throw problems.notFound('The agreement');
  res.json({ drafts: await recordedAgreementDrafts(deps.db, loaded.caseId) });
}

/** One document's bytes, named for the case; the download is recorded. */
export async function downloadDocument(
  deps: CasesDeps,
  req: Request,
  res: Response,
  loaded: LoadedCase,
): Promise<void> {
  const { caseId, principal } = loaded;
  const id = String(req.params.documentId);
  const doc = UUID.test(id) ? await deps.documents.get(id) : undefined;
  if (!doc || doc.meta.caseId !== caseId) throw problems.notFound('The document');
  // A document this principal may not read is as absent as a foreign one (no hint that it exists).
  if (!documentVisible(await documentVisibility(deps, loaded), doc.meta.kind)) {
    await recordDenied(deps, req, principal, caseId, 'document_not_visible');
    throw problems.notFound('The document');
  }
  await recordDocumentDownload(deps.db, id, principal);
  const fileName = `${doc.meta.title}${(await caseNumberOf(deps.db, caseId)) ?? ''}-第${doc.meta.docVersion}版.pdf`;
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', attachment(`${doc.meta.kind}-v${doc.meta.docVersion}.pdf`, fileName));
  res.setHeader('ETag', `"${doc.meta.sha256}"`);
  res.setHeader('X-Document-SHA256', doc.meta.sha256);
  res.send(doc.bytes);
}

/**
 * RFC 6266 (through `content-disposition`): the real name as an RFC 5987 ext-value (percent-encoded UTF-8),
 * and an ASCII name for clients that read only `filename`, since a Chinese title has no ISO-8859-1 form.
 */
export function attachment(asciiFallback: string, name: string): string {
  return createContentDisposition(name, { type: 'attachment', fallback: asciiFallback });
}
