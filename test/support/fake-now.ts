/**
 * Under the unit config's dated projects, the domain suite runs with the clock set to another year
 * (FAKE_NOW): a rule or a test that only holds in the year it was written fails there.
 */
import { afterAll, beforeAll, vi } from 'vitest';

const fakeNow = process.env.FAKE_NOW;
if (fakeNow) {
  beforeAll(() => {
    vi.useFakeTimers({ now: new Date(fakeNow), toFake: ['Date'], shouldAdvanceTime: true });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
}
