/** /cases: intake, the case view, and the acceptance review. Thin: parse, ask the workflow, answer. */
import { createHash, randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { CASE_STATUSES, type CaseIntake, type CaseStatus } from '../../domain/case.js';
import type { Refusal } from '../../domain/case-rules.js';
import { getCaseRecord } from '../../db/cases.js';
import type { FieldCipher } from '../../infra/crypto.js';
import {
  REFUSAL_FAILURE_TYPE,
  WORKFLOW_TYPE,
  acceptCaseUpdate,
  awaitRegistrationUpdate,
  caseWorkflowId,
  declineCaseUpdate,
  snapshotQuery,
  type CaseSnapshot,
} from '../../workflows/messages.js';
import { currentActor } from '../actor.js';
import { idempotencyKeyOf, idempotencyScope } from '../idempotency.js';
import { Problem, parseOrThrow, problems } from '../problem.js';
import { acceptBody, declineBody, intakeSchema } from '../schemas.js';

export type CasesDeps = {
  db: Knex;
  temporal: Client;
  cipher: FieldCipher;
  taskQueue: string;
  now: () => Date;
  /** How long POST /cases waits for the record before answering 202 (the case is safe in Temporal). */
  registrationWait?: number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A stable UUID from an idempotency key: a retried intake targets the same case and workflow. */
function caseIdFromKey(scope: string, key: string): string {
  const h = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function casesRouter(deps: CasesDeps): Router {
  const router = Router();
  const schema = intakeSchema(deps.now);

  const view = async (caseId: string, snapshot?: CaseSnapshot) => {
    const record = await getCaseRecord(deps.db, deps.cipher, caseId);
    if (!record) return undefined;
    const handle = deps.temporal.workflow.getHandle(caseWorkflowId(caseId));
    let workflowStatus: string | null = null;
    let status = record.status as CaseStatus;
    try {
      const [description, live] = await Promise.all([handle.describe(), snapshot ?? handle.query(snapshotQuery)]);
      workflowStatus = description.status.name;
      status = live.status;
    } catch (err) {
      // The record stays readable when the workflow is gone (retention) or Temporal is down.
      if (!(err instanceof WorkflowNotFoundError) && !isGrpcServiceError(err)) throw err;
    }
    const { events, ...rest } = record;
    return { ...rest, status, statusLabel: CASE_STATUSES[status], workflow: { workflowId: caseWorkflowId(caseId), status: workflowStatus }, events };
  };

  const loadCaseId = async (req: Request): Promise<string> => {
    const id = String(req.params.caseId);
    if (!UUID.test(id)) throw problems.notFound('The case');
    const exists = await deps.db('cases').where({ case_id: id }).first('case_id');
    if (!exists) throw problems.notFound('The case');
    return id;
  };

  router.post('/', async (req, res) => {
    const body = parseOrThrow(schema, req.body);
    const key = idempotencyKeyOf(req);
    const caseId = key ? caseIdFromKey(idempotencyScope(req), key) : randomUUID();
    const intake: CaseIntake = {
      caseId,
      receivedAt: deps.now().toISOString(),
      channel: body.channel,
      disputeType: body.disputeType,
      summary: body.summary,
      claimantLearnedOfHarmOn: body.claimantLearnedOfHarmOn,
      ...(body.claimAmountFen !== undefined ? { claimAmountFen: body.claimAmountFen } : {}),
      parties: body.parties.map((p) => ({ ...p, partyId: randomUUID() })),
      ...(body.court ? { court: body.court } : {}),
      ...(body.referral ? { referral: body.referral } : {}),
      ...(body.priorProceedings ? { priorProceedings: body.priorProceedings } : {}),
      registeredBy: currentActor(req),
    };
    const workflowId = caseWorkflowId(caseId);
    let handle: WorkflowHandle;
    try {
      handle = await deps.temporal.workflow.start(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [intake],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      handle = deps.temporal.workflow.getHandle(workflowId); // the same intake, retried
    }
    const location = `/cases/${caseId}`;
    const registered = await Promise.race([
      handle.executeUpdate(awaitRegistrationUpdate).catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return null; // already closed: the record exists
        throw err;
      }),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), deps.registrationWait ?? 15_000).unref()),
    ]);
    if (registered === 'timeout') {
      res.status(202).location(location).json({ caseId, status: 'REGISTERED', recorded: false, detail: 'The case is registered; its record is being written.' });
      return;
    }
    res.status(201).location(location).json(await view(caseId, registered ?? undefined));
  });

  router.get('/:caseId', async (req, res) => {
    const caseId = await loadCaseId(req);
    const body = await view(caseId);
    if (!body) throw problems.notFound('The case');
    res.json(body);
  });

  router.post('/:caseId/accept', async (req, res) => {
    const caseId = await loadCaseId(req);
    const body = parseOrThrow(acceptBody, req.body ?? {});
    const snapshot = await runUpdate(deps, caseId, () =>
      deps.temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(acceptCaseUpdate, { args: [{ actor: currentActor(req), ...body }] }),
    );
    res.json(await view(caseId, snapshot));
  });

  router.post('/:caseId/decline', async (req, res) => {
    const caseId = await loadCaseId(req);
    const body = parseOrThrow(declineBody, req.body ?? {});
    const snapshot = await runUpdate(deps, caseId, () =>
      deps.temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(declineCaseUpdate, { args: [{ actor: currentActor(req), ...body }] }),
    );
    res.json(await view(caseId, snapshot));
  });

  return router;
}

/** Runs an update and turns the workflow's refusals into 403 / 409 / 422 problems. */
async function runUpdate(deps: CasesDeps, caseId: string, run: () => Promise<CaseSnapshot>): Promise<CaseSnapshot> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const refusal = err.cause.details?.[0] as Refusal | undefined;
      const message = refusal?.message ?? err.cause.message;
      switch (err.cause.type) {
        case REFUSAL_FAILURE_TYPE.wrong_state:
          throw problems.conflict('wrong-state', message);
        case REFUSAL_FAILURE_TYPE.forbidden:
          throw problems.forbidden(message);
        case REFUSAL_FAILURE_TYPE.rule:
          throw problems.rule(refusal?.code ?? 'rule', message, refusal && 'article' in refusal ? refusal.article : '');
      }
    }
    if (err instanceof WorkflowNotFoundError) {
      // The record exists (checked before), so the process has finished: nothing more can change.
      const row = await deps.db('cases').where({ case_id: caseId }).first('status');
      throw problems.conflict('case-closed', `the case is closed (${row?.status ?? 'unknown'}); no further action is possible`);
    }
    if (err instanceof Problem) throw err;
    throw err;
  }
}
