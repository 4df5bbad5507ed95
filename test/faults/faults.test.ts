/**
 * Fault injection (`npm run test:faults`): cases driven over HTTP from registration to the archive while
 * the worker is killed with SIGKILL at random moments and restarted, the Temporal dev server is restarted
 * (same SQLite file, same port) and PostgreSQL is stopped for a few seconds and started again (same data
 * folder, same port). The court's webhook receiver fails some deliveries and deduplicates by delivery id.
 *
 * Afterwards every case must have reached the state it reaches without faults (CLOSED_ARCHIVED), nothing
 * may be stored twice (events, documents, court messages, texts), every delivery id must have arrived
 * exactly once after deduplication, and every case's chain and documents must verify.
 *
 * The client also drops some connections before the answer comes (FAULT_DROP_RATE, default 0.1 of POSTs),
 * so retries with the same Idempotency-Key meet requests still running and answers already given.
 *
 * FAULT_CASES (default 12) sets the number of cases, FAULT_SEED the seed (printed; a run is repeated by
 * giving it again, up to the scheduling of processes), FAULT_WORKER_KILLS (default 4) the SIGKILLs.
 * KEEP_FAULTS_DIR=1 keeps the run's folder (PostgreSQL's data, Temporal's SQLite file) to look into afterwards.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { loadConfig } from '../../config/index.js';
import { loadSecrets } from '../../config/secrets.js';
import { seedDemoData } from '../../db/demo-seed.js';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { createDb, ensureDatabase, migrateLatest } from '../../db/knex.js';
import { verifyCase } from '../../db/verify-case.js';
import { createFieldCipher } from '../../infra/crypto.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../infra/embedded-postgres.js';
import { findTemporalCli } from '../../infra/temporal-cli.js';
import { startTemporalDevServer, type DevServer } from '../../infra/temporal-dev-server.js';
import { HEADERS, verifyWebhook } from '../../infra/webhooks.js';
import { courtDelegation, loanAgreement } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CASES = Number(process.env.FAULT_CASES ?? 12);
const WORKER_KILLS = Number(process.env.FAULT_WORKER_KILLS ?? 4);
/** The share of POSTs whose connection the client drops before the answer (it then retries with the same key). */
const DROP_RATE = Number(process.env.FAULT_DROP_RATE ?? 0.1);
const SEED = Number(process.env.FAULT_SEED ?? randomBytes(4).readUInt32BE(0));
const COURT = 'court-5202';
const TASK_QUEUE = 'fault-injection';
/** How long the whole workload may take before the run is declared stuck (a lost case). */
const WORKLOAD_LIMIT_MS = 10 * 60_000;

/** mulberry32: a small seeded generator, so a failing run's fault schedule can be repeated. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, between: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}
/** Separate streams, so the fault schedule does not depend on how requests and deliveries interleave. */
const faultRng = seeded(SEED);
const caseRng = seeded(SEED ^ 0x9e3779b9);
const courtRng = seeded(SEED ^ 0x85ebca6b);
const dropRng = seeded(SEED ^ 0xc2b2ae35);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
const clock = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const say = (line: string) => console.log(`[faults ${clock()}] ${line}`);

// ---- the system under test: PostgreSQL, Temporal, worker process, API ----------------------------------

let dir = '';
const secrets = {
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  TOKEN_SECRET: randomBytes(32).toString('base64'),
  SIGNING_KEY: randomBytes(32).toString('base64'),
};
const cipher = createFieldCipher(Buffer.from(secrets.ENCRYPTION_KEY, 'base64'));
let pg: RunningPostgres | undefined;
let pgOptions: Parameters<typeof startEmbeddedPostgres>[0];
let databaseUrl = '';
let temporal: DevServer | undefined;
let temporalOptions: Parameters<typeof startTemporalDevServer>[0];
let api: RunningApi | undefined;
let db: Knex;
let apiKeys: Record<string, string> = {};

function systemEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    DATA_DIR: path.join(dir, 'app'),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal!.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    LOG_LEVEL: 'warn',
    WORKER_METRICS_ADDRESS: '',
    ...secrets,
  };
}

/** The worker runs as `npm run worker` does, under a supervisor that starts it again whenever it exits. */
const workerState = {
  child: undefined as ChildProcess | undefined,
  stopping: false,
  starts: 0,
  kills: 0,
  unexpectedExits: [] as string[],
  lastOutput: [] as string[],
};
function startWorker() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker/main.ts')], {
    cwd: root,
    env: systemEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workerState.child = child;
  workerState.starts += 1;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      workerState.lastOutput = [...workerState.lastOutput.slice(-30), line];
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (workerState.stopping) return;
    if (signal !== 'SIGKILL') {
      workerState.unexpectedExits.push(
        `code ${code} signal ${signal}: ${workerState.lastOutput.slice(-5).join(' | ')}`,
      );
      say(`worker ${child.pid} exited by itself (code ${code}, signal ${signal}); the supervisor restarts it`);
    }
    if (workerState.child === child) setTimeout(() => !workerState.stopping && startWorker(), 1_000);
  });
}
async function killWorker() {
  const child = workerState.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  // The supervisor must not restart this one: the fault decides when the next one starts.
  workerState.child = undefined;
  child.kill('SIGKILL');
  workerState.kills += 1;
  await exited;
}

async function startPostgres() {
  pg = await startEmbeddedPostgres(pgOptions);
}

// ---- the court's side: a webhook receiver that fails now and then and deduplicates by delivery id -------

let receiver: Server;
let webhookSecret = '';
const receiverState = {
  attempts: 0,
  failed: 0,
  refused: 0,
  redelivered: 0,
  accepted: new Map<string, { message: string; caseId: string }>(),
};
function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      receiverState.attempts += 1;
      const verdict = verifyWebhook({
        secret: webhookSecret,
        body,
        timestamp: req.headers[HEADERS.timestamp.toLowerCase()] as string,
        signature: req.headers[HEADERS.signature.toLowerCase()] as string,
      });
      if (!verdict.ok) {
        receiverState.refused += 1;
        res.writeHead(401).end();
        return;
      }
      // The court's own system has bad moments too.
      if (courtRng.next() < 0.2) {
        receiverState.failed += 1;
        res.writeHead(500).end();
        return;
      }
      const id = req.headers[HEADERS.delivery.toLowerCase()] as string;
      if (receiverState.accepted.has(id)) receiverState.redelivered += 1;
      else {
        const parsed = JSON.parse(body) as { message: string; caseId: string };
        receiverState.accepted.set(id, { message: parsed.message, caseId: parsed.caseId });
      }
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/odr-notifications`),
    ),
  );
}

// ---- the client: retries with the same Idempotency-Key until the system answers --------------------------

type Who = { token: string } | { apiKey: string };
type Answer = { status: number; body: any; text: string };
let faultsOn = false;
const clientState = {
  requests: 0,
  retries: 0,
  dropped: 0,
  statuses: new Map<string, number>(),
  /** Error answers that are not problem details (RFC 9457), with the start of their body. */
  notProblems: [] as string[],
  serverErrors: new Map<string, number>(),
};
const surprises: string[] = [];

async function once(
  who: Who | undefined,
  method: string,
  p: string,
  body: unknown,
  key: string | undefined,
  dropAfterMs?: number,
): Promise<Answer> {
  const auth: Record<string, string> =
    who === undefined ? {} : 'token' in who ? { authorization: `Bearer ${who.token}` } : { 'x-api-key': who.apiKey };
  const res = await fetch(apiUrl + p, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
      ...auth,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(dropAfterMs ?? 120_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json, text };
}

/**
 * One logical request: on a network error, a 5xx, or a 409 saying the first attempt is still being
 * processed, the same request is sent again with the same Idempotency-Key, as a real client does.
 */
async function call(
  who: Who | undefined,
  method: string,
  p: string,
  body?: unknown,
  opts: { idempotent?: boolean } = {},
): Promise<Answer> {
  const key = method === 'POST' && opts.idempotent !== false ? randomUUID() : undefined;
  const deadline = Date.now() + WORKLOAD_LIMIT_MS;
  clientState.requests += 1;
  for (let attempt = 1; ; attempt++) {
    let why: string;
    try {
      const drop = key && faultsOn && dropRng.next() < DROP_RATE ? dropRng.between(5, 400) : undefined;
      if (drop !== undefined) clientState.dropped += 1;
      const res = await once(who, method, p, body, key, drop);
      clientState.statuses.set(String(res.status), (clientState.statuses.get(String(res.status)) ?? 0) + 1);
      if (res.status >= 400 && typeof res.body?.type !== 'string')
        clientState.notProblems.push(`${method} ${p} ${res.status}: ${res.text.slice(0, 120)}`);
      const inProgress = res.status === 409 && /idempotency-key-in-progress/.test(String(res.body?.type ?? ''));
      if (res.status < 500 && !inProgress) return res;
      why = `${res.status} ${res.body?.type ?? '(not a problem)'}`;
      const what = `${method} ${p.replace(/[0-9a-f-]{36}/g, ':id')} ${why}`;
      clientState.serverErrors.set(what, (clientState.serverErrors.get(what) ?? 0) + 1);
    } catch (err) {
      clientState.statuses.set('network', (clientState.statuses.get('network') ?? 0) + 1);
      why = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${method} ${p}: no answer after ${attempt} attempts (${why})`);
    clientState.retries += 1;
    await sleep(Math.min(250 * 2 ** Math.min(attempt, 4), 3_000));
  }
}

/** A POST whose answer must be a success; anything else is a finding, reported with its body. */
async function act(who: Who, caseId: string, p: string, body: unknown = {}): Promise<Answer> {
  const res = await call(who, 'POST', `/cases/${caseId}/${p}`, body);
  if (res.status !== 200 && res.status !== 202) {
    surprises.push(`${caseId} ${p}: ${res.status} ${res.text}`);
    throw new Error(`${p}: ${res.status} ${res.text}`);
  }
  return res;
}

/** Reads the case until it shows what the client waits for (after a 202, or before the next step). */
async function until(who: Who, caseId: string, what: string, test: (c: any) => boolean): Promise<any> {
  const deadline = Date.now() + WORKLOAD_LIMIT_MS;
  for (;;) {
    const res = await call(who, 'GET', `/cases/${caseId}`);
    if (res.status === 200 && test(res.body)) return res.body;
    if (Date.now() > deadline)
      throw new Error(`${caseId}: never reached ${what} (last: ${res.status} ${res.body?.status ?? res.text})`);
    await sleep(500);
  }
}

async function login(username: string): Promise<{ token: string }> {
  const res = await call(undefined, 'POST', '/auth/login', { username, password: 'Demo#2026' }, { idempotent: false });
  if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  return { token: res.body.token };
}

// ---- the workload ---------------------------------------------------------------------------------------

let apiUrl = '';
/** Case ids by number; number CASES is the control case, run before any fault. */
const registered = new Map<number, string>();
const progress = new Map<number, string>();
const has = (c: { events: { type: string }[] }, type: string) => c.events.some((e) => e.type === type);

/** One 委派 case from the court's letter to the archive, as the clerk, the mediator and the court do it. */
async function driveCase(n: number, staff: { clerk: Who; mediator: Who; mediatorId: string }, court: Who) {
  const step = async (name: string) => {
    progress.set(n, name);
    // People do not click at machine speed: the cases overlap at every step (the control goes straight through).
    if (faultsOn) await sleep(caseRng.between(0, 1_200));
  };
  await step('register');
  const created = await call(
    court,
    'POST',
    '/cases',
    courtDelegation({ summary: `申请人张三于2025年借给被申请人李四人民币12000元（第${n}号故障注入案件），至今未还。` }),
  );
  if (created.status !== 201 && created.status !== 202)
    throw new Error(`register ${n}: ${created.status} ${created.text}`);
  const caseId = created.body.caseId as string;
  registered.set(n, caseId);
  const view = created.status === 201 ? created.body : await until(staff.clerk, caseId, 'its record', () => true);
  const [applicant, respondent] = view.parties.map((p: { partyId: string }) => p.partyId) as string[];

  await step('accept');
  await act(staff.clerk, caseId, 'accept');
  await step('mediator');
  await act(staff.clerk, caseId, 'mediator', { mode: 'designated', mediatorId: staff.mediatorId });
  await step('mediator/accept');
  await act(staff.mediator, caseId, 'mediator/accept');
  await step('drafts');
  const content = { ...loanAgreement, terms: loanAgreement.terms.map((t) => ({ ...t, payeePartyId: applicant })) };
  await act(staff.mediator, caseId, 'agreement/drafts', { content });
  await step('circulation');
  await act(staff.mediator, caseId, 'agreement/circulation');
  await step('signatures');
  await act(staff.clerk, caseId, 'agreement/signatures', { signer: applicant, method: 'handwritten', draftVersion: 1 });
  let signed = await act(staff.clerk, caseId, 'agreement/signatures', {
    signer: respondent,
    method: 'handwritten',
    draftVersion: 1,
  });
  if (signed.body.status !== 'AGREEMENT_EFFECTIVE') {
    await act(staff.mediator, caseId, 'agreement/signatures', {
      signer: 'mediator',
      method: 'handwritten',
      draftVersion: 1,
    });
    signed = await act(staff.clerk, caseId, 'agreement/signatures', {
      signer: 'organization_seal',
      method: 'seal',
      draftVersion: 1,
    });
  }
  if (signed.body.status !== 'AGREEMENT_EFFECTIVE')
    throw new Error(`case ${n}: not effective after signing (${signed.body.status})`);

  await step('judicial-confirmation');
  await act(staff.clerk, caseId, 'judicial-confirmation', { venueGround: 'delegating_court' });
  await step('application signatures');
  await act(staff.clerk, caseId, 'judicial-confirmation/signatures', { partyId: applicant, method: 'handwritten' });
  await act(staff.clerk, caseId, 'judicial-confirmation/signatures', { partyId: respondent, method: 'handwritten' });
  await until(staff.clerk, caseId, 'the application submitted', (c) => has(c, 'ConfirmationApplicationSubmitted'));
  await step('court acceptance');
  await act(court, caseId, 'judicial-confirmation/acceptance', {
    courtCaseNumber: `(2026)粤5202诉前调确${1000 + n}号`,
  });
  await until(staff.clerk, caseId, 'the court acceptance', (c) => has(c, 'ConfirmationAccepted'));
  await step('court ruling');
  await act(court, caseId, 'judicial-confirmation/ruling', { outcome: 'confirmed' });
  await until(staff.clerk, caseId, 'the ruling', (c) => has(c, 'ConfirmationRuled'));

  await step('payments');
  for (const instalment of [1, 2]) await act(staff.clerk, caseId, 'payments', { instalment, partyId: applicant });
  await until(staff.clerk, caseId, 'PERFORMED', (c) => c.status === 'PERFORMED');
  await step('follow-up');
  await act(staff.mediator, caseId, 'follow-ups', {
    at: '2026-11-25T10:00:00+08:00',
    mode: 'phone',
    note: '双方确认已履行完毕，无异议。',
  });
  await step('archive');
  await act(staff.clerk, caseId, 'archive');
  await until(staff.clerk, caseId, 'CLOSED_ARCHIVED', (c) => c.status === 'CLOSED_ARCHIVED');
  progress.set(n, 'done');
}

// ---- the faults -----------------------------------------------------------------------------------------

type Fault = 'kill_worker' | 'restart_temporal' | 'stop_postgres';
const injected: string[] = [];
const inFlight = () => [...progress.values()].filter((s) => s !== 'done').length;

async function injectFault(fault: Fault) {
  const busy = `${inFlight()} cases in flight`;
  if (fault === 'kill_worker') {
    const pid = workerState.child?.pid;
    await killWorker();
    const down = faultRng.between(200, 3_000);
    injected.push(`${clock()} SIGKILL worker ${pid} (${busy}), restarted after ${down} ms`);
    say(injected.at(-1)!);
    await sleep(down);
    startWorker();
  } else if (fault === 'restart_temporal') {
    const child = temporal!.process;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const down = faultRng.between(500, 3_000);
    await sleep(down);
    temporal = await startTemporalDevServer(temporalOptions);
    injected.push(
      `${clock()} Temporal dev server stopped and started again after ${down} ms, same SQLite file and port (${busy})`,
    );
    say(injected.at(-1)!);
  } else {
    await pg!.stop();
    const down = faultRng.between(3_000, 6_000);
    await sleep(down);
    await startPostgres();
    injected.push(
      `${clock()} PostgreSQL stopped for ${down} ms and started again, same data folder and port (${busy})`,
    );
    say(injected.at(-1)!);
  }
}

/** The faults in a seeded order, a few seconds apart, while the cases run. */
async function injectFaults(workloadDone: () => boolean) {
  const faults: Fault[] = [
    ...Array.from({ length: WORKER_KILLS }, () => 'kill_worker' as const),
    'restart_temporal',
    'stop_postgres',
  ];
  for (let i = faults.length - 1; i > 0; i--) {
    const j = faultRng.between(0, i);
    [faults[i], faults[j]] = [faults[j]!, faults[i]!];
  }
  await sleep(faultRng.between(2_000, 5_000));
  for (const fault of faults) {
    if (workloadDone()) {
      injected.push(`${clock()} (${fault} not injected: the workload had finished)`);
      continue;
    }
    await injectFault(fault);
    await sleep(faultRng.between(3_000, 9_000));
  }
}

/**
 * Every workflow task that failed in the namespace, by workflow and cause, and how many timed out. The server
 * itself fails a task whose completion met new events (UNHANDLED_COMMAND) and retries it at once: not ours.
 */
async function workflowTaskFailures(address: string) {
  const { EventType, WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const failedSteps: string[] = [];
    let timedOutSteps = 0;
    let workflows = 0;
    for await (const execution of client.workflow.list()) {
      workflows += 1;
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      for (const event of history.events ?? []) {
        if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) timedOutSteps += 1;
        const failed = event.workflowTaskFailedEventAttributes;
        if (!failed || failed.cause === WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND) continue;
        failedSteps.push(
          `${execution.workflowId}: ${WorkflowTaskFailedCause[failed.cause ?? 0]} ${failed.failure?.message ?? ''}`,
        );
      }
    }
    return { failedSteps, timedOutSteps, workflows };
  } finally {
    await connection.close();
  }
}

// ---- setup and teardown ---------------------------------------------------------------------------------

beforeAll(async () => {
  say(`seed ${SEED} (FAULT_SEED=${SEED} repeats this schedule), ${CASES} cases, ${WORKER_KILLS} worker kills`);
  dir = mkdtempSync(path.join(tmpdir(), 'odr-faults-'));
  chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must enter it
  mkdirSync(path.join(dir, 'app'));
  const cli = findTemporalCli(loadConfig({ ...process.env, NODE_ENV: 'test' }));
  if (!cli)
    throw new Error('No Temporal CLI found: run `npm run temporal:install` (npm run test:faults does this first).');
  pgOptions = {
    dataDir: path.join(dir, 'pg', 'data'),
    port: await freePort(),
    password: randomBytes(12).toString('hex'),
    persistent: true,
  };
  temporalOptions = {
    cliPath: cli.path,
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
  };
  [temporal] = await Promise.all([startTemporalDevServer(temporalOptions), startPostgres()]);
  await ensureDatabase(pg!.adminUrl, 'odr');
  databaseUrl = pg!.urlFor('odr');
  db = createDb(databaseUrl, { max: 4 });
  await migrateLatest(db);
  apiKeys = (await seedDemoData(db)).apiKeys;

  // Errors only: a 500 in a run of faults must say what it was (outages are warnings, and expected here).
  const config = loadConfig({ ...systemEnv(), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'error' });
  api = await startApi(config, loadSecrets(config));
  apiUrl = api.url;
  startWorker();
  const hook = await call({ apiKey: apiKeys[COURT]! }, 'PUT', '/integration/webhook', { url: await startReceiver() });
  if (hook.status !== 200) throw new Error(`webhook: ${hook.status} ${hook.text}`);
  webhookSecret = hook.body.secret;
});

afterAll(async () => {
  workerState.stopping = true;
  const child = workerState.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await api?.close().catch(() => undefined);
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  await db?.destroy();
  if (temporal && temporal.process.exitCode === null) {
    const exited = new Promise((r) => temporal!.process.once('exit', r));
    temporal.process.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
  }
  await pg?.stop();
  if (dir && !process.env.KEEP_FAULTS_DIR) rmSync(dir, { recursive: true, force: true });
  else if (dir) say(`kept ${dir}`);
});

// ---- the run --------------------------------------------------------------------------------------------

it('when the worker is killed, Temporal restarts and PostgreSQL stops while cases run, then every case is archived once, every delivery arrives once and every record verifies', async () => {
  const runStarted = Date.now();
  const staff = { clerk: await login('clerk.chen'), mediator: await login('mediator.wu'), mediatorId: '' };
  staff.mediatorId = (await call(staff.mediator, 'GET', '/auth/me')).body.principal.id;
  const court = { apiKey: apiKeys[COURT]! };

  // The control: one case through the same path before any fault, for the state and record a case reaches without faults.
  await driveCase(CASES, staff, court);
  const controlId = registered.get(CASES)!;
  say(`control case ${controlId} archived without faults`);

  faultsOn = true;
  let done = false;
  const faults = injectFaults(() => done);
  // Cases start a little apart, so the faults meet them at every step.
  const results = await Promise.allSettled(
    Array.from({ length: CASES }, async (_, n) => {
      await sleep(n * caseRng.between(500, 2_500));
      return driveCase(n, staff, court);
    }),
  );
  done = true;
  await faults;
  faultsOn = false;
  const workloadMs = Date.now() - runStarted;
  const caseIds = Array.from({ length: CASES }, (_, n) => registered.get(n)).filter(
    (id): id is string => id !== undefined,
  );
  const lost = results.flatMap((r, n) =>
    r.status === 'rejected'
      ? [`case ${n} (${registered.get(n) ?? 'not registered'}) at ${progress.get(n)}: ${(r.reason as Error).message}`]
      : [],
  );
  say(`workload finished in ${(workloadMs / 1000).toFixed(0)} s: ${CASES - lost.length}/${CASES} archived`);

  // Every message for the court, by its delivery id, reaches the court (deliveries retry with backoff).
  const messages = (await db('institution_messages')
    .whereIn('case_id', [...caseIds, controlId])
    .select('delivery_id', 'case_id', 'message', 'institution_id', 'message_key')) as {
    delivery_id: string;
    case_id: string;
    message: string;
    institution_id: string;
    message_key: string;
  }[];
  const missing = () =>
    messages.filter((m) => !receiverState.accepted.has(m.delivery_id)).map((m) => `${m.case_id} ${m.message}`);
  await expect.poll(missing, { timeout: 180_000, interval: 1_000 }).toEqual([]);

  // ---- what happened
  say(`faults injected:\n  ${injected.join('\n  ')}`);
  say(
    `worker: ${workerState.starts} starts, ${workerState.kills} SIGKILLs, ${workerState.unexpectedExits.length} exits by itself${workerState.unexpectedExits.length ? `:\n  ${workerState.unexpectedExits.join('\n  ')}` : ''}`,
  );
  say(
    `client: ${clientState.requests} requests, ${clientState.dropped} connections dropped on purpose, ${clientState.retries} retries; answers by status ${JSON.stringify(Object.fromEntries(clientState.statuses))}`,
  );
  say(
    `court receiver: ${receiverState.attempts} attempts, ${receiverState.failed} answered 500 on purpose, ${receiverState.redelivered} redeliveries of an id already accepted, ${receiverState.refused} refused signatures, ${receiverState.accepted.size} delivery ids accepted`,
  );
  if (clientState.serverErrors.size)
    say(`answers retried:\n  ${[...clientState.serverErrors].map(([what, n]) => `${n} × ${what}`).join('\n  ')}`);
  if (surprises.length) say(`unexpected answers:\n  ${surprises.join('\n  ')}`);
  expect(lost, 'lost cases').toEqual([]);
  expect(surprises, 'answers a retrying client should never get').toEqual([]);
  // An outage is a 503 (retry with the same key); any other 5xx would be a fault of ours.
  expect(
    [...clientState.statuses.keys()].filter((s) => /^5\d\d$/.test(s) && s !== '503'),
    'server errors other than 503',
  ).toEqual([]);
  expect(clientState.notProblems, 'error answers that are not problem details').toEqual([]);

  // ---- every case reached the state it reaches without faults
  const rows = (await db('cases')
    .whereIn('case_id', [...caseIds, controlId])
    .select('case_id', 'status')) as { case_id: string; status: string }[];
  expect(rows).toHaveLength(CASES + 1);
  expect(
    rows.filter((r) => r.status !== 'CLOSED_ARCHIVED'),
    'cases not archived',
  ).toEqual([]);

  // ---- nothing stored twice
  const duplicateSeqs = await db('case_events')
    .whereIn('case_id', caseIds)
    .groupBy('case_id', 'seq')
    .havingRaw('count(*) > 1')
    .select('case_id', 'seq');
  expect(duplicateSeqs).toEqual([]);
  // The same fact twice (same type, same content) is an effect applied twice.
  const sameFactTwice = await db('case_events')
    .whereIn('case_id', caseIds)
    .groupByRaw('case_id, type, payload')
    .havingRaw('count(*) > 1')
    .select('case_id', 'type', db.raw('count(*)::int as n'));
  expect(sameFactTwice, 'events recorded twice').toEqual([]);
  // Every case followed the control's path, so each has the control's events (by type and count). Reminders are
  // left out: one is recorded only when its case still waits at the reminder time, which depends on timing
  // (a reminder given twice would have been caught above: same rule, same due time).
  const eventTypes = (await db('case_events')
    .whereIn('case_id', [...caseIds, controlId])
    .select('case_id', 'type')) as { case_id: string; type: string }[];
  const shape = (id: string) =>
    eventTypes
      .filter((e) => e.case_id === id && e.type !== 'DeadlineReminder')
      .map((e) => e.type)
      .sort()
      .join(',');
  for (const id of caseIds) expect(shape(id), `events of ${id}, against the control`).toEqual(shape(controlId));

  const documents = (await db('documents')
    .whereIn('case_id', [...caseIds, controlId])
    .select('case_id', 'kind', 'doc_version')) as { case_id: string; kind: string; doc_version: number }[];
  const docKey = (d: { case_id: string; kind: string; doc_version: number }) =>
    `${d.case_id}/${d.kind}/${d.doc_version}`;
  expect(documents.length, 'documents stored twice').toBe(new Set(documents.map(docKey)).size);
  const docShape = (id: string) =>
    documents
      .filter((d) => d.case_id === id)
      .map((d) => `${d.kind}/${d.doc_version}`)
      .sort()
      .join(',');
  expect(docShape(controlId)).toContain('agreement/1');
  expect(docShape(controlId)).toContain('archive_summary/1');
  for (const id of caseIds)
    expect(docShape(id), `documents of ${id}, against the control`).toEqual(docShape(controlId));

  expect(messages.length, 'court messages stored twice').toBe(new Set(messages.map((m) => m.message_key)).size);
  const perCase = (id: string) =>
    messages
      .filter((m) => m.case_id === id)
      .map((m) => `${m.institution_id}:${m.message}`)
      .sort();
  expect(perCase(controlId)).toEqual([
    `${COURT}:agreement_confirmed`,
    `${COURT}:agreement_filed`,
    `${COURT}:application_submitted`,
    `${COURT}:case_accepted`,
  ]);
  for (const id of caseIds)
    expect(perCase(id), `court messages of ${id}, against the control`).toEqual(perCase(controlId));
  const texts = (await db('sms_outbox')
    .whereIn('case_id', [...caseIds, controlId])
    .select('case_id', 'party_id', 'purpose', 'body_enc')) as {
    case_id: string;
    party_id: string | null;
    purpose: string;
    body_enc: string;
  }[];
  const textKeys = texts.map((t) => `${t.case_id}/${t.party_id}/${t.purpose}/${cipher.decrypt(t.body_enc)}`);
  expect(textKeys.length, 'texts stored twice').toBe(new Set(textKeys).size);

  // ---- every delivery id arrived exactly once after deduplication, and only ours arrived
  const accepted = [...receiverState.accepted.entries()];
  expect(accepted.map(([id]) => id).sort()).toEqual(messages.map((m) => m.delivery_id).sort());
  for (const [id, got] of accepted) {
    const m = messages.find((x) => x.delivery_id === id)!;
    expect(got).toEqual({ message: m.message, caseId: m.case_id });
  }

  // ---- every chain and every document verifies, by the function and by the operator's command
  const store = createPostgresDocumentStore(db);
  for (const id of [...caseIds, controlId])
    expect(await verifyCase(db, id, store), `case ${id}`).toMatchObject({ ok: true });
  const command = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts/verify-chain.ts'), '--all'],
      { cwd: root, env: systemEnv() },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
  expect(command.code, command.stdout + command.stderr).toBe(0);
  expect(command.stdout).toContain(`${CASES + 1} verified, 0 broken`);

  // ---- no workflow code failed: a killed worker's step times out and is retried, but a step that fails
  // (nondeterminism on replay, an error thrown by workflow code) is a fault of ours, faults or not.
  const { failedSteps, timedOutSteps, workflows } = await workflowTaskFailures(temporal!.address);
  say(`${workflows} workflows: ${timedOutSteps} steps timed out (killed workers), ${failedSteps.length} failed`);
  expect(failedSteps, 'workflow tasks that failed').toEqual([]);
  say(
    `verified ${CASES + 1} cases (${eventTypes.length} events, ${documents.length} documents, ${messages.length} court messages, ${texts.length} texts); run took ${((Date.now() - runStarted) / 1000).toFixed(0)} s`,
  );
});
