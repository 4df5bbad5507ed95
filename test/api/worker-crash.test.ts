/**
 * Killing the worker in the middle of a case (SIGKILL, no goodbye) and starting it again loses nothing:
 * actions in flight complete, nothing is recorded twice, and the chain verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let stack: Stack;
let worker: ChildProcess | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), 'odr-worker-'));
const who: Record<string, Credentials> = {};

async function startWorkerProcess() {
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...stack.workerEnv(dataDir) },
    stdio: 'ignore',
  });
  // Ready when it polls the task queue.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { pollers } = await stack.client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: stack.taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (pollers?.some((p) => p.identity?.startsWith(`${worker!.pid}@`))) return;
    if (Date.now() > deadline) throw new Error('the worker process did not start polling');
    await new Promise((r) => setTimeout(r, 200));
  }
}

function killWorker() {
  worker?.kill('SIGKILL');
}

beforeAll(async () => {
  stack = await startStack({ externalWorker: true });
  for (const u of ['clerk.chen', 'mediator.wu']) who[u] = await stack.login(u);
  await startWorkerProcess();
});
afterAll(async () => {
  killWorker();
  await stack?.close();
});

it('when the worker is killed while actions are in flight, then a new worker finishes them and nothing is lost or doubled', async () => {
  const clerk = who['clerk.chen'];
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  expect(created.status).toBe(201);
  const caseId = created.body.caseId;
  const mediatorId = (await stack.send(who['mediator.wu'], 'GET', '/auth/me')).body.principal.id;

  const steps: [Credentials, string, unknown][] = [
    [clerk, 'accept', {}],
    [clerk, 'mediator', { mode: 'designated', mediatorId }],
    [who['mediator.wu'], 'mediator/accept', {}],
    [
      who['mediator.wu'],
      'sessions',
      { at: '2026-11-26T10:00:00+08:00', place: '调解室', mode: 'in_person', record: '第一次调解' },
    ],
  ];
  for (const [i, [as, path, body]] of steps.entries()) {
    // As a real client does: a 503 (no worker took the action up in time) is retried with the same key.
    const key = { 'idempotency-key': `${caseId}/${path}` };
    const send = async (): Promise<Awaited<ReturnType<typeof stack.send>>> => {
      const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body, key);
      if (res.status !== 503) return res;
      expect(res.headers.get('retry-after')).not.toBeNull();
      return send();
    };
    const inFlight = send();
    // Kill at a different moment each time: before, during and after the workflow task.
    await new Promise((r) => setTimeout(r, [5, 40, 120, 250][i]));
    killWorker();
    await startWorkerProcess();
    const res = await inFlight;
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  }
  const view = await stack.send(clerk, 'GET', `/cases/${caseId}`);
  expect(view.body.status).toBe('IN_MEDIATION');
  const types = view.body.events.map((e: { type: string }) => e.type);
  for (const t of ['CaseAccepted', 'MediatorAssigned', 'MediatorAccepted', 'SessionRecorded'])
    expect(types.filter((x: string) => x === t)).toHaveLength(1);
  expect(await verifyCaseChain(stack.db, caseId)).toEqual({ ok: true, events: view.body.events.length });
  // A task held by a killed worker is retried after Temporal's sticky-queue and workflow-task timeouts
  // (10 s by default), so each kill may cost that long.
}, 240_000);
