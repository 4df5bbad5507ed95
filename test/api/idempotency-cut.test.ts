/**
 * A request with an Idempotency-Key that ends before its answer (its client went away, or the API instance running
 * it stopped and cut it) frees its key at once: the client's retry with the same key proceeds instead of meeting
 * 409 idempotency-key-in-progress until the lease runs out, and the action reaches the case once (the retry sends
 * the same workflow update id, or names the same case). While the first request's client is still waiting, a
 * second request with the key is still a 409.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import { startApiProcess, stopAllProcesses, stopProcess } from '../support/processes.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'odr-idempotency-cut-'));

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  // An action waits this long for a worker: the first request is still running when its client leaves.
  stack = await startStack({ actionWait: 30_000 });
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stopAllProcesses();
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const bearer = (who: Credentials) => `Bearer ${(who as { token: string }).token}`;
const keyRow = (key: string) => stack.db('idempotency_keys').where({ key }).first();
const act = (as: Credentials, caseId: string, path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${path}`, body, headers);

async function caseInMediation(): Promise<string> {
  const clerk = who['clerk.chen']!;
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  await act(clerk, caseId, 'accept');
  await act(clerk, caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  expect((await act(who['mediator.wu']!, caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
  return caseId;
}

it('when the client of a keyed action disconnects before the answer, then its retry with the same key is answered 200, not 409, and the case records the action once', async () => {
  const caseId = await caseInMediation();
  const mediator = who['mediator.wu']!;
  const key = `cut-${caseId}`;
  const session = { at: new Date().toISOString(), place: '调解室', mode: 'in_person', record: '第一次调解。' };
  const sessions = async () =>
    (await stack.db('case_events').where({ case_id: caseId, type: 'SessionRecorded' })).length;

  // No worker takes the action up for now: the first request waits, holding its key.
  await stack.stopWorker();
  const client = new AbortController();
  const first = fetch(`${stack.url}/cases/${caseId}/sessions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: bearer(mediator),
      'idempotency-key': key,
    },
    body: JSON.stringify(session),
    signal: client.signal,
  }).catch((err: unknown) => err);
  await expect.poll(async () => (await keyRow(key))?.locked_until?.getTime() ?? 0).toBeGreaterThan(Date.now());

  // While its client still waits, the same key again is a request in progress.
  const concurrent = await act(mediator, caseId, 'sessions', session, { 'idempotency-key': key });
  expect(concurrent.status).toBe(409);
  expect(concurrent.body.type).toBe('/problems/idempotency-key-in-progress');

  // The client gives up on its connection: the key is freed at once, still bound to this request.
  client.abort();
  expect(await first).toBeInstanceOf(Error);
  await expect
    .poll(async () => (await keyRow(key))?.locked_until?.getTime() ?? Infinity, { timeout: 5_000 })
    .toBeLessThan(Date.now());
  expect((await keyRow(key))!.status_code).toBeNull();

  // It retries; a worker comes back meanwhile and takes the action up once.
  const retry = act(mediator, caseId, 'sessions', session, { 'idempotency-key': key });
  await stack.startWorker();
  const answered = await retry;
  expect(answered.status, answered.text).toBe(200);
  expect(answered.headers.get('idempotent-replayed')).toBeNull();
  expect(await sessions()).toBe(1);

  // Asked again, the key replays that answer; the first request's handler, done waiting too, added nothing.
  const replayed = await act(mediator, caseId, 'sessions', session, { 'idempotency-key': key });
  expect(replayed.status).toBe(200);
  expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  expect(replayed.body.status).toBe(answered.body.status);
  expect(await sessions()).toBe(1);
  const view = await stack.send(mediator, 'GET', `/cases/${caseId}`);
  expect(view.body.events.filter((e: { type: string }) => e.type === 'SessionRecorded')).toHaveLength(1);
}, 120_000);

it('when an API instance stops while a keyed registration still runs there, then the request is cut and its retry at another instance registers the one case at once', async () => {
  const clerk = who['clerk.chen']!;
  // Its actions wait 1 s for a worker, so it stops within 6 s (api/main.ts); a registration waits 15 s for its record.
  const stopping = await startApiProcess(stack, 'stopping', dataDir, { ACTION_WAIT_SECONDS: '1' });
  const body = partyApplication({ summary: `登记请求所在的实例停止（${randomUUID()}）。` });
  const key = randomUUID();
  await stack.stopWorker();
  const first = fetch(`${stopping.url}/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: bearer(clerk), 'idempotency-key': key },
    body: JSON.stringify(body),
  }).catch((err: unknown) => err);
  await expect.poll(async () => (await keyRow(key)) !== undefined, { timeout: 30_000 }).toBe(true);

  const stopped = stopProcess(stopping);
  expect(await first).toBeInstanceOf(Error); // cut: no answer
  // The client retries at once at the other instance (this test's own), while the worker comes back.
  const retry = stack.send(clerk, 'POST', '/cases', body, { 'idempotency-key': key });
  await stack.startWorker();
  const answered = await retry;
  expect([201, 202], answered.text).toContain(answered.status);
  expect(await stack.db('cases').where({ summary: body.summary }).pluck('case_id')).toEqual([answered.body.caseId]);
  await stopped;
}, 300_000);
