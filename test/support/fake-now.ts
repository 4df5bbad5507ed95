/**
 * Under the unit config's dated projects, the domain suite runs with the clock set to another year
 * (FAKE_NOW): a rule or a test that only holds in the year it was written fails there. Set before the test
 * file is even loaded, so what it computes at import and collection sees the same clock.
 */
import { vi } from 'vitest';

const fakeNow = process.env.FAKE_NOW;
// Once per worker: the unit tier runs without isolation, so a project's files share a worker and its modules;
// setting the clock back at every file would put what an earlier file's modules computed in the future.
if (fakeNow && !vi.isFakeTimers())
  vi.useFakeTimers({ now: new Date(fakeNow), toFake: ['Date'], shouldAdvanceTime: true });
