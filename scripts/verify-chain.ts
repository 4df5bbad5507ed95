/**
 * `npm run verify:chain -- <caseId> | --all`: checks each case's hash-chained event log and its documents
 * (each announced by a DocumentGenerated event of the chain, with bytes matching its SHA-256). Exit 1 on a break.
 */
import { loadConfigOrExit } from '../config/index.js';
import { createPostgresDocumentStore } from '../db/documents.js';
import { caseNumberOf } from '../db/cases.js';
import { allCaseIds, verifyCase } from '../db/verify-case.js';
import { connectRecord } from './record.js';

const arg = process.argv[2];
if (!arg) {
  console.error('usage: npm run verify:chain -- <caseId> | --all');
  process.exit(2);
}
const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
const store = createPostgresDocumentStore(db, config.documentBytes);
let broken = 0;
try {
  const ids = arg === '--all' ? await allCaseIds(db) : [arg];
  for (const id of ids) {
    const caseNumber = /^[0-9a-f-]{36}$/i.test(id) ? await caseNumberOf(db, id) : undefined;
    if (!caseNumber) {
      console.error(`${id}: no such case`);
      broken += 1;
      continue;
    }
    const verdict = await verifyCase(db, id, store);
    if (verdict.ok) {
      console.log(`ok      ${caseNumber}  ${verdict.events} events, ${verdict.documents} documents`);
      continue;
    }
    broken += 1;
    if (verdict.chain) console.log(`BROKEN  ${caseNumber}  at event ${verdict.chain.brokenAt}: ${verdict.chain.why}`);
    for (const b of verdict.documentBreaks)
      console.log(
        `BROKEN  ${caseNumber}  ${b.why.startsWith('material') ? 'file' : 'document'} ${b.documentId}: ${b.why}`,
      );
  }
  console.log(`${ids.length - broken} verified, ${broken} broken`);
} finally {
  await close();
}
process.exitCode = broken > 0 ? 1 : 0;
