/**
 * Files received for a case (a court's 委派/委托 file, what a party handed in at the desk): bytes and title kept
 * here, the title sealed (it may name a person); the case's chain records each by id, kind and SHA-256.
 * Functions take `db: Knex | Knex.Transaction` and return plain objects.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { MaterialKind } from '../domain/case-rules.js';
import type { FieldCipher } from '../infra/crypto.js';
import { nameBasedId } from '../identity/name-based-ids.js';

type Tx = Knex | Knex.Transaction;

/** What the case's chain records of a material. */
export type MaterialRef = {
  materialId: string;
  kind: MaterialKind;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
};

export type MaterialListing = {
  materialId: string;
  kind: string;
  title: string;
  mediaType: string;
  sha256: string;
  sizeBytes: number;
  uploadedBy: string;
  uploadedAt: string;
};

export type MaterialFile = {
  materialId: string;
  kind: string;
  title: string;
  mediaType: string;
  sha256: string;
  bytes: Buffer;
};

/**
 * Keeps a file once per case and content: the id comes from the case and the content, so an upload retried
 * after any failure names the same material. `stored` says whether this call kept it (false: it was there).
 */
export async function storeMaterial(
  db: Tx,
  cipher: FieldCipher,
  input: {
    caseId: string;
    kind: MaterialKind;
    title: string;
    mediaType: string;
    bytes: Buffer;
    uploadedBy: { id: string; role: string };
  },
): Promise<{ material: MaterialRef; title: string; stored: boolean }> {
  const { caseId, bytes } = input;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const inserted = await db('case_materials')
    .insert({
      material_id: nameBasedId(`${caseId}/material/${sha256}`),
      case_id: caseId,
      kind: input.kind,
      title_enc: cipher.encrypt(input.title),
      media_type: input.mediaType,
      sha256,
      size_bytes: bytes.length,
      bytes,
      uploaded_by: input.uploadedBy.id,
      uploaded_role: input.uploadedBy.role,
    })
    .onConflict(['case_id', 'sha256'])
    .ignore()
    .returning('material_id');
  const row = await db('case_materials')
    .where({ case_id: caseId, sha256 })
    .first('material_id', 'kind', 'media_type', 'size_bytes', 'title_enc');
  const material = {
    materialId: row!.material_id as string,
    kind: row!.kind as MaterialKind,
    sha256,
    sizeBytes: row!.size_bytes as number,
    mediaType: row!.media_type as string,
  };
  return { material, title: cipher.decrypt(row!.title_enc as string), stored: inserted.length > 0 };
}

/** Removes a material the case's chain has not recorded (the case refused it); one it recorded stays. */
export async function discardUnrecordedMaterial(db: Tx, caseId: string, materialId: string): Promise<void> {
  const recorded = await db('case_events')
    .where({ case_id: caseId, type: 'MaterialReceived' })
    .whereRaw("payload->>'materialId' = ?", [materialId])
    .first('seq');
  if (!recorded) await db('case_materials').where({ material_id: materialId }).delete();
}

/** The case's materials in the order received; with `uploadedBy`, only those that person sent. */
export async function caseMaterials(
  db: Tx,
  cipher: FieldCipher,
  caseId: string,
  uploadedBy?: string,
): Promise<MaterialListing[]> {
  const rows = await db('case_materials')
    .where({ case_id: caseId, ...(uploadedBy ? { uploaded_by: uploadedBy } : {}) })
    .orderBy('uploaded_at')
    .select('material_id', 'kind', 'title_enc', 'media_type', 'sha256', 'size_bytes', 'uploaded_role', 'uploaded_at');
  return rows.map((r) => ({
    materialId: r.material_id,
    kind: r.kind,
    title: cipher.decrypt(r.title_enc),
    mediaType: r.media_type,
    sha256: r.sha256,
    sizeBytes: r.size_bytes,
    uploadedBy: r.uploaded_role,
    uploadedAt: (r.uploaded_at as Date).toISOString(),
  }));
}

/**
 * One material of the case with its bytes (with `uploadedBy`, only if that person sent it), or undefined.
 * Bytes that no longer match their SHA-256 are an error, never served.
 */
export async function caseMaterial(
  db: Tx,
  cipher: FieldCipher,
  input: { caseId: string; materialId: string; uploadedBy?: string | undefined },
): Promise<MaterialFile | undefined> {
  const row = await db('case_materials')
    .where({
      case_id: input.caseId,
      material_id: input.materialId,
      ...(input.uploadedBy ? { uploaded_by: input.uploadedBy } : {}),
    })
    .first();
  if (!row) return undefined;
  if (
    createHash('sha256')
      .update(row.bytes as Buffer)
      .digest('hex') !== row.sha256
  )
    throw new Error(`material ${input.materialId}: stored bytes do not match their SHA-256`);
  return {
    materialId: row.material_id,
    kind: row.kind,
    title: cipher.decrypt(row.title_enc as string),
    mediaType: row.media_type,
    sha256: row.sha256,
    bytes: row.bytes as Buffer,
  };
}
