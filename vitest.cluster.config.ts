import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: faults at the cluster level (issue 18 item 3). No global setup: the run owns its
 * PostgreSQL, its real Temporal server and the worker and API processes, because it kills and restarts them.
 */
export default defineConfig({
  test: {
    // Temporal's native module does not survive worker threads.
    pool: 'forks',
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 240_000,
    reporters: ['default'],
  },
});
