/**
 * Request ids, one structured log line per request (pino-http over the process's pino logger) and Prometheus
 * metrics. Logs and metric labels name the route pattern (`/cases/:caseId`), never the raw URL, the body or
 * anyone's personal data (and the logger redacts personal data by path besides: infra/logger.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../infra/logger.js';

export type { Log } from '../infra/logger.js';

export type Metrics = {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
};

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'odr_api_' });
  return {
    registry,
    requests: new Counter({
      name: 'odr_api_http_requests_total',
      help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'odr_api_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Marks where a router is mounted, so a log line can name the full route pattern once it has run. */
export function mountedAt(base: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.mountedAt = base;
    next();
  };
}

/** The route pattern that handled the request (`/cases/:caseId/accept`), or `(unmatched)`. */
export function routeOf(req: Request, res: { locals: Record<string, unknown> }): string {
  if (!req.route || typeof req.route.path !== 'string') return '(unmatched)';
  const base = typeof res.locals.mountedAt === 'string' ? res.locals.mountedAt : '';
  return `${base}${req.route.path === '/' && base ? '' : req.route.path}` || '/';
}

/** A caller's id when it is safe to echo (a gateway's trace id), otherwise a new one. */
export function requestIdFor(req: Request): string {
  const incoming = req.get('X-Request-Id');
  return incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}

/** The request id (`X-Request-Id`, `res.locals.requestId`) and the request metrics, by route pattern. */
export function requestContext(deps: { metrics: Metrics }): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFor(req);
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req, res);
      deps.metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      deps.metrics.duration.observe({ method: req.method, route }, seconds);
    });
    next();
  };
}

/**
 * One line per request, written when it ends: `request` with its requestId, method, route pattern, status,
 * duration and the caller's role; `error` for a 5xx, `info` otherwise. The request itself (URL with its query,
 * headers, body) is never written. Runs after `requestContext`, whose id it uses; handlers may log through
 * `req.log`, whose lines carry the request id too.
 */
export function requestLogging(logger: Logger): RequestHandler {
  const line = (req: Request, res: Response, durationMs: number) => ({
    method: req.method,
    route: routeOf(req, res),
    status: res.statusCode,
    durationMs,
    role: req.principal?.role ?? null,
    // The client went away before the answer was sent.
    ...(res.writableEnded ? {} : { aborted: true }),
  });
  const http = pinoHttp<Request, Response>({
    logger,
    genReqId: (req, res) => (typeof res.locals.requestId === 'string' ? res.locals.requestId : requestIdFor(req)),
    // Bound once, when the request starts: every line of this request carries its id.
    customProps: (req) => ({ requestId: req.id }),
    // The raw request and response are never written (the URL's query or a header may name a person).
    wrapSerializers: false,
    serializers: { req: () => undefined, res: () => undefined },
    customLogLevel: (_req, res) => (res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, val: { responseTime: number }) => line(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => line(req, res, val.responseTime),
  });
  return (req, res, next) => http(req, res, next);
}
