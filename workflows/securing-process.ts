/**
 * A securing process as a child workflow of its case: judicial confirmation (a court) or notarization with
 * enforcement effect (a notary). It applies `decideConfirmation` / `decideNotarization`, keeps its own
 * statutory clocks as durable timers, and reports every step to the case by signal; the case records it
 * in its chain (one writer per chain). Deterministic: no I/O outside activities. The pieces are in
 * `process-run.ts`; the `patched` markers' retirement plan is at the top of `mediation-case.ts`.
 */
import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import { nextTimer, type Timer } from '../domain/case-rules.js';
import {
  CONFIRMATION_STATUS_LABELS,
  NOTARIZATION_STATUS_LABELS,
  isFinal,
  type ConfirmationState,
  type NotarizationState,
} from '../domain/securing.js';
import { refusalFailure, unlessRefused } from './common.js';
import { timerFired } from './deadline-timers.js';
import {
  SYSTEM_ACTOR,
  calendarLoadedSignal,
  processActionUpdate,
  processSnapshotQuery,
  type ProcessCommand,
  type ProcessInput,
  type ProcessSnapshot,
} from './messages.js';
import {
  applyProcessCommand,
  asCase,
  decideOn,
  processRun,
  processSnapshot,
  recountDeadlines,
  report,
  systemEvent,
  type ProcessRun,
} from './process-run.js';

export async function judicialConfirmation(input: ProcessInput<ConfirmationState>): Promise<ProcessSnapshot> {
  return runProcess(input);
}

export async function notarization(input: ProcessInput<NotarizationState>): Promise<ProcessSnapshot> {
  return runProcess(input);
}

async function runProcess(input: ProcessInput): Promise<ProcessSnapshot> {
  const run = processRun(input);
  // The case learns the process has started (its status and label) before anyone acts on it; the
  // application goes to the court or notary once both sides have signed it. Queued before any handler is
  // set: an action that arrived with the start (buffered by the SDK) is dispatched as soon as its handler
  // is, and must come after. Runs recorded before this replay in the order they ran.
  const startedFirst = run.reportSeq === 0 && patched('process-started-first-v1') ? reportStarted(run) : undefined;
  registerProcessHandlers(run);
  if (startedFirst) await startedFirst;
  else if (run.reportSeq === 0) await reportStarted(run);
  await untilFinal(run);
  await condition(allHandlersFinished);
  return processSnapshot(run);
}

/** ProcessStarted, with the status's label as it stands when the report goes out. */
function reportStarted(run: ProcessRun): Promise<void> {
  const labelOf = ({ state }: ProcessRun) =>
    state.kind === 'judicial_confirmation'
      ? CONFIRMATION_STATUS_LABELS[state.status]
      : NOTARIZATION_STATUS_LABELS[state.status];
  return run.serially(() => report(run, [systemEvent('ProcessStarted', { label: labelOf(run) })]));
}

function registerProcessHandlers(run: ProcessRun): void {
  setHandler(processSnapshotQuery, () => processSnapshot(run));
  setHandler(calendarLoadedSignal, (loaded) => run.serially(() => recountDeadlines(run, loaded)));
  setHandler(
    processActionUpdate,
    (command) =>
      run.serially(async () => {
        await applyProcessCommand(run, command);
        return processSnapshot(run);
      }),
    {
      validator: (command) => {
        const d = decideOn(run, command);
        if (!d.ok) throw refusalFailure(d.refusal);
      },
    },
  );
}

/**
 * Waits for the court or notary and the parties, and for the process's next timer: a clock's reminder or
 * expiry, or the 30 days to apply while the parties are still signing (民事诉讼法 Art 205). A timer that
 * fires becomes a command; one the rules now refuse is dropped (the process moved on).
 */
async function untilFinal(run: ProcessRun): Promise<void> {
  while (!isFinal(run.state)) {
    const next = nextProcessTimer(run);
    const seen = run.changes;
    if (await timerFired(() => run.changes !== seen || isFinal(run.state), next?.at)) {
      const command: ProcessCommand =
        'ruleId' in next!
          ? { type: next.command, actor: SYSTEM_ACTOR, ruleId: next.ruleId }
          : { type: 'window_closed', actor: SYSTEM_ACTOR };
      await run.serially(() => applyProcessCommand(run, command).catch(unlessRefused));
    }
  }
}

/** A clock's reminder or due time, or the end of the window to apply, whichever comes first. */
function nextProcessTimer({ state }: ProcessRun): Timer | { at: string } | undefined {
  const timer = nextTimer(asCase(state));
  const applyBy = state.kind === 'judicial_confirmation' && state.status === 'PREPARING' ? state.applyBy : undefined;
  return applyBy && (!timer || applyBy < timer.at) ? { at: applyBy } : timer;
}
