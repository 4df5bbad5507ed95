/**
 * `npm run migrate`: brings the case record's schema up to date (DATABASE_URL, or the embedded PostgreSQL
 * that `npm start` keeps under DATA_DIR) and says which migrations it applied. The API also does this when
 * it starts; this is for an operator who upgrades the database before the processes.
 */
import { loadConfigOrExit } from '../config/index.js';
import { migrateLatest } from '../db/knex.js';
import { connectRecord } from './record.js';

const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
try {
  const applied = await migrateLatest(db);
  console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
} finally {
  await close();
}
