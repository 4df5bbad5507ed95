/**
 * Document storage behind one interface (PostgreSQL by default; a file system or an S3-compatible store
 * implements the same), and the deterministic verification code printed on each document.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import type { Knex } from 'knex';

export type DocumentMeta = {
  documentId: string;
  caseId: string;
  kind: string;
  docVersion: number;
  templateId: string;
  templateVersion: string;
  title: string;
  sha256: string;
  verificationCode: string;
  sizeBytes: number;
  createdAt: string;
};

export type DocumentStore = {
  /** Stores a document once per (case, kind, version); a second call returns the first. */
  put(meta: Omit<DocumentMeta, 'documentId'>, bytes: Buffer): Promise<DocumentMeta>;
  find(caseId: string, kind: string, docVersion: number): Promise<DocumentMeta | undefined>;
  list(caseId: string): Promise<DocumentMeta[]>;
  get(documentId: string): Promise<{ meta: DocumentMeta; bytes: Buffer } | undefined>;
  byCode(code: string): Promise<DocumentMeta | undefined>;
  bySha256(sha256: string): Promise<DocumentMeta[]>;
};

export type BytesLocation =
  | { kind: 'postgres' }
  | { kind: 'filesystem'; dir: string }
  /** Any S3-compatible store (path-style URLs: endpoint/bucket/key), signed with AWS Signature V4. */
  | { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };

/** Where content-addressed bytes live in a folder or a bucket. */
const objectKey = (sha256: string) => `${sha256.slice(0, 2)}/${sha256}.pdf`;

function s3Client(loc: Extract<BytesLocation, { kind: 's3' }>) {
  const client = new AwsClient({
    accessKeyId: loc.accessKeyId,
    secretAccessKey: loc.secretAccessKey,
    region: loc.region,
    service: 's3',
  });
  const url = (sha256: string) => `${loc.endpoint.replace(/\/$/, '')}/${loc.bucket}/${objectKey(sha256)}`;
  return {
    async put(sha256: string, bytes: Buffer) {
      const head = await client.fetch(url(sha256), { method: 'HEAD' });
      if (head.ok) return; // already there: same hash, same bytes
      const res = await client.fetch(url(sha256), {
        method: 'PUT',
        body: bytes,
        headers: { 'content-type': 'application/pdf' },
      });
      if (!res.ok) throw new Error(`S3 PUT ${objectKey(sha256)} failed: ${res.status}`);
    },
    async get(sha256: string): Promise<Buffer> {
      const res = await client.fetch(url(sha256));
      if (!res.ok) throw new Error(`S3 GET ${objectKey(sha256)} failed: ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short code that identifies a document (a file cannot contain its own hash): HMAC of its identity
 * under the signing key, 50 bits in Crockford base32, e.g. 7K3QD-X9M2A.
 */
export function verificationCode(signingKey: Buffer, id: { caseId: string; kind: string; docVersion: number }): string {
  const mac = createHmac('sha256', signingKey).update(`${id.caseId}\n${id.kind}\n${id.docVersion}`).digest();
  let bits = 0n;
  for (const b of mac.subarray(0, 7)) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[Number((bits >> BigInt(51 - 5 * (i + 1))) & 31n)];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

type Row = {
  document_id: string;
  case_id: string;
  kind: string;
  doc_version: number;
  template_id: string;
  template_version: string;
  title: string;
  sha256: string;
  verification_code: string;
  size_bytes: number;
  created_at: Date;
  bytes?: Buffer;
};
const toMeta = (r: Row): DocumentMeta => ({
  documentId: r.document_id,
  caseId: r.case_id,
  kind: r.kind,
  docVersion: r.doc_version,
  templateId: r.template_id,
  templateVersion: r.template_version,
  title: r.title,
  sha256: r.sha256,
  verificationCode: r.verification_code,
  sizeBytes: r.size_bytes,
  createdAt: r.created_at.toISOString(),
});
const META_COLUMNS = [
  'document_id',
  'case_id',
  'kind',
  'doc_version',
  'template_id',
  'template_version',
  'title',
  'sha256',
  'verification_code',
  'size_bytes',
  'created_at',
];

/**
 * Bytes in PostgreSQL (default), in a folder on the local file system, or in an S3-compatible bucket; the metadata, the hash and the
 * verification code are always in PostgreSQL so lookups and verification do not depend on where bytes live.
 */
export function createPostgresDocumentStore(db: Knex, bytesIn: BytesLocation = { kind: 'postgres' }): DocumentStore {
  const s3 = bytesIn.kind === 's3' ? s3Client(bytesIn) : undefined;
  const find = async (caseId: string, kind: string, docVersion: number) => {
    const r = await db('documents').where({ case_id: caseId, kind, doc_version: docVersion }).first(META_COLUMNS);
    return r ? toMeta(r as Row) : undefined;
  };
  return {
    find,
    async put(meta, bytes) {
      if (s3) await s3.put(meta.sha256, bytes);
      if (bytesIn.kind === 'filesystem') {
        // Content-addressed: the same bytes are written once, atomically, and never change.
        const file = path.join(bytesIn.dir, objectKey(meta.sha256));
        if (!existsSync(file)) {
          await mkdir(path.dirname(file), { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          await writeFile(tmp, bytes, { mode: 0o600 });
          await rename(tmp, file);
        }
      }
      await db('documents')
        .insert({
          document_id: randomUUID(),
          case_id: meta.caseId,
          kind: meta.kind,
          doc_version: meta.docVersion,
          template_id: meta.templateId,
          template_version: meta.templateVersion,
          title: meta.title,
          sha256: meta.sha256,
          verification_code: meta.verificationCode,
          size_bytes: meta.sizeBytes,
          storage: bytesIn.kind,
          bytes: bytesIn.kind === 'postgres' ? bytes : null,
          created_at: new Date(meta.createdAt),
        })
        .onConflict(['case_id', 'kind', 'doc_version'])
        .ignore();
      return (await find(meta.caseId, meta.kind, meta.docVersion))!;
    },
    async list(caseId) {
      return (
        (await db('documents')
          .where({ case_id: caseId })
          .orderBy([{ column: 'kind' }, { column: 'doc_version' }])
          .select(META_COLUMNS)) as Row[]
      ).map(toMeta);
    },
    async get(documentId) {
      const r = (await db('documents')
        .where({ document_id: documentId })
        .first([...META_COLUMNS, 'bytes', 'storage'])) as (Row & { storage: string }) | undefined;
      if (!r) return undefined;
      if (r.storage === 'postgres') return { meta: toMeta(r), bytes: r.bytes! };
      if (r.storage !== bytesIn.kind)
        throw new Error(`document ${documentId} is stored in ${r.storage}, which this process is not configured for`);
      const bytes = s3
        ? await s3.get(r.sha256)
        : bytesIn.kind === 'filesystem'
          ? await readFile(path.join(bytesIn.dir, objectKey(r.sha256)))
          : Buffer.alloc(0);
      // Refuse bytes that no longer match their recorded hash (tampering or corruption).
      if (createHash('sha256').update(bytes).digest('hex') !== r.sha256)
        throw new Error(`document ${documentId}: stored bytes do not match their SHA-256`);
      return { meta: toMeta(r), bytes };
    },
    async byCode(code) {
      const r = await db('documents').where({ verification_code: code.toUpperCase() }).first(META_COLUMNS);
      return r ? toMeta(r as Row) : undefined;
    },
    async bySha256(sha256) {
      return ((await db('documents').where({ sha256: sha256.toLowerCase() }).select(META_COLUMNS)) as Row[]).map(
        toMeta,
      );
    },
  };
}
