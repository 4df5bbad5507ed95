/**
 * A securing process records ProcessStarted before anything acts on it, however early an action arrives:
 * here a signature is sent with the start itself (update-with-start), so the process's first workflow task
 * carries both, and the SDK dispatches the buffered update as soon as its handler is set.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { initialConfirmation } from '../../domain/securing.js';
import { processActionUpdate, processWorkflowId, type ProcessInput } from '../../workflows/messages.js';
import type { ConfirmationState } from '../../domain/securing.js';
import { reportedQuery } from '../fixtures/process-order-workflows/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const taskQueue = `process-order-${randomUUID()}`;
let worker: Worker;
let running: Promise<void>;
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: inject('temporalNamespace'),
    taskQueue,
    workflowsPath: path.join(here, '../fixtures/process-order-workflows/index.ts'),
    // A signature by one of two applicants runs no effect: no activity is called.
    activities: {},
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

it('when a signature arrives with the start of a judicial confirmation, then the case hears ProcessStarted first', async () => {
  const caseId = randomUUID();
  const parent = await client.workflow.start('reportCollector', { taskQueue, workflowId: `collector-${caseId}` });
  const state = initialConfirmation({
    caseId,
    n: 1,
    court: { institutionId: 'court-1', name: '某区人民法院', venueGround: 'party_domicile' },
    applicants: ['party-a', 'party-b'],
    agreementVersion: 1,
  });
  const start = new WithStartWorkflowOperation('judicialConfirmation', {
    taskQueue,
    workflowId: processWorkflowId(caseId, 'judicial_confirmation', 1),
    workflowIdConflictPolicy: 'FAIL',
    args: [{ parentWorkflowId: parent.workflowId, state, represents: {} } satisfies ProcessInput<ConfirmationState>],
  });
  const signed = await client.workflow.executeUpdateWithStart(processActionUpdate, {
    args: [
      { type: 'sign_application', actor: { id: 'party-a', role: 'party' }, partyId: 'party-a', method: 'electronic' },
    ],
    startWorkflowOperation: start,
  });
  expect(signed.reportSeq).toBe(2);
  let reported: string[] = [];
  for (let i = 0; i < 100 && reported.length < 2; i++) {
    reported = await parent.query(reportedQuery);
    if (reported.length < 2) await new Promise((r) => setTimeout(r, 50));
  }
  expect(reported).toEqual(['ProcessStarted', 'ConfirmationApplicationSigned']);
  await parent.terminate();
  await (await start.workflowHandle()).terminate();
});
