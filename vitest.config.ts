import { defineConfig } from 'vitest/config';
import BrowserLast from './test/support/sequencer.js';

export default defineConfig({
  test: {
    // Temporal's native module does not survive worker threads.
    pool: 'forks',
    globalSetup: ['./test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // The pure domain suite is the unit tier (vitest.unit.config.ts, run first by npm test, under four clocks).
    exclude: ['**/node_modules/**', '**/.git/**', 'test/faults/**', 'test/domain/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // The browser tests run after the rest (test/support/sequencer.ts).
    sequence: { sequencer: BrowserLast },
  },
});
