/** `npm run sms:outbox`: the texts recorded for sending, newest last, and whether the gateway has taken each. */
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { createFieldCipher } from '../infra/crypto.js';
import { readOutbox } from '../infra/sms.js';
import { connectRecord } from './record.js';

const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
try {
  const limit = Number(process.argv[2] ?? 20);
  const messages = await readOutbox(db, createFieldCipher(loadSecrets(config).encryptionKey), limit);
  if (messages.length === 0) console.log('The outbox is empty.');
  for (const m of messages.reverse())
    console.log(`${m.at}  ${m.sentAt ? 'sent' : 'queued'}  ${m.to}  [${m.purpose}]  ${m.body}`);
} finally {
  await close();
}
