/**
 * API action latency: POST /cases/:id/sessions (a mediator records a mediation session, an action a case
 * takes many times) through the real Express app, against a bare `executeUpdate` of the same update with
 * the same arguments, interleaved on the same cases in the same run. The parts of the API's extra work
 * that can be timed alone (session lookup, access check, the case view's record read, and the
 * Idempotency-Key's claim and kept answer) are sampled in the same loop, outside both timed calls, to say where
 * the difference goes.
 * Each round samples new cases (about ten actions each) and then one case of at least LONG_CASE_EVENTS
 * events, whose answer must cost no more; the report judges the median round of each.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app.js';
import { getCaseAccess } from '../db/cases.js';
import { readCaseView } from '../db/case-view-read.js';
import { DEMO_PASSWORD } from '../db/demo-seed.js';
import { claimIdempotencyKey, recordIdempotentAnswer } from '../db/idempotency.js';
import { findSession } from '../db/identity.js';
import { createOutboxSms } from '../infra/sms.js';
import { caseActionUpdate, caseWorkflowId, snapshotQuery, type CaseAction } from '../workflows/messages.js';
import { createDocumentsWorker } from '../worker/documents-worker.js';
import { createWorker } from '../worker/worker.js';
import { act, loadCast, toMediation, type Cast, type DrivenCase } from './drive.js';
import { pct, round } from './stats.js';
import type { BenchStack } from './stack.js';

/** One set of interleaved samples: the API's action and the bare update, at p50 and p99. */
export type ApiFigures = { p50Ms: number; p99Ms: number; bareP50Ms: number; bareP99Ms: number; p99Ratio: number };

/**
 * The figures are the median round's (by its p99 ratio), on new cases and on one long case; each round's ratio
 * is listed, so the spread between rounds shows.
 */
export type ApiBench = ApiFigures & {
  action: string;
  rounds: number;
  roundRatios: number[];
  /** Samples of each (API and bare) per round, after warm-up. */
  runs: number;
  cases: number;
  /** The same action on one case of at least LONG_CASE_EVENTS events (it grows by two events a sample). */
  long: ApiFigures & { eventsAtStart: number; eventsAtEnd: number; runs: number; roundRatios: number[] };
  /** p50 of each part of the API's own work, timed alone in the same run. */
  parts: { sessionLookupMs: number; accessCheckMs: number; viewRecordMs: number; idempotencyMs: number };
};

/** The long case's length: an action's answer must cost no more on it than on a new case. */
export const LONG_CASE_EVENTS = 500;

const session = (i: number) => ({
  at: new Date().toISOString(),
  place: '中心调解室',
  mode: 'in_person' as const,
  record: `第${i}次调解：双方就还款期限交换意见，申请人同意分期。`,
});

type Sampler = {
  viaApi: (c: DrivenCase, i: number) => Promise<number>;
  bare: (c: DrivenCase, i: number) => Promise<number>;
};
type Samples = { api: number[]; bare: number[] };
type Parts = Record<keyof ApiBench['parts'], number[]>;

export async function benchApi(
  stack: BenchStack,
  opts: { samples: number; rounds?: number; log: (line: string) => void },
): Promise<ApiBench> {
  const rounds = opts.rounds ?? 1;
  const api = await startApi(stack);
  const cases: DrivenCase[] = [];
  try {
    const cast = await loadCast(stack.db);
    const token = await logIn(api.url, 'mediator.wu');
    const sampler = samplerOf(stack, api.url, token, cast);
    // About ten actions of each kind per case: the case view (all events) stays the size of a real case.
    const caseCount = Math.max(4, Math.ceil(opts.samples / 10));
    opts.log(`api: bringing ${caseCount} cases to mediation, and one to ${LONG_CASE_EVENTS} events`);
    for (let i = 0; i < caseCount; i += 4)
      cases.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(4, caseCount - i) }, () => toMediation(stack.client, api.taskQueue, cast)),
        )),
      );
    const long = await toMediation(stack.client, api.taskQueue, cast);
    cases.push(long);
    const eventsAtStart = await lengthen(long, cast, LONG_CASE_EVENTS);
    // At least 200 where the new cases have 400: a p99 over 100 samples would be their maximum, one stall.
    const longRuns = Math.max(10, Math.ceil(opts.samples / 2));
    const parts: Parts = { sessionLookupMs: [], accessCheckMs: [], viewRecordMs: [], idempotencyMs: [] };
    const newRounds: ApiFigures[] = [];
    const longRounds: ApiFigures[] = [];
    for (let r = 0; r < rounds; r++) {
      opts.log(`api round ${r + 1}/${rounds}: ${opts.samples} samples each (+warm-up), interleaved on new cases`);
      const onNew = await sample(sampler, cases.slice(0, -1), opts.samples, (c) => timeParts(stack, token, c, parts));
      newRounds.push(figures(onNew));
      opts.log(`api round ${r + 1}/${rounds}: ${longRuns} samples each on the long case`);
      longRounds.push(figures(await sample(sampler, [long], longRuns)));
    }
    const lastSeq = (await long.handle.query(snapshotQuery)).lastSeq;
    return {
      action: 'POST /cases/:id/sessions (caseAction record_session)',
      ...medianRound(newRounds),
      rounds,
      roundRatios: newRounds.map((f) => f.p99Ratio),
      runs: opts.samples,
      cases: caseCount,
      long: {
        ...medianRound(longRounds),
        eventsAtStart,
        eventsAtEnd: lastSeq,
        runs: longRuns,
        roundRatios: longRounds.map((f) => f.p99Ratio),
      },
      parts: {
        sessionLookupMs: round(pct(parts.sessionLookupMs, 50)),
        accessCheckMs: round(pct(parts.accessCheckMs, 50)),
        viewRecordMs: round(pct(parts.viewRecordMs, 50)),
        idempotencyMs: round(pct(parts.idempotencyMs, 50)),
      },
    };
  } finally {
    // The cases stay in mediation: end them, so a Temporal server given by TEMPORAL_ADDRESS is left clean.
    await Promise.all(cases.map((c) => c.handle.terminate('bench finished').catch(() => undefined)));
    await api.close();
  }
}

/** A worker (cases and documents) on its own task queue, and the real Express app in front of it. */
async function startApi(stack: BenchStack) {
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
  return {
    taskQueue,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      worker.shutdown();
      documentsWorker.shutdown();
      await running;
    },
  };
}

async function logIn(url: string, username: string): Promise<string> {
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (login.status !== 201) throw new Error(`login: ${login.status} ${await login.text()}`);
  return ((await login.json()) as { token: string }).token;
}

/** The same session recorded through the API and by a bare update, each timed. */
function samplerOf(stack: BenchStack, url: string, token: string, cast: Cast): Sampler {
  return {
    viaApi: async (c, i) => {
      const t = performance.now();
      const res = await fetch(`${url}/cases/${c.caseId}/sessions`, {
        method: 'POST',
        // With an Idempotency-Key, as the console sends every action: its answer is kept for replay too.
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(session(i)),
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`POST /sessions: ${res.status} ${body}`);
      return performance.now() - t;
    },
    bare: async (c, i) => {
      const action: CaseAction = { type: 'record_session', actor: cast.mediator, ...session(i) };
      const t = performance.now();
      await stack.client.workflow
        .getHandle(caseWorkflowId(c.caseId))
        .executeUpdate(caseActionUpdate, { args: [action] });
      return performance.now() - t;
    },
  };
}

/** Sessions recorded by bare updates until the case's chain holds at least `events` events; returns its length. */
async function lengthen(c: DrivenCase, cast: Cast, events: number): Promise<number> {
  let lastSeq = 0;
  for (let i = 0; lastSeq < events; i++) {
    const action: CaseAction = { type: 'record_session', actor: cast.mediator, ...session(i) };
    lastSeq = (await act(c, action)).lastSeq;
  }
  return lastSeq;
}

/** `samples` pairs after a warm-up, on the cases in turn; which goes first alternates. */
async function sample(
  sampler: Sampler,
  cases: DrivenCase[],
  samples: number,
  after?: (c: DrivenCase) => Promise<void>,
): Promise<Samples> {
  const warm = Math.min(20, samples);
  const out: Samples = { api: [], bare: [] };
  for (let i = 0; i < warm + samples; i++) {
    const c = cases[i % cases.length]!;
    // Alternate which goes first, so neither always follows the other's work on the case.
    let apiMs: number;
    let bareMs: number;
    if (i % 2 === 0) {
      apiMs = await sampler.viaApi(c, i);
      bareMs = await sampler.bare(c, i);
    } else {
      bareMs = await sampler.bare(c, i);
      apiMs = await sampler.viaApi(c, i);
    }
    if (i < warm) continue;
    out.api.push(apiMs);
    out.bare.push(bareMs);
    await after?.(c);
  }
  return out;
}

/** The parts of the API's own work that can be timed alone, outside both timed calls. */
async function timeParts(stack: BenchStack, token: string, c: DrivenCase, parts: Parts): Promise<void> {
  const timeOf = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const { db, cipher } = stack;
  parts.sessionLookupMs.push(await timeOf(() => findSession(db, token)));
  parts.accessCheckMs.push(await timeOf(() => getCaseAccess(db, c.caseId)));
  parts.viewRecordMs.push(await timeOf(() => readCaseView(db, cipher, c.caseId)));
  // A new key claimed, then its answer kept, as api/idempotency.ts does around every keyed action.
  parts.idempotencyMs.push(
    await timeOf(async () => {
      const id = { scope: `bench ${c.caseId} POST /cases/x/sessions`, key: randomUUID() };
      const claim = await claimIdempotencyKey(db, id, 'bench', new Date(Date.now() + 120_000));
      if (claim) await recordIdempotentAnswer(db, claim, { statusCode: 200, responseBody: {}, responseHeaders: {} });
    }),
  );
}

function figures({ api, bare }: Samples): ApiFigures {
  return {
    p50Ms: round(pct(api, 50)),
    p99Ms: round(pct(api, 99)),
    bareP50Ms: round(pct(bare, 50)),
    bareP99Ms: round(pct(bare, 99)),
    p99Ratio: round(pct(api, 99) / pct(bare, 99)),
  };
}

/** The round whose p99 ratio is the median (the lower middle of an even number). */
function medianRound(rounds: ApiFigures[]): ApiFigures {
  const sorted = [...rounds].sort((a, b) => a.p99Ratio - b.p99Ratio);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
