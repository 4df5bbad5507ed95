/**
 * A party who lost the access code recovers it by the case number, their ID number and the phone on record
 * (issue 16 item 2): a new code goes by SMS only, the old one and its sessions stop working, every attempt
 * is recorded, and the answer never tells whether a case or a person exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let clerk: Credentials;
const applicantId = fictionalIdNumber('445202', '19000303', '017');
const applicantPhone = '17000330171';
let theCase: { caseId: string; caseNumber: string; applicant: string; respondent: string };

const recover = (body: Record<string, unknown>) => stack.send(undefined, 'POST', '/auth/party/recovery', body);
const accessCodeTexts = async (partyId: string) =>
  (await stack.outbox(partyId)).filter((m) => m.purpose === 'access_code');
/** Signs in with an access code as the portal does: the challenge, then the code from the SMS. */
const signIn = async (partyId: string, accessCode: string) => {
  const challenge = await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode });
  if (challenge.status !== 201) return challenge;
  return stack.send(undefined, 'POST', '/auth/party/verify', {
    challengeId: challenge.body.challengeId,
    code: await stack.lastOneTimeCode(partyId),
  });
};

beforeAll(async () => {
  // Its own database: the recovery limits count every attempt from this address, and other files recover too.
  stack = await startStack({ ownDatabase: true });
  clerk = await stack.login('clerk.chen');
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({
      parties: [
        { role: 'applicant', kind: 'natural', name: '陈七', idNumber: applicantId, phone: applicantPhone },
        {
          role: 'respondent',
          kind: 'natural',
          name: '林八',
          idNumber: fictionalIdNumber('445202', '19000404', '028'),
          phone: '17000440282',
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  const [applicant, respondent] = created.body.parties.map((p: { partyId: string }) => p.partyId) as [string, string];
  theCase = { caseId: created.body.caseId, caseNumber: created.body.caseNumber, applicant, respondent };
});

afterAll(async () => {
  await stack?.close();
});

describe('recovering a lost access code', () => {
  it('when the ID number and phone match a party, then a new code goes by SMS, signs in, and the old code and session stop working', async () => {
    const issued = await stack.send(
      clerk,
      'POST',
      `/cases/${theCase.caseId}/parties/${theCase.applicant}/access-code`,
      {},
    );
    expect(issued.status, issued.text).toBe(201);
    const oldCode = issued.body.accessCode as string;
    const oldSession = await signIn(theCase.applicant, oldCode);
    expect(oldSession.status, oldSession.text).toBe(201);
    const textsBefore = (await accessCodeTexts(theCase.applicant)).length;

    // As a party may type it: half-width brackets, a lower-case check character, spaces around.
    const typed = theCase.caseNumber.replace('（', '(').replace('）', ')');
    const res = await recover({ caseNumber: ` ${typed} `, idNumber: applicantId.toLowerCase(), phone: applicantPhone });
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const texts = await accessCodeTexts(theCase.applicant);
    expect(texts).toHaveLength(textsBefore + 1);
    const text = texts[0]!;
    expect(text.to).toBe(applicantPhone);
    expect(text.body).toContain(theCase.caseNumber);
    const newCode = /新查询码：([^。]+)。/.exec(text.body)?.[1];
    expect(newCode).toBeTruthy();
    expect(newCode).not.toBe(oldCode);
    // The code travels only by SMS, never in the answer.
    expect(res.text).not.toContain(newCode!);

    const signedIn = await signIn(theCase.applicant, newCode!);
    expect(signedIn.status, signedIn.text).toBe(201);
    expect(signedIn.body.caseId).toBe(theCase.caseId);
    expect((await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode: oldCode })).status).toBe(401);
    expect((await stack.send({ token: oldSession.body.token }, 'GET', '/auth/me')).status).toBe(401);
    expect((await stack.send({ token: signedIn.body.token }, 'GET', '/auth/me')).status).toBe(200);

    const event = await stack
      .db('security_events')
      .where({ kind: 'access_code_recovered', case_id: theCase.caseId })
      .first();
    expect(event).toMatchObject({ principal: theCase.applicant, role: 'party', ip: expect.any(String) });
    // Recorded by a keyed hash, never the ID number itself (个人信息保护法 Art 51).
    expect(JSON.stringify(event)).not.toContain(applicantId);
  });

  it('when the ID number, the phone or the case number does not match, then the answer is the same, no text is sent and the attempt is recorded', async () => {
    const matched = await recover({ caseNumber: theCase.caseNumber, idNumber: applicantId, phone: applicantPhone });
    const textsBefore =
      (await accessCodeTexts(theCase.applicant)).length + (await accessCodeTexts(theCase.respondent)).length;
    const refusedBefore = (
      await stack.db('security_events').where({ kind: 'access_code_recovery_refused', case_id: theCase.caseId })
    ).length;

    const otherId = fictionalIdNumber('445202', '19000505', '039');
    const wrongId = await recover({ caseNumber: theCase.caseNumber, idNumber: otherId, phone: applicantPhone });
    const wrongPhone = await recover({ caseNumber: theCase.caseNumber, idNumber: applicantId, phone: '17000999999' });
    // The respondent's ID number with the applicant's phone is no match either: both must be one party's.
    const crossed = await recover({
      caseNumber: theCase.caseNumber,
      idNumber: fictionalIdNumber('445202', '19000404', '028'),
      phone: applicantPhone,
    });
    const noCase = await recover({
      caseNumber: '（1999）揭非诉字第9999号',
      idNumber: applicantId,
      phone: applicantPhone,
    });
    for (const res of [wrongId, wrongPhone, crossed, noCase]) {
      expect(res.status, res.text).toBe(matched.status);
      expect(res.body).toEqual(matched.body);
    }
    expect((await accessCodeTexts(theCase.applicant)).length + (await accessCodeTexts(theCase.respondent)).length).toBe(
      textsBefore,
    );
    const refused = await stack
      .db('security_events')
      .where({ kind: 'access_code_recovery_refused', case_id: theCase.caseId });
    expect(refused).toHaveLength(refusedBefore + 3);
    expect(refused.map((e) => e.detail.reason)).toContain('no_matching_party');
    expect(JSON.stringify(refused)).not.toContain(otherId);
  });

  it('when a case and ID number are tried five times within the hour, then the sixth attempt is refused with 429 and Retry-After', async () => {
    const guess = fictionalIdNumber('445202', '19000606', '041');
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await recover({
            caseNumber: theCase.caseNumber,
            idNumber: guess,
            phone: `1700066${String(i).padStart(4, '0')}`,
          })
        ).status,
      ).toBe(202);
    }
    const blocked = await recover({ caseNumber: theCase.caseNumber, idNumber: guess, phone: '17000660009' });
    expect(blocked.status, blocked.text).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('3600');
    expect(blocked.body.type).toBe('/problems/too-many-attempts');
    const limited = await stack
      .db('security_events')
      .where({ kind: 'rate_limited' })
      .whereRaw(`detail->>'what' = 'access_code_recovery'`);
    expect(limited).not.toHaveLength(0);
  });

  it('when a field is malformed, then 400 names it', async () => {
    const badId = await recover({
      caseNumber: theCase.caseNumber,
      idNumber: applicantId.slice(0, 17) + (applicantId.endsWith('1') ? '2' : '1'),
      phone: applicantPhone,
    });
    expect(badId.status).toBe(400);
    expect(badId.body.errors.map((e: { field: string }) => e.field)).toEqual(['idNumber']);
    const badPhone = await recover({ caseNumber: theCase.caseNumber, idNumber: applicantId, phone: '12345' });
    expect(badPhone.body.errors.map((e: { field: string }) => e.field)).toEqual(['phone']);
    const missing = await recover({ idNumber: applicantId, phone: applicantPhone, extra: 1 });
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseNumber', 'extra']);
    const long = await recover({ caseNumber: 'x'.repeat(61), idNumber: applicantId, phone: applicantPhone });
    expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(['caseNumber']);
  });

  // Last: it spends this address's allowance for the next 15 minutes.
  it('when twenty attempts from one address match nothing within 15 minutes, then the person with the right details still gets a new code', async () => {
    const [row] = await stack
      .db('security_events')
      .where({ kind: 'access_code_recovery_refused', ip: '127.0.0.1' })
      .where('at', '>', new Date(Date.now() - 15 * 60_000))
      .count<{ n: number }[]>({ n: '*' });
    const spent = Number(row?.n ?? 0);
    expect(spent).toBeLessThan(20);
    for (let i = spent; i < 20; i++) {
      // Each guess names another ID number, so no single case and ID number reaches its own limit.
      const res = await recover({
        caseNumber: theCase.caseNumber,
        idNumber: fictionalIdNumber('445202', '19000707', String(100 + i)),
        phone: applicantPhone,
      });
      expect(res.status, res.text).toBe(202);
    }
    // An address limit never refuses the right details (several people may share one address behind a NAT).
    const rightful = await recover({ caseNumber: theCase.caseNumber, idNumber: applicantId, phone: applicantPhone });
    expect(rightful.status, rightful.text).toBe(202);
  });
});
