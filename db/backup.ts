/**
 * Backup and restore of the case record (the PostgreSQL database) over an ordinary connection: the
 * embedded server ships no pg_dump, and a client older than the server cannot dump it.
 *
 * A backup is one REPEATABLE READ, READ ONLY transaction: every table is read from the same snapshot
 * while the system keeps writing. Each table leaves with PostgreSQL's own `COPY ... TO STDOUT` text
 * format (through pg-copy-streams), so bytea, jsonb, timestamps and arrays come back exactly as the
 * server wrote them; nothing is held in memory beyond one chunk.
 *
 * The file (format 1), a sequence of frames after a magic line:
 *
 *     "ODR-RECORD-BACKUP 1\n"
 *     frame*   = kind (1 ASCII byte) | payload length (uint32, big-endian) | payload
 *       T      a table begins: JSON { name, columns }
 *       D      the next slice of that table's data: one gzip stream per table, cut into frames, whose
 *              content is the table's COPY text (one line per row)
 *       M      the manifest, JSON: format, createdAt (the snapshot), serverVersion, database, the applied
 *              migrations in order, per table (in load order) its columns, rows, bytes and the SHA-256
 *              of its COPY text, and the sequences
 *       Z      the last frame: the SHA-256 (32 bytes) of every byte of the file before it
 *
 * The manifest comes last because the checksums are known only once the data has been written. A restore
 * reads the whole file once and checks every table against the manifest and the file against Z before it
 * writes anything, then reads it again to load it.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrationSource } from '../migrations/index.js';
import { createDb } from './knex.js';

export const BACKUP_FORMAT = 1;
const MAGIC = Buffer.from(`ODR-RECORD-BACKUP ${BACKUP_FORMAT}\n`, 'ascii');
/** No honest frame comes near this (data frames are gzip chunks of 64 KiB); a larger length is damage. */
const MAX_FRAME = 64 * 1024 * 1024;
/** knex's own bookkeeping: the migrations go into the manifest, and a restore runs them itself. */
const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

export type BackupTable = { name: string; columns: string[]; rows: number; bytes: number; sha256: string };
/** A sequence owned by a column is set from that column after a restore; another keeps its value. */
export type BackupSequence =
  { name: string; table: string; column: string } | { name: string; lastValue: string; isCalled: boolean };
export type BackupManifest = {
  format: number;
  createdAt: string;
  serverVersion: string;
  database: string;
  migrations: string[];
  tables: BackupTable[];
  sequences: BackupSequence[];
};

/** An expected problem (missing file, damaged file, non-empty target): the commands print its message alone. */
export class BackupError extends Error {}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (name: string) => `public.${quote(name)}`;

/**
 * The same settings on both sides, so COPY writes each value in one spelling (time zone, date style,
 * float digits, bytea) and a restored table reads back to the very bytes of the backup. No scan starts
 * in the middle of a table (synchronize_seqscans), so a table reads back in the order it was loaded.
 */
const SESSION = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL client_encoding = 'UTF8'",
  'SET LOCAL synchronize_seqscans = off',
  'SET LOCAL statement_timeout = 0',
];

// ---------------------------------------------------------------- catalog

type Catalog = {
  tables: { name: string; columns: string[] }[];
  /** Each table's foreign-key parents in the schema. */
  parents: Record<string, string[]>;
  sequences: { name: string; table: string | null; column: string | null }[];
};

/** Tables of the public schema in an order that satisfies their foreign keys, with their columns. */
async function readCatalog(conn: pg.ClientBase): Promise<Catalog> {
  const { rows: columns } = await conn.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT (c.relname = ANY ($1))
      ORDER BY c.relname, a.attnum`,
    [KNEX_TABLES],
  );
  const byTable = new Map<string, string[]>();
  for (const r of columns) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.column]);
  const { rows: keys } = await conn.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent
       FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_namespace chn ON chn.oid = ch.relnamespace
       JOIN pg_class pa ON pa.oid = k.confrelid JOIN pg_namespace pan ON pan.oid = pa.relnamespace
      WHERE k.contype = 'f' AND chn.nspname = 'public' AND pan.nspname = 'public'`,
  );
  const { rows: sequences } = await conn.query<{ name: string; table: string | null; column: string | null }>(
    `SELECT s.relname AS name, t.relname AS table, a.attname AS column
       FROM pg_class s
       JOIN pg_namespace n ON n.oid = s.relnamespace
       LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                            AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       LEFT JOIN pg_class t ON t.oid = d.refobjid
       LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE s.relkind = 'S' AND n.nspname = 'public'
      ORDER BY s.relname`,
  );
  const parents: Record<string, string[]> = {};
  for (const { child, parent } of keys)
    if (byTable.has(child) && byTable.has(parent))
      parents[child] = [...new Set([...(parents[child] ?? []), parent])].sort();
  return {
    tables: foreignKeyOrder([...byTable.keys()], parents).map((name) => ({ name, columns: byTable.get(name)! })),
    parents,
    sequences: sequences.filter((s) => !s.table || !KNEX_TABLES.includes(s.table)),
  };
}

/** Parents before children (Kahn's algorithm, by name among equals so the order is stable). */
function foreignKeyOrder(tables: string[], parents: Record<string, string[]>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < tables.length) {
    const ready = tables
      .filter((t) => !placed.has(t) && (parents[t] ?? []).every((p) => p === t || placed.has(p)))
      .sort();
    // A table referring to itself loads in one COPY (the checks run at its end); a cycle between tables cannot.
    if (ready.length === 0)
      throw new BackupError(`foreign keys form a cycle among ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) {
      order.push(t);
      placed.add(t);
    }
  }
  return order;
}

// ---------------------------------------------------------------- COPY text accounting

/** Rows, bytes and SHA-256 of a table's COPY text (a row is a line: newlines inside values are escaped). */
class Tally {
  private readonly hash: Hash = createHash('sha256');
  rows = 0;
  bytes = 0;
  add(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.rows += 1;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

const tallied = (tally: Tally) =>
  async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      tally.add(chunk);
      yield chunk;
    }
  };

// ---------------------------------------------------------------- the file

class FrameWriter {
  private readonly hash = createHash('sha256');
  constructor(private readonly out: Writable) {}
  private async write(buf: Buffer, hashed = true): Promise<void> {
    if (hashed) this.hash.update(buf);
    // events.once rejects if the stream fails while we wait.
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }
  async frame(kind: string, payload: Buffer): Promise<void> {
    const header = Buffer.alloc(5);
    header.write(kind, 0, 'ascii');
    header.writeUInt32BE(payload.length, 1);
    await this.write(header, kind !== 'Z');
    await this.write(payload, kind !== 'Z');
  }
  async magic(): Promise<void> {
    await this.write(MAGIC);
  }
  async trailer(): Promise<void> {
    await this.frame('Z', this.hash.digest());
  }
}

type Frame = { kind: string; payload: Buffer };

class FrameReader {
  private readonly source: AsyncIterator<Buffer>;
  private buf: Buffer = Buffer.alloc(0);
  private readonly hash = createHash('sha256');
  private peeked: Frame | undefined;
  constructor(
    source: AsyncIterable<Buffer>,
    private readonly damaged: (why: string) => BackupError,
  ) {
    this.source = source[Symbol.asyncIterator]();
  }
  /** Exactly n bytes; undefined only at the end of the file on a frame boundary. */
  private async take(n: number, boundary: boolean): Promise<Buffer | undefined> {
    while (this.buf.length < n) {
      const next = await this.source.next();
      if (next.done) {
        if (boundary && this.buf.length === 0) return undefined;
        throw this.damaged('it ends in the middle of a frame (cut short?)');
      }
      this.buf = this.buf.length === 0 ? next.value : Buffer.concat([this.buf, next.value]);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  async magic(): Promise<void> {
    const magic = await this.take(MAGIC.length, true);
    if (!magic || !magic.equals(MAGIC)) {
      const line = magic?.toString('latin1').split('\n')[0] ?? '';
      throw new BackupError(
        line.startsWith('ODR-RECORD-BACKUP ')
          ? `it is a backup of format ${line.slice(18)}; this code reads format ${BACKUP_FORMAT}`
          : 'it is not a backup of the case record',
      );
    }
    this.hash.update(magic);
  }
  async next(): Promise<Frame | undefined> {
    if (this.peeked) {
      const frame = this.peeked;
      this.peeked = undefined;
      return frame;
    }
    const header = await this.take(5, true);
    if (!header) return undefined;
    const kind = String.fromCharCode(header[0]!);
    const length = header.readUInt32BE(1);
    if (!'TDMZ'.includes(kind) || length > MAX_FRAME)
      throw this.damaged(`a frame header is damaged (kind ${JSON.stringify(kind)}, length ${length})`);
    const payload = (await this.take(length, false))!;
    if (kind !== 'Z') this.hash.update(header).update(payload);
    return { kind, payload };
  }
  unread(frame: Frame): void {
    this.peeked = frame;
  }
  /** The SHA-256 of every byte read so far but the trailer; once only. */
  digestBeforeTrailer(): Buffer {
    return this.hash.digest();
  }
}

function parseJson<T>(payload: Buffer, damaged: (why: string) => BackupError, what: string): T {
  try {
    return JSON.parse(payload.toString('utf8')) as T;
  } catch {
    throw damaged(`its ${what} is not valid JSON`);
  }
}

/**
 * Walks a backup file: `onTable` receives each table's header and its compressed data, which it must
 * consume. Ends with the manifest once the trailer's SHA-256 matches the whole file.
 */
async function walkBackup(
  file: string,
  onTable: (
    table: { name: string; columns: string[] },
    compressed: AsyncIterable<Buffer>,
    damaged: (why: string) => BackupError,
  ) => Promise<void>,
): Promise<BackupManifest> {
  if (!existsSync(file)) throw new BackupError(`no such file: ${file}`);
  const damaged = (why: string) => new BackupError(`the backup ${file} is damaged: ${why}; nothing was restored`);
  const reader = new FrameReader(createReadStream(file, { highWaterMark: 256 * 1024 }), damaged);
  await reader.magic().catch((err: Error) => {
    throw new BackupError(
      `${file}: ${err instanceof BackupError && !err.message.startsWith('the backup') ? err.message : 'it is not a backup of the case record'}`,
    );
  });
  let manifest: BackupManifest | undefined;
  for (;;) {
    const frame = await reader.next();
    if (!frame) throw damaged('it has no trailer (cut short?)');
    if (frame.kind === 'T') {
      if (manifest) throw damaged('a table follows the manifest');
      const table = parseJson<{ name: string; columns: string[] }>(frame.payload, damaged, 'table header');
      const data = async function* () {
        for (;;) {
          const next = await reader.next();
          if (!next) return;
          if (next.kind !== 'D') return reader.unread(next);
          yield next.payload;
        }
      };
      const slices = data();
      await onTable(table, slices, damaged);
      for await (const _ of slices); // whatever onTable left unread
    } else if (frame.kind === 'M') {
      if (manifest) throw damaged('it has two manifests');
      manifest = parseJson<BackupManifest>(frame.payload, damaged, 'manifest');
    } else if (frame.kind === 'Z') {
      if (!frame.payload.equals(reader.digestBeforeTrailer()))
        throw damaged('its SHA-256 does not match its content (the file was altered)');
      if (await reader.next()) throw damaged('bytes follow the trailer');
      if (!manifest) throw damaged('it has no manifest');
      return manifest;
    } else {
      throw damaged('table data outside a table');
    }
  }
}

// ---------------------------------------------------------------- connections

async function withKnex<T>(db: Knex | string, run: (knex: Knex) => Promise<T>): Promise<T> {
  if (typeof db !== 'string') return run(db);
  const knex = createDb(db, { max: 2 });
  try {
    return await run(knex);
  } finally {
    await knex.destroy();
  }
}

async function withConnection<T>(knex: Knex, run: (conn: pg.PoolClient) => Promise<T>): Promise<T> {
  const conn = (await knex.client.acquireConnection()) as pg.PoolClient;
  try {
    return await run(conn);
  } finally {
    await knex.client.releaseConnection(conn);
  }
}

/** One connection of the pool for a transaction of our own (COPY needs the client itself). */
async function withTransaction<T>(knex: Knex, begin: string, run: (conn: pg.PoolClient) => Promise<T>): Promise<T> {
  const conn = (await knex.client.acquireConnection()) as pg.PoolClient & { end(): Promise<void> };
  try {
    await conn.query(begin);
    const result = await run(conn);
    await conn.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot roll back promptly (a COPY cut short mid-stream) is closed, which ends
    // the transaction as surely; the pool then drops it.
    const rolledBack = await Promise.race([
      conn.query('ROLLBACK').then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
    ]);
    if (!rolledBack) await conn.end().catch(() => undefined);
    throw err;
  } finally {
    await knex.client.releaseConnection(conn);
  }
}

// ---------------------------------------------------------------- backup

/**
 * Writes a consistent backup of the record to `target` (a path: written beside it and renamed when
 * complete, never over an existing file; or a stream) and returns its manifest. `afterSnapshot` runs
 * once the snapshot is taken (a test writes meanwhile).
 */
export async function backupDatabase(
  db: Knex | string,
  target: string | Writable,
  opts: { afterSnapshot?: () => Promise<void> } = {},
): Promise<BackupManifest> {
  if (typeof target === 'string' && existsSync(target))
    throw new BackupError(`${target} already exists: a backup never overwrites a file, choose another name`);
  return withKnex(db, async (knex) => {
    if (typeof target !== 'string') return writeBackup(knex, target, opts);
    const partial = `${target}.partial`;
    const out = createWriteStream(partial);
    try {
      await once(out, 'open').catch((err: Error) => {
        throw new BackupError(`cannot write ${partial}: ${err.message}`);
      });
      const manifest = await writeBackup(knex, out, opts);
      out.end();
      await once(out, 'close');
      // On disk before it takes its name.
      const handle = await open(partial, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(partial, target);
      return manifest;
    } catch (err) {
      out.destroy();
      await rm(partial, { force: true });
      throw err;
    }
  });
}

async function writeBackup(
  knex: Knex,
  out: Writable,
  opts: { afterSnapshot?: () => Promise<void> },
): Promise<BackupManifest> {
  // The tables to lock are read before the transaction, so its first statements (SET, LOCK) take no
  // snapshot: the locks are held before the snapshot is, and no migration can change a table between.
  const expected = await withConnection(knex, readCatalog);
  // REPEATABLE READ: one snapshot, taken at the first query, for every table; READ ONLY: no writes.
  // Not DEFERRABLE: it only means something with SERIALIZABLE READ ONLY, where it waits for a snapshot
  // that no serializable writer can still contradict (pg_dump --serializable-deferrable). Our writers run
  // at READ COMMITTED with row and advisory locks, never SERIALIZABLE, so there is no such anomaly to wait
  // out: a snapshot shows whole transactions, which is all their invariants need (a case row, its
  // parties and its first event are written in one), and the backup never waits behind a long writer.
  return withTransaction(knex, 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY', async (conn) => {
    for (const s of SESSION) await conn.query(s);
    // ACCESS SHARE blocks only DDL (a migration, TRUNCATE, VACUUM FULL): the system keeps writing.
    if (expected.tables.length > 0)
      await conn.query(`LOCK TABLE ${expected.tables.map((t) => qualified(t.name)).join(', ')} IN ACCESS SHARE MODE`);
    const {
      rows: [info],
    } = await conn.query<{ now: Date; version: string; database: string }>(
      "SELECT clock_timestamp() AS now, current_setting('server_version') AS version, current_database() AS database",
    );
    const catalog = await readCatalog(conn);
    if (JSON.stringify(catalog) !== JSON.stringify(expected))
      throw new BackupError('the schema changed as the backup began (a migration ran?): run it again');
    const hasMigrations = (await conn.query("SELECT to_regclass('public.knex_migrations') IS NOT NULL AS present"))
      .rows[0].present as boolean;
    if (!hasMigrations)
      throw new BackupError(`database ${info!.database} has no knex_migrations table: it is not a case record`);
    const migrations = (
      await conn.query<{ name: string }>('SELECT name FROM public.knex_migrations ORDER BY id')
    ).rows.map((r) => r.name);
    await opts.afterSnapshot?.();

    const writer = new FrameWriter(out);
    await writer.magic();
    const tables: BackupTable[] = [];
    const counted: { table: string; copy: { rowCount: number }; lines: number }[] = [];
    for (const t of catalog.tables) {
      await writer.frame('T', Buffer.from(JSON.stringify({ name: t.name, columns: t.columns })));
      const tally = new Tally();
      const copy = conn.query(copyTo(`COPY ${qualified(t.name)} (${t.columns.map(quote).join(', ')}) TO STDOUT`));
      await pipeline(
        copy,
        tallied(tally),
        createGzip({ chunkSize: 64 * 1024 }),
        async (compressed: AsyncIterable<Buffer>) => {
          for await (const slice of compressed) await writer.frame('D', slice);
        },
      );
      counted.push({ table: t.name, copy, lines: tally.rows });
      tables.push({ ...t, rows: tally.rows, bytes: tally.bytes, sha256: tally.digest() });
    }
    // Each COPY's row count arrives after its data has ended; a query behind them all has them all.
    await conn.query('SELECT 1');
    for (const c of counted)
      if (c.copy.rowCount !== c.lines)
        throw new Error(`${c.table}: the server sent ${c.copy.rowCount} rows, ${c.lines} lines arrived`);
    const sequences: BackupSequence[] = [];
    for (const s of catalog.sequences) {
      if (s.table && s.column) sequences.push({ name: s.name, table: s.table, column: s.column });
      else {
        // Sequences are not transactional: this is the value now, never below one the snapshot used.
        const {
          rows: [v],
        } = await conn.query<{ last_value: string; is_called: boolean }>(
          `SELECT last_value::text, is_called FROM ${qualified(s.name)}`,
        );
        sequences.push({ name: s.name, lastValue: v!.last_value, isCalled: v!.is_called });
      }
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: info!.now.toISOString(),
      serverVersion: info!.version,
      database: info!.database,
      migrations,
      tables,
      sequences,
    };
    await writer.frame('M', Buffer.from(JSON.stringify(manifest)));
    await writer.trailer();
    return manifest;
  });
}

// ---------------------------------------------------------------- verify and restore

/**
 * Reads a whole backup and checks it: the trailer against the file, every table's rows and SHA-256
 * against the manifest. Returns the manifest; throws a BackupError on any difference.
 */
export async function verifyBackupFile(file: string): Promise<BackupManifest> {
  const seen: BackupTable[] = [];
  const manifest = await walkBackup(file, async (table, compressed, damaged) => {
    const tally = new Tally();
    try {
      await pipeline(compressed, createGunzip(), async (data: AsyncIterable<Buffer>) => {
        for await (const chunk of data) tally.add(chunk);
      });
    } catch (err) {
      throw err instanceof BackupError
        ? err
        : damaged(`table ${table.name} cannot be read (${(err as Error).message})`);
    }
    seen.push({ ...table, rows: tally.rows, bytes: tally.bytes, sha256: tally.digest() });
  });
  const damaged = (why: string) => new BackupError(`the backup ${file} is damaged: ${why}; nothing was restored`);
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`${file} is a backup of format ${manifest.format}; this code reads format ${BACKUP_FORMAT}`);
  if (!Array.isArray(manifest.tables) || !Array.isArray(manifest.migrations) || !Array.isArray(manifest.sequences))
    throw damaged('its manifest is incomplete');
  if (manifest.tables.length !== seen.length)
    throw damaged(`the manifest lists ${manifest.tables.length} tables, the file holds ${seen.length}`);
  manifest.tables.forEach((m, i) => {
    const got = seen[i]!;
    if (m.name !== got.name || JSON.stringify(m.columns) !== JSON.stringify(got.columns))
      throw damaged(`table ${i + 1} is ${got.name} in the file and ${m.name} in the manifest`);
    if (m.rows !== got.rows || m.bytes !== got.bytes || m.sha256 !== got.sha256)
      throw damaged(`table ${m.name} does not match its SHA-256 in the manifest`);
  });
  return manifest;
}

/** The migrations this code knows, in order. */
async function knownMigrations(): Promise<string[]> {
  return (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
}

/**
 * Restores a backup into an empty database: checks the whole file first, brings the schema to exactly
 * the backup's migrations, then loads every table, sets every sequence and reads every table back to
 * its SHA-256, all in one transaction. Refuses a database that holds any row.
 */
export async function restoreDatabase(db: Knex | string, file: string): Promise<BackupManifest> {
  const manifest = await verifyBackupFile(file);
  const known = await knownMigrations();
  const unknown = manifest.migrations.filter((m) => !known.includes(m));
  if (unknown.length > 0)
    throw new BackupError(
      `the backup's schema has migrations this code does not know (${unknown.join(', ')}): restore it with the version of the code that wrote it, or a later one`,
    );
  if (manifest.migrations.some((m, i) => known[i] !== m))
    throw new BackupError(
      `the backup's migrations (${manifest.migrations.join(', ')}) are not the start of this code's list`,
    );

  return withKnex(db, async (knex) => {
    await refuseRows(knex);
    const applied = (await knex.schema.hasTable('knex_migrations'))
      ? ((await knex('knex_migrations').orderBy('id').pluck('name')) as string[])
      : [];
    if (applied.some((m, i) => manifest.migrations[i] !== m)) {
      throw new BackupError(
        `the target database's schema (${applied.at(-1)}) is not an earlier state of the backup's (${manifest.migrations.at(-1) ?? 'none'}): restore into a new, empty database`,
      );
    }
    const wanted = new Set(manifest.migrations);
    const upToTheBackup: typeof migrationSource = {
      getMigrations: async (extensions) =>
        (await migrationSource.getMigrations(extensions)).filter((m) =>
          wanted.has(migrationSource.getMigrationName(m)),
        ),
      getMigrationName: (m) => migrationSource.getMigrationName(m),
      getMigration: (m) => migrationSource.getMigration(m),
    };
    await knex.migrate.latest({ migrationSource: upToTheBackup });

    await withTransaction(knex, 'BEGIN', async (conn) => {
      for (const s of SESSION) await conn.query(s);
      const catalog = await readCatalog(conn);
      const targetTables = new Map(catalog.tables.map((t) => [t.name, t.columns]));
      const differs = [
        ...manifest.tables
          .filter(
            (t) =>
              JSON.stringify([...(targetTables.get(t.name) ?? [])].sort()) !== JSON.stringify([...t.columns].sort()),
          )
          .map((t) => t.name),
        ...catalog.tables.filter((t) => !manifest.tables.some((m) => m.name === t.name)).map((t) => t.name),
      ];
      if (differs.length > 0)
        throw new BackupError(
          `after its migrations the target's tables differ from the backup's (${differs.join(', ')}): was the schema changed by hand?`,
        );
      // The file is in the source's foreign-key order; the target's own graph must agree with it.
      const seen = new Set<string>();
      for (const t of manifest.tables) {
        const missing = (catalog.parents[t.name] ?? []).filter((p) => p !== t.name && !seen.has(p));
        if (missing.length > 0)
          throw new BackupError(`table ${t.name} refers to ${missing.join(', ')}, which the backup holds after it`);
        seen.add(t.name);
      }

      const all = catalog.tables.map((t) => qualified(t.name)).join(', ');
      // Nobody writes meanwhile; still empty under the lock; a new, empty heap for each table (TRUNCATE), so
      // rows lie in the order they are loaded and read back in it. No trigger forbids an INSERT (the event
      // log's refuses UPDATE and DELETE only), and TRUNCATE fires none.
      await conn.query(`LOCK TABLE ${all} IN ACCESS EXCLUSIVE MODE`);
      await refuseRows(conn);
      await conn.query(`TRUNCATE ${all}`);

      await walkBackup(file, async (table, compressed, damaged) => {
        const tally = new Tally();
        const expected = manifest.tables.find((t) => t.name === table.name)!;
        const copy = conn.query(
          copyFrom(`COPY ${qualified(table.name)} (${table.columns.map(quote).join(', ')}) FROM STDIN`),
        );
        await pipeline(compressed, createGunzip(), tallied(tally), copy);
        // The file was checked a moment ago; this catches one changed since.
        if (tally.digest() !== expected.sha256 || copy.rowCount !== expected.rows)
          throw damaged(`table ${table.name} changed since it was checked`);
      });

      for (const s of manifest.sequences) {
        if ('table' in s) {
          await conn.query(
            `SELECT setval($1::regclass, COALESCE(MAX(${quote(s.column)}), (SELECT seqstart FROM pg_sequence WHERE seqrelid = $1::regclass)), MAX(${quote(s.column)}) IS NOT NULL) FROM ${qualified(s.table)}`,
            [qualified(s.name)],
          );
        } else {
          await conn.query('SELECT setval($1::regclass, $2::bigint, $3)', [qualified(s.name), s.lastValue, s.isCalled]);
        }
      }

      // What is about to be committed reads back to the backup's bytes, table by table.
      for (const t of manifest.tables) {
        const tally = new Tally();
        await pipeline(
          conn.query(copyTo(`COPY ${qualified(t.name)} (${t.columns.map(quote).join(', ')}) TO STDOUT`)),
          async (data: AsyncIterable<Buffer>) => {
            for await (const chunk of data) tally.add(chunk);
          },
        );
        if (tally.digest() !== t.sha256)
          throw new Error(`table ${t.name} reads back differently from the backup after loading`);
      }
    });
    return manifest;
  });
}

/** Refuses a database in which any table of the record has a row. */
async function refuseRows(db: Knex | pg.ClientBase): Promise<void> {
  const query = async <R>(sql: string): Promise<R[]> =>
    'raw' in db ? ((await db.raw(sql)).rows as R[]) : ((await db.query(sql)).rows as R[]);
  const tables = (
    await query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN (${KNEX_TABLES.map((t) => `'${t}'`).join(', ')}) ORDER BY c.relname`,
    )
  ).map((r) => r.name);
  if (tables.length === 0) return;
  const filled = (
    await query<{ name: string }>(
      tables
        .map((t) => `SELECT '${t.replace(/'/g, "''")}' AS name WHERE EXISTS (SELECT 1 FROM ${qualified(t)})`)
        .join(' UNION ALL '),
    )
  ).map((r) => r.name);
  if (filled.length > 0) {
    const first = filled.includes('cases') ? 'cases' : filled[0]!;
    const others = filled.length - 1;
    throw new BackupError(
      `the target database is not empty (${first} has rows${others > 0 ? `, and ${others} other table${others > 1 ? 's' : ''}` : ''}): restore only into a new, empty database`,
    );
  }
}
