/**
 * Opens the case record for an operator command: DATABASE_URL, or the embedded PostgreSQL that
 * `npm start` keeps under DATA_DIR (started for the command if it is not running).
 */
import { connect } from 'node:net';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { createDb, ensureDatabase } from '../db/knex.js';
import { startEmbeddedPostgres } from '../infra/embedded-postgres.js';

export async function connectRecord(config: Config): Promise<{ db: Knex; close(): Promise<void> }> {
  if (config.database.url) {
    const db = createDb(config.database.url, { max: 2 });
    return { db, close: () => db.destroy() };
  }
  const password = loadSecrets(config).postgresPassword;
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.database.embeddedPort}/odr`;
  // Running (npm start is up): use it. A port probe first, so a stopped server is not logged as an error.
  if (await listening(config.database.embeddedPort)) {
    const db = createDb(url, { max: 2 });
    return { db, close: () => db.destroy() };
  }
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'postgres'),
    port: config.database.embeddedPort,
    password,
    persistent: true,
  });
  await ensureDatabase(pg.adminUrl, 'odr'); // a fresh DATA_DIR: `npm run migrate` before the first start
  const db = createDb(pg.urlFor('odr'), { max: 2 });
  return {
    db,
    close: async () => {
      await db.destroy();
      await pg.stop();
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
