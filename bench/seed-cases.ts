/**
 * `npm run bench:seed -- --cases 1000000`: brings the synthetic cases in the database at DATABASE_URL to
 * that many (migrating it first, as the API does on start), for looking at the work queue at scale. The
 * bench seeds its own database the same way (bench/seed.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/index.js';
import { createDb, migrateLatest } from '../db/knex.js';
import { countNotSeeded, seedCases } from './seed.js';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '100000' } },
});
const total = Number(values.cases);
const batch = Number(values.batch);
if (!Number.isInteger(total) || total < 0 || !Number.isInteger(batch) || batch < 1) {
  console.error('usage: npm run bench:seed -- --cases <count> [--batch <rows per statement>]');
  process.exit(64);
}
const config = loadConfigOrExit();
if (!config.database.url) {
  console.error(
    'DATABASE_URL is not set: bench:seed writes into the PostgreSQL it names (npm run bench seeds its own).',
  );
  process.exit(78);
}
// Synthetic cases have no workflow and would fill real queues: never into a production database.
if (config.env === 'production') {
  console.error('NODE_ENV=production: bench:seed only writes into a database made for benchmarks.');
  process.exit(78);
}
const db = createDb(config.database.url, { max: 2 });
try {
  // Nor into a database that holds cases of its own, whatever NODE_ENV this shell has.
  const theirs = await countNotSeeded(db);
  if (theirs > 0) {
    console.error(
      `This database holds ${theirs} cases that bench:seed did not write: it only writes into a database made for benchmarks.`,
    );
    process.exitCode = 78;
  } else {
    await migrateLatest(db);
    const result = await seedCases(db, { total, batch, log: (l) => console.log(l) });
    console.log(
      result.inserted
        ? `${result.inserted} cases added in ${result.seconds} s; ${result.total} synthetic cases in all`
        : `already ${result.total} synthetic cases; nothing added`,
    );
  }
} finally {
  await db.destroy();
}
