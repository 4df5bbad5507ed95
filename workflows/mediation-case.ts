/**
 * One workflow per case. A thin adapter over `decide`: it holds the state, serialises commands, and has
 * activities record each event and the projection in PostgreSQL. Deterministic: no I/O, no Node built-ins.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseIntake } from '../domain/case.js';
import { decide, initialState, registrationEvent, type CaseCommand, type CaseState } from '../domain/case-rules.js';
import type { Activities } from '../activities/index.js';
import {
  REFUSAL_FAILURE_TYPE,
  acceptCaseUpdate,
  awaitRegistrationUpdate,
  declineCaseUpdate,
  snapshotQuery,
  type CaseSnapshot,
} from './messages.js';

const { registerCase, recordCaseEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function mediationCase(intake: CaseIntake): Promise<CaseSnapshot> {
  let state: CaseState = initialState(intake);
  let registered = false;

  const snapshot = (): CaseSnapshot => ({
    caseId: state.caseId,
    caseNumber: state.caseNumber ?? null,
    status: state.status,
    registered,
    lastSeq: state.lastSeq,
    notAccepted: state.notAccepted ?? null,
    closedAt: state.closedAt ?? null,
  });

  // Commands run one at a time, in arrival order, so events get consecutive sequence numbers.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const validate = (command: CaseCommand) => {
    const decision = decide(state, command, new Date());
    if (!decision.ok) {
      throw ApplicationFailure.create({
        type: REFUSAL_FAILURE_TYPE[decision.refusal.kind],
        message: decision.refusal.message,
        details: [decision.refusal],
        nonRetryable: true,
      });
    }
  };

  const apply = (command: CaseCommand) =>
    serially(async () => {
      await condition(() => registered);
      validate(command); // the state may have moved since the validator ran
      const decision = decide(state, command, new Date());
      if (!decision.ok) throw new Error('unreachable: validated above');
      await recordCaseEvents({ caseId: state.caseId, events: decision.events, status: decision.state.status });
      state = decision.state;
      return snapshot();
    });

  setHandler(snapshotQuery, snapshot);
  setHandler(awaitRegistrationUpdate, async () => {
    await condition(() => registered);
    return snapshot();
  });
  setHandler(acceptCaseUpdate, (input) => apply({ type: 'accept', ...input }), {
    validator: (input) => validate({ type: 'accept', ...input }),
  });
  setHandler(declineCaseUpdate, (input) => apply({ type: 'decline', ...input }), {
    validator: (input) => validate({ type: 'decline', ...input }),
  });

  const first = registrationEvent(intake);
  const { caseNumber } = await registerCase({ intake, event: first, workflowId: workflowInfo().workflowId });
  state = { ...state, caseNumber, lastSeq: first.seq };
  registered = true;

  await condition(() => state.closedAt !== undefined);
  await condition(allHandlersFinished);
  return snapshot();
}
