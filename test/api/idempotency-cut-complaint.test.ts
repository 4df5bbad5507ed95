/**
 * A keyed request cut before its answer frees its Idempotency-Key at once only when its effect is named by the key
 * (api/idempotency.ts markRetrySafe: a workflow update id, a case id from the key). Filing a complaint is not such an
 * action (its complaint id is new each time), so its key is held until the cut request answers: the retry is told to
 * wait (409) and then replays that answer, and the case has one complaint.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Credentials, type Stack } from '../support/stack.js';
import { actOnCase, registerTwoPartyCase, type PartySeries } from '../support/supervision.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};
const PARTIES: PartySeries = { births: ['1900070', '1900080'], phones: ['1700055100', '1700055200'] };

beforeAll(async () => {
  // A filing waits this long for its complaint's record: the first request is still running when its client leaves.
  stack = await startStack({ registrationWait: 60_000 });
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const bearer = (c: Credentials) => `Bearer ${(c as { token: string }).token}`;
const keyRow = (key: string) => stack.db('idempotency_keys').where({ key }).first();

it('when the client filing a complaint disconnects before the answer and retries with the same key, then the case has one complaint', async () => {
  const clerk = who['clerk.chen']!;
  const c = await registerTwoPartyCase(stack, clerk, PARTIES, 1);
  await actOnCase(stack, clerk, c.caseId, 'accept');
  await actOnCase(stack, clerk, c.caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  await actOnCase(stack, who['mediator.wu']!, c.caseId, 'mediator/accept');
  const applicant = await stack.partyLogin(clerk, c.caseId, c.applicant);
  const filing = {
    ground: 'partiality',
    facts: `调解员多次打断申请人陈述（${randomUUID()}）`,
    request: '批评教育调解员',
    replyChannel: 'sms',
    target: { kind: 'mediator' },
  };
  const key = randomUUID();

  // No worker for now: the filing waits for its complaint's record, holding its key.
  await stack.stopWorker();
  const client = new AbortController();
  const first = fetch(`${stack.url}/cases/${c.caseId}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: bearer(applicant), 'idempotency-key': key },
    body: JSON.stringify(filing),
    signal: client.signal,
  }).catch((err: unknown) => err);
  await expect.poll(async () => (await keyRow(key))?.locked_until?.getTime() ?? 0).toBeGreaterThan(Date.now());
  // Its complaint's workflow has been started by then (the handler waits on its registration).
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  // The party's connection drops; the portal retries the same filing with the same key.
  client.abort();
  expect(await first).toBeInstanceOf(Error);
  // Time for the API to see the connection closed (a route whose effect the key names would free the key then).
  const freedBy = Date.now() + 3_000;
  while (Date.now() < freedBy && ((await keyRow(key))?.locked_until?.getTime() ?? 0) > Date.now())
    await new Promise((r) => setTimeout(r, 100));
  const retry = stack.send(applicant, 'POST', `/cases/${c.caseId}/complaints`, filing, { 'idempotency-key': key });
  await stack.startWorker();
  // The first request is still at it: the retry is told so, not run beside it.
  const answered = await retry;
  expect(answered.status, answered.text).toBe(409);
  expect(answered.body.type).toBe('/problems/idempotency-key-in-progress');

  // Once the first request has answered (its client gone), the retry replays that answer.
  let replayed = answered;
  const until = Date.now() + 60_000;
  while (replayed.status === 409 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    replayed = await stack.send(applicant, 'POST', `/cases/${c.caseId}/complaints`, filing, { 'idempotency-key': key });
  }
  expect(replayed.status, replayed.text).toBe(201);
  expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  const filed = await stack.db('complaints').where({ case_id: c.caseId }).pluck('complaint_id');
  expect(filed).toEqual([replayed.body.complaint.complaintId]);
}, 180_000);
