/**
 * 送达地址确认 (人民法院在线调解规则 Art 17): where documents and texts reach a party, and what reached whom.
 */
import type { Request, Response } from 'express';
import { actorOf } from '../../../domain/access-policy.js';
import { updateContact } from '../../../db/cases.js';
import { caseDeliveries } from '../../../db/deliveries.js';
import { recordSecurityEvent } from '../../../db/identity.js';
import { clientIp } from '../../auth.js';
import { consumePhoneChallenge, sendPhoneChallenge } from '../../phone-proof.js';
import { parseOrThrow, problems } from '../../problem.js';
import { contactBody, contactPhoneChallengeBody } from '../../schemas.js';
import { ownParty, type CasesDeps, type LoadedCase } from './context.js';
import { askCase } from './workflow-calls.js';

const DEFAULT_ONE_TIME_CODE_MS = 5 * 60_000;

/**
 * Step 1: a party about to change the phone on record proves the new one with a code sent to it. Only someone
 * who may confirm that party's address may ask.
 */
export async function sendContactPhoneChallenge(deps: CasesDeps, req: Request, res: Response): Promise<void> {
  const { phone } = parseOrThrow(contactPhoneChallengeBody, req.body ?? {});
  const sent = await sendPhoneChallenge(
    { ...deps, oneTimeCodeMs: deps.oneTimeCodeMs ?? DEFAULT_ONE_TIME_CODE_MS },
    phone,
    clientIp(req),
    'contact_phone',
    (code, minutes) =>
      `【揭阳市一站式非诉讼纠纷化解中心】您正在更改案件的联系电话，验证码为${code}，${minutes}分钟内有效。如非本人操作，请忽略。`,
  );
  res.status(201).json(sent);
}

/**
 * A party (or a clerk with the party's signed form) sets where documents and texts reach them. The case's
 * chain records the confirmation and what changed (never the values: they are sealed in the record); a new
 * phone counts only with the code sent to it. Refused by the case (closed), nothing changes.
 */
export async function confirmServiceAddress(
  deps: CasesDeps,
  req: Request,
  res: Response,
  loaded: LoadedCase,
): Promise<void> {
  const { caseId, principal } = loaded;
  const body = parseOrThrow(contactBody, req.body ?? {});
  const partyId = body.partyId ?? ownParty(loaded);
  if (partyId === undefined) throw problems.validation([{ field: 'partyId', message: 'is required: which party?' }]);
  if (body.phone !== undefined) {
    const refused = await consumePhoneChallenge(deps.db, deps.cipher, {
      challengeId: body.challengeId!,
      code: body.code!,
      phone: body.phone,
    });
    if (refused) {
      await recordSecurityEvent(deps.db, {
        kind: 'otp_refused',
        subject: partyId,
        ip: clientIp(req),
        caseId,
        detail: { reason: refused, what: 'contact_phone' },
      });
      throw problems.validation([
        { field: 'code', message: 'is not the code sent to this phone, or it expired: ask for a new one' },
      ]);
    }
  }
  const changed = [
    ...(body.address !== undefined ? ['address' as const] : []),
    ...(body.phone !== undefined ? ['phone' as const] : []),
  ];
  const snapshot = await askCase(deps, req, caseId, principal, {
    type: 'confirm_service_address',
    actor: actorOf(principal),
    partyId,
    changed,
  });
  const contact = await updateContact(deps.db, deps.cipher, {
    caseId,
    partyId,
    address: body.address,
    phone: body.phone,
  });
  res.json({ ...contact, changed, status: snapshot?.status });
}

/**
 * Every text (SMS) and court or notary notification of the case, each with its delivery attempts: for
 * staff to see what reached whom and what did not. Phones masked; never a text's body (it may hold a code).
 */
export async function listDeliveries(deps: CasesDeps, res: Response, { caseId }: LoadedCase): Promise<void> {
  res.json({ deliveries: await caseDeliveries(deps.db, deps.cipher, caseId) });
}
