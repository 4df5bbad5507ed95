import { createHash } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../migrations/index.js';

// BIGINT (int8) as a JS number: amounts in fen stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// DATE as the plain 'YYYY-MM-DD' string it is, not a Date at local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Knex;

const statementNames = new Map<string, string>();

/**
 * A raw statement run as a named prepared statement: each connection sends and parses its text once, and afterwards
 * only the values (PostgreSQL plans the first few runs each, then keeps one plan when it is no costlier). For
 * statements the record runs with every update, whose text is long and always the same (the facts row, the rollups'
 * reads and upserts): parsing and planning them cost more than running them. A migration that changes the type of a
 * column such a statement answers makes it fail on connections opened before: restart the workers after one.
 */
export function prepared(db: Knex | Knex.Transaction, sql: string, bindings: readonly Knex.RawBinding[]) {
  let name = statementNames.get(sql);
  if (!name) {
    name = `odr_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return db.raw(sql, bindings).options({ name });
}

export function createDb(url: string, pool: { min?: number; max?: number } = {}): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: pool.max ?? 10 } });
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

/** Creates a database on the server at `adminUrl` if it does not exist. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const admin = createDb(adminUrl, { max: 1 });
  try {
    const { rows } = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    if (rows.length === 0) await admin.raw(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.destroy();
  }
}
