/**
 * `npm run api-key -- create <institution-id> [label]` / `revoke <prefix>` / `list`: an operator issues a
 * court's or notary office's API key (shown once, stored hashed) or revokes one.
 */
import { loadConfigOrExit } from '../config/index.js';
import { createApiKey, recordSecurityEvent, revokeApiKey } from '../db/identity.js';
import { connectRecord } from './record.js';

const [command, arg, label] = process.argv.slice(2);
const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
try {
  if (command === 'create' && arg) {
    const institution = await db('institutions').where({ institution_id: arg }).first();
    if (!institution) throw new Error(`no institution ${arg}; known: ${(await db('institutions').pluck('institution_id')).join(', ')}`);
    const created = await createApiKey(db, arg, label ?? 'issued by operator');
    await recordSecurityEvent(db, { kind: 'api_key_created', principal: 'operator', subject: created.prefix, detail: { institution: arg } });
    console.log(`API key for ${institution.name} (shown once, store it now):\n${created.key}`);
  } else if (command === 'revoke' && arg) {
    const done = await revokeApiKey(db, arg);
    if (done) await recordSecurityEvent(db, { kind: 'api_key_revoked', principal: 'operator', subject: arg });
    console.log(done ? `revoked ${arg}` : `no active key with prefix ${arg}`);
  } else if (command === 'list') {
    const rows = await db('institution_api_keys').orderBy('created_at');
    for (const r of rows) console.log(`${r.key_prefix}  ${r.institution_id.padEnd(16)} ${r.revoked_at ? 'revoked' : 'active '}  ${r.label}`);
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
