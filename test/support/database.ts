/**
 * A database of a test file's own beside the run's (test/support/global-setup.ts), migrated: for a file that reads
 * what every case of the database adds up to (the statistics' rollups and their drift checks), which other files'
 * cases would change under it. Dropped with the run's server at the end of the run.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { inject } from 'vitest';
import { createDb, ensureDatabase, migrateLatest } from '../../db/knex.js';

export async function databaseOfItsOwn(prefix: string, opts: { max: number }): Promise<Knex> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await ensureDatabase(inject('databaseUrl'), name);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), opts);
  await migrateLatest(db);
  return db;
}
