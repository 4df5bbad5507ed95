/** Worker process: `npm run worker` (npm start runs it for you). */
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities/index.js';
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { createPostgresDocumentStore } from '../db/documents.js';
import { createDb } from '../db/knex.js';
import { databaseCalendarSource } from '../infra/calendar.js';
import { createFieldCipher } from '../infra/crypto.js';
import { createLogger, temporalLogger } from '../infra/logger.js';
import { builtWorkflowBundle, createWorker } from './worker.js';
import { createHttpSmsGateway, createLocalSmsGateway } from '../infra/sms.js';
import { documentsTaskQueue } from '../workflows/task-queues.js';
import { createDocumentsWorker } from './documents-worker.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, service: 'worker' });
if (config.env === 'production' && Object.keys(config.deadlineOverridesMs).length > 0) {
  logger.error('DEADLINE_OVERRIDES shortens statutory periods and is refused in production.');
  process.exit(78);
}
if (!config.database.url || !config.temporal.address) {
  logger.error('The worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both).');
  process.exit(78);
}
// Once per process, before any connection. The SDK's own lines, its workflow and activity loggers' (with
// workflowId, runId, activityId… as fields) and its native core's warnings all go to the one logger; the
// SDK's own metrics (task slots, latencies, failures) come from its native runtime.
const metricsAddress = config.temporal.workerMetricsAddress;
Runtime.install({
  logger: temporalLogger(logger),
  telemetryOptions: {
    logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
    ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
  },
});
if (metricsAddress) logger.info({ metricsAddress }, `Temporal SDK metrics on http://${metricsAddress}/metrics`);
// Temporal's authors: bundle the workflow code at build time, not in each production worker's start-up.
const workflowBundlePath = config.temporal.workflowBundlePath ?? builtWorkflowBundle();
if (config.env === 'production' && !workflowBundlePath && config.worker.role !== 'documents') {
  logger.error(
    'In production the worker runs a prebuilt workflow bundle: run `npm run build` (or set WORKFLOW_BUNDLE_PATH).',
  );
  process.exit(78);
}
const secrets = loadSecrets(config);
const db = createDb(config.database.url);
const connection = await NativeConnection.connect({ address: config.temporal.address });
const deps: ActivityDeps = {
  db,
  cipher: createFieldCipher(secrets.encryptionKey),
  calendars: databaseCalendarSource(db),
  documents: createPostgresDocumentStore(db, config.documentBytes),
  signingKey: secrets.signingKey,
  publicBaseUrl: config.http.publicBaseUrl,
  deadlineOverridesMs: config.deadlineOverridesMs,
  allowInternalWebhooks: config.env !== 'production',
  smsGateway: config.smsGateway ? createHttpSmsGateway(config.smsGateway) : createLocalSmsGateway(),
  oneTimeCodeMs: config.auth.oneTimeCodeMs,
};
const { namespace, taskQueue } = config.temporal;
const { role, documentConcurrency } = config.worker;
// WORKER_ROLE: the case worker, the documents worker (its own process keeps rendering off the case worker's
// event loop; npm start and docker-compose run it so), or both in one process.
const workers: Worker[] = [];
if (role !== 'documents')
  workers.push(
    await createWorker({
      connection,
      ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : {}),
      namespace,
      taskQueue,
      deps,
    }),
  );
if (role !== 'cases')
  workers.push(
    await createDocumentsWorker({ connection, namespace, taskQueue, deps, concurrency: documentConcurrency }),
  );
logger.info(
  { role, taskQueue, temporalAddress: config.temporal.address, ...(role !== 'cases' ? { documentConcurrency } : {}) },
  `${role} worker polling ${role === 'documents' ? documentsTaskQueue(taskQueue) : taskQueue} on ${config.temporal.address}`,
);
// The SDK installs SIGINT/SIGTERM handlers that shut every worker down gracefully; run() resolves then.
await Promise.all(workers.map((w) => w.run()));
await connection.close();
await db.destroy();
logger.info('stopped');
