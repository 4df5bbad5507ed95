/**
 * /auth: staff login and logout, the party's access code plus SMS one-time code, and API key rotation
 * for courts and notary offices. Failed attempts are recorded and limited (api/guess-limits.ts: per target
 * before the check; per address only once a guess has failed, so a right one from any address gets in).
 */
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  caseIdOfParty,
  createApiKey,
  createSession,
  findPartyByAccessCode,
  findStaffByUsername,
  institutionName,
  issueAccessCode,
  recordSecurityEvent,
  recoveryCandidates,
  revokeApiKey,
  revokePartySessions,
  revokeSession,
  staffPrincipal,
  type RecoveryCandidates,
} from '../../db/identity.js';
import { consumeOneTimeCode, issueOneTimeCode } from '../../db/one-time-codes.js';
import { giveBackAttempt } from '../../db/rate-limits.js';
import { maskPhone } from '../../domain/masking.js';
import { mayCenter } from '../../domain/access-policy.js';
import { setReminderPhone } from '../../db/calendars.js';
import { verifyAgainstDummy, verifyPassword } from '../../identity/passwords.js';
import type { FieldCipher } from '../../infra/crypto.js';
import type { SmsSender } from '../../infra/sms.js';
import { clientIp, principalOf, requireAuth } from '../auth.js';
import { parseOrThrow, Problem, problems } from '../problem.js';
import { personFields } from '../schemas.js';
import { redactForReplay } from '../idempotency.js';
import { flagFailedGuess, LIMITS, refusalOfFailedGuess, takeTargetAttempt } from '../guess-limits.js';

export { LIMITS } from '../guess-limits.js';

export type AuthDeps = {
  db: Knex;
  cipher: FieldCipher;
  sms: SmsSender;
  staffSessionMs: number;
  partySessionMs: number;
  oneTimeCodeMs: number;
};

/** Actions that take no input still refuse one: a body sent by mistake is a 400, not silently ignored. */
export const emptyBody = z.strictObject({});
export const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export const challengeBody = z.strictObject({ accessCode: z.string().trim().min(1).max(100) });
export const verifyBody = z.strictObject({
  challengeId: z.uuid(),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit code from the SMS'),
});

/**
 * A case number as the party may type it: half-width brackets and spaces are read as the full-width form
 * the numbers are issued in (（2026）揭榕人调字第0001号).
 */
export const caseNumberInput = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters')
  .transform((v) => v.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）'));
export const recoveryBody = z.strictObject({
  caseNumber: caseNumberInput,
  idNumber: personFields.idNumber.unwrap(),
  phone: personFields.phone.unwrap(),
});

const wrongCredentials = () => problems.unauthenticated('The username or password is wrong.');

/** A mainland mobile number for reminder texts, or null to stop them. */
export const reminderPhoneBody = z.strictObject({
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
    .nullable(),
});

type Handler = (req: Request, res: Response) => Promise<void>;

export function authRouter(deps: AuthDeps): Router {
  const router = Router();
  // Every answer here holds a token, an API key, the principal (name, role, case) or a masked phone: no cache may
  // keep it (RFC 6749 §5.1 asks it of token answers; a shared computer's browser cache is the case in point).
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.post('/login', login(deps));
  router.post('/logout', requireAuth, logout(deps));
  router.get('/me', requireAuth, (req, res) => {
    res.json({ principal: principalOf(req) });
  });
  router.put('/me/reminder-phone', requireAuth, setOwnReminderPhone(deps));
  router.post('/party/challenge', partyChallenge(deps));
  router.post('/party/verify', partyVerify(deps));
  router.post('/party/recovery', partyRecovery(deps));
  router.post('/api-keys/rotate', requireAuth, rotateApiKey(deps));
  return router;
}

/**
 * A staff member's username and password: a session. Each attempt is taken from the account's allowance before
 * the password is checked (five wrong ones in the window, from anywhere, and the account waits); a right password
 * gives its attempt back. The address's count only turns a wrong password's 401 into a 429.
 */
function login({ db, staffSessionMs }: AuthDeps): Handler {
  return async (req, res) => {
    const { username, password } = parseOrThrow(loginBody, req.body);
    const ip = clientIp(req);
    const attempt = await takeTargetAttempt(db, `login:${username}`, {
      limit: LIMITS.loginFailuresPerUsername,
      windowMs: LIMITS.window,
    });
    if (attempt === undefined) {
      await recordSecurityEvent(db, { kind: 'rate_limited', subject: username, ip, detail: { what: 'login' } });
      throw problems.tooManyAttempts(LIMITS.window / 1000);
    }
    const account = await findStaffByUsername(db, username);
    const ok =
      account && account.active
        ? await verifyPassword(password, account.passwordHash)
        : await verifyAgainstDummy(password);
    if (!ok || !account) {
      await recordSecurityEvent(db, {
        kind: 'login_failed',
        subject: username,
        ip,
        detail: { reason: account ? (account.active ? 'password' : 'inactive') : 'unknown_user' },
      });
      throw await refusalOfFailedGuess(
        db,
        { kind: 'login_failed', ip, limit: LIMITS.loginFailuresPerIp, what: 'login', subject: username },
        wrongCredentials(),
      );
    }
    await giveBackAttempt(db, attempt);
    const principal = staffPrincipal(
      account,
      account.institutionId ? await institutionName(db, account.institutionId) : undefined,
    );
    if (!principal) {
      await recordSecurityEvent(db, {
        kind: 'login_failed',
        subject: username,
        ip,
        detail: { reason: 'no_institution' },
      });
      throw problems.forbidden(
        'this court or notary account is not linked to its institution; ask the operator to link it',
      );
    }
    const session = await createSession(db, { accountId: account.accountId }, staffSessionMs);
    await recordSecurityEvent(db, {
      kind: 'login_succeeded',
      principal: principal.id,
      role: principal.role,
      subject: username,
      ip,
    });
    redactForReplay(res, (b) => ({
      ...(b as object),
      token: null,
      detail:
        'A repeat of this login with the same Idempotency-Key does not show the token again; log in with a new key.',
    }));
    res.status(201).json({ token: session.token, expiresAt: session.expiresAt.toISOString(), principal });
  };
}

function logout({ db }: AuthDeps): Handler {
  return async (req, res) => {
    parseOrThrow(emptyBody, req.body ?? {});
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token)
      throw new Problem(400, 'not-a-session', 'Only a session can log out', 'API keys are revoked, not logged out.');
    await revokeSession(db, token);
    const p = principalOf(req);
    await recordSecurityEvent(db, { kind: 'logout', principal: p.id, role: p.role, ip: clientIp(req) });
    res.status(204).end();
  };
}

/**
 * A mediator or clerk gives (or withdraws) a phone for reminder texts: each clock's reminder on their cases
 * then also reaches them by SMS. Kept encrypted; answered masked.
 */
function setOwnReminderPhone({ db, cipher }: AuthDeps): Handler {
  return async (req, res) => {
    const p = principalOf(req);
    if (!mayCenter(p, 'setReminderPhone')) throw problems.forbidden('only mediators and clerks receive reminder texts');
    const { phone } = parseOrThrow(reminderPhoneBody, req.body);
    await setReminderPhone(db, p.id, phone === null ? null : cipher.encrypt(phone));
    res.json({ phone: phone === null ? null : maskPhone(phone) });
  };
}

/** Step 1 for a party: the case access code; a one-time code goes to the phone on record. */
function partyChallenge(deps: AuthDeps): Handler {
  const { db } = deps;
  return async (req, res) => {
    const { accessCode } = parseOrThrow(challengeBody, req.body);
    const ip = clientIp(req);
    const party = await findPartyByAccessCode(db, accessCode);
    if (!party) {
      await recordSecurityEvent(db, { kind: 'access_code_refused', ip });
      throw await refusalOfFailedGuess(
        db,
        { kind: 'access_code_refused', ip, limit: LIMITS.accessCodeFailuresPerIp, what: 'access_code' },
        problems.unauthenticated('The access code is not valid.'),
      );
    }
    if (!party.phone_enc) {
      throw new Problem(
        422,
        'no-phone-on-record',
        'No phone number is on record for this party',
        'Ask the center to add a phone number, then try again.',
      );
    }
    const texted = await takeTargetAttempt(db, `party-sign-in:${party.party_id}`, {
      limit: LIMITS.challengesPerPartyPerHour,
      windowMs: 3600_000,
    });
    if (texted === undefined) {
      await recordSecurityEvent(db, {
        kind: 'rate_limited',
        subject: party.party_id,
        ip,
        caseId: party.case_id,
        detail: { what: 'one_time_code' },
      });
      throw problems.tooManyAttempts(3600);
    }
    const { challengeId, code, expiresAt } = await issueOneTimeCode(
      db,
      'party_sign_in',
      party.party_id,
      deps.oneTimeCodeMs,
    );
    const phone = deps.cipher.decrypt(party.phone_enc);
    await deps.sms.send({
      to: phone,
      body: `【揭阳市一站式非诉讼纠纷化解中心】您的验证码为${code}，${Math.round(deps.oneTimeCodeMs / 60_000)}分钟内有效。请勿告诉他人。`,
      purpose: 'one_time_code',
      caseId: party.case_id,
      partyId: party.party_id,
      expiresAt,
    });
    res.status(201).json({ challengeId, sentTo: maskPhone(phone), expiresAt: expiresAt.toISOString() });
  };
}

/** Step 2 for a party: the one-time code, once, before it expires. */
function partyVerify({ db, partySessionMs }: AuthDeps): Handler {
  return async (req, res) => {
    const { challengeId, code } = parseOrThrow(verifyBody, req.body);
    const ip = clientIp(req);
    const outcome = await consumeOneTimeCode(db, 'party_sign_in', { challengeId, code });
    if (!outcome.ok) {
      await recordSecurityEvent(db, {
        kind: 'otp_refused',
        subject: outcome.holder ?? null,
        ip,
        detail: { reason: outcome.refusal, challengeId },
      });
      // Bounded per code and per party's texts; an address giving many wrong codes is flagged, not refused.
      await flagFailedGuess(db, {
        kind: 'otp_refused',
        ip,
        limit: LIMITS.oneTimeCodeFailuresPerIp,
        what: 'one_time_code',
      });
      throw problems.unauthenticated('The code is not valid; ask for a new one.');
    }
    const partyId = outcome.holder;
    const session = await createSession(db, { partyId }, partySessionMs);
    const caseId = await caseIdOfParty(db, partyId);
    await recordSecurityEvent(db, { kind: 'login_succeeded', principal: partyId, role: 'party', ip, caseId });
    redactForReplay(res, (b) => ({
      ...(b as object),
      token: null,
      detail: 'The token was shown once; sign in again with a new Idempotency-Key.',
    }));
    res.status(201).json({ token: session.token, expiresAt: session.expiresAt.toISOString(), caseId });
  };
}

/**
 * A party who lost the access code gets a new one by the case number, their ID number and the phone on
 * record: the new code replaces the old (which stops working at once, with any session opened with it) and
 * goes by SMS to the phone on record only, never in this answer. The answer is the same whether or not
 * anything matched, so no one learns from it which cases exist or who is a party (个人信息保护法 Art 51: the
 * measures that keep personal information from being disclosed). Every attempt is recorded and taken from the
 * allowance of its case and ID number, from any address. Unmatched attempts from one address are flagged past
 * their limit but never refused: the answer must not differ between a match and a miss, and refusing all would
 * keep out the person who knows their details because someone else guessed from the same address.
 */
function partyRecovery(deps: AuthDeps): Handler {
  const { db, cipher } = deps;
  return async (req, res) => {
    const { caseNumber, idNumber, phone } = parseOrThrow(recoveryBody, req.body);
    const ip = clientIp(req);
    // The ID number is personal data: the log and the limit key on a keyed hash of it with the case number.
    const subject = `recovery:${cipher.blindIndex(`${caseNumber}\n${idNumber}`).slice(0, 32)}`;
    await refuseRecoveryPastLimit(db, subject, ip);
    const found = await recoveryCandidates(db, caseNumber);
    // A case has a handful of parties: their sealed ID numbers and phones are opened here and compared, never
    // returned or logged.
    const party = found?.parties.find(
      (p) => cipher.decrypt(p.idNumberEnc).toUpperCase() === idNumber && cipher.decrypt(p.phoneEnc) === phone,
    );
    if (!found || !party) {
      await recordSecurityEvent(db, {
        kind: 'access_code_recovery_refused',
        subject,
        ip,
        caseId: found?.caseId ?? null,
        detail: { reason: found ? 'no_matching_party' : 'unknown_case' },
      });
      await flagFailedGuess(db, {
        kind: 'access_code_recovery_refused',
        ip,
        limit: LIMITS.recoveryFailuresPerIp,
        what: 'access_code_recovery',
        subject,
      });
    } else {
      await replaceAccessCode(deps, found, party.partyId, phone);
      await recordSecurityEvent(db, {
        kind: 'access_code_recovered',
        principal: party.partyId,
        role: 'party',
        subject,
        ip,
        caseId: found.caseId,
      });
    }
    res.status(202).json({
      detail:
        '如案号、身份证号码与预留手机号均与案件记录一致，新的查询码已发送至预留手机，原查询码随即失效。未收到短信请联系中心。',
    });
  };
}

/** 429 past five attempts (matched or not) for this case and ID number within an hour, from any address. */
async function refuseRecoveryPastLimit(db: Knex, subject: string, ip: string | null): Promise<void> {
  const attempt = await takeTargetAttempt(db, subject, {
    limit: LIMITS.recoveriesPerCaseIdPerHour,
    windowMs: 3600_000,
  });
  if (attempt !== undefined) return;
  await recordSecurityEvent(db, { kind: 'rate_limited', subject, ip, detail: { what: 'access_code_recovery' } });
  throw problems.tooManyAttempts(3600);
}

/** A new access code for the party, replacing the old one and ending its sessions, sent to the phone on record. */
async function replaceAccessCode(
  deps: AuthDeps,
  found: RecoveryCandidates,
  partyId: string,
  phone: string,
): Promise<void> {
  const code = await deps.db.transaction(async (tx) => {
    const issued = await issueAccessCode(tx, partyId, partyId);
    await revokePartySessions(tx, partyId);
    return issued;
  });
  await deps.sms.send({
    to: phone,
    body: `【揭阳市一站式非诉讼纠纷化解中心】您的案件${found.caseNumber}的新查询码：${code}。原查询码已失效。如非本人操作，请联系中心。`,
    purpose: 'access_code',
    caseId: found.caseId,
    partyId,
  });
}

/** A court or notary office replaces the key it calls with; the old key stops working at once. */
function rotateApiKey({ db }: AuthDeps): Handler {
  return async (req, res) => {
    parseOrThrow(emptyBody, req.body ?? {});
    const p = principalOf(req);
    if (p.kind !== 'institution' || p.via !== 'api_key')
      throw problems.forbidden('only an institution calling with its API key can rotate it');
    const oldPrefix = p.id.split('/key:')[1]!;
    const created = await db.transaction(async (tx) => {
      const c = await createApiKey(tx, p.institutionId, 'rotated');
      await revokeApiKey(tx, oldPrefix);
      return c;
    });
    await recordSecurityEvent(db, {
      kind: 'api_key_rotated',
      principal: p.id,
      role: p.role,
      subject: created.prefix,
      ip: clientIp(req),
      detail: { revoked: oldPrefix },
    });
    redactForReplay(res, (b) => ({ ...(b as object), apiKey: null, detail: 'The new key was shown once.' }));
    res.status(201).json({
      apiKey: created.key,
      prefix: created.prefix,
      revokedPrefix: oldPrefix,
      detail: 'Store this key now: it is shown only once.',
    });
  };
}
