/**
 * `npm run bench [-- --json] [--quick] [--cases N] [--rounds N] [--api-samples N] [--pdf-runs N]
 * [--queue-cases SMALL,LARGE] [--queue-runs N] [--degraded-samples N] [--console-runs N]
 * [--portal-samples N] [--stats-cases N] [--stats-runs N] [--no-op ACTIVITY,...]
 * [--only pipeline,api,pdf,queue,degraded,console,portal,cluster,stats]`
 *
 * Starts its own Temporal dev server and PostgreSQL (or uses TEMPORAL_ADDRESS / DATABASE_URL) and reports
 * pipeline throughput against a skeleton worker, API latency against a bare update, agreement rendering
 * against bare pdfkit, the clerk's work queue at ten thousand and a million cases, and the case view and
 * actions with the worker process up and SIGKILLed side by side, and the staff console in Chromium (its first
 * screen's JavaScript, and the 工作台 showing the queue over the larger queue size), and the party portal on
 * an emulated phone on slow 4G (its first screen's JavaScript, and cold loads to a usable login), with the
 * machine, the number of runs, the targets and, where one is missed, what costs the difference. Progress goes to
 * stderr, the report to stdout.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchApi } from './api.js';
import { benchCluster } from './cluster.js';
import { benchConsole, prepareConsole, prepareWeb, type PreparedConsole, type PreparedWeb } from './console.js';
import { benchDegraded } from './degraded.js';
import { benchDocuments, machine } from './documents.js';
import { NO_OP_ALLOWED, benchPipeline } from './pipeline.js';
import { benchPortal, benchPortalCase } from './portal.js';
import { benchQueue } from './queue.js';
import { benchStatistics } from './statistics.js';
import { renderTable, targets, type Report } from './report.js';
import { startBenchStack } from './stack.js';

const PARTS = ['pipeline', 'api', 'pdf', 'queue', 'degraded', 'console', 'portal', 'cluster', 'stats'] as const;

const USAGE =
  'usage: npm run bench [-- --json] [--quick] [--cases N] [--rounds N] [--api-samples N] [--pdf-runs N] [--queue-cases SMALL,LARGE] [--queue-runs N] [--degraded-samples N] [--console-runs N] [--portal-samples N] [--stats-cases N] [--stats-runs N] [--no-op ACTIVITY,...] [--only pipeline,api,pdf,queue,degraded,console,portal,cluster,stats]';
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
/** A wrong option: the problem and the usage, never a stack trace. */
function refuse(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(64);
}
const { values } = (() => {
  try {
    return parseOptions();
  } catch (err) {
    return refuse((err as Error).message);
  }
})();

function parseOptions() {
  return parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      cases: { type: 'string' },
      rounds: { type: 'string' },
      'api-samples': { type: 'string' },
      'pdf-runs': { type: 'string' },
      'queue-cases': { type: 'string' },
      'queue-runs': { type: 'string' },
      'degraded-samples': { type: 'string' },
      'console-runs': { type: 'string' },
      'portal-samples': { type: 'string' },
      'stats-cases': { type: 'string' },
      'stats-runs': { type: 'string' },
      only: { type: 'string' },
      'no-op': { type: 'string' },
    },
  });
}

const int = (name: string, v: string | undefined, quick: number, full: number): number => {
  const n = v === undefined ? (values.quick ? quick : full) : Number(v);
  if (!Number.isInteger(n) || n < 1) refuse(`--${name} must be a positive whole number`);
  return n;
};
const opts = {
  cases: int('cases', values.cases, 5, 20),
  rounds: int('rounds', values.rounds, 1, 2),
  apiSamples: int('api-samples', values['api-samples'], 40, 400),
  pdfRuns: int('pdf-runs', values['pdf-runs'], 10, 30),
  queueRuns: int('queue-runs', values['queue-runs'], 30, 200),
  degradedSamples: int('degraded-samples', values['degraded-samples'], 60, 400),
  consoleRuns: int('console-runs', values['console-runs'], 5, 50),
  // Cold loads on slow 4G: a few seconds each.
  portalSamples: int('portal-samples', values['portal-samples'], 5, 20),
  // The statistics over the synthetic cases' facts (the queue's database when both run: seeded once).
  statsCases: int('stats-cases', values['stats-cases'], 20_000, 1_000_000),
  statsRuns: int('stats-runs', values['stats-runs'], 10, 50),
  // Each waits out the action bound (2 s) with the worker down.
  degradedActions: values.quick ? 3 : 5,
  queueCases: (values['queue-cases'] ?? (values.quick ? '1000,20000' : '10000,1000000')).split(',').map(Number) as [
    number,
    number,
  ],
  only: new Set((values.only ?? PARTS.join(',')).split(',')),
};
if (
  opts.queueCases.length !== 2 ||
  opts.queueCases.some((n) => !Number.isInteger(n) || n < 1) ||
  opts.queueCases[0] >= opts.queueCases[1]
) {
  refuse('--queue-cases takes two sizes, smaller first: e.g. 10000,1000000');
}
// An ablation of the pipeline part: these activities no-ops in the real run too (bench/pipeline.ts noOps).
const noOps = values['no-op'] === undefined ? [] : values['no-op'].split(',');
for (const name of noOps)
  if (!NO_OP_ALLOWED.includes(name)) refuse(`--no-op takes activities of ${NO_OP_ALLOWED.join(', ')}; not ${name}`);
for (const part of opts.only)
  if (!(PARTS as readonly string[]).includes(part)) refuse(`--only takes ${PARTS.join(', ')}; not ${part}`);
if (noOps.length > 0 && !opts.only.has('pipeline')) refuse('--no-op is for the pipeline part: add it to --only');

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const loadAverage1m = Math.round(os.loadavg()[0]! * 100) / 100;

const report: Omit<Report, 'targets'> = {
  machine: { ...machine(), loadAverage1m },
  servers: { temporal: 'not used', postgres: 'not used' },
};
// Chromium found and the console built (when its sources changed) before anything is timed; else the part says why it is skipped.
let consolePrepared: PreparedConsole | undefined;
if (opts.only.has('console')) {
  consolePrepared = prepareConsole(log);
  if (!consolePrepared.ready) {
    log(`console: skipped: ${consolePrepared.skipped}`);
    report.console = { skipped: consolePrepared.skipped };
  }
}
const consoleReady = consolePrepared?.ready ? consolePrepared : undefined;
let portalPrepared: PreparedWeb | undefined;
if (opts.only.has('portal')) {
  portalPrepared = prepareWeb(log, 'portal');
  if (!portalPrepared.ready) {
    log(`portal: skipped: ${portalPrepared.skipped}`);
    report.portal = { skipped: portalPrepared.skipped };
  }
}
const portalReady = portalPrepared?.ready ? portalPrepared : undefined;
try {
  // The documents need no servers: measured first, on a quiet process.
  if (opts.only.has('pdf')) {
    log(`agreement PDF: ${opts.pdfRuns} runs`);
    report.pdf = await benchDocuments(opts.pdfRuns);
  }
  // Nor does the portal's login (no API request before a party types): measured next, before the servers start.
  if (portalReady) report.portal = await benchPortal(portalReady, { samples: opts.portalSamples, log });
  if (
    opts.only.has('pipeline') ||
    opts.only.has('api') ||
    opts.only.has('queue') ||
    opts.only.has('stats') ||
    opts.only.has('degraded') ||
    consoleReady ||
    portalReady
  ) {
    const stack = await startBenchStack(log);
    try {
      report.servers = stack.servers;
      // Signed in on the phone: the demo case's screen, in the bench database (a worker process drives the case to signing).
      if (portalReady && report.portal && !('skipped' in report.portal)) {
        report.portal.caseScreen = await benchPortalCase(stack, portalReady, { runs: opts.portalSamples, log });
      }
      if (opts.only.has('pipeline'))
        report.pipeline = await benchPipeline(stack, { cases: opts.cases, rounds: opts.rounds, noOps, log });
      if (opts.only.has('api'))
        report.api = await benchApi(stack, { samples: opts.apiSamples, rounds: opts.rounds, log });
      // Before the queue: its million cases share the PostgreSQL server.
      if (opts.only.has('degraded'))
        report.degraded = await benchDegraded(stack, {
          samples: opts.degradedSamples,
          actions: opts.degradedActions,
          log,
        });
      if (opts.only.has('queue') || opts.only.has('stats') || consoleReady) {
        // The queue's cases in a database of their own, seeded once for both parts: the console reads the larger size.
        const cases = await stack.freshDatabase('queue');
        try {
          if (opts.only.has('queue'))
            report.queue = await benchQueue(cases.db, { sizes: opts.queueCases, runs: opts.queueRuns, log });
          if (consoleReady)
            report.console = await benchConsole(stack, cases.db, consoleReady, {
              cases: opts.queueCases[1],
              runs: opts.consoleRuns,
              warmup: 2,
              log,
            });
          if (opts.only.has('stats'))
            report.statistics = await benchStatistics(cases.db, { cases: opts.statsCases, runs: opts.statsRuns, log });
        } finally {
          await cases.drop();
        }
      }
    } finally {
      await stack.close();
    }
  }
  // The real Temporal server with the workers and APIs as processes, once the dev server's stack has stopped:
  // --cases cases at once for throughput, --api-samples actions for latency.
  if (opts.only.has('cluster'))
    report.cluster = await benchCluster({ cases: opts.cases, samples: opts.apiSamples, log });
} finally {
  consoleReady?.close();
  portalReady?.close();
}
const full: Report = { ...report, targets: targets(report) };
console.log(values.json ? JSON.stringify(full, null, 2) : renderTable(full));
