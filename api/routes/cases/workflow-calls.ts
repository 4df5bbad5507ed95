/** Calls on a case's process that end in bounded time, and the workflow's refusals as problems. */
import type { Request } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Principal } from '../../../domain/access-policy.js';
import type { Refusal } from '../../../domain/case-rules.js';
import { caseStatusOf } from '../../../db/cases.js';
import {
  REFUSAL_FAILURE_TYPE,
  caseActionUpdate,
  caseWorkflowId,
  type CaseAction,
} from '../../../workflows/messages.js';
import { idempotentUpdateId } from '../../idempotency.js';
import { Problem, grpcCodeOf, isDependencyOutage, isWorkflowTaskFailing, problems } from '../../problem.js';
import type { CasesDeps } from './context.js';
import { caseView } from './view.js';

/** An action no worker takes up within this answers 503 with Retry-After. */
const DEFAULT_ACTION_WAIT_MS = 10_000;
/** How long registration (and a process's report) may take to be recorded before the answer is 202. */
export const DEFAULT_RECORD_WAIT_MS = 15_000;

const GRPC_UNAVAILABLE = 14;

/**
 * A call on the case's process that must end in bounded time: with no worker to take it up, Temporal holds
 * an update (or a query) until the caller gives up. Past `actionWait` the call is cancelled (the client's
 * deadline ends its gRPC requests) and the person told to retry (an update id from the Idempotency-Key keeps
 * a late or retried action to one effect).
 */
export async function boundedCall<T>(
  deps: CasesDeps,
  call: () => Promise<T>,
  wait = deps.actionWait ?? DEFAULT_ACTION_WAIT_MS,
): Promise<T> {
  try {
    return await deps.temporal.withDeadline(Date.now() + wait, call);
  } catch (err) {
    // Our own deadline passed, or Temporal says no worker polls: nobody took it up. Temporal itself down
    // (UNAVAILABLE) is an outage like any other (503 from the error handler).
    if (err instanceof Problem || !isDependencyOutage(err) || grpcCodeOf(err) === GRPC_UNAVAILABLE) throw err;
    // The workflow task failed or timed out twice (workers killed mid-step): refused at once, not taken.
    if (isWorkflowTaskFailing(err)) throw problems.processRecovering();
    throw problems.notTakenUp(wait);
  }
}

/** Running out of time as an answer ('timeout'), not an error: what was asked is safe in Temporal and follows. */
export async function orTimeout<T>(call: Promise<T>): Promise<T | 'timeout'> {
  return call.catch((err: unknown) => {
    if (err instanceof Problem && err.code === 'action-not-taken-up') return 'timeout' as const;
    throw err;
  });
}

/** Runs an update and turns the workflow's refusals into 403 / 409 / 422 problems. */
export async function runUpdate<T>(deps: CasesDeps, caseId: string, run: () => Promise<T>, wait?: number): Promise<T> {
  try {
    return await boundedCall(deps, run, wait);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throwRefusal(err.cause);
    if (err instanceof WorkflowUpdateFailedError) {
      // Not a refusal: something the action needed failed (a store, a computation)
      throw new Problem(
        503,
        'action-failed',
        'The action could not be completed',
        'Check the case: what it shows is what was recorded. Try again, and tell the operator if it keeps failing.',
        { retryAfterSeconds: 5 },
      );
    }
    if (err instanceof WorkflowNotFoundError) {
      // The record exists (checked before), so the process has finished: nothing more can change.
      throw problems.conflict(
        'case-closed',
        `the case is closed (${(await caseStatusOf(deps.db, caseId)) ?? 'unknown'}); no further action is possible`,
      );
    }
    throw err;
  }
}

/** A refusal from the rules as its problem: wrong state 409, not this principal 403, a rule 422 with its article. */
function throwRefusal(failure: ApplicationFailure): void {
  const refusal = failure.details?.[0] as Refusal | undefined;
  const message = refusal?.message ?? failure.message;
  switch (failure.type) {
    case REFUSAL_FAILURE_TYPE.wrong_state:
      throw problems.conflict('wrong-state', message);
    case REFUSAL_FAILURE_TYPE.forbidden:
      throw problems.forbidden(message);
    case REFUSAL_FAILURE_TYPE.rule:
      throw problems.rule(refusal?.code ?? 'rule', message, refusal && 'article' in refusal ? refusal.article : '');
  }
}

/** Asks the case to do something and answers with the case as this principal sees it. */
export async function askCase(deps: CasesDeps, req: Request, caseId: string, principal: Principal, action: CaseAction) {
  const updateId = idempotentUpdateId(req);
  // The same update id on a retry: Temporal answers with the first outcome, even once that update closed the case.
  const snapshot = await runUpdate(deps, caseId, () =>
    deps.temporal.workflow
      .getHandle(caseWorkflowId(caseId))
      .executeUpdate(caseActionUpdate, { args: [action], ...(updateId ? { updateId } : {}) }),
  );
  return caseView(deps, caseId, principal, snapshot);
}
