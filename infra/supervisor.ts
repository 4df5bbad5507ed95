/**
 * Keeps named child processes running for `npm start`: a child that exits when nobody asked it to is
 * started again after a growing delay, and one that keeps crashing right after it starts is given up on
 * (a crash loop only fills the log). Stopping goes child by child, in reverse start order, and ends with
 * SIGKILL for a child that ignores SIGTERM.
 *
 * The decision after an exit is the pure `afterExit`; the rest only spawns, waits and logs.
 */
import type { ChildProcess } from 'node:child_process';

export type SupervisorTimings = {
  /** Delay before the first restart; each further restart doubles it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A child up at least this long has recovered: the next restart waits initialDelayMs again. */
  stableAfterMs: number;
  /** An exit this soon after starting counts as a fast crash... */
  fastCrashWithinMs: number;
  /** ...and this many fast crashes in a row mean restarting will not help. */
  maxFastCrashes: number;
  /** How long a child has after SIGTERM before it is killed. */
  stopTimeoutMs: number;
};

export const DEFAULT_TIMINGS: SupervisorTimings = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  fastCrashWithinMs: 10_000,
  maxFastCrashes: 5,
  stopTimeoutMs: 20_000, // longer than an API's finish time (ACTION_WAIT_SECONDS + 5 s: api/main.ts)
};

/** When a child is given up on: stop every other child too, or let them keep running. */
export type GiveUpPolicy = 'stop-all' | 'keep-others';

export type ChildSpec = {
  name: string;
  spawn: () => ChildProcess;
  giveUp: GiveUpPolicy;
};

/** What the supervisor remembers about one child's crashes. */
export type CrashHistory = { backoffStep: number; fastCrashes: number };
export const NO_CRASHES: CrashHistory = { backoffStep: 0, fastCrashes: 0 };

export type AfterExit =
  | { action: 'restart'; delayMs: number; backoffReset: boolean; history: CrashHistory }
  | { action: 'give-up'; reason: string; history: CrashHistory };

/** What to do when a child exited unexpectedly after `uptimeMs`. Pure. */
export function afterExit(history: CrashHistory, uptimeMs: number, t: SupervisorTimings): AfterExit {
  const backoffReset = uptimeMs >= t.stableAfterMs && history.backoffStep > 0;
  const backoffStep = uptimeMs >= t.stableAfterMs ? 0 : history.backoffStep;
  const fastCrashes = uptimeMs < t.fastCrashWithinMs ? history.fastCrashes + 1 : 0;
  if (fastCrashes >= t.maxFastCrashes) {
    return {
      action: 'give-up',
      reason: `it crashed ${fastCrashes} times in a row, each within ${seconds(t.fastCrashWithinMs)} of starting`,
      history: { backoffStep, fastCrashes },
    };
  }
  const delayMs = Math.min(t.initialDelayMs * 2 ** backoffStep, t.maxDelayMs);
  return { action: 'restart', delayMs, backoffReset, history: { backoffStep: backoffStep + 1, fastCrashes } };
}

export type SupervisorEvent =
  | { type: 'started'; name: string; pid: number | undefined; restart: number }
  | {
      type: 'exited';
      name: string;
      code: number | null;
      signal: NodeJS.Signals | null;
      uptimeMs: number;
      whileStopping: boolean;
    }
  | { type: 'restart-scheduled'; name: string; delayMs: number; backoffReset: boolean }
  | { type: 'gave-up'; name: string; reason: string; policy: GiveUpPolicy }
  | { type: 'killed'; name: string };

export type SupervisorOptions = {
  /** One line per event. */
  log: (line: string) => void;
  timings?: Partial<SupervisorTimings>;
  /** Called after the give-up is logged; with 'stop-all' the supervisor is already stopping. */
  onGiveUp?: (event: { name: string; reason: string; policy: GiveUpPolicy }) => void;
  onEvent?: (event: SupervisorEvent) => void;
  /** Monotonic milliseconds; a wall clock would misjudge uptimes when it is set. */
  now?: () => number;
};

export type Supervisor = {
  start(): void;
  /** Stops every child, last started first; idempotent (every call gets the same promise). */
  stop(): Promise<void>;
  /** Pids of the children running now (for a last-resort kill when the parent dies). */
  pids(): number[];
};

type Exit = { code: number | null; signal: NodeJS.Signals | null };
type Slot = {
  spec: ChildSpec;
  history: CrashHistory;
  restarts: number;
  gaveUp: boolean;
  child?: ChildProcess;
  exited?: Promise<Exit>;
  running: boolean;
  timer?: NodeJS.Timeout;
};

export function createSupervisor(specs: ChildSpec[], options: SupervisorOptions): Supervisor {
  const t: SupervisorTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const now = options.now ?? (() => performance.now());
  const slots: Slot[] = specs.map((spec) => ({
    spec,
    history: NO_CRASHES,
    restarts: 0,
    gaveUp: false,
    running: false,
  }));
  let stopping = false;
  let stopped: Promise<void> | undefined;

  const emit = (event: SupervisorEvent, line: string) => {
    options.log(line);
    options.onEvent?.(event);
  };

  function launch(slot: Slot) {
    const { name } = slot.spec;
    const startedAt = now();
    let child: ChildProcess;
    try {
      child = slot.spec.spawn();
    } catch (err) {
      // A spawn that throws (no file descriptors left, say) is a crash like any other.
      options.log(`${name} could not be started: ${err instanceof Error ? err.message : String(err)}`);
      slot.exited = Promise.resolve({ code: null, signal: null });
      handleExit(slot, { code: null, signal: null }, 0);
      return;
    }
    slot.child = child;
    slot.running = true;
    slot.exited = new Promise<Exit>((resolve) => {
      let done = false;
      const finish = (exit: Exit) => {
        if (done) return;
        done = true;
        slot.running = false;
        resolve(exit);
        handleExit(slot, exit, now() - startedAt);
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      // Without a pid the process never started and 'exit' may not follow the error.
      child.once('error', (err) => {
        options.log(`${name}: ${err.message}`);
        if (child.pid === undefined) finish({ code: null, signal: null });
      });
    });
    const restart = slot.restarts;
    emit(
      { type: 'started', name, pid: child.pid, restart },
      restart === 0
        ? `${name} started (pid ${child.pid ?? '?'})`
        : `${name} restarted (pid ${child.pid ?? '?'}, restart ${restart})`,
    );
  }

  function handleExit(slot: Slot, { code, signal }: Exit, uptimeMs: number) {
    const { name } = slot.spec;
    const how = signal ? `signal ${signal}` : `code ${code ?? '?'}`;
    if (stopping) {
      emit({ type: 'exited', name, code, signal, uptimeMs, whileStopping: true }, `${name} stopped (${how})`);
      return;
    }
    options.onEvent?.({ type: 'exited', name, code, signal, uptimeMs, whileStopping: false });
    const next = afterExit(slot.history, uptimeMs, t);
    slot.history = next.history;
    if (next.action === 'give-up') {
      options.log(`${name} exited unexpectedly (${how}) after ${seconds(uptimeMs)}`);
      slot.gaveUp = true;
      const { policy, line } =
        slot.spec.giveUp === 'stop-all'
          ? { policy: 'stop-all' as const, line: 'stopping everything' }
          : { policy: 'keep-others' as const, line: 'the others keep running' };
      emit(
        { type: 'gave-up', name, reason: next.reason, policy },
        `GAVE UP on ${name}: ${next.reason}; not restarting it, ${line}`,
      );
      if (policy === 'stop-all') void stop();
      options.onGiveUp?.({ name, reason: next.reason, policy });
      return;
    }
    // One line for the exit and the delay it earned; the restart itself logs another.
    options.log(
      `${name} exited unexpectedly (${how}) after ${seconds(uptimeMs)}; restarting in ${seconds(next.delayMs)}` +
        (next.backoffReset ? ' (it had stayed up, so the delay starts over)' : ''),
    );
    options.onEvent?.({ type: 'restart-scheduled', name, delayMs: next.delayMs, backoffReset: next.backoffReset });
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (stopping) return;
      slot.restarts += 1;
      launch(slot);
    }, next.delayMs);
  }

  async function stopSlot(slot: Slot) {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    const child = slot.child;
    if (!slot.running || !child || !slot.exited) return;
    const { name } = slot.spec;
    const kill = setTimeout(() => {
      emit({ type: 'killed', name }, `${name} did not stop within ${seconds(t.stopTimeoutMs)} of SIGTERM; killing it`);
      child.kill('SIGKILL');
    }, t.stopTimeoutMs);
    child.kill('SIGTERM');
    await slot.exited;
    clearTimeout(kill);
  }

  function stop(): Promise<void> {
    if (stopped) return stopped;
    // Set before anything is signalled, so no exit from here on counts as a crash.
    stopping = true;
    for (const slot of slots) clearTimeout(slot.timer);
    stopped = (async () => {
      for (const slot of [...slots].reverse()) await stopSlot(slot);
    })();
    return stopped;
  }

  return {
    start() {
      if (stopping) throw new Error('the supervisor was stopped');
      for (const slot of slots) {
        if (stopping) break; // a child that could not even be spawned gave up with stop-all
        if (!slot.running && !slot.timer && !slot.gaveUp) launch(slot);
      }
    },
    stop,
    pids: () => slots.flatMap((s) => (s.running && s.child?.pid !== undefined ? [s.child.pid] : [])),
  };
}

/**
 * SIGTERM to a process that is not supervised (the Temporal server the start scripts run), SIGKILL if it has not
 * exited within `timeoutMs`; `onKill` says so first. Resolves once it has exited.
 */
export function stopProcess(child: ChildProcess | undefined, timeoutMs: number, onKill: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      onKill();
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${s < 10 ? Math.round(s * 10) / 10 : Math.round(s)} s`;
}
