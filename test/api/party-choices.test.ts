/**
 * A party's own steps in the portal (issue 16 item 3): choosing the mediator with the other side (人民法院在线调解
 * 规则 Art 10: when both name the same one, that one is assigned), and confirming where documents and texts
 * reach them (送达地址确认, Art 17: a new phone only with the code sent to it; the chain records that it was
 * confirmed, never the address).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let clerk: Credentials;

beforeAll(async () => {
  // Its own database: a wrong code counts against this address, as other files' refused codes do.
  stack = await startStack({ ownDatabase: true });
  clerk = await stack.login('clerk.chen');
});
afterAll(async () => {
  await stack?.close();
});

/** A two-party case the clerk accepted: the parties may now choose their mediator. */
async function acceptedCase() {
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  const [applicantId, respondentId] = created.body.parties.map((p: { partyId: string }) => p.partyId) as [
    string,
    string,
  ];
  expect((await stack.send(clerk, 'POST', `/cases/${caseId}/accept`, {})).body.status).toBe('PENDING_ASSIGNMENT');
  return {
    caseId,
    applicantId,
    respondentId,
    applicant: await stack.partyLogin(clerk, caseId, applicantId),
    respondent: await stack.partyLogin(clerk, caseId, respondentId),
  };
}

const offered = (view: { actions?: { path: string; allowed: boolean }[] }, path: string) =>
  view.actions?.find((a) => a.path === path)?.allowed ?? false;

/** The last code texted to a phone that is on no party's record yet (what the party reads on the new phone). */
async function codeSentTo(phone: string): Promise<string> {
  const rows = await stack
    .db('sms_outbox')
    .where({ purpose: 'one_time_code' })
    .orderBy('created_at', 'desc')
    .limit(20)
    .select('to_phone_enc', 'body_enc');
  const row = rows.find((r) => stack.cipher.decrypt(r.to_phone_enc) === phone);
  return /验证码为(\d{6})/.exec(stack.cipher.decrypt(row!.body_enc))![1]!;
}

describe('the parties choose their mediator', () => {
  it('when both sides name the same mediator from the roster, then that mediator is assigned as their choice; one alone assigns nobody', async () => {
    const { caseId, applicantId, respondentId, applicant, respondent } = await acceptedCase();
    const roster = await stack.send(applicant, 'GET', '/roster/mediators?available=true&disputeType=loan_debt');
    expect(roster.status, roster.text).toBe(200);
    const chosen = roster.body.mediators[0];
    expect(chosen).toMatchObject({
      displayName: expect.any(String),
      specialties: expect.arrayContaining(['loan_debt']),
    });
    expect(chosen).not.toHaveProperty('openCases'); // a party sees the profile, never the mediator's load

    const first = await stack.send(applicant, 'POST', `/cases/${caseId}/mediator/choices`, {
      mediatorId: chosen.mediatorId,
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body.status).toBe('PENDING_ASSIGNMENT');
    expect(first.body.assignment.choices).toEqual({ [applicantId]: chosen.mediatorId });
    // Nobody chooses for the other side.
    const forOther = await stack.send(applicant, 'POST', `/cases/${caseId}/mediator/choices`, {
      partyId: respondentId,
      mediatorId: chosen.mediatorId,
    });
    expect(forOther.status, forOther.text).toBe(403);

    const asRespondent = await stack.send(respondent, 'GET', `/cases/${caseId}`);
    expect(offered(asRespondent.body, 'mediator/choices')).toBe(true);
    const second = await stack.send(respondent, 'POST', `/cases/${caseId}/mediator/choices`, {
      mediatorId: chosen.mediatorId,
    });
    expect(second.status, second.text).toBe(200);
    expect(second.body.status).toBe('PENDING_MEDIATOR_ACCEPT');
    expect(second.body.assignment).toMatchObject({ mediatorId: chosen.mediatorId, mode: 'party_choice', choices: {} });
    const types = second.body.events
      .map((e: { type: string }) => e.type)
      .filter((t: string) => t.startsWith('Mediator'));
    expect(types).toEqual(['MediatorChosen', 'MediatorChosen', 'MediatorAssigned']);
    // Once assigned, the choosing is over.
    const late = await stack.send(applicant, 'GET', `/cases/${caseId}`);
    expect(offered(late.body, 'mediator/choices')).toBe(false);
  });

  it('when a party names someone who is not on the roster, then the refusal says so and nothing is recorded', async () => {
    const { caseId, applicant } = await acceptedCase();
    const before = await stack.db('case_events').where({ case_id: caseId }).count<{ n: string }[]>({ n: '*' });
    const res = await stack.send(applicant, 'POST', `/cases/${caseId}/mediator/choices`, {
      mediatorId: '00000000-0000-4000-8000-000000000000',
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.rule).toMatch(/^mediator_/);
    expect(await stack.db('case_events').where({ case_id: caseId }).count<{ n: string }[]>({ n: '*' })).toEqual(before);
  });
});

describe('送达地址确认', () => {
  it('when a party changes the address and proves a new phone, then texts go to the new phone and the chain holds no address', async () => {
    const { caseId, applicantId, applicant, respondent } = await acceptedCase();
    const address = await stack.send(applicant, 'POST', `/cases/${caseId}/parties/contact`, {
      address: '广东省揭阳市榕城区新兴街道88号',
    });
    expect(address.status, address.text).toBe(200);
    expect(address.body).toMatchObject({
      partyId: applicantId,
      changed: ['address'],
      address: expect.not.stringContaining('88号'),
    });
    const own = await stack.send(
      applicant,
      'GET',
      `/cases/${caseId}/parties/${applicantId}/personal-data?reason=${encodeURIComponent('确认送达地址')}`,
    );
    expect(own.body.address).toBe('广东省揭阳市榕城区新兴街道88号');

    const newPhone = '17000009999';
    const challenge = await stack.send(applicant, 'POST', `/cases/${caseId}/parties/contact/phone-challenge`, {
      phone: newPhone,
    });
    expect(challenge.status, challenge.text).toBe(201);
    expect(challenge.body.sentTo).not.toContain('9999'.repeat(2));
    const code = await codeSentTo(newPhone);
    const wrong = await stack.send(applicant, 'POST', `/cases/${caseId}/parties/contact`, {
      phone: newPhone,
      challengeId: challenge.body.challengeId,
      code: code === '000000' ? '000001' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toEqual(['code']);
    const withoutCode = await stack.send(applicant, 'POST', `/cases/${caseId}/parties/contact`, { phone: newPhone });
    expect(withoutCode.body.errors.map((e: { field: string }) => e.field)).toEqual(['code']);
    const phone = await stack.send(applicant, 'POST', `/cases/${caseId}/parties/contact`, {
      phone: newPhone,
      challengeId: challenge.body.challengeId,
      code,
    });
    expect(phone.status, phone.text).toBe(200);
    expect(phone.body.changed).toEqual(['phone']);

    // The next sign-in code goes to the new phone.
    const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${applicantId}/access-code`, {});
    expect(issued.body.sentTo).toMatch(/9999$/);

    const confirmations = await stack
      .db('case_events')
      .where({ case_id: caseId, type: 'ServiceAddressConfirmed' })
      .orderBy('seq')
      .select('payload');
    expect(confirmations.map((e) => e.payload)).toEqual([
      { partyId: applicantId, changed: ['address'], article: '人民法院在线调解规则第十七条' },
      { partyId: applicantId, changed: ['phone'], article: '人民法院在线调解规则第十七条' },
    ]);
    // The other side cannot change this party's details.
    const other = await stack.send(respondent, 'POST', `/cases/${caseId}/parties/contact`, {
      partyId: applicantId,
      address: '别处',
    });
    expect(other.status).toBe(403);
    // Nothing changed: the details on record are confirmed as they are.
    const asIs = await stack.send(applicant, 'POST', `/cases/${caseId}/parties/contact`, {});
    expect(asIs.status, asIs.text).toBe(200);
    expect(asIs.body).toMatchObject({ changed: [], phone: expect.stringMatching(/9999$/) });
  });
});
