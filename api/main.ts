/** API process: `npm run api` (npm start runs it for you). */
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { startApi } from './server.js';

const config = loadConfigOrExit();
const api = await startApi(config, loadSecrets(config));
const { logger } = api;
logger.info({ url: api.url }, `listening on ${api.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Give the load balancer a moment to see /readyz fail, then finish what is in flight: an action may wait
    // ACTION_WAIT_SECONDS for a worker. A request still running after that is cut, and its Idempotency-Key
    // freed, so the client's retry at another instance proceeds (api/idempotency.ts).
    api.close({ drainMs: config.env === 'production' ? 5_000 : 0, finishMs: config.actionWaitMs + 5_000 }).then(
      () => {
        logger.info({ signal }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  });
}
