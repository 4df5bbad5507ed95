/** /cases: intake, the case view, and the acceptance review. Thin: parse, ask the workflow, answer. */
import { createHash, randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  ServiceError,
  isGrpcServiceError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { CASE_STATUSES, type Actor, type CaseIntake, type CaseStatus } from '../../domain/case.js';
import type { MaterialKind, Refusal } from '../../domain/case-rules.js';
import { getCaseAccess, getCaseRecord, readPersonalData, updateContact } from '../../db/cases.js';
import { readCaseState, readProcesses } from '../../db/workflow-state.js';
import { caseDeliveries } from '../../db/deliveries.js';
import { recordedAgreementDrafts } from '../../db/agreement-drafts.js';
import { possibleActions } from '../../domain/possible-actions.js';
import { CASE_PARTY_FIELD, PROCESS_PARTY_FIELD } from '../../domain/action-paths.js';
import { caseSnapshot } from '../../workflows/snapshot.js';
import { accessCodesIssuedAt, issueAccessCode, recordSecurityEvent } from '../../db/identity.js';
import {
  actorOf,
  canAct,
  canIssueAccessCode,
  canRegister,
  canRevealParty,
  canView,
  deadlineVisible,
  documentVisible,
  eventVisible,
  ownMaterialsOnly,
  screeningVisibility,
  type CaseAccess,
  type CaseAction as PolicyAction,
  type Principal,
  type ScreeningVisibility,
} from '../../domain/access-policy.js';
import { maskPhone } from '../../domain/masking.js';
import { uuidFrom, type SmsSender } from '../../infra/sms.js';
import type { DocumentStore } from '../../db/documents.js';
import type { FieldCipher } from '../../infra/crypto.js';
import {
  REFUSAL_FAILURE_TYPE,
  WORKFLOW_TYPE,
  awaitProcessReportUpdate,
  awaitRegistrationUpdate,
  caseActionUpdate,
  caseWorkflowId,
  processActionUpdate,
  processWorkflowId,
  snapshotQuery,
  type ProcessCommand,
  type CaseAction,
  type CaseSnapshot,
  type MediationCaseInput,
} from '../../workflows/messages.js';
import { DEADLINE_RULES, type DeadlineRuleId } from '../../domain/deadlines.js';
import { isProvisional } from '../../domain/recount.js';
import { compareCourtDate } from '../../domain/court-date.js';
import { clientIp, principalOf } from '../auth.js';
import { idempotencyKeyOf, idempotencyScope, idempotentUpdateId } from '../idempotency.js';
import { Problem, grpcCodeOf, isDependencyOutage, parseOrThrow, problems } from '../problem.js';
import { redactForReplay } from '../idempotency.js';
import { emptyBody } from './auth.js';
import { consumePhoneChallenge, sendPhoneChallenge } from '../phone-proof.js';
import { CASE_ACTION_ROUTES, contactBody, contactPhoneChallengeBody, MATERIAL_MEDIA_TYPES, PROCESS_ACTION_ROUTES, caseViewQuery, chinaDate, materialQuery, personalDataQuery, intakeSchema, isUnder14, judicialConfirmationBody, notarizationBody, type IntakeBody } from '../schemas.js';
import { CONFIRMATION_ROLES, NOTARIZATION_ROLES, type ConfirmationCommand, type NotarizationCommand, type SecuringKind } from '../../domain/securing.js';

export type CasesDeps = {
  db: Knex;
  temporal: Client;
  cipher: FieldCipher;
  sms: SmsSender;
  documents: DocumentStore;
  taskQueue: string;
  now: () => Date;
  /** How long POST /cases waits for the record before answering 202 (the case is safe in Temporal). */
  registrationWait?: number;
  /** Continue-as-new threshold handed to new cases (tests make it small to exercise it). */
  maxHistoryEvents?: number;
  /** How long an action waits for a worker to take it up before answering 503 (ACTION_WAIT_SECONDS). */
  actionWait?: number;
  /** How long a code sent to a party's new phone stays valid. */
  oneTimeCodeMs?: number;
};

const DEFAULT_ONE_TIME_CODE_MS = 5 * 60_000;

/** An action no worker takes up within this answers 503 with Retry-After. */
const DEFAULT_ACTION_WAIT_MS = 10_000;
/** A read asks the running process for its state for at most this long; the record answers otherwise. */
const LIVE_WAIT_MS = 1_000;

/** gRPC status NOT_FOUND. */
const GRPC_NOT_FOUND = 5;
const GRPC_UNAVAILABLE = 14;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A stable UUID from an idempotency key: a retried intake targets the same case and workflow. */
function caseIdFromKey(scope: string, key: string): string {
  const h = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function casesRouter(deps: CasesDeps): Router {
  const router = Router();
  const schema = intakeSchema(deps.now);

  /**
   * The case as this principal may see it: screening, legal aid and their events by `screeningVisibility`.
   * Answered from the record (the state stored with the last recorded event) unless an action just returned
   * the workflow's own snapshot; the workflow is asked only when the record has no current state, or the
   * caller asks for it (`?live=true`), and then for at most LIVE_WAIT_MS. `view` says which it shows.
   */
  const view = async (caseId: string, principal: Principal, snapshot?: CaseSnapshot, opts: { live?: boolean; access?: CaseAccess } = {}) => {
    // A read passes the access it was checked with; after an action it is read again (an assignment moves it).
    const [record, access, recorded, processes] = await Promise.all([getCaseRecord(deps.db, deps.cipher, caseId), opts.access ?? getCaseAccess(deps.db, caseId), readCaseState(deps.db, caseId), readProcesses(deps.db, caseId)]);
    if (!record || !access) return undefined;
    let live: CaseSnapshot | undefined = snapshot;
    let liveUnavailable: string | undefined;
    const current = recorded?.current === true;
    if (!live && (opts.live || !current)) {
      try {
        live = await deps.temporal.withDeadline(Date.now() + LIVE_WAIT_MS, () => deps.temporal.workflow.getHandle(caseWorkflowId(caseId)).query(snapshotQuery));
      } catch (err) {
        // Gone (retention, rebuilt elsewhere), or no worker or no Temporal to answer: the record answers.
        if (!(err instanceof WorkflowNotFoundError) && !isGrpcServiceError(err) && !isDependencyOutage(err) && !(err instanceof ServiceError)) throw err;
        liveUnavailable = err instanceof WorkflowNotFoundError ? 'the case\'s process has ended' : `the case's process did not answer within ${LIVE_WAIT_MS} ms`;
      }
    }
    const source = live ? 'workflow' : recorded ? 'record' : 'events';
    if (!live && recorded) live = caseSnapshot(recorded.state, true);
    const status = live?.status ?? (record.status as CaseStatus);
    const lastEvent = record.events.at(-1);
    const freshness = {
      source,
      // The state shown is as of this event; a workflow's answer is as of now.
      lastSeq: live?.lastSeq ?? record.lastSeq,
      asOf: source === 'workflow' ? new Date().toISOString() : (record.events.find((e) => e.seq === live?.lastSeq)?.at ?? lastEvent?.at ?? null),
      ...(liveUnavailable ? { liveUnavailable } : {}),
    };
    const { events, parties, ...rest } = record;
    const legalAidPartyId = live?.screening.legalAid.partyId ?? legalAidPartyOf(events);
    const visible = screeningVisibility(principal, access, legalAidPartyId);
    // Who may issue an access code learns when each party's current one was issued (签发 or 重新签发); nobody else.
    const mayIssue = new Set(parties.filter((p) => canIssueAccessCode(principal, access, p.partyId)).map((p) => p.partyId));
    const issuedAt = await accessCodesIssuedAt(deps.db, [...mayIssue]);
    return {
      ...rest,
      // Whether this principal may read each party in full (GET …/personal-data), or issue them an access code
      // (POST …/access-code), by the policy those routes apply: the console offers 查看完整信息 and 签发访问码
      // from these and never restates the rule.
      parties: parties.map((p) => ({
        ...p,
        mayRevealPersonalData: canRevealParty(principal, access, p.partyId),
        mayIssueAccessCode: mayIssue.has(p.partyId),
        ...(mayIssue.has(p.partyId) ? { accessCodeIssuedAt: issuedAt.get(p.partyId) ?? null } : {}),
      })),
      status,
      statusLabel: CASE_STATUSES[status],
      // Closed when its state says so: the process ends with it (Temporal keeps the rest).
      workflow: { workflowId: caseWorkflowId(caseId), status: live ? (live.closedAt ? 'COMPLETED' : 'RUNNING') : null },
      view: freshness,
      // What this principal can do now, and why not, by the same policy and rules the actions meet; from the
      // recorded state, so only when the record is current (an action's answer comes once it is recorded).
      ...(recorded?.current ? { actions: possibleActions({ state: recorded.state, processes, principal, access, now: deps.now() }) } : {}),
      ...(live
        ? {
            assignment: {
              mediatorId: live.assignment.mediatorId ?? null,
              orgId: live.assignment.orgId ?? null,
              mode: live.assignment.mode ?? null,
              // A request for recusal awaiting the organization's (or the court's) decision.
              recusal: live.assignment.recusal ? { partyId: live.assignment.recusal.partyId, ground: live.assignment.recusal.ground, requestedAt: live.assignment.recusal.requestedAt } : null,
              choices: live.assignment.choices ?? {},
            },
            screening: screeningFor(visible, live.screening),
            agreement: live.agreement,
            termination: live.termination,
            // The facts for a court's failure report, and whether the report waits for them (在线调解规则 Art 21).
            caseFacts: live.caseFacts ?? null,
            failureReportPending: live.failureReportPending ?? null,
            securing: live.securing
              ? {
                  ...live.securing,
                  // The fee reduction: for those who see legal aid in full, and the notary who charges the fee.
                  processes: live.securing.processes.map(({ feeReduction, ...p }) => ({
                    ...p,
                    ...(feeReduction !== undefined && (visible.legalAid === 'full' || (principal.kind === 'institution' && principal.institutionId === p.institutionId)) ? { feeReduction } : {}),
                  })),
                }
              : null,
            performance: live.performance,
            notAccepted: live.notAccepted,
            deadlines: live.deadlines
              .filter((d) => deadlineVisible(visible, d.ruleId))
              // provisional: counted without that year's holiday notice (recounted when it is loaded).
              .map((d) => ({ ...d, label: DEADLINE_RULES[d.ruleId].label, citation: DEADLINE_RULES[d.ruleId].citation, provisional: isProvisional(d) })),
          }
        : {}),
      events: events.filter((e) => eventVisible(visible, e)),
    };
  };

  /**
   * The case the URL names, if this principal may see it; otherwise 404, whether or not it exists. With an
   * action, a visible case whose role may not take it is a 403. Refusals are recorded.
   */
  const loadCase = async (req: Request, action?: PolicyAction): Promise<{ caseId: string; access: CaseAccess; principal: Principal }> => {
    const principal = principalOf(req);
    const id = String(req.params.caseId);
    const access = UUID.test(id) ? await getCaseAccess(deps.db, id) : undefined;
    const deny = async (why: string) =>
      recordSecurityEvent(deps.db, { kind: 'authorization_denied', principal: principal.id, role: principal.role, caseId: access ? id : null, ip: clientIp(req), detail: { why, path: req.path, method: req.method } });
    if (!access || !canView(principal, access)) {
      if (access) await deny('not_visible');
      throw problems.notFound('The case');
    }
    if (action && !canAct(principal, action, access)) {
      await deny(`role_may_not_${action}`);
      throw problems.forbidden(`a ${principal.role} may not ${action} this case`);
    }
    return { caseId: id, access, principal };
  };

  router.post('/', async (req, res) => {
    const principal = principalOf(req);
    if (principal.role !== 'clerk' && principal.role !== 'court') throw problems.forbidden(`a ${principal.role} may not register cases`);
    const body = parseOrThrow(schema, req.body);
    if (!canRegister(principal, body.channel)) throw problems.forbidden(`a ${principal.role} may not register a case through channel ${body.channel}`);
    const routing = await routingFor(deps.db, principal, body.court?.courtCode, body.channel);
    const key = idempotencyKeyOf(req);
    const caseId = key ? caseIdFromKey(idempotencyScope(req), key) : randomUUID();
    const started = await startCase(deps, { caseId, body, routing, registeredBy: () => actorOf(principal) });
    const location = `/cases/${caseId}`;
    if (started.registered === 'timeout') {
      res.status(202).location(location).json({ caseId, status: 'REGISTERED', recorded: false, detail: 'The case is registered; its record is being written.' });
      return;
    }
    res.status(201).location(location).json(await view(caseId, principal, started.registered ?? undefined));
  });

  router.get('/:caseId', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req);
    const { live } = parseOrThrow(caseViewQuery, req.query);
    const body = await view(caseId, principal, undefined, { live: live === 'true', access });
    if (!body) throw problems.notFound('The case');
    res.json(body);
  });

  /** Asks the case to do something and answers with the case as this principal sees it. */
  const askCase = async (req: Request, caseId: string, principal: Principal, action: CaseAction) => {
    const updateId = idempotentUpdateId(req);
    // The same update id on a retry: Temporal answers with the first outcome, even once that update closed the case.
    const snapshot = await runUpdate(deps, caseId, () =>
      deps.temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(caseActionUpdate, { args: [action], ...(updateId ? { updateId } : {}) }),
    );
    return view(caseId, principal, snapshot);
  };

  /** Both parties apply to the court of the venue (民事诉讼法 Art 205); a delegated case goes back to its court. */
  router.post('/:caseId/judicial-confirmation', async (req, res) => {
    const { caseId, principal } = await loadCase(req, 'apply_judicial_confirmation');
    const body = parseOrThrow(judicialConfirmationBody, req.body ?? {});
    const row = await deps.db('cases').where({ case_id: caseId }).first('court_institution_id');
    const court =
      body.venueGround === 'delegating_court'
        ? row?.court_institution_id
          ? await deps.db('institutions').where({ institution_id: row.court_institution_id }).first('institution_id', 'name')
          : undefined
        : await deps.db('institutions').where({ kind: 'court', code: body.courtCode!, level: 'basic' }).first('institution_id', 'name');
    if (!court) {
      throw problems.validation([{ field: body.venueGround === 'delegating_court' ? 'venueGround' : 'courtCode', message: body.venueGround === 'delegating_court' ? 'this case was not delegated by a court' : `is not a basic court known to the center: ${body.courtCode}` }]);
    }
    const action = { type: 'apply_judicial_confirmation', actor: actorOf(principal), court: { institutionId: court.institution_id, name: court.name }, venueGround: body.venueGround } as CaseAction;
    res.json(await askCase(req, caseId, principal, action));
  });

  /** Notarization with enforcement effect, at a notary office the center knows. */
  router.post('/:caseId/notarization', async (req, res) => {
    const { caseId, principal } = await loadCase(req, 'request_notarization');
    const body = parseOrThrow(notarizationBody, req.body ?? {});
    const notary = await deps.db('institutions').where({ kind: 'notary_office', institution_id: body.notaryId }).first('institution_id', 'name');
    if (!notary) throw problems.validation([{ field: 'notaryId', message: `is not a notary office known to the center: ${body.notaryId}` }]);
    const { notaryId: _n, ...rest } = body;
    const action = { type: 'request_notarization', actor: actorOf(principal), notary: { institutionId: notary.institution_id, name: notary.name }, ...rest } as CaseAction;
    res.json(await askCase(req, caseId, principal, action));
  });

  // Actions on a securing process: the court or notary it was sent to, the parties, the clerk.
  for (const [path, spec] of Object.entries(PROCESS_ACTION_ROUTES)) {
    router.post(`/:caseId/${path}`, async (req, res) => {
      const { caseId, access, principal } = await loadCase(req);
      const roles: readonly string[] = spec.process === 'judicial_confirmation' ? CONFIRMATION_ROLES[spec.type as ConfirmationCommand['type']] : NOTARIZATION_ROLES[spec.type as NotarizationCommand['type']];
      const deny = async (why: string) => {
        await recordSecurityEvent(deps.db, { kind: 'authorization_denied', principal: principal.id, role: principal.role, caseId, ip: clientIp(req), detail: { why, path: req.path, method: req.method } });
        return problems.forbidden(why === 'role' ? `a ${principal.role} may not do this` : 'this application was sent to another court or notary office');
      };
      if (!roles.includes(principal.role)) throw await deny('role');
      const body = parseOrThrow(spec.body as z.ZodType, req.body ?? {}) as Record<string, unknown>;
      if (spec.type in PROCESS_PARTY_FIELD) {
        body.partyId ??= principal.kind === 'party' ? (access.represents[principal.id] ?? principal.id) : undefined;
        if (body.partyId === undefined) throw problems.validation([{ field: 'partyId', message: 'is required: which party?' }]);
      }
      const parent = deps.temporal.workflow.getHandle(caseWorkflowId(caseId));
      const current = await currentProcess(caseId, spec.process);
      if (!current) throw problems.conflict('no-process', spec.process === 'judicial_confirmation' ? 'there is no application for judicial confirmation on this case' : 'there is no notarization on this case');
      if (principal.kind === 'institution' && principal.institutionId !== current.institutionId) throw await deny('institution');
      const updateId = idempotentUpdateId(req);
      const processHandle = deps.temporal.workflow.getHandle(processWorkflowId(caseId, spec.process, current.n));
      // The retry of the action that concluded the process (a ruling whose answer was lost) gets its answer.
      const earlier =
        current.final && updateId
          ? await boundedCall(deps, () => processHandle.getUpdateHandle<Awaited<ReturnType<typeof runProcessUpdate>>>(updateId).result())
              .catch((err: unknown) => {
                // No such update: this key never reached the process. Anything else (an outage) is the answer.
                if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND)) return undefined;
                throw err;
              })
          : undefined;
      if (current.final && !earlier) throw problems.conflict('process-concluded', `this ${spec.process === 'judicial_confirmation' ? 'application' : 'notarization'} has concluded (${current.status}); start a new one if the law allows`);
      const action = { type: spec.type, actor: actorOf(principal), ...body } as ProcessCommand;
      const runProcessUpdate = () => processHandle.executeUpdate(processActionUpdate, { args: [action], ...(updateId ? { updateId } : {}) });
      const result = earlier ?? (await runUpdate(deps, caseId, runProcessUpdate));
      // Answer once the case has recorded what the process reported; if that takes too long, say so (202).
      const recorded = await runUpdate(deps, caseId, () => parent.executeUpdate(awaitProcessReportUpdate, { args: [{ kind: spec.process, n: current.n, reportSeq: result.reportSeq }] }), deps.registrationWait ?? 15_000).catch(
        (err: unknown) => {
          if (err instanceof Problem && err.code === 'action-not-taken-up') return 'timeout' as const;
          throw err;
        },
      );
      if (recorded === 'timeout') {
        res.status(202).json({ caseId, process: { kind: spec.process, n: current.n, status: result.state.status }, recorded: false, detail: 'The action was taken; the case record is being updated.' });
        return;
      }
      res.json(await view(caseId, principal, recorded));
    });
  }

  /** The latest process of a kind, from the case's workflow (or its record once closed). */
  /** The latest process of a kind, from the record (or, while the record catches up, the case's workflow). */
  const currentProcess = async (caseId: string, kind: SecuringKind) => {
    const recorded = await readCaseState(deps.db, caseId);
    let securing = recorded?.current ? recorded.state.securing : undefined;
    if (!securing || recorded?.state.closedAt) {
      try {
        securing = (await boundedCall(deps, () => deps.temporal.workflow.getHandle(caseWorkflowId(caseId)).query(snapshotQuery))).securing ?? undefined;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || recorded?.state.closedAt) throw problems.conflict('case-closed', 'the case is closed; no further action is possible');
        throw err;
      }
    }
    return securing?.processes.filter((p) => p.kind === kind).at(-1);
  };

  // Every action on a case: parse, check the policy, ask the workflow (which checks the rules).
  for (const [path, spec] of Object.entries(CASE_ACTION_ROUTES)) {
    router.post(`/:caseId/${path}`, async (req, res) => {
      const { caseId, access, principal } = await loadCase(req, spec.type);
      const body = parseOrThrow(spec.body as z.ZodType, req.body ?? {}) as Record<string, unknown>;
      // A party who leaves out partyId (or signer) means themselves; a guardian or agent, the party they act for.
      const mine = principal.kind === 'party' ? (access.represents[principal.id] ?? principal.id) : undefined;
      // Actions taken for a party, by the party or by staff recording it: the field that names the party.
      const who = (CASE_PARTY_FIELD as Partial<Record<string, 'partyId' | 'signer'>>)[spec.type];
      if (who) {
        body[who] ??= mine;
        if (body[who] === undefined) throw problems.validation([{ field: who, message: 'is required: which party?' }]);
      }
      const action = { type: spec.type, actor: actorOf(principal), ...body } as unknown as CaseAction;
      res.json(await askCase(req, caseId, principal, action));
    });
  }

  /** How much of legal aid this principal sees on the case: decides which documents they may read. */
  const documentVisibility = async (caseId: string, access: CaseAccess, principal: Principal) => {
    const applied = await deps.db('case_events').where({ case_id: caseId, type: 'LegalAidApplied' }).orderBy('seq', 'desc').first('payload');
    return screeningVisibility(principal, access, (applied?.payload as { partyId?: string } | undefined)?.partyId);
  };

  /** Every deadline of the case: due time, the rule and its citation, and how it was computed. */
  router.get('/:caseId/deadlines', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req);
    const rows = await deps.db('case_deadlines').where({ case_id: caseId }).orderBy('started_at');
    const applied = await deps.db('case_events').where({ case_id: caseId, type: 'LegalAidApplied' }).orderBy('seq', 'desc').first('payload');
    const visible = screeningVisibility(principal, access, (applied?.payload as { partyId?: string } | undefined)?.partyId);
    // The court's own date from its letter, set against the statutory period (特邀调解规定 Art 27).
    const courtDate = compareCourtDate(Object.fromEntries(rows.filter((r) => r.status !== 'cancelled').map((r) => [r.rule_id, { lastDay: r.last_day ?? '', status: r.status }])));
    res.json({
      deadlines: rows.filter((r) => deadlineVisible(visible, r.rule_id)).map((r) => {
        const rule = DEADLINE_RULES[r.rule_id as DeadlineRuleId];
        return {
          ruleId: r.rule_id,
          label: rule.label,
          status: r.status,
          startedAt: r.started_at.toISOString(),
          dueAt: r.due_at ? r.due_at.toISOString() : null,
          lastDay: r.last_day,
          reminderAt: r.reminder_at ? r.reminder_at.toISOString() : null,
          rule: { length: rule.length, unit: rule.unit, startsAt: rule.startsAt, pauses: rule.pauses, extension: rule.extension, onExpiry: rule.onExpiry, citation: rule.citation },
          calendarVersion: r.calendar_version,
          // Counted without that year's State Council notice: recounted when it is loaded.
          provisional: isProvisional({ calendarVersion: r.calendar_version ?? '' }),
          explanation: r.explanation,
          ...(r.rule_id === 'court_letter_deadline' && courtDate ? { comparedWithStatutory: courtDate } : {}),
        };
      }),
    });
  });

  /** The case's documents (every version), for those who may download them. */
  router.get('/:caseId/documents', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req, 'downloadDocument');
    const visible = await documentVisibility(caseId, access, principal);
    const docs = (await deps.documents.list(caseId)).filter((d) => documentVisible(visible, d.kind));
    res.json({ documents: docs.map((d) => ({ ...d, download: `/cases/${caseId}/documents/${d.documentId}` })) });
  });

  /** The agreement's recorded versions with their content, for those who may read the agreement itself. */
  router.get('/:caseId/agreement/drafts', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req, 'downloadDocument');
    if (!documentVisible(await documentVisibility(caseId, access, principal), 'agreement')) throw problems.notFound('The agreement');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ drafts: await recordedAgreementDrafts(deps.db, caseId) });
  });

  router.get('/:caseId/documents/:documentId', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req, 'downloadDocument');
    const id = String(req.params.documentId);
    const doc = UUID.test(id) ? await deps.documents.get(id) : undefined;
    if (!doc || doc.meta.caseId !== caseId) throw problems.notFound('The document');
    // A document this principal may not read is as absent as a foreign one (no hint that it exists).
    if (!documentVisible(await documentVisibility(caseId, access, principal), doc.meta.kind)) {
      await recordSecurityEvent(deps.db, { kind: 'authorization_denied', principal: principal.id, role: principal.role, caseId, ip: clientIp(req), detail: { why: 'document_not_visible', path: req.path, method: req.method } });
      throw problems.notFound('The document');
    }
    await deps.db('document_downloads').insert({ document_id: id, principal: principal.id, role: principal.role });
    const caseNumber = (await deps.db('cases').where({ case_id: caseId }).first('case_number'))?.case_number ?? '';
    const fileName = `${doc.meta.title}${caseNumber}-第${doc.meta.docVersion}版.pdf`;
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', attachment(`${doc.meta.kind}-v${doc.meta.docVersion}.pdf`, fileName));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('ETag', `"${doc.meta.sha256}"`);
    res.setHeader('X-Document-SHA256', doc.meta.sha256);
    res.send(doc.bytes);
  });

  /**
   * 送达地址确认 (人民法院在线调解规则 Art 17), step 1: a party about to change the phone on record proves the new
   * one with a code sent to it. Only someone who may confirm that party's address may ask.
   */
  router.post('/:caseId/parties/contact/phone-challenge', async (req, res) => {
    await loadCase(req, 'confirm_service_address');
    const { phone } = parseOrThrow(contactPhoneChallengeBody, req.body ?? {});
    const sent = await sendPhoneChallenge({ ...deps, oneTimeCodeMs: deps.oneTimeCodeMs ?? DEFAULT_ONE_TIME_CODE_MS }, phone, clientIp(req), 'contact_phone', (code, minutes) => `【揭阳市一站式非诉讼纠纷化解中心】您正在更改案件的联系电话，验证码为${code}，${minutes}分钟内有效。如非本人操作，请忽略。`);
    res.status(201).json(sent);
  });

  /**
   * 送达地址确认: a party (or a clerk with the party's signed form) sets where documents and texts reach them. The
   * case's chain records the confirmation and what changed (never the values: they are sealed in the record);
   * a new phone counts only with the code sent to it. Refused by the case (closed), nothing changes.
   */
  router.post('/:caseId/parties/contact', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req, 'confirm_service_address');
    const body = parseOrThrow(contactBody, req.body ?? {});
    const partyId = body.partyId ?? (principal.kind === 'party' ? (access.represents[principal.id] ?? principal.id) : undefined);
    if (partyId === undefined) throw problems.validation([{ field: 'partyId', message: 'is required: which party?' }]);
    if (body.phone !== undefined) {
      const refused = await consumePhoneChallenge(deps.db, deps.cipher, { challengeId: body.challengeId!, code: body.code!, phone: body.phone });
      if (refused) {
        await recordSecurityEvent(deps.db, { kind: 'otp_refused', subject: partyId, ip: clientIp(req), caseId, detail: { reason: refused, what: 'contact_phone' } });
        throw problems.validation([{ field: 'code', message: 'is not the code sent to this phone, or it expired: ask for a new one' }]);
      }
    }
    const changed = [...(body.address !== undefined ? ['address' as const] : []), ...(body.phone !== undefined ? ['phone' as const] : [])];
    const snapshot = await askCase(req, caseId, principal, { type: 'confirm_service_address', actor: actorOf(principal), partyId, changed });
    const contact = await updateContact(deps.db, deps.cipher, { caseId, partyId, address: body.address, phone: body.phone });
    res.json({ ...contact, changed, status: snapshot?.status });
  });

  /**
   * A file for the case, the body as it is (PDF, JPEG or PNG): the delegating court's 委派/委托 file, or what
   * a party handed in at the desk. Kept once per case and content; the case's chain records it by hash.
   */
  router.post('/:caseId/materials', async (req, res) => {
    const { caseId, principal } = await loadCase(req, 'record_material');
    const { kind, title } = parseOrThrow(materialQuery, req.query);
    const mediaType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const accepted = MATERIAL_MEDIA_TYPES[mediaType];
    if (!accepted) throw problems.unsupportedMediaType(`send the file itself as ${Object.keys(MATERIAL_MEDIA_TYPES).join(', ')} (Content-Type), with kind and title in the query`);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw problems.validation([{ field: '(body)', message: 'is empty: send the file' }]);
    if (!accepted.magic.every((b, i) => bytes[i] === b)) throw problems.validation([{ field: '(body)', message: `is not ${accepted.label}, as its Content-Type says` }]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The id comes from the case and the content: an upload retried after any failure names the same material.
    const inserted = await deps.db('case_materials')
      .insert({ material_id: uuidFrom(`${caseId}/material/${sha256}`), case_id: caseId, kind, title_enc: deps.cipher.encrypt(title), media_type: mediaType, sha256, size_bytes: bytes.length, bytes, uploaded_by: principal.id, uploaded_role: principal.role })
      .onConflict(['case_id', 'sha256'])
      .ignore()
      .returning('material_id');
    const row = await deps.db('case_materials').where({ case_id: caseId, sha256 }).first('material_id', 'kind', 'media_type', 'size_bytes', 'title_enc');
    const material = { materialId: row!.material_id as string, kind: row!.kind as MaterialKind, sha256, sizeBytes: row!.size_bytes as number, mediaType: row!.media_type as string };
    let snapshot;
    try {
      snapshot = await askCase(req, caseId, principal, { type: 'record_material', actor: actorOf(principal), material });
    } catch (err) {
      // Refused by the case (closed, say): nothing is kept that the chain does not record. Any other failure
      // (an outage, a timeout) may come after the case recorded it, so the file stays for the retry.
      const refused = err instanceof Problem && [403, 409, 422].includes(err.status);
      if (refused && inserted.length > 0) {
        const recorded = await deps.db('case_events').where({ case_id: caseId, type: 'MaterialReceived' }).whereRaw("payload->>'materialId' = ?", [material.materialId]).first('seq');
        if (!recorded) await deps.db('case_materials').where({ material_id: material.materialId }).delete();
      }
      throw err;
    }
    // A replay of this answer (same Idempotency-Key) leaves out the title, which may name a person.
    redactForReplay(res, (b) => ({ ...(b as { material: object }), material: { ...(b as { material: object }).material, title: undefined } }));
    res.status(inserted.length > 0 ? 201 : 200).location(`/cases/${caseId}/materials/${material.materialId}`);
    res.json({ material: { ...material, title: deps.cipher.decrypt(row!.title_enc as string), download: `/cases/${caseId}/materials/${material.materialId}` }, status: snapshot?.status });
  });

  router.get('/:caseId/materials', async (req, res) => {
    const { caseId, principal } = await loadCase(req, 'readMaterials');
    const uploader = ownMaterialsOnly(principal);
    const rows = await deps.db('case_materials').where({ case_id: caseId, ...(uploader ? { uploaded_by: uploader } : {}) }).orderBy('uploaded_at').select('material_id', 'kind', 'title_enc', 'media_type', 'sha256', 'size_bytes', 'uploaded_role', 'uploaded_at');
    res.json({
      materials: rows.map((r) => ({
        materialId: r.material_id,
        kind: r.kind,
        title: deps.cipher.decrypt(r.title_enc),
        mediaType: r.media_type,
        sha256: r.sha256,
        sizeBytes: r.size_bytes,
        uploadedBy: r.uploaded_role,
        uploadedAt: (r.uploaded_at as Date).toISOString(),
        download: `/cases/${caseId}/materials/${r.material_id}`,
      })),
    });
  });

  /**
   * Every text (SMS) and court or notary notification of the case, each with its delivery attempts: for
   * staff to see what reached whom and what did not. Phones masked; never a text's body (it may hold a code).
   */
  router.get('/:caseId/deliveries', async (req, res) => {
    const { caseId } = await loadCase(req, 'readDeliveries');
    res.json({ deliveries: await caseDeliveries(deps.db, deps.cipher, caseId) });
  });

  router.get('/:caseId/materials/:materialId', async (req, res) => {
    const { caseId, principal } = await loadCase(req, 'readMaterials');
    const id = String(req.params.materialId);
    const uploader = ownMaterialsOnly(principal);
    const row = UUID.test(id) ? await deps.db('case_materials').where({ case_id: caseId, material_id: id, ...(uploader ? { uploaded_by: uploader } : {}) }).first() : undefined;
    if (!row) throw problems.notFound('The material');
    if (createHash('sha256').update(row.bytes as Buffer).digest('hex') !== row.sha256) throw new Error(`material ${id}: stored bytes do not match their SHA-256`);
    await deps.db('material_downloads').insert({ material_id: id, principal: principal.id, role: principal.role });
    const ext = row.media_type === 'application/pdf' ? 'pdf' : row.media_type === 'image/png' ? 'png' : 'jpg';
    res.setHeader('Content-Type', row.media_type as string);
    res.setHeader('Content-Disposition', attachment(`${row.kind}.${ext}`, `${deps.cipher.decrypt(row.title_enc as string)}.${ext}`));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('ETag', `"${row.sha256}"`);
    res.send(row.bytes);
  });

  /**
   * Full personal data of one party, for the roles that need it, with the reason for reading it; every field
   * read is recorded with that reason (个人信息保护法 Art 6: a clear purpose; Art 51: set permissions). The
   * reason is asked only of someone who may read the data: anyone else learns nothing more than 403 or 404.
   */
  router.get('/:caseId/parties/:partyId/personal-data', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req);
    const partyId = String(req.params.partyId);
    if (!access.partyIds.includes(partyId)) throw problems.notFound('The party');
    if (!canRevealParty(principal, access, partyId)) {
      await recordSecurityEvent(deps.db, { kind: 'authorization_denied', principal: principal.id, role: principal.role, caseId, ip: clientIp(req), detail: { why: 'may_not_read_personal_data', partyId } });
      throw problems.forbidden(`a ${principal.role} may not read this party's full personal data`);
    }
    const { reason } = parseOrThrow(personalDataQuery, req.query);
    const data = await readPersonalData(deps.db, deps.cipher, { caseId, partyId, reader: actorOf(principal), reason });
    res.setHeader('Cache-Control', 'no-store');
    res.json(data);
  });

  /**
   * A new access code for a party (printed on the intake receipt and sent by SMS when a phone is on
   * record); the party's previous code stops working (one code per party: db/identity.ts issueAccessCode).
   * Shown once: a replay of the same request returns the answer without the code.
   */
  router.post('/:caseId/parties/:partyId/access-code', async (req, res) => {
    const { caseId, access, principal } = await loadCase(req, 'issueAccessCode');
    parseOrThrow(emptyBody, req.body ?? {});
    const partyId = String(req.params.partyId);
    if (!access.partyIds.includes(partyId)) throw problems.notFound('The party');
    // The check the case view's `mayIssueAccessCode` comes from: the two cannot disagree.
    if (!canIssueAccessCode(principal, access, partyId)) throw problems.forbidden(`a ${principal.role} may not issue this party an access code`);
    const code = await issueAccessCode(deps.db, partyId, principal.id);
    const party = await deps.db('case_parties').where({ party_id: partyId }).first('phone_enc');
    const caseRow = await deps.db('cases').where({ case_id: caseId }).first('case_number');
    let sentTo: string | null = null;
    if (party?.phone_enc) {
      const phone = deps.cipher.decrypt(party.phone_enc);
      await deps.sms.send({
        to: phone,
        body: `【揭阳市一站式非诉讼纠纷化解中心】您的案件${caseRow?.case_number ?? ''}已登记。查询码：${code}。请妥善保管，勿告诉他人。`,
        purpose: 'access_code',
        caseId,
        partyId,
      });
      sentTo = maskPhone(phone);
    }
    await recordSecurityEvent(deps.db, { kind: 'access_code_issued', principal: principal.id, role: principal.role, caseId, subject: partyId, ip: clientIp(req) });
    redactForReplay(res, (body) => ({ ...(body as object), accessCode: null, detail: 'The access code was shown once; issue a new one if it was lost.' }));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ partyId, accessCode: code, sentTo });
  });

  return router;
}

/**
 * Starts the case's workflow (idempotently: the workflow id comes from the case id) and waits for the
 * intake to be recorded, or answers 'timeout' (the case is safe in Temporal; its record follows).
 */
export async function startCase(
  deps: CasesDeps,
  input: { caseId: string; body: IntakeBody; routing: CaseIntake['routing']; registeredBy: (parties: CaseIntake['parties']) => Actor },
): Promise<{ intake: CaseIntake; registered: CaseSnapshot | null | 'timeout' }> {
  const { caseId, body } = input;
  const parties = flattenParties(body.parties, chinaDate(deps.now()));
  const intake: CaseIntake = {
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
  const workflowId = caseWorkflowId(caseId);
  let handle: WorkflowHandle;
  try {
    handle = await deps.temporal.workflow.start(WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ intake, ...(deps.maxHistoryEvents ? { maxHistoryEvents: deps.maxHistoryEvents } : {}) } satisfies MediationCaseInput],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    handle = deps.temporal.workflow.getHandle(workflowId); // the same intake, retried
  }
  // The case is safe in Temporal once started: past the wait the call is cancelled and the answer is 202.
  const registered = await boundedCall(deps, () => handle.executeUpdate(awaitRegistrationUpdate), deps.registrationWait ?? 15_000).catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return null; // already closed: the record exists
    if (err instanceof Problem && err.code === 'action-not-taken-up') return 'timeout' as const;
    throw err;
  });
  return { intake, registered };
}

/** Parties and, right after each, the guardians and agents acting for them, each with its own id. */
function flattenParties(parties: IntakeBody['parties'], today: string): CaseIntake['parties'] {
  return parties.flatMap(({ representatives, minorUnder14: _flag, ...p }) => {
    const partyId = randomUUID();
    const minor = isUnder14(p, today) || _flag === true;
    return [
      { ...p, partyId, ...(minor ? { minorUnder14: true } : {}) },
      ...(representatives ?? []).map(({ kind, ...r }) => ({ ...r, partyId: randomUUID(), role: kind, kind: 'natural' as const, representsPartyId: partyId })),
    ];
  });
}

/**
 * Which organization handles a new case and which court delegated it. A court registers as itself; a
 * clerk registering a court letter names the court by its code. A court that has switched off 委派
 * cannot delegate before filing (2025 SPC opinion on filing and mediation, §2).
 */
async function routingFor(db: Knex, principal: Principal, courtCode: string | undefined, channel: string): Promise<CaseIntake['routing']> {
  const intakeOrgId = principal.kind === 'staff' && principal.orgId ? principal.orgId : 'center';
  if (!courtCode) return { intakeOrgId };
  const court = await db('institutions').where({ kind: 'court', code: courtCode }).first();
  if (!court) throw problems.validation([{ field: 'court.courtCode', message: `is not a court known to the center: ${courtCode}` }]);
  if (principal.kind === 'institution' && court.institution_id !== principal.institutionId) {
    throw problems.validation([{ field: 'court.courtCode', message: 'must be your own court' }]);
  }
  if (channel === 'court_pre_filing' && !court.pre_filing_delegation) {
    throw problems.rule('pre_filing_delegation_disabled', `${court.name} does not delegate disputes before filing (委派); register the suit and commission mediation (委托)`, '最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》第二条');
  }
  return { intakeOrgId, courtInstitutionId: court.institution_id };
}

/** The party the latest legal-aid application is for, from the record (when the workflow has closed). */
function legalAidPartyOf(events: { type: string; payload: unknown }[]): string | undefined {
  const applied = events.filter((e) => e.type === 'LegalAidApplied').at(-1);
  return (applied?.payload as { partyId?: string } | undefined)?.partyId;
}

function screeningFor(v: ScreeningVisibility, s: CaseSnapshot['screening']) {
  const { legalAid, priorityGroups, ...rest } = s;
  return {
    ...rest,
    ...(v.priorityGroups ? { priorityGroups } : {}),
    ...(v.legalAid === 'full' ? { legalAid } : v.legalAid === 'status' ? { legalAid: { status: legalAid.status, staffAssigned: legalAid.staffAssigned ?? false } } : {}),
  };
}

/** Runs an update and turns the workflow's refusals into 403 / 409 / 422 problems. */
/**
 * A call on the case's process that must end in bounded time: with no worker to take it up, Temporal holds
 * an update (or a query) until the caller gives up. Past `actionWait` the call is cancelled and the person
 * told to retry (an update id from the Idempotency-Key keeps a late or retried action to one effect).
 */
async function boundedCall<T>(deps: CasesDeps, call: () => Promise<T>, wait = deps.actionWait ?? DEFAULT_ACTION_WAIT_MS): Promise<T> {
  try {
    return await deps.temporal.withDeadline(Date.now() + wait, call);
  } catch (err) {
    // Our own deadline passed, or Temporal says no worker polls: nobody took it up. Temporal itself down
    // (UNAVAILABLE) is an outage like any other (503 from the error handler).
    if (err instanceof Problem || !isDependencyOutage(err) || grpcCodeOf(err) === GRPC_UNAVAILABLE) throw err;
    throw problems.notTakenUp(wait);
  }
}

async function runUpdate<T>(deps: CasesDeps, caseId: string, run: () => Promise<T>, wait?: number): Promise<T> {
  try {
    return await boundedCall(deps, run, wait);
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
    if (err instanceof WorkflowUpdateFailedError) {
      // Not a refusal: something the action needed failed (a store, a computation)
      throw new Problem(503, 'action-failed', 'The action could not be completed', 'Check the case: what it shows is what was recorded. Try again, and tell the operator if it keeps failing.', { retryAfterSeconds: 5 });
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

/**
 * RFC 6266: an ASCII fallback for old clients, and the real name as an RFC 5987 ext-value (percent-encoded
 * UTF-8, with ' ( ) * encoded too: they are not attr-chars).
 */
function attachment(asciiFallback: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}
