/**
 * Actions on a case and on its securing processes (judicial confirmation, notarization): parse, check the
 * policy, ask the workflow (which checks the rules), answer with the case as this principal sees it.
 */
import type { Request, Response } from 'express';
import { WorkflowNotFoundError, isGrpcServiceError, type WorkflowHandle } from '@temporalio/client';
import type { z } from 'zod';
import { actorOf, type CaseAccess } from '../../../domain/access-policy.js';
import { CASE_PARTY_FIELD, PROCESS_PARTY_FIELD } from '../../../domain/action-paths.js';
import {
  CONFIRMATION_ROLES,
  NOTARIZATION_ROLES,
  type ConfirmationCommand,
  type NotarizationCommand,
  type SecuringKind,
} from '../../../domain/securing.js';
import { basicCourtByCode, institutionById, notaryOfficeById } from '../../../db/case-venues.js';
import { readCaseState } from '../../../db/workflow-state.js';
import {
  awaitProcessReportUpdate,
  caseWorkflowId,
  processActionUpdate,
  processWorkflowId,
  snapshotQuery,
  type CaseAction,
  type ProcessCommand,
  type ProcessSnapshot,
} from '../../../workflows/messages.js';
import { idempotentUpdateId, redactForReplay } from '../../idempotency.js';
import { caseViewForReplay } from '../../case-view-replay.js';
import { parseOrThrow, problems } from '../../problem.js';
import {
  CASE_ACTION_ROUTES,
  PROCESS_ACTION_ROUTES,
  judicialConfirmationBody,
  notarizationBody,
} from '../../schemas.js';
import { ownParty, recordDenied, type CasesDeps, type LoadedCase } from './context.js';
import { DEFAULT_RECORD_WAIT_MS, askCase, boundedCall, orTimeout, runUpdate } from './workflow-calls.js';
import { caseView } from './view.js';

export type CaseActionSpec = (typeof CASE_ACTION_ROUTES)[keyof typeof CASE_ACTION_ROUTES];
export type ProcessActionSpec = (typeof PROCESS_ACTION_ROUTES)[keyof typeof PROCESS_ACTION_ROUTES];

/** gRPC status NOT_FOUND. */
const GRPC_NOT_FOUND = 5;

/**
 * The case as this principal now sees it. An Idempotency-Key's replay keeps it without its events, which it
 * reads again from the chain (api/case-view-replay.ts): what a keyed action writes does not grow with the case.
 */
function answerWithCase(res: Response, view: object | undefined): void {
  redactForReplay(res, caseViewForReplay);
  res.json(view);
}

/** Every action on a case with no handler of its own (CASE_ACTION_ROUTES). */
export async function takeCaseAction(
  deps: CasesDeps,
  spec: CaseActionSpec,
  req: Request,
  res: Response,
  loaded: LoadedCase,
): Promise<void> {
  const body = parseOrThrow(spec.body as z.ZodType, req.body ?? {}) as Record<string, unknown>;
  // Actions taken for a party, by the party or by staff recording it: the field that names the party. A party
  // who leaves out partyId (or signer) means themselves; a guardian or agent, the party they act for.
  const who = (CASE_PARTY_FIELD as Partial<Record<string, 'partyId' | 'signer'>>)[spec.type];
  if (who) {
    body[who] ??= ownParty(loaded);
    if (body[who] === undefined) throw problems.validation([{ field: who, message: 'is required: which party?' }]);
  }
  const action = { type: spec.type, actor: actorOf(loaded.principal), ...body } as unknown as CaseAction;
  answerWithCase(res, await askCase(deps, req, loaded.caseId, loaded.principal, action));
}

/** Both parties apply to the court of the venue (民事诉讼法 Art 205); a delegated case goes back to its court. */
export async function applyForJudicialConfirmation(
  deps: CasesDeps,
  req: Request,
  res: Response,
  { caseId, access, principal }: LoadedCase,
): Promise<void> {
  const body = parseOrThrow(judicialConfirmationBody, req.body ?? {});
  const court = await venueCourt(deps, access, body);
  if (!court) {
    throw problems.validation([
      {
        field: body.venueGround === 'delegating_court' ? 'venueGround' : 'courtCode',
        message:
          body.venueGround === 'delegating_court'
            ? 'this case was not delegated by a court'
            : `is not a basic court known to the center: ${body.courtCode}`,
      },
    ]);
  }
  const action = {
    type: 'apply_judicial_confirmation',
    actor: actorOf(principal),
    court,
    venueGround: body.venueGround,
  } as CaseAction;
  answerWithCase(res, await askCase(deps, req, caseId, principal, action));
}

/** The delegating court (the case's own), or the basic court the parties name. */
async function venueCourt(deps: CasesDeps, access: CaseAccess, body: z.output<typeof judicialConfirmationBody>) {
  if (body.venueGround !== 'delegating_court') return basicCourtByCode(deps.db, body.courtCode!);
  return access.courtInstitutionId ? institutionById(deps.db, access.courtInstitutionId) : undefined;
}

/** Notarization with enforcement effect, at a notary office the center knows. */
export async function requestNotarization(
  deps: CasesDeps,
  req: Request,
  res: Response,
  { caseId, principal }: LoadedCase,
): Promise<void> {
  const { notaryId, ...rest } = parseOrThrow(notarizationBody, req.body ?? {});
  const notary = await notaryOfficeById(deps.db, notaryId);
  if (!notary)
    throw problems.validation([
      { field: 'notaryId', message: `is not a notary office known to the center: ${notaryId}` },
    ]);
  const action = { type: 'request_notarization', actor: actorOf(principal), notary, ...rest } as CaseAction;
  answerWithCase(res, await askCase(deps, req, caseId, principal, action));
}

/**
 * An action on the latest securing process of its kind: by the court or notary it was sent to, the parties,
 * the clerk. Answered once the case has recorded what the process reported; if that takes too long, 202.
 */
export async function takeProcessAction(
  deps: CasesDeps,
  spec: ProcessActionSpec,
  req: Request,
  res: Response,
  loaded: LoadedCase,
): Promise<void> {
  const { caseId, principal } = loaded;
  const roles: readonly string[] =
    spec.process === 'judicial_confirmation'
      ? CONFIRMATION_ROLES[spec.type as ConfirmationCommand['type']]
      : NOTARIZATION_ROLES[spec.type as NotarizationCommand['type']];
  if (!roles.includes(principal.role)) throw await denyProcessAction(deps, req, loaded, 'role');
  const body = processActionBody(spec, req, loaded);
  const current = await currentProcess(deps, caseId, spec.process);
  if (!current)
    throw problems.conflict(
      'no-process',
      spec.process === 'judicial_confirmation'
        ? 'there is no application for judicial confirmation on this case'
        : 'there is no notarization on this case',
    );
  if (principal.kind === 'institution' && principal.institutionId !== current.institutionId)
    throw await denyProcessAction(deps, req, loaded, 'institution');
  const action = { type: spec.type, actor: actorOf(principal), ...body } as ProcessCommand;
  const result = await runProcessAction(deps, req, caseId, current, action);
  const recorded = await awaitProcessReport(deps, caseId, {
    kind: spec.process,
    n: current.n,
    reportSeq: result.reportSeq,
  });
  if (recorded === 'timeout') {
    res.status(202).json({
      caseId,
      process: { kind: spec.process, n: current.n, status: result.state.status },
      recorded: false,
      detail: 'The action was taken; the case record is being updated.',
    });
    return;
  }
  answerWithCase(res, await caseView(deps, caseId, principal, recorded));
}

/** The case's snapshot once it has recorded what the process reported, or 'timeout' (it follows). */
async function awaitProcessReport(
  deps: CasesDeps,
  caseId: string,
  report: { kind: SecuringKind; n: number; reportSeq: number },
) {
  const parent = deps.temporal.workflow.getHandle(caseWorkflowId(caseId));
  const wait = deps.registrationWait ?? DEFAULT_RECORD_WAIT_MS;
  return orTimeout(
    runUpdate(deps, caseId, () => parent.executeUpdate(awaitProcessReportUpdate, { args: [report] }), wait),
  );
}

/** A refused process action, recorded: a role that may not take it, or a court or notary it was not sent to. */
async function denyProcessAction(
  deps: CasesDeps,
  req: Request,
  { caseId, principal }: LoadedCase,
  why: 'role' | 'institution',
) {
  await recordDenied(deps, req, principal, caseId, why);
  return problems.forbidden(
    why === 'role'
      ? `a ${principal.role} may not do this`
      : 'this application was sent to another court or notary office',
  );
}

type SecuringProcess = NonNullable<Awaited<ReturnType<typeof currentProcess>>>;

/**
 * Runs the action on the process. A concluded process takes no more actions; only the retry of the action
 * that concluded it (a ruling whose answer was lost) gets its answer.
 */
async function runProcessAction(
  deps: CasesDeps,
  req: Request,
  caseId: string,
  current: SecuringProcess,
  action: ProcessCommand,
): Promise<ProcessSnapshot> {
  const updateId = idempotentUpdateId(req);
  const processHandle = deps.temporal.workflow.getHandle(processWorkflowId(caseId, current.kind, current.n));
  const earlier = current.final && updateId ? await earlierAnswer(deps, processHandle, updateId) : undefined;
  if (earlier) return earlier;
  if (current.final)
    throw problems.conflict(
      'process-concluded',
      `this ${current.kind === 'judicial_confirmation' ? 'application' : 'notarization'} has concluded (${current.status}); start a new one if the law allows`,
    );
  return runUpdate(deps, caseId, () =>
    processHandle.executeUpdate(processActionUpdate, { args: [action], ...(updateId ? { updateId } : {}) }),
  );
}

/** The action's body; a party who leaves out partyId means themselves (or the party they act for). */
function processActionBody(spec: ProcessActionSpec, req: Request, loaded: LoadedCase): Record<string, unknown> {
  const body = parseOrThrow(spec.body as z.ZodType, req.body ?? {}) as Record<string, unknown>;
  if (spec.type in PROCESS_PARTY_FIELD) {
    body.partyId ??= ownParty(loaded);
    if (body.partyId === undefined)
      throw problems.validation([{ field: 'partyId', message: 'is required: which party?' }]);
  }
  return body;
}

/** The answer the process gave an update with this id, or undefined when this id never reached it. */
async function earlierAnswer(
  deps: CasesDeps,
  processHandle: WorkflowHandle,
  updateId: string,
): Promise<ProcessSnapshot | undefined> {
  return boundedCall(deps, () => processHandle.getUpdateHandle<ProcessSnapshot>(updateId).result()).catch(
    (err: unknown) => {
      // No such update: this key never reached the process. Anything else (an outage) is the answer.
      if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND))
        return undefined;
      throw err;
    },
  );
}

/** The latest process of a kind, from the record (or, while the record catches up, the case's workflow). */
async function currentProcess(deps: CasesDeps, caseId: string, kind: SecuringKind) {
  const recorded = await readCaseState(deps.db, caseId);
  let securing = recorded?.current ? recorded.state.securing : undefined;
  if (!securing || recorded?.state.closedAt) {
    try {
      securing =
        (await boundedCall(deps, () => deps.temporal.workflow.getHandle(caseWorkflowId(caseId)).query(snapshotQuery)))
          .securing ?? undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || recorded?.state.closedAt)
        throw problems.conflict('case-closed', 'the case is closed; no further action is possible');
      throw err;
    }
  }
  return securing?.processes.filter((p) => p.kind === kind).at(-1);
}
