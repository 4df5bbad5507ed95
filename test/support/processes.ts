/**
 * API and worker processes of a test's stack, each as `npm run api` / `npm run worker` starts it, against the
 * stack's database and Temporal (issue 18 item 2: what holds must hold whichever instance or worker a request or
 * a task reaches).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { freePort } from './ports.js';
import { checkResponse } from './response-check.js';
import type { Stack } from './stack.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ApiProcess = { name: string; url: string; child: ChildProcess };
export type Answer = { status: number; headers: Headers; body: any };
export type WorkerProcess = { name: string; child: ChildProcess; identity: string };

/** Every process started here and not yet stopped (stopped by `stopAllProcesses`, even one never ready). */
const running = new Set<ChildProcess>();

function startProcess(entry: string, env: Record<string, string>): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

/** Waits until `ready` answers true, for at most 4 minutes (a busy machine); kills the process and says why when it exits or never does. */
async function awaitReady(name: string, started: ReturnType<typeof startProcess>, ready: () => Promise<boolean>) {
  for (const since = Date.now(); Date.now() - since < 240_000;) {
    if (started.child.exitCode !== null)
      throw new Error(`${name} exited (${started.child.exitCode}): ${started.stderr()}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  started.child.kill('SIGKILL');
  throw new Error(`${name} did not become ready: ${started.stderr()}`);
}

/** An API process on the stack's database and Temporal, trusting the proxy on loopback; ready once /readyz answers. */
export async function startApiProcess(
  stack: Stack,
  name: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const started = startProcess('api/main.ts', {
    ...stack.workerEnv(path.join(dataDir, name)),
    HOST: '127.0.0.1',
    PORT: String(port),
    TRUST_PROXY: 'loopback',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await awaitReady(`API ${name}`, started, () =>
    fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ),
  );
  return { name, url, child: started.child };
}

/**
 * A worker process (WORKER_ROLE=all unless `env` says otherwise) on the stack's task queue; ready once it polls
 * it. Its `identity` is the one Temporal records on the tasks it runs (the SDK's default, pid@host).
 */
export async function startWorkerProcess(
  stack: Stack,
  name: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const started = startProcess('worker/main.ts', {
    ...stack.workerEnv(path.join(dataDir, name)),
    WORKER_ROLE: 'all',
    ...env,
  });
  const pid = started.child.pid!;
  let identity = '';
  await awaitReady(`worker ${name}`, started, async () => {
    const { pollers } = await stack.client.workflowService.describeTaskQueue({
      namespace: stack.client.options.namespace,
      taskQueue: { name: stack.taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    identity = pollers?.find((p) => p.identity?.startsWith(`${pid}@`))?.identity ?? '';
    return identity !== '';
  });
  return { name, child: started.child, identity };
}

/** SIGTERM (a graceful stop), then SIGKILL after 15 s. */
export async function stopProcess(p: { child: ChildProcess } | undefined): Promise<void> {
  const child = p?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** A request from `client` (its address, as the proxy in front says it) to one instance, checked against the OpenAPI document. */
export async function callApi(
  at: { url: string },
  client: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(at.url + route, {
    method,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  checkResponse(method, route, res.status, res.headers.get('content-type'), json);
  return { status: res.status, headers: res.headers, body: json };
}

/** Stops every process this file started that still runs (for afterAll: a start that timed out leaves none behind). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess({ child })));
}
