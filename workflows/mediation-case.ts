/**
 * One workflow per case. A thin adapter over `decide`: it holds the state, serialises actions, waits on
 * durable timers for every open statutory deadline, and has activities record each event and the
 * projection in PostgreSQL. Deterministic: no I/O, no Node built-ins. Continues as new when the server
 * suggests it, carrying the state.
 *
 * The pieces: `case-handlers.ts` (messages), `case-effects.ts` (applying a command and running its
 * effects), `case-clocks.ts` with the shared `deadline-timers.ts` (statutory clocks), `case-documents.ts`,
 * `case-actions.ts` (a person's action as a command), `children.ts` (processes and deliveries).
 *
 * Retiring the `patched` markers (here, in `case-effects.ts`, `case-actions.ts` and `securing-process.ts`).
 * Each guards a behaviour added after runs were recorded that must replay as they ran; an id never changes.
 * A marker goes in two releases, never one:
 * 1. Once no open run began before the release that added it (a visibility query for running
 *    `mediationCase`, `judicialConfirmation` and `notarization` runs started before that release; a case
 *    that continued as new since began a new run, which already takes the new path): replace `patched(id)`
 *    by `deprecatePatch(id)` and delete the old branch.
 * 2. Once no open run began before step 1's release: delete `deprecatePatch(id)`.
 * The recorded histories in `test/fixtures/histories` hold the markers they ran with; a fixture recorded
 * without a marker that reaches the guarded code replays the old branch, and stops replaying at step 1.
 * Such fixtures are re-recorded on current code (`npm run history:record`) before step 1, or retired with
 * the branch they cover. What the fixtures hold today:
 * - the three `record-batch-v1-*` fixtures (recorded by `npm run history:record-journeys`, see the fixtures'
 *   README) record every marker of their code at the time, `record-batch-v1` included;
 * - no older one records `court-clocks-v1`, `agreement-content-rules-v1`, `recusal-decision-v1`,
 *   `wet-ink-family-v1`, `staff-reminder-sms-v1`, `sham-mediation-report-v1`, `record-batch-v1` or (the two
 *   process fixtures) `process-started-first-v1`; `court-clocks-v1`, `failure-facts-v1` and `record-batch-v1`
 *   are asked at every run's start, so every case fixture without them needs them;
 * - `record-batch-v1` (one `recordCaseEvents` call per action, timer or report instead of one per effect,
 *   `case-run.ts`): the old branch is `inOneRecord` running the work as it goes; retiring it needs every open
 *   run begun before it to have ended or continued as new, as above;
 * - `failure-facts-v1`: 3 fixtures; `notices-v1`: 2; `documents-v1`: 10; `court-report-v1` and
 *   `delivery-v1`: 3; `performance-v1`: 2; `sms-delivery-v1`: 1;
 * - `declined-mediator-then-withdrawn`, `not-accepted` and `signed-agreement` record no marker at all;
 *   `recusal-granted-on-request` and `family-agreement-signed-without-scans` are, by their names, the old
 *   recusal and signature branches.
 * So no marker can be retired yet: first retire or re-record the older fixtures, then wait out the open runs.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { initialState, nextTimer, registration, registeredState, type CaseState } from '../domain/case-rules.js';
import type { Activities } from '../activities/index.js';
import { ACTIVITY_OPTIONS, serialQueue, unlessRefused } from './common.js';
import { SYSTEM_ACTOR, type CaseSnapshot, type MediationCaseInput } from './messages.js';
import { inOneRecord, type CaseRun } from './case-run.js';
import { rebuildClocks } from './case-clocks.js';
import { applyCommand, runEffects } from './case-effects.js';
import { registerCaseHandlers, snapshotOf } from './case-handlers.js';
import { timerCommand, timerFired } from './deadline-timers.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** Continue as new well before Temporal's limits (51,200 events; updates per run). */
const MAX_HISTORY_EVENTS = 10_000;

export async function mediationCase(input: MediationCaseInput): Promise<CaseSnapshot> {
  const run: CaseRun = {
    input,
    state: startingState(input),
    registered: input.carried !== undefined,
    changes: 0,
    serially: serialQueue(),
    // Each piece of work's events in one call, not one per effect; runs recorded before replay as they ran.
    batchRecords: patched('record-batch-v1'),
  };
  // A rebuilt case records that it was rebuilt before anything else: queued before any handler is set, as an
  // action sent with the start is dispatched as soon as its handler is.
  const rebuilt = input.rebuilt;
  const rebuiltFirst = rebuilt ? run.serially(() => rebuildClocks(run, rebuilt)) : undefined;
  registerCaseHandlers(run);
  if (!input.carried) await register(run, intakeOf(input));
  if (rebuiltFirst) await rebuiltFirst;
  await untilClosed(run);
  await condition(allHandlersFinished);
  await sendFailureReport(run);
  return snapshotOf(run);
}

/** A case with neither its intake nor a state to go on is a caller's mistake: it fails at once. */
function intakeOf(input: MediationCaseInput) {
  if (!input.intake)
    throw ApplicationFailure.nonRetryable('a case starts from its intake, or from a carried state', 'CaseInputMissing');
  return input.intake;
}

function startingState(input: MediationCaseInput): CaseState {
  let state: CaseState = input.carried ? input.carried.state : initialState(intakeOf(input));
  // A court case that ends on its own asks the mediator for the failure report's facts first (在线调解规则
  // Art 21); runs recorded before this rule replay as they ran, sending the report at once.
  if (patched('failure-facts-v1')) state = { ...state, askForFailureFacts: true };
  // A court period is not restarted by a change of mediator, and the court's own date is clocked
  // (特邀调解规定 Art 27); runs recorded before this rule replay as they ran.
  if (patched('court-clocks-v1')) state = { ...state, courtClocks: true };
  return state;
}

/** The intake is recorded and numbered in PostgreSQL, then the registration's effects run (its clocks). */
async function register(run: CaseRun, intake: NonNullable<MediationCaseInput['intake']>): Promise<void> {
  const first = registration(intake, { courtClocks: run.state.courtClocks ?? false });
  const registeredCase = await acts.registerCase({
    intake,
    event: first.event,
    workflowId: workflowInfo().workflowId,
    state: run.state,
  });
  // The limitation alert as counted with the calendar (民法典 Art 203); older runs returned none.
  run.state = registeredState(run.state, {
    caseNumber: registeredCase.caseNumber,
    limitation: registeredCase.limitation,
    seq: first.event.seq,
  });
  run.registered = true;
  run.changes += 1;
  await run.serially(() => inOneRecord(run, () => runEffects(run, first.effects)));
}

/**
 * Waits for people, and for the next statutory timer; a timer that fires becomes a domain command (one the
 * rules now refuse is dropped: the case moved on). Continues as new when the history grows long.
 */
async function untilClosed(run: CaseRun): Promise<void> {
  while (run.state.closedAt === undefined) {
    const timer = nextTimer(run.state);
    const seen = run.changes;
    if (await timerFired(() => run.changes !== seen || run.state.closedAt !== undefined, timer?.at)) {
      await run.serially(() => applyCommand(run, timerCommand(timer!)).catch(unlessRefused));
    }
    if (
      run.state.closedAt === undefined &&
      (workflowInfo().continueAsNewSuggested ||
        workflowInfo().historyLength > (run.input.maxHistoryEvents ?? MAX_HISTORY_EVENTS))
    ) {
      await condition(allHandlersFinished);
      const { rebuilt: _rebuilt, ...rest } = run.input;
      await continueAsNew<typeof mediationCase>({ ...rest, carried: { state: run.state } });
    }
  }
}

/**
 * The court's failure report waits for the mediator's facts until its own clock runs out, then goes out
 * with what is known (never blank).
 */
async function sendFailureReport(run: CaseRun): Promise<void> {
  for (let pending = run.state.failureReportPending; pending; pending = run.state.failureReportPending) {
    const asked = pending;
    const answered = await condition(
      () => run.state.failureReportPending !== asked,
      Math.max(1, Date.parse(asked.dueAt ?? '') - Date.now() || 1),
    );
    if (!answered)
      await run.serially(() =>
        applyCommand(run, { type: 'failure_facts_due', actor: SYSTEM_ACTOR }).catch(unlessRefused),
      );
    await condition(allHandlersFinished);
  }
}
