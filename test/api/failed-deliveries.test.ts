/**
 * 投递失败 (GET /queues/failed-deliveries): the texts and court notifications that could not be delivered, across
 * the cases each clerk follows up (their organization's) and every case for the supervisor, the oldest first;
 * refused to anyone else. A text the gateway refuses (rejected), a text the gateway keeps failing (failing) and a
 * court notification whose webhook answers 500 (failing) are listed; a text that was delivered is not. Phones and
 * names masked, never a text's words. Its own database: the court's webhook, which this file registers, decides
 * what happens to every notification to that court.
 */
import { randomBytes } from 'node:crypto';
import { createFieldCipher } from '../../infra/crypto.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsRejected } from '../../infra/sms.js';
import { courtDelegation, fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

/** The gateway refuses texts to this number, as it would an invalid one. */
const REFUSED_PHONE = '17000770077';
/** The gateway is busy for this one, every time: its texts are retried and keep failing. */
const FAILING_PHONE = '17000660066';
/** Delivered at once. */
const GOOD_PHONE = '17000551234';
/** A case of another organization: refused too. */
const OTHER_ORG_PHONE = '17000440044';

let stack: Stack;
let webhook: Server;
const who: Record<string, Credentials> = {};
let centerCase: { caseId: string; caseNumber: string; applicant: string; respondent: string; thirdParty: string };
let otherCase: { caseId: string; caseNumber: string; applicant: string };

type Failed = {
  deliveryId: string;
  channel: 'sms' | 'institution';
  subject: string;
  caseId: string;
  caseNumber: string;
  partyId: string | null;
  partyRole: string | null;
  partyName: string | null;
  phone: string | null;
  institutionId: string | null;
  institutionName: string | null;
  createdAt: string;
  status: 'failing' | 'rejected';
  attemptCount: number;
  lastAttempt: { attempt: number; at: string; outcome: string; httpStatus: number | null; error: string | null };
};

beforeAll(async () => {
  stack = await startStack({
    ownDatabase: true,
    smsGateway: {
      name: 'test',
      deliver: async (m) => {
        if (m.to === REFUSED_PHONE || m.to === OTHER_ORG_PHONE) throw new SmsRejected('the gateway answered 400');
        if (m.to === FAILING_PHONE) throw new Error('the gateway answered 503');
        return { gatewayMessageId: `test-${m.messageId}` };
      },
    },
  });
  // The court's system is down: every notification to it is answered 500.
  webhook = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', () => resolve()));
  const { who: signedIn } = await stack.loginAll(['clerk.chen', 'clerk.huang', 'mediator.wu', 'supervisor.zheng']);
  Object.assign(who, signedIn, { court: { apiKey: stack.apiKeys['court-5202']! } });
  const hooked = await stack.send(who.court, 'PUT', '/integration/webhook', {
    url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/odr`,
  });
  expect(hooked.status, hooked.text).toBe(200);

  // The center's case (clerk.chen): the court delegated it, so accepting it notifies the court.
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
          phone: FAILING_PHONE,
        },
        {
          role: 'respondent',
          kind: 'natural',
          name: '李四',
          idNumber: fictionalIdNumber('445202', '19000202', '456'),
          phone: REFUSED_PHONE,
        },
        {
          role: 'third_party',
          kind: 'natural',
          name: '王五',
          idNumber: fictionalIdNumber('445202', '19000303', '789'),
          phone: GOOD_PHONE,
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  const [applicant, respondent, thirdParty] = created.body.parties.map((p: { partyId: string }) => p.partyId) as [
    string,
    string,
    string,
  ];
  centerCase = { caseId: created.body.caseId, caseNumber: created.body.caseNumber, applicant, respondent, thirdParty };
  expect((await stack.send(who['clerk.chen'], 'POST', `/cases/${centerCase.caseId}/accept`, {})).status).toBe(200);
  for (const partyId of [applicant, respondent, thirdParty]) {
    expect(
      (await stack.send(who['clerk.chen'], 'POST', `/cases/${centerCase.caseId}/parties/${partyId}/access-code`, {}))
        .status,
    ).toBe(201);
  }

  // A case of 榕城区人民调解委员会 (clerk.huang), whose text is refused too.
  const other = await stack.send(
    who['clerk.huang'],
    'POST',
    '/cases',
    partyApplication({
      parties: [
        { role: 'applicant', kind: 'natural', name: '赵六', phone: OTHER_ORG_PHONE },
        { role: 'respondent', kind: 'natural', name: '钱七' },
      ],
    }),
  );
  expect(other.status, other.text).toBe(201);
  otherCase = {
    caseId: other.body.caseId,
    caseNumber: other.body.caseNumber,
    applicant: other.body.parties[0].partyId,
  };
  expect(
    (
      await stack.send(
        who['clerk.huang'],
        'POST',
        `/cases/${otherCase.caseId}/parties/${otherCase.applicant}/access-code`,
        {},
      )
    ).status,
  ).toBe(201);
  // Neither clerk's organization takes in or handles the other's case.
  const orgs = await stack
    .db('cases')
    .whereIn('case_id', [centerCase.caseId, otherCase.caseId])
    .select('case_id', 'intake_org_id', 'handling_org_id');
  expect(orgs.find((r) => r.case_id === centerCase.caseId)).toMatchObject({
    intake_org_id: 'center',
    handling_org_id: 'center',
  });
  expect(orgs.find((r) => r.case_id === otherCase.caseId)).toMatchObject({
    intake_org_id: 'rongcheng-pmc',
    handling_org_id: 'rongcheng-pmc',
  });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => webhook?.close(resolve));
});

const failedFor = async (name: string) => {
  const res = await stack.send(who[name], 'GET', '/queues/failed-deliveries');
  expect(res.status, res.text).toBe(200);
  return res.body as { asOf: string; limit: number; more: boolean; deliveries: Failed[] };
};

/** The list once the deliveries of both cases have had their attempts (the delivery workflows run on their own). */
async function settled(name: string, until: (rows: Failed[]) => boolean): Promise<Failed[]> {
  for (const end = Date.now() + 45_000; ;) {
    const { deliveries } = await failedFor(name);
    if (until(deliveries)) return deliveries;
    if (Date.now() > end) throw new Error(`not settled for ${name}: ${JSON.stringify(deliveries)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const ofCase = (rows: Failed[], caseId: string) => rows.filter((d) => d.caseId === caseId);
const centerSettled = (rows: Failed[]) => {
  const mine = ofCase(rows, centerCase.caseId);
  return (
    mine.some((d) => d.channel === 'institution') &&
    mine.some((d) => d.subject === 'access_code' && d.status === 'rejected') &&
    mine.some((d) => d.subject === 'access_code' && d.status === 'failing')
  );
};

describe('failed deliveries, for the clerk of the organization', () => {
  it("when a text is refused, another keeps failing and the court's system answers 500, then each is listed for the center's clerk with its case, recipient and last attempt", async () => {
    const rows = await settled('clerk.chen', centerSettled);
    const mine = ofCase(rows, centerCase.caseId);
    const refused = mine.find((d) => d.subject === 'access_code' && d.partyId === centerCase.respondent)!;
    expect(refused).toMatchObject({
      channel: 'sms',
      caseNumber: centerCase.caseNumber,
      partyRole: 'respondent',
      partyName: '李*',
      phone: '170****0077',
      status: 'rejected',
      attemptCount: 1,
      lastAttempt: { attempt: 1, outcome: 'rejected', error: 'the gateway answered 400' },
    });
    const failing = mine.find((d) => d.subject === 'access_code' && d.partyId === centerCase.applicant)!;
    expect(failing).toMatchObject({
      channel: 'sms',
      partyRole: 'applicant',
      partyName: '张*',
      phone: '170****0066',
      status: 'failing',
      lastAttempt: { outcome: 'failed', error: 'the gateway answered 503' },
    });
    expect(failing.attemptCount).toBeGreaterThanOrEqual(1);
    const court = mine.find((d) => d.channel === 'institution')!;
    expect(court).toMatchObject({
      subject: 'case_accepted',
      institutionId: 'court-5202',
      institutionName: expect.stringContaining('榕城区'),
      partyId: null,
      phone: null,
      status: 'failing',
      lastAttempt: { outcome: 'failed', httpStatus: 500 },
    });
    // The third party's text was delivered: not listed.
    expect(mine.some((d) => d.phone === '170****1234')).toBe(false);
    // The oldest first.
    expect([...rows].sort((a, b) => a.createdAt.localeCompare(b.createdAt))).toEqual(rows);
    // Nothing of another organization's case.
    expect(ofCase(rows, otherCase.caseId)).toEqual([]);
    // Masked, and never a text's words (an access code is in them).
    const text = JSON.stringify(rows);
    for (const secret of [REFUSED_PHONE, FAILING_PHONE, '查询码', '张三', '李四']) expect(text).not.toContain(secret);
  });

  it("when the case's own 通知 is read, then it agrees: the same deliveries are not delivered", async () => {
    const rows = ofCase(await settled('clerk.chen', centerSettled), centerCase.caseId);
    const own = (await stack.send(who['clerk.chen'], 'GET', `/cases/${centerCase.caseId}/deliveries`)).body
      .deliveries as { deliveryId: string; status: string }[];
    for (const d of rows) expect(own.find((o) => o.deliveryId === d.deliveryId)?.status, d.subject).toBe(d.status);
    const undelivered = own
      .filter((o) => o.status === 'failing' || o.status === 'rejected')
      .map((o) => o.deliveryId)
      .sort();
    expect(rows.map((d) => d.deliveryId).sort()).toEqual(undelivered);
  });

  it("when the other organization's clerk asks, then only their own case's refused text is listed", async () => {
    const rows = await settled('clerk.huang', (r) => ofCase(r, otherCase.caseId).length > 0);
    expect(ofCase(rows, centerCase.caseId)).toEqual([]);
    expect(ofCase(rows, otherCase.caseId)).toMatchObject([
      { subject: 'access_code', partyName: '赵*', phone: '170****0044', status: 'rejected' },
    ]);
  });
});

describe('failed deliveries, for the supervisor and for those who do not follow them up', () => {
  it('when the supervisor asks, then every case is covered', async () => {
    const rows = await settled('supervisor.zheng', (r) => centerSettled(r) && ofCase(r, otherCase.caseId).length > 0);
    expect(ofCase(rows, otherCase.caseId)).toHaveLength(1);
    expect(ofCase(rows, centerCase.caseId).length).toBeGreaterThanOrEqual(3);
  });

  it.each([['mediator.wu'], ['court']])('when %s asks, then 403', async (name) => {
    const res = await stack.send(who[name], 'GET', '/queues/failed-deliveries');
    expect(res.status).toBe(403);
  });

  it('when a party asks, then 403', async () => {
    // The third party, whose texts arrive: signing in adds no failed delivery.
    const party = await stack.partyLogin(who['clerk.chen'], centerCase.caseId, centerCase.thirdParty);
    expect((await stack.send(party, 'GET', '/queues/failed-deliveries')).status).toBe(403);
  });
});

describe('failed deliveries, when a row cannot be opened', () => {
  it("when a text's phone was sealed under another key (a rotation not finished, another installation's backup), then the list still answers and that phone is left out", async () => {
    const row = await stack.db('sms_outbox').where({ case_id: otherCase.caseId }).first('message_id');
    await stack
      .db('sms_outbox')
      .where({ message_id: row!.message_id })
      .update({ to_phone_enc: createFieldCipher(randomBytes(32)).encrypt('17000009999') });
    const rows = ofCase((await failedFor('clerk.huang')).deliveries, otherCase.caseId);
    expect(rows).toMatchObject([{ deliveryId: row!.message_id, partyName: '赵*', phone: null, status: 'rejected' }]);
  });
});
