import { defineConfig } from 'vitest/config';

/**
 * The end-to-end tier, against one Temporal dev server and one PostgreSQL started by the global setup. Each
 * file's data is its own (its own task queue, its own cases, a database of its own where it reads what every
 * case shares), so files run side by side, in three groups one after the other:
 *
 * 1. `e2e`: the API, workflow and database files, several at once: they mostly wait on Temporal and PostgreSQL.
 * 2. `alone`: files that kill, stop or drain what they run, time it, or read what every file writes, one at a time
 *    with nothing else running.
 * 3. `browser`: the console and portal in Chromium, last, so a broken API shows as an API failure before it shows
 *    as a screen's; fewer at once (each file runs a browser besides its stack).
 */
const alone = [
  'test/api/shutdown.test.ts', // drains an API within a second and times it
  'test/api/degraded.test.ts', // stops its worker and times the 503s
  'test/api/rebuild.test.ts', // wipes and restarts a Temporal server of its own
  'test/api/queues.test.ts', // pages every case of the run's database and checks their order
  'test/api/sms-delivery.test.ts', // its sweep starts the delivery of any file's unsent texts
];
const endToEnd = {
  // Temporal's native module does not survive worker threads.
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};
const browser = 'test/browser/**/*.test.ts';

export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default'],
    projects: [
      {
        test: {
          ...endToEnd,
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          // The pure domain suite is the unit tier (vitest.unit.config.ts, run first by npm test, under four clocks).
          exclude: [
            '**/node_modules/**',
            '**/.git/**',
            'test/faults/**',
            'test/cluster/**',
            'test/domain/**',
            browser,
            ...alone,
          ],
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      { test: { ...endToEnd, name: 'alone', include: alone, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { test: { ...endToEnd, name: 'browser', include: [browser], maxWorkers: 2, sequence: { groupOrder: 2 } } },
    ],
  },
});
