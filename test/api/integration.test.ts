/**
 * Court integration: a court-side server receives signed notifications, refuses forged and stale ones, and
 * ends with every delivery id exactly once although it fails the first attempts (at-least-once delivery
 * by a Temporal activity with backoff, every attempt logged); the court can also poll.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/identity.js';
import { HEADERS, signWebhook, verifyWebhook, webhookTargetProblem } from '../../infra/webhooks.js';
import { courtDelegation } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let court: Credentials;
let clerk: Credentials;
let receiver: Server;
let receiverUrl: string;
let secret = '';
const attemptsById = new Map<string, number>();
const accepted: string[] = [];
const refused: { why: string }[] = [];

beforeAll(async () => {
  stack = await startStack();
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen']!;
  court = { apiKey: (await createApiKey(stack.db, 'court-5222', 'integration test')).key };
  // The court's side: verify, fail each delivery's first two attempts, deduplicate by delivery id.
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const verdict = verifyWebhook({
        secret,
        body,
        timestamp: req.headers[HEADERS.timestamp.toLowerCase()] as string,
        signature: req.headers[HEADERS.signature.toLowerCase()] as string,
      });
      if (!verdict.ok) {
        refused.push({ why: verdict.why });
        res.writeHead(401).end();
        return;
      }
      const id = req.headers[HEADERS.delivery.toLowerCase()] as string;
      const n = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, n);
      if (n <= 2) {
        res.writeHead(503).end();
        return;
      }
      if (!accepted.includes(id)) accepted.push(id);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/odr-notifications`;
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const commissioned = (n: number) =>
  courtDelegation({
    channel: 'court_post_filing',
    court: { courtCode: '粤5222', courtCaseNumber: `(2026)粤5222民初${n}号`, procedure: 'ordinary' },
  });

describe('court integration', () => {
  it('when the court registers its webhook, then only it can read it, and the secret is shown once', async () => {
    const registered = await stack.send(court, 'PUT', '/integration/webhook', { url: receiverUrl });
    expect(registered.status, registered.text).toBe(200);
    secret = registered.body.secret;
    expect(secret).toMatch(/^[\w-]{40,}$/);
    expect((await stack.send(court, 'GET', '/integration/webhook')).body).toEqual({
      url: receiverUrl,
      updatedAt: expect.any(String),
    });
    expect((await stack.send(clerk, 'PUT', '/integration/webhook', { url: receiverUrl })).status).toBe(403);
    expect((await stack.send(court, 'PUT', '/integration/webhook', { url: 'file:///etc/passwd' })).status).toBe(400);
    expect(
      JSON.stringify(await stack.db('institution_webhooks').where({ institution_id: 'court-5222' })),
    ).not.toContain(secret);
  });

  it('when cases are accepted while the court fails the first attempts, then each delivery arrives exactly once after deduplication, and every attempt is logged', async () => {
    const caseIds: string[] = [];
    for (const n of [301, 302]) {
      const created = await stack.send(court, 'POST', '/cases', commissioned(n));
      expect(created.status, created.text).toBe(201);
      caseIds.push(created.body.caseId);
      expect((await stack.send(clerk, 'POST', `/cases/${created.body.caseId}/accept`, {})).status).toBe(200);
    }
    const polled = await stack.send(court, 'GET', '/integration/messages?after=0&limit=200');
    const ours = (polled.body.messages as { deliveryId: string; caseId: string; message: string }[]).filter((m) =>
      caseIds.includes(m.caseId),
    );
    expect(ours.map((m) => m.message)).toEqual(['case_accepted', 'case_accepted']);
    const ids = ours.map((m) => m.deliveryId);
    await expect
      .poll(() => accepted.filter((id) => ids.includes(id)).sort(), { timeout: 30_000, interval: 250 })
      .toEqual([...ids].sort());
    for (const id of ids) {
      expect(attemptsById.get(id)).toBe(3);
      const log = await stack.send(court, 'GET', `/integration/deliveries/${id}/attempts`);
      expect(log.body.attempts.map((a: { outcome: string; httpStatus: number }) => [a.outcome, a.httpStatus])).toEqual([
        ['failed', 503],
        ['failed', 503],
        ['delivered', 204],
      ]);
    }
    expect(
      (await stack.send({ apiKey: stack.apiKeys['court-5202']! }, 'GET', `/integration/deliveries/${ids[0]}/attempts`))
        .status,
    ).toBe(404);
  });

  it('when a webhook URL points inside the network in production, then it is refused', async () => {
    const prod = { allowInternal: false };
    expect(await webhookTargetProblem('http://203.0.113.7/hook', prod)).toBe('not https');
    for (const url of [
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://169.254.169.254/latest',
      'https://192.168.1.1/',
      'https://[::1]/x',
      'https://[fe80::1]/x',
      'https://[::ffff:127.0.0.1]/x',
    ]) {
      expect(await webhookTargetProblem(url, prod), url).toBe('an internal address');
    }
    expect(await webhookTargetProblem('https://user:pw@203.0.113.7/x', prod)).toBe('credentials in the URL');
    expect(await webhookTargetProblem('https://203.0.113.7/hook', prod)).toBeUndefined();
  });

  it('when a notification is forged or stale, then the court-side check refuses it', async () => {
    const body = JSON.stringify({ deliveryId: '00000000-0000-4000-8000-000000000000', message: 'case_accepted' });
    const now = Math.floor(Date.now() / 1000);
    const send = (timestamp: number, signature: string) =>
      fetch(receiverUrl, {
        method: 'POST',
        body,
        headers: { [HEADERS.delivery]: 'x', [HEADERS.timestamp]: String(timestamp), [HEADERS.signature]: signature },
      });
    expect((await send(now, signWebhook('not-the-secret', now, body))).status).toBe(401);
    expect((await send(now - 3600, signWebhook(secret, now - 3600, body))).status).toBe(401);
    expect(refused.map((r) => r.why)).toEqual(['forged', 'stale']);
  });
});
