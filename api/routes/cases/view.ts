/** The case view (GET /cases/:id) and its deadlines: gather the records, let the presenter choose what is seen. */
import type { Request, Response } from 'express';
import { ServiceError, WorkflowNotFoundError, isGrpcServiceError } from '@temporalio/client';
import { screeningVisibility, type CaseAccess, type Principal } from '../../../domain/access-policy.js';
import { caseDeadlines, legalAidApplicantOf } from '../../../db/cases.js';
import { readCaseView } from '../../../db/case-view-read.js';
import { accessCodesIssuedAt } from '../../../db/identity.js';
import { readProcesses } from '../../../db/workflow-state.js';
import { caseWorkflowId, snapshotQuery, type CaseSnapshot } from '../../../workflows/messages.js';
import { partiesMayIssueAccessCode, presentCase, presentDeadlines } from '../../case-view.js';
import { notePresentedFrom } from '../../case-view-replay.js';
import { isDependencyOutage, parseOrThrow, problems } from '../../problem.js';
import { caseViewQuery } from '../../schemas.js';
import type { CasesDeps, LoadedCase } from './context.js';

/** A read asks the running process for its state for at most this long; the record answers otherwise. */
const LIVE_WAIT_MS = 1_000;

/**
 * The case as this principal may see it. Answered from the record (the state stored with the last recorded
 * event) unless an action just returned the workflow's own snapshot; the workflow is asked only when the record
 * has no current state, or the caller asks for it (`?live=true`), and then for at most LIVE_WAIT_MS.
 */
export async function caseView(
  deps: CasesDeps,
  caseId: string,
  principal: Principal,
  snapshot?: CaseSnapshot,
  opts: { live?: boolean; access?: CaseAccess } = {},
) {
  // The case row and its parties once, and only the events recorded since this case was last read
  // (db/case-view-read.ts): an action's answer costs the same on a long case as on a new one.
  const [read, processes] = await Promise.all([
    readCaseView(deps.db, deps.cipher, caseId),
    readProcesses(deps.db, caseId),
  ]);
  if (!read) return undefined;
  const { record, recorded } = read;
  // A read passes the access it was checked with; after an action it is the one just read (an assignment moves it).
  const access = opts.access ?? read.access;
  const asked =
    !snapshot && (opts.live || recorded?.current !== true) ? await askProcess(deps, caseId) : { live: snapshot };
  const issuedAt = await accessCodesIssuedAt(deps.db, partiesMayIssueAccessCode(record.parties, principal, access));
  const view = presentCase(
    {
      record,
      access,
      recorded,
      processes,
      ...asked,
      accessCodesIssuedAt: issuedAt,
      now: deps.now(),
      readAt: new Date(),
    },
    principal,
  );
  // An action's answer is kept for its Idempotency-Key's replay with its events by reference (issue 18 item 4).
  notePresentedFrom(view, record);
  return view;
}

/** The running process's own snapshot, or why there is none. */
async function askProcess(deps: CasesDeps, caseId: string): Promise<{ live?: CaseSnapshot; liveUnavailable?: string }> {
  try {
    return {
      live: await deps.temporal.withDeadline(Date.now() + LIVE_WAIT_MS, () =>
        deps.temporal.workflow.getHandle(caseWorkflowId(caseId)).query(snapshotQuery),
      ),
    };
  } catch (err) {
    // Gone (retention, rebuilt elsewhere), or no worker or no Temporal to answer: the record answers.
    if (
      !(err instanceof WorkflowNotFoundError) &&
      !isGrpcServiceError(err) &&
      !isDependencyOutage(err) &&
      !(err instanceof ServiceError)
    )
      throw err;
    return {
      liveUnavailable:
        err instanceof WorkflowNotFoundError
          ? "the case's process has ended"
          : `the case's process did not answer within ${LIVE_WAIT_MS} ms`,
    };
  }
}

/** GET /cases/:id */
export async function showCase(
  deps: CasesDeps,
  req: Request,
  res: Response,
  { caseId, access, principal }: LoadedCase,
): Promise<void> {
  const { live } = parseOrThrow(caseViewQuery, req.query);
  const body = await caseView(deps, caseId, principal, undefined, { live: live === 'true', access });
  if (!body) throw problems.notFound('The case');
  res.json(body);
}

/** Every deadline of the case: due time, the rule and its citation, and how it was computed. */
export async function showDeadlines(
  deps: CasesDeps,
  res: Response,
  { caseId, access, principal }: LoadedCase,
): Promise<void> {
  const [rows, legalAidPartyId] = await Promise.all([
    caseDeadlines(deps.db, caseId),
    legalAidApplicantOf(deps.db, caseId),
  ]);
  res.json({ deadlines: presentDeadlines(rows, screeningVisibility(principal, access, legalAidPartyId)) });
}
