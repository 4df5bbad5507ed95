/** A graceful stop: readiness fails first, in-flight requests finish, then the server closes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { loadSecrets } from '../../config/secrets.js';
import { startApi } from '../../api/server.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'odr-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('when the API is stopped, then /readyz says draining while requests are still answered, and then it closes', async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    LOG_LEVEL: 'silent',
  });
  const api = await startApi(config, loadSecrets(config));
  expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  const stopping = api.close({ drainMs: 1_000 });
  const ready = await fetch(`${api.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ status: 'draining' });
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200); // still serving while the balancer notices
  await stopping;
  await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
});
