/**
 * When PostgreSQL goes away while a keyed request runs, its answer cannot be recorded for a replay: the person
 * still gets a problem (RFC 9457, Retry-After) they can retry with the same key, never Express's own HTML page.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { idempotency } from '../../api/idempotency.js';
import { errorHandler } from '../../api/problem.js';
import { createDb, type Db } from '../../db/knex.js';

let server: ReturnType<express.Express['listen']>;
let url = '';
/** The store the requests use; each request shuts it before it answers, as a database that stopped. */
let store: Db;
const logged: string[] = [];

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    req.principal = { kind: 'staff', id: 'clerk-store-down', role: 'clerk', orgId: null, name: '陈书记员' };
    next();
  });
  app.use((req, res, next) => idempotency(store)(req, res, next));
  app.post('/answers', async (_req, res) => {
    await store.destroy();
    res.status(201).json({ sessionNo: 1 });
  });
  app.post('/faults', async () => {
    await store.destroy();
    throw new Error('a fault of ours');
  });
  app.use(errorHandler((msg) => logged.push(msg)));
  await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.destroy();
});

async function post(path: string, key: string) {
  store = createDb(inject('databaseUrl'), { max: 1 });
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: '{}',
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    body: await res.text(),
  };
}

it('when the answer cannot be recorded because the database went away, then the answer is a 503 problem with Retry-After', async () => {
  const res = await post('/answers', `store-down-${Date.now()}`);
  expect(res.status).toBe(503);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(res.body)).toMatchObject({ type: '/problems/unavailable', status: 503, instance: '/answers' });
  expect(res.retryAfter).toBe('2');
});

it('when a request fails and its key cannot be released because the database went away, then the answer is still its problem', async () => {
  const res = await post('/faults', `store-down-fault-${Date.now()}`);
  expect(res.status).toBe(500);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(res.body)).toMatchObject({ type: '/problems/internal-error', status: 500 });
  expect(logged).toContain('unhandled error');
});
