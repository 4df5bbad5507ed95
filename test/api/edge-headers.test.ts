/**
 * The HTTP edge answers alike whatever stops a request (project issue 18, item 7): the security headers on every
 * answer, even one given before a route runs; no-store on every answer that names a party or tells a case's
 * events; a request with two credentials refused and recorded; and a method a path does not take answered 405
 * with the methods it does take.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createApiKey } from '../../db/identity.js';
import { createOutboxSms } from '../../infra/sms.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type HttpResult, type Stack } from '../support/stack.js';

let stack: Stack;
let clerk: Credentials;
let caseId: string;

beforeAll(async () => {
  stack = await startStack();
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen']!;
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  expect(created.status, created.text).toBe(201);
  caseId = created.body.caseId as string;
});
afterAll(async () => {
  await stack?.close();
});

/** The headers an API that serves JSON and PDFs, never pages of its own, sends with every answer. */
function expectSecurityHeaders(res: HttpResult): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
}

describe('security headers', () => {
  it('when a token is refused before any route runs, then the 401 carries the security headers', async () => {
    const res = await stack.send({ token: 'sess_not-a-real-token' }, 'GET', '/auth/me');
    expect(res.status).toBe(401);
    expectSecurityHeaders(res);
  });

  it('when the body is not JSON, then the 400 carries the security headers', async () => {
    const res = await stack.send(undefined, 'POST', '/auth/login', '{"username": "clerk.chen",');
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('/problems/malformed-json');
    expectSecurityHeaders(res);
  });

  it('when the body is larger than the API takes, then the 413 carries the security headers', async () => {
    const res = await stack.send(undefined, 'POST', '/auth/login', { username: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expectSecurityHeaders(res);
  });

  it('when a request is repeated with its Idempotency-Key, then the replay and the 409 of a changed body carry the security headers', async () => {
    const key = { 'Idempotency-Key': `edge-${randomUUID()}` };
    const body = { username: 'clerk.chen', password: 'Demo#2026' };
    expect((await stack.send(undefined, 'POST', '/auth/login', body, key)).status).toBe(201);
    const replayed = await stack.send(undefined, 'POST', '/auth/login', body, key);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expectSecurityHeaders(replayed);
    const changed = await stack.send(undefined, 'POST', '/auth/login', { ...body, username: 'clerk.lin' }, key);
    expect(changed.status).toBe(409);
    expect(changed.body.type).toBe('/problems/idempotency-key-reused');
    expectSecurityHeaders(changed);
  });
});

describe('two credentials at once', () => {
  it('when a request carries both a session token and an API key, then it is refused as ambiguous, judged by neither, and recorded', async () => {
    const court = await createApiKey(stack.db, 'court-5202', `edge ${randomUUID()}`);
    const res = await stack.send(clerk, 'GET', '/auth/me', undefined, { 'x-api-key': court.key });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('/problems/ambiguous-credentials');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['Authorization', 'X-API-Key']);
    expect(JSON.stringify(res.body)).not.toContain('5202');
    expectSecurityHeaders(res);
    const recorded = await stack.db('security_events').where({ kind: 'credentials_ambiguous', subject: court.prefix });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].detail).toMatchObject({ path: '/auth/me' });
    // The key is not counted as used: it was not what the request was judged by.
    const key = await stack.db('institution_api_keys').where({ key_id: court.keyId }).first();
    expect(key.last_used_at).toBeNull();
  });

  it('when an action is sent with both, then nothing happens to the case', async () => {
    const court = await createApiKey(stack.db, 'court-5202', `edge ${randomUUID()}`);
    const res = await stack.send(
      clerk,
      'POST',
      `/cases/${caseId}/accept`,
      { note: '材料齐全' },
      { 'x-api-key': court.key },
    );
    expect(res.status).toBe(400);
    expect(await stack.db('case_events').where({ case_id: caseId, type: 'CaseAccepted' })).toHaveLength(0);
  });
});

describe('no-store on answers that name a party or tell a case', () => {
  it.each([
    ['the case view', () => `/cases/${caseId}`],
    ["the case's deadlines", () => `/cases/${caseId}/deadlines`],
    ['the work queue', () => '/queues/cases'],
    ["the queue's counters", () => '/queues/cases/counts'],
    ["the case's documents", () => `/cases/${caseId}/documents`],
    ["the case's materials", () => `/cases/${caseId}/materials`],
    ['who is signed in', () => '/auth/me'],
    ['the SLA breaches', () => '/supervision/sla-breaches'],
  ])('when %s is read, then no cache may keep it', async (_what, path) => {
    const res = await stack.send(clerk, 'GET', path());
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('when a staff member signs in, then the answer with the token is not kept either', async () => {
    const res = await stack.send(undefined, 'POST', '/auth/login', { username: 'clerk.chen', password: 'Demo#2026' });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('when a case is registered, then the answer (the case with its parties) is not kept either', async () => {
    const res = await stack.send(clerk, 'POST', '/cases', partyApplication());
    expect(res.status, res.text).toBe(201);
    expect(JSON.stringify(res.body.parties)).toContain('张三');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('methods a path does not take', () => {
  it('when a path is sent a method it does not take, then 405 names the methods it does', async () => {
    const del = await stack.send(clerk, 'DELETE', `/cases/${caseId}`);
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    expect(del.body).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
    expectSecurityHeaders(del);
    const put = await stack.send(clerk, 'PUT', '/cases', partyApplication());
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    const login = await stack.send(undefined, 'GET', '/auth/login');
    expect(login.status).toBe(405);
    expect(login.headers.get('allow')).toBe('POST');
    const filters = await stack.send(clerk, 'POST', `/me/saved-filters/${randomUUID()}`, {});
    expect(filters.status).toBe(405);
    expect(filters.headers.get('allow')).toBe('DELETE, PUT');
  });

  it('when a path does not exist, then it stays 404 whatever the method', async () => {
    for (const [method, path] of [
      ['DELETE', '/nowhere'],
      ['GET', `/cases/${caseId}/nothing-here`],
      ['PATCH', '/queues/elsewhere'],
    ] as const) {
      const res = await stack.send(clerk, method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('allow'), `${method} ${path}`).toBeNull();
    }
  });
});

describe('the scrape token', () => {
  it('when the server has a scrape token, then /metrics answers the scraper that sends it, and only that one', async () => {
    // An API of its own over the same database and Temporal, configured with a scrape token.
    const metricsToken = `scrape-${randomUUID()}`;
    const app = createApp({
      db: stack.db,
      temporal: stack.client,
      cipher: stack.cipher,
      sms: createOutboxSms(stack.db, stack.cipher),
      taskQueue: stack.taskQueue,
      auth: { staffSessionMs: 60_000, partySessionMs: 60_000, oneTimeCodeMs: 60_000 },
      log: () => undefined,
      metricsToken,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('odr_api_http_requests_total');
      expect(scraped.headers.get('x-content-type-options')).toBe('nosniff');
      const without = await fetch(url);
      expect(without.status).toBe(401);
      expect(await without.text()).not.toContain('odr_api_');
      const wrong = await fetch(url, { headers: { authorization: 'Bearer not-the-token' } });
      expect(wrong.status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('control characters in the URL', () => {
  it('when a path or a query carries a NUL or another control character, then it is a 400 naming where, not a 500', async () => {
    for (const path of ['/credit/organizations/%00', `/cases/${caseId}%0A`, '/organizations/org%1F/clock-settings']) {
      const res = await stack.send(clerk, 'GET', path);
      expect(res.status, `${path}: ${res.text}`).toBe(400);
      expect(res.body.errors).toEqual([{ field: '(path)', message: 'must not contain control characters' }]);
      expectSecurityHeaders(res);
    }
    const query = await stack.send(clerk, 'GET', '/cases?status=IN_MEDIATION&q=%E5%BC%A0%00');
    expect(query.status, query.text).toBe(400);
    expect(query.body.errors).toEqual([{ field: 'q', message: 'must not contain control characters' }]);
    // The same address without the character is answered as before.
    expect((await stack.send(clerk, 'GET', `/cases/${caseId}`)).status).toBe(200);
  });

  it('when a body carries a NUL in a field, then it is a 400 naming the field, and no case is registered', async () => {
    const body = partyApplication({ summary: `${partyApplication().summary}（${randomUUID()}）` });
    const withNul = { ...body, parties: body.parties.map((p, i) => (i === 1 ? { ...p, name: `李\u0000四` } : p)) };
    const res = await stack.send(clerk, 'POST', '/cases', withNul);
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'parties[1].name', message: 'must not contain control characters' }]);
    expect(await stack.db('cases').where({ summary: body.summary }).first()).toBeUndefined();
    // A line break in a text is not a control character this refuses.
    const summary = await stack.send(clerk, 'POST', '/cases', { ...body, summary: `${body.summary}\n第二段` });
    expect(summary.status, summary.text).toBe(201);
  });
});
