/**
 * When the worker fails: `GET /cases/:id` timed with a worker process running and again after it is
 * SIGKILLed and not restarted (the case file comes from the PostgreSQL record, so it should not notice),
 * then actions sent with no worker to take them up (each must answer 503 with Retry-After within the
 * configured `actionWait`, not hang), and the same Idempotency-Keys retried once a worker is back (each
 * must answer 200 and take the action exactly once). Everything goes through HTTP, as a client sees it.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app.js';
import { DEMO_PASSWORD } from '../db/demo-seed.js';
import { countCaseEvents } from '../db/tooling.js';
import { idNumberCheckChar } from '../domain/id-number.js';
import { createOutboxSms } from '../infra/sms.js';
import { caseWorkflowId } from '../workflows/messages.js';
import { pct, round } from './stats.js';
import type { BenchStack, WorkerProcess } from './stack.js';

export type Latency = { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number };

export type DegradedBench = {
  cases: number;
  /** GET samples in each phase (after warm-up with the worker up). */
  runs: number;
  read: {
    /** Answers by `view.source` in each phase. */
    up: Latency & { sources: Record<string, number> };
    down: Latency & {
      sources: Record<string, number>;
      /** Answers that were not a 200 from the record (the requirement), with the first few reasons. */
      notFromRecord: number;
      problems: string[];
      /** Answers that first asked the (absent) workflow for up to a second: a record that was not current. */
      waitedForWorkflow: number;
    };
  };
  action: {
    route: string;
    /** The event the action records: counted after the retries, it must be there once. */
    event: string;
    /** The configured bound (AppDeps.actionWait, ACTION_WAIT_SECONDS in production). */
    waitMs: number;
    /** With the worker down: each answer, timed from the request to the end of the body. */
    refused: { ms: number; status: number; retryAfter: string | null; type: string | null }[];
    /** Once a worker is back: the same keys, retried as a client would (waiting Retry-After on a 503). */
    retried: { status: number; attempts: number; ms: number; effects: number }[];
  };
  /** From spawning the worker process to its first poll. */
  worker: { startMs: number; restartMs: number };
};

/** Short, so the bench does not wait ten seconds per action as production would. */
const ACTION_WAIT_MS = 2_000;
const CASES = 5;
const RETRY_ATTEMPTS = 5;
const EVENT = 'ScreeningRecorded';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const fictionalId = (birth: string, seq: string) => `445202${birth}${seq}` + idNumberCheckChar(`445202${birth}${seq}`);

/** A walk-in loan dispute, as a clerk registers it through POST /cases. */
const intake = () => ({
  channel: 'walk_in',
  disputeType: 'loan_debt',
  summary: '申请人张三借给被申请人李四人民币12000元，约定半年内归还，至今未还。',
  claimantLearnedOfHarmOn: day(-100),
  claimAmountFen: 1_200_000,
  parties: [
    {
      role: 'applicant',
      kind: 'natural',
      name: '张三',
      idNumber: fictionalId('19000101', '123'),
      phone: '17000001234',
      address: '广东省揭阳市榕城区某某路1号',
    },
    {
      role: 'respondent',
      kind: 'natural',
      name: '李四',
      idNumber: fictionalId('19000202', '456'),
      phone: '17000005678',
    },
  ],
});

const latency = (xs: number[]): Latency => ({
  p50Ms: round(pct(xs, 50)),
  p95Ms: round(pct(xs, 95)),
  p99Ms: round(pct(xs, 99)),
  maxMs: round(Math.max(...xs)),
});

export async function benchDegraded(
  stack: BenchStack,
  opts: { samples: number; actions: number; log: (line: string) => void },
): Promise<DegradedBench> {
  const taskQueue = `bench-degraded-${randomUUID()}`;
  const { db, cipher, client } = stack;
  opts.log('degraded: starting a worker process');
  let t = performance.now();
  let worker: WorkerProcess | undefined = await stack.spawnWorker(taskQueue);
  const startMs = performance.now() - t;
  const app = createApp({
    db,
    temporal: client,
    cipher,
    sms: createOutboxSms(db, cipher),
    taskQueue,
    actionWait: ACTION_WAIT_MS,
    log: () => undefined,
    auth: { staffSessionMs: 30 * 60_000, partySessionMs: 15 * 60_000, oneTimeCodeMs: 5 * 60_000 },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const caseIds: string[] = [];
  try {
    const login = async (username: string) => {
      const res = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const clerk = await login('clerk.chen');
    const mediator = await login('mediator.wu');
    const send = async (
      token: string,
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const started = performance.now();
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // not JSON: the status says what happened
      }
      return { status: res.status, headers: res.headers, json, text, ms };
    };
    const expectStatus = (r: { status: number; text: string }, status: number, what: string) => {
      if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text}`);
    };

    // Registered and accepted, as most cases in the queue are; two also in mediation, a session recorded.
    opts.log(`degraded: registering and accepting ${CASES} cases`);
    const mediatorId = ((await send(mediator, 'GET', '/auth/me')).json.principal as { id: string }).id;
    for (let i = 0; i < CASES; i++) {
      const created = await send(clerk, 'POST', '/cases', intake());
      expectStatus(created, 201, 'POST /cases');
      const caseId = created.json.caseId as string;
      caseIds.push(caseId);
      expectStatus(await send(clerk, 'POST', `/cases/${caseId}/accept`, {}), 200, 'accept');
      if (i < 2) {
        expectStatus(
          await send(clerk, 'POST', `/cases/${caseId}/mediator`, { mode: 'designated', mediatorId }),
          200,
          'mediator',
        );
        expectStatus(await send(mediator, 'POST', `/cases/${caseId}/mediator/accept`, {}), 200, 'mediator/accept');
        const session = {
          at: new Date().toISOString(),
          place: '中心调解室',
          mode: 'in_person',
          record: '第1次调解：双方就还款期限交换意见。',
        };
        expectStatus(await send(mediator, 'POST', `/cases/${caseId}/sessions`, session), 200, 'sessions');
      }
    }

    const reads = async (n: number) => {
      const ms: number[] = [];
      const answers: { status: number; source: string | undefined; liveUnavailable: boolean }[] = [];
      for (let i = 0; i < n; i++) {
        const r = await send(clerk, 'GET', `/cases/${caseIds[i % caseIds.length]!}`);
        const view = r.json.view as { source?: string; liveUnavailable?: string } | undefined;
        ms.push(r.ms);
        answers.push({ status: r.status, source: view?.source, liveUnavailable: view?.liveUnavailable !== undefined });
      }
      const sources: Record<string, number> = {};
      for (const a of answers) {
        const key = a.status === 200 ? (a.source ?? 'none') : `HTTP ${a.status}`;
        sources[key] = (sources[key] ?? 0) + 1;
      }
      return { ms, answers, sources };
    };
    const warm = Math.min(20, opts.samples);
    opts.log(`degraded: GET /cases/:id with the worker up, ${opts.samples} samples (+${warm} warm-up)`);
    await reads(warm);
    const up = await reads(opts.samples);

    opts.log('degraded: SIGKILL to the worker (not restarted)');
    await worker.kill();
    worker = undefined;
    opts.log(`degraded: GET /cases/:id with the worker down, ${opts.samples} samples`);
    const down = await reads(opts.samples);
    const bad = down.answers.filter((a) => a.status !== 200 || a.source !== 'record');
    const problems = [...new Set(bad.map((a) => `HTTP ${a.status}, view.source ${a.source ?? 'missing'}`))].slice(0, 5);

    // One action per case, each with its own key: the retry below must find the same key.
    const actions = caseIds
      .slice(0, Math.min(opts.actions, caseIds.length))
      .map((caseId) => ({ caseId, key: `bench-degraded-screening-${caseId}` }));
    const screening = { priorityGroups: ['elderly'] };
    opts.log(
      `degraded: ${actions.length} POST /cases/:id/screening with the worker down (actionWait ${ACTION_WAIT_MS} ms)`,
    );
    const refused: DegradedBench['action']['refused'] = [];
    for (const a of actions) {
      const r = await send(clerk, 'POST', `/cases/${a.caseId}/screening`, screening, { 'idempotency-key': a.key });
      refused.push({
        ms: round(r.ms),
        status: r.status,
        retryAfter: r.headers.get('retry-after'),
        type: typeof r.json.type === 'string' ? r.json.type : null,
      });
    }

    opts.log('degraded: starting a new worker process');
    t = performance.now();
    worker = await stack.spawnWorker(taskQueue);
    const restartMs = performance.now() - t;
    opts.log('degraded: retrying the same keys');
    const retried: DegradedBench['action']['retried'] = [];
    for (const a of actions) {
      const started = performance.now();
      let attempts = 0;
      let status = 0;
      // A client told to come back later: at most a few times, each after Retry-After.
      while (attempts < RETRY_ATTEMPTS) {
        attempts++;
        const r = await send(clerk, 'POST', `/cases/${a.caseId}/screening`, screening, { 'idempotency-key': a.key });
        status = r.status;
        if (status !== 503) break;
        await new Promise((resolve) => setTimeout(resolve, Number(r.headers.get('retry-after') ?? 5) * 1000));
      }
      const effects = await countCaseEvents(db, a.caseId, EVENT);
      retried.push({ status, attempts, ms: round(performance.now() - started), effects });
    }

    return {
      cases: caseIds.length,
      runs: opts.samples,
      read: {
        up: { ...latency(up.ms), sources: up.sources },
        down: {
          ...latency(down.ms),
          sources: down.sources,
          notFromRecord: bad.length,
          problems,
          waitedForWorkflow: down.answers.filter((a) => a.liveUnavailable).length,
        },
      },
      action: { route: 'POST /cases/:id/screening', event: EVENT, waitMs: ACTION_WAIT_MS, refused, retried },
      worker: { startMs: round(startMs), restartMs: round(restartMs) },
    };
  } finally {
    // End the cases, so a Temporal server given by TEMPORAL_ADDRESS is left clean.
    await Promise.all(
      caseIds.map((id) =>
        client.workflow
          .getHandle(caseWorkflowId(id))
          .terminate('bench finished')
          .catch(() => undefined),
      ),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await worker?.kill();
  }
}
