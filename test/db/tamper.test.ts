/**
 * Tampering with the record is detected: a real case brought to an effective agreement (with its generated
 * documents), then each kind of alteration made behind the append-only trigger, as someone with direct
 * database access could. The verification function and the operator's command (`npm run verify:chain`)
 * both report the case broken; each alteration is undone afterwards and the case verifies again.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { verifyCase } from '../../db/verify-case.js';
import { effectiveAgreement } from '../support/drive.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let stack: Stack;
let caseId = '';
let caseNumber = '';

beforeAll(async () => {
  stack = await startStack();
  const driven = await effectiveAgreement(stack, { intake: partyApplication() });
  caseId = driven.caseId;
  caseNumber = (await stack.db('cases').where({ case_id: caseId }).first('case_number'))!.case_number;
  const clerk = driven.clerk;
  // A file handed in for the case (evidence), recorded by its hash.
  const upload = await fetch(
    `${stack.url}/cases/${caseId}/materials?kind=evidence&title=${encodeURIComponent('借条')}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${(clerk as { token: string }).token}` },
      body: Buffer.from('%PDF-1.4\n% 借条扫描件\n%%EOF\n'),
    },
  );
  if (upload.status !== 201) throw new Error(`material: ${upload.status} ${await upload.text()}`);
  // Nothing more is appended while the record is altered: the case waits for the parties from here on.
  await stack.stopWorker();
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

const verify = () => verifyCase(stack.db, caseId, createPostgresDocumentStore(stack.db));

/** Changes the record as someone with direct database access would: past the append-only trigger. */
async function behindTheTriggers(change: (tx: Knex.Transaction) => Promise<unknown>) {
  await stack.db.transaction(async (tx) => {
    // Replica mode fires no ordinary trigger (nor foreign-key checks) for this transaction only.
    await tx.raw('SET LOCAL session_replication_role = replica');
    await change(tx);
  });
}

/** The operator's command, run as an operator would, against this run's database. */
function verifyCommand(id: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts/verify-chain.ts'), id],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_ENV: 'test',
          DATABASE_URL: inject('databaseUrl'),
          DATA_DIR: mkdtempSync(path.join(tmpdir(), 'odr-verify-')),
        },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

type EventRow = {
  case_id: string;
  seq: number;
  type: string;
  at: Date;
  actor_id: string;
  actor_role: string;
  payload: Record<string, unknown>;
  prev_hash: string | null;
  hash: string;
  recorded_at: Date;
};
const eventRows = async (): Promise<EventRow[]> => stack.db('case_events').where({ case_id: caseId }).orderBy('seq');
/** An event in the middle of the chain (not the first, not the last). */
const middle = (rows: EventRow[]) => rows[Math.floor(rows.length / 2)]!;
const agreementDocument = async () =>
  stack.db('documents').where({ case_id: caseId, kind: 'agreement', doc_version: 1 }).first();

/** Each alteration returns how to undo it. */
const alterations: { name: string; alter: () => Promise<() => Promise<void>>; broken: 'chain' | 'documents' }[] = [
  {
    name: "an event's payload is changed",
    broken: 'chain',
    alter: async () => {
      const e = middle(await eventRows());
      await behindTheTriggers((tx) =>
        tx('case_events')
          .where({ case_id: caseId, seq: e.seq })
          .update({ payload: { ...e.payload, note: '已篡改' } }),
      );
      return () =>
        behindTheTriggers((tx) =>
          tx('case_events').where({ case_id: caseId, seq: e.seq }).update({ payload: e.payload }),
        );
    },
  },
  {
    name: "an event's type is changed",
    broken: 'chain',
    alter: async () => {
      const e = middle(await eventRows());
      await behindTheTriggers((tx) =>
        tx('case_events').where({ case_id: caseId, seq: e.seq }).update({ type: 'CaseArchived' }),
      );
      return () =>
        behindTheTriggers((tx) => tx('case_events').where({ case_id: caseId, seq: e.seq }).update({ type: e.type }));
    },
  },
  {
    name: "an event's timestamp is moved by one second",
    broken: 'chain',
    alter: async () => {
      const e = middle(await eventRows());
      await behindTheTriggers((tx) =>
        tx('case_events')
          .where({ case_id: caseId, seq: e.seq })
          .update({ at: new Date(e.at.getTime() - 1000) }),
      );
      return () =>
        behindTheTriggers((tx) => tx('case_events').where({ case_id: caseId, seq: e.seq }).update({ at: e.at }));
    },
  },
  {
    name: "an event's actor is changed",
    broken: 'chain',
    alter: async () => {
      const e = middle(await eventRows());
      await behindTheTriggers((tx) =>
        tx('case_events').where({ case_id: caseId, seq: e.seq }).update({ actor_id: 'someone-else' }),
      );
      return () =>
        behindTheTriggers((tx) =>
          tx('case_events').where({ case_id: caseId, seq: e.seq }).update({ actor_id: e.actor_id }),
        );
    },
  },
  {
    name: 'an event in the middle is deleted',
    broken: 'chain',
    alter: async () => {
      const e = middle(await eventRows());
      await behindTheTriggers((tx) => tx('case_events').where({ case_id: caseId, seq: e.seq }).delete());
      return () => behindTheTriggers((tx) => tx('case_events').insert(e));
    },
  },
  {
    name: 'two events are swapped',
    broken: 'chain',
    alter: async () => {
      const seq = middle(await eventRows()).seq;
      const swap = () =>
        behindTheTriggers(async (tx) => {
          await tx('case_events').where({ case_id: caseId, seq }).update({ seq: -1 });
          await tx('case_events')
            .where({ case_id: caseId, seq: seq + 1 })
            .update({ seq });
          await tx('case_events')
            .where({ case_id: caseId, seq: -1 })
            .update({ seq: seq + 1 });
        });
      await swap();
      return swap;
    },
  },
  {
    name: "a document's bytes are changed",
    broken: 'documents',
    alter: async () => {
      const doc = await agreementDocument();
      const forged = Buffer.from(doc.bytes as Buffer);
      forged.writeUInt8(forged.readUInt8(forged.length - 10) ^ 0x01, forged.length - 10);
      await behindTheTriggers((tx) =>
        tx('documents').where({ document_id: doc.document_id }).update({ bytes: forged }),
      );
      return () =>
        behindTheTriggers((tx) => tx('documents').where({ document_id: doc.document_id }).update({ bytes: doc.bytes }));
    },
  },
  {
    name: "a document's bytes are replaced together with the SHA-256 of its row",
    broken: 'documents',
    alter: async () => {
      const doc = await agreementDocument();
      const forged = Buffer.concat([doc.bytes as Buffer, Buffer.from('\n% appended\n')]);
      const sha256 = createHash('sha256').update(forged).digest('hex');
      await behindTheTriggers((tx) =>
        tx('documents').where({ document_id: doc.document_id }).update({ bytes: forged, sha256 }),
      );
      return () =>
        behindTheTriggers((tx) =>
          tx('documents').where({ document_id: doc.document_id }).update({ bytes: doc.bytes, sha256: doc.sha256 }),
        );
    },
  },
  {
    name: "a document row's SHA-256 is changed",
    broken: 'documents',
    alter: async () => {
      const doc = await agreementDocument();
      await behindTheTriggers((tx) =>
        tx('documents')
          .where({ document_id: doc.document_id })
          .update({ sha256: createHash('sha256').update('forged').digest('hex') }),
      );
      return () =>
        behindTheTriggers((tx) =>
          tx('documents').where({ document_id: doc.document_id }).update({ sha256: doc.sha256 }),
        );
    },
  },
  {
    name: "a document's row is deleted",
    broken: 'documents',
    alter: async () => {
      const doc = await agreementDocument();
      const downloads = await stack.db('document_downloads').where({ document_id: doc.document_id });
      await behindTheTriggers(async (tx) => {
        await tx('document_downloads').where({ document_id: doc.document_id }).delete();
        await tx('documents').where({ document_id: doc.document_id }).delete();
      });
      return () =>
        behindTheTriggers(async (tx) => {
          await tx('documents').insert(doc);
          if (downloads.length > 0) await tx('document_downloads').insert(downloads);
        });
    },
  },
  {
    name: "a received file's bytes are changed",
    broken: 'documents',
    alter: async () => {
      const m = await stack.db('case_materials').where({ case_id: caseId }).first();
      await behindTheTriggers((tx) =>
        tx('case_materials')
          .where({ material_id: m.material_id })
          .update({ bytes: Buffer.concat([m.bytes as Buffer, Buffer.from(' ')]) }),
      );
      return () =>
        behindTheTriggers((tx) =>
          tx('case_materials').where({ material_id: m.material_id }).update({ bytes: m.bytes }),
        );
    },
  },
  {
    name: "a received file's row is deleted",
    broken: 'documents',
    alter: async () => {
      const m = await stack.db('case_materials').where({ case_id: caseId }).first();
      await behindTheTriggers((tx) => tx('case_materials').where({ material_id: m.material_id }).delete());
      return () => behindTheTriggers((tx) => tx('case_materials').insert(m));
    },
  },
];

describe('tamper detection', () => {
  it('when nothing was altered, then the case and its documents verify and the command says ok', async () => {
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: true });
    // The agreement sent for signature at least, each announced by its event.
    expect(verdict.documents).toBeGreaterThanOrEqual(1);
    expect(await agreementDocument()).toBeDefined();
    const run = await verifyCommand(caseId);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^ok +${caseNumber.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +\\d+ events, \\d+ documents$`, 'm'),
    );
  });

  for (const { name, alter, broken } of alterations) {
    it(`when ${name}, then the verification and the command report the case broken`, async () => {
      const undo = await alter();
      try {
        const verdict = await verify();
        expect(verdict.ok).toBe(false);
        if (verdict.ok) return;
        if (broken === 'chain') expect(verdict.chain).toBeDefined();
        else expect(verdict.documentBreaks.length).toBeGreaterThan(0);
        const run = await verifyCommand(caseId);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stdout).toContain(`BROKEN  ${caseNumber}`);
        expect(run.stdout).toContain('0 verified, 1 broken');
      } finally {
        await undo();
      }
      expect(await verify()).toMatchObject({ ok: true });
    });
  }

  it('when a document is stored without its event, then that orphan is reported', async () => {
    const doc = await agreementDocument();
    const orphan = {
      ...doc,
      document_id: '00000000-0000-4000-8000-00000000a001',
      doc_version: 99,
      verification_code: 'ORPHN-00001',
    };
    await behindTheTriggers((tx) => tx('documents').insert(orphan));
    try {
      const verdict = await verify();
      expect(verdict).toMatchObject({
        ok: false,
        documentBreaks: [{ documentId: orphan.document_id, why: expect.stringContaining('not announced') }],
      });
    } finally {
      await behindTheTriggers((tx) => tx('documents').where({ document_id: orphan.document_id }).delete());
    }
  });
});
