/**
 * `npm run rebuild [-- --reason "<why>"]`: after Temporal's own state is lost, starts every open case's
 * workflow (and its open securing processes, and undelivered court messages) again from the PostgreSQL
 * record. Cases still running are left alone, so it is safe to run on a healthy system. Prints what it did
 * and every case it could not rebuild, with why; exit 1 when there is any.
 */
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { createFieldCipher } from '../infra/crypto.js';
import { rebuildFromRecord } from '../infra/rebuild.js';
import { connectClient } from '../infra/temporal.js';
import { connectRecord } from './record.js';

const at = process.argv.indexOf('--reason');
const reason = at > 0 ? process.argv[at + 1] : 'Temporal state lost; rebuilt from the record';
if (!reason) {
  console.error('usage: npm run rebuild [-- --reason "<why>"]');
  process.exit(2);
}
const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`; // npm start's dev server by default
const { client, connection } = await connectClient({
  address,
  namespace: config.temporal.namespace,
  cipher: createFieldCipher(loadSecrets(config).encryptionKey),
});
try {
  const report = await rebuildFromRecord({
    db,
    client,
    taskQueue: config.temporal.taskQueue,
    by: `operator:${process.env.USER ?? 'unknown'}`,
    reason,
    log: (line) => console.log(line),
  });
  console.log(
    `${report.open} open cases: ${report.rebuiltCases.length} rebuilt, ${report.running} already running; ${report.rebuiltProcesses.length} securing processes rebuilt; ${report.deliveriesRestarted} court deliveries restarted`,
  );
  for (const n of report.needsAttention) console.log(`ATTENTION  ${n.caseId}: ${n.why}`);
  process.exitCode = report.needsAttention.length > 0 ? 1 : 0;
} finally {
  await connection.close();
  await close();
}
