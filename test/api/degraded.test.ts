/**
 * While no worker runs, people are answered from the record: a case view in milliseconds (saying it is the
 * record's), an action refused with 503 and Retry-After after its bound instead of hanging; once a worker is
 * back, the same Idempotency-Key takes the action exactly once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

/** Short, so the test is quick; an action on a loaded machine may still take longer: see `taken`. */
const ACTION_WAIT_MS = 3_000;
let stack: Stack;
let clerk: { token: string };

beforeAll(async () => {
  stack = await startStack({ actionWait: ACTION_WAIT_MS });
  clerk = await stack.login('clerk.chen');
});
afterAll(async () => {
  await stack?.close();
});

it('when the worker is down, then the case file still shows from the record and an action answers 503 with Retry-After, taken once after it is back', async () => {
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  expect(created.status).toBe(201);
  const caseId = created.body.caseId as string;
  // With the worker up, a slow machine may still answer 503: retried with the same key, as a client does.
  const taken = async (path: string, body: unknown, key: string): Promise<Awaited<ReturnType<Stack['send']>>> => {
    const res = await stack.send(clerk, 'POST', path, body, { 'idempotency-key': key });
    return res.status === 503 ? taken(path, body, key) : res;
  };
  const accepted = await taken(`/cases/${caseId}/accept`, {}, `accept-${caseId}`);
  expect(accepted.status).toBe(200);
  // With the worker up, a view is the record's: the state stored with the last event, and as of that event.
  const up = await stack.send(clerk, 'GET', `/cases/${caseId}`);
  expect(up.body.view).toMatchObject({ source: 'record', lastSeq: up.body.lastSeq });
  expect(up.body.view.asOf).toBe(up.body.events.at(-1).at);

  await stack.stopWorker();
  try {
    const down = await stack.send(clerk, 'GET', `/cases/${caseId}`);
    expect(down.status).toBe(200);
    expect(down.body.view.source).toBe('record');
    // The same case file as with the worker up: status, assignment, screening and clocks.
    const { view: _a, ...withWorker } = up.body;
    const { view: _b, ...withoutWorker } = down.body;
    expect(withoutWorker).toEqual(withWorker);
    expect(down.body.deadlines.length).toBeGreaterThan(0);

    // Asking for the live state says it could not be had, and still answers from the record.
    const live = await stack.send(clerk, 'GET', `/cases/${caseId}?live=true`);
    expect(live.status).toBe(200);
    expect(live.body.view.source).toBe('record');
    expect(live.body.view.liveUnavailable).toMatch(/did not answer within/);

    const key = { 'idempotency-key': `screening-${caseId}` };
    const screening = { priorityGroups: ['elderly'] };
    const t0 = Date.now();
    const refused = await stack.send(clerk, 'POST', `/cases/${caseId}/screening`, screening, key);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatchObject({ type: '/problems/action-not-taken-up', status: 503 });
    expect(refused.body.detail).toContain('Idempotency-Key');
    // Bounded: answered after about its configured wait, not after the client gives up.
    expect(Date.now() - t0).toBeLessThan(ACTION_WAIT_MS + 10_000);
    expect((await stack.send(clerk, 'GET', `/cases/${caseId}`)).body.status).toBe(accepted.body.status);

    await stack.startWorker();
    const retried = await taken(`/cases/${caseId}/screening`, screening, key['idempotency-key']);
    expect(retried.status).toBe(200);
    expect(retried.body.screening.priorityGroups).toEqual(['elderly']);
    const again = await stack.send(clerk, 'POST', `/cases/${caseId}/screening`, screening, key);
    expect(again.status).toBe(200);
    const events = await stack.db('case_events').where({ case_id: caseId, type: 'ScreeningRecorded' });
    expect(events).toHaveLength(1);
    expect((await verifyCaseChain(stack.db, caseId)).ok).toBe(true);
  } finally {
    await stack.startWorker().catch(() => undefined);
  }
});
