/**
 * The one logger of the API and the worker: pino, JSON lines with an ISO time, the level as a word and the
 * message under `msg`. Whatever personal data or secret a line could carry (a party's name, ID number, phone
 * or address, free text a party or clerk typed, codes, tokens, credentials) is replaced by `[redacted]`
 * (docs/personal-data.md): by pino's redact paths at the top of a line and for a request's credentials, and
 * below the top by the same keys at any depth.
 */
import { hostname } from 'node:os';
import { pino, type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import type {
  LogLevel as TemporalLogLevel,
  LogMetadata as TemporalLogMetadata,
  Logger as TemporalLogger,
} from '@temporalio/common';

export type { Logger } from 'pino';

/** `LOG_LEVEL`: the least severe level written (`silent` writes nothing). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What the API's code calls: a message and its fields, `fields.level` choosing the level (`info` if absent). */
export type Log = (msg: string, fields: Record<string, unknown>) => void;

export const CENSOR = '[redacted]';

/** Keys whose value is never written, wherever they sit in a line (`phone`, `party.phone`, `parties[3].phone`…). */
export const REDACTED_KEYS = [
  // A person's identity and how to reach them (个人信息保护法 Art 28; 民法典 Art 1034).
  'name',
  'idNumber',
  'phone',
  'reminderPhone',
  'address',
  'email',
  'guardian',
  'agent',
  'legalRepresentative',
  // Free text a party or a clerk typed, which names people: the dispute, notes, reasons, texts, file titles.
  'summary',
  'facts',
  'basicFacts',
  'undisputedFacts',
  'selfDeclaration',
  'note',
  'reason',
  'whyFailed',
  'terms',
  'title',
  'text',
  'body',
  'query',
  // PostgreSQL's error detail quotes the row's values ("Key (…)=(…) already exists").
  'detail',
  // Codes and credentials: SMS codes, access codes, passwords, tokens, API keys.
  'code',
  'accessCode',
  'verificationCode',
  'password',
  'token',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
] as const;

/**
 * pino's redact paths: each key above at the top of a line, and a request's credentials wherever a request is
 * logged. Below the top, `redactNested` censors the same keys at any depth: pino's wildcard paths (`*.phone`,
 * `*.*.phone`…) cost about a tenth of a millisecond a line for each level they reach, on every line.
 */
export const REDACT_PATHS: string[] = [
  ...REDACTED_KEYS,
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

const REDACTED: ReadonlySet<string> = new Set(REDACTED_KEYS);
const MAX_DEPTH = 12;

const isPlain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * A copy of `value` with every redacted key's value censored, below its top level: plain objects, arrays and
 * errors (serialized first, so an error's own fields such as PostgreSQL's `detail` are checked too) are looked
 * into; anything else (a Date, a Buffer, a request) is left to its serializer. Unchanged parts are shared.
 */
function censorBelow(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return '[too deep or circular]';
  if (value instanceof Error) return censorBelow({ ...pino.stdSerializers.err(value) }, depth, seen);
  if (!Array.isArray(value) && !isPlain(value)) return value;
  seen.add(value);
  let result: unknown = value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const censored = censorBelow(item, depth + 1, seen);
      if (censored !== item) (copy ??= [...value])[i] = censored;
    });
    result = copy ?? value;
  } else {
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const censored = REDACTED.has(key) && item !== undefined ? CENSOR : censorBelow(item, depth + 1, seen);
      if (censored !== item) (copy ??= { ...value })[key] = censored;
    }
    result = copy ?? value;
  }
  seen.delete(value);
  return result;
}

/** The fields of a line (or a child's bindings) with the redacted keys censored below the top (pino's paths do the top). */
function redactNested(fields: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  const seen = new WeakSet<object>([fields]);
  for (const key in fields) {
    const value = fields[key];
    const censored = censorBelow(value, 1, seen);
    if (censored !== value) (copy ??= { ...fields })[key] = censored;
  }
  return copy ?? fields;
}

/** Errors are serialized by `redactNested` before pino sees them; a value that is still an Error gets pino's. */
const serializeError = (value: unknown): unknown => (value instanceof Error ? pino.stdSerializers.err(value) : value);

export type LoggerOptionsOf = {
  level: LogLevel;
  service: 'api' | 'worker';
  /** Where lines go: stdout by default (errors on stderr), written synchronously so none is lost on exit. */
  destination?: DestinationStream;
};

export function createLogger(opts: LoggerOptionsOf): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    base: { service: opts.service, pid: process.pid, hostname: hostname() },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: redactNested, bindings: redactNested },
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
  };
  const logger = pino(options, opts.destination ?? standardStreams());
  // pino formats only the root's bindings: a child's (and its children's, which inherit this) are censored here.
  const child = logger.child as unknown as (
    this: Logger,
    bindings: pino.Bindings,
    options?: pino.ChildLoggerOptions,
  ) => Logger;
  logger.child = function (this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) {
    return child.call(this, redactNested(bindings), childOptions);
  } as unknown as Logger['child'];
  return logger;
}

/** JSON lines on stdout, errors on stderr: what a log shipper (and the old console lines) expects. */
function standardStreams(): DestinationStream {
  return pino.multistream(
    [
      { level: 'trace', stream: pino.destination({ dest: 1, sync: true }) },
      { level: 'error', stream: pino.destination({ dest: 2, sync: true }) },
    ],
    { dedupe: true },
  );
}

const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** The `Log` the API's code passes around, written by `logger` (`fields.level` picks the method). */
export function logTo(logger: Logger): Log {
  return (msg, fields) => {
    const { level, ...rest } = fields;
    const method = LEVELS.find((l) => l === level) ?? 'info';
    logger[method](rest, msg);
  };
}

/**
 * A destination that hands each written line back as `(msg, fields)`, after pino has redacted it: tests and
 * embedders that want the lines themselves (`fields.level` is the level's word, as on the wire).
 */
export function lineSink(log: Log): DestinationStream {
  return {
    write(line: string) {
      const { msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
      log(typeof msg === 'string' ? msg : '', fields);
    },
  };
}

const TEMPORAL_LEVELS: Record<TemporalLogLevel, Level> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Temporal's `Logger` over pino, for `Runtime.install({ logger })`: the SDK's own lines and the workflow and
 * activity loggers' (with their workflowId, runId, workflowType, activityId, activityType… metadata) become
 * lines whose metadata are fields.
 */
/** What the SDK warns of that is by design here: the documents worker polls activities only. */
export function isExpectedSdkWarning(message: string): boolean {
  return message.startsWith('No workflows registered, not polling for workflow tasks');
}

export function temporalLogger(logger: Logger): TemporalLogger {
  const write = (level: TemporalLogLevel, message: string, meta?: TemporalLogMetadata) => {
    const fields: Record<string, unknown> = {};
    // String keys only (the SDK's timestamp is under a symbol); `level` is the line's own.
    for (const [key, value] of Object.entries(meta ?? {})) if (key !== 'level') fields[key] = value;
    logger[isExpectedSdkWarning(message) ? 'debug' : (TEMPORAL_LEVELS[level] ?? 'info')](fields, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
