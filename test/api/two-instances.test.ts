/**
 * Two API instances, each its own process, against one database and one Temporal (issue 18 item 2): every limit
 * on guessing and every Idempotency-Key holds whichever instance a request reaches, even both at once, and no
 * limit keyed on a client address keeps out a person with the right password or code. Both instances trust the proxy in front
 * (TRUST_PROXY=loopback), so each request here says its client's address in X-Forwarded-For; the test stack's
 * own instance, in this process, trusts none.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../api/guess-limits.js';
import { ConfigError, loadConfig } from '../../config/index.js';
import { DEMO_PASSWORD } from '../../db/demo-seed.js';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import {
  callApi as call,
  startApiProcess,
  stopAllProcesses,
  type Answer,
  type ApiProcess as Instance,
} from '../support/processes.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'odr-two-instances-'));

let stack: Stack;
let a: Instance;
let b: Instance;
let clerk: Credentials;
let theCase: { caseId: string; caseNumber: string; applicant: string };
const applicantId = fictionalIdNumber('445202', '19000808', '035');
const applicantPhone = '17000880351';

/** `count` failed guesses from one client, alternating between the instances, ten at a time; each answered `status`. */
async function spend(count: number, guess: (at: Instance, i: number) => Promise<Answer>, status: number) {
  for (let from = 0; from < count; from += 10) {
    const batch = Array.from({ length: Math.min(10, count - from) }, (_, k) => from + k);
    const answers = await Promise.all(batch.map((i) => guess(i % 2 === 0 ? a : b, i)));
    expect(answers.map((r) => r.status)).toEqual(batch.map(() => status));
  }
}

const wrongAccessCode = (i: number) => `WRNG-${String(i).padStart(4, '0')}-ABCD-EFGH-JKMN-PQRS-TVWX-YZ23`;

beforeAll(async () => {
  // Its own database: the limits per address count every attempt made there, and other files sign in too.
  stack = await startStack({ ownDatabase: true });
  [a, b] = await Promise.all([startApiProcess(stack, 'a', dataDir), startApiProcess(stack, 'b', dataDir)]);
  clerk = await stack.login('clerk.chen');
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({
      parties: [
        { role: 'applicant', kind: 'natural', name: '郑九', idNumber: applicantId, phone: applicantPhone },
        {
          role: 'respondent',
          kind: 'natural',
          name: '王十',
          idNumber: fictionalIdNumber('445202', '19000909', '046'),
          phone: '17000990462',
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  theCase = {
    caseId: created.body.caseId,
    caseNumber: created.body.caseNumber,
    applicant: created.body.parties[0].partyId,
  };
  // Two API processes start side by side (each compiles the sources it runs): minutes on a busy machine.
}, 300_000);

afterAll(async () => {
  await stopAllProcesses();
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('limits held across two instances', () => {
  it('when five wrong passwords for one account are spread over both instances, then the sixth is refused at either, even with the right password', async () => {
    for (let i = 0; i < LIMITS.loginFailuresPerUsername; i++) {
      const wrong = await call(i % 2 === 0 ? a : b, `198.51.100.${30 + i}`, 'POST', '/auth/login', {
        username: 'mediator.ma',
        password: `guess-${i}`,
      });
      expect(wrong.status).toBe(401);
    }
    for (const at of [a, b]) {
      const right = await call(at, '198.51.100.39', 'POST', '/auth/login', {
        username: 'mediator.ma',
        password: DEMO_PASSWORD,
      });
      expect(right.status, at.name).toBe(429);
      expect(right.headers.get('retry-after')).toBe(String(LIMITS.window / 1000));
    }
    const other = await call(b, '198.51.100.39', 'POST', '/auth/login', {
      username: 'mediator.guo',
      password: DEMO_PASSWORD,
    });
    expect(other.status).toBe(201);
  });

  it('when twenty wrong passwords for one account arrive at once through both instances, then five are checked and the rest refused', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 === 0 ? a : b, `198.51.100.${100 + i}`, 'POST', '/auth/login', {
          username: 'mediator.he',
          password: `at-once-${i}`,
        }),
      ),
    );
    const checked = guesses.filter((g) => g.status === 401).length;
    expect(checked).toBe(LIMITS.loginFailuresPerUsername);
    expect(guesses.filter((g) => g.status === 429)).toHaveLength(20 - LIMITS.loginFailuresPerUsername);
  });

  it("when a clerk's request with an Idempotency-Key was answered by A, then the same request at B replays that answer and changes nothing", async () => {
    const route = `/cases/${theCase.caseId}/parties/${theCase.applicant}/access-code`;
    const headers = { authorization: `Bearer ${(clerk as { token: string }).token}`, 'idempotency-key': randomUUID() };
    const first = await call(a, '198.51.100.60', 'POST', route, {}, headers);
    expect(first.status).toBe(201);
    const again = await call(b, '198.51.100.60', 'POST', route, {}, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.accessCode).toBeNull();
    // The code A gave is still the party's: B issued no other.
    const challenge = await call(b, '198.51.100.61', 'POST', '/auth/party/challenge', {
      accessCode: first.body.accessCode,
    });
    expect(challenge.status).toBe(201);
    const otherBody = await call(b, '198.51.100.60', 'POST', route, { note: 'x' }, headers);
    expect(otherBody.status).toBe(409);
  });

  it('when one registration with an Idempotency-Key reaches both instances at once and then each again, then one case is registered and every answer is that case or the 409 of a key in flight', async () => {
    const headers = { authorization: `Bearer ${(clerk as { token: string }).token}`, 'idempotency-key': randomUUID() };
    const summary = `同一登记请求同时到达两个实例（${randomUUID()}）。`;
    const body = partyApplication({ summary });
    const atOnce = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(i % 2 === 0 ? a : b, '198.51.100.63', 'POST', '/cases', body, headers)),
    );
    const registered = atOnce.filter((r) => r.status === 201);
    const inFlight = atOnce.filter((r) => r.status === 409);
    expect(registered.length + inFlight.length).toBe(atOnce.length);
    expect(registered.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    for (const r of inFlight) expect(r.body.type).toBe('/problems/idempotency-key-in-progress');
    const caseId = registered[0]!.body.caseId as string;
    for (const r of registered) expect(r.body.caseId).toBe(caseId);
    // Once answered, either instance replays the answer.
    for (const at of [a, b]) {
      const again = await call(at, '198.51.100.63', 'POST', '/cases', body, headers);
      expect(again.status, at.name).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.caseId).toBe(caseId);
    }
    expect(await stack.db('cases').where({ summary }).pluck('case_id')).toEqual([caseId]);
  });

  it('when a login with an Idempotency-Key was answered by A, then the same login at B is a replay and opens no second session', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = { username: 'mediator.luo', password: DEMO_PASSWORD };
    const sessions = async () =>
      Number(
        (
          await stack
            .db('sessions')
            .join('staff_accounts', 'staff_accounts.account_id', 'sessions.account_id')
            .where('staff_accounts.username', 'mediator.luo')
            .count<{ n: string }[]>({ n: '*' })
        )[0]!.n,
      );
    const before = await sessions();
    const first = await call(a, '198.51.100.62', 'POST', '/auth/login', body, headers);
    expect(first.status).toBe(201);
    const again = await call(b, '198.51.100.62', 'POST', '/auth/login', body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.token).toBeNull();
    expect(await sessions()).toBe(before + 1);
  });
});

describe('an address that others guessed from', () => {
  it('when one address gave a hundred wrong passwords through both instances, then its next wrong one is refused at either, and a person there with the right password still logs in', async () => {
    const crowd = '198.51.100.7';
    // The spraying so far, recorded as the API records it (a hundred password hashes would take a minute here)…
    const earlier = LIMITS.loginFailuresPerIp - 4;
    await stack.db('security_events').insert(
      Array.from({ length: earlier }, (_, i) => ({
        kind: 'login_failed',
        subject: `nobody.${i}`,
        ip: crowd,
        detail: JSON.stringify({ reason: 'unknown_user' }),
      })),
    );
    // …and the last four wrong passwords through both instances.
    await spend(
      4,
      (at, i) => call(at, crowd, 'POST', '/auth/login', { username: `nobody.${earlier + i}`, password: 'Winter#2026' }),
      401,
    );
    for (const at of [a, b]) {
      const wrong = await call(at, crowd, 'POST', '/auth/login', { username: 'clerk.lin', password: 'Winter#2026' });
      expect(wrong.status, at.name).toBe(429);
      expect(wrong.headers.get('retry-after')).toBe(String(LIMITS.window / 1000));
      const right = await call(at, crowd, 'POST', '/auth/login', { username: 'clerk.lin', password: DEMO_PASSWORD });
      expect(right.status, at.name).toBe(201);
      expect(right.body.token).toEqual(expect.any(String));
    }
    // Another address has its own count.
    const elsewhere = await call(a, '198.51.100.70', 'POST', '/auth/login', { username: 'nobody', password: 'x' });
    expect(elsewhere.status).toBe(401);
  });

  it('when one address gave twenty wrong access codes, then its next wrong one is refused, and a party there with the right code and SMS code still signs in', async () => {
    const crowd = '198.51.100.8';
    await spend(
      LIMITS.accessCodeFailuresPerIp,
      (at, i) => call(at, crowd, 'POST', '/auth/party/challenge', { accessCode: wrongAccessCode(i) }),
      401,
    );
    const wrong = await call(b, crowd, 'POST', '/auth/party/challenge', { accessCode: wrongAccessCode(99) });
    expect(wrong.status).toBe(429);
    const issued = await stack.send(clerk, 'POST', `/cases/${theCase.caseId}/parties/${theCase.applicant}/access-code`);
    expect(issued.status, issued.text).toBe(201);
    const challenge = await call(a, crowd, 'POST', '/auth/party/challenge', { accessCode: issued.body.accessCode });
    expect(challenge.status).toBe(201);
    const verified = await call(b, crowd, 'POST', '/auth/party/verify', {
      challengeId: challenge.body.challengeId,
      code: await stack.lastOneTimeCode(theCase.applicant),
    });
    expect(verified.status).toBe(201);
    expect(verified.body.caseId).toBe(theCase.caseId);
  });

  it('when one address gave twenty unmatched recoveries, then a party there with the right details still gets a new access code', async () => {
    const crowd = '198.51.100.9';
    const recover = (at: Instance, idNumber: string, phone: string) =>
      call(at, crowd, 'POST', '/auth/party/recovery', { caseNumber: theCase.caseNumber, idNumber, phone });
    // Each guess names another ID number, so no case and ID number reaches its own limit.
    await spend(
      LIMITS.recoveryFailuresPerIp + 1,
      (at, i) => recover(at, fictionalIdNumber('445202', '19000707', String(200 + i)), applicantPhone),
      202,
    );
    const texts = async () => (await stack.outbox(theCase.applicant)).filter((m) => m.purpose === 'access_code').length;
    const before = await texts();
    const right = await recover(b, applicantId, applicantPhone);
    expect(right.status).toBe(202);
    expect(await texts()).toBe(before + 1);
    const flagged = await stack
      .db('security_events')
      .where({ kind: 'rate_limited', ip: crowd })
      .whereRaw(`detail->>'what' = 'access_code_recovery'`);
    expect(flagged).not.toHaveLength(0);
  });
});

describe('the client address behind a proxy', () => {
  it('when X-Forwarded-For names an address that has spent its allowance, then only an instance with TRUST_PROXY takes it as the client', async () => {
    const crowd = '198.51.100.11';
    await spend(
      LIMITS.accessCodeFailuresPerIp,
      (at, i) => call(at, crowd, 'POST', '/auth/party/challenge', { accessCode: wrongAccessCode(100 + i) }),
      401,
    );
    expect((await call(a, crowd, 'POST', '/auth/party/challenge', { accessCode: wrongAccessCode(1) })).status).toBe(
      429,
    );
    // The stack's own instance trusts no proxy: the header is the client's say, and the client is the socket's peer.
    const untrusted = await call(stack, crowd, 'POST', '/auth/party/challenge', { accessCode: wrongAccessCode(2) });
    expect(untrusted.status).toBe(401);
    const recorded = await stack
      .db('security_events')
      .where({ kind: 'access_code_refused' })
      .orderBy('id', 'desc')
      .first('ip');
    expect(recorded.ip).toBe('127.0.0.1');
    const elsewhere = await call(a, '198.51.100.12', 'POST', '/auth/party/challenge', {
      accessCode: wrongAccessCode(3),
    });
    expect(elsewhere.status).toBe(401);
  });

  it('when TRUST_PROXY is set, then it is a hop count or a list of addresses and ranges; anything else is refused by name', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 192.0.2.1' }).http.trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.1',
    ]);
    for (const bad of ['true', '0', '10.0.0.0/33', 'proxy.internal', '1.2.3']) {
      let error: unknown;
      try {
        loadConfig({ TRUST_PROXY: bad });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.variable)).toEqual(['TRUST_PROXY']);
    }
  });
});
