/**
 * Per test file: a worker on its own task queue, a Temporal client and the API on port 0, all against
 * the run's real Temporal dev server and real PostgreSQL (seeded with the demo center and accounts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';
import { createApp } from '../../api/app.js';
import { DEMO_PASSWORD, seedDemoData } from '../../db/demo-seed.js';
import { createPostgresDocumentStore } from '../../db/documents.js';
import { createDb, ensureDatabase, migrateLatest } from '../../db/knex.js';
import type { ActivityDeps, DeadlineOverrides } from '../../activities/index.js';
import { databaseCalendarSource } from '../../infra/calendar.js';
import { createFieldCipher } from '../../infra/crypto.js';
import { isExpectedSdkWarning } from '../../infra/logger.js';
import { createOutboxSms, readOutbox, type SmsGateway } from '../../infra/sms.js';
import { connectClient } from '../../infra/temporal.js';
import { createDocumentsWorker } from '../../worker/documents-worker.js';
import { createWorker } from '../../worker/worker.js';
import { checkResponse } from './response-check.js';

export type Credentials = { token: string } | { apiKey: string } | undefined;
export type HttpResult = { status: number; headers: Headers; body: any; text: string };

export type StackOptions = NonNullable<Parameters<typeof startStack>[0]>;

export async function startStack(
  opts: {
    registrationWait?: number;
    /** How long an action waits for a worker before answering 503. */
    actionWait?: number;
    auth?: Partial<{ staffSessionMs: number; partySessionMs: number; oneTimeCodeMs: number }>;
    /** Receives the app's structured log lines (silent by default). */
    log?: (msg: string, fields: Record<string, unknown>) => void;
    deadlineOverridesMs?: DeadlineOverrides;
    /** Every period counted on the real calendar and run on a clock whose day lasts this long (ms). */
    dayLengthMs?: number;
    /** Run no worker in this process: the test runs one as a separate process (to kill it). */
    externalWorker?: boolean;
    maxHistoryEvents?: number;
    /** host:port for the Temporal SDK's Prometheus metrics of this process's worker. */
    sdkMetricsAddress?: string;
    /** Where the worker hands texts (the local gateway, which sends nothing, by default). */
    smsGateway?: SmsGateway;
    /**
     * A database of this file's own (migrated and seeded), for a test that changes what every case reads,
     * such as the holiday calendar: other files running meanwhile keep the run's shared one.
     */
    ownDatabase?: boolean;
    /** A Temporal server of this file's own (one it stops or wipes), instead of the run's shared one. */
    temporal?: { address: string; namespace: string };
  } = {},
) {
  // Each test file runs in its own process (pool: forks), so the runtime is installed once per file.
  Runtime.install({
    // Warnings, except the one the documents worker (activities only) gives by design.
    logger: new DefaultLogger('WARN', (entry) => {
      if (!isExpectedSdkWarning(entry.message)) console.warn(`[${entry.level}] ${entry.message}`, entry.meta ?? '');
    }),
    ...(opts.sdkMetricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: opts.sdkMetricsAddress } } } }
      : {}),
  });
  const own = opts.ownDatabase ? await ownDatabase(inject('databaseUrl')) : undefined;
  const databaseUrl = own?.url ?? inject('databaseUrl');
  const db = createDb(databaseUrl);
  const encryptionKey = randomBytes(32);
  const signingKey = randomBytes(32);
  const cipher = createFieldCipher(encryptionKey);
  const address = opts.temporal?.address ?? inject('temporalAddress');
  const namespace = opts.temporal?.namespace ?? inject('temporalNamespace');
  const taskQueue = `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const workflowBundle = runBundle();
  const deps: ActivityDeps = {
    db,
    cipher,
    calendars: databaseCalendarSource(db),
    documents: createPostgresDocumentStore(db),
    signingKey,
    publicBaseUrl: 'http://localhost:3000',
    deadlineOverridesMs: opts.deadlineOverridesMs ?? {},
    ...(opts.dayLengthMs ? { dayLengthMs: opts.dayLengthMs } : {}),
    allowInternalWebhooks: true,
    ...(opts.smsGateway ? { smsGateway: opts.smsGateway } : {}),
  };
  /** The case worker and the documents worker, as a worker process runs them (WORKER_ROLE=all). */
  const newWorker = async (): Promise<Worker[]> => [
    await createWorker({ connection, namespace, taskQueue, deps, workflowBundle }),
    await createDocumentsWorker({ connection, namespace, taskQueue, deps }),
  ];
  const runAll = (ws: Worker[]) => Promise.all(ws.map((w) => w.run())).then(() => undefined);
  let worker: Worker[] | undefined = opts.externalWorker ? undefined : await newWorker();
  let running: Promise<void> = worker ? runAll(worker) : Promise.resolve();
  const { client, connection: clientConnection } = await connectClient({ address, namespace, cipher });
  const sms = createOutboxSms(db, cipher);
  const app = createApp({
    db,
    temporal: client,
    cipher,
    sms,
    taskQueue,
    log: opts.log ?? (() => undefined),
    allowInternalWebhooks: true,
    auth: { staffSessionMs: 30 * 60_000, partySessionMs: 15 * 60_000, oneTimeCodeMs: 5 * 60_000, ...opts.auth },
    ...(opts.registrationWait !== undefined ? { registrationWait: opts.registrationWait } : {}),
    ...(opts.actionWait !== undefined ? { actionWait: opts.actionWait } : {}),
    ...(opts.maxHistoryEvents !== undefined ? { maxHistoryEvents: opts.maxHistoryEvents } : {}),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const authOf = (credentials: Credentials): Record<string, string> =>
    credentials === undefined
      ? {}
      : 'token' in credentials
        ? { authorization: `Bearer ${credentials.token}` }
        : { 'x-api-key': credentials.apiKey };
  const send = async (
    credentials: Credentials,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> => {
    const auth = authOf(credentials);
    const res = await fetch(url + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...auth, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // Every answer a test reads is one the OpenAPI document describes (off only with ODR_SKIP_RESPONSE_CHECK=1).
    checkResponse(method, res.url || path, res.status, res.headers.get('content-type'), json);
    return { status: res.status, headers: res.headers, body: json, text };
  };

  const login = async (username: string, password = DEMO_PASSWORD): Promise<{ token: string }> => {
    const res = await send(undefined, 'POST', '/auth/login', { username, password });
    if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${res.text}`);
    return { token: res.body.token };
  };

  /** Logs in staff by username; returns their credentials and account ids. */
  const loginAll = async (usernames: string[]) => {
    const who: Record<string, Credentials> = {};
    const accountId: Record<string, string> = {};
    for (const u of usernames) {
      who[u] = await login(u);
      accountId[u] = (await send(who[u], 'GET', '/auth/me')).body.principal.id;
    }
    return { who, accountId };
  };

  /** A party logs in as a person would: the access code a clerk issued, then the code from the SMS. */
  const partyLogin = async (clerk: Credentials, caseId: string, partyId: string): Promise<{ token: string }> => {
    const issued = await send(clerk, 'POST', `/cases/${caseId}/parties/${partyId}/access-code`, {});
    if (issued.status !== 201) throw new Error(`access code: ${issued.status} ${issued.text}`);
    const challenge = await send(undefined, 'POST', '/auth/party/challenge', { accessCode: issued.body.accessCode });
    if (challenge.status !== 201) throw new Error(`challenge: ${challenge.status} ${challenge.text}`);
    const code = await lastOneTimeCode(partyId);
    const verified = await send(undefined, 'POST', '/auth/party/verify', {
      challengeId: challenge.body.challengeId,
      code,
    });
    if (verified.status !== 201) throw new Error(`verify: ${verified.status} ${verified.text}`);
    return { token: verified.body.token };
  };

  /** The one-time code the SMS outbox holds for a party (what the party would read on their phone). */
  const lastOneTimeCode = async (partyId: string): Promise<string> => {
    const row = await db('sms_outbox')
      .where({ party_id: partyId, purpose: 'one_time_code' })
      .orderBy('created_at', 'desc')
      .first();
    return /验证码为(\d{6})/.exec(cipher.decrypt(row.body_enc))![1]!;
  };

  return {
    url,
    db,
    cipher,
    client,
    taskQueue,
    send,
    login,
    loginAll,
    partyLogin,
    lastOneTimeCode,
    /**
     * Downloads a PDF as this principal and reads its text back as a court's system would (pdftotext), with
     * whitespace and page footers removed; the status alone when refused.
     */
    async readPdf(credentials: Credentials, downloadPath: string): Promise<{ status: number; text: string }> {
      const res = await fetch(url + downloadPath, { headers: authOf(credentials) });
      if (res.status !== 200) return { status: res.status, text: '' };
      const text = execFileSync('pdftotext', ['-layout', '-', '-'], {
        input: Buffer.from(await res.arrayBuffer()),
        encoding: 'utf8',
      });
      return { status: 200, text: text.replace(/\s+/g, '').replace(/第\d+页共\d+页/g, '') };
    },
    /** What the SMS outbox holds for one party (other test files use other keys). */
    outbox: (partyId: string) => readOutbox(db, cipher, 100, { partyId }),
    apiKeys: own?.apiKeys ?? inject('demoApiKeys'),
    /** The Express app itself (its route table). */
    app,
    /** Stops the worker (as a crash would leave work behind) and starts a new one on the same queue. */
    async restartWorker() {
      worker?.forEach((w) => w.shutdown());
      await running;
      worker = await newWorker();
      running = runAll(worker);
    },
    async stopWorker() {
      worker?.forEach((w) => w.shutdown());
      await running;
      worker = undefined;
    },
    async startWorker() {
      worker = await newWorker();
      running = runAll(worker);
    },
    /** The environment for a worker process of this stack (npm run worker). */
    workerEnv: (dataDir: string): Record<string, string> => ({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ENCRYPTION_KEY: encryptionKey.toString('base64'),
      SIGNING_KEY: signingKey.toString('base64'),
      LOG_LEVEL: 'warn',
      // No fixed metrics port: several test workers may run at once.
      WORKER_METRICS_ADDRESS: '',
      // The run's bundle, as a production worker loads its prebuilt one: no bundling at each start.
      WORKFLOW_BUNDLE_PATH: inject('workflowBundleFile'),
    }),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      worker?.forEach((w) => w.shutdown());
      await running;
      await clientConnection.close();
      await connection.close();
      await db.destroy();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * The workflow bundle the global setup built once for the run (test/support/global-setup.ts). Its source map
 * is inline in the code: the SDK reads it from there and no longer uses the separate field.
 */
function runBundle(): WorkflowBundleWithSourceMap {
  return { code: readFileSync(inject('workflowBundleFile'), 'utf8'), sourceMap: '' };
}

/** A new database beside the run's, migrated and seeded with the demo center (dropped with the server at the end of the run). */
async function ownDatabase(sharedUrl: string): Promise<{ url: string; apiKeys: Record<string, string> }> {
  const url = new URL(sharedUrl);
  const name = `${url.pathname.slice(1)}_${randomBytes(3).toString('hex')}`;
  const admin = new URL(sharedUrl);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), name);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 1 });
  try {
    await migrateLatest(db);
    const { apiKeys } = await seedDemoData(db);
    return { url: url.toString(), apiKeys };
  } finally {
    await db.destroy();
  }
}
