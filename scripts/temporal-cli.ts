/** `npm run temporal:install`: find or build the Temporal CLI and print where it is. */
import { loadConfigOrExit } from '../config/index.js';
import { ensureTemporalCli } from '../infra/temporal-cli.js';

const quiet = process.argv.includes('--quiet-if-found');
const config = loadConfigOrExit();
try {
  const cli = await ensureTemporalCli(config);
  if (!quiet || cli.source === 'built') console.log(`[temporal] CLI (${cli.source}): ${cli.path}`);
} catch (err) {
  console.error(`[temporal] ${(err as Error).message}`);
  process.exit(1);
}
