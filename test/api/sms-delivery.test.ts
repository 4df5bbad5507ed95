/**
 * SMS delivery, at least once: every text is recorded in the outbox, then a delivery workflow hands it to
 * the SMS gateway, retrying with backoff and logging each attempt. The gateway here is an HTTP adapter
 * that checks the signature, loses its first answer, is busy for the second, and deduplicates by message
 * id; it ends with every message exactly once. A number the gateway refuses is not retried. A text whose
 * delivery could not be started (Temporal down) is started by the SMS sweep, a Temporal Schedule.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSmsSweepSchedule } from '../../api/sms-delivery.js';
import { createHttpSmsGateway, createOutboxSms } from '../../infra/sms.js';
import { HEADERS, verifyWebhook } from '../../infra/webhooks.js';
import {
  SMS_DELIVERY_WORKFLOW_TYPE,
  SMS_SWEEP_BATCH,
  SMS_SWEEP_WORKFLOW_TYPE,
  smsDeliveryWorkflowId,
} from '../../workflows/messages.js';
import type { smsSweep } from '../../workflows/index.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

const secret = 'sms-gateway-test-secret';
const REFUSED_PHONE = '17000009999';
let stack: Stack;
let clerk: Credentials;
let gateway: Server;
const attemptsById = new Map<string, number>();
/** What the phones received, after deduplication by message id. */
const received = new Map<string, { to: string; body: string }>();
const forged: string[] = [];
/** This file's own sweep schedule (the run's Temporal server is shared; the cluster's is `sms-sweep`). */
const scheduleId = `sms-sweep-test-${randomUUID()}`;

beforeAll(async () => {
  gateway = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const verdict = verifyWebhook({
        secret,
        body: raw,
        timestamp: req.headers[HEADERS.timestamp.toLowerCase()] as string,
        signature: req.headers[HEADERS.signature.toLowerCase()] as string,
      });
      if (!verdict.ok) {
        forged.push(verdict.why);
        res.writeHead(401).end();
        return;
      }
      const m = JSON.parse(raw) as { messageId: string; to: string; body: string };
      if (m.to === REFUSED_PHONE) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"number not in service"}');
        return;
      }
      const n = (attemptsById.get(m.messageId) ?? 0) + 1;
      attemptsById.set(m.messageId, n);
      // The first attempt is taken, but its answer is lost; the second finds the gateway busy.
      if (n === 1) received.set(m.messageId, { to: m.to, body: m.body });
      if (n <= 2) {
        res.writeHead(n === 1 ? 500 : 503).end();
        return;
      }
      received.set(m.messageId, { to: m.to, body: m.body });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ gatewayMessageId: `gw-${m.messageId.slice(0, 8)}` }));
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
  stack = await startStack({ smsGateway: createHttpSmsGateway({ url, secret }) });
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen']!;
});
afterAll(async () => {
  await stack?.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await stack?.close();
  await new Promise((resolve) => gateway?.close(resolve));
});

const attempts = (messageId: string) =>
  stack
    .db('delivery_attempts')
    .where({ delivery_id: messageId })
    .orderBy('attempt')
    .select('channel', 'attempt', 'outcome', 'error');

/** Triggers this file's sweep schedule and waits for the run it starts; answers what the run returned. */
async function sweepNow(): Promise<{ started: number }> {
  const schedule = stack.client.schedule.getHandle(scheduleId);
  const taken = (await schedule.describe()).info.numActionsTaken;
  // Now, even while a scheduled run is going (the schedule itself skips then).
  await schedule.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  let run: { workflowId: string; firstExecutionRunId: string } | undefined;
  await expect
    .poll(
      async () => {
        const { info } = await schedule.describe();
        run = info.recentActions.at(-1)?.action.workflow;
        return info.numActionsTaken > taken;
      },
      // The schedule's own workflow runs in the server beside every case of the run: late in a full suite it has
      // once not acted on a trigger within 30 s (a trigger is durable: it is waited for, not sent again).
      { timeout: 90_000, interval: 200 },
    )
    .toBe(true);
  return stack.client.workflow.getHandle<typeof smsSweep>(run!.workflowId, run!.firstExecutionRunId).result();
}

/** Runs the sweep workflow itself, as the schedule would, and waits for it. */
function runSweep(): Promise<{ started: number }> {
  return stack.client.workflow.execute<typeof smsSweep>(SMS_SWEEP_WORKFLOW_TYPE, {
    workflowId: `sms-sweep-direct-${randomUUID()}`,
    taskQueue: stack.taskQueue,
    args: [{ limit: SMS_SWEEP_BATCH }],
  });
}

describe('SMS delivery', () => {
  it('when the gateway loses an answer and is busy, then each text reaches the phone exactly once after deduplication, every attempt logged', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    expect(created.status, created.text).toBe(201);
    const { caseId } = created.body;
    const partyId = created.body.parties[0].partyId as string;
    // Two texts from the API: the access code the clerk issues, then the party's one-time login code.
    const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${partyId}/access-code`, {});
    expect(issued.status, issued.text).toBe(201);
    const challenge = await stack.send(undefined, 'POST', '/auth/party/challenge', {
      accessCode: issued.body.accessCode,
    });
    expect(challenge.status, challenge.text).toBe(201);

    const outbox = await stack.outbox(partyId);
    expect(outbox.map((m) => m.purpose).sort()).toEqual(['access_code', 'one_time_code']);
    await expect
      .poll(async () => (await stack.outbox(partyId)).every((m) => m.sentAt !== null), {
        timeout: 30_000,
        interval: 300,
      })
      .toBe(true);

    for (const m of outbox) {
      expect(received.get(m.messageId)).toEqual({ to: '17000001234', body: m.body });
      expect(attemptsById.get(m.messageId)).toBe(3);
      const logged = await attempts(m.messageId);
      expect(logged.map((a) => [a.channel, a.attempt, a.outcome])).toEqual([
        ['sms', 1, 'failed'],
        ['sms', 2, 'failed'],
        ['sms', 3, 'delivered'],
      ]);
      // The log says what the gateway answered, never the number or the text.
      expect(logged.map((a) => a.error)).toEqual(['the gateway answered 500', 'the gateway answered 503', null]);
    }
    const gatewayIds = await stack
      .db('sms_outbox')
      .whereIn(
        'message_id',
        outbox.map((m) => m.messageId),
      )
      .pluck('gateway_message_id');
    expect(gatewayIds.every((id: string) => id.startsWith('gw-'))).toBe(true);
    // The code the party reads is the one that logs them in.
    const code = /验证码为(\d{6})/.exec(
      received.get(outbox.find((m) => m.purpose === 'one_time_code')!.messageId)!.body,
    )![1];
    expect(
      (await stack.send(undefined, 'POST', '/auth/party/verify', { challengeId: challenge.body.challengeId, code }))
        .status,
    ).toBe(201);
    expect(forged).toEqual([]);
  });

  it('when the gateway refuses a number, then the text is not retried and the refusal is logged', async () => {
    const body = partyApplication();
    body.parties[0]!.phone = REFUSED_PHONE;
    const created = await stack.send(clerk, 'POST', '/cases', body);
    expect(created.status, created.text).toBe(201);
    const partyId = created.body.parties[0].partyId as string;
    expect(
      (await stack.send(clerk, 'POST', `/cases/${created.body.caseId}/parties/${partyId}/access-code`, {})).status,
    ).toBe(201);
    const [text] = await stack.outbox(partyId);
    await expect
      .poll(async () => (await attempts(text!.messageId)).map((a) => a.outcome), { timeout: 30_000, interval: 300 })
      .toEqual(['rejected']);
    const delivery = stack.client.workflow.getHandle(`sms-${text!.messageId}`);
    await expect(delivery.result()).rejects.toThrow();
    expect(await attempts(text!.messageId)).toHaveLength(1);
    expect((await stack.outbox(partyId))[0]!.sentAt).toBeNull();
  });

  it('when the sweep schedule is ensured twice, then there is one schedule, every minute, skipping a run while one is going, on this task queue', async () => {
    expect(await ensureSmsSweepSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId })).toBe('created');
    expect(await ensureSmsSweepSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId })).toBe('unchanged');
    const ids: string[] = [];
    for await (const s of stack.client.schedule.list()) if (s.scheduleId === scheduleId) ids.push(s.scheduleId);
    expect(ids).toEqual([scheduleId]);
    const schedule = await stack.client.schedule.getHandle(scheduleId).describe();
    expect(schedule.spec.intervals?.map((i) => i.every)).toEqual([60_000]);
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.action).toMatchObject({ workflowType: SMS_SWEEP_WORKFLOW_TYPE, taskQueue: stack.taskQueue });
    expect(schedule.state.note).toMatch(/deliverSms/);

    // An instance configured otherwise (another task queue) brings it to its own; the next one back again.
    expect(await ensureSmsSweepSchedule(stack.client, { taskQueue: `${stack.taskQueue}-other`, scheduleId })).toBe(
      'updated',
    );
    expect((await stack.client.schedule.getHandle(scheduleId).describe()).action.taskQueue).toBe(
      `${stack.taskQueue}-other`,
    );
    expect(await ensureSmsSweepSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId })).toBe('updated');
    expect((await stack.client.schedule.getHandle(scheduleId).describe()).action.taskQueue).toBe(stack.taskQueue);
  });

  it('when a text was recorded but its delivery could not be started, then the sweep schedule starts it once, and never a text already under way or refused', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    const partyId = created.body.parties[1].partyId as string;
    const outbox = createOutboxSms(stack.db, stack.cipher);
    const recordedAWhileAgo = async (body: string) => {
      const { messageId: id } = await outbox.send({
        to: '17000005678',
        body,
        purpose: 'notice',
        caseId: created.body.caseId,
        partyId,
      });
      await stack
        .db('sms_outbox')
        .where({ message_id: id })
        .update({ created_at: new Date(Date.now() - 120_000) });
      return id;
    };
    // As the API leaves it when Temporal is down: in the outbox, no delivery started.
    const messageId = await recordedAWhileAgo('【测试】一条未能发出的通知');
    // Two whose delivery was started, no attempt logged yet: one still waiting for a worker, one that ended.
    const idle = `${stack.taskQueue}-no-worker`;
    const startOnIdleQueue = (id: string) =>
      stack.client.workflow.start(SMS_DELIVERY_WORKFLOW_TYPE, {
        workflowId: smsDeliveryWorkflowId(id),
        taskQueue: idle,
        args: [{ messageId: id, urgent: false }],
      });
    const underWay = await startOnIdleQueue(await recordedAWhileAgo('【测试】一条已在投递的通知'));
    const ended = await startOnIdleQueue(await recordedAWhileAgo('【测试】一条投递已结束的通知'));
    await ended.terminate('given up by an operator');

    await ensureSmsSweepSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId });
    const first = await sweepNow();
    expect(first.started).toBeGreaterThanOrEqual(3);
    // The sweep asked for both again and got the first's own run: the waiting one still waits, the ended one
    // was not started again.
    for (const [handle, status] of [
      [underWay, 'RUNNING'],
      [ended, 'TERMINATED'],
    ] as const) {
      const d = await stack.client.workflow.getHandle(handle.workflowId).describe();
      expect([d.runId, d.taskQueue, d.status.name]).toEqual([handle.firstExecutionRunId, idle, status]);
    }
    await underWay.terminate('test over');
    await expect
      .poll(async () => (await stack.outbox(partyId)).find((m) => m.messageId === messageId)?.sentAt, {
        timeout: 30_000,
        interval: 300,
      })
      .toBeTruthy();
    expect(received.get(messageId)).toEqual({ to: '17000005678', body: '【测试】一条未能发出的通知' });
    // Delivered: a later sweep leaves it alone.
    await sweepNow();
    expect(attemptsById.get(messageId)).toBe(3);
  }, 240_000);

  it('when a one-time code expires before the gateway takes it, then it is never sent late: the sweep leaves it and a delivery under way stops', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    const partyId = created.body.parties[0].partyId as string;
    const outbox = createOutboxSms(stack.db, stack.cipher);
    const expiredCode = (n: number) =>
      outbox.send({
        to: '17000001234',
        body: `【测试】您的验证码为00000${n}，5分钟内有效。`,
        purpose: 'one_time_code',
        caseId: created.body.caseId,
        partyId,
        expiresAt: new Date(Date.now() - 1000),
      });

    // Recorded while Temporal was down, and expired since: the sweep does not start it.
    const { messageId: unswept } = await expiredCode(1);
    await stack
      .db('sms_outbox')
      .where({ message_id: unswept })
      .update({ created_at: new Date(Date.now() - 120_000) });
    await runSweep();
    await expect(stack.client.workflow.getHandle(smsDeliveryWorkflowId(unswept)).describe()).rejects.toThrow();

    // Its delivery was retrying (the gateway down) when the code expired: the next attempt ends it.
    const { messageId } = await expiredCode(2);
    const result = await stack.client.workflow.execute(SMS_DELIVERY_WORKFLOW_TYPE, {
      workflowId: smsDeliveryWorkflowId(messageId),
      taskQueue: stack.taskQueue,
      args: [{ messageId, urgent: true }],
    });
    expect(result).toEqual({ outcome: 'expired' });
    expect(attemptsById.has(messageId)).toBe(false);
    expect((await attempts(messageId)).map((a) => [a.channel, a.outcome])).toEqual([['sms', 'expired']]);
    expect((await stack.outbox(partyId)).find((m) => m.messageId === messageId)?.sentAt).toBeNull();
  });
});
