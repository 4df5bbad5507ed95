/**
 * `npm run verify:chain -- <caseId> | --all`: checks each case's hash-chained event log and its documents
 * (each announced by a DocumentGenerated event of the chain, with bytes matching its SHA-256). Exit 1 on a break.
 */
import { loadConfigOrExit } from '../config/index.js';
import { createPostgresDocumentStore } from '../db/documents.js';
import { verifyCase } from '../db/verify-case.js';
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
  const ids = arg === '--all' ? ((await db('cases').orderBy('received_at').pluck('case_id')) as string[]) : [arg];
  for (const id of ids) {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await db('cases').where({ case_id: id }).first('case_number') : undefined;
    if (!row) {
      console.error(`${id}: no such case`);
      broken += 1;
      continue;
    }
    const verdict = await verifyCase(db, id, store);
    if (verdict.ok) {
      console.log(`ok      ${row.case_number}  ${verdict.events} events, ${verdict.documents} documents`);
      continue;
    }
    broken += 1;
    if (verdict.chain) console.log(`BROKEN  ${row.case_number}  at event ${verdict.chain.brokenAt}: ${verdict.chain.why}`);
    for (const b of verdict.documentBreaks) console.log(`BROKEN  ${row.case_number}  ${b.why.startsWith("material") ? "file" : "document"} ${b.documentId}: ${b.why}`);
  }
  console.log(`${ids.length - broken} verified, ${broken} broken`);
} finally {
  await close();
}
process.exitCode = broken > 0 ? 1 : 0;
