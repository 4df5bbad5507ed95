/**
 * Request ids, one structured JSON log line per request, and Prometheus metrics. Logs and metric labels
 * name the route pattern (`/cases/:caseId`), never the raw URL, the body or anyone's personal data.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Log = (msg: string, fields: Record<string, unknown>) => void;

/** JSON lines on stdout (errors on stderr): what a log shipper expects. */
export const jsonLog: Log = (msg, fields) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level: fields.level ?? 'info', msg, ...fields });
  if (fields.level === 'error') console.error(line);
  else console.log(line);
};

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

export function requestContext(deps: { log: Log; metrics: Metrics }): RequestHandler {
  return (req, res, next) => {
    // A caller's id is kept when it is safe to echo (a gateway's trace id); otherwise a new one.
    const incoming = req.get('X-Request-Id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req, res);
      deps.metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      deps.metrics.duration.observe({ method: req.method, route }, seconds);
      deps.log('request', {
        level: res.statusCode >= 500 ? 'error' : 'info',
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1000),
        role: req.principal?.role ?? null,
      });
    });
    next();
  };
}
