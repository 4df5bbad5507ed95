/**
 * One workflow per complaint (docs/supervision.md#complaints): a thin adapter over `decideComplaint`. It holds the
 * state, serialises actions, waits on a durable timer for the clock that runs out first (counted by an activity
 * on the holiday calendar and recorded with its version, as the case's clocks are: deadline-timers.ts), and has
 * activities record each event in the complaint's own hash chain. Deterministic: no I/O, no Node built-ins.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  complaintFiled,
  decideComplaint,
  isFinalComplaint,
  nextComplaintTimer,
  withClock,
  withClockStopped,
  type ComplaintCommand,
  type ComplaintEffect,
  type ComplaintState,
} from '../domain/complaints.js';
import type { CaseEvent } from '../domain/case.js';
import type { ComplaintActivities } from '../activities/complaints.js';
import { ACTIVITY_OPTIONS, refusalFailure, serialQueue, unlessRefused, type SerialQueue } from './common.js';
import { timerFired } from './deadline-timers.js';
import { SYSTEM_ACTOR } from './messages.js';
import {
  awaitComplaintRegistrationUpdate,
  complaintActionUpdate,
  complaintStateQuery,
  type ComplaintInput,
} from './complaint-messages.js';

const acts = proxyActivities<ComplaintActivities>(ACTIVITY_OPTIONS);

type Run = { state: ComplaintState; registered: boolean; changes: number; readonly serially: SerialQueue };

export async function complaint(input: ComplaintInput): Promise<ComplaintState> {
  const filed = complaintFiled(input.filing);
  const run: Run = {
    state: input.carried?.state ?? filed.state,
    registered: input.carried !== undefined,
    changes: 0,
    serially: serialQueue(),
  };
  registerHandlers(run);
  if (!input.carried) await run.serially(() => register(run, filed));
  await untilFinal(run);
  await condition(allHandlersFinished);
  return run.state;
}

function registerHandlers(run: Run): void {
  setHandler(complaintStateQuery, () => run.state);
  setHandler(awaitComplaintRegistrationUpdate, async () => {
    await condition(() => run.registered);
    return run.state;
  });
  setHandler(
    complaintActionUpdate,
    (action) =>
      run.serially(async () => {
        await condition(() => run.registered);
        await applyCommand(run, action); // the state may have moved since the validator ran
        return run.state;
      }),
    {
      validator: (action) => {
        const decision = decideComplaint(run.state, action, new Date());
        if (!decision.ok) throw refusalFailure(decision.refusal);
      },
    },
  );
}

/** The complaint is recorded and numbered, then its acceptance clock starts; then it takes actions. */
async function register(run: Run, filed: ReturnType<typeof complaintFiled>): Promise<void> {
  const { trackingNumber } = await acts.registerComplaint({
    state: filed.state,
    event: filed.event,
    workflowId: workflowInfo().workflowId,
  });
  run.state = { ...run.state, trackingNumber };
  await record(run, [], filed.effects);
  // Registered once its acceptance clock runs too: what the filer is answered with.
  run.registered = true;
}

/** Decides a command, runs its clocks and records it all; a refusal is thrown as the failure the API maps. */
async function applyCommand(run: Run, command: ComplaintCommand): Promise<void> {
  const decision = decideComplaint(run.state, command, new Date());
  if (!decision.ok) throw refusalFailure(decision.refusal);
  run.state = decision.state;
  await record(run, decision.events, decision.effects);
}

/** Runs the clocks' effects (each a fact of its own in the chain), then records every event with the state. */
async function record(run: Run, events: CaseEvent[], effects: ComplaintEffect[]): Promise<void> {
  const all = [...events];
  for (const effect of effects) {
    const fact = await runEffect(run, effect);
    if (!fact) continue;
    const seq = run.state.lastSeq + 1;
    run.state = { ...run.state, lastSeq: seq };
    all.push({ seq, type: fact.type, at: new Date().toISOString(), actor: SYSTEM_ACTOR, payload: fact.payload });
  }
  if (all.length > 0)
    await acts.recordComplaintEvents({ complaintId: run.state.complaintId, events: all, state: run.state });
  run.changes += 1;
}

/** Starts (counted by an activity) or stops a clock; the fact to record, or nothing when nothing changed. */
async function runEffect(
  run: Run,
  effect: ComplaintEffect,
): Promise<{ type: string; payload: Record<string, unknown> } | undefined> {
  if (effect.kind === 'stop_clock') {
    const stopped = withClockStopped(run.state, effect.clockId, effect.outcome);
    if (!stopped) return undefined;
    run.state = stopped;
    return { type: 'ComplaintClockStopped', payload: { clockId: effect.clockId, status: effect.outcome } };
  }
  const counted = await acts.computeComplaintClock({
    clockId: effect.clockId,
    startedAt: effect.startedAt,
    ...(effect.extensionDays ? { extensionDays: effect.extensionDays } : {}),
  });
  run.state = withClock(run.state, counted);
  if ('problem' in counted)
    return { type: 'ComplaintClockUncomputable', payload: { clockId: effect.clockId, problem: counted.problem } };
  const { clockId, startedAt, dueAt, lastDay, calendarVersion, extensionDays, explanation } = counted;
  return {
    type: 'ComplaintClockSet',
    payload: { clockId, startedAt, dueAt, lastDay, calendarVersion, extensionDays, explanation },
  };
}

/**
 * Waits for people, and for the clock that runs out first: its expiry becomes a command (one the rules now
 * refuse is dropped: the complaint moved on). Ends when the complaint is closed, not accepted or withdrawn.
 */
async function untilFinal(run: Run): Promise<void> {
  while (!isFinalComplaint(run.state)) {
    const timer = nextComplaintTimer(run.state);
    const seen = run.changes;
    if (await timerFired(() => run.changes !== seen || isFinalComplaint(run.state), timer?.at)) {
      const command: ComplaintCommand = { type: 'clock_expired', actor: SYSTEM_ACTOR, clockId: timer!.clockId };
      await run.serially(() => applyCommand(run, command).catch(unlessRefused));
    }
  }
}
