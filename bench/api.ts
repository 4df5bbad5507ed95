/**
 * API action latency: POST /cases/:id/sessions (a mediator records a mediation session, an action a case
 * takes many times) through the real Express app, against a bare `executeUpdate` of the same update with
 * the same arguments, interleaved on the same cases in the same run. The parts of the API's extra work
 * that can be timed alone (session lookup, access check, the case view's record read and workflow
 * describe) are sampled in the same loop, outside both timed calls, to say where the difference goes.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app.js';
import { getCaseAccess, getCaseRecord } from '../db/cases.js';
import { DEMO_PASSWORD } from '../db/demo-seed.js';
import { findSession } from '../db/identity.js';
import { createOutboxSms } from '../infra/sms.js';
import { caseActionUpdate, caseWorkflowId, type CaseAction } from '../workflows/messages.js';
import { createDocumentsWorker } from '../worker/documents-worker.js';
import { createWorker } from '../worker/worker.js';
import { loadCast, toMediation, type DrivenCase } from './drive.js';
import { pct, round } from './stats.js';
import type { BenchStack } from './stack.js';

export type ApiBench = {
  action: string;
  p50Ms: number;
  p99Ms: number;
  bareP50Ms: number;
  bareP99Ms: number;
  p99Ratio: number;
  /** Samples of each (API and bare), after warm-up. */
  runs: number;
  cases: number;
  /** p50 of each part of the API's own work, timed alone in the same run. */
  parts: { sessionLookupMs: number; accessCheckMs: number; viewRecordMs: number; viewDescribeMs: number };
};

const session = (i: number) => ({
  at: new Date().toISOString(),
  place: '中心调解室',
  mode: 'in_person' as const,
  record: `第${i}次调解：双方就还款期限交换意见，申请人同意分期。`,
});

export async function benchApi(
  stack: BenchStack,
  opts: { samples: number; log: (line: string) => void },
): Promise<ApiBench> {
  const taskQueue = `bench-api-${randomUUID()}`;
  const worker = await createWorker({
    connection: stack.connection,
    namespace: stack.namespace,
    taskQueue,
    deps: stack.activityDeps,
    workflowBundle: stack.workflowBundle,
  });
  // Documents on their own queue, as a worker process runs them (WORKER_ROLE=all).
  const documentsWorker = await createDocumentsWorker({
    connection: stack.connection,
    namespace: stack.namespace,
    taskQueue,
    deps: stack.activityDeps,
  });
  const running = Promise.all([worker.run(), documentsWorker.run()]);
  const { db, cipher, client } = stack;
  const app = createApp({
    db,
    temporal: client,
    cipher,
    sms: createOutboxSms(db, cipher),
    taskQueue,
    log: () => undefined,
    auth: { staffSessionMs: 30 * 60_000, partySessionMs: 15 * 60_000, oneTimeCodeMs: 5 * 60_000 },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cases: DrivenCase[] = [];
  try {
    const cast = await loadCast(db);
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mediator.wu', password: DEMO_PASSWORD }),
    });
    if (login.status !== 201) throw new Error(`login: ${login.status} ${await login.text()}`);
    const token = ((await login.json()) as { token: string }).token;

    // About ten actions of each kind per case: the case view (all events) stays the size of a real case.
    const caseCount = Math.max(4, Math.ceil(opts.samples / 10));
    opts.log(`api: bringing ${caseCount} cases to mediation`);
    for (let i = 0; i < caseCount; i += 4)
      cases.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(4, caseCount - i) }, () => toMediation(client, taskQueue, cast)),
        )),
      );

    const viaApi = async (c: DrivenCase, i: number) => {
      const t = performance.now();
      const res = await fetch(`${url}/cases/${c.caseId}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(session(i)),
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`POST /sessions: ${res.status} ${body}`);
      return performance.now() - t;
    };
    const bare = async (c: DrivenCase, i: number) => {
      const action: CaseAction = { type: 'record_session', actor: cast.mediator, ...session(i) };
      const t = performance.now();
      await client.workflow.getHandle(caseWorkflowId(c.caseId)).executeUpdate(caseActionUpdate, { args: [action] });
      return performance.now() - t;
    };
    const timeOf = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };

    const warm = Math.min(20, opts.samples);
    const api: number[] = [];
    const plain: number[] = [];
    const parts = {
      sessionLookupMs: [] as number[],
      accessCheckMs: [] as number[],
      viewRecordMs: [] as number[],
      viewDescribeMs: [] as number[],
    };
    opts.log(`api: ${opts.samples} samples each (+${warm} warm-up), interleaved`);
    for (let i = 0; i < warm + opts.samples; i++) {
      const c = cases[i % cases.length]!;
      // Alternate which goes first, so neither always follows the other's work on the case.
      let apiMs: number;
      let bareMs: number;
      if (i % 2 === 0) {
        apiMs = await viaApi(c, i);
        bareMs = await bare(c, i);
      } else {
        bareMs = await bare(c, i);
        apiMs = await viaApi(c, i);
      }
      if (i < warm) continue;
      api.push(apiMs);
      plain.push(bareMs);
      parts.sessionLookupMs.push(await timeOf(() => findSession(db, token)));
      parts.accessCheckMs.push(await timeOf(() => getCaseAccess(db, c.caseId)));
      parts.viewRecordMs.push(
        await timeOf(() => Promise.all([getCaseRecord(db, cipher, c.caseId), getCaseAccess(db, c.caseId)])),
      );
      parts.viewDescribeMs.push(await timeOf(() => c.handle.describe()));
    }
    const p99Ms = pct(api, 99);
    const bareP99Ms = pct(plain, 99);
    return {
      action: 'POST /cases/:id/sessions (caseAction record_session)',
      p50Ms: round(pct(api, 50)),
      p99Ms: round(p99Ms),
      bareP50Ms: round(pct(plain, 50)),
      bareP99Ms: round(bareP99Ms),
      p99Ratio: round(p99Ms / bareP99Ms),
      runs: opts.samples,
      cases: cases.length,
      parts: {
        sessionLookupMs: round(pct(parts.sessionLookupMs, 50)),
        accessCheckMs: round(pct(parts.accessCheckMs, 50)),
        viewRecordMs: round(pct(parts.viewRecordMs, 50)),
        viewDescribeMs: round(pct(parts.viewDescribeMs, 50)),
      },
    };
  } finally {
    // The cases stay in mediation: end them, so a Temporal server given by TEMPORAL_ADDRESS is left clean.
    await Promise.all(cases.map((c) => c.handle.terminate('bench finished').catch(() => undefined)));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    worker.shutdown();
    documentsWorker.shutdown();
    await running;
  }
}
