/**
 * `npm run temporal:server:install`: find or build the Temporal server and its SQL tool (the real server that
 * `npm run start:cluster` runs on PostgreSQL) and print where they are. TEMPORAL_SERVER_PATH names your own.
 */
import { loadConfigOrExit } from '../config/index.js';
import { assertServerVersion, ensureTemporalServer, TEMPORAL_SERVER_VERSION } from '../infra/temporal-server.js';

const quiet = process.argv.includes('--quiet-if-found');
const config = loadConfigOrExit();
try {
  const binaries = await ensureTemporalServer(config, { serverPath: config.temporal.serverPath });
  await assertServerVersion(binaries);
  if (!quiet || binaries.source === 'built') {
    console.log(`[temporal-server] server v${TEMPORAL_SERVER_VERSION} (${binaries.source}): ${binaries.server}`);
    console.log(`[temporal-server] SQL tool: ${binaries.sqlTool}`);
  }
} catch (err) {
  console.error(`[temporal-server] ${(err as Error).message}`);
  process.exit(1);
}
