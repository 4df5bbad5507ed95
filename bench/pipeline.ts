/**
 * Pipeline throughput: N cases at once from intake to the archive, once with the real activities (each
 * timed) and once with the skeleton (same workflow bundle, same messages, activities without I/O). Each
 * run has its own task queue and its own worker, made by `createWorker` as production makes it.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createActivities, type Activities } from '../activities/index.js';
import { createDocumentsWorker } from '../worker/documents-worker.js';
import { createWorker } from '../worker/worker.js';
import type { BenchStack } from './stack.js';
import { driveToArchive, loadCast, type Cast } from './drive.js';
import { activityNames, skeletonActivities, timedActivities, type ActivityTime } from './skeleton.js';
import { benchRecording, capturingRecording, type RecordedCall, type RecordingBench } from './recording.js';
import { mean, round } from './stats.js';

export type ActivityShare = {
  activity: string;
  calls: number;
  callsPerCase: number;
  totalMs: number;
  msPerCall: number;
  msPerCase: number;
  share: number;
};

export type PipelineBench = {
  /** The median round's (by its ratio): a round is real cases then skeleton cases, one after the other. */
  casesPerSecond: number;
  skeletonCasesPerSecond: number;
  ratio: number;
  /** Each round's real / skeleton throughput, in the order run. */
  roundRatios: number[];
  concurrentCases: number;
  rounds: number;
  /** Cases timed in each mode (warm-up cases excluded). */
  runs: number;
  updatesPerCase: number;
  /** Mean wall time of one case, start to workflow completion, under this concurrency. */
  caseMs: number;
  skeletonCaseMs: number;
  /** CPU of this process (worker and driver) per case, and the event loop's p99 delay while the cases ran. */
  cpuMsPerCase: number;
  skeletonCpuMsPerCase: number;
  eventLoopDelayP99Ms: number;
  skeletonEventLoopDelayP99Ms: number;
  /** Where our share goes: activity time in the real run, by activity, largest first. */
  activities: ActivityShare[];
  /**
   * Activities made no-ops in the real run as well (`--no-op`): how much of the difference is theirs. Such a run
   * measures the rest of our share, not the system, and is not judged against the target.
   */
  noOps: string[];
  /** The recording alone, replayed from one real case's calls after the rounds (bench/recording.ts). */
  recording?: RecordingBench;
};

type RunResult = {
  seconds: number;
  cases: number;
  caseMs: number[];
  updatesPerCase: number;
  cpuMs: number;
  loopDelayP99Ms: number;
};

async function runCases(
  stack: BenchStack,
  cast: Cast,
  activities: Activities,
  cases: number,
  onWarm: () => void,
): Promise<RunResult> {
  const taskQueue = `bench-pipeline-${randomUUID()}`;
  const worker = await createWorker({
    connection: stack.connection,
    namespace: stack.namespace,
    taskQueue,
    workflowBundle: stack.workflowBundle,
    deps: stack.activityDeps,
    activities,
  });
  // Documents on their own queue, as a worker process runs them (WORKER_ROLE=all).
  const documentsWorker = await createDocumentsWorker({
    connection: stack.connection,
    namespace: stack.namespace,
    taskQueue,
    deps: stack.activityDeps,
    renderCaseDocument: activities.renderCaseDocument,
  });
  const running = Promise.all([worker.run(), documentsWorker.run()]);
  try {
    // One case alone first: caches, connections and compiled code warm, not counted (`onWarm` forgets it).
    await driveToArchive(stack.client, taskQueue, cast);
    onWarm();
    const caseMs: number[] = [];
    let updatesPerCase = 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: cases }, async () => {
        const t = performance.now();
        updatesPerCase = await driveToArchive(stack.client, taskQueue, cast);
        caseMs.push(performance.now() - t);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    loop.disable();
    return {
      seconds,
      cases,
      caseMs,
      updatesPerCase,
      cpuMs: (used.user + used.system) / 1000,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
    };
  } finally {
    worker.shutdown();
    documentsWorker.shutdown();
    await running;
  }
}

/** The real activities, but those named in `noOps` as the skeleton has them. */
export function realActivities(real: Activities, noOps: readonly string[]): Activities {
  const skeleton = skeletonActivities();
  return { ...real, ...Object.fromEntries(noOps.map((name) => [name, skeleton[name as keyof Activities]])) };
}

/**
 * Activities `--no-op` may name: any but registerCase, whose case row every other real activity reads (without it
 * they fail and retry until the run is stopped).
 */
export const NO_OP_ALLOWED = activityNames(skeletonActivities()).filter((name) => name !== 'registerCase');

export async function benchPipeline(
  stack: BenchStack,
  opts: {
    cases: number;
    rounds: number;
    noOps?: readonly string[];
    /** How many new cases the recording's replay writes. */
    recordingCases?: number;
    log: (line: string) => void;
  },
): Promise<PipelineBench> {
  const noOps = [...(opts.noOps ?? [])];
  const cast = await loadCast(stack.db);
  const times = new Map<string, ActivityTime>();
  // The first real round's first case's recording calls, replayed alone after the rounds.
  const recorded: RecordedCall[] = [];
  const realRuns: RunResult[] = [];
  const skeletonRuns: RunResult[] = [];
  // Alternating real and skeleton rounds, so drift on the machine falls on both.
  for (let r = 0; r < opts.rounds; r++) {
    const but = noOps.length > 0 ? ` (no-ops: ${noOps.join(', ')})` : '';
    opts.log(`pipeline round ${r + 1}/${opts.rounds}: ${opts.cases} cases, real activities${but}`);
    const roundTimes = new Map<string, ActivityTime>();
    const real = realActivities(createActivities(stack.activityDeps), noOps);
    const timed = timedActivities(r === 0 ? capturingRecording(real, recorded) : real, roundTimes);
    realRuns.push(await runCases(stack, cast, timed, opts.cases, () => roundTimes.clear()));
    for (const [name, t] of roundTimes) {
      const sum = times.get(name) ?? { calls: 0, ms: 0 };
      times.set(name, { calls: sum.calls + t.calls, ms: sum.ms + t.ms });
    }
    opts.log(`pipeline round ${r + 1}/${opts.rounds}: ${opts.cases} cases, skeleton activities`);
    skeletonRuns.push(await runCases(stack, cast, skeletonActivities(), opts.cases, () => undefined));
  }
  const rate = (runs: RunResult[]) => runs.reduce((n, r) => n + r.cases, 0) / runs.reduce((s, r) => s + r.seconds, 0);
  const meanMs = (runs: RunResult[]) => mean(runs.flatMap((r) => r.caseMs));
  const cpuPerCase = (runs: RunResult[]) =>
    runs.reduce((s, r) => s + r.cpuMs, 0) / runs.reduce((n, r) => n + r.cases, 0);
  const cases = realRuns.reduce((n, r) => n + r.cases, 0);
  const totalMs = [...times.values()].reduce((s, t) => s + t.ms, 0);
  const activities = [...times.entries()]
    .map(([activity, t]) => ({
      activity,
      calls: t.calls,
      callsPerCase: round(t.calls / cases),
      totalMs: round(t.ms),
      msPerCall: round(t.ms / t.calls),
      msPerCase: round(t.ms / cases),
      share: round(t.ms / totalMs),
    }))
    .sort((a, b) => b.totalMs - a.totalMs);
  // Judged by the median round: one round slowed by other work on the machine moves it less than the mean.
  const byRound = realRuns.map((real, r) => ({ real: rate([real]), skeleton: rate([skeletonRuns[r]!]) }));
  const median = [...byRound].sort((a, b) => a.real / a.skeleton - b.real / b.skeleton)[
    Math.floor((byRound.length - 1) / 2)
  ]!;
  return {
    casesPerSecond: round(median.real),
    skeletonCasesPerSecond: round(median.skeleton),
    ratio: round(median.real / median.skeleton),
    roundRatios: byRound.map((b) => round(b.real / b.skeleton)),
    concurrentCases: opts.cases,
    rounds: opts.rounds,
    runs: cases,
    updatesPerCase: realRuns[0]?.updatesPerCase ?? 0,
    caseMs: round(meanMs(realRuns)),
    skeletonCaseMs: round(meanMs(skeletonRuns)),
    cpuMsPerCase: round(cpuPerCase(realRuns)),
    skeletonCpuMsPerCase: round(cpuPerCase(skeletonRuns)),
    eventLoopDelayP99Ms: round(Math.max(...realRuns.map((r) => r.loopDelayP99Ms))),
    skeletonEventLoopDelayP99Ms: round(Math.max(...skeletonRuns.map((r) => r.loopDelayP99Ms))),
    activities,
    noOps,
    ...(noOps.includes('recordCaseEvents')
      ? {}
      : {
          recording: await benchRecording(
            stack.db,
            createActivities(stack.activityDeps),
            recorded,
            opts.recordingCases ?? 30,
          ),
        }),
  };
}
