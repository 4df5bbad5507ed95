/** POST /cases: a clerk or a court registers a case; its workflow starts and the intake is recorded. */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { actorOf, canRegister, mayRegister, type Principal } from '../../../domain/access-policy.js';
import type { Actor, CaseIntake } from '../../../domain/case.js';
import { courtByCode } from '../../../db/case-venues.js';
import { caseStatusOf } from '../../../db/cases.js';
import { legacyRandomLayoutId, nameBasedId } from '../../../identity/name-based-ids.js';
import {
  WORKFLOW_TYPE,
  awaitRegistrationUpdate,
  caseWorkflowId,
  type CaseSnapshot,
  type MediationCaseInput,
} from '../../../workflows/messages.js';
import { principalOf } from '../../auth.js';
import { idempotencyKeyOf, idempotencyScope, markRetrySafe } from '../../idempotency.js';
import { parseOrThrow, problems } from '../../problem.js';
import { chinaDate, intakeSchema, isUnder14, type IntakeBody } from '../../schemas.js';
import type { CasesDeps } from './context.js';
import { DEFAULT_RECORD_WAIT_MS, boundedCall, orTimeout } from './workflow-calls.js';
import { caseView } from './view.js';

/**
 * A stable id from an idempotency key: a retried intake targets the same case and workflow. Cases keyed before
 * ids were version 5 were named by the older layout; a retry of one of those (after a 5xx released its key)
 * finds it by that name instead of starting a second case.
 */
async function caseIdForKey(deps: CasesDeps, scope: string, key: string): Promise<string> {
  const name = `${scope}\n${key}`;
  const legacy = legacyRandomLayoutId(name);
  return (await caseStatusOf(deps.db, legacy)) === undefined ? nameBasedId(name) : legacy;
}

/** POST /cases: answers 201 with the case once recorded, or 202 while its record is being written. */
export function registerCase(deps: CasesDeps): RequestHandler {
  const schema = intakeSchema(deps.now);
  return async (req: Request, res: Response) => {
    const principal = principalOf(req);
    if (!mayRegister(principal)) throw problems.forbidden(`a ${principal.role} may not register cases`);
    const body = parseOrThrow(schema, req.body);
    if (!canRegister(principal, body.channel))
      throw problems.forbidden(`a ${principal.role} may not register a case through channel ${body.channel}`);
    const routing = await routingFor(deps, principal, body.court?.courtCode, body.channel);
    const key = idempotencyKeyOf(req);
    const caseId = key ? await caseIdForKey(deps, idempotencyScope(req), key) : randomUUID();
    // A retry of a cut intake reaches the same case (api/idempotency.ts markRetrySafe).
    if (key) markRetrySafe(req);
    const started = await startCase(deps, { caseId, body, routing, registeredBy: () => actorOf(principal) });
    const location = `/cases/${caseId}`;
    if (started.registered === 'timeout') {
      res.status(202).location(location).json({
        caseId,
        status: 'REGISTERED',
        recorded: false,
        detail: 'The case is registered; its record is being written.',
      });
      return;
    }
    res
      .status(201)
      .location(location)
      .json(await caseView(deps, caseId, principal, started.registered ?? undefined));
  };
}

/**
 * Starts the case's workflow (idempotently: the workflow id comes from the case id) and waits for the
 * intake to be recorded, or answers 'timeout' (the case is safe in Temporal; its record follows).
 */
export async function startCase(
  deps: CasesDeps,
  input: {
    caseId: string;
    body: IntakeBody;
    routing: CaseIntake['routing'];
    registeredBy: (parties: CaseIntake['parties']) => Actor;
  },
): Promise<{ intake: CaseIntake; registered: CaseSnapshot | null | 'timeout' }> {
  const intake = intakeOf(deps, input);
  const workflowId = caseWorkflowId(input.caseId);
  let handle: WorkflowHandle;
  try {
    handle = await deps.temporal.workflow.start(WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [
        {
          intake,
          ...(deps.maxHistoryEvents ? { maxHistoryEvents: deps.maxHistoryEvents } : {}),
        } satisfies MediationCaseInput,
      ],
      // The same intake retried while its case runs gets that case; one whose case has ended is answered below.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    handle = deps.temporal.workflow.getHandle(workflowId); // the same intake, retried after its case closed
  }
  // The case is safe in Temporal once started: past the wait the call is cancelled and the answer is 202.
  const registered = await orTimeout(
    boundedCall(
      deps,
      () => handle.executeUpdate(awaitRegistrationUpdate),
      deps.registrationWait ?? DEFAULT_RECORD_WAIT_MS,
    ),
  ).catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return null; // already closed: the record exists
    throw err;
  });
  return { intake, registered };
}

function intakeOf(deps: CasesDeps, input: Parameters<typeof startCase>[1]): CaseIntake {
  const { caseId, body } = input;
  const parties = flattenParties(body.parties, chinaDate(deps.now()));
  return {
    caseId,
    receivedAt: deps.now().toISOString(),
    channel: body.channel,
    disputeType: body.disputeType,
    summary: body.summary,
    claimantLearnedOfHarmOn: body.claimantLearnedOfHarmOn,
    ...(body.claimAmountFen !== undefined ? { claimAmountFen: body.claimAmountFen } : {}),
    parties,
    ...(body.court ? { court: body.court } : {}),
    ...(body.referral ? { referral: body.referral } : {}),
    ...(body.marketRegulatorComplaint ? { marketRegulatorComplaint: body.marketRegulatorComplaint } : {}),
    ...(body.priorProceedings ? { priorProceedings: body.priorProceedings } : {}),
    ...(body.oneSided ? { oneSided: true } : {}),
    ...(body.involves?.length ? { involves: body.involves } : {}),
    registeredBy: input.registeredBy(parties),
    routing: input.routing,
  };
}

/** Parties and, right after each, the guardians and agents acting for them, each with its own id. */
function flattenParties(parties: IntakeBody['parties'], today: string): CaseIntake['parties'] {
  return parties.flatMap(({ representatives, minorUnder14: _flag, ...p }) => {
    const partyId = randomUUID();
    const minor = isUnder14(p, today) || _flag === true;
    return [
      { ...p, partyId, ...(minor ? { minorUnder14: true } : {}) },
      ...(representatives ?? []).map(({ kind, ...r }) => ({
        ...r,
        partyId: randomUUID(),
        role: kind,
        kind: 'natural' as const,
        representsPartyId: partyId,
      })),
    ];
  });
}

/**
 * Which organization handles a new case and which court delegated it. A court registers as itself; a
 * clerk registering a court letter names the court by its code. A court that has switched off 委派
 * cannot delegate before filing (2025 SPC opinion on filing and mediation, §2).
 */
async function routingFor(
  deps: CasesDeps,
  principal: Principal,
  courtCode: string | undefined,
  channel: string,
): Promise<CaseIntake['routing']> {
  const intakeOrgId = principal.kind === 'staff' && principal.orgId ? principal.orgId : 'center';
  if (!courtCode) return { intakeOrgId };
  const court = await courtByCode(deps.db, courtCode);
  if (!court)
    throw problems.validation([
      { field: 'court.courtCode', message: `is not a court known to the center: ${courtCode}` },
    ]);
  if (principal.kind === 'institution' && court.institutionId !== principal.institutionId) {
    throw problems.validation([{ field: 'court.courtCode', message: 'must be your own court' }]);
  }
  if (channel === 'court_pre_filing' && !court.preFilingDelegation) {
    throw problems.rule(
      'pre_filing_delegation_disabled',
      `${court.name} does not delegate disputes before filing (委派); register the suit and commission mediation (委托)`,
      '最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》第二条',
    );
  }
  return { intakeOrgId, courtInstitutionId: court.institutionId };
}
