import { defineConfig } from 'vitest/config';

/**
 * The fast tier: pure tests, no server (`npm run test:unit`). The domain suite runs as it is and again with
 * the clock in 2027, on 29 February 2028 and at the end of 2030, so nothing in it holds only today.
 */
const pure = ['test/domain/**/*.test.ts'];
const dated = (name: string, now: string) => ({
  extends: true as const,
  test: { name, include: pure, env: { FAKE_NOW: now } },
});

export default defineConfig({
  test: {
    setupFiles: ['./test/support/fake-now.ts'],
    testTimeout: 20_000,
    // Pure modules, nothing to leak: a worker keeps its loaded modules from file to file (several times faster).
    isolate: false,
    projects: [
      { extends: true, test: { name: 'domain', include: pure } },
      dated('domain@2027', '2027-03-15T02:00:00.000Z'),
      dated('domain@2028', '2028-02-29T01:30:00.000Z'),
      dated('domain@2030', '2030-12-31T15:59:00.000Z'),
    ],
  },
});
