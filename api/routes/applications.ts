/**
 * A party's own online application (当事人在线申请), without an account: the applicant first proves the
 * phone number with a one-time code, then files. The case is one-sided (the other side is asked first,
 * 人民调解法 Art 17) and the applicant receives an access code to follow it.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { caseNumberOf } from '../../db/cases.js';
import { createSession, issueAccessCode, recordSecurityEvent } from '../../db/identity.js';
import { clientIp } from '../auth.js';
import { consumePhoneChallenge, sendPhoneChallenge } from '../phone-proof.js';
import { parseOrThrow, problems } from '../problem.js';
import { intakeSchema } from '../schemas.js';
import { startCase, type CasesDeps } from './cases.js';
import { redactForReplay } from '../idempotency.js';
import { flagFailedGuess, LIMITS } from '../guess-limits.js';

const phone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number');
export const phoneChallengeBody = z.strictObject({ phone });
/** The application itself is checked as an intake (`intakeSchema`) once the code is verified. */
export const applicationSubmitBody = z.strictObject({
  challengeId: z.uuid(),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit code from the SMS'),
  application: z.unknown().refine((v) => v !== undefined, 'is required'),
});

type ApplicationsDeps = CasesDeps & { oneTimeCodeMs: number; partySessionMs: number };

export function applicationsRouter(deps: ApplicationsDeps): Router {
  const router = Router();
  const application = intakeSchema(deps.now);

  router.post('/phone-challenge', async (req, res) => {
    const body = parseOrThrow(phoneChallengeBody, req.body);
    const sent = await sendPhoneChallenge(
      deps,
      body.phone,
      clientIp(req),
      'application_phone',
      (code, minutes) => `【揭阳市一站式非诉讼纠纷化解中心】您正在申请调解，验证码为${code}，${minutes}分钟内有效。`,
    );
    res.status(201).json(sent);
  });

  router.post('/', async (req, res) => {
    const outer = parseOrThrow(applicationSubmitBody, req.body);
    const raw = outer.application;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw problems.validation([{ field: 'application', message: 'must be an object' }]);
    const body = parseOrThrow(application, { ...raw, channel: 'online' }, 'application');
    const phone = body.parties.find((p) => p.role === 'applicant')?.phone;
    if (!phone)
      throw problems.validation([
        { field: 'application.parties', message: 'the applicant must give the phone number that received the code' },
      ]);
    const ip = clientIp(req);
    await provePhone(deps, { challengeId: outer.challengeId, code: outer.code, phone, ip });
    const caseId = randomUUID();
    const started = await startCase(deps, {
      caseId,
      body: { ...body, channel: 'online', oneSided: true },
      routing: { intakeOrgId: 'center' },
      registeredBy: (parties) => ({ id: parties.find((p) => p.role === 'applicant')!.partyId, role: 'party' }),
    });
    const applicantId = started.intake.parties.find((p) => p.role === 'applicant')!.partyId;
    const { caseNumber, accessCode, session } = await welcomeApplicant(deps, { caseId, applicantId, phone, ip });
    res.setHeader('Cache-Control', 'no-store');
    redactForReplay(res, withoutSecrets);
    res
      .status(caseNumber ? 201 : 202)
      .location(`/cases/${caseId}`)
      .json({
        caseId,
        caseNumber: caseNumber ?? null,
        status: 'REGISTERED',
        partyId: applicantId,
        accessCode,
        session: session ? { token: session.token, expiresAt: session.expiresAt.toISOString() } : null,
        detail: caseNumber
          ? '申请已登记。中心将在三个工作日内联系对方当事人。请凭查询码和手机验证码查看案件。'
          : 'The application is registered; its record is being written. Ask the center for your access code.',
      });
  });

  return router;
}

/** The code from the SMS must be this challenge's, for this phone; a refusal is recorded and answered 401. */
async function provePhone(
  deps: ApplicationsDeps,
  proof: { challengeId: string; code: string; phone: string; ip: string | null },
): Promise<void> {
  const refused = await consumePhoneChallenge(deps.db, deps.cipher, proof);
  if (!refused) return;
  await recordSecurityEvent(deps.db, {
    kind: 'otp_refused',
    ip: proof.ip,
    detail: { reason: refused, what: 'online_application' },
  });
  // Bounded per code and per phone's texts; an address giving many wrong codes is flagged, not refused.
  await flagFailedGuess(deps.db, {
    kind: 'otp_refused',
    ip: proof.ip,
    limit: LIMITS.oneTimeCodeFailuresPerIp,
    what: 'online_application',
  });
  throw problems.unauthenticated('The code is not valid for this phone number; ask for a new one.');
}

/**
 * Once the case is on record: the applicant's access code (shown once and sent by SMS; with the phone it
 * opens the case) and a session, since the phone was just proven as a sign-in proves it (POST
 * /auth/party/verify). Neither before the record exists.
 */
async function welcomeApplicant(
  deps: ApplicationsDeps,
  a: { caseId: string; applicantId: string; phone: string; ip: string | null },
) {
  const { db } = deps;
  const caseNumber = await caseNumberOf(db, a.caseId);
  if (!caseNumber) return { caseNumber, accessCode: null, session: null };
  const accessCode = await issueAccessCode(db, a.applicantId, a.applicantId);
  await deps.sms.send({
    to: a.phone,
    body: `【揭阳市一站式非诉讼纠纷化解中心】您的调解申请${caseNumber}已登记。查询码：${accessCode}。`,
    purpose: 'access_code',
    caseId: a.caseId,
    partyId: a.applicantId,
  });
  const session = await createSession(db, { partyId: a.applicantId }, deps.partySessionMs);
  await recordSecurityEvent(db, {
    kind: 'login_succeeded',
    principal: a.applicantId,
    role: 'party',
    ip: a.ip,
    caseId: a.caseId,
    detail: { what: 'online_application' },
  });
  return { caseNumber, accessCode, session };
}

/** A replay of the answer: the access code and the token were shown once. */
function withoutSecrets(b: unknown) {
  const body = b as { session: { expiresAt: string } | null };
  return {
    ...body,
    accessCode: null,
    session: body.session
      ? {
          token: null,
          expiresAt: body.session.expiresAt,
          detail: 'The token was shown once; sign in with the access code.',
        }
      : null,
  };
}
