/** The HTTP edge: `createApp(deps)` without `listen`, so tests can serve it on port 0. */
import express from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { FieldCipher } from '../infra/crypto.js';
import type { SmsSender } from '../infra/sms.js';
import { authenticate, requireAuth } from './auth.js';
import { idempotency } from './idempotency.js';
import { errorHandler, methodNotAllowedHandler, notFoundHandler } from './problem.js';
import { refuseControlCharacters } from './control-characters.js';
import { OPERATIONS } from './openapi.js';
import { consoleRouter, portalRouter } from './web.js';
import { authRouter } from './routes/auth.js';
import { applicationsRouter } from './routes/applications.js';
import { casesRouter } from './routes/cases.js';
import { verifyRouter } from './routes/verify.js';
import { healthRouter } from './routes/health.js';
import { supervisionRouter } from './routes/supervision.js';
import { statisticsRouter } from './routes/statistics.js';
import { databaseCalendarSource, type CalendarSource } from '../infra/calendar.js';
import { docsRouter } from './routes/docs.js';
import { queuesRouter } from './routes/queues.js';
import { integrationRouter } from './routes/integration.js';
import { rosterRouter, savedFiltersRouter } from './routes/roster.js';
import { complaintsRouter } from './routes/complaints.js';
import { ratingsRouter } from './routes/ratings.js';
import { creditRouter } from './routes/credit.js';
import { directoryRouter } from './routes/directory.js';
import { createMetrics, mountedAt, requestContext, requestLogging, type Log, type Metrics } from './observability.js';
import { createLogger, lineSink, logTo, type Logger } from '../infra/logger.js';
import { createPostgresDocumentStore, type DocumentStore } from '../db/documents.js';
import { deliveredSms } from './sms-delivery.js';
import { MATERIAL_MAX_BYTES, MATERIAL_MEDIA_TYPES } from './schemas.js';
import { roleMay } from '../domain/access-policy.js';
import type { TrustProxy } from '../config/trust-proxy.js';

export type AppDeps = {
  db: Knex;
  temporal: Client;
  /** The holiday calendar (the last one loaded into PostgreSQL, by default). */
  calendars?: CalendarSource;
  cipher: FieldCipher;
  /** Where texts are recorded (the outbox); each is then delivered to the SMS gateway by its own workflow. */
  sms: SmsSender;
  documents?: DocumentStore;
  taskQueue: string;
  auth: { staffSessionMs: number; partySessionMs: number; oneTimeCodeMs: number };
  now?: () => Date;
  /** The process's logger (infra/logger.ts); one at `info` on stdout when neither it nor `log` is given. */
  logger?: Logger;
  /** Instead of `logger`: receives every line, redacted, as `(msg, fields)` (tests read them). */
  log?: Log;
  metrics?: Metrics;
  registrationWait?: number;
  /** How long an action waits for a worker to take it up before answering 503 (default 10 s). */
  actionWait?: number;
  maxHistoryEvents?: number;
  /** Printed in the OpenAPI document. */
  version?: string;
  /** Where clients reach the API (PUBLIC_BASE_URL): the OpenAPI document's server. */
  publicBaseUrl?: string;
  /** Development and tests only: a webhook may be plain http and point at this machine or its network. */
  allowInternalWebhooks?: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** True while the process is stopping: /readyz answers 503 so no new traffic is sent. */
  isDraining?: () => boolean;
  /** TRUST_PROXY: the proxies whose X-Forwarded-For names the client (`req.ip`); none by default. */
  trustProxy?: TrustProxy;
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const logger =
    deps.logger ??
    createLogger({
      level: deps.log ? 'debug' : 'info',
      service: 'api',
      ...(deps.log ? { destination: lineSink(deps.log) } : {}),
    });
  const log = logTo(logger);
  const metrics = deps.metrics ?? createMetrics();
  const sms = deliveredSms(deps.sms, deps.temporal, deps.taskQueue, log);
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  useRequestContext(app, logger, metrics);
  // Before credentials are read: a scrape token is not a session (it would be refused as one).
  useOperations(app, deps, metrics);
  useRequestReading(app, deps);
  useServiceRoutes(app, deps, sms);
  // The staff console's and the party portal's built files, each with its own Content-Security-Policy.
  app.use('/console', consoleRouter());
  app.use('/portal', portalRouter());
  // A path the API serves, asked with a method it does not take: 405 with the methods it does (RFC 9110 §15.5.6).
  app.use(methodNotAllowedHandler(OPERATIONS));
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

/** What every request passes first: the security headers, its id and metrics, its log line. */
function useRequestContext(app: express.Express, logger: Logger, metrics: Metrics): void {
  // First of all, so that no answer goes without them: not a 401, a 400 or 413 of the body parser, an idempotent
  // replay or its 409 (each is sent before any later middleware runs).
  app.use(securityHeaders);
  app.use(requestContext({ metrics }));
  app.use(requestLogging(logger));
}

/** What every request to the service passes next: the body, the principal, idempotency. */
function useRequestReading(app: express.Express, deps: AppDeps): void {
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use(refuseControlCharacters);
  app.use(authenticate(deps.db));
  // A case's files come as they are (PDF or scans), read only from someone whose role may hand one in (a
  // party, say, is refused before 20 MiB are read); the route checks the case and the rest.
  const rawMaterial = express.raw({ type: Object.keys(MATERIAL_MEDIA_TYPES), limit: MATERIAL_MAX_BYTES });
  app.post('/cases/:caseId/materials', (req, res, next) =>
    req.principal && roleMay(req.principal.role, 'record_material') ? rawMaterial(req, res, next) : next(),
  );
  // Every POST takes an Idempotency-Key: a repeat returns the first answer (secrets left out).
  app.use(idempotency(deps.db));
}

/** Security headers for an API that serves JSON and PDFs (the console and portal set their own CSP, web.ts). */
const securityHeaders: express.RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  next();
};

/** For operators and load balancers: health, the API's own documents, metrics and the entry links. */
function useOperations(app: express.Express, deps: AppDeps, metrics: Metrics): void {
  app.use(healthRouter({ db: deps.db, temporal: deps.temporal, isDraining: deps.isDraining ?? (() => false) }));
  app.use(
    docsRouter({ version: deps.version ?? '0.0.0', ...(deps.publicBaseUrl ? { serverUrl: deps.publicBaseUrl } : {}) }),
  );
  // Prometheus scrapes this (keep it on the internal network; it names routes, never people).
  app.get('/metrics', async (req, res) => {
    if (deps.metricsToken && req.get('authorization') !== `Bearer ${deps.metricsToken}`) {
      res.status(401).type('text/plain').send('metrics need the scrape token\n');
      return;
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.get('/', (_req, res) => {
    res.json({
      name: 'odr-case-center',
      links: {
        login: '/auth/login',
        partyLogin: '/auth/party/challenge',
        cases: '/cases',
        openapi: '/openapi.json',
        docs: '/docs/',
      },
    });
  });
}

/** The service itself: sign-in, verification, applications, cases, institutions, queues, supervision, roster. */
function useServiceRoutes(app: express.Express, deps: AppDeps, sms: SmsSender): void {
  // Login answers carry secrets (tokens, keys): an idempotent replay leaves them out.
  app.use('/auth', mountedAt('/auth'), authRouter({ db: deps.db, cipher: deps.cipher, sms, ...deps.auth }));
  const documents = deps.documents ?? createPostgresDocumentStore(deps.db);
  app.use('/verify', mountedAt('/verify'), verifyRouter({ db: deps.db, documents }));
  const casesDeps = {
    db: deps.db,
    documents,
    temporal: deps.temporal,
    cipher: deps.cipher,
    sms,
    taskQueue: deps.taskQueue,
    now: deps.now ?? (() => new Date()),
    ...(deps.registrationWait !== undefined ? { registrationWait: deps.registrationWait } : {}),
    ...(deps.actionWait !== undefined ? { actionWait: deps.actionWait } : {}),
    ...(deps.maxHistoryEvents !== undefined ? { maxHistoryEvents: deps.maxHistoryEvents } : {}),
    oneTimeCodeMs: deps.auth.oneTimeCodeMs,
  };
  // A party's own application: no account, the phone proven by a one-time code (a replay leaves out the access code).
  app.use(
    '/applications',
    mountedAt('/applications'),
    applicationsRouter({
      ...casesDeps,
      oneTimeCodeMs: deps.auth.oneTimeCodeMs,
      partySessionMs: deps.auth.partySessionMs,
    }),
  );
  app.use('/cases', mountedAt('/cases'), requireAuth, casesRouter(casesDeps));
  app.use(
    '/integration',
    mountedAt('/integration'),
    requireAuth,
    integrationRouter({
      db: deps.db,
      cipher: deps.cipher,
      temporal: deps.temporal,
      taskQueue: deps.taskQueue,
      allowInternalWebhooks: deps.allowInternalWebhooks ?? false,
    }),
  );
  // One calendar source (and its cache) for the queues' working-day counts and the supervisor's calendar.
  const calendars = deps.calendars ?? databaseCalendarSource(deps.db);
  app.use(
    '/queues',
    mountedAt('/queues'),
    requireAuth,
    queuesRouter({ db: deps.db, cipher: deps.cipher, now: casesDeps.now, calendars }),
  );
  app.use(
    '/supervision',
    mountedAt('/supervision'),
    requireAuth,
    supervisionRouter({ db: deps.db, now: casesDeps.now, temporal: deps.temporal, calendars }),
  );
  app.use(
    '/statistics',
    mountedAt('/statistics'),
    requireAuth,
    statisticsRouter({ db: deps.db, now: casesDeps.now, calendars }),
  );
  app.use('/roster', mountedAt('/roster'), requireAuth, rosterRouter({ db: deps.db }));
  app.use('/credit', mountedAt('/credit'), requireAuth, creditRouter({ db: deps.db, now: casesDeps.now }));
  // The public directory: no login, rate-limited per address, briefly cacheable (seed Art 21).
  app.use('/directory', mountedAt('/directory'), directoryRouter({ db: deps.db, now: casesDeps.now }));
  app.use('/me', mountedAt('/me'), requireAuth, savedFiltersRouter({ db: deps.db, now: casesDeps.now }));
  // Complaints (/complaints, and filing one at /cases/:caseId/complaints after the case routes): whole paths.
  app.use(complaintsRouter(casesDeps));
  app.use(ratingsRouter(casesDeps));
}
