/**
 * Opens the case record for an operator command: DATABASE_URL, or the embedded PostgreSQL that
 * `npm start` keeps under DATA_DIR (started for the command if it is not running).
 */
import path from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { createDb } from '../db/knex.js';
import { startEmbeddedPostgres } from '../infra/embedded-postgres.js';

export async function connectRecord(config: Config): Promise<{ db: Knex; close(): Promise<void> }> {
  if (config.database.url) {
    const db = createDb(config.database.url, { max: 2 });
    return { db, close: () => db.destroy() };
  }
  const password = loadSecrets(config).postgresPassword;
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.database.embeddedPort}/odr`;
  const probe = createDb(url, { max: 1 });
  try {
    await probe.raw('SELECT 1');
    return { db: probe, close: () => probe.destroy() };
  } catch {
    await probe.destroy();
  }
  const pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.database.embeddedPort, password, persistent: true });
  const db = createDb(pg.urlFor('odr'), { max: 2 });
  return {
    db,
    close: async () => {
      await db.destroy();
      await pg.stop();
    },
  };
}
