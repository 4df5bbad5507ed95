/**
 * When PostgreSQL cannot be had while a keyed request answers, its answer cannot be recorded for a replay (nor its
 * key released): the person still gets a problem (RFC 9457, Retry-After), never Express's own HTML page, and once
 * the store is back the retry with the same key finds the first answer, or the key free, within seconds rather
 * than after the key's two-minute lease. An answer without a body is kept as it is sent, for its replay.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { idempotency } from '../../api/idempotency.js';
import { errorHandler } from '../../api/problem.js';

/** How long a request keeps the store's only connection, as a database away for a moment. */
const OUTAGE_MS = 1_500;

let server: ReturnType<express.Express['listen']>;
let url = '';
/** One connection, given up on quickly: while a request holds it, nothing else can be written. */
let store: Knex;
const logged: string[] = [];
/** How many times each route's handler ran. */
const ran = { answers: 0, faults: 0, ends: 0 };

/** Takes the store's only connection for OUTAGE_MS, as the request answers. */
async function storeAway(): Promise<void> {
  const trx = await store.transaction();
  setTimeout(() => void trx.commit(), OUTAGE_MS);
}

beforeAll(async () => {
  store = knexFactory({
    client: 'pg',
    connection: inject('databaseUrl'),
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 300,
    // The connections it cannot have are the point: not printed.
    log: { error: () => undefined, warn: () => undefined },
  });
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    req.principal = { kind: 'staff', id: 'clerk-store-down', role: 'clerk', orgId: null, name: '陈书记员' };
    next();
  });
  app.use(idempotency(store));
  app.post('/answers', async (_req, res) => {
    ran.answers += 1;
    await storeAway();
    res.status(201).json({ sessionNo: ran.answers });
  });
  app.post('/ends', (_req, res) => {
    ran.ends += 1;
    res.status(204).end();
  });
  app.post('/faults', async (_req, res) => {
    ran.faults += 1;
    if (ran.faults > 1) return void res.status(201).json({ sessionNo: ran.faults });
    await storeAway();
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
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: '{}',
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    replayed: res.headers.get('idempotent-replayed'),
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null,
  };
}

/** The same request again, as a client retries after a 503 or a 409 "still being processed". */
async function retried(path: string, key: string) {
  let res = await post(path, key);
  await expect
    .poll(
      async () => {
        res = await post(path, key);
        return res.status;
      },
      { timeout: 10_000, interval: 250 },
    )
    .not.toBeOneOf([409, 503]);
  return { res };
}

it('when the answer cannot be recorded, then it is a 503 problem with Retry-After, and the retry gets the first answer once the store is back', async () => {
  const key = `store-away-${Date.now()}`;
  const first = await post('/answers', key);
  expect(first.status).toBe(503);
  expect(first.type).toMatch(/^application\/problem\+json/);
  expect(first.body).toMatchObject({ type: '/problems/unavailable', status: 503, instance: '/answers' });
  expect(first.retryAfter).toBe('2');

  const { res } = await retried('/answers', key);
  // What was done stays done: the first answer, replayed, and the handler ran once.
  expect(res).toMatchObject({ status: 201, replayed: 'true', body: { sessionNo: 1 } });
  expect(ran.answers).toBe(1);
});

it('when a request fails and its key cannot be released, then the answer is still its problem, and the key is free for the retry once the store is back', async () => {
  const key = `store-away-fault-${Date.now()}`;
  const first = await post('/faults', key);
  expect(first.status).toBe(500);
  expect(first.type).toMatch(/^application\/problem\+json/);
  expect(first.body).toMatchObject({ type: '/problems/internal-error', status: 500 });
  expect(logged).toContain('unhandled error');

  // Freed, not replayed: the request runs again (a failed request's effect is named by its key, if it has one).
  const { res } = await retried('/faults', key);
  expect(res).toMatchObject({ status: 201, replayed: null, body: { sessionNo: 2 } });
});

it('when an answer has no JSON body (204), then it is kept when sent, and the retry gets it replayed without running again', async () => {
  const key = `no-body-${Date.now()}`;
  expect((await post('/ends', key)).status).toBe(204);
  const { res } = await retried('/ends', key);
  expect(res).toMatchObject({ status: 204, replayed: 'true', body: null });
  expect(ran.ends).toBe(1);
});
