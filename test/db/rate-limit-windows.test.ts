/**
 * The public directory's limit per address (db/rate-limits.ts `countRequest`), on the run's real PostgreSQL: two
 * connection pools stand for two API instances. Each key here is this file's own, so no other file's requests count.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { countRequest, forgetWindowsBefore, type CountedRequest } from '../../db/rate-limits.js';
import { createDb, type Db } from '../../db/knex.js';

let instanceA: Db;
let instanceB: Db;

beforeAll(() => {
  instanceA = createDb(inject('databaseUrl'));
  instanceB = createDb(inject('databaseUrl'));
});

afterAll(async () => {
  await instanceA?.destroy();
  await instanceB?.destroy();
});

const allowance = { limit: 10, windowMs: 60_000 };

/**
 * `limit` requests sent at once, half through each instance, then one more through each: counted in one window. The
 * windows are cut on the database's clock, so a burst that straddles a window's edge is sent again under a new key.
 */
async function burstInOneWindow(): Promise<{ key: string; first: CountedRequest[]; more: CountedRequest[] }> {
  for (;;) {
    const key = `test:${randomUUID()}`;
    const first = await Promise.all(
      Array.from({ length: allowance.limit }, (_, i) => countRequest(i % 2 ? instanceB : instanceA, key, allowance)),
    );
    const more = [await countRequest(instanceA, key, allowance), await countRequest(instanceB, key, allowance)];
    const windows = new Set([...first, ...more].map((c) => c.windowStart.getTime()));
    if (windows.size === 1) return { key, first, more };
  }
}

it('when one address sends its allowance at once through two instances, then all are counted, the next is refused at either until the window ends, and the address holds one row', async () => {
  const { key, first, more } = await burstInOneWindow();
  expect(first.every((c) => c.allowed)).toBe(true);
  expect(first.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  expect(more.map((c) => [c.allowed, c.count])).toEqual([
    [false, 11],
    [false, 12],
  ]);
  for (const c of more) {
    expect(c.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(c.retryAfterSeconds).toBeLessThanOrEqual(60);
  }
  // One row for the address and window, however many requests came.
  const rows = await instanceA('rate_limit_windows').where({ key });
  expect(rows.map((r) => Number(r.count))).toEqual([12]);
  // Another address is not held by this one's requests.
  expect((await countRequest(instanceB, `test:${randomUUID()}`, allowance)).allowed).toBe(true);
});

it('when windows are long past, then they are forgotten and the address starts again from one', async () => {
  const key = `test:${randomUUID()}`;
  const old = new Date(Date.now() - 2 * 86_400_000);
  await instanceA('rate_limit_windows').insert({ key, window_start: old, count: 500 });
  await forgetWindowsBefore(instanceA, new Date(Date.now() - 86_400_000));
  expect(await instanceA('rate_limit_windows').where({ key })).toEqual([]);
  expect(await countRequest(instanceA, key, allowance)).toMatchObject({ allowed: true, count: 1 });
});
