/**
 * The case file's reads (案件详情): full personal data only with a reason, recorded with the read; the case
 * view telling each principal which parties they may read in full, by the same policy the route applies; and
 * the case's deliveries (texts and court notifications) with their attempts, for the staff who follow them up.
 * Its own database: whether a court has a webhook (which other files register) decides a notification's fate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsRejected } from '../../infra/sms.js';
import { courtDelegation, fictionalIdNumber } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

/** The respondent's number: the gateway refuses texts to it, as it would an invalid number. */
const REFUSED_PHONE = '17000990099';
const APPLICANT_PHONE = '17000881234';

let stack: Stack;
const who: Record<string, Credentials> = {};
let caseId: string;
let applicant: string;
let respondent: string;

beforeAll(async () => {
  stack = await startStack({
    ownDatabase: true,
    smsGateway: {
      name: 'test',
      deliver: async (m) => {
        if (m.to === REFUSED_PHONE) throw new SmsRejected('the gateway answered 400');
        return { gatewayMessageId: `test-${m.messageId}` };
      },
    },
  });
  const { who: signedIn } = await stack.loginAll(['clerk.chen', 'mediator.wu', 'mediator.zhou', 'supervisor.zheng']);
  Object.assign(who, signedIn, { court: { apiKey: stack.apiKeys['court-5202']! } });
  // A dispute the court delegated, registered by the clerk from its letter: accepting it notifies the court.
  const created = await stack.send(
    who['clerk.chen'],
    'POST',
    '/cases',
    courtDelegation({
      parties: [
        {
          role: 'applicant',
          kind: 'natural',
          name: '张三',
          idNumber: fictionalIdNumber('445202', '19000101', '123'),
          phone: APPLICANT_PHONE,
          address: '广东省揭阳市榕城区某某路1号',
        },
        {
          role: 'respondent',
          kind: 'natural',
          name: '李四',
          idNumber: fictionalIdNumber('445202', '19000202', '456'),
          phone: REFUSED_PHONE,
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  caseId = created.body.caseId;
  [applicant, respondent] = created.body.parties.map((p: { partyId: string }) => p.partyId);
  const accepted = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseId}/accept`, {});
  expect(accepted.status, accepted.text).toBe(200);
  // The access codes go out by text: one reaches the gateway, the other is refused.
  for (const partyId of [applicant, respondent])
    expect(
      (await stack.send(who['clerk.chen'], 'POST', `/cases/${caseId}/parties/${partyId}/access-code`, {})).status,
    ).toBe(201);
  who.party = await stack.partyLogin(who['clerk.chen'], caseId, applicant);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const personalData = (partyId: string, reason?: string) =>
  `/cases/${caseId}/parties/${partyId}/personal-data${reason === undefined ? '' : `?reason=${encodeURIComponent(reason)}`}`;

describe('full personal data with a reason', () => {
  it('when the clerk asks without a reason, then 400 names reason and nothing is read or recorded', async () => {
    const before = await stack.db('personal_data_reads').where({ party_id: applicant }).count({ n: '*' });
    for (const path of [
      personalData(applicant),
      personalData(applicant, ''),
      personalData(applicant, '   '),
      personalData(applicant, '因'.repeat(201)),
    ]) {
      const res = await stack.send(who['clerk.chen'], 'GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
      expect(res.text).not.toContain(APPLICANT_PHONE);
    }
    const after = await stack.db('personal_data_reads').where({ party_id: applicant }).count({ n: '*' });
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('when the clerk gives a reason, then the data is answered and every field read is recorded with that reason', async () => {
    const res = await stack.send(who['clerk.chen'], 'GET', personalData(applicant, '  送达文书 '));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ partyId: applicant, name: '张三', phone: APPLICANT_PHONE });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const reads = await stack.db('personal_data_reads').where({ party_id: applicant, case_id: caseId }).orderBy('id');
    expect(reads.map((r) => [r.field, r.reason, r.role])).toEqual([
      ['idNumber', '送达文书', 'clerk'],
      ['phone', '送达文书', 'clerk'],
      ['address', '送达文书', 'clerk'],
    ]);
  });

  it("when a reason of 200 characters is given in the reader's own words, then it is recorded as given", async () => {
    const reason = `核对${'送'.repeat(198)}`;
    expect((await stack.send(who['clerk.chen'], 'GET', personalData(respondent, reason))).status).toBe(200);
    const read = await stack.db('personal_data_reads').where({ party_id: respondent }).orderBy('id', 'desc').first();
    expect(read.reason).toBe(reason);
  });

  it('when someone who may not read a party in full asks, even with a reason, then it is refused (403, or 404 off their case) and nothing is recorded', async () => {
    const before = await stack.db('personal_data_reads').where({ case_id: caseId }).count({ n: '*' });
    expect((await stack.send(who['supervisor.zheng'], 'GET', personalData(applicant, '核实身份'))).status).toBe(403);
    expect((await stack.send(who.party, 'GET', personalData(respondent, '核实身份'))).status).toBe(403);
    expect((await stack.send(who['mediator.zhou'], 'GET', personalData(applicant, '核实身份'))).status).toBe(404);
    // Refused before the query is read: someone who may not read learns nothing of what the route asks for.
    expect((await stack.send(who['supervisor.zheng'], 'GET', personalData(applicant))).status).toBe(403);
    const after = await stack.db('personal_data_reads').where({ case_id: caseId }).count({ n: '*' });
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('the case view says whom each principal may read in full', () => {
  it.each([
    ['clerk.chen', [true, true]],
    ['supervisor.zheng', [false, false]],
    ['court', [true, true]],
    ['party', [true, false]],
  ] as const)(
    'when %s opens the case, then mayRevealPersonalData is %j, as the personal-data route answers',
    async (name, expected) => {
      const view = await stack.send(who[name], 'GET', `/cases/${caseId}`);
      expect(view.status, view.text).toBe(200);
      const flags = view.body.parties.map((p: { mayRevealPersonalData: boolean }) => p.mayRevealPersonalData);
      expect(flags).toEqual(expected);
      for (const [i, partyId] of [applicant, respondent].entries()) {
        const read = await stack.send(who[name], 'GET', personalData(partyId, '核实身份'));
        expect(read.status, `${name} reads party ${i}`).toBe(expected[i] ? 200 : 403);
      }
    },
  );
});

describe('the case view says to whom each principal may issue an access code', () => {
  it.each([
    ['clerk.chen', [true, true]],
    ['supervisor.zheng', [false, false]],
    ['court', [false, false]],
    ['party', [false, false]],
  ] as const)(
    'when %s opens the case, then mayIssueAccessCode is %j, as the access-code route answers',
    async (name, expected) => {
      const view = await stack.send(who[name], 'GET', `/cases/${caseId}`);
      expect(view.status, view.text).toBe(200);
      const parties = view.body.parties as {
        partyId: string;
        mayIssueAccessCode: boolean;
        accessCodeIssuedAt?: string | null;
      }[];
      expect(parties.map((p) => p.mayIssueAccessCode)).toEqual(expected);
      // When the current code was issued: only to those who may issue one (both parties were issued one above).
      for (const p of parties) {
        if (p.mayIssueAccessCode) expect(Date.parse(p.accessCodeIssuedAt!)).toBeGreaterThan(0);
        else expect(p).not.toHaveProperty('accessCodeIssuedAt');
      }
      for (const partyId of [applicant, respondent]) {
        const issued = await stack.send(who[name], 'POST', `/cases/${caseId}/parties/${partyId}/access-code`, {});
        expect(issued.status, `${name} issues for ${partyId}`).toBe(expected[0] ? 201 : 403);
      }
    },
  );
});

type Delivery = {
  deliveryId: string;
  createdAt: string;
  channel: string;
  subject: string;
  partyId: string | null;
  phone: string | null;
  institutionId: string | null;
  institutionName: string | null;
  status: string;
  deliveredAt: string | null;
  attempts: { outcome: string; error: string | null }[];
};

/** The case's deliveries once every one has had an attempt (the delivery workflows run on their own). */
async function settledDeliveries(): Promise<Delivery[]> {
  for (const end = Date.now() + 30_000; ;) {
    const res = await stack.send(who['clerk.chen'], 'GET', `/cases/${caseId}/deliveries`);
    expect(res.status, res.text).toBe(200);
    const rows = res.body.deliveries as Delivery[];
    if (rows.length >= 5 && rows.every((d) => d.attempts.length > 0 && d.status !== 'failing')) return rows;
    if (Date.now() > end) throw new Error(`deliveries not settled: ${res.text}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("the case's deliveries", () => {
  it('when the case has sent texts and a court notification, then each is listed with its recipient, status and attempts, phones masked and no text', async () => {
    const rows = await settledDeliveries();
    const texts = rows.filter((d) => d.channel === 'sms' && d.subject === 'access_code');
    // The applicant's twice (the clerk's, then the one the party signed in with), and their sign-in code.
    expect(new Set(texts.map((t) => t.partyId))).toEqual(new Set([applicant, respondent]));
    expect(rows.filter((d) => d.subject === 'one_time_code').map((d) => [d.partyId, d.status])).toEqual([
      [applicant, 'delivered'],
    ]);
    const toApplicant = texts.find((t) => t.partyId === applicant)!;
    expect(toApplicant).toMatchObject({
      phone: '170****1234',
      status: 'delivered',
      attempts: [{ outcome: 'delivered', error: null }],
    });
    expect(toApplicant.deliveredAt).not.toBeNull();
    const toRespondent = texts.find((t) => t.partyId === respondent)!;
    expect(toRespondent).toMatchObject({
      phone: '170****0099',
      status: 'rejected',
      deliveredAt: null,
      attempts: [{ outcome: 'rejected', error: 'the gateway answered 400' }],
    });
    // The court has no webhook in this database: it fetches its messages itself.
    const notice = rows.find((d) => d.channel === 'institution')!;
    expect(notice).toMatchObject({
      subject: 'case_accepted',
      institutionId: 'court-5202',
      institutionName: expect.stringContaining('榕城区'),
      status: 'awaiting_poll',
      attempts: [{ outcome: 'no_webhook' }],
    });
    // Newest first.
    expect([...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt))).toEqual(rows);
    const text = JSON.stringify(rows);
    for (const secret of [APPLICANT_PHONE, REFUSED_PHONE, '查询码']) expect(text).not.toContain(secret);
  });

  it.each([
    ['supervisor.zheng', 200],
    ['court', 403],
    ['party', 403],
    ['mediator.zhou', 404],
  ] as const)('when %s asks for the deliveries, then %i', async (name, status) => {
    expect((await stack.send(who[name], 'GET', `/cases/${caseId}/deliveries`)).status).toBe(status);
  });

  it('when the mediator is assigned, then they see the deliveries too', async () => {
    expect((await stack.send(who['mediator.wu'], 'GET', `/cases/${caseId}/deliveries`)).status).toBe(404);
    const mediatorId = (await stack.send(who['mediator.wu'], 'GET', '/auth/me')).body.principal.id;
    const assigned = await stack.send(who['clerk.chen'], 'POST', `/cases/${caseId}/mediator`, {
      mode: 'designated',
      mediatorId,
    });
    expect(assigned.status, assigned.text).toBe(200);
    const res = await stack.send(who['mediator.wu'], 'GET', `/cases/${caseId}/deliveries`);
    expect(res.status).toBe(200);
    expect(res.body.deliveries.length).toBeGreaterThanOrEqual(3);
  });
});
