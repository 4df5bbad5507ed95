/** A party's full personal data, and the access code a party follows the case with. */
import type { Request, Response } from 'express';
import { actorOf, canIssueAccessCode, canRevealParty } from '../../../domain/access-policy.js';
import { maskPhone } from '../../../domain/masking.js';
import { caseNumberOf, partyPhoneOf, readPersonalData } from '../../../db/cases.js';
import { issueAccessCode, recordSecurityEvent } from '../../../db/identity.js';
import { clientIp } from '../../auth.js';
import { redactForReplay } from '../../idempotency.js';
import { parseOrThrow, problems } from '../../problem.js';
import { personalDataQuery } from '../../schemas.js';
import { emptyBody } from '../auth.js';
import type { CasesDeps, LoadedCase } from './context.js';

/**
 * Full personal data of one party, for the roles that need it, with the reason for reading it; every field
 * read is recorded with that reason (个人信息保护法 Art 6: a clear purpose; Art 51: set permissions). The
 * reason is asked only of someone who may read the data: anyone else learns nothing more than 403 or 404.
 */
export async function showPersonalData(
  deps: CasesDeps,
  req: Request,
  res: Response,
  { caseId, access, principal }: LoadedCase,
): Promise<void> {
  const partyId = String(req.params.partyId);
  if (!access.partyIds.includes(partyId)) throw problems.notFound('The party');
  if (!canRevealParty(principal, access, partyId)) {
    await recordSecurityEvent(deps.db, {
      kind: 'authorization_denied',
      principal: principal.id,
      role: principal.role,
      caseId,
      ip: clientIp(req),
      detail: { why: 'may_not_read_personal_data', partyId },
    });
    throw problems.forbidden(`a ${principal.role} may not read this party's full personal data`);
  }
  const { reason } = parseOrThrow(personalDataQuery, req.query);
  const data = await readPersonalData(deps.db, deps.cipher, { caseId, partyId, reader: actorOf(principal), reason });
  res.json(data);
}

/**
 * A new access code for a party (printed on the intake receipt and sent by SMS when a phone is on
 * record); the party's previous code stops working (one code per party: db/identity.ts issueAccessCode).
 * Shown once: a replay of the same request returns the answer without the code.
 */
export async function issuePartyAccessCode(
  deps: CasesDeps,
  req: Request,
  res: Response,
  { caseId, access, principal }: LoadedCase,
): Promise<void> {
  parseOrThrow(emptyBody, req.body ?? {});
  const partyId = String(req.params.partyId);
  if (!access.partyIds.includes(partyId)) throw problems.notFound('The party');
  // The check the case view's `mayIssueAccessCode` comes from: the two cannot disagree.
  if (!canIssueAccessCode(principal, access, partyId))
    throw problems.forbidden(`a ${principal.role} may not issue this party an access code`);
  const code = await issueAccessCode(deps.db, partyId, principal.id);
  const sentTo = await sendAccessCode(deps, { caseId, partyId, code });
  await recordSecurityEvent(deps.db, {
    kind: 'access_code_issued',
    principal: principal.id,
    role: principal.role,
    caseId,
    subject: partyId,
    ip: clientIp(req),
  });
  redactForReplay(res, (body) => ({
    ...(body as object),
    accessCode: null,
    detail: 'The access code was shown once; issue a new one if it was lost.',
  }));
  res.status(201).json({ partyId, accessCode: code, sentTo });
}

/** Texts the code to the party's phone on record; answers the phone masked, or null when none is on record. */
async function sendAccessCode(
  deps: CasesDeps,
  { caseId, partyId, code }: { caseId: string; partyId: string; code: string },
): Promise<string | null> {
  const phone = await partyPhoneOf(deps.db, deps.cipher, partyId);
  const caseNumber = await caseNumberOf(deps.db, caseId);
  if (!phone) return null;
  await deps.sms.send({
    to: phone,
    body: `【揭阳市一站式非诉讼纠纷化解中心】您的案件${caseNumber ?? ''}已登记。查询码：${code}。请妥善保管，勿告诉他人。`,
    purpose: 'access_code',
    caseId,
    partyId,
  });
  return maskPhone(phone);
}
