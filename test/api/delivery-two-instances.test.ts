/**
 * The courts' and notaries' deliveries with two worker processes on one task queue and two API processes,
 * against one database and one Temporal (issue 18 item 2): whichever instance starts a delivery (the case's
 * workflow on either worker as it queues a message, or an API instance's sweep of the messages that waited for
 * a webhook when the court registers one), each delivery id reaches the court's receiver once. The stack runs no
 * worker of its own; the file has its own database, so no other file's messages are swept here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/identity.js';
import { HEADERS, verifyWebhook } from '../../infra/webhooks.js';
import { DELIVERY_WORKFLOW_TYPE, deliveryWorkflowId } from '../../workflows/messages.js';
import type { deliverMessage } from '../../workflows/index.js';
import { courtDelegation } from '../support/fixtures.js';
import {
  callApi,
  startApiProcess,
  startWorkerProcess,
  stopAllProcesses,
  type ApiProcess,
} from '../support/processes.js';
import { startStack, type Stack } from '../support/stack.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'odr-delivery-two-instances-'));
let stack: Stack;
let receiver: Server;
let receiverUrl: string;
let apis: ApiProcess[] = [];
let courtKey: Record<string, string>;
let clerk: Record<string, string>;

/** Every request the court's receiver took (a real court system would file each one it accepts). */
const received: { deliveryId: string; body: string; timestamp: string; signature: string }[] = [];
/** The receiver answers once this resolves: until then no delivery ends, so every start finds it still running. */
let held: Promise<void> = Promise.resolve();
let release: () => void = () => undefined;
/** Holds the receiver's answers until `release()`, for at most 6 s (the webhook client gives up after 10 s). */
function holdReceiver(): void {
  held = new Promise((resolve) => {
    release = resolve;
    setTimeout(resolve, 6_000);
  });
}

/** The court's side: records each request (its signature is checked once the secrets are known), then accepts it. */
function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({
        deliveryId: req.headers[HEADERS.delivery.toLowerCase()] as string,
        body,
        timestamp: req.headers[HEADERS.timestamp.toLowerCase()] as string,
        signature: req.headers[HEADERS.signature.toLowerCase()] as string,
      });
      void held.then(() => res.writeHead(204).end());
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/odr-notifications`),
    ),
  );
}

beforeAll(async () => {
  receiverUrl = await startReceiver();
  stack = await startStack({ ownDatabase: true, externalWorker: true });
  // Two workers poll the case and delivery queues (stopped with every process after the file).
  await Promise.all(['w1', 'w2'].map((name) => startWorkerProcess(stack, name, dataDir)));
  // Many actions at once on a machine shared with four processes: a worker may take more than the default 10 s.
  apis = await Promise.all(
    ['a', 'b'].map((name) => startApiProcess(stack, name, dataDir, { ACTION_WAIT_SECONDS: '60' })),
  );
  courtKey = { 'x-api-key': (await createApiKey(stack.db, 'court-5222', 'two-instance delivery test')).key };
  clerk = { authorization: `Bearer ${(await stack.login('clerk.chen')).token}` };
  // Four processes start side by side (each compiles the sources it runs): minutes on a busy machine.
}, 300_000);

afterAll(async () => {
  await stopAllProcesses();
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

const commissioned = (n: number) =>
  courtDelegation({
    channel: 'court_post_filing',
    court: { courtCode: '粤5222', courtCaseNumber: `(2026)粤5222民初${n}号`, procedure: 'ordinary' },
  });

/** The court hands over cases numbered `numbers` and the clerk accepts each, all at once, alternating the instances. */
async function acceptedAtOnce(numbers: number[]): Promise<string[]> {
  return Promise.all(
    numbers.map(async (n, i) => {
      const created = await callApi(apis[i % 2]!, '127.0.0.1', 'POST', '/cases', commissioned(n), courtKey);
      // 202: the process has the case and its record follows in a moment.
      expect([201, 202], JSON.stringify(created.body)).toContain(created.status);
      const caseId = created.body.caseId as string;
      // After a 202 the clerk sees the case once its record is written (a moment later).
      await expect
        .poll(async () => (await callApi(apis[0]!, '127.0.0.1', 'GET', `/cases/${caseId}`, undefined, clerk)).status, {
          timeout: 30_000,
          interval: 200,
        })
        .toBe(200);
      const accepted = await callApi(apis[(i + 1) % 2]!, '127.0.0.1', 'POST', `/cases/${caseId}/accept`, {}, clerk);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      return caseId;
    }),
  );
}

const deliveryIdsOf = async (caseIds: string[]): Promise<string[]> =>
  (await stack.db('institution_messages').whereIn('case_id', caseIds).pluck('delivery_id')) as string[];

/** Waits until the record says every one of these messages was delivered. */
const untilDelivered = (ids: string[]) =>
  expect
    .poll(
      async () => (await stack.db('institution_messages').whereIn('delivery_id', ids).whereNull('delivered_at')).length,
      { timeout: 30_000, interval: 300 },
    )
    .toBe(0);

/** How many times the receiver took each of these deliveries. */
const timesReceived = (ids: string[]) => ids.map((id) => received.filter((r) => r.deliveryId === id).length);

describe('court deliveries with two workers and two API instances', () => {
  it('when messages wait for a webhook and the court registers it through both instances at once while more cases are accepted on both, then the receiver accepts each delivery id exactly once', async () => {
    // Accepted before the court has a webhook: each message's delivery runs and ends with nowhere to send it.
    const waiting = await acceptedAtOnce([401, 402, 403, 404, 405, 406]);
    const waitingIds = await deliveryIdsOf(waiting);
    expect(waitingIds).toHaveLength(waiting.length);
    await expect
      .poll(
        async () =>
          (await stack.db('delivery_attempts').whereIn('delivery_id', waitingIds).where({ outcome: 'no_webhook' }))
            .length,
        { timeout: 30_000, interval: 300 },
      )
      .toBeGreaterThanOrEqual(waitingIds.length);

    // The court registers its webhook through both instances at once (each sweeps what waited), while the
    // clerk accepts more cases whose workflows, on either worker, start their own deliveries.
    holdReceiver();
    const [atA, atB, more] = await Promise.all([
      callApi(apis[0]!, '127.0.0.1', 'PUT', '/integration/webhook', { url: receiverUrl }, courtKey),
      callApi(apis[1]!, '127.0.0.1', 'PUT', '/integration/webhook', { url: receiverUrl }, courtKey),
      acceptedAtOnce([407, 408, 409, 410, 411, 412]),
    ]);
    expect([atA.status, atB.status]).toEqual([200, 200]);
    // Both instances asked to start the deliveries that waited: the second start found the first one running.
    expect(atA.body.redelivering + atB.body.redelivering).toBeGreaterThanOrEqual(2 * waitingIds.length);

    const ids = await deliveryIdsOf([...waiting, ...more]);
    expect(ids).toHaveLength(12);
    // Every delivery reaches the receiver while its answers are held, then all are answered.
    await expect
      .poll(() => ids.filter((id) => received.some((r) => r.deliveryId === id)).length, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(ids.length);
    release();
    await untilDelivered(ids);
    // A second delivery of a message would have reached the receiver by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const counts = timesReceived(ids);
    expect(Object.fromEntries(ids.map((id, i) => [id, counts[i]]))).toEqual(
      Object.fromEntries(ids.map((id) => [id, 1])),
    );

    // Each request was signed with a secret the court was given.
    const secrets = [atA.body.secret as string, atB.body.secret as string];
    for (const { deliveryId, body, timestamp, signature } of received.filter((x) => ids.includes(x.deliveryId)))
      expect(
        secrets.some((secret) => verifyWebhook({ secret, body, timestamp, signature }).ok),
        deliveryId,
      ).toBe(true);
  });

  it('when a sweep that read a message as waiting starts its delivery only after another delivery of it ended, then the court does not receive it again', async () => {
    const registered = await callApi(
      apis[1]!,
      '127.0.0.1',
      'PUT',
      '/integration/webhook',
      { url: receiverUrl },
      courtKey,
    );
    expect(registered.status).toBe(200);
    const ids = await deliveryIdsOf(await acceptedAtOnce([413, 414]));
    expect(ids).toHaveLength(2);
    await untilDelivered(ids);
    // What an instance's sweep (PUT /integration/webhook) does for a message it read as waiting a moment before
    // the case's own delivery of it ended: the same start, which finds that delivery ended and begins another.
    for (const deliveryId of ids) {
      await stack.client.workflow.execute<typeof deliverMessage>(DELIVERY_WORKFLOW_TYPE, {
        workflowId: deliveryWorkflowId(deliveryId),
        taskQueue: stack.taskQueue,
        args: [{ deliveryId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    }
    expect(timesReceived(ids)).toEqual([1, 1]);
  });
});
