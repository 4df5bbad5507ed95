/**
 * Versioning discipline: histories recorded from earlier versions of the workflow must replay on the
 * current code, so a change that would break running cases fails the build (record new ones with
 * `npm run history:record`, or the journeys of test/fixtures/histories/README.md with scripts/record-journeys.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { expect, inject, it } from 'vitest';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const histories = files.map((f) => {
  const { historyBase64 } = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { historyBase64: string };
  return {
    workflowId: f.replace(/\.json$/, ''),
    history: proto.temporal.api.history.v1.History.decode(Buffer.from(historyBase64, 'base64')),
  };
});

/** The `patched()` ids a history recorded (the SDK's `core_patch` markers, each `{ id, deprecated }` as JSON). */
function patchesOf(history: proto.temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    return Object.values(marker.details ?? {})
      .flatMap((p) => p.payloads ?? [])
      .map((p) => (JSON.parse(Buffer.from(p.data ?? []).toString('utf8')) as { id: string }).id);
  });
}

it('when recorded case histories are replayed on the current workflow code, then none diverges', async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  expect(files.length).toBeGreaterThan(0);
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

it('when the fixtures are listed, then whole cases recorded on the current path (record-batch-v1) are among them', () => {
  // Older fixtures prove the old branches still replay; these prove the branch every new run takes does.
  const current = ['record-batch-v1-walk-in-archived', 'record-batch-v1-confirmed-performed-archived'];
  for (const workflowId of current) {
    const recorded = histories.find((h) => h.workflowId === workflowId);
    expect(recorded, `${workflowId}.json`).toBeDefined();
    expect(patchesOf(recorded!.history)).toContain('record-batch-v1');
  }
  expect(histories.map((h) => h.workflowId)).toContain('record-batch-v1-judicial-confirmation-with-correction');
});
