/** API process: `npm run api` (npm start runs it for you). */
import { loadConfigOrExit } from '../config/index.js';
import { loadSecrets } from '../config/secrets.js';
import { startApi } from './server.js';

const config = loadConfigOrExit();
const api = await startApi(config, loadSecrets(config));
console.log(`[api] listening on ${api.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Give the load balancer a moment to see /readyz fail, then finish what is in flight.
    api.close({ drainMs: config.env === 'production' ? 5_000 : 0 }).then(
      () => {
        console.log('[api] stopped');
        process.exit(0);
      },
      (err: unknown) => {
        console.error('[api] error while stopping', err);
        process.exit(1);
      },
    );
  });
}
