/**
 * The supervisor behind `npm start`, with real child processes and short timings. Margins are wide (a
 * loaded 2-core machine can take a second to start node): tests assert order, counts and the delays the
 * supervisor chose, and measured times only as lower bounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMINGS,
  NO_CRASHES,
  afterExit,
  createSupervisor,
  type ChildSpec,
  type SupervisorEvent,
  type SupervisorOptions,
  type SupervisorTimings,
} from '../../infra/supervisor.js';

const CRASH = 'process.exit(3)';
const STAY_UP = 'setInterval(() => {}, 1000)';
const IGNORE_SIGTERM = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')";

/** A child spec whose n-th start (0-based) runs scripts[n] (the last one from then on); records start times. */
function scripted(name: string, giveUp: ChildSpec['giveUp'], ...scripts: string[]) {
  const starts: number[] = [];
  const children: ChildProcess[] = [];
  const spec: ChildSpec = {
    name,
    giveUp,
    spawn: () => {
      const script = scripts[Math.min(starts.length, scripts.length - 1)]!;
      starts.push(performance.now());
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return child;
    },
  };
  return { spec, starts, children };
}

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function supervise(specs: ChildSpec[], timings: Partial<SupervisorTimings>, extra: Partial<SupervisorOptions> = {}) {
  const events: SupervisorEvent[] = [];
  const lines: string[] = [];
  const supervisor = createSupervisor(specs, {
    log: (l) => lines.push(l),
    onEvent: (e) => events.push(e),
    timings: { stopTimeoutMs: 5_000, ...timings },
    ...extra,
  });
  running.push(supervisor);
  supervisor.start();
  const of = <T extends SupervisorEvent['type']>(type: T) =>
    events.filter((e): e is Extract<SupervisorEvent, { type: T }> => e.type === type);
  return { supervisor, events, lines, of };
}

async function until(what: string, predicate: () => boolean, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('what the supervisor decides after an exit', () => {
  const t: SupervisorTimings = {
    ...DEFAULT_TIMINGS,
    initialDelayMs: 1_000,
    maxDelayMs: 8_000,
    stableAfterMs: 60_000,
    fastCrashWithinMs: 10_000,
    maxFastCrashes: 5,
  };

  it('when a child keeps crashing, then each delay doubles up to the cap, and the fifth fast crash gives up', () => {
    const delays: number[] = [];
    let history = NO_CRASHES;
    for (let i = 0; i < 4; i++) {
      const next = afterExit(history, 500, t);
      if (next.action !== 'restart') throw new Error('expected a restart');
      delays.push(next.delayMs);
      history = next.history;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    const fifth = afterExit(history, 500, t);
    expect(fifth).toMatchObject({
      action: 'give-up',
      reason: 'it crashed 5 times in a row, each within 10 s of starting',
    });
  });

  it('when a crash comes after a while, then it breaks the run of fast crashes but not the backoff; after a long run both start over', () => {
    const slow = afterExit({ backoffStep: 3, fastCrashes: 4 }, 20_000, t);
    expect(slow).toMatchObject({
      action: 'restart',
      delayMs: 8_000,
      backoffReset: false,
      history: { backoffStep: 4, fastCrashes: 0 },
    });
    const stable = afterExit({ backoffStep: 6, fastCrashes: 4 }, 60_000, t);
    expect(stable).toMatchObject({
      action: 'restart',
      delayMs: 1_000,
      backoffReset: true,
      history: { backoffStep: 1, fastCrashes: 0 },
    });
  });
});

describe('supervising real child processes', () => {
  it('when a child crashes, then it is restarted after growing delays, capped', async () => {
    const crasher = scripted('worker', 'keep-others', CRASH);
    const { of, lines } = supervise([crasher.spec], { initialDelayMs: 50, maxDelayMs: 200, maxFastCrashes: 100 });
    await until('four restarts', () => of('started').length >= 5);

    const delays = of('restart-scheduled')
      .slice(0, 4)
      .map((e) => e.delayMs);
    expect(delays).toEqual([50, 100, 200, 200]);
    expect(
      of('started')
        .map((e) => e.restart)
        .slice(0, 5),
    ).toEqual([0, 1, 2, 3, 4]);
    // Each restart came no sooner than its delay after the previous start (the child's own run comes on top).
    for (let i = 0; i < 4; i++)
      expect(crasher.starts[i + 1]! - crasher.starts[i]!).toBeGreaterThanOrEqual(delays[i]! - 5);
    expect(
      lines.some((l) => /^worker exited unexpectedly \(code 3\) after [\d.]+ m?s; restarting in 100 ms$/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => /^worker restarted \(pid \d+, restart 2\)$/.test(l))).toBe(true);
  });

  it('when a child stayed up long enough, then the next restart waits the first delay again', async () => {
    // Starts 0-2 crash at once, start 3 runs well past stableAfterMs and then exits, start 4 crashes again.
    const child = scripted(
      'worker',
      'keep-others',
      CRASH,
      CRASH,
      CRASH,
      'setTimeout(() => process.exit(4), 4000)',
      CRASH,
    );
    const { of, lines } = supervise([child.spec], {
      initialDelayMs: 50,
      maxDelayMs: 10_000,
      stableAfterMs: 3_000,
      maxFastCrashes: 100,
    });
    await until('the exit after the long run', () => of('restart-scheduled').length >= 4);

    expect(
      of('restart-scheduled')
        .slice(0, 4)
        .map((e) => [e.delayMs, e.backoffReset]),
    ).toEqual([
      [50, false],
      [100, false],
      [200, false],
      [50, true],
    ]);
    expect(of('exited')[3]).toMatchObject({ code: 4, whileStopping: false });
    expect(of('exited')[3]!.uptimeMs).toBeGreaterThanOrEqual(3_000);
    expect(lines.some((l) => l.includes('so the delay starts over'))).toBe(true);
  });

  it('when a child crashes fast again and again and its policy is stop-all, then the supervisor gives up and stops the others', async () => {
    const api = scripted('api', 'stop-all', CRASH);
    const worker = scripted('worker', 'keep-others', STAY_UP);
    const gaveUp: { name: string; reason: string; policy: string }[] = [];
    const { supervisor, of, lines } = supervise(
      [worker.spec, api.spec],
      { initialDelayMs: 20, maxDelayMs: 100, fastCrashWithinMs: 10_000, maxFastCrashes: 3 },
      {
        onGiveUp: (e) => gaveUp.push(e),
      },
    );
    await until('the give-up', () => gaveUp.length > 0);
    await supervisor.stop(); // the same stop the give-up started

    expect(gaveUp).toEqual([
      { name: 'api', reason: 'it crashed 3 times in a row, each within 10 s of starting', policy: 'stop-all' },
    ]);
    expect(api.starts).toHaveLength(3);
    expect(worker.starts).toHaveLength(1);
    expect(of('exited').filter((e) => e.name === 'worker')).toMatchObject([{ signal: 'SIGTERM', whileStopping: true }]);
    expect(supervisor.pids()).toEqual([]);
    expect(lines).toContain(
      'GAVE UP on api: it crashed 3 times in a row, each within 10 s of starting; not restarting it, stopping everything',
    );
  });

  it('when a child gives up and its policy is keep-others, then the others keep running and it is not started again', async () => {
    const worker = scripted('worker', 'keep-others', CRASH);
    const api = scripted('api', 'stop-all', STAY_UP);
    const gaveUp: string[] = [];
    const { supervisor, of } = supervise(
      [worker.spec, api.spec],
      { initialDelayMs: 20, maxDelayMs: 100, maxFastCrashes: 3 },
      {
        onGiveUp: (e) => gaveUp.push(`${e.name} ${e.policy}`),
      },
    );
    await until('the give-up', () => gaveUp.length > 0);
    await sleep(500); // several times the longest delay: a restart would have happened by now

    expect(gaveUp).toEqual(['worker keep-others']);
    expect(worker.starts).toHaveLength(3);
    const apiPid = api.children[0]!.pid!;
    expect(alive(apiPid)).toBe(true);
    expect(supervisor.pids()).toEqual([apiPid]);
    expect(of('exited').filter((e) => e.name === 'api')).toEqual([]);
    await supervisor.stop();
    expect(alive(apiPid)).toBe(false);
  });

  it('when stopping, then children stop last-started first, none is restarted, and one that ignores SIGTERM is killed after the timeout', async () => {
    const worker = scripted('worker', 'keep-others', STAY_UP);
    const api = scripted('api', 'stop-all', IGNORE_SIGTERM);
    const { supervisor, of, lines } = supervise([worker.spec, api.spec], { initialDelayMs: 20, stopTimeoutMs: 500 });
    let ready = '';
    api.children[0]!.stdout!.on('data', (chunk: Buffer) => (ready += chunk.toString()));
    await until('the api to ignore SIGTERM', () => ready.includes('ready'));

    const stopAt = performance.now();
    await supervisor.stop();
    expect(performance.now() - stopAt).toBeGreaterThanOrEqual(500 - 5);
    expect(of('exited').map((e) => [e.name, e.signal, e.whileStopping])).toEqual([
      ['api', 'SIGKILL', true],
      ['worker', 'SIGTERM', true],
    ]);
    expect(of('killed').map((e) => e.name)).toEqual(['api']);
    expect(lines).toContain('api did not stop within 500 ms of SIGTERM; killing it');

    await sleep(300); // many times the restart delay
    expect([worker.starts.length, api.starts.length]).toEqual([1, 1]);
    expect(supervisor.pids()).toEqual([]);
  });

  it('when stop comes while a restart is pending, then the restart never happens', async () => {
    const crasher = scripted('worker', 'keep-others', CRASH);
    const { supervisor, of } = supervise([crasher.spec], { initialDelayMs: 1_000 });
    await until('the restart to be scheduled', () => of('restart-scheduled').length > 0);
    await supervisor.stop();
    await sleep(1_500);
    expect(crasher.starts).toHaveLength(1);
    expect(of('started')).toHaveLength(1);
  });
});
