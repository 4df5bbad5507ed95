/**
 * Thousands of malformed requests to every route, from every kind of caller (property-based, fast-check):
 * never a 5xx, every rejection a problem-details body, and no case changed or created.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { operations } from '../../api/openapi.js';
import { createApiKey, createSession } from '../../db/identity.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let target: { caseId: string; partyId: string; lastSeq: number; events: number; status: string };
const fuzzers: Record<string, Credentials | undefined> = {};
const fuzzIds: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  const clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen']!;
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  expect(created.status).toBe(201);
  // Callers of our own, so nothing another test file does is mistaken for the fuzzer's.
  const accountId = randomUUID();
  await stack.db('staff_accounts').insert({
    account_id: accountId,
    username: `fuzz.clerk.${accountId}`,
    display_name: '模糊测试',
    role: 'clerk',
    org_id: 'center',
    password_hash: 'not-a-hash',
  });
  fuzzers.clerk = { token: (await createSession(stack.db, { accountId }, 3_600_000)).token };
  const court = await createApiKey(stack.db, 'court-5224', 'fuzz');
  fuzzers.court = { apiKey: court.key };
  fuzzers.party = await stack.partyLogin(clerk, created.body.caseId, created.body.parties[0].partyId);
  fuzzers.nobody = undefined;
  fuzzers.forged = { token: 'forged-token' };
  fuzzIds.push(accountId, `court-5224/key:${court.prefix}`);
  const row = await stack.db('cases').where({ case_id: created.body.caseId }).first();
  target = {
    caseId: created.body.caseId,
    partyId: created.body.parties[0].partyId,
    lastSeq: row!.last_seq,
    status: row!.status,
    events: Number((await stack.db('case_events').where({ case_id: created.body.caseId }).count({ n: '*' }))[0]!.n),
  };
});
afterAll(async () => {
  await stack?.close();
});

const ops = operations();
const json = fc.jsonValue({ maxDepth: 3 });
/** A body no route accepts: not an object, an object with a key no schema knows, or not JSON at all. */
const badBody = fc.oneof(
  json.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 4 }).map((o) => JSON.stringify({ ...o, __fuzz: true })),
  fc.string({ maxLength: 40 }).map((s) => `{${s}`),
);
const pathParam = fc.oneof(
  fc.constant('TARGET'),
  fc.uuid().map(String),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%E0%A4%A', '%', '..', '%00', '%2F..%2F'),
);
const headerValue = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

it('when malformed requests hit every route, then none is a 5xx, each refusal is a problem, and no case changes', async () => {
  const seen = new Set<string>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ops),
      fc.constantFrom(...Object.keys(fuzzers)),
      badBody,
      fc.array(pathParam, { minLength: 3, maxLength: 3 }),
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 10 }).filter((k) => /^\w+$/.test(k)),
        fc.string({ maxLength: 20 }),
        { maxKeys: 3 },
      ),
      fc.record({ idem: fc.option(headerValue, { nil: undefined }), rid: fc.option(headerValue, { nil: undefined }) }),
      async (op, who, body, params, query, headers) => {
        let i = 0;
        const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          const p = params[i++]!;
          return p === 'TARGET' ? (name === 'partyId' ? target.partyId : target.caseId) : p;
        });
        const qs = new URLSearchParams(query).toString();
        const res = await stack.send(
          fuzzers[who],
          op.method.toUpperCase(),
          `${path.replace(/\/$/, '') || '/'}${qs ? `?${qs}` : ''}`,
          op.method !== 'get' ? body : undefined,
          {
            ...(op.method !== 'get' ? { 'content-type': 'application/json' } : {}),
            ...(headers.idem !== undefined ? { 'Idempotency-Key': headers.idem } : {}),
            ...(headers.rid !== undefined ? { 'X-Request-Id': headers.rid } : {}),
          },
        );
        seen.add(`${op.method} ${op.path}`);
        expect(res.status, `${op.method} ${path} as ${who}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (op.method !== 'get')
          expect(res.status, `${op.method} ${path} as ${who} accepted ${body}`).toBeGreaterThanOrEqual(400);
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.body).toMatchObject({
            type: expect.stringMatching(/^\/problems\//),
            title: expect.any(String),
            status: res.status,
          });
        }
      },
    ),
    { numRuns: 2_000 },
  );
  expect(seen.size).toBeGreaterThan(ops.length * 0.8);

  const row = await stack.db('cases').where({ case_id: target.caseId }).first();
  expect({ lastSeq: row!.last_seq, status: row!.status }).toEqual({ lastSeq: target.lastSeq, status: target.status });
  expect(Number((await stack.db('case_events').where({ case_id: target.caseId }).count({ n: '*' }))[0]!.n)).toBe(
    target.events,
  );
  expect(await stack.db('cases').whereIn('registered_by_id', fuzzIds)).toEqual([]);
}, 300_000);

it('when the queue is searched and filtered with arbitrary text, then it answers 200 or a 400 problem, never a 5xx', async () => {
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('?', '\\?', '??', '%_', "'; drop table cases; --", '$1', '\\'),
  );
  await fc.assert(
    fc.asyncProperty(
      text,
      text,
      fc.constantFrom('q', 'orgId', 'cursor', 'status', 'disputeType'),
      async (a, b, key) => {
        const qs = new URLSearchParams({ [key]: a, q: b }).toString();
        const res = await stack.send(fuzzers.clerk, 'GET', `/queues/cases?${qs}`);
        expect(res.status, `${qs}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
      },
    ),
    { numRuns: 300 },
  );
}, 120_000);
