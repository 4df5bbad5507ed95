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

export function applicationsRouter(deps: CasesDeps & { oneTimeCodeMs: number; partySessionMs: number }): Router {
  const router = Router();
  const { db } = deps;
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
    const applicant = body.parties.find((p) => p.role === 'applicant');
    if (!applicant?.phone)
      throw problems.validation([
        { field: 'application.parties', message: 'the applicant must give the phone number that received the code' },
      ]);
    const ip = clientIp(req);
    const refused = await consumePhoneChallenge(db, deps.cipher, {
      challengeId: outer.challengeId,
      code: outer.code,
      phone: applicant.phone,
    });
    if (refused) {
      await recordSecurityEvent(db, {
        kind: 'otp_refused',
        ip,
        detail: { reason: refused, what: 'online_application' },
      });
      throw problems.unauthenticated('The code is not valid for this phone number; ask for a new one.');
    }
    const caseId = randomUUID();
    const started = await startCase(deps, {
      caseId,
      body: { ...body, channel: 'online', oneSided: true },
      routing: { intakeOrgId: 'center' },
      registeredBy: (parties) => ({ id: parties.find((p) => p.role === 'applicant')!.partyId, role: 'party' }),
    });
    const applicantId = started.intake.parties.find((p) => p.role === 'applicant')!.partyId;
    const caseNumber = await caseNumberOf(db, caseId);
    // The applicant's access code: shown once here and sent by SMS; with the phone it opens the case.
    const accessCode = caseNumber ? await issueAccessCode(db, applicantId, applicantId) : null;
    if (accessCode) {
      await deps.sms.send({
        to: applicant.phone,
        body: `【揭阳市一站式非诉讼纠纷化解中心】您的调解申请${caseNumber}已登记。查询码：${accessCode}。`,
        purpose: 'access_code',
        caseId,
        partyId: applicantId,
      });
    }
    // The applicant has just proven the phone with the SMS code, as a sign-in does (POST /auth/party/verify):
    // they follow the case from here without a second code. Only once the record exists, as the access code.
    const session = caseNumber ? await createSession(db, { partyId: applicantId }, deps.partySessionMs) : null;
    if (session)
      await recordSecurityEvent(db, {
        kind: 'login_succeeded',
        principal: applicantId,
        role: 'party',
        ip,
        caseId,
        detail: { what: 'online_application' },
      });
    res.setHeader('Cache-Control', 'no-store');
    redactForReplay(res, (b) => {
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
    });
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
