/**
 * `npm run history:record -- <workflowId> <name>`: saves a running system's workflow history as a replay
 * fixture (test/fixtures/histories/<name>.json, protobuf bytes as base64), with payloads decrypted so the replay test needs no key.
 * Record from `npm start` (fictional demo data only) after driving a case through the steps to protect.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { createFieldCipher } from '../infra/crypto.js';
import { createEncryptionCodec } from '../infra/payload-codec.js';

const [workflowId, name] = process.argv.slice(2);
if (!workflowId || !name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: npm run history:record -- <workflowId> <fixture-name>');
  process.exit(2);
}
const config = loadConfigOrExit();
const codec = createEncryptionCodec(createFieldCipher(loadSecrets(config).encryptionKey));
const connection = await Connection.connect({
  address: config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`,
});
try {
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await decryptPayloads(history);
  const out = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    'test',
    'fixtures',
    'histories',
    `${name}.json`,
  );
  mkdirSync(path.dirname(out), { recursive: true });
  // Stored as the protobuf bytes (base64): exact, and readable by any SDK version's replayer.
  const bytes = proto.temporal.api.history.v1.History.encode(history).finish();
  writeFileSync(
    out,
    JSON.stringify(
      {
        workflowId,
        recordedAt: new Date().toISOString(),
        events: history.events?.length ?? 0,
        historyBase64: Buffer.from(bytes).toString('base64'),
      },
      null,
      1,
    ) + '\n',
  );
  console.log(`saved ${history.events?.length ?? 0} events to ${path.relative(process.cwd(), out)}`);
} finally {
  await connection.close();
}

/** Replaces every encrypted payload in the history, wherever it sits, by its decoded form. */
async function decryptPayloads(node: unknown): Promise<void> {
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (isPayload(value)) (node as Record<string, unknown>)[key] = (await codec.decode([value]))[0];
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (isPayload(value[i])) value[i] = (await codec.decode([value[i]]))[0];
        else await decryptPayloads(value[i]);
      }
    } else await decryptPayloads(value);
  }
}

function isPayload(v: unknown): v is Payload {
  return !!v && typeof v === 'object' && 'metadata' in v && 'data' in v && !!(v as Payload).metadata?.encoding;
}
