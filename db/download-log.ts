/** Who downloaded which document or material of a case, and when (the database stamps the time). */
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;
type Reader = { id: string; role: string };

export async function recordDocumentDownload(db: Tx, documentId: string, reader: Reader): Promise<void> {
  await db('document_downloads').insert({ document_id: documentId, principal: reader.id, role: reader.role });
}

export async function recordMaterialDownload(db: Tx, materialId: string, reader: Reader): Promise<void> {
  await db('material_downloads').insert({ material_id: materialId, principal: reader.id, role: reader.role });
}
