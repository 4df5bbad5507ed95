import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault-injection run. No global setup: the run owns its Temporal dev server
 * and its PostgreSQL, because it stops and restarts both.
 */
export default defineConfig({
  test: {
    // Temporal's native module does not survive worker threads.
    pool: 'forks',
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
