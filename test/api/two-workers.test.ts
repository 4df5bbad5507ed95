/**
 * Two worker processes on one task queue and two API processes, against one database and one Temporal (issue
 * 18 item 2): whichever worker runs the SMS sweep, each text reaches the gateway once; and a holiday calendar
 * loaded through one API instance is counted with by the cases whose workflows live on either worker. The
 * stack runs no worker of its own; the file has its own database, so its sweeps and its calendar touch no other
 * file's texts or cases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarYear, daysBetween, type HolidayCalendar } from '../../domain/calendar.js';
import { withNotice, type CalendarNotice } from '../../domain/calendar-notice.js';
import { DEADLINE_RULES, computeDeadline } from '../../domain/deadlines.js';
import { createOutboxSms } from '../../infra/sms.js';
import { HEADERS, verifyWebhook } from '../../infra/webhooks.js';
import { SMS_SWEEP_WORKFLOW_TYPE, caseWorkflowId } from '../../workflows/messages.js';
import type { smsSweep } from '../../workflows/index.js';
import { calendarOfVersion } from '../support/deadlines.js';
import { partyApplication } from '../support/fixtures.js';
import {
  callApi,
  startApiProcess,
  startWorkerProcess,
  stopAllProcesses,
  type ApiProcess,
  type WorkerProcess,
} from '../support/processes.js';
import { startStack, type Stack } from '../support/stack.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'odr-two-workers-'));
const secret = 'two-workers-gateway-secret';
let stack: Stack;
let gateway: Server;
let apis: ApiProcess[] = [];
let workers: WorkerProcess[] = [];
const auth: Record<string, Record<string, string>> = {};
/** Every request the gateway took, by message id (a real gateway would text the phone each time). */
const takenById = new Map<string, number>();
/** The gateway answers once this resolves: until then no delivery is logged, so every sweep finds every text unsent. */
let held: Promise<void> = Promise.resolve();
let release: () => void = () => undefined;
/** Holds the gateway's answers until `release()`, for at most 6 s (it is no use past the client's 10-s timeout). */
function holdGateway(): void {
  held = new Promise((resolve) => {
    release = resolve;
    setTimeout(resolve, 6_000);
  });
}

/** The gateway: checks the signature, counts the request, and answers once the test releases it. */
function startGateway(): Promise<string> {
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
      if (!verdict.ok) return void res.writeHead(401).end();
      const { messageId } = JSON.parse(raw) as { messageId: string };
      takenById.set(messageId, (takenById.get(messageId) ?? 0) + 1);
      void held.then(() =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ gatewayMessageId: `gw-${messageId}` })),
      );
    });
  });
  return new Promise((resolve) =>
    gateway.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`)),
  );
}

beforeAll(async () => {
  const gatewayUrl = await startGateway();
  stack = await startStack({ ownDatabase: true, externalWorker: true });
  const smsEnv = { SMS_GATEWAY_URL: gatewayUrl, SMS_GATEWAY_SECRET: secret };
  workers = await Promise.all(['w1', 'w2'].map((name) => startWorkerProcess(stack, name, dataDir, smsEnv)));
  apis = await Promise.all(['a', 'b'].map((name) => startApiProcess(stack, name, dataDir)));
  for (const username of ['clerk.chen', 'supervisor.zheng'])
    auth[username] = { authorization: `Bearer ${(await stack.login(username)).token}` };
  // Four processes start side by side (each compiles the sources it runs): minutes on a busy machine.
}, 300_000);

afterAll(async () => {
  await stopAllProcesses();
  await stack?.close();
  await new Promise((resolve) => gateway?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

/** The identities of the workers that ran a workflow's tasks of `kind` (workflow tasks, or its activities). */
async function ranOn(workflowId: string, kind: 'workflow' | 'activity'): Promise<string[]> {
  const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? []).flatMap((e) => {
    const started = kind === 'workflow' ? e.workflowTaskStartedEventAttributes : e.activityTaskStartedEventAttributes;
    return started?.identity ? [started.identity] : [];
  });
}

/** Rounds of eight sweeps at once, until sweeps have run on each worker; answers what each sweep started. */
async function sweepsOnBothWorkers(): Promise<{ started: number }[]> {
  const sweeps: { started: number }[] = [];
  const sweptBy = new Set<string>();
  while (sweptBy.size < 2) {
    if (sweeps.length >= 24) throw new Error(`${sweeps.length} sweeps, all on ${[...sweptBy].join()}`);
    const ids = Array.from({ length: 8 }, () => `sms-sweep-two-workers-${randomUUID()}`);
    const round = ids.map((workflowId) =>
      stack.client.workflow.execute<typeof smsSweep>(SMS_SWEEP_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: stack.taskQueue,
        args: [{}],
      }),
    );
    sweeps.push(...(await Promise.all(round)));
    for (const identity of (await Promise.all(ids.map((id) => ranOn(id, 'activity')))).flat()) sweptBy.add(identity);
  }
  expect([...sweptBy].sort()).toEqual(workers.map((w) => w.identity).sort());
  return sweeps;
}

describe('the SMS sweep with two workers', () => {
  it('when sweeps run at once on both workers while both API instances text, then each text reaches the gateway exactly once', async () => {
    // Each API instance will issue a party of this case an access code (recorded, and its delivery started at once).
    const created = await callApi(apis[0]!, '127.0.0.1', 'POST', '/cases', partyApplication(), auth['clerk.chen']);
    expect(created.status).toBe(201);
    // Texts recorded while Temporal was down (nothing started their delivery), made old enough for the sweep to take
    // only once the gateway holds its answers: a scheduled sweep (every minute) that takes them first logs no
    // delivery before the sweeps below have read them too.
    const outbox = createOutboxSms(stack.db, stack.cipher);
    const recorded = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        outbox.send({ to: `170000${String(77000 + i)}`, body: `测试短信 ${i}`, purpose: 'access_code' }),
      ),
    );
    const ids = recorded.map((r) => r.messageId);
    holdGateway();
    await stack
      .db('sms_outbox')
      .whereIn('message_id', ids)
      .update({ created_at: new Date(Date.now() - 120_000) });
    const [issued, sweeps] = await Promise.all([
      Promise.all(
        created.body.parties.map((p: { partyId: string }, i: number) =>
          callApi(
            apis[i % 2]!,
            '127.0.0.1',
            'POST',
            `/cases/${created.body.caseId}/parties/${p.partyId}/access-code`,
            {},
            auth['clerk.chen'],
          ),
        ),
      ),
      sweepsOnBothWorkers(),
    ]);
    release();
    expect(issued.map((r) => r.status)).toEqual([201, 201]);
    // The sweeps ran side by side: more than one of them asked to start the same texts.
    expect(sweeps.reduce((n, s) => n + s.started, 0)).toBeGreaterThan(ids.length);

    const texts = [
      ...ids,
      ...(await stack.db('sms_outbox').where({ case_id: created.body.caseId }).pluck('message_id')),
    ];
    expect(texts.length).toBeGreaterThanOrEqual(14);
    await expect
      .poll(async () => (await stack.db('sms_outbox').whereIn('message_id', texts).whereNull('sent_at')).length, {
        timeout: 30_000,
        interval: 300,
      })
      .toBe(0);
    // A second delivery of a text would have reached the gateway by now (each reaches it while the first is held).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(Object.fromEntries(texts.map((id) => [id, takenById.get(id)]))).toEqual(
      Object.fromEntries(texts.map((id) => [id, 1])),
    );
  });
});

/**
 * A notice for the years around the cases' last days that makes every day from the earliest to nine days after the
 * latest a rest day (a long break): cases accepted on either side of a midnight have last days a day or a weekend apart.
 */
function noticeMovingPast(cal: HolidayCalendar, lastDays: string[]): CalendarNotice {
  const [first, last] = [[...lastDays].sort()[0]!, [...lastDays].sort().at(-1)!];
  const extra = Array.from({ length: daysBetween(first, last) + 10 }, (_, i) => addDays(first, i));
  const years: CalendarNotice['years'] = {};
  for (const year of new Set(extra.map((d) => d.slice(0, 4)))) {
    const { days } = calendarYear(cal, Number(year));
    const mine = extra.filter((d) => d.startsWith(year));
    years[year] = {
      off: [...new Set([...days.off, ...mine])].sort(),
      workdays: days.workdays.filter((d) => !mine.includes(d)),
    };
  }
  return { source: '测试用放假安排（非官方，仅用于测试）', publishedOn: `${first.slice(0, 4)}-01-01`, years };
}

type Deadline = { ruleId: string; startedAt: string; lastDay: string; calendarVersion: string };
const generalMediation = async (at: ApiProcess, caseId: string): Promise<Deadline> =>
  (await callApi(at, '127.0.0.1', 'GET', `/cases/${caseId}`, undefined, auth['clerk.chen'])).body.deadlines.find(
    (d: Deadline) => d.ruleId === 'general_mediation',
  );

/** Accepted cases, made through both instances until the workflows of some live on each worker (sticky to it). */
async function casesOnBothWorkers(): Promise<string[]> {
  const caseIds: string[] = [];
  const home = new Set<string>();
  while (home.size < 2) {
    if (caseIds.length >= 12) throw new Error(`twelve cases, all on ${[...home].join()}`);
    const at = apis[caseIds.length % 2]!;
    const created = await callApi(at, '127.0.0.1', 'POST', '/cases', partyApplication(), auth['clerk.chen']);
    expect(created.status).toBe(201);
    const accepted = await callApi(
      at,
      '127.0.0.1',
      'POST',
      `/cases/${created.body.caseId}/accept`,
      {},
      auth['clerk.chen'],
    );
    expect(accepted.status).toBe(200);
    caseIds.push(created.body.caseId);
    home.add((await ranOn(caseWorkflowId(created.body.caseId), 'workflow')).at(-1)!);
  }
  expect([...home].sort()).toEqual(workers.map((w) => w.identity).sort());
  return caseIds;
}

describe('a calendar update with two workers', () => {
  it('when a supervisor loads a holiday notice through one instance, then the cases on both workers are recounted on it', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const caseIds = await casesOnBothWorkers();
    const before = await Promise.all(caseIds.map((id) => generalMediation(b, id)));
    const current = await calendarOfVersion(stack.db, before[0]!.calendarVersion);
    // Every case's last day, and the nine days after the latest, become rest days.
    const notice = noticeMovingPast(
      current,
      before.map((d) => d.lastDay),
    );

    const loaded = await callApi(
      a,
      '127.0.0.1',
      'POST',
      '/supervision/calendar',
      { notice, replace: true },
      auth['supervisor.zheng'],
    );
    expect(loaded.status).toBe(201);
    expect(loaded.body.recount.told).toBeGreaterThanOrEqual(caseIds.length);
    const version = loaded.body.version as string;
    // The other instance counts with it too, once its few seconds' cache is past (infra/calendar.ts).
    await expect
      .poll(
        async () => (await callApi(b, '127.0.0.1', 'GET', '/supervision/calendar', undefined, auth['clerk.chen'])).body,
        { timeout: 10_000, interval: 500 },
      )
      .toMatchObject({ version });

    const counted = { ...withNotice(current, notice, { replace: true }).calendar, provisional: current.provisional! };
    const expected = before.map((d) => computeDeadline(DEADLINE_RULES.general_mediation, d.startedAt, counted));
    await expect
      .poll(
        async () =>
          (await Promise.all(caseIds.map((id) => generalMediation(b, id)))).map((d) => [d.lastDay, d.calendarVersion]),
        {
          timeout: 20_000,
          interval: 300,
        },
      )
      .toEqual(expected.map((d) => [d.lastDay, d.calendarVersion]));
    for (const [i, d] of expected.entries()) expect(d.lastDay > addDays(before[i]!.lastDay, 9)).toBe(true);
  });
});
