/** Starts and stops the API with its connections: used by api/main.ts and by tests. */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Config } from '../config/index.js';
import type { Secrets } from '../config/secrets.js';
import { seedReferenceData } from '../db/demo-seed.js';
import { createPostgresDocumentStore } from '../db/documents.js';
import { createDb, migrateLatest } from '../db/knex.js';
import { createFieldCipher } from '../infra/crypto.js';
import { connectClient } from '../infra/temporal.js';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createLogger, logTo, type Log, type Logger } from '../infra/logger.js';
import { createOutboxSms } from '../infra/sms.js';
import { createApp } from './app.js';
import { freeKeysOfCutRequests } from './idempotency.js';
import { ensureSmsSweepSchedule } from './sms-delivery.js';
import { databaseCalendarSource, type CalendarSource } from '../infra/calendar.js';
import { calendarUpkeep } from '../infra/calendar-load.js';

export type RunningApi = {
  url: string;
  /** The API's logger (pino, at LOG_LEVEL): api/main.ts writes its start and stop lines with it. */
  logger: Logger;
  /**
   * Graceful stop: /readyz turns 503 at once so a load balancer stops sending, new requests are still
   * served for `drainMs`, then the server stops accepting, lets in-flight requests finish (at most
   * `finishMs`) and closes its connections. A request cut there frees its Idempotency-Key before the
   * database pool closes, so its retry at another instance proceeds at once.
   */
  close(opts?: { drainMs?: number; finishMs?: number }): Promise<void>;
};

export async function startApi(config: Config, secrets: Secrets): Promise<RunningApi> {
  if (!config.database.url || !config.temporal.address)
    throw new Error('the API needs DATABASE_URL and TEMPORAL_ADDRESS');
  const db = createDb(config.database.url);
  await migrateLatest(db);
  // The center, its organizations and the courts must exist to number and route cases; an administrator's
  // later changes are kept (existing rows are never overwritten).
  await seedReferenceData(db);
  const cipher = createFieldCipher(secrets.encryptionKey);
  const { client, connection } = await connectClient({
    address: config.temporal.address,
    namespace: config.temporal.namespace,
    cipher,
  });
  let draining = false;
  const logger = createLogger({ level: config.logLevel, service: 'api' });
  const log = logTo(logger);
  const calendars = databaseCalendarSource(db);
  const app = createApp({
    calendars,
    isDraining: () => draining,
    allowInternalWebhooks: config.env !== 'production',
    metricsToken: config.metricsToken,
    logger,
    db,
    temporal: client,
    cipher,
    sms: createOutboxSms(db, cipher),
    documents: createPostgresDocumentStore(db, config.documentBytes),
    taskQueue: config.temporal.taskQueue,
    auth: config.auth,
    actionWait: config.actionWaitMs,
    version: packageVersion(),
    publicBaseUrl: config.http.publicBaseUrl,
    trustProxy: config.http.trustProxy,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const stopUpkeep = startUpkeep({ db, client, calendars, taskQueue: config.temporal.taskQueue, log });
  return {
    logger,
    url: `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${port}`,
    async close({ drainMs = 0, finishMs = 10_000 } = {}) {
      draining = true;
      stopUpkeep();
      if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, finishMs).unref())]);
      // The requests still running are cut: their Idempotency-Keys are freed first, so a client retrying at once
      // finds its key free; then again for any request that claimed its key meanwhile.
      await freeKeysOfCutRequests(db);
      server.closeAllConnections();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      await freeKeysOfCutRequests(db);
      await connection.close();
      await db.destroy();
    },
  };
}

/**
 * What every API instance keeps up in the background; returns what stops it. Both are safe from several
 * instances at once.
 */
function startUpkeep(opts: {
  db: Knex;
  client: Client;
  calendars: CalendarSource;
  taskQueue: string;
  log: Log;
}): () => void {
  const { db, client, calendars, taskQueue, log } = opts;
  // Clocks counted on an older calendar (or never counted, by a version before provisional counting) are
  // recounted once the API is up, and again every ten minutes (a clock counted on a cached calendar in the
  // seconds after a load is caught there); a case told twice recounts once, so every instance may do it.
  const upkeep = () =>
    calendarUpkeep(db, client, calendars).then(
      ({ told }) =>
        told > 0 &&
        log('running cases told to recount their deadlines on the calendar in force', { level: 'info', count: told }),
      (err: unknown) =>
        log('calendar upkeep failed; it runs again in ten minutes (or `npm run calendar -- recount`)', {
          level: 'warn',
          error: err instanceof Error ? err.name : typeof err,
        }),
    );
  // Texts whose delivery could not be started when they were recorded (Temporal was down) are started by the
  // Temporal Schedule `sms-sweep`, one per namespace: made sure of now and every minute, so a Temporal that was
  // down at start, or lost its state, has it again within a minute.
  const ensureSweep = () =>
    ensureSmsSweepSchedule(client, { taskQueue }).then(
      (outcome) => outcome !== 'unchanged' && log(`sms sweep schedule ${outcome}`, { level: 'info' }),
      (err: unknown) =>
        log('sms sweep schedule not ensured; tried again in a minute', {
          level: 'warn',
          error: err instanceof Error ? err.name : typeof err,
        }),
    );
  void upkeep();
  void ensureSweep();
  const timers = [setInterval(() => void upkeep(), 10 * 60_000), setInterval(() => void ensureSweep(), 60_000)];
  for (const t of timers) t.unref();
  return () => timers.forEach((t) => clearInterval(t));
}

/** The project's version, from its package.json (run from source, or built into dist/). */
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'odr-case-center' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next
    }
  }
  return '0.0.0';
}
