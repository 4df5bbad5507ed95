/**
 * `npm run restore -- <file>`: restores a backup (db/backup.ts) into an empty database, DATABASE_URL or the
 * embedded PostgreSQL under DATA_DIR, after checking the whole file. `npm run restore -- --check <file>` only
 * checks the file. `-` reads the backup from standard input (kept in a temporary file: it is read twice).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { loadConfigOrExit } from '../config/index.js';
import { BackupError, restoreDatabase, verifyBackupFile, type BackupManifest } from '../db/backup.js';
import { connectRecord } from './record.js';

const args = process.argv.slice(2);
const check = args[0] === '--check';
const file = check ? args[1] : args[0];
if (!file || args.length !== (check ? 2 : 1)) {
  console.error('usage: npm run restore -- [--check] <file>   (- for standard input)');
  process.exit(2);
}
const describe = (m: BackupManifest) =>
  `${m.tables.find((t) => t.name === 'cases')?.rows ?? 0} cases, ${m.tables.reduce((n, t) => n + t.rows, 0)} rows in ${m.tables.length} tables, ` +
  `as of ${m.createdAt}, schema ${m.migrations.at(-1)}`;

let spool: string | undefined;
try {
  let source = file;
  if (file === '-') {
    spool = await mkdtemp(path.join(tmpdir(), 'odr-restore-'));
    source = path.join(spool, 'backup');
    await pipeline(process.stdin, createWriteStream(source));
  }
  if (check) {
    console.log(`backup ${file} is intact: ${describe(await verifyBackupFile(source))}`);
  } else {
    const config = loadConfigOrExit();
    const { db, close } = await connectRecord(config);
    try {
      const started = Date.now();
      const manifest = await restoreDatabase(db, source);
      console.log(
        `restored ${file === '-' ? 'the backup from standard input' : file}: ${describe(manifest)}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      console.log('next: npm run verify:chain -- --all');
    } finally {
      await close();
    }
  }
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`restore refused: ${err.message}`);
  process.exitCode = 1;
} finally {
  if (spool) await rm(spool, { recursive: true, force: true });
}
