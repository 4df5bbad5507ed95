/**
 * The one reader of process.env. Every process parses its configuration here once and stops with a
 * message naming the variable when one is wrong.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { trustProxySetting } from './trust-proxy.js';

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
/** A 32-byte key given as base64 (openssl rand -base64 32). */
const key32 = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded as base64 (openssl rand -base64 32)')
  .optional();

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(3000),
    /** The reverse proxies whose X-Forwarded-For names the client (config/trust-proxy.ts); off by default. */
    TRUST_PROXY: trustProxySetting,
    PUBLIC_BASE_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    DATA_DIR: z.string().min(1).default('.data'),

    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    EMBEDDED_PG_PORT: port.default(54329),

    TEMPORAL_ADDRESS: optionalString,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('mediation-cases'),
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_CLI_PATH: optionalString,
    TEMPORAL_SERVER_PATH: optionalString,
    /** The worker's prebuilt workflow bundle (`npm run build` writes dist/workflow-bundle.js, the default when built). */
    WORKFLOW_BUNDLE_PATH: optionalString,
    /** When set, the API's /metrics needs `Authorization: Bearer <this>`. */
    METRICS_TOKEN: optionalString,
    /** host:port where the worker serves the Temporal SDK's Prometheus metrics; empty turns them off. */
    WORKER_METRICS_ADDRESS: z
      .string()
      .regex(/^$|^[\w.-]+:\d{1,5}$/, 'must be host:port, or empty')
      .default('127.0.0.1:9464'),

    /**
     * What a worker process polls: `cases` (workflows and their activities), `documents` (renders PDFs, on the
     * documents queue next to the case queue) or `all` (both, in one process: tests, a small installation).
     */
    WORKER_ROLE: z.enum(['all', 'cases', 'documents']).default('all'),
    /** Documents a documents worker renders at once (CPU work: about one per core it may use). */
    DOCUMENT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    /** An SMS provider's adapter (signed JSON POSTs); unset: the local gateway, which sends nothing. */
    SMS_GATEWAY_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    SMS_GATEWAY_SECRET: optionalString,

    STAFF_SESSION_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    PARTY_SESSION_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    ONE_TIME_CODE_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
    SEED_DEMO_DATA: z.enum(['true', 'false']).optional(),
    /** An action no worker takes up within this many seconds answers 503 with Retry-After. */
    ACTION_WAIT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
    /** npm start runs a worker and the API unless an operator runs that part elsewhere. */
    START_WORKER: z.enum(['true', 'false']).default('true'),
    START_API: z.enum(['true', 'false']).default('true'),
    /** Where document bytes live: postgres (default) or filesystem (under DOCUMENTS_DIR). */
    DOCUMENT_STORE: z.enum(['postgres', 'filesystem', 's3']).default('postgres'),
    DOCUMENTS_DIR: z.string().min(1).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_BUCKET: z.string().min(1).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Testing and demos only: shorter statutory periods, e.g. {"mediator_acceptance": 60000}. */
    DEADLINE_OVERRIDES: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v) return {};
        try {
          const parsed = JSON.parse(v) as unknown;
          if (
            typeof parsed !== 'object' ||
            parsed === null ||
            Object.values(parsed).some((n) => typeof n !== 'number' || n <= 0)
          )
            throw new Error();
          return parsed as Record<string, number>;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object of rule id to milliseconds' });
          return z.NEVER;
        }
      }),

    ENCRYPTION_KEY: key32,
    TOKEN_SECRET: key32,
    SIGNING_KEY: key32,

    PATH: z.string().default(''),
    HOME: z.string().optional(),
    XDG_CACHE_HOME: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.SMS_GATEWAY_URL && !env.SMS_GATEWAY_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_GATEWAY_SECRET'],
        message: 'is required when SMS_GATEWAY_URL is set (it signs every request)',
      });
    // Numbers and codes are personal data (个人信息保护法 Art 51): in production they cross a network only encrypted.
    const gateway = env.SMS_GATEWAY_URL && URL.canParse(env.SMS_GATEWAY_URL) ? new URL(env.SMS_GATEWAY_URL) : undefined; // unparsable: already reported
    if (
      env.NODE_ENV === 'production' &&
      gateway?.protocol === 'http:' &&
      !['localhost', '127.0.0.1', '[::1]'].includes(gateway.hostname)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_GATEWAY_URL'],
        message: 'must be https in production (plain http only to an adapter on this host)',
      });
    }
    if (env.DOCUMENT_STORE !== 's3') return;
    for (const v of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (!env[v]) ctx.addIssue({ code: 'custom', path: [v], message: 'is required when DOCUMENT_STORE=s3' });
    }
  });

export type Config = ReturnType<typeof toConfig>;

function documentBytes(env: z.infer<typeof envSchema>) {
  if (env.DOCUMENT_STORE === 'filesystem')
    return {
      kind: 'filesystem',
      dir: path.resolve(env.DOCUMENTS_DIR ?? path.join(env.DATA_DIR, 'documents')),
    } as const;
  if (env.DOCUMENT_STORE === 's3') {
    return {
      kind: 's3',
      endpoint: env.S3_ENDPOINT!,
      bucket: env.S3_BUCKET!,
      region: env.S3_REGION,
      accessKeyId: env.S3_ACCESS_KEY_ID!,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    } as const;
  }
  return { kind: 'postgres' } as const;
}

function toConfig(env: z.infer<typeof envSchema>) {
  const dataDir = path.resolve(env.DATA_DIR);
  const cacheRoot = env.XDG_CACHE_HOME ?? path.join(env.HOME ?? os.homedir(), '.cache');
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`,
      /** Express's `trust proxy`: false, a hop count, or the proxies' addresses and ranges. */
      trustProxy: env.TRUST_PROXY,
    },
    dataDir,
    /** Per-user cache shared by every clone on this machine (the Temporal CLI build lives here). */
    toolCacheDir: path.join(cacheRoot, 'odr-case-center'),
    searchPath: env.PATH,
    database: {
      /** Set: use that server and start nothing. Unset: the embedded PostgreSQL under dataDir. */
      url: env.DATABASE_URL,
      embeddedPort: env.EMBEDDED_PG_PORT,
    },
    temporal: {
      /** Set: use that server and start nothing. Unset: the Temporal dev server under dataDir. */
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      devServerPort: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      cliPath: env.TEMPORAL_CLI_PATH,
      /** npm run start:cluster: a temporal-server binary (temporal-sql-tool beside it) instead of the cache. */
      serverPath: env.TEMPORAL_SERVER_PATH,
      workflowBundlePath: env.WORKFLOW_BUNDLE_PATH,
      workerMetricsAddress: env.WORKER_METRICS_ADDRESS || undefined,
    },
    auth: {
      staffSessionMs: env.STAFF_SESSION_MINUTES * 60_000,
      partySessionMs: env.PARTY_SESSION_MINUTES * 60_000,
      oneTimeCodeMs: env.ONE_TIME_CODE_MINUTES * 60_000,
    },
    deadlineOverridesMs: env.DEADLINE_OVERRIDES,
    actionWaitMs: env.ACTION_WAIT_SECONDS * 1000,
    metricsToken: env.METRICS_TOKEN,
    worker: { role: env.WORKER_ROLE, documentConcurrency: env.DOCUMENT_CONCURRENCY },
    smsGateway: env.SMS_GATEWAY_URL ? { url: env.SMS_GATEWAY_URL, secret: env.SMS_GATEWAY_SECRET! } : undefined,
    documentBytes: documentBytes(env),
    /** Demo accounts and keys: on by default except in production. */
    seedDemoData: env.SEED_DEMO_DATA ? env.SEED_DEMO_DATA === 'true' : env.NODE_ENV !== 'production',
    /** Which of its own processes `npm start` runs (its --no-worker / --no-api flags win over these). */
    start: { worker: env.START_WORKER === 'true', api: env.START_API === 'true' },
    secrets: {
      encryptionKey: env.ENCRYPTION_KEY,
      tokenSecret: env.TOKEN_SECRET,
      signingKey: env.SIGNING_KEY,
    },
  };
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  return toConfig(parsed.data);
}

/** For process entry points: parse or print the problem and exit. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
