/** The pinned Temporal server (CLI v1.5.1, server 1.29) supports what the pipeline uses. */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { addUpdate, probeParent } from '../fixtures/probe-workflows/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let worker: Worker;
let running: Promise<void>;
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;
const taskQueue = `probe-${randomUUID()}`;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: inject('temporalNamespace'),
    taskQueue,
    workflowsPath: path.join(here, '../fixtures/probe-workflows/index.ts'),
  });
  running = worker.run();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: inject('temporalNamespace') });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
});

it('when a workflow takes validated updates, sleeps, runs a child and continues as new, then the server handles all of it', async () => {
  const handle = await client.workflow.start(probeParent, {
    taskQueue,
    workflowId: `probe-${randomUUID()}`,
    args: [0, 20],
  });
  const rejected = await handle.executeUpdate(addUpdate, { args: [-1] }).catch((e: unknown) => e);
  expect(rejected).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(await handle.executeUpdate(addUpdate, { args: [1] })).toBe(21);
  // After continue-as-new, a timer and a child workflow: (20 + 1) * 2.
  expect(await handle.result()).toBe(42);
  const history = await client.workflow.getHandle(handle.workflowId).fetchHistory();
  expect(history.events?.some((e) => e.childWorkflowExecutionCompletedEventAttributes)).toBe(true);
  expect(history.events?.some((e) => e.timerFiredEventAttributes)).toBe(true);
});
