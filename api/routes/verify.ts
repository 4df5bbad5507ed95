/**
 * Public verification of a document: by the code printed on it, or by the SHA-256 of the file. Says
 * whether it is genuine and for which case and version, without any personal data.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { caseNumberOf } from '../../db/cases.js';
import type { DocumentMeta, DocumentStore } from '../../db/documents.js';
import { parseOrThrow, problems } from '../problem.js';
import { genuinePage, unknownPage } from '../verify-page.js';

/** `GET /verify?sha256=`: the SHA-256 of a file, in hex. */
export const verifyQuery = z.strictObject({
  sha256: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters'),
});

export function verifyRouter(deps: { db: Knex; documents: DocumentStore }): Router {
  const router = Router();
  const describe = async (d: DocumentMeta) => {
    const caseNumber = await caseNumberOf(deps.db, d.caseId);
    return {
      genuine: true,
      caseNumber: caseNumber ?? null,
      title: d.title,
      kind: d.kind,
      version: d.docVersion,
      template: `${d.templateId}@${d.templateVersion}`,
      sha256: d.sha256,
      verificationCode: d.verificationCode,
      issuedAt: d.createdAt,
    };
  };

  router.get('/:code', async (req, res) => {
    const code = String(req.params.code).trim().toUpperCase();
    const doc = /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(code) ? await deps.documents.byCode(code) : undefined;
    // A phone that scanned the document's QR asks for a page; a program (Accept: */* or JSON) for JSON.
    const forBrowser = req.accepts(['application/json', 'text/html']) === 'text/html';
    if (!doc) {
      if (forBrowser) return unknownPage(res, code);
      throw problems.notFound('No document with this verification code');
    }
    const described = await describe(doc);
    if (forBrowser) return genuinePage(res, described);
    res.setHeader('Vary', 'Accept');
    res.json(described);
  });

  router.get('/', async (req, res) => {
    const { sha256 } = parseOrThrow(verifyQuery, req.query);
    const docs = await deps.documents.bySha256(sha256);
    if (docs.length === 0) throw problems.notFound('No document with this SHA-256');
    res.json({ documents: await Promise.all(docs.map(describe)) });
  });
  return router;
}
