/**
 * Complaints (docs/supervision.md#complaints): a party files one about their case (or an agent or guardian for
 * them), a clerk records one received by phone, letter or in person; the supervisor (司法行政部门, seed Art 59)
 * accepts it or issues the one-time notice of what is missing, assigns an investigator, decides (with an approved
 * extension) and answers; the complainant supplements and gives feedback. Each action goes to the complaint's own
 * workflow, which checks the rules; a repeated complaint on the same matter is merged into the open one. Who reads
 * how much: domain/complaints.ts `complaintReader` (the target only after acceptance); anyone else gets 404.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { actorOf, canView, type Principal } from '../../domain/access-policy.js';
import type { Actor } from '../../domain/case.js';
import {
  complaintReader,
  isFinalComplaint,
  COMPLAINT_STATUSES,
  type ComplaintFiling,
  type ComplaintReader,
  type ComplaintState,
  type ComplaintTarget,
} from '../../domain/complaints.js';
import { overdueClockIds } from '../../domain/process-clocks.js';
import { getCaseAccess } from '../../db/cases.js';
import {
  complaintById,
  complaintCaseAccess,
  complaintSubject,
  listComplaints,
  openComplaintOnSameMatter,
  staffMember,
  storedState,
  type ComplaintWithCase,
} from '../../db/complaints.js';
import {
  COMPLAINT_WORKFLOW_TYPE,
  awaitComplaintRegistrationUpdate,
  complaintActionUpdate,
  complaintWorkflowId,
  type ComplaintAction,
} from '../../workflows/complaint-messages.js';
import { principalOf, requireAuth } from '../auth.js';
import { idempotentUpdateId } from '../idempotency.js';
import { mountedAt } from '../observability.js';
import { parseOrThrow, problems } from '../problem.js';
import { UUID, loadVisibleCase, ownParty, recordDenied, type CasesDeps, type LoadedCase } from './cases/context.js';
import { DEFAULT_RECORD_WAIT_MS, boundedCall, runUpdate } from './cases/workflow-calls.js';
import {
  COMPLAINT_ACTION_ROUTES,
  complaintRolesOf,
  complaintView,
  fileComplaintBody,
  type FileComplaintBody,
} from './complaint-view.js';

type ActionSpec = (typeof COMPLAINT_ACTION_ROUTES)[keyof typeof COMPLAINT_ACTION_ROUTES];
/**
 * A complaint the URL names, as this person may read it, the actor they act as on it, and its case's number when they
 * may see the case.
 */
type LoadedComplaint = { state: ComplaintState; reader: ComplaintReader; actor: Actor; caseNumber?: string };

/** Mounted at the root (its paths are whole), after the case routes; every path needs a principal. */
export function complaintsRouter(deps: CasesDeps): Router {
  const router = Router();
  router.use(['/complaints', '/cases/:caseId/complaints'], mountedAt(''), requireAuth);
  router.post('/cases/:caseId/complaints', async (req, res) =>
    fileComplaint(deps, req, res, await loadVisibleCase(deps, req, 'fileComplaint')),
  );
  router.get('/complaints', async (req, res) => listForPrincipal(deps, req, res));
  router.get('/complaints/:complaintId', async (req, res) => {
    const loaded = await loadComplaint(deps, req);
    res.json(complaintView(loaded.state, loaded.reader, loaded.actor, deps.now(), loaded.caseNumber));
  });
  for (const [path, spec] of Object.entries(COMPLAINT_ACTION_ROUTES)) {
    router.post(`/complaints/:complaintId/${path}`, async (req, res) => takeAction(deps, spec, req, res));
  }
  return router;
}

// Filing ---------------------------------------------------------------------------------------------------

async function fileComplaint(deps: CasesDeps, req: Request, res: Response, loaded: LoadedCase): Promise<void> {
  const body = parseOrThrow(fileComplaintBody, req.body ?? {});
  const filing = await filingOf(deps, loaded, body);
  const actor = filing.filedBy;
  const open = await openComplaintOnSameMatter(deps.db, {
    caseId: filing.caseId,
    complainantPartyId: filing.complainantPartyId,
    targetKind: filing.target.kind,
    targetId: filing.target.id,
  });
  if (open) {
    // The same matter again: merged into the open complaint, whose clocks run on (not a second complaint).
    const merge: ComplaintAction = {
      type: 'merge_repeat',
      actor,
      complainantPartyId: filing.complainantPartyId,
      channel: filing.channel,
      facts: filing.facts,
      evidenceRefs: filing.evidenceRefs,
    };
    const state = await ask(deps, req, storedState(open), merge);
    res
      .status(200)
      .json({ merged: true, complaint: complaintView(state, readerOrFull(actor, state), actor, deps.now()) });
    return;
  }
  const handle = await deps.temporal.workflow.start(COMPLAINT_WORKFLOW_TYPE, {
    workflowId: complaintWorkflowId(filing.complaintId),
    taskQueue: deps.taskQueue,
    args: [{ filing }],
  });
  const state = await boundedCall(
    deps,
    () => handle.executeUpdate(awaitComplaintRegistrationUpdate),
    deps.registrationWait ?? DEFAULT_RECORD_WAIT_MS,
  );
  res
    .status(201)
    .json({ merged: false, complaint: complaintView(state, readerOrFull(actor, state), actor, deps.now()) });
}

/** The filer reads what they filed: a party as the complainant, a clerk in full. */
const readerOrFull = (actor: Actor, s: ComplaintState): ComplaintReader => complaintReader(actor, s) ?? 'full';

async function filingOf(deps: CasesDeps, loaded: LoadedCase, body: FileComplaintBody): Promise<ComplaintFiling> {
  const filedBy = actorOf(loaded.principal);
  return {
    complaintId: randomUUID(),
    caseId: loaded.caseId,
    channel: channelOf(loaded.principal, body),
    ground: body.ground,
    facts: body.facts,
    request: body.request,
    evidenceRefs: body.evidenceRefs,
    replyChannel: body.replyChannel,
    target: await targetOf(deps, loaded.caseId, body.target),
    complainantPartyId: complainantOf(loaded, body),
    filedBy,
    receivedAt: deps.now().toISOString(),
  };
}

/** A party complains through the portal; a clerk records the channel it came by. */
function channelOf(p: Principal, body: FileComplaintBody): ComplaintFiling['channel'] {
  if (p.role === 'party') {
    if (body.channel)
      throw problems.validation([{ field: 'channel', message: 'a party complains through the portal' }]);
    return 'portal';
  }
  if (!body.channel)
    throw problems.validation([{ field: 'channel', message: 'is required: how did the complaint come in?' }]);
  return body.channel;
}

/** A party for themselves (a guardian or agent: for the party they act for); a clerk names the party. */
function complainantOf(loaded: LoadedCase, body: FileComplaintBody): string {
  const own = ownParty(loaded);
  if (own !== undefined) {
    if (body.forPartyId && body.forPartyId !== own)
      throw problems.validation([
        { field: 'forPartyId', message: 'a party complains for themselves or the party they act for' },
      ]);
    return own;
  }
  if (!body.forPartyId)
    throw problems.validation([{ field: 'forPartyId', message: 'is required: which party complains?' }]);
  if (!loaded.access.partyIds.includes(body.forPartyId))
    throw problems.validation([{ field: 'forPartyId', message: 'is not a party of this case' }]);
  return body.forPartyId;
}

/** The case's mediator (people's or court-invited), its organization, or a named member of staff. */
async function targetOf(deps: CasesDeps, caseId: string, t: FileComplaintBody['target']): Promise<ComplaintTarget> {
  const subject = await complaintSubject(deps.db, caseId);
  if (t.kind === 'mediator') {
    if (!subject?.mediator)
      throw problems.validation([{ field: 'target.kind', message: 'the case has no mediator assigned' }]);
    const m = subject.mediator;
    return { kind: 'mediator', id: m.id, name: m.name, mediatorKind: m.kind };
  }
  if (t.kind === 'organization') {
    if (!subject?.organization)
      throw problems.validation([{ field: 'target.kind', message: 'the case has no organization yet' }]);
    return { kind: 'organization', id: subject.organization.id, name: subject.organization.name };
  }
  const staff = t.accountId ? await staffMember(deps.db, t.accountId) : undefined;
  if (!t.accountId || !staff)
    throw problems.validation([{ field: 'target.accountId', message: 'name the member of staff (an active account)' }]);
  return { kind: 'staff', id: t.accountId, name: staff.name };
}

// Reading and acting -----------------------------------------------------------------------------------------

/** The complaint the URL names, if this person may read it; 404 otherwise, whether or not it exists. */
async function loadComplaint(deps: CasesDeps, req: Request): Promise<LoadedComplaint> {
  const principal = principalOf(req);
  const id = String(req.params.complaintId);
  const row = UUID.test(id) ? await complaintById(deps.db, id) : undefined;
  const state = row ? storedState(row) : undefined;
  const found = state ? await readerOf(deps, principal, state) : undefined;
  if (!row || !state || !found) {
    if (state) await recordDenied(deps, req, principal, state.caseId, 'complaint_not_visible');
    throw problems.notFound('The complaint');
  }
  return { state, ...found, ...caseNumberFor(principal, row) };
}

/** 案号 only for a reader who may see the case itself (domain/access-policy.ts canView: a target or an investigator may not). */
const caseNumberFor = (p: Principal, row: ComplaintWithCase): { caseNumber?: string } =>
  canView(p, complaintCaseAccess(row)) ? { caseNumber: row.case_number } : {};

/** A party reads as themselves, or as the party they act for (a guardian or agent who did not file it). */
async function readerOf(
  deps: CasesDeps,
  p: Principal,
  s: ComplaintState,
): Promise<{ reader: ComplaintReader; actor: Actor } | undefined> {
  if (p.kind === 'institution') return undefined;
  const reader = complaintReader(p, s);
  if (reader) return { reader, actor: actorOf(p) };
  if (p.kind !== 'party' || p.caseId !== s.caseId) return undefined;
  const represented = (await getCaseAccess(deps.db, s.caseId))?.represents[p.id];
  const actor: Actor = { id: represented ?? '', role: 'party' };
  const asRepresented = represented ? complaintReader(actor, s) : undefined;
  return asRepresented ? { reader: asRepresented, actor } : undefined;
}

async function takeAction(deps: CasesDeps, spec: ActionSpec, req: Request, res: Response): Promise<void> {
  // The body first: a malformed one is a 400 naming the field, whatever the complaint (it reveals nothing of it).
  const body = parseOrThrow(spec.body as z.ZodType, req.body ?? {}) as Record<string, unknown>;
  const { state, reader, actor, caseNumber } = await loadComplaint(deps, req);
  const roles: readonly string[] = complaintRolesOf(spec.type);
  if (reader === 'target' || !roles.includes(actor.role)) {
    await recordDenied(deps, req, principalOf(req), state.caseId, `role_may_not_${spec.type}`);
    throw problems.forbidden(`a ${actor.role} may not ${spec.type.replace(/_/g, ' ')} this complaint`);
  }
  const action = { type: spec.type, actor, ...body, ...(await investigatorName(deps, spec, body)) } as ComplaintAction;
  const after = await ask(deps, req, state, action);
  res.json(complaintView(after, reader, actor, deps.now(), caseNumber));
}

/** An investigator is a member of staff, named on the record. */
async function investigatorName(deps: CasesDeps, spec: ActionSpec, body: Record<string, unknown>) {
  if (spec.type !== 'assign_investigator') return {};
  const staff = await staffMember(deps.db, String(body.accountId));
  if (!staff) throw problems.validation([{ field: 'accountId', message: 'is not an active staff account' }]);
  return { name: staff.name };
}

/** Asks the complaint's workflow; its refusals come back as 403, 409 or 422 problems. */
async function ask(deps: CasesDeps, req: Request, s: ComplaintState, action: ComplaintAction): Promise<ComplaintState> {
  if (isFinalComplaint(s))
    throw problems.conflict('complaint-closed', `the complaint is ${s.status}; no further action is possible`);
  const updateId = idempotentUpdateId(req);
  return runUpdate(deps, s.caseId, () =>
    deps.temporal.workflow
      .getHandle(complaintWorkflowId(s.complaintId))
      .executeUpdate(complaintActionUpdate, { args: [action], ...(updateId ? { updateId } : {}) }),
  );
}

/** The supervisor's list (every complaint, the overdue ones flagged); anyone else's own. */
async function listForPrincipal(deps: CasesDeps, req: Request, res: Response): Promise<void> {
  const p = principalOf(req);
  if (p.kind === 'institution') throw problems.forbidden('a court or notary office reads no complaints here');
  const rows = await listComplaints(deps.db, p.role === 'supervisor' ? 'all' : { personId: p.id });
  const now = deps.now();
  const complaints = rows
    .map((row) => ({ row, state: storedState(row) }))
    .filter(({ state }) => complaintReader(p, state) !== undefined)
    .map(({ row, state }) => ({
      complaintId: row.complaint_id,
      trackingNumber: row.tracking_number,
      caseId: row.case_id,
      ...caseNumberFor(p, row),
      status: state.status,
      statusLabel: COMPLAINT_STATUSES[state.status],
      ground: row.ground,
      targetKind: row.target_kind,
      receivedAt: row.received_at.toISOString(),
      nextDueAt: row.next_due_at ? row.next_due_at.toISOString() : null,
      overdue: overdueClockIds(state, now),
    }));
  res.json({ complaints });
}
