/**
 * Errors as RFC 9457 problem details (application/problem+json). One error class, one handler: no stack
 * trace or internal message ever reaches a client.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

export type FieldError = { field: string; message: string };

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }
}

export const problems = {
  validation: (errors: FieldError[]) =>
    new Problem(
      400,
      'validation-error',
      'The request is not valid',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      { errors },
    ),
  malformedJson: (detail: string) =>
    new Problem(400, 'malformed-json', 'The request body is not valid JSON', detail, {
      errors: [{ field: '(body)', message: detail }],
    }),
  unauthenticated: (detail = 'Log in, or send a valid token or API key.') =>
    new Problem(401, 'unauthenticated', 'Authentication is required', detail),
  /** Two credentials in one request: neither is chosen (RFC 6750 §3.1 answers more than one method with 400). */
  ambiguousCredentials: () =>
    new Problem(
      400,
      'ambiguous-credentials',
      'The request carries two credentials',
      'send either a session token (Authorization: Bearer) or an API key (X-API-Key), not both',
      {
        errors: [
          { field: 'Authorization', message: 'must not be sent together with X-API-Key' },
          { field: 'X-API-Key', message: 'must not be sent together with Authorization' },
        ],
      },
    ),
  methodNotAllowed: (method: string, path: string, allowed: string) =>
    new Problem(
      405,
      'method-not-allowed',
      'The method is not allowed here',
      `${path} does not take ${method}; it takes ${allowed}`,
    ),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new Problem(
      429,
      'too-many-attempts',
      'Too many attempts',
      `Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      { retryAfterSeconds },
    ),
  notFound: (what = 'The resource') => new Problem(404, 'not-found', `${what} was not found`),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'This role may not take this action', detail),
  conflict: (code: string, detail: string) =>
    new Problem(409, code, 'The request conflicts with the current state of the case', detail),
  rule: (code: string, detail: string, article: string) =>
    new Problem(422, 'rule-violation', 'A rule forbids this action', detail, { rule: code, article }),
  unsupportedMediaType: (detail: string) =>
    new Problem(415, 'unsupported-media-type', 'The request body is not of a type this route takes', detail),
  unavailable: (detail: string) =>
    new Problem(503, 'unavailable', 'A service the system depends on is unavailable', detail, { retryAfterSeconds: 2 }),
  notTakenUp: (waitedMs: number) =>
    actionNotTakenUp(
      `no worker took the action up within ${Math.round(waitedMs / 1000)} s; it may still be taken when one returns`,
    ),
  processRecovering: () =>
    actionNotTakenUp(
      "the case's process is retrying a step a stopped worker left unfinished, and takes no action until it completes; nothing was changed",
    ),
};

/** 503: the case did not take the action now, and why; a retry under the same key has exactly one effect. */
function actionNotTakenUp(why: string): Problem {
  return new Problem(
    503,
    'action-not-taken-up',
    'The case could not take the action now',
    `${why}. Retry later with the same Idempotency-Key: the action then has exactly one effect`,
    { retryAfterSeconds: 5 },
  );
}

/** zod issues as field errors, with paths like `parties[0].idNumber`. */
export function fieldErrors(error: z.ZodError, root = ''): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = fieldPath([
      ...(root ? [root] : []),
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    ]);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: 'is not a recognised field' }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
}

/** A field's path as the problems name it: `parties[0].idNumber`. */
export function fieldPath(path: (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** Parses with a zod schema or throws a 400 naming each bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, root = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw problems.validation(fieldErrors(result.error, root));
  return result.data;
}

export function sendProblem(res: Parameters<RequestHandler>[1], instance: string, p: Problem): void {
  if (p.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="odr", ApiKey realm="odr"');
  if ((p.status === 429 || p.status === 503) && typeof p.extra.retryAfterSeconds === 'number')
    res.setHeader('Retry-After', String(p.extra.retryAfterSeconds));
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: `/problems/${p.code}`,
      title: p.title,
      status: p.status,
      ...(p.detail ? { detail: p.detail } : {}),
      // The path only: a query may carry what a user typed (a name searched for, a file's title).
      instance: instance.split('?')[0],
      // Quote it to the operator: the log line of this request carries the same id.
      ...(typeof res.locals.requestId === 'string' ? { requestId: res.locals.requestId } : {}),
      ...p.extra,
    });
}

/**
 * 405 for a path one of `routes` serves (OpenAPI style, `/cases/{caseId}`) asked with a method none of them takes,
 * with `Allow` naming those it does (RFC 9110 §15.5.6); any other request passes on (an unknown path stays 404).
 */
export function methodNotAllowedHandler(routes: readonly { method: string; path: string }[]): RequestHandler {
  const paths = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const { method, path } of routes) {
    const entry = paths.get(path) ?? { pattern: pathPattern(path), methods: new Set<string>() };
    entry.methods.add(method.toUpperCase());
    // Express answers HEAD with the GET route.
    if (method.toUpperCase() === 'GET') entry.methods.add('HEAD');
    paths.set(path, entry);
  }
  return (req, res, next) => {
    const allowed = new Set([...paths.values()].filter((p) => p.pattern.test(req.path)).flatMap((p) => [...p.methods]));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    sendProblem(res, req.originalUrl, problems.methodNotAllowed(req.method, req.path, allow));
  };
}

/** `/cases/{caseId}` as Express matches `/cases/:caseId`: any case, a trailing slash or not. */
function pathPattern(path: string): RegExp {
  const literal = path
    .split(/\{\w+\}/)
    .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${literal.replace(/\/$/, '')}/?$`, 'i');
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, req.originalUrl, problems.notFound(`${req.method} ${req.path}`));
};

export function errorHandler(log: (msg: string, fields: Record<string, unknown>) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    let problem: Problem;
    if (err instanceof Problem) problem = err;
    else if (err instanceof URIError) {
      problem = new Problem(
        400,
        'bad-request',
        'The URL is not valid',
        'a path parameter has malformed percent-encoding',
      );
    } else if (isBodyParserError(err)) {
      problem =
        err.type === 'entity.parse.failed'
          ? problems.malformedJson('the body could not be parsed as JSON')
          : err.type === 'entity.too.large'
            ? new Problem(413, 'payload-too-large', 'The request body is too large')
            : new Problem(err.status ?? 400, 'bad-request', 'The request body could not be read');
    } else if (isDependencyOutage(err)) {
      // PostgreSQL or Temporal is down or restarting: nothing is wrong with the request, so say when to retry.
      log('dependency unavailable', {
        level: 'warn',
        requestId: res.locals.requestId,
        path: req.route?.path ?? '(unrouted)',
        method: req.method,
        error: err instanceof Error ? err.name : typeof err,
      });
      res.setHeader('Retry-After', '2');
      problem = problems.unavailable(
        'PostgreSQL or Temporal is unavailable for a moment; retry the request (with the same Idempotency-Key)',
      );
    } else {
      log('unhandled error', {
        level: 'error',
        requestId: res.locals.requestId,
        path: req.route?.path ?? '(unrouted)',
        method: req.method,
        error: err instanceof Error ? err.name : typeof err,
        message: err instanceof Error ? scrubPersonalData(err.message) : undefined,
        ...errorCodes(err),
      });
      problem = new Problem(
        500,
        'internal-error',
        'Something went wrong on our side',
        'The error has been logged; nothing was changed by this request.',
      );
    }
    sendProblem(res, req.originalUrl, problem);
  };
}

/** What names a fault for whoever reads the log: the error's code (SQLSTATE, gRPC status) and its causes', scrubbed. */
function errorCodes(err: unknown): Record<string, unknown> {
  const code = (err as { code?: unknown } | null)?.code;
  const causes: string[] = [];
  let cause = err instanceof Error ? err.cause : undefined;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++, cause = cause.cause) {
    const causeCode = (cause as { code?: unknown }).code;
    causes.push(
      `${cause.name}${causeCode !== undefined ? ` (${String(causeCode)})` : ''}: ${scrubPersonalData(cause.message)}`,
    );
  }
  return { ...(code !== undefined ? { code: String(code) } : {}), ...(causes.length ? { causes } : {}) };
}

/** The error and the causes it wraps (Temporal's client and knex wrap theirs), outermost first, at most five. */
function* causeChain(err: unknown): Generator<{ code?: unknown; name?: unknown; message?: unknown }> {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as Error).cause, depth++)
    yield e as { code?: unknown; name?: unknown; message?: unknown };
}

/**
 * True for an error that says a dependency is down or restarting rather than that the request is wrong:
 * a refused or dropped PostgreSQL connection (SQLSTATE class 08, 57P01-57P03, a pool timeout), or Temporal
 * answering UNAVAILABLE or DEADLINE_EXCEEDED (gRPC status 14, 4), or refusing at once because no worker polls
 * or the workflow task is failing. Looks through `cause`.
 */
export function isDependencyOutage(err: unknown): boolean {
  for (const e of causeChain(err)) {
    const { code, name, message } = e;
    if (code === 14 || code === 4) return true; // gRPC UNAVAILABLE, DEADLINE_EXCEEDED
    // No worker polls the task queue: Temporal refuses a query at once (FAILED_PRECONDITION).
    if (code === 9 && typeof message === 'string' && /no poller/i.test(message)) return true;
    if (refusesWhileTaskFails(e)) return true;
    if (code === 1 && typeof message === 'string' && /deadline|cancel/i.test(message)) return true; // CANCELLED by our own deadline
    if (
      typeof code === 'string' &&
      (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|57P0[123])$/.test(code) || code.startsWith('08'))
    )
      return true;
    if (name === 'KnexTimeoutError') return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|Connection ended unexpectedly|the database system is (starting up|shutting down)/.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/**
 * True when Temporal refuses an update or a query because the case's workflow task has failed or timed out
 * twice in a row (FAILED_PRECONDITION, "Workflow Task in failed state"): a worker died mid-step, twice. Nothing
 * was taken; the same request succeeds once a worker completes the task. Looks through `cause`.
 */
export function isWorkflowTaskFailing(err: unknown): boolean {
  for (const e of causeChain(err)) if (refusesWhileTaskFails(e)) return true;
  return false;
}

const refusesWhileTaskFails = ({ code, message }: { code?: unknown; message?: unknown }): boolean =>
  code === 9 && typeof message === 'string' && /Workflow Task in failed state/i.test(message);

/** The gRPC status code of an error from Temporal's client, looking through `cause` (the client wraps them). */
export function grpcCodeOf(err: unknown): number | undefined {
  for (const { code } of causeChain(err)) if (typeof code === 'number') return code;
  return undefined;
}

/** Logs never carry ID or phone numbers: long digit runs (and an ID's trailing X) are blanked. */
export function scrubPersonalData(text: string): string {
  return text.replace(/\d{6,}[\dXx]?/g, '[redacted]');
}

function isBodyParserError(err: unknown): err is { type: string; status?: number } {
  return (
    typeof err === 'object' &&
    err !== null &&
    'type' in err &&
    typeof (err as { type: unknown }).type === 'string' &&
    'status' in err
  );
}
