/**
 * Idempotency keys against the real PostgreSQL (db/idempotency.ts): each hold on a key has a token, so a request
 * cut before its answer frees the key for its retry, and whatever the cut request writes afterwards loses to it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  recordIdempotentAnswer,
  releaseIdempotencyKey,
  takeOverIdempotencyKey,
  type IdempotencyKeyId,
} from '../../db/idempotency.js';
import { createDb, type Db } from '../../db/knex.js';

let db: Db;
beforeAll(() => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.destroy();
});

const inTwoMinutes = () => new Date(Date.now() + 120_000);
const keyOf = (): IdempotencyKeyId => ({ scope: `clerk-${randomUUID()} POST /cases/x/sessions`, key: randomUUID() });
const answer = (sessionNo: number) => ({
  statusCode: 200,
  responseBody: { sessionNo },
  responseHeaders: {},
});

describe('idempotency keys', () => {
  it('when a request holds a key, then neither a second claim nor a takeover gets it while it runs', async () => {
    const id = keyOf();
    expect(await claimIdempotencyKey(db, id, 'hash-a', inTwoMinutes())).toBeDefined();
    expect(await claimIdempotencyKey(db, id, 'hash-a', inTwoMinutes())).toBeUndefined();
    expect(await takeOverIdempotencyKey(db, id, inTwoMinutes(), 'hash-a')).toBeUndefined();
  });

  it('when a cut request released its key, then the retry takes it over at once and the late answer and release of the cut request change nothing', async () => {
    const id = keyOf();
    const cut = (await claimIdempotencyKey(db, id, 'hash-a', inTwoMinutes()))!;
    expect(await releaseIdempotencyKey(db, cut)).toBe(true);
    // Still bound to the first request's body, unanswered.
    expect(await findIdempotencyKey(db, id)).toMatchObject({ requestHash: 'hash-a', statusCode: null });

    const retry = (await takeOverIdempotencyKey(db, id, inTwoMinutes(), 'hash-a'))!;
    expect(retry).toBeDefined();
    expect(retry.token).not.toBe(cut.token);
    // The cut request's handler ends later: its answer is not kept and it cannot free the retry's lease.
    expect(await recordIdempotentAnswer(db, cut, answer(1))).toBe(false);
    expect(await releaseIdempotencyKey(db, cut)).toBe(false);
    expect(await takeOverIdempotencyKey(db, id, inTwoMinutes(), 'hash-a')).toBeUndefined();
    expect(await findIdempotencyKey(db, id)).toMatchObject({ statusCode: null });

    expect(await recordIdempotentAnswer(db, retry, answer(2))).toBe(true);
    expect(await recordIdempotentAnswer(db, cut, answer(1), { unansweredOnly: true })).toBe(false);
    expect(await findIdempotencyKey(db, id)).toMatchObject({ statusCode: 200, responseBody: { sessionNo: 2 } });
  });

  it('when a cut request answers before any retry came, then its answer is kept for the retry to replay', async () => {
    const id = keyOf();
    const cut = (await claimIdempotencyKey(db, id, 'hash-a', inTwoMinutes()))!;
    await releaseIdempotencyKey(db, cut);
    expect(await recordIdempotentAnswer(db, cut, answer(1))).toBe(true);
    expect(await takeOverIdempotencyKey(db, id, inTwoMinutes(), 'hash-a')).toBeUndefined();
    expect(await findIdempotencyKey(db, id)).toMatchObject({ statusCode: 200, responseBody: { sessionNo: 1 } });
  });

  it('when the holder died and its lease ran out, then a retry takes the key over and the holder, if it was only slow, loses', async () => {
    const id = keyOf();
    const slow = (await claimIdempotencyKey(db, id, 'hash-a', new Date(Date.now() - 1_000)))!;
    const retry = (await takeOverIdempotencyKey(db, id, inTwoMinutes(), 'hash-a'))!;
    expect(retry).toBeDefined();
    expect(await recordIdempotentAnswer(db, slow, answer(1))).toBe(false);
    expect(await recordIdempotentAnswer(db, retry, answer(2))).toBe(true);
    expect(await findIdempotencyKey(db, id)).toMatchObject({ responseBody: { sessionNo: 2 } });
  });

  it('when a released key is retried with another body, then the retry does not take it over', async () => {
    const id = keyOf();
    const cut = (await claimIdempotencyKey(db, id, 'hash-a', inTwoMinutes()))!;
    await releaseIdempotencyKey(db, cut);
    expect(await takeOverIdempotencyKey(db, id, inTwoMinutes(), 'hash-b')).toBeUndefined();
    expect(await takeOverIdempotencyKey(db, id, inTwoMinutes(), 'hash-a')).toBeDefined();
  });
});
