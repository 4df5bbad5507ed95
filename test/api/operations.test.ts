/** Operations: request ids, one JSON log line per request without personal data, Prometheus metrics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let clerk: Credentials;
let sdkMetrics: string;
const lines: { msg: string; fields: Record<string, unknown> }[] = [];

beforeAll(async () => {
  sdkMetrics = `127.0.0.1:${await freePort()}`;
  stack = await startStack({ log: (msg, fields) => lines.push({ msg, fields }), sdkMetricsAddress: sdkMetrics });
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen']!;
});
afterAll(async () => {
  await stack?.close();
});

describe('operations', () => {
  it('when a request fails, then its problem and its log line carry the same request id, and a safe incoming id is kept', async () => {
    const res = await stack.send(
      clerk,
      'POST',
      '/cases',
      { channel: 'walk_in' },
      { 'X-Request-Id': 'gateway-trace-42' },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toBe('gateway-trace-42');
    expect(res.body.requestId).toBe('gateway-trace-42');
    await expect
      .poll(() => lines.find((l) => l.fields.requestId === 'gateway-trace-42')?.fields)
      .toMatchObject({ route: '/cases', status: 400, role: 'clerk' });
    // One line for the request, at its end.
    expect(lines.filter((l) => l.msg === 'request' && l.fields.requestId === 'gateway-trace-42')).toHaveLength(1);
    const unsafe = await stack.send(clerk, 'GET', '/cases/not-a-case', undefined, {
      'X-Request-Id': 'has spaces and <html> in it',
    });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a case with names, ID numbers and phones is registered, then no log line holds any of them', async () => {
    const idNumber = fictionalIdNumber('445202', '19000303', '303');
    const created = await stack.send(
      clerk,
      'POST',
      '/cases',
      partyApplication({
        parties: [
          {
            role: 'applicant',
            kind: 'natural',
            name: '欧阳晓燕',
            idNumber,
            phone: '17000303030',
            address: '揭阳市榕城区某某路3号',
          },
          { role: 'respondent', kind: 'natural', name: '司马建国' },
        ],
      }),
    );
    expect(created.status).toBe(201);
    await stack.send(clerk, 'GET', `/cases/${created.body.caseId}`);
    // A query string is never logged (the line names the route pattern): it may hold what someone typed.
    await stack.send(clerk, 'GET', `/cases/${created.body.caseId}?q=${encodeURIComponent('上官明月')}`);
    await expect.poll(() => lines.filter((l) => l.fields.route === '/cases/:caseId').length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(lines);
    for (const secret of [
      '欧阳晓燕',
      '司马建国',
      idNumber,
      '17000303030',
      '某某路3号',
      '上官明月',
      encodeURIComponent('上官明月'),
    ])
      expect(text).not.toContain(secret);
    expect(lines.some((l) => l.fields.route === '/cases/:caseId' && l.fields.status === 200)).toBe(true);
  });

  it('when a login is repeated with its Idempotency-Key, then the first answer returns without the token', async () => {
    const key = { 'Idempotency-Key': `login-${Date.now()}` };
    const first = await stack.send(
      undefined,
      'POST',
      '/auth/login',
      { username: 'clerk.chen', password: 'Demo#2026' },
      key,
    );
    const again = await stack.send(
      undefined,
      'POST',
      '/auth/login',
      { username: 'clerk.chen', password: 'Demo#2026' },
      key,
    );
    expect(first.status).toBe(201);
    expect(first.body.token).toEqual(expect.any(String));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.token).toBeNull();
    const other = await stack.send(
      undefined,
      'POST',
      '/auth/login',
      { username: 'clerk.lin', password: 'Demo#2026' },
      key,
    );
    expect(other.status).toBe(409);
  });

  it('when Prometheus scrapes, then requests are counted by route pattern, not by case', async () => {
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toMatch(/odr_api_http_requests_total\{method="GET",route="\/cases\/:caseId",status="200"\} \d+/);
    expect(body).toContain('odr_api_http_request_duration_seconds_bucket');
    expect(body).not.toMatch(/route="\/cases\/[0-9a-f]{8}-/);
  });

  it('when the worker has run workflows, then the Temporal SDK reports its own metrics from its native runtime', async () => {
    const body = await (await fetch(`http://${sdkMetrics}/metrics`)).text();
    expect(body).toMatch(/^temporal_\w+/m);
    expect(body).toMatch(
      /temporal_workflow_task_execution_latency|temporal_activity_execution_latency|temporal_worker_task_slots_available/,
    );
  });
});
