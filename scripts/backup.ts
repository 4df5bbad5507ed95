/**
 * `npm run backup -- <file>`: a consistent backup of the case record while the system runs (db/backup.ts),
 * from DATABASE_URL, or the embedded PostgreSQL that `npm start` keeps under DATA_DIR. `-` writes the backup
 * to standard output (run the script with node or tsx then: npm's own banner would go there too).
 */
import { loadConfigOrExit } from '../config/index.js';
import { BackupError, backupDatabase } from '../db/backup.js';
import { connectRecord } from './record.js';

const args = process.argv.slice(2);
const file = args[0];
if (!file || args.length > 1) {
  console.error('usage: npm run backup -- <file>   (- for standard output)');
  process.exit(2);
}
// With `-` the backup owns standard output; what the command says goes to standard error.
const say = file === '-' ? console.error : console.log;
const config = loadConfigOrExit();
const { db, close } = await connectRecord(config);
try {
  const started = Date.now();
  const manifest = await backupDatabase(db, file === '-' ? process.stdout : file);
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  const cases = manifest.tables.find((t) => t.name === 'cases')?.rows ?? 0;
  say(
    `backup ${file === '-' ? 'written' : file}: ${cases} cases, ${rows} rows in ${manifest.tables.length} tables, ` +
      `as of ${manifest.createdAt}, schema ${manifest.migrations.at(-1)}, PostgreSQL ${manifest.serverVersion}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`backup refused: ${err.message}`);
  process.exitCode = 1;
} finally {
  await close();
}
