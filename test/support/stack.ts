/**
 * Per test file: a worker on its own task queue, a Temporal client and the API on port 0, all against
 * the run's real Temporal dev server and real PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createApp } from '../../api/app.js';
import { createDb } from '../../db/knex.js';
import { createFieldCipher } from '../../infra/crypto.js';
import { connectClient } from '../../infra/temporal.js';
import { bundleWorkflows, createWorker } from '../../worker/worker.js';

export async function startStack(opts: { registrationWait?: number } = {}) {
  // Each test file runs in its own process (pool: forks), so the runtime is installed once per file.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const db = createDb(inject('databaseUrl'));
  const cipher = createFieldCipher(randomBytes(32));
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const taskQueue = `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const workflowBundle = await bundleWorkflows();
  const newWorker = () => createWorker({ connection, namespace, taskQueue, deps: { db, cipher }, workflowBundle });
  let worker: Worker = await newWorker();
  let running = worker.run();
  const { client, connection: clientConnection } = await connectClient({ address, namespace, cipher });
  const app = createApp({ db, temporal: client, cipher, taskQueue, log: () => undefined, ...opts });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, body: json, text };
  };

  return {
    url,
    db,
    cipher,
    client,
    taskQueue,
    request,
    /** Stops the worker (as a crash would leave work behind) and starts a new one on the same queue. */
    async restartWorker() {
      worker.shutdown();
      await running;
      worker = await newWorker();
      running = worker.run();
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      worker.shutdown();
      await running;
      await clientConnection.close();
      await connection.close();
      await db.destroy();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;
