/**
 * One workflow per 差评 (docs/supervision.md#ratings): a clocked process (workflows/clocked-process.ts) over
 * `decideRatingFollowUp`. It starts with the rating already in its chain and two clocks running (call the party back
 * in 1 working day, fix or explain in 15); then the staff's call-back, fix and answer, the party's one 追评 and the
 * mediator's 申诉复核 move it, and each clock that runs out is a command of its own, until it is closed or the rating
 * excluded. Each event goes to the rating's own hash chain. Deterministic: no I/O, no Node built-ins.
 */
import { proxyActivities } from '@temporalio/workflow';
import {
  decideRatingFollowUp,
  followUpStarted,
  isFinalFollowUp,
  withRatingClock,
  type RatingClockId,
  type RatingFollowUpCommand,
  type RatingFollowUpState,
} from '../domain/ratings.js';
import { nextClockTimer, withClockStopped } from '../domain/process-clocks.js';
import type { CountedRatingClock, RatingActivities } from '../activities/ratings.js';
import { processRun, recordStep, runProcess, type ClockedProcess } from './clocked-process.js';
import { ACTIVITY_OPTIONS } from './common.js';
import {
  awaitFollowUpStartedUpdate,
  ratingFollowUpActionUpdate,
  ratingFollowUpStateQuery,
  type RatingFollowUpInput,
} from './rating-followup-messages.js';

const acts = proxyActivities<RatingActivities>(ACTIVITY_OPTIONS);

type FollowUp = {
  state: RatingFollowUpState;
  command: RatingFollowUpCommand;
  clockId: RatingClockId;
  counted: CountedRatingClock;
};

const followUpProcess: ClockedProcess<FollowUp> = {
  decide: decideRatingFollowUp,
  isFinal: isFinalFollowUp,
  nextTimer: nextClockTimer,
  countClock: ({ clockId, startedAt }) => acts.computeRatingClock({ clockId, startedAt }),
  withClock: withRatingClock,
  withClockStopped,
  clockEvents: { set: 'RatingClockSet', stopped: 'RatingClockStopped', uncomputable: 'RatingClockUncomputable' },
  clockSet: ({ clockId, startedAt, dueAt, lastDay, calendarVersion, explanation }) => ({
    clockId,
    startedAt,
    dueAt,
    lastDay,
    calendarVersion,
    explanation,
  }),
  record: (state, events) => acts.recordRatingEvents({ ratingId: state.rating.ratingId, events, state }),
};

export async function ratingFollowUp(input: RatingFollowUpInput): Promise<RatingFollowUpState> {
  const begun = followUpStarted(input.rating);
  const run = processRun(followUpProcess, begun.state, false);
  const messages = {
    state: ratingFollowUpStateQuery,
    ready: awaitFollowUpStartedUpdate,
    action: ratingFollowUpActionUpdate,
  };
  // Started once both clocks run: what the party who rated is answered with.
  return runProcess(run, messages, () => recordStep(run, [], begun.effects));
}
