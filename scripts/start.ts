/**
 * `npm start`: the whole system on one machine with nothing else running. Brings up PostgreSQL
 * (embedded, unless DATABASE_URL), the Temporal dev server (unless TEMPORAL_ADDRESS), the worker and
 * the API; data persists under DATA_DIR (.data/). The worker and the API are supervised: restarted when
 * they crash, given up on when they crash again and again. `--no-worker` / `--no-api` (or START_WORKER /
 * START_API=false) leave a part out for an operator who runs it elsewhere. Ctrl-C stops every child,
 * API and worker first.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets, secretsFile } from '../config/secrets.js';
import { DEMO_ACCOUNTS, DEMO_INSTITUTIONS, seedDemoData, seedReferenceData } from '../db/demo-seed.js';
import { createDb, ensureDatabase, migrateLatest } from '../db/knex.js';
import { ensureDemoPortalCase, type DemoPortalCase } from './demo-portal-case.js';
import { idNumberCheckChar } from '../domain/id-number.js';
import { startEmbeddedPostgres, UnreachableDataDirError, type RunningPostgres } from '../infra/embedded-postgres.js';
import { createSupervisor, stopProcess, type ChildSpec, type Supervisor } from '../infra/supervisor.js';
import { ensureTemporalCli } from '../infra/temporal-cli.js';
import { startTemporalDevServer } from '../infra/temporal-dev-server.js';

const { temporal } = proto;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfigOrExit();
const say = (line: string) => console.log(`[start] ${line}`);
const shout = (line: string) => console.error(`[start] ${line}`);
const parts = whatToRun(process.argv.slice(2));

/** Children started here and watched directly (Temporal); the worker and the API are the supervisor's. */
const children: { name: string; child: ChildProcess }[] = [];
let supervisor: Supervisor | undefined;
let postgres: RunningPostgres | undefined;
let stopping = false;

/** The worker and the API run unless left out; a flag wins over its environment variable. */
function whatToRun(args: string[]) {
  const flags: { worker?: boolean; api?: boolean } = {};
  for (const arg of args) {
    const m = /^--(no-)?(worker|api)$/.exec(arg);
    if (!m) {
      console.error(
        `Unknown option ${arg}. Usage: npm start -- [--no-worker] [--no-api]  (or START_WORKER=false / START_API=false)`,
      );
      process.exit(64); // EX_USAGE
    }
    flags[m[2] as 'worker' | 'api'] = !m[1];
  }
  const part = (name: 'worker' | 'api', variable: string) => ({
    run: flags[name] ?? config.start[name],
    why: flags[name] === undefined ? `${variable}=${config.start[name]}` : `--${flags[name] ? '' : 'no-'}${name}`,
  });
  return { worker: part('worker', 'START_WORKER'), api: part('api', 'START_API') };
}

async function main() {
  mkdirSync(config.dataDir, { recursive: true });
  const secrets = loadSecrets(config);
  say(`data in ${config.dataDir} (secrets: ${secretsFile(config)}, owner-only)`);
  const here = [
    config.database.url ? undefined : 'PostgreSQL (embedded)',
    config.temporal.address ? undefined : 'Temporal dev server',
    parts.worker.run ? 'worker' : undefined,
    parts.api.run ? 'API' : undefined,
  ].filter(Boolean);
  const elsewhere = [
    config.database.url ? 'PostgreSQL (DATABASE_URL is set)' : undefined,
    config.temporal.address ? 'Temporal (TEMPORAL_ADDRESS is set)' : undefined,
    parts.worker.run ? undefined : `worker (${parts.worker.why})`,
    parts.api.run ? undefined : `API (${parts.api.why})`,
  ].filter(Boolean);
  say(
    `starting here: ${here.join(', ') || 'nothing'}${elsewhere.length ? `; not starting: ${elsewhere.join(', ')}` : ''}`,
  );

  // PostgreSQL
  let databaseUrl = config.database.url;
  if (databaseUrl) {
    say('PostgreSQL: using DATABASE_URL');
  } else {
    say(`PostgreSQL: starting the embedded server on 127.0.0.1:${config.database.embeddedPort}`);
    postgres = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      port: config.database.embeddedPort,
      password: secrets.postgresPassword,
      persistent: true,
    });
    await ensureDatabase(postgres.adminUrl, 'odr');
    databaseUrl = postgres.urlFor('odr');
  }
  const db = createDb(databaseUrl, { max: 1 });
  const applied = await migrateLatest(db);
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
  let demo: Demo | undefined;
  // API keys and access codes are stored hashed: the demo's are kept, owner-only, next to the secrets to show them again.
  const demoFile = path.join(config.dataDir, 'demo-credentials.json');
  const keptDemo = existsSync(demoFile)
    ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { apiKeys?: Record<string, string>; portalCase?: DemoPortalCase })
    : {};
  const keepDemo = (d: Demo) => {
    writeFileSync(
      demoFile,
      JSON.stringify({ apiKeys: d.apiKeys, ...(d.portalCase ? { portalCase: d.portalCase } : {}) }, null, 2) + '\n',
      { mode: 0o600 },
    );
    chmodSync(demoFile, 0o600);
  };
  if (config.seedDemoData) {
    const seeded = await seedDemoData(db);
    demo = { password: seeded.password, apiKeys: { ...keptDemo.apiKeys, ...seeded.apiKeys } };
    keepDemo(demo);
  } else {
    await seedReferenceData(db);
  }
  await db.destroy();

  // Temporal
  let temporalAddress = config.temporal.address;
  let temporalUi: string | undefined;
  if (temporalAddress) {
    say(`Temporal: using TEMPORAL_ADDRESS=${temporalAddress}`);
  } else {
    const cli = await ensureTemporalCli(config, say);
    say(`Temporal: starting the dev server (${cli.source}: ${cli.path})`);
    const server = await startTemporalDevServer({
      cliPath: cli.path,
      dbFile: path.join(config.dataDir, 'temporal.sqlite'),
      port: config.temporal.devServerPort,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      onOutput: (l) => console.log(`[temporal] ${l}`),
    });
    children.push({ name: 'temporal', child: server.process });
    watch('temporal', server.process);
    temporalAddress = server.address;
    temporalUi = server.uiUrl;
  }

  if (stopping) return; // Ctrl-C while Temporal was starting: start nothing more
  // The staff console: built when its sources changed since the last build (seconds; nothing when unchanged).
  if (parts.api.run) {
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/web-build.ts')], {
        cwd: root,
        stdio: 'inherit',
      });
    } catch {
      shout('the console could not be built (see above): the API runs, and /console/ says it is not built');
    }
  }
  // Worker and API, as their own processes (as in production), restarted when they crash.
  const env = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress };
  const spawnEntry =
    (entry: string, own: Record<string, string> = {}) =>
    () =>
      spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
        cwd: root,
        env: { ...env, ...own },
        stdio: ['ignore', 'inherit', 'inherit'],
        detached: true, // Ctrl-C reaches only us; we stop them in order
      });
  const workerGone = new AbortController();
  const specs: ChildSpec[] = [];
  // Without a worker cases wait but reads still answer; without the API nothing answers at all.
  // The documents worker renders PDFs in a process of its own, off the case worker's event loop.
  if (parts.worker.run)
    specs.push(
      { name: 'worker', spawn: spawnEntry('worker/main.ts', { WORKER_ROLE: 'cases' }), giveUp: 'keep-others' },
      { name: 'documents', spawn: spawnEntry('worker/main.ts', { WORKER_ROLE: 'documents' }), giveUp: 'keep-others' },
    );
  if (parts.api.run) specs.push({ name: 'api', spawn: spawnEntry('api/main.ts'), giveUp: 'stop-all' });
  supervisor = createSupervisor(specs, {
    log: say,
    onGiveUp: ({ name }) => {
      if (name === 'api') {
        shout(
          'the API cannot stay up (its own output above says why) and without it nothing answers: stopping everything',
        );
        void stop(1);
        return;
      }
      if (name === 'documents') {
        shout('the documents worker cannot stay up (see above): cases wait at their next document until one runs');
        return;
      }
      workerGone.abort();
      shout('!'.repeat(100));
      shout(
        '!!! THE WORKER IS NOT RUNNING: no case moves forward, no deadline fires and no text is sent until it runs.',
      );
      shout(
        `!!! ${parts.api.run ? 'The API keeps answering reads from the database.' : 'PostgreSQL and Temporal keep running.'} Fix what the worker's output above says, then start again.`,
      );
      shout('!'.repeat(100));
    },
  });
  supervisor.start();
  const apiUrl = `http://localhost:${config.http.port}`;
  const [, workerReady] = await Promise.all([
    parts.api.run ? waitForHttp(`${apiUrl}/`, 60_000) : undefined,
    parts.worker.run ? waitForWorker(temporalAddress, 60_000, workerGone.signal) : undefined,
  ]);
  if (workerReady === 'timeout')
    shout(`no worker polled ${config.temporal.taskQueue} within 60 s; it is still being started`);

  // The party portal's demo: a case at the signing step and its applicant's access code (never in production).
  if (demo && config.env !== 'production' && parts.api.run) {
    if (workerReady !== 'ready') {
      shout('the demo case for the portal was not prepared: it needs a running worker');
    } else {
      const demoDb = createDb(databaseUrl, { max: 1 });
      try {
        const portalCase = await ensureDemoPortalCase({
          apiUrl,
          db: demoDb,
          password: demo.password,
          kept: keptDemo.portalCase,
        });
        if (portalCase.created) say(`demo case at the signing step prepared: ${portalCase.caseNumber}`);
        const { created: _created, ...kept } = portalCase;
        demo.portalCase = kept;
        keepDemo(demo);
      } catch (err) {
        shout(
          `the demo case for the portal could not be prepared (${err instanceof Error ? err.message : String(err)}); everything else runs`,
        );
      } finally {
        await demoDb.destroy();
      }
    }
  }

  const id = (birth: string, seq: string) => `445202${birth}${seq}${idNumberCheckChar(`445202${birth}${seq}`)}`;
  const example = {
    channel: 'walk_in',
    disputeType: 'loan_debt',
    summary: '张三借给李四人民币12000元，约定2026年6月30日前归还，至今未还。',
    claimantLearnedOfHarmOn: '2026-07-01',
    claimAmountFen: 1200000,
    parties: [
      { role: 'applicant', kind: 'natural', name: '张三', idNumber: id('19000101', '123'), phone: '17000001234' },
      { role: 'respondent', kind: 'natural', name: '李四', idNumber: id('19000202', '456'), phone: '17000005678' },
    ],
  };
  const tryIt = [
    '  Try it: log in as a clerk, then register a case:',
    `    TOKEN=$(curl -s -X POST ${apiUrl}/auth/login -H 'content-type: application/json' \\`,
    `      -d '{"username":"clerk.chen","password":"${demo?.password ?? '<password>'}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
    `    curl -s -X POST ${apiUrl}/cases -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `      -d '${JSON.stringify(example)}'`,
    `  Then open ${apiUrl}/cases/<caseId> and the workflow mediation-case-<caseId> in the Temporal UI.`,
    '',
  ];
  console.log(
    [
      '',
      '  The dispute resolution center is running.',
      `  Console:      ${parts.api.run ? `${apiUrl}/console/  (staff: the demo logins below)` : 'with the API'}`,
      `  Portal:       ${parts.api.run ? `${apiUrl}/portal/  (parties: access code and SMS code${demo?.portalCase ? ', the demo party below' : ''})` : 'with the API'}`,
      `  API:          ${parts.api.run ? apiUrl : `not started here (${parts.api.why})`}`,
      `  Worker:       ${parts.worker.run ? (workerGone.signal.aborted ? 'GIVEN UP (see above)' : 'running, restarted if it crashes') : `not started here (${parts.worker.why}): run one against this Temporal`}`,
      `  Temporal UI:  ${temporalUi ?? '(external Temporal: use its own UI)'}`,
      `  PostgreSQL:   ${config.database.url ? 'DATABASE_URL' : `embedded, 127.0.0.1:${config.database.embeddedPort}, data in ${path.join(config.dataDir, 'postgres')}`}`,
      '',
      ...(demo ? demoLines(apiUrl, demo) : []),
      ...(parts.api.run ? tryIt : []),
      '  Ctrl-C stops everything; data is kept for the next start.',
      '',
    ].join('\n'),
  );
}

type Demo = { password: string; apiKeys: Record<string, string>; portalCase?: DemoPortalCase };

function demoLines(apiUrl: string, demo: Demo): string[] {
  const byRole = new Map<string, string[]>();
  for (const a of DEMO_ACCOUNTS) byRole.set(a.role, [...(byRole.get(a.role) ?? []), a.username]);
  return [
    `  Demo accounts (password ${demo.password}):`,
    ...[...byRole].map(([role, names]) => `    ${role.padEnd(18)} ${names.join(', ')}`),
    '  Court and notary API keys (send as X-API-Key):',
    ...DEMO_INSTITUTIONS.filter((i) => demo.apiKeys[i.institution_id]).map(
      (i) => `    ${i.name.padEnd(12, '　')} ${demo.apiKeys[i.institution_id]}`,
    ),
    '  Parties log in with the access code a clerk issues (POST /cases/<id>/parties/<partyId>/access-code)',
    '  and the SMS code from the outbox: npm run sms:outbox',
    ...(demo.portalCase
      ? [
          `  Demo party at the signing step: ${demo.portalCase.partyName}, case ${demo.portalCase.caseNumber}`,
          `    open ${apiUrl}/portal/ , enter the access code ${demo.portalCase.accessCode}, then the SMS code from npm run sms:outbox;`,
          '    sign the agreement and download it.',
        ]
      : []),
    '',
  ];
}

function watch(name: string, child: ChildProcess) {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    void stop(1);
  });
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * The worker is ready when it polls the task queue. Not ready in time, or given up on, is not fatal:
 * the API still serves what the database holds.
 */
async function waitForWorker(
  address: string,
  timeoutMs: number,
  gone: AbortSignal,
): Promise<'ready' | 'timeout' | 'gone'> {
  const connection = await Connection.connect({ address });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (gone.aborted) return 'gone';
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      if (pollers && pollers.length > 0) return 'ready';
      if (Date.now() > deadline) return 'timeout';
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await connection.close();
  }
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  // The API and worker first (they finish in-flight work; the supervisor stops them last-started first),
  // then Temporal, then PostgreSQL.
  await supervisor?.stop();
  await Promise.all(
    children.map((c) =>
      stopProcess(c.child, 15_000, () => console.error(`[start] ${c.name} did not stop in 15s; killing it`)),
    ),
  );
  if (postgres) await postgres.stop();
  say('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// If this process dies some other way, do not leave detached children behind.
process.on('exit', () => {
  const running = children.filter(({ child }) => child.exitCode === null && child.pid).map(({ child }) => child.pid!);
  for (const pid of [...running, ...(supervisor?.pids() ?? [])]) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

main().catch(async (err: unknown) => {
  if (err instanceof UnreachableDataDirError) console.error(`[start] ${err.message}`);
  else console.error('[start] could not start:', err instanceof Error ? err.message : err);
  await stop(1);
});
