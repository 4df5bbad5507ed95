/** Document storage: once per version, in PostgreSQL or on the file system, and tampering is caught. */
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDocumentStore, verificationCode, type DocumentStore } from '../../db/documents.js';
import { createDb, type Db } from '../../db/knex.js';
import { registerCaseRecord } from '../../db/cases.js';
import { registration } from '../../domain/case-rules.js';
import type { CaseIntake } from '../../domain/case.js';
import { createFieldCipher } from '../../infra/crypto.js';
import S3rver from 's3rver';

let db: Db;
// A real S3-compatible server on loopback (s3rver), with its default test credentials.
let s3: S3rver;
let s3Endpoint = '';
beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: mkdtempSync(path.join(tmpdir(), 'odr-s3-')),
    silent: true,
    configureBuckets: [{ name: 'documents' }],
  });
  const { port } = await s3.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await s3?.close();
  await db?.destroy();
});

async function newCase(): Promise<string> {
  const intake: CaseIntake = {
    caseId: randomUUID(),
    receivedAt: new Date().toISOString(),
    channel: 'walk_in',
    disputeType: 'loan_debt',
    summary: '借款纠纷',
    claimantLearnedOfHarmOn: '2026-01-01',
    parties: [
      { partyId: randomUUID(), role: 'applicant', kind: 'natural', name: '甲' },
      { partyId: randomUUID(), role: 'respondent', kind: 'natural', name: '乙' },
    ],
    registeredBy: { id: 'clerk', role: 'clerk' },
    routing: { intakeOrgId: 'center' },
  };
  await registerCaseRecord(db, createFieldCipher(randomBytes(32)), {
    intake,
    event: registration(intake).event,
    workflowId: `wf-${intake.caseId}`,
  });
  return intake.caseId;
}

const meta = (caseId: string, bytes: Buffer, key: Buffer) => ({
  caseId,
  kind: 'agreement',
  docVersion: 1,
  templateId: 't',
  templateVersion: '1',
  title: '人民调解协议书',
  sha256: createHash('sha256').update(bytes).digest('hex'),
  verificationCode: verificationCode(key, { caseId, kind: 'agreement', docVersion: 1 }),
  sizeBytes: bytes.length,
  createdAt: new Date().toISOString(),
});

describe.each([
  ['postgres', () => createPostgresDocumentStore(db)],
  [
    'filesystem',
    () => createPostgresDocumentStore(db, { kind: 'filesystem', dir: mkdtempSync(path.join(tmpdir(), 'odr-docs-')) }),
  ],
  [
    'an S3-compatible bucket',
    () =>
      createPostgresDocumentStore(db, {
        kind: 's3',
        endpoint: s3Endpoint,
        bucket: 'documents',
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      }),
  ],
] as [string, () => DocumentStore][])('documents in %s', (_name, makeStore) => {
  it('when the same version is stored twice, then it is stored once and reads back byte for byte', async () => {
    const store = makeStore();
    const caseId = await newCase();
    const key = randomBytes(32);
    const bytes = Buffer.from('%PDF-1.7 fake but fine');
    const first = await store.put(meta(caseId, bytes, key), bytes);
    const second = await store.put(meta(caseId, bytes, key), bytes);
    expect(second.documentId).toBe(first.documentId);
    expect((await store.get(first.documentId))!.bytes.equals(bytes)).toBe(true);
    expect((await db('documents').where({ document_id: first.documentId }).first('storage'))!.storage).toBe(
      _name === 'postgres' ? 'postgres' : _name === 'filesystem' ? 'filesystem' : 's3',
    );
    expect(await store.byCode(first.verificationCode)).toMatchObject({ documentId: first.documentId });
    expect((await store.bySha256(first.sha256)).map((d) => d.documentId)).toContain(first.documentId);
  });
});

describe('verification codes', () => {
  it('when the same document identity is coded twice, then the code is the same; another version gets another code', () => {
    const key = randomBytes(32);
    const a = verificationCode(key, { caseId: 'c', kind: 'agreement', docVersion: 1 });
    expect(a).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(verificationCode(key, { caseId: 'c', kind: 'agreement', docVersion: 1 })).toBe(a);
    expect(verificationCode(key, { caseId: 'c', kind: 'agreement', docVersion: 2 })).not.toBe(a);
  });

  it('when a stored file is altered on disk, then reading it is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'odr-docs-'));
    const store = createPostgresDocumentStore(db, { kind: 'filesystem', dir });
    const caseId = await newCase();
    const bytes = Buffer.from('%PDF-1.7 original');
    const stored = await store.put(meta(caseId, bytes, randomBytes(32)), bytes);
    const sub = readdirSync(dir)[0]!;
    writeFileSync(path.join(dir, sub, readdirSync(path.join(dir, sub))[0]!), '%PDF-1.7 altered!');
    await expect(store.get(stored.documentId)).rejects.toThrow(/do not match/);
  });
});
