/** What every case route shares: its dependencies, and the check that the URL names a case this principal may see. */
import type { Request } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  canAct,
  canView,
  type CaseAccess,
  type CaseAction as PolicyAction,
  type Principal,
} from '../../../domain/access-policy.js';
import { getCaseAccess } from '../../../db/cases.js';
import type { DocumentStore } from '../../../db/documents.js';
import { recordSecurityEvent } from '../../../db/identity.js';
import type { FieldCipher } from '../../../infra/crypto.js';
import type { SmsSender } from '../../../infra/sms.js';
import { clientIp, principalOf } from '../../auth.js';
import { problems } from '../../problem.js';

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

/** The case a request names, as the access check found it. */
export type LoadedCase = { caseId: string; access: CaseAccess; principal: Principal };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Records a refused request (who, what, why) in the security log. */
export async function recordDenied(
  deps: Pick<CasesDeps, 'db'>,
  req: Request,
  principal: Principal,
  caseId: string | null,
  why: string,
): Promise<void> {
  await recordSecurityEvent(deps.db, {
    kind: 'authorization_denied',
    principal: principal.id,
    role: principal.role,
    caseId,
    ip: clientIp(req),
    detail: { why, path: req.path, method: req.method },
  });
}

/**
 * The case the URL names, if this principal may see it; otherwise 404, whether or not it exists. With an
 * action, a visible case whose role may not take it is a 403. Refusals are recorded.
 */
export async function loadVisibleCase(
  deps: Pick<CasesDeps, 'db'>,
  req: Request,
  action?: PolicyAction,
): Promise<LoadedCase> {
  const principal = principalOf(req);
  const id = String(req.params.caseId);
  const access = UUID.test(id) ? await getCaseAccess(deps.db, id) : undefined;
  if (!access || !canView(principal, access)) {
    if (access) await recordDenied(deps, req, principal, id, 'not_visible');
    throw problems.notFound('The case');
  }
  if (action && !canAct(principal, action, access)) {
    await recordDenied(deps, req, principal, id, `role_may_not_${action}`);
    throw problems.forbidden(`a ${principal.role} may not ${action} this case`);
  }
  return { caseId: id, access, principal };
}

/** The party a party's own request is for: themselves, or the party a guardian or agent acts for. */
export function ownParty({ access, principal }: LoadedCase): string | undefined {
  return principal.kind === 'party' ? (access.represents[principal.id] ?? principal.id) : undefined;
}
