/**
 * Verifies one case's whole record: its hash-chained event log (db/event-chain.ts) and its documents.
 * Each stored document must be announced by a `DocumentGenerated` event of the case's chain carrying the
 * same document id, kind, version, SHA-256 and verification code, and its stored bytes must hash to that
 * SHA-256. The chain is what makes the documents trustworthy: a document row altered together with its
 * own hash no longer matches the event, and the event cannot be altered without breaking the chain.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { DocumentStore } from './documents.js';
import { verifyCaseChain } from './event-chain.js';

export type DocumentBreak = { documentId: string; why: string };

export type DocumentsVerdict =
  { ok: true; documents: number } | { ok: false; documents: number; breaks: DocumentBreak[] };

export type CaseVerdict =
  | { ok: true; events: number; documents: number }
  | {
      ok: false;
      events: number;
      documents: number;
      chain?: { brokenAt: number; why: string };
      documentBreaks: DocumentBreak[];
    };

type Announced = {
  documentId: string;
  document: string;
  version: number;
  sha256: string;
  verificationCode?: string;
  seq: number;
};

/**
 * Checks every document of a case against the `DocumentGenerated` events of its chain and its bytes
 * against their SHA-256. Run after the chain itself verifies (an event's content is trusted only then).
 * While a case is running, a document is stored a moment before its event is recorded: verify a case
 * whose work is not in flight.
 */
export async function verifyCaseDocuments(db: Knex, caseId: string, store: DocumentStore): Promise<DocumentsVerdict> {
  const events = (await db('case_events')
    .where({ case_id: caseId, type: 'DocumentGenerated' })
    .orderBy('seq')
    .select('seq', 'payload')) as { seq: number; payload: Omit<Announced, 'seq'> }[];
  const announced = new Map<string, Announced>();
  const breaks: DocumentBreak[] = [];
  for (const e of events) {
    const p = e.payload;
    if (typeof p?.documentId !== 'string') {
      breaks.push({ documentId: '?', why: `event ${e.seq} announces a document without its id` });
      continue;
    }
    if (announced.has(p.documentId))
      breaks.push({
        documentId: p.documentId,
        why: `announced twice (events ${announced.get(p.documentId)!.seq} and ${e.seq})`,
      });
    announced.set(p.documentId, { ...p, seq: e.seq });
  }
  const rows = (await db('documents')
    .where({ case_id: caseId })
    .orderBy([{ column: 'kind' }, { column: 'doc_version' }])
    .select('document_id', 'kind', 'doc_version', 'sha256', 'verification_code')) as {
    document_id: string;
    kind: string;
    doc_version: number;
    sha256: string;
    verification_code: string;
  }[];
  const stored = new Set<string>();
  for (const row of rows) {
    stored.add(row.document_id);
    const event = announced.get(row.document_id);
    if (!event) {
      breaks.push({
        documentId: row.document_id,
        why: `${row.kind} v${row.doc_version} is not announced by any DocumentGenerated event`,
      });
      continue;
    }
    const differs = [
      event.sha256 !== row.sha256 && 'SHA-256',
      event.document !== row.kind && 'kind',
      event.version !== row.doc_version && 'version',
      event.verificationCode !== undefined && event.verificationCode !== row.verification_code && 'verification code',
    ].filter(Boolean);
    if (differs.length > 0) {
      breaks.push({
        documentId: row.document_id,
        why: `${row.kind} v${row.doc_version}: the stored ${differs.join(', ')} differs from event ${event.seq}`,
      });
      continue;
    }
    let bytes: Buffer | undefined;
    try {
      bytes = (await store.get(row.document_id))?.bytes;
    } catch (err) {
      breaks.push({
        documentId: row.document_id,
        why: `${row.kind} v${row.doc_version}: its bytes cannot be read (${(err as Error).message})`,
      });
      continue;
    }
    if (!bytes)
      breaks.push({ documentId: row.document_id, why: `${row.kind} v${row.doc_version}: its bytes are missing` });
    else if (createHash('sha256').update(bytes).digest('hex') !== event.sha256) {
      breaks.push({
        documentId: row.document_id,
        why: `${row.kind} v${row.doc_version}: the stored bytes do not match the SHA-256 of event ${event.seq}`,
      });
    }
  }
  for (const [documentId, event] of announced) {
    if (!stored.has(documentId))
      breaks.push({
        documentId,
        why: `${event.document} v${event.version} of event ${event.seq} is missing from the document store`,
      });
  }
  return breaks.length === 0 ? { ok: true, documents: rows.length } : { ok: false, documents: rows.length, breaks };
}

/**
 * Files received for the case (a court's file, evidence): each row must be recorded by a `MaterialReceived`
 * event with the same id, kind, media type, size and SHA-256, and its bytes must hash to it. Reported as
 * document breaks, with "material" in the reason.
 */
export async function verifyCaseMaterials(db: Knex, caseId: string): Promise<DocumentBreak[]> {
  const events = (await db('case_events')
    .where({ case_id: caseId, type: 'MaterialReceived' })
    .orderBy('seq')
    .select('seq', 'payload')) as {
    seq: number;
    payload: { materialId: string; kind: string; sha256: string; sizeBytes: number; mediaType: string };
  }[];
  const recorded = new Map(events.map((e) => [e.payload.materialId, e]));
  const rows = (await db('case_materials')
    .where({ case_id: caseId })
    .select('material_id', 'kind', 'sha256', 'size_bytes', 'media_type')) as {
    material_id: string;
    kind: string;
    sha256: string;
    size_bytes: number;
    media_type: string;
  }[];
  const breaks: DocumentBreak[] = [];
  for (const row of rows) {
    const e = recorded.get(row.material_id);
    if (!e) {
      breaks.push({
        documentId: row.material_id,
        why: `material (${row.kind}) is not recorded by any MaterialReceived event`,
      });
      continue;
    }
    const p = e.payload;
    const differs = [
      p.sha256 !== row.sha256 && 'SHA-256',
      p.kind !== row.kind && 'kind',
      p.sizeBytes !== row.size_bytes && 'size',
      p.mediaType !== row.media_type && 'media type',
    ].filter(Boolean);
    if (differs.length > 0)
      breaks.push({
        documentId: row.material_id,
        why: `material (${row.kind}): the stored ${differs.join(', ')} differs from event ${e.seq}`,
      });
    // One file's bytes at a time (up to 20 MiB each).
    else if (
      createHash('sha256')
        .update(
          ((await db('case_materials').where({ material_id: row.material_id }).first('bytes')) as { bytes: Buffer })
            .bytes,
        )
        .digest('hex') !== p.sha256
    )
      breaks.push({
        documentId: row.material_id,
        why: `material (${row.kind}): the stored bytes do not match the SHA-256 of event ${e.seq}`,
      });
  }
  const stored = new Set(rows.map((r) => r.material_id));
  for (const [materialId, e] of recorded)
    if (!stored.has(materialId))
      breaks.push({ documentId: materialId, why: `material (${e.payload.kind}) of event ${e.seq} is missing` });
  return breaks;
}

/** Every case's id, in the order the cases were received (`verify:chain --all`). */
export async function allCaseIds(db: Knex): Promise<string[]> {
  return (await db('cases').orderBy('received_at').pluck('case_id')) as string[];
}

/** The event chain, then the documents and files it records. */
export async function verifyCase(db: Knex, caseId: string, store: DocumentStore): Promise<CaseVerdict> {
  const chain = await verifyCaseChain(db, caseId);
  const documents = await verifyCaseDocuments(db, caseId, store);
  const materials = await verifyCaseMaterials(db, caseId);
  if (chain.ok && documents.ok && materials.length === 0)
    return { ok: true, events: chain.events, documents: documents.documents };
  return {
    ok: false,
    events: chain.events,
    documents: documents.documents,
    ...(chain.ok ? {} : { chain: { brokenAt: chain.brokenAt, why: chain.why } }),
    documentBreaks: [...(documents.ok ? [] : documents.breaks), ...materials],
  };
}
