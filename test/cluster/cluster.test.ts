/**
 * Faults at the cluster level (`npm run test:cluster`, issue 18 item 3): the system as `npm run start:cluster`
 * deploys it (embedded PostgreSQL, the real Temporal server on it, two case workers, a documents worker and two API
 * instances, each its own process under the supervisor) drives CLUSTER_CASES (default 50) court-delegated cases over
 * HTTP from the court's letter to the archive, CLUSTER_CONCURRENCY (default 8) at a time, each request going to the
 * next API instance in turn. While they run, as a share of the cases is archived:
 *   - one case worker is SIGKILLed (the supervisor starts it again),
 *   - one API instance is stopped gracefully (SIGTERM) while a request to it is in flight, and started again,
 *   - the Temporal server is stopped and started again, same configuration, same ports, same databases.
 *
 * The client is a real one: on a 503 (which must carry Retry-After) it waits and sends the same request with the
 * same Idempotency-Key; on a connection refused or reset (the stopped instance, or a keep-alive connection it
 * closed) no answer was given, so that counts as a retry on the other instance, not as an answer.
 *
 * Afterwards: no client saw an answer other than 2xx or 503 with Retry-After (a retry whose earlier attempt the
 * stopping instance cut off proceeds at once: the cut request freed its Idempotency-Key, api/idempotency.ts); every
 * case is CLOSED_ARCHIVED with the same event types and document kinds as the control case driven before any fault;
 * every court message's delivery id was accepted once by the court's receiver (which deduplicates by delivery id);
 * every chain and document verifies. The processes' output goes to a log file whose tail is printed when something
 * is wrong.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { seedDemoData } from '../../db/demo-seed.js';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { createDb, ensureDatabase, migrateLatest } from '../../db/knex.js';
import { verifyCase } from '../../db/verify-case.js';
import { clusterChildSpecs, prepareTemporal, waitForHttp, waitForPollers } from '../../infra/cluster.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../infra/embedded-postgres.js';
import { createSupervisor, stopProcess, type Supervisor } from '../../infra/supervisor.js';
import {
  findTemporalServer,
  postgresEndpoint,
  startTemporalServer,
  type RunningServer,
} from '../../infra/temporal-server.js';
import { HEADERS, verifyWebhook } from '../../infra/webhooks.js';
import { bundleWorkflows } from '../../worker/worker.js';
import { courtDelegation, loanAgreement } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';

const CASES = Number(process.env.CLUSTER_CASES ?? 50);
const CONCURRENCY = Number(process.env.CLUSTER_CONCURRENCY ?? 8);
const COURT = 'court-5202';
const TASK_QUEUE = 'cluster-cases';
const NAMESPACE = 'default';
/** How long one logical request or one wait for a case may take before the case counts as lost. */
const PATIENCE_MS = 4 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
const clock = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const say = (line: string) => console.log(`[cluster ${clock()}] ${line}`);

// ---- the cluster: PostgreSQL, the Temporal server, three workers and two APIs as processes -----------------

let dir = '';
let logFile = '';
let logFd: number | undefined;
let pg: RunningPostgres | undefined;
let temporalServer: RunningServer | undefined;
let startServer: () => Promise<RunningServer>;
let supervisor: Supervisor | undefined;
let db: Knex;
let apiKeys: Record<string, string> = {};
let apiUrls: string[] = [];
/** The pid of each supervised process by name, and how often each has exited. */
const pids = new Map<string, number>();
const exits = new Map<string, number>();
const secrets = {
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  TOKEN_SECRET: randomBytes(32).toString('base64'),
  SIGNING_KEY: randomBytes(32).toString('base64'),
};

function clusterEnv(databaseUrl: string, bundle: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    DATA_DIR: path.join(dir, 'app'),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalServer!.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    // Bundled once here, so a worker started again polls within seconds.
    WORKFLOW_BUNDLE_PATH: bundle,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...secrets,
  };
}

/** The last lines the processes wrote, for a failure's report. */
function logTail(lines = 40): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function startProcesses(env: Record<string, string>) {
  const apiPorts = [await freePort(), await freePort()];
  apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  logFd = openSync(logFile, 'a');
  const specs = clusterChildSpecs({ env, apiPorts, caseWorkerMetrics: ['', ''], stdio: ['ignore', logFd, logFd] });
  supervisor = createSupervisor(specs, {
    log: (line) => writeFileSync(logFile, `[supervisor ${clock()}] ${line}\n`, { flag: 'a' }),
    onEvent: (e) => {
      if (e.type === 'started' && e.pid !== undefined) pids.set(e.name, e.pid);
      if (e.type === 'exited') exits.set(e.name, (exits.get(e.name) ?? 0) + 1);
    },
  });
  supervisor.start();
  await Promise.all([
    waitForPollers({ address: temporalServer!.address, namespace: NAMESPACE, taskQueue: TASK_QUEUE }, 2, 120_000),
    ...apiUrls.map((url) => waitForHttp(`${url}/readyz`, 120_000)),
  ]);
}

beforeAll(async () => {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const binaries = findTemporalServer(config, config.temporal.serverPath);
  if (!binaries)
    throw new Error('No Temporal server found: run `npm run temporal:server:install` (npm run test:cluster does).');
  dir = mkdtempSync(path.join(tmpdir(), 'odr-cluster-'));
  chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must enter it
  mkdirSync(path.join(dir, 'app'));
  logFile = path.join(dir, 'processes.log');
  say(`${CASES} cases, ${CONCURRENCY} at a time; processes' output in ${logFile}`);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const [, bundle] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, password, persistent: false }).then((p) => (pg = p)),
    bundleWorkflows().then(({ code }) => {
      writeFileSync(path.join(dir, 'workflow-bundle.js'), code);
      return path.join(dir, 'workflow-bundle.js');
    }),
  ]);
  await ensureDatabase(pg!.adminUrl, 'odr');
  db = createDb(pg!.urlFor('odr'), { max: 4 });
  await migrateLatest(db);
  apiKeys = (await seedDemoData(db)).apiKeys;

  const prepared = await prepareTemporal(config, postgresEndpoint(pg!.adminUrl), await freePort(), say);
  startServer = async () =>
    (temporalServer = await startTemporalServer({
      serverPath: prepared.binaries.server,
      configDir: path.join(dir, 'temporal'),
      config: prepared.config,
      namespace: NAMESPACE,
    }));
  await startServer();
  say(`Temporal server at ${temporalServer!.address}`);
  await startProcesses(clusterEnv(pg!.urlFor('odr'), bundle));
  say(`cluster up: 2 case workers, 1 documents worker, APIs at ${apiUrls.join(', ')}`);
  const hook = await call({ apiKey: apiKeys[COURT]! }, 'PUT', '/integration/webhook', { url: await startReceiver() });
  if (hook.status !== 200) throw new Error(`webhook: ${hook.status} ${hook.text}`);
  webhookSecret = hook.body.secret;
});

afterAll(async () => {
  await supervisor?.stop();
  await stopProcess(temporalServer?.process, 15_000, () => say('the Temporal server did not stop; killing it'));
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  await db?.destroy();
  await pg?.stop();
  if (logFd !== undefined) closeSync(logFd);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- the court's side: a webhook receiver that deduplicates by delivery id ---------------------------------

let receiver: Server | undefined;
let webhookSecret = '';
const receiverState = { attempts: 0, refused: 0, redelivered: 0, accepted: new Map<string, string>() };

function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      receiverState.attempts += 1;
      const header = (name: string) => req.headers[name.toLowerCase()] as string;
      const verdict = verifyWebhook({
        secret: webhookSecret,
        body,
        timestamp: header(HEADERS.timestamp),
        signature: header(HEADERS.signature),
      });
      if (!verdict.ok) {
        receiverState.refused += 1;
        res.writeHead(401).end();
        return;
      }
      const id = header(HEADERS.delivery);
      if (receiverState.accepted.has(id)) receiverState.redelivered += 1;
      else receiverState.accepted.set(id, (JSON.parse(body) as { caseId: string }).caseId);
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    receiver!.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(receiver!.address() as AddressInfo).port}/odr-notifications`),
    ),
  );
}

// ---- the client: the APIs in turn; on 503 or no answer, the same request again -----------------------------

type Who = { token: string } | { apiKey: string };
type Answer = { status: number; body: any; text: string; retryAfter: string | null };
const clientState = {
  requests: 0,
  retries: 0,
  connectionErrors: 0,
  statuses: new Map<string, number>(),
  /** Answers a client must never get: anything but 2xx, or 503 with Retry-After. */
  forbidden: [] as string[],
  inFlight: [0, 0],
};
let turn = 0;

async function once(at: number, who: Who | undefined, method: string, p: string, body: unknown, key?: string) {
  const auth: Record<string, string> =
    who === undefined ? {} : 'token' in who ? { authorization: `Bearer ${who.token}` } : { 'x-api-key': who.apiKey };
  clientState.inFlight[at]! += 1;
  try {
    const res = await fetch(apiUrls[at] + p, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
        ...auth,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, retryAfter: res.headers.get('retry-after') } as Answer;
  } finally {
    clientState.inFlight[at]! -= 1;
  }
}

/** Counts an answer, and notes it when a client should never have got it. */
function judge(method: string, p: string, res: Answer): 'done' | 'retry' {
  clientState.statuses.set(String(res.status), (clientState.statuses.get(String(res.status)) ?? 0) + 1);
  const fine = (res.status >= 200 && res.status < 300) || (res.status === 503 && res.retryAfter !== null);
  if (!fine) clientState.forbidden.push(`${method} ${p}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.status === 503 ? 'retry' : 'done';
}

/** One logical request, to the next API in turn; a POST keeps one Idempotency-Key across its retries. */
async function call(who: Who | undefined, method: string, p: string, body?: unknown): Promise<Answer> {
  const key = method === 'POST' ? randomUUID() : undefined;
  let at = turn++ % 2;
  const deadline = Date.now() + PATIENCE_MS;
  clientState.requests += 1;
  for (let attempt = 1; ; attempt++) {
    let why: string;
    try {
      const res = await once(at, who, method, p, body, key);
      if (judge(method, p, res) === 'done') return res;
      why = `${res.status} ${res.body?.type ?? ''}`;
      await sleep(Math.min(Number(res.retryAfter ?? 2) * 1000, 2_000));
    } catch (err) {
      // No answer: the instance is stopped or closed the connection. A load balancer sends it to the other.
      clientState.connectionErrors += 1;
      why = (err as Error).cause ? String((err as { cause: unknown }).cause) : (err as Error).message;
      at = 1 - at;
      await sleep(100);
    }
    if (Date.now() > deadline) throw new Error(`${method} ${p}: no answer after ${attempt} attempts (${why})`);
    clientState.retries += 1;
  }
}

/** A POST on a case whose answer must be 200 or 202. */
async function act(who: Who, caseId: string, p: string, body: unknown = {}): Promise<Answer> {
  const res = await call(who, 'POST', `/cases/${caseId}/${p}`, body);
  if (res.status !== 200 && res.status !== 202) throw new Error(`${p}: ${res.status} ${res.text}`);
  return res;
}

/** Reads the case until it shows what the client waits for. */
async function until(who: Who, caseId: string, what: string, test: (c: any) => boolean): Promise<any> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const res = await call(who, 'GET', `/cases/${caseId}`);
    if (res.status === 200 && test(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`${caseId}: never reached ${what} (last: ${res.status})`);
    await sleep(500);
  }
}

async function login(username: string): Promise<{ token: string }> {
  const res = await call(undefined, 'POST', '/auth/login', { username, password: 'Demo#2026' });
  if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  return { token: res.body.token };
}

// ---- the workload: one 委派 case from the court's letter to the archive ------------------------------------

type Staff = { clerk: Who; mediator: Who; mediatorId: string; court: Who };
const registered = new Map<number, string>();
const progress = new Map<number, string>();
const has = (c: { events: { type: string }[] }, type: string) => c.events.some((e) => e.type === type);

async function register(n: number, s: Staff): Promise<{ caseId: string; applicant: string; respondent: string }> {
  const summary = `申请人张三于2025年借给被申请人李四人民币12000元（第${n}号集群故障案件），至今未还。`;
  const created = await call(s.court, 'POST', '/cases', courtDelegation({ summary }));
  if (created.status !== 201 && created.status !== 202)
    throw new Error(`register ${n}: ${created.status} ${created.text}`);
  const caseId = created.body.caseId as string;
  registered.set(n, caseId);
  const view = created.status === 201 ? created.body : await until(s.clerk, caseId, 'its record', () => true);
  const [applicant, respondent] = view.parties.map((p: { partyId: string }) => p.partyId) as [string, string];
  return { caseId, applicant, respondent };
}

/** From acceptance to an agreement in effect, signed by both parties (and the mediator and seal when asked). */
async function mediate(s: Staff, caseId: string, applicant: string, respondent: string) {
  await act(s.clerk, caseId, 'accept');
  await act(s.clerk, caseId, 'mediator', { mode: 'designated', mediatorId: s.mediatorId });
  await act(s.mediator, caseId, 'mediator/accept');
  const content = { ...loanAgreement, terms: loanAgreement.terms.map((t) => ({ ...t, payeePartyId: applicant })) };
  await act(s.mediator, caseId, 'agreement/drafts', { content });
  await act(s.mediator, caseId, 'agreement/circulation');
  const sign = (who: Who, signer: string, method: string) =>
    act(who, caseId, 'agreement/signatures', { signer, method, draftVersion: 1 });
  await sign(s.clerk, applicant, 'handwritten');
  let signed = await sign(s.clerk, respondent, 'handwritten');
  if (signed.body.status !== 'AGREEMENT_EFFECTIVE') {
    await sign(s.mediator, 'mediator', 'handwritten');
    signed = await sign(s.clerk, 'organization_seal', 'seal');
  }
  if (signed.body.status !== 'AGREEMENT_EFFECTIVE') throw new Error(`not effective after signing: ${signed.text}`);
}

/** Judicial confirmation by the delegating court, performance, follow-up and the archive. */
async function confirmAndArchive(n: number, s: Staff, caseId: string, applicant: string, respondent: string) {
  await act(s.clerk, caseId, 'judicial-confirmation', { venueGround: 'delegating_court' });
  for (const partyId of [applicant, respondent])
    await act(s.clerk, caseId, 'judicial-confirmation/signatures', { partyId, method: 'handwritten' });
  await until(s.clerk, caseId, 'the application submitted', (c) => has(c, 'ConfirmationApplicationSubmitted'));
  await act(s.court, caseId, 'judicial-confirmation/acceptance', {
    courtCaseNumber: `(2026)粤5202诉前调确${2000 + n}号`,
  });
  await until(s.clerk, caseId, 'the court acceptance', (c) => has(c, 'ConfirmationAccepted'));
  await act(s.court, caseId, 'judicial-confirmation/ruling', { outcome: 'confirmed' });
  await until(s.clerk, caseId, 'the ruling', (c) => has(c, 'ConfirmationRuled'));
  for (const instalment of [1, 2]) await act(s.clerk, caseId, 'payments', { instalment, partyId: applicant });
  await until(s.clerk, caseId, 'PERFORMED', (c) => c.status === 'PERFORMED');
  const at = new Date().toISOString();
  await act(s.mediator, caseId, 'follow-ups', { at, mode: 'phone', note: '双方确认已履行完毕，无异议。' });
  await act(s.clerk, caseId, 'archive');
  await until(s.clerk, caseId, 'CLOSED_ARCHIVED', (c) => c.status === 'CLOSED_ARCHIVED');
}

async function driveCase(n: number, s: Staff) {
  progress.set(n, 'register');
  const { caseId, applicant, respondent } = await register(n, s);
  progress.set(n, 'mediation');
  await mediate(s, caseId, applicant, respondent);
  progress.set(n, 'confirmation');
  await confirmAndArchive(n, s, caseId, applicant, respondent);
  progress.set(n, 'done');
}

/** The cases CONCURRENCY at a time; the lost ones with where they stopped. */
async function driveAll(s: Staff, onArchived: () => void): Promise<string[]> {
  const waiting = Array.from({ length: CASES }, (_, n) => n);
  const lost: string[] = [];
  const lane = async (k: number) => {
    await sleep(k * 400); // the lanes start apart, so the faults meet the cases at different steps
    for (let n = waiting.shift(); n !== undefined; n = waiting.shift()) {
      try {
        await driveCase(n, s);
        onArchived();
      } catch (err) {
        lost.push(
          `case ${n} (${registered.get(n) ?? 'not registered'}) at ${progress.get(n)}: ${(err as Error).message}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => lane(k)));
  return lost;
}

// ---- the faults ------------------------------------------------------------------------------------------

const injected: string[] = [];
const inFlightCases = () => [...progress.values()].filter((p) => p !== 'done').length;
const note = (line: string) => {
  injected.push(`${clock()} ${line}`);
  say(line);
};

/** Waits until the supervisor has started `name` again after `exitsBefore` exits, and it serves. */
async function restarted(name: string, exitsBefore: number, ready: () => Promise<unknown>) {
  while ((exits.get(name) ?? 0) <= exitsBefore) await sleep(50);
  const oldPid = pids.get(name);
  while (pids.get(name) === oldPid) await sleep(50);
  await ready();
}

async function killWorker() {
  const before = exits.get('worker-1') ?? 0;
  const pid = pids.get('worker-1')!;
  process.kill(pid, 'SIGKILL');
  note(`SIGKILL case worker-1 (pid ${pid}), ${inFlightCases()} cases in flight`);
  await restarted('worker-1', before, () => sleep(0));
  note(`worker-1 started again by the supervisor (pid ${pids.get('worker-1')})`);
}

async function stopApiMidRequest() {
  const deadline = Date.now() + 30_000;
  while (clientState.inFlight[1] === 0 && Date.now() < deadline) await sleep(2);
  const busy = clientState.inFlight[1];
  const before = exits.get('api-2') ?? 0;
  process.kill(pids.get('api-2')!, 'SIGTERM');
  note(`SIGTERM api-2 with ${busy} requests in flight to it, ${inFlightCases()} cases in flight`);
  await restarted('api-2', before, () => waitForHttp(`${apiUrls[1]}/readyz`, 120_000));
  note(`api-2 answering again (pid ${pids.get('api-2')})`);
}

async function restartTemporal() {
  note(`stopping the Temporal server, ${inFlightCases()} cases in flight`);
  const down = Date.now();
  await stopProcess(temporalServer!.process, 15_000, () => say('the Temporal server did not stop in 15 s; killing it'));
  await startServer();
  note(`Temporal server serving again after ${Date.now() - down} ms, same configuration and ports`);
}

/** Each fault once the given share of the cases is archived, so every fault meets cases in flight. */
function scheduleFaults(archived: () => number): Promise<void> {
  const at = (share: number) => Math.max(1, Math.floor(CASES * share));
  const plan: [number, () => Promise<void>][] = [
    [at(0.15), killWorker],
    [at(0.35), stopApiMidRequest],
    [at(0.55), restartTemporal],
  ];
  return (async () => {
    for (const [threshold, fault] of plan) {
      while (archived() < threshold) await sleep(100);
      await fault();
    }
  })();
}

// ---- the run ---------------------------------------------------------------------------------------------

type Row = Record<string, any>;
const shapeOf = (rows: Row[], id: string, key: (r: Row) => string) =>
  rows
    .filter((r) => r.case_id === id)
    .map(key)
    .sort()
    .join(',');

function report(lost: string[]) {
  say(`faults:\n  ${injected.join('\n  ')}`);
  say(
    `client: ${clientState.requests} requests, ${clientState.retries} retries, ${clientState.connectionErrors} without an answer; answers by status ${JSON.stringify(Object.fromEntries(clientState.statuses))}`,
  );
  say(
    `court receiver: ${receiverState.attempts} attempts, ${receiverState.redelivered} redeliveries of an id already accepted, ${receiverState.refused} refused, ${receiverState.accepted.size} delivery ids accepted`,
  );
  if (lost.length || clientState.forbidden.length) say(`the processes' last lines:\n${logTail()}`);
}

it('when a case worker is SIGKILLed, an API instance stops mid-request and the Temporal server restarts while cases run, then every case is archived as without faults, every delivery arrives once and every chain verifies', async () => {
  const runStarted = Date.now();
  const clerk = await login('clerk.chen');
  const mediator = await login('mediator.wu');
  const mediatorId = (await call(mediator, 'GET', '/auth/me')).body.principal.id as string;
  const staff: Staff = { clerk, mediator, mediatorId, court: { apiKey: apiKeys[COURT]! } };

  // The control: one case through the same path before any fault.
  await driveCase(CASES, staff);
  const controlId = registered.get(CASES)!;
  say(`control case ${controlId} archived without faults in ${((Date.now() - runStarted) / 1000).toFixed(0)} s`);

  let archived = 0;
  const workloadStarted = Date.now();
  const faults = scheduleFaults(() => archived);
  const lost = await driveAll(staff, () => (archived += 1));
  const seconds = (Date.now() - workloadStarted) / 1000;
  say(`${archived}/${CASES} cases archived in ${seconds.toFixed(0)} s (${(archived / seconds).toFixed(2)} cases/s)`);
  report(lost);
  expect(lost, 'lost cases').toEqual([]);
  await faults;
  expect(
    injected.filter((l) => /SIGKILL|SIGTERM|stopping the Temporal/.test(l)),
    'faults injected',
  ).toHaveLength(3);
  expect(clientState.forbidden, 'answers other than 2xx or 503 with Retry-After').toEqual([]);

  const caseIds = [...registered.values()];
  await expectArchivedLikeControl(caseIds, controlId);
  await expectDeliveredOnce(caseIds, controlId);
  const store = createPostgresDocumentStore(db);
  for (const id of caseIds) expect(await verifyCase(db, id, store), `case ${id}`).toMatchObject({ ok: true });
  say(`${caseIds.length} cases verified; the run took ${((Date.now() - runStarted) / 1000).toFixed(0)} s`);
});

/** Every case CLOSED_ARCHIVED, with the control's event types (reminders aside) and documents, nothing twice. */
async function expectArchivedLikeControl(caseIds: string[], controlId: string) {
  const rows: Row[] = await db('cases').whereIn('case_id', caseIds).select('case_id', 'status');
  expect(rows).toHaveLength(CASES + 1);
  expect(rows.filter((r) => r.status !== 'CLOSED_ARCHIVED')).toEqual([]);
  // A reminder is recorded only when its case still waits at the reminder time, which depends on timing.
  const events: Row[] = await db('case_events')
    .whereIn('case_id', caseIds)
    .whereNot('type', 'DeadlineReminder')
    .select('case_id', 'type');
  const documents: Row[] = await db('documents').whereIn('case_id', caseIds).select('case_id', 'kind', 'doc_version');
  const docKey = (d: Row) => `${d.kind}/${d.doc_version}`;
  expect(shapeOf(documents, controlId, docKey)).toContain('archive_summary/1');
  for (const id of caseIds) {
    expect(
      shapeOf(events, id, (e) => e.type),
      `events of ${id}`,
    ).toEqual(shapeOf(events, controlId, (e) => e.type));
    expect(shapeOf(documents, id, docKey), `documents of ${id}`).toEqual(shapeOf(documents, controlId, docKey));
  }
}

/** Every court message's delivery id accepted by the receiver, once, and nothing else accepted. */
async function expectDeliveredOnce(caseIds: string[], controlId: string) {
  const messages: Row[] = await db('institution_messages')
    .whereIn('case_id', caseIds)
    .select('delivery_id', 'case_id', 'message', 'message_key');
  expect(messages.length, 'court messages stored twice').toBe(new Set(messages.map((m) => m.message_key)).size);
  for (const id of caseIds)
    expect(
      shapeOf(messages, id, (m) => m.message),
      `court messages of ${id}`,
    ).toEqual(shapeOf(messages, controlId, (m) => m.message));
  const missing = () => messages.filter((m) => !receiverState.accepted.has(m.delivery_id)).length;
  await expect.poll(missing, { timeout: 120_000, interval: 1_000 }).toBe(0);
  expect([...receiverState.accepted.keys()].sort()).toEqual(messages.map((m) => m.delivery_id).sort());
  for (const m of messages) expect(receiverState.accepted.get(m.delivery_id)).toBe(m.case_id);
}
