/**
 * What a complaint (workflows/complaint.ts) and a 差评's follow-up (workflows/rating-followup.ts) are both made of:
 * a thin adapter over a pure `decide`, with clocks counted by an activity on the holiday calendar and recorded with
 * its version (as the case's are: deadline-timers.ts), every event recorded by an activity in the process's own hash
 * chain (docs/supervision.md#complaints, #ratings). The run holds the state and serialises the actions and the
 * clocks' expiries, so events get consecutive numbers; each workflow says only what is its own: its rules, how its
 * clocks are counted and kept, what its record is, and how it starts. Deterministic: no I/O, no Node built-ins.
 */
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import type { Actor, CaseEvent } from '../domain/case.js';
import type { Refusal } from '../domain/case-state.js';
import { refusalFailure, serialQueue, unlessRefused, type SerialQueue } from './common.js';
import { timerFired } from './deadline-timers.js';
import { SYSTEM_ACTOR } from './messages.js';

/** A clock to count and start (an extension counts it again from the same start), or to stop. */
export type ClockEffect<Id extends string> =
  | { kind: 'start_clock'; clockId: Id; startedAt: string; extensionDays?: number }
  | { kind: 'stop_clock'; clockId: Id; outcome: 'met' | 'cancelled' };

/** The command a clock's expiry becomes (the rules may refuse it: the process moved on). */
export type ClockExpired<Id extends string> = { type: 'clock_expired'; actor: Actor; clockId: Id; dueAt: string };

/** A clock as its activity counted it, or why it could not be (a year no calendar covers: shown, never timed). */
export type CountedClock<Id extends string> = { clockId: Id; startedAt: string } & (
  { problem: string } | { dueAt: string; lastDay: string; calendarVersion: string; explanation: string[] }
);

/** The types one kind of process is made of: its state, its commands, its clocks' ids, a clock as counted. */
export type ProcessTypes = {
  state: { lastSeq: number };
  command: unknown;
  clockId: string;
  counted: CountedClock<string>;
};
type StateOf<T extends ProcessTypes> = T['state'];
type StartClock<T extends ProcessTypes> = Extract<ClockEffect<T['clockId']>, { kind: 'start_clock' }>;
type Decision<T extends ProcessTypes> =
  | { ok: true; state: StateOf<T>; events: CaseEvent[]; effects: ClockEffect<T['clockId']>[] }
  | { ok: false; refusal: Refusal };

/** One kind of clocked process: its rules, its clocks and its record. */
export type ClockedProcess<T extends ProcessTypes> = {
  decide(state: StateOf<T>, command: T['command'] | ClockExpired<T['clockId']>, now: Date): Decision<T>;
  isFinal(state: StateOf<T>): boolean;
  /** The open clock that runs out first: the next timer. */
  nextTimer(state: StateOf<T>): { clockId: T['clockId']; at: string } | undefined;
  /** Counts a clock from its data row on the calendar in force (an activity). */
  countClock(effect: StartClock<T>): Promise<T['counted']>;
  withClock(state: StateOf<T>, counted: T['counted']): StateOf<T>;
  /** The state with the clock stopped; undefined when it was not running (met, expired or cancelled). */
  withClockStopped(state: StateOf<T>, clockId: T['clockId'], outcome: 'met' | 'cancelled'): StateOf<T> | undefined;
  /** The chain's event types for its clocks, and what it records of a clock counted. */
  clockEvents: { set: string; stopped: string; uncomputable: string };
  clockSet(counted: Exclude<T['counted'], { problem: string }>): Record<string, unknown>;
  /** Records events in the process's chain with the state they leave (an activity, keyed by event sequence). */
  record(state: StateOf<T>, events: CaseEvent[]): Promise<void>;
};

export type ProcessRun<T extends ProcessTypes> = {
  readonly process: ClockedProcess<T>;
  state: StateOf<T>;
  /** Once the process is recorded and its first clocks run: what its starter is answered with, and when actions may come. */
  ready: boolean;
  /** Bumped by every recording: the loop then looks again for its next timer. */
  changes: number;
  readonly serially: SerialQueue;
};

/** A person's action and the start's answer and a state query: the messages every clocked process takes. */
export type ProcessMessages<S, A> = {
  state: QueryDefinition<S>;
  ready: UpdateDefinition<S, []>;
  action: UpdateDefinition<S, [A]>;
};

export function processRun<T extends ProcessTypes>(
  process: ClockedProcess<T>,
  state: StateOf<T>,
  ready: boolean,
): ProcessRun<T> {
  return { process, state, ready, changes: 0, serially: serialQueue() };
}

/**
 * Runs the process to its end: its handlers first, then `start` (none for a process carried over, which is ready
 * already), then its clocks until it is final. Answers its final state once every handler has finished.
 */
export async function runProcess<T extends ProcessTypes, A extends T['command']>(
  run: ProcessRun<T>,
  messages: ProcessMessages<StateOf<T>, A>,
  start?: () => Promise<void>,
): Promise<StateOf<T>> {
  setProcessHandlers(run, messages);
  if (start)
    await run.serially(async () => {
      await start();
      run.ready = true;
    });
  await untilFinal(run);
  await condition(allHandlersFinished);
  return run.state;
}

function setProcessHandlers<T extends ProcessTypes, A extends T['command']>(
  run: ProcessRun<T>,
  messages: ProcessMessages<StateOf<T>, A>,
): void {
  setHandler(messages.state, () => run.state);
  setHandler(messages.ready, async () => {
    await condition(() => run.ready);
    return run.state;
  });
  setHandler(
    messages.action,
    (action) =>
      run.serially(async () => {
        await condition(() => run.ready);
        await applyCommand(run, action); // the state may have moved since the validator ran
        return run.state;
      }),
    {
      // A refusal never enters history: the caller gets the rule's reason.
      validator: (action) => {
        const decision = run.process.decide(run.state, action, new Date());
        if (!decision.ok) throw refusalFailure(decision.refusal);
      },
    },
  );
}

/** Decides a command, runs its clocks and records it all; a refusal is thrown as the failure the API maps. */
async function applyCommand<T extends ProcessTypes>(
  run: ProcessRun<T>,
  command: T['command'] | ClockExpired<T['clockId']>,
): Promise<void> {
  const decision = run.process.decide(run.state, command, new Date());
  if (!decision.ok) throw refusalFailure(decision.refusal);
  run.state = decision.state;
  await recordStep(run, decision.events, decision.effects);
}

/**
 * Runs the clocks' effects in order (each a fact of its own in the chain, numbered after the decision's events),
 * then records every event with the state in one call.
 */
export async function recordStep<T extends ProcessTypes>(
  run: ProcessRun<T>,
  events: CaseEvent[],
  effects: ClockEffect<T['clockId']>[],
): Promise<void> {
  const all = [...events];
  for (const effect of effects) {
    const fact = await runClockEffect(run, effect);
    if (!fact) continue;
    const seq = run.state.lastSeq + 1;
    run.state = { ...run.state, lastSeq: seq };
    all.push({ seq, type: fact.type, at: new Date().toISOString(), actor: SYSTEM_ACTOR, payload: fact.payload });
  }
  if (all.length > 0) await run.process.record(run.state, all);
  run.changes += 1;
}

type ClockFact = { type: string; payload: Record<string, unknown> };

/** Starts (counted by the activity) or stops a clock; the fact to record, or nothing when nothing changed. */
async function runClockEffect<T extends ProcessTypes>(
  run: ProcessRun<T>,
  effect: ClockEffect<T['clockId']>,
): Promise<ClockFact | undefined> {
  const { process } = run;
  if (effect.kind === 'stop_clock') {
    const stopped = process.withClockStopped(run.state, effect.clockId, effect.outcome);
    if (!stopped) return undefined;
    run.state = stopped;
    return { type: process.clockEvents.stopped, payload: { clockId: effect.clockId, status: effect.outcome } };
  }
  const counted = await process.countClock(effect);
  run.state = process.withClock(run.state, counted);
  if ('problem' in counted)
    return { type: process.clockEvents.uncomputable, payload: { clockId: effect.clockId, problem: counted.problem } };
  return {
    type: process.clockEvents.set,
    payload: process.clockSet(counted as Exclude<T['counted'], { problem: string }>),
  };
}

/**
 * Waits for people, and for the clock that runs out first: its expiry becomes a command (one the rules now refuse
 * is dropped: the process moved on). Ends when the process is final.
 */
async function untilFinal<T extends ProcessTypes>(run: ProcessRun<T>): Promise<void> {
  const { process } = run;
  while (!process.isFinal(run.state)) {
    const timer = process.nextTimer(run.state);
    const seen = run.changes;
    if (await timerFired(() => run.changes !== seen || process.isFinal(run.state), timer?.at)) {
      const command: ClockExpired<T['clockId']> = {
        type: 'clock_expired',
        actor: SYSTEM_ACTOR,
        clockId: timer!.clockId,
        // The due time it was set for: an extension counted meanwhile (queued ahead of it) keeps the clock running.
        dueAt: timer!.at,
      };
      await run.serially(() => applyCommand(run, command).catch(unlessRefused));
    }
  }
}
