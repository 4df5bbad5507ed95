/**
 * The recording alone: the `registerCase` and `recordCaseEvents` calls one real case of the pipeline made, replayed
 * for new cases one after another, with no Temporal and nothing else running in the process: the CPU they cost this
 * process and the PostgreSQL server per case. The pipeline's ratio moves with the whole machine; this figure moves
 * only with the recording, so a change to it shows here first.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Knex } from 'knex';
import type { Activities } from '../activities/index.js';
import { round } from './stats.js';

export type RecordedCall = { activity: 'registerCase' | 'recordCaseEvents'; input: unknown };

export type RecordingBench = {
  cases: number;
  callsPerCase: number;
  wallMsPerCase: number;
  /** This process's CPU (the activities, the database client). */
  nodeCpuMsPerCase: number;
  /** The PostgreSQL server's, when it runs on this machine and its data directory can be read (else null). */
  postgresCpuMsPerCase: number | null;
};

/** Activities that hand one case's recording calls to `calls` (the first case registered; later ones are not kept). */
export function capturingRecording(activities: Activities, calls: RecordedCall[]): Activities {
  let caseId: string | undefined;
  const keep = (activity: RecordedCall['activity'], input: { caseId?: string; intake?: { caseId: string } }) => {
    const id = input.intake?.caseId ?? input.caseId;
    if (activity === 'registerCase' && caseId === undefined) caseId = id;
    if (id === caseId) calls.push({ activity, input: structuredClone(input) });
  };
  return {
    ...activities,
    registerCase: (input) => (keep('registerCase', input), activities.registerCase(input)),
    recordCaseEvents: (input) => (keep('recordCaseEvents', input), activities.recordCaseEvents(input)),
  };
}

/** Replays one case's calls `cases` times, each under new case and party ids, after one replay not counted. */
export async function benchRecording(
  db: Knex,
  activities: Activities,
  calls: readonly RecordedCall[],
  cases: number,
): Promise<RecordingBench> {
  const registration = calls.find((c) => c.activity === 'registerCase')?.input as
    { intake: { caseId: string; parties: { partyId: string }[] } } | undefined;
  if (!registration) throw new Error('no registration among the recorded calls');
  const ids = [registration.intake.caseId, ...registration.intake.parties.map((p) => p.partyId)];
  const text = JSON.stringify(calls);
  const env = new MockActivityEnvironment();
  const replay = async () => {
    const renamed = ids.reduce((t, id) => t.replaceAll(id, randomUUID()), text);
    for (const c of JSON.parse(renamed) as RecordedCall[]) {
      const run = activities[c.activity] as (input: unknown) => Promise<unknown>;
      await env.run(run, c.input);
    }
  };
  await replay();
  const postgres = await postgresCpu(db);
  const pg0 = postgres?.();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < cases; i++) await replay();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = postgres?.();
  return {
    cases,
    callsPerCase: calls.length,
    wallMsPerCase: round(wall / cases),
    nodeCpuMsPerCase: round((cpu.user + cpu.system) / 1000 / cases),
    postgresCpuMsPerCase: pg0 !== undefined && pg1 !== undefined ? round((pg1 - pg0) / cases) : null,
  };
}

/**
 * A reader of the PostgreSQL server's CPU so far, in ms (its postmaster, every process it runs, and every process it
 * ran that has exited, from /proc), or undefined when the server is not on this machine or its files cannot be read.
 */
async function postgresCpu(db: Knex): Promise<(() => number) | undefined> {
  try {
    const { rows } = await db.raw('SHOW data_directory');
    const dir = (rows as { data_directory: string }[])[0]!.data_directory;
    const postmaster = Number(readFileSync(`${dir}/postmaster.pid`, 'utf8').split('\n')[0]);
    const ticks = 100; // USER_HZ on Linux
    // The fields after the command's closing parenthesis: state, ppid, …; utime and stime are the 12th and 13th,
    // cutime and cstime (children waited for: backends that have exited) the 14th and 15th.
    const stat = (pid: number) => {
      const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return line
        .slice(line.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
    };
    stat(postmaster);
    return () => {
      const own = stat(postmaster);
      let total = own[11]! + own[12]! + own[13]! + own[14]!;
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry) || Number(entry) === postmaster) continue;
        try {
          const f = stat(Number(entry));
          if (f[1] === postmaster) total += f[11]! + f[12]!;
        } catch {
          // gone since the listing: its CPU is in the postmaster's children's now
        }
      }
      return (total * 1000) / ticks;
    };
  } catch {
    return undefined;
  }
}
