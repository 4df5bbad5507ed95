/**
 * Files for the case, the body as it is (PDF, JPEG or PNG): the delegating court's 委派/委托 file, or what a
 * party handed in at the desk. Kept once per case and content; the case's chain records each by hash.
 */
import type { Request, Response } from 'express';
import { actorOf, ownMaterialsOnly } from '../../../domain/access-policy.js';
import { caseMaterial, caseMaterials, discardUnrecordedMaterial, storeMaterial } from '../../../db/case-materials.js';
import { recordMaterialDownload } from '../../../db/download-log.js';
import { redactForReplay } from '../../idempotency.js';
import { Problem, parseOrThrow, problems } from '../../problem.js';
import { MATERIAL_MEDIA_TYPES, materialQuery } from '../../schemas.js';
import { UUID, type CasesDeps, type LoadedCase } from './context.js';
import { attachment } from './documents.js';
import { askCase } from './workflow-calls.js';

/** The file in the body, if it is what its Content-Type says. */
function uploadedFile(req: Request): { mediaType: string; bytes: Buffer } {
  const mediaType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const accepted = MATERIAL_MEDIA_TYPES[mediaType];
  if (!accepted)
    throw problems.unsupportedMediaType(
      `send the file itself as ${Object.keys(MATERIAL_MEDIA_TYPES).join(', ')} (Content-Type), with kind and title in the query`,
    );
  const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (bytes.length === 0) throw problems.validation([{ field: '(body)', message: 'is empty: send the file' }]);
  if (!accepted.magic.every((b, i) => bytes[i] === b))
    throw problems.validation([{ field: '(body)', message: `is not ${accepted.label}, as its Content-Type says` }]);
  return { mediaType, bytes };
}

/** POST …/materials: 201 when kept now, 200 when the same file was already kept. */
export async function recordMaterial(
  deps: CasesDeps,
  req: Request,
  res: Response,
  { caseId, principal }: LoadedCase,
): Promise<void> {
  const { kind, title } = parseOrThrow(materialQuery, req.query);
  const file = uploadedFile(req);
  const {
    material,
    title: keptTitle,
    stored,
  } = await storeMaterial(deps.db, deps.cipher, { caseId, kind, title, ...file, uploadedBy: principal });
  let snapshot;
  try {
    snapshot = await askCase(deps, req, caseId, principal, {
      type: 'record_material',
      actor: actorOf(principal),
      material,
    });
  } catch (err) {
    // Refused by the case (closed, say): nothing is kept that the chain does not record. Any other failure
    // (an outage, a timeout) may come after the case recorded it, so the file stays for the retry.
    const refused = err instanceof Problem && [403, 409, 422].includes(err.status);
    if (refused && stored) await discardUnrecordedMaterial(deps.db, caseId, material.materialId);
    throw err;
  }
  // A replay of this answer (same Idempotency-Key) leaves out the title, which may name a person.
  redactForReplay(res, (b) => ({
    ...(b as { material: object }),
    material: { ...(b as { material: object }).material, title: undefined },
  }));
  const download = `/cases/${caseId}/materials/${material.materialId}`;
  res.status(stored ? 201 : 200).location(download);
  res.json({ material: { ...material, title: keptTitle, download }, status: snapshot?.status });
}

/** GET …/materials: those this principal may read (some roles only their own). */
export async function listMaterials(deps: CasesDeps, res: Response, { caseId, principal }: LoadedCase): Promise<void> {
  const materials = await caseMaterials(deps.db, deps.cipher, caseId, ownMaterialsOnly(principal));
  res.json({ materials: materials.map((m) => ({ ...m, download: `/cases/${caseId}/materials/${m.materialId}` })) });
}

/** GET …/materials/:id: the file as received; the download is recorded. */
export async function downloadMaterial(
  deps: CasesDeps,
  req: Request,
  res: Response,
  { caseId, principal }: LoadedCase,
): Promise<void> {
  const id = String(req.params.materialId);
  const file = UUID.test(id)
    ? await caseMaterial(deps.db, deps.cipher, { caseId, materialId: id, uploadedBy: ownMaterialsOnly(principal) })
    : undefined;
  if (!file) throw problems.notFound('The material');
  await recordMaterialDownload(deps.db, id, principal);
  const ext = file.mediaType === 'application/pdf' ? 'pdf' : file.mediaType === 'image/png' ? 'png' : 'jpg';
  res.setHeader('Content-Type', file.mediaType);
  res.setHeader('Content-Disposition', attachment(`${file.kind}.${ext}`, `${file.title}.${ext}`));
  res.setHeader('ETag', `"${file.sha256}"`);
  res.send(file.bytes);
}
