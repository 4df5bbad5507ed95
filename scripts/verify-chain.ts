/** `npm run verify:chain -- <caseId> | --all`: checks each case's hash-chained event log. Exit 1 on a break. */
import { loadConfigOrExit } from '../config/index.js';
import { verifyCaseChain } from '../db/event-chain.js';
import { connectRecord } from './record.js';

const arg = process.argv[2];
if (!arg) {
  console.error('usage: npm run verify:chain -- <caseId> | --all');
  process.exit(2);
}
const { db, close } = await connectRecord(loadConfigOrExit());
let broken = 0;
try {
  const ids = arg === '--all' ? ((await db('cases').orderBy('received_at').pluck('case_id')) as string[]) : [arg];
  for (const id of ids) {
    const row = await db('cases').where({ case_id: id }).first('case_number');
    if (!row) {
      console.error(`${id}: no such case`);
      broken += 1;
      continue;
    }
    const verdict = await verifyCaseChain(db, id);
    if (verdict.ok) console.log(`ok      ${row.case_number}  ${verdict.events} events`);
    else {
      broken += 1;
      console.log(`BROKEN  ${row.case_number}  at event ${verdict.brokenAt}: ${verdict.why}`);
    }
  }
  console.log(`${ids.length - broken} verified, ${broken} broken`);
} finally {
  await close();
}
process.exitCode = broken > 0 ? 1 : 0;
