/**
 * `npm run api-key -- create <institution-id> [label]` / `revoke <prefix>` / `list`: an operator issues a
 * court's or notary office's API key (shown once, stored hashed) or revokes one.
 */
import { loadConfigOrExit } from '../config/index.js';
import { createApiKey, recordSecurityEvent, revokeApiKey } from '../db/identity.js';
import { findInstitution, institutionIds, listApiKeys } from '../db/tooling.js';
import { connectRecord } from './record.js';

const [command, arg, label] = process.argv.slice(2);
const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
try {
  if (command === 'create' && arg) {
    const institution = await findInstitution(db, arg);
    if (!institution) throw new Error(`no institution ${arg}; known: ${(await institutionIds(db)).join(', ')}`);
    const created = await createApiKey(db, arg, label ?? 'issued by operator');
    await recordSecurityEvent(db, {
      kind: 'api_key_created',
      principal: 'operator',
      subject: created.prefix,
      detail: { institution: arg },
    });
    console.log(`API key for ${institution.name} (shown once, store it now):\n${created.key}`);
  } else if (command === 'revoke' && arg) {
    const done = await revokeApiKey(db, arg);
    if (done) await recordSecurityEvent(db, { kind: 'api_key_revoked', principal: 'operator', subject: arg });
    console.log(done ? `revoked ${arg}` : `no active key with prefix ${arg}`);
  } else if (command === 'list') {
    for (const k of await listApiKeys(db))
      console.log(`${k.prefix}  ${k.institutionId.padEnd(16)} ${k.revoked ? 'revoked' : 'active '}  ${k.label}`);
  } else {
    console.error('usage: npm run api-key -- create <institution-id> [label] | revoke <prefix> | list');
    process.exitCode = 2;
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await close();
}
