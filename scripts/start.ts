/**
 * `npm start`: the whole system on one machine with nothing else running. Brings up PostgreSQL
 * (embedded, unless DATABASE_URL), the Temporal dev server (unless TEMPORAL_ADDRESS), the worker and
 * the API; data persists under DATA_DIR (.data/). Ctrl-C stops every child, API and worker first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets, secretsFile } from '../config/secrets.js';
import { DEMO_ACCOUNTS, DEMO_INSTITUTIONS, seedDemoData, seedReferenceData } from '../db/demo-seed.js';
import { createDb, ensureDatabase, migrateLatest } from '../db/knex.js';
import { idNumberCheckChar } from '../domain/id-number.js';
import { startEmbeddedPostgres, UnreachableDataDirError, type RunningPostgres } from '../infra/embedded-postgres.js';
import { ensureTemporalCli } from '../infra/temporal-cli.js';
import { startTemporalDevServer } from '../infra/temporal-dev-server.js';

const { temporal } = proto;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfigOrExit();
const say = (line: string) => console.log(`[start] ${line}`);

const children: { name: string; child: ChildProcess }[] = [];
let postgres: RunningPostgres | undefined;
let stopping = false;

async function main() {
  mkdirSync(config.dataDir, { recursive: true });
  const secrets = loadSecrets(config);
  say(`data in ${config.dataDir} (secrets: ${secretsFile(config)}, owner-only)`);

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
  let demo: { password: string; apiKeys: Record<string, string> } | undefined;
  if (config.seedDemoData) {
    // API keys are stored hashed: the demo keys are kept, owner-only, next to the secrets to show them again.
    const file = path.join(config.dataDir, 'demo-credentials.json');
    const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { apiKeys: Record<string, string> }).apiKeys : {};
    const seeded = await seedDemoData(db);
    demo = { password: seeded.password, apiKeys: { ...kept, ...seeded.apiKeys } };
    writeFileSync(file, JSON.stringify({ apiKeys: demo.apiKeys }, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
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

  // Worker and API, as their own processes (as in production).
  const env = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress };
  for (const [name, entry] of [['worker', 'worker/main.ts'], ['api', 'api/main.ts']] as const) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    children.push({ name, child });
    watch(name, child);
  }
  const apiUrl = `http://localhost:${config.http.port}`;
  await Promise.all([waitForHttp(`${apiUrl}/`, 60_000), waitForWorker(temporalAddress, 60_000)]);

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
  console.log(
    [
      '',
      '  The dispute resolution center is running.',
      `  API:          ${apiUrl}`,
      `  Temporal UI:  ${temporalUi ?? '(external Temporal: use its own UI)'}`,
      `  PostgreSQL:   ${config.database.url ? 'DATABASE_URL' : `embedded, 127.0.0.1:${config.database.embeddedPort}, data in ${path.join(config.dataDir, 'postgres')}`}`,
      '',
      ...(demo ? demoLines(apiUrl, demo) : []),
      '  Try it: log in as a clerk, then register a case:',
      `    TOKEN=$(curl -s -X POST ${apiUrl}/auth/login -H 'content-type: application/json' \\`,
      `      -d '{"username":"clerk.chen","password":"${demo?.password ?? '<password>'}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
      `    curl -s -X POST ${apiUrl}/cases -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
      `      -d '${JSON.stringify(example)}'`,
      `  Then open ${apiUrl}/cases/<caseId> and the workflow mediation-case-<caseId> in the Temporal UI.`,
      '',
      '  Ctrl-C stops everything; data is kept for the next start.',
      '',
    ].join('\n'),
  );
}

function demoLines(apiUrl: string, demo: { password: string; apiKeys: Record<string, string> }): string[] {
  const byRole = new Map<string, string[]>();
  for (const a of DEMO_ACCOUNTS) byRole.set(a.role, [...(byRole.get(a.role) ?? []), a.username]);
  return [
    `  Demo accounts (password ${demo.password}):`,
    ...[...byRole].map(([role, names]) => `    ${role.padEnd(18)} ${names.join(', ')}`),
    '  Court and notary API keys (send as X-API-Key):',
    ...DEMO_INSTITUTIONS.filter((i) => demo.apiKeys[i.institution_id]).map((i) => `    ${i.name.padEnd(12, '　')} ${demo.apiKeys[i.institution_id]}`),
    '  Parties log in with the access code a clerk issues (POST /cases/<id>/parties/<partyId>/access-code)',
    '  and the SMS code from the outbox: npm run sms:outbox',
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

/** The worker is ready when it polls the task queue. */
async function waitForWorker(address: string, timeoutMs: number) {
  const connection = await Connection.connect({ address });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      if (pollers && pollers.length > 0) return;
      if (Date.now() > deadline) throw new Error(`no worker polled ${config.temporal.taskQueue} within ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await connection.close();
  }
}

function stopChild(name: string, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      console.error(`[start] ${name} did not stop in ${timeoutMs / 1000}s; killing it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  const byName = (n: string) => children.filter((c) => c.name === n);
  // The API and worker first (they finish in-flight work), then Temporal, then PostgreSQL.
  await Promise.all([...byName('api'), ...byName('worker')].map((c) => stopChild(c.name, c.child)));
  await Promise.all(byName('temporal').map((c) => stopChild(c.name, c.child)));
  if (postgres) await postgres.stop();
  say('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// If this process dies some other way, do not leave detached children behind.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null && child.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
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
