/**
 * One workflow per 差评 (docs/supervision.md#ratings): a thin adapter over `decideRatingFollowUp`, shaped as the
 * complaint's (workflows/complaint.ts). It holds the state, serialises actions, waits on a durable timer for the
 * clock that runs out first (counted by an activity on the holiday calendar and recorded with its version), and has
 * activities record each event in the rating's own hash chain. Deterministic: no I/O, no Node built-ins.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  decideRatingFollowUp,
  followUpStarted,
  isFinalFollowUp,
  nextRatingTimer,
  withRatingClock,
  withRatingClockStopped,
  type RatingFollowUpCommand,
  type RatingFollowUpEffect,
  type RatingFollowUpState,
} from '../domain/ratings.js';
import type { CaseEvent } from '../domain/case.js';
import type { RatingActivities } from '../activities/ratings.js';
import { ACTIVITY_OPTIONS, refusalFailure, serialQueue, unlessRefused, type SerialQueue } from './common.js';
import { timerFired } from './deadline-timers.js';
import { SYSTEM_ACTOR } from './messages.js';
import {
  awaitFollowUpStartedUpdate,
  ratingFollowUpActionUpdate,
  ratingFollowUpStateQuery,
  type RatingFollowUpInput,
} from './rating-followup-messages.js';

const acts = proxyActivities<RatingActivities>(ACTIVITY_OPTIONS);

type Run = { state: RatingFollowUpState; started: boolean; changes: number; readonly serially: SerialQueue };

export async function ratingFollowUp(input: RatingFollowUpInput): Promise<RatingFollowUpState> {
  const begun = followUpStarted(input.rating);
  const run: Run = { state: begun.state, started: false, changes: 0, serially: serialQueue() };
  registerHandlers(run);
  await run.serially(async () => {
    await record(run, [], begun.effects);
    run.started = true;
  });
  await untilFinal(run);
  await condition(allHandlersFinished);
  return run.state;
}

function registerHandlers(run: Run): void {
  setHandler(ratingFollowUpStateQuery, () => run.state);
  setHandler(awaitFollowUpStartedUpdate, async () => {
    await condition(() => run.started);
    return run.state;
  });
  setHandler(
    ratingFollowUpActionUpdate,
    (action) =>
      run.serially(async () => {
        await condition(() => run.started);
        await applyCommand(run, action); // the state may have moved since the validator ran
        return run.state;
      }),
    {
      validator: (action) => {
        const decision = decideRatingFollowUp(run.state, action, new Date());
        if (!decision.ok) throw refusalFailure(decision.refusal);
      },
    },
  );
}

/** Decides a command, runs its clocks and records it all; a refusal is thrown as the failure the API maps. */
async function applyCommand(run: Run, command: RatingFollowUpCommand): Promise<void> {
  const decision = decideRatingFollowUp(run.state, command, new Date());
  if (!decision.ok) throw refusalFailure(decision.refusal);
  run.state = decision.state;
  await record(run, decision.events, decision.effects);
}

/** Runs the clocks' effects (each a fact of its own in the chain), then records every event with the state. */
async function record(run: Run, events: CaseEvent[], effects: RatingFollowUpEffect[]): Promise<void> {
  const all = [...events];
  for (const effect of effects) {
    const fact = await runEffect(run, effect);
    if (!fact) continue;
    const seq = run.state.lastSeq + 1;
    run.state = { ...run.state, lastSeq: seq };
    all.push({ seq, type: fact.type, at: new Date().toISOString(), actor: SYSTEM_ACTOR, payload: fact.payload });
  }
  if (all.length > 0)
    await acts.recordRatingEvents({ ratingId: run.state.rating.ratingId, events: all, state: run.state });
  run.changes += 1;
}

/** Starts (counted by an activity) or stops a clock; the fact to record, or nothing when nothing changed. */
async function runEffect(
  run: Run,
  effect: RatingFollowUpEffect,
): Promise<{ type: string; payload: Record<string, unknown> } | undefined> {
  if (effect.kind === 'stop_clock') {
    const stopped = withRatingClockStopped(run.state, effect.clockId, effect.outcome);
    if (!stopped) return undefined;
    run.state = stopped;
    return { type: 'RatingClockStopped', payload: { clockId: effect.clockId, status: effect.outcome } };
  }
  const counted = await acts.computeRatingClock({ clockId: effect.clockId, startedAt: effect.startedAt });
  run.state = withRatingClock(run.state, counted);
  if ('problem' in counted)
    return { type: 'RatingClockUncomputable', payload: { clockId: effect.clockId, problem: counted.problem } };
  const { clockId, startedAt, dueAt, lastDay, calendarVersion, explanation } = counted;
  return { type: 'RatingClockSet', payload: { clockId, startedAt, dueAt, lastDay, calendarVersion, explanation } };
}

/**
 * Waits for people, and for the clock that runs out first: its expiry becomes a command (one the rules now
 * refuse is dropped: the follow-up moved on). Ends when the follow-up is closed or the rating excluded.
 */
async function untilFinal(run: Run): Promise<void> {
  while (!isFinalFollowUp(run.state)) {
    const timer = nextRatingTimer(run.state);
    const seen = run.changes;
    if (await timerFired(() => run.changes !== seen || isFinalFollowUp(run.state), timer?.at)) {
      const command: RatingFollowUpCommand = { type: 'clock_expired', actor: SYSTEM_ACTOR, clockId: timer!.clockId };
      await run.serially(() => applyCommand(run, command).catch(unlessRefused));
    }
  }
}
