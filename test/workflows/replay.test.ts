/**
 * Versioning discipline: histories recorded from earlier versions of the workflow must replay on the
 * current code, so a change that would break running cases fails the build (record new ones with
 * `npm run history:record`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { expect, inject, it } from 'vitest';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

it('when recorded case histories are replayed on the current workflow code, then none diverges', async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((f) => {
    const { historyBase64 } = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { historyBase64: string };
    return {
      workflowId: f.replace(/\.json$/, ''),
      history: proto.temporal.api.history.v1.History.decode(Buffer.from(historyBase64, 'base64')),
    };
  });
  const results = [];
  // The current code, bundled once for the run by test/support/global-setup.ts.
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: inject('workflowBundleFile') } },
    histories,
  ))
    results.push(r);
  expect(results).toHaveLength(files.length);
  for (const r of results) expect(r.error, `${r.workflowId}: ${r.error?.message}`).toBeUndefined();
});
