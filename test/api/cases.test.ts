/**
 * The walking skeleton end to end: HTTP → Temporal workflow → activity → PostgreSQL and back, on the
 * real Temporal dev server and a real PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { chinaDateOf } from '../../domain/calendar.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import { courtDelegation, fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let clerkAuth: { token: string };
let clerkId: string;
/** Requests as 陈晓琳, a clerk at the center. */
const request = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  stack.send(clerkAuth, method, path, body, headers);

beforeAll(async () => {
  // A database of its own: a test counts the center's case numbers, which other files' registrations would take.
  stack = await startStack({ ownDatabase: true });
  clerkAuth = await stack.login('clerk.chen');
  clerkId = (await request('GET', '/auth/me')).body.principal.id;
});
afterAll(async () => {
  await stack?.close();
});

describe('intake through HTTP', () => {
  it('when a clerk registers a dispute, then it gets a case number, a record and a running workflow', async () => {
    const res = await request('POST', '/cases', partyApplication());
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/cases/${res.body.caseId}`);
    // Numbered in the year (Beijing time) the dispute was received.
    expect(res.body.caseNumber).toMatch(
      new RegExp(`^（${chinaDateOf(res.body.receivedAt).slice(0, 4)}）揭非诉字第\\d{4}号$`),
    );
    expect(res.body.status).toBe('REGISTERED');
    expect(res.body.statusLabel).toBe('已登记');
    expect(res.body.workflow).toEqual({ workflowId: caseWorkflowId(res.body.caseId), status: 'RUNNING' });
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['CaseRegistered']);

    const got = await request('GET', `/cases/${res.body.caseId}`);
    expect(got.status).toBe(200);
    expect(got.body.caseNumber).toBe(res.body.caseNumber);
    expect(got.body.summary).toContain('张三');
    expect(Date.parse(got.body.receivedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('when the case is shown, then ID and phone numbers are masked and stored only encrypted', async () => {
    const body = partyApplication();
    const res = await request('POST', '/cases', body);
    const applicant = res.body.parties[0];
    expect(applicant.idNumber).toMatch(/^4452\*{10}\d{3}[\dX]$/);
    expect(applicant.phone).toBe('170****1234');
    const raw = await stack.db('case_parties').where({ case_id: res.body.caseId }).orderBy('position');
    const dump = JSON.stringify(raw);
    expect(dump).not.toContain(body.parties[0]!.idNumber as string);
    expect(dump).not.toContain('17000001234');
    expect(stack.cipher.decrypt(raw[0]!.id_number_enc!)).toBe(body.parties[0]!.idNumber);
    const events = JSON.stringify(await stack.db('case_events').where({ case_id: res.body.caseId }));
    expect(events).not.toContain('17000001234');
    expect(events).not.toContain('张三');
  });

  it('when a court delegates a dispute before filing, then the court details are kept', async () => {
    const res = await request('POST', '/cases', courtDelegation());
    expect(res.status).toBe(201);
    expect(res.body.channel).toBe('court_pre_filing');
    expect(res.body.court).toMatchObject({ courtCode: '粤5202', letterNumber: '榕法委派〔2026〕12号' });
  });

  it('when the same intake is retried with its Idempotency-Key, then one case exists and the first answer returns', async () => {
    const key = `intake-${Date.now()}-${Math.random()}`;
    const first = await request('POST', '/cases', partyApplication(), { 'Idempotency-Key': key });
    const second = await request('POST', '/cases', partyApplication(), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.caseId).toBe(first.body.caseId);
    expect(await stack.db('cases').where({ case_id: first.body.caseId }).count({ n: '*' })).toEqual([{ n: 1 }]);

    const different = await request('POST', '/cases', partyApplication({ summary: '另一纠纷' }), {
      'Idempotency-Key': key,
    });
    expect(different.status).toBe(409);
    expect(different.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(different.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('when an intake refused for a bad field is corrected and sent again under the same Idempotency-Key, then it registers', async () => {
    const key = `intake-${Date.now()}-${Math.random()}`;
    const wrong = partyApplication();
    wrong.parties[0]!.phone = '12';
    const refused = await request('POST', '/cases', wrong, { 'Idempotency-Key': key });
    expect(refused.status).toBe(400);
    const corrected = await request('POST', '/cases', partyApplication(), { 'Idempotency-Key': key });
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    const again = await request('POST', '/cases', partyApplication(), { 'Idempotency-Key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.caseId).toBe(corrected.body.caseId);
  });

  it('when cases are registered, then their numbers are consecutive and never repeat', async () => {
    const numbers = await Promise.all(
      Array.from(
        { length: 5 },
        async () => (await request('POST', '/cases', partyApplication())).body.caseNumber as string,
      ),
    );
    expect(new Set(numbers).size).toBe(5);
    const seqs = numbers.map((n) => Number(/第(\d+)号/.exec(n)![1])).sort((a, b) => a - b);
    expect(seqs[4]! - seqs[0]!).toBe(4);
  });
});

describe('acceptance review through HTTP', () => {
  it('when a clerk accepts a registered case, then it awaits assignment and the event is chained', async () => {
    const created = await request('POST', '/cases', partyApplication());
    const res = await request('POST', `/cases/${created.body.caseId}/accept`, { note: '材料齐全' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('PENDING_ASSIGNMENT');
    // Acceptance issues the rights-and-duties notice, and starts the general mediation period and the
    // parties' 2 working days to choose a mediator.
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual([
      'CaseRegistered',
      'CaseAccepted',
      'DocumentGenerated',
      'DeadlineSet',
      'DeadlineSet',
    ]);
    expect(res.body.events[1]).toMatchObject({ actorId: clerkId, actorRole: 'clerk', payload: { note: '材料齐全' } });
    expect(res.body.deadlines.map((d: { ruleId: string }) => d.ruleId).sort()).toEqual([
      'general_mediation',
      'party_mediator_choice',
    ]);
    const row = await stack.db('cases').where({ case_id: created.body.caseId }).first();
    expect(row?.status).toBe('PENDING_ASSIGNMENT');
    expect(await verifyCaseChain(stack.db, created.body.caseId)).toEqual({ ok: true, events: 5 });
  });

  it('when a case is accepted twice, then the second is refused as a conflict and nothing changes', async () => {
    const created = await request('POST', '/cases', partyApplication());
    await request('POST', `/cases/${created.body.caseId}/accept`, {});
    const again = await request('POST', `/cases/${created.body.caseId}/accept`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, type: '/problems/wrong-state' });
    expect(again.body.detail).toContain('PENDING_ASSIGNMENT');
    const events = await stack.db('case_events').where({ case_id: created.body.caseId });
    expect(events).toHaveLength(5);
  });

  it('when two clerks accept the same case at once, then exactly one succeeds and the other gets 409', async () => {
    const created = await request('POST', '/cases', partyApplication());
    const results = await Promise.all([
      request('POST', `/cases/${created.body.caseId}/accept`, {}),
      request('POST', `/cases/${created.body.caseId}/accept`, {}),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await stack.db('case_events').where({ case_id: created.body.caseId })).toHaveLength(5);
  });

  it('when the dispute is already before the police, then acceptance is refused with the rule and its article', async () => {
    const created = await request(
      'POST',
      '/cases',
      partyApplication({ priorProceedings: { before: 'police', reference: '揭公榕字〔2026〕88号' } }),
    );
    const res = await request('POST', `/cases/${created.body.caseId}/accept`, {});
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      status: 422,
      rule: 'already_before_authority',
      article: '司法部《人民调解工作若干规定》第二十二条',
    });
    expect((await request('GET', `/cases/${created.body.caseId}`)).body.status).toBe('REGISTERED');
  });

  it('when a clerk declines a case, then it is not accepted, the notice of other routes is recorded and the process ends', async () => {
    const created = await request('POST', '/cases', partyApplication());
    const res = await request('POST', `/cases/${created.body.caseId}/decline`, {
      reason: 'party_refuses_mediation',
      note: '被申请人明确拒绝调解',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('NOT_ACCEPTED');
    expect(res.body.events[1].payload).toMatchObject({
      reason: 'party_refuses_mediation',
      article: '人民调解法第十七条',
    });
    expect(res.body.events[1].payload.otherRoutesNotice).toContain('仲裁、行政、司法');
    await stack.client.workflow.getHandle(caseWorkflowId(created.body.caseId)).result();
    const after = await request('POST', `/cases/${created.body.caseId}/accept`, {});
    expect(after.status).toBe(409);
    expect(after.body.type).toBe('/problems/case-closed');
    expect((await request('GET', `/cases/${created.body.caseId}`)).body.workflow.status).toBe('COMPLETED');
  });

  it('when the worker stops mid-case and a new one starts, then the case goes on and nothing is written twice', async () => {
    const created = await request('POST', '/cases', partyApplication());
    await stack.restartWorker();
    const res = await request('POST', `/cases/${created.body.caseId}/accept`, {});
    expect(res.status).toBe(200);
    expect(await verifyCaseChain(stack.db, created.body.caseId)).toEqual({ ok: true, events: 5 });
  });
});

describe('bad input', () => {
  it('when the body is not JSON, then 400 problem details and no case', async () => {
    // Marked, so that cases other files register meanwhile (they share the database) are not counted.
    const summary = `不完整请求检查 ${randomUUID()}`;
    const res = await request('POST', '/cases', `{"summary": "${summary}", "channel": "walk_in",`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/malformed-json', status: 400 });
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    expect(await stack.db('cases').where({ summary }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('when fields are wrong, then 400 names each bad field', async () => {
    const body = partyApplication({
      channel: 'carrier_pigeon',
      claimantLearnedOfHarmOn: '2999-01-01',
      surprise: true,
      parties: [
        { role: 'applicant', kind: 'natural', name: '张三', idNumber: '445202190001011230', phone: '12345' },
        { role: 'respondent', kind: 'natural', name: '' },
      ],
    });
    const res = await request('POST', '/cases', body);
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'channel',
        'claimantLearnedOfHarmOn',
        'surprise',
        'parties[0].idNumber',
        'parties[0].phone',
        'parties[1].name',
      ]),
    );
    const idError = res.body.errors.find((e: { field: string }) => e.field === 'parties[0].idNumber');
    expect(idError.message).toContain('check digit');
  });

  it('when a post-filing court case lacks its case number and procedure, then 400 names both', async () => {
    const res = await request('POST', '/cases', courtDelegation({ channel: 'court_post_filing' }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['court.courtCaseNumber', 'court.procedure']),
    );
  });

  it('when a case id is unknown or malformed, then 404 problem details', async () => {
    for (const id of ['0b9d6c1e-3f0a-4c2b-9d8e-7a6b5c4d3e2f', 'not-a-case', fictionalIdNumber()]) {
      const res = await request('GET', `/cases/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ type: '/problems/not-found', status: 404 });
      const action = await request('POST', `/cases/${id}/accept`, {});
      expect(action.status).toBe(404);
    }
  });

  it('when a decline gives no valid reason, then 400 names the field and the case is unchanged', async () => {
    const created = await request('POST', '/cases', partyApplication());
    const res = await request('POST', `/cases/${created.body.caseId}/decline`, { reason: 'bored' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('reason');
    expect((await request('GET', `/cases/${created.body.caseId}`)).body.status).toBe('REGISTERED');
  });
});

describe('operations', () => {
  it('when the API, PostgreSQL and Temporal are up, then /healthz and /readyz say so without credentials, with security headers', async () => {
    const health = await stack.send(undefined, 'GET', '/healthz');
    expect(health.status).toBe(200);
    const ready = await stack.send(undefined, 'GET', '/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
    expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ready.headers.get('x-powered-by')).toBeNull();
  });
});

describe('malformed URLs', () => {
  it('when a path has broken percent-encoding, then 400 problem details, not 500', async () => {
    const res = await request('GET', '/cases/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('/problems/bad-request');
  });
});
