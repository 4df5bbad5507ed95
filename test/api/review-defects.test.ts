/**
 * The smaller rule defects found in review (issue 13, item 8), end to end on the real Temporal dev server and
 * PostgreSQL: each rule reaches the HTTP edge, the record and the court.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apologyAgreement, effectiveAgreement } from '../support/drive.js';
import { courtDelegation, fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu', 'mediator.luo']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const clerk = () => who['clerk.chen']!;
const mediator = () => who['mediator.wu']!;
const court = () => ({ apiKey: stack.apiKeys['court-5202']! });
const notary = () => ({ apiKey: stack.apiKeys['notary-jieyang']! });
const act = (as: Credentials, caseId: string, path: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
const get = (as: Credentials, caseId: string) => stack.send(as, 'GET', `/cases/${caseId}`);
const deadline = (body: { deadlines: { ruleId: string; status: string }[] }, ruleId: string) =>
  body.deadlines.find((d) => d.ruleId === ruleId);

/** A file uploaded to the case as it is (`send` speaks JSON only). */
async function upload(as: Credentials, caseId: string, title: string): Promise<string> {
  const auth: Record<string, string> =
    as === undefined ? {} : 'token' in as ? { authorization: `Bearer ${as.token}` } : { 'x-api-key': as.apiKey };
  const res = await fetch(`${stack.url}/cases/${caseId}/materials?${new URLSearchParams({ kind: 'other', title })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', ...auth },
    body: Buffer.from(`%PDF-1.4\n% ${caseId} ${title}\n%%EOF\n`, 'latin1'),
  });
  const body = (await res.json()) as { material: { materialId: string } };
  expect(res.status).toBe(201);
  return body.material.materialId;
}

/** Registers and brings a case into mediation with 吴国栋. */
async function inMediation(body: Record<string, unknown>, registrant: Credentials = clerk()) {
  const created = await stack.send(registrant, 'POST', '/cases', body);
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  expect((await act(clerk(), caseId, 'accept')).status).toBe(200);
  expect(
    (await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] })).status,
  ).toBe(200);
  expect((await act(mediator(), caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
  return { caseId, parties: created.body.parties.map((p: { partyId: string }) => p.partyId) as string[] };
}

describe('reports and decisions that belong to the court', () => {
  it('when a delegated case is suspended for suspected sham mediation, then the delegating court is told (特邀调解规定 Art 18)', async () => {
    const { caseId } = await inMediation(courtDelegation(), court());
    const suspended = await act(mediator(), caseId, 'suspension', {
      reason: 'sham_check',
      note: '双方陈述高度一致，疑似串通',
    });
    expect(suspended.body.status).toBe('SUSPENDED');
    const sent = await stack.db('institution_messages').where({ case_id: caseId, message: 'sham_mediation_suspected' });
    expect(sent).toEqual([
      expect.objectContaining({
        institution_id: 'court-5202',
        payload: expect.objectContaining({ basis: '特邀调解规定第十八条', letterNumber: '榕法委派〔2026〕12号' }),
      }),
    ]);
  });

  it('when a party asks that the mediator of a delegated case step aside, then the mediator stays until the court (or the organization) decides', async () => {
    const { caseId, parties } = await inMediation(courtDelegation(), court());
    const asked = await act(clerk(), caseId, 'recusal', { partyId: parties[0], ground: 'interest_in_dispute' });
    expect(asked.body).toMatchObject({
      status: 'IN_MEDIATION',
      assignment: { mediatorId: accountId['mediator.wu'], recusal: { ground: 'interest_in_dispute' } },
    });
    expect(
      (
        await act({ apiKey: stack.apiKeys['court-5203']! }, caseId, 'recusal/decision', {
          granted: true,
          reason: '准许',
        })
      ).status,
    ).toBe(404);
    const decided = await act(court(), caseId, 'recusal/decision', { granted: true, reason: '调解员与本案有利害关系' });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'PENDING_ASSIGNMENT',
      assignment: { mediatorId: null, recusal: null },
    });
    expect(decided.body.events.find((e: { type: string }) => e.type === 'MediatorRecused').payload).toMatchObject({
      decidedBy: 'court',
      article: '特邀调解规定第十五条',
    });
  });
});

describe('periods', () => {
  it('when the limitation period ends on a holiday or on 29 February of a common year, then the alert shows the day it really ends', async () => {
    // 3 years from 2023-10-01 end inside the 2026 National Day holiday: the next working day is 10-08 (民法典 Art 203).
    const holiday = await stack.send(
      clerk(),
      'POST',
      '/cases',
      partyApplication({ claimantLearnedOfHarmOn: '2023-10-01' }),
    );
    expect((await get(clerk(), holiday.body.caseId)).body.screening.limitation).toMatchObject({
      endsOn: '2026-10-08',
      basis: expect.stringContaining('第二百零三条'),
    });
    // One year (labour) from 2024-02-29 ends on 2025-02-28 (民法典 Art 202), never on a day that does not exist.
    const leap = await stack.send(
      clerk(),
      'POST',
      '/cases',
      partyApplication({ disputeType: 'labour', claimantLearnedOfHarmOn: '2024-02-29' }),
    );
    const limitation = (await get(clerk(), leap.body.caseId)).body.screening.limitation;
    expect(limitation).toMatchObject({ endsOn: '2025-02-28', level: 'expired' });
    const registered = await stack
      .db('case_events')
      .where({ case_id: leap.body.caseId, type: 'CaseRegistered' })
      .first('payload');
    expect(registered?.payload.limitation).toMatchObject({ endsOn: '2025-02-28' });
  });

  it("when a consumer dispute comes to people's mediation, then the general period runs; when a market regulator mediates a complaint, its 45 working days do", async () => {
    const peoples = await stack.send(clerk(), 'POST', '/cases', partyApplication({ disputeType: 'consumer' }));
    const accepted = await act(clerk(), peoples.body.caseId, 'accept');
    expect(deadline(accepted.body, 'general_mediation')).toBeDefined();
    expect(deadline(accepted.body, 'consumer_mediation')).toBeUndefined();
    const complaint = await stack.send(
      clerk(),
      'POST',
      '/cases',
      partyApplication({
        channel: 'referral',
        disputeType: 'consumer',
        referral: { agency: 'market_regulator', agencyName: '揭阳市榕城区市场监督管理局' },
        marketRegulatorComplaint: {
          authorityName: '揭阳市榕城区市场监督管理局',
          complaintNumber: '榕市监投〔2026〕88号',
        },
      }),
    );
    expect(complaint.status, complaint.text).toBe(201);
    const regulator = await act(clerk(), complaint.body.caseId, 'accept');
    expect(deadline(regulator.body, 'consumer_mediation')).toMatchObject({
      citation: expect.stringContaining('市场监督管理投诉举报处理暂行办法'),
    });
    const wrong = await stack.send(
      clerk(),
      'POST',
      '/cases',
      partyApplication({ marketRegulatorComplaint: { authorityName: '某局' } }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toContain('marketRegulatorComplaint');
  });

  it('when the notary has to verify facts, then its 15 working days pause until the notary resumes (公证法 Art 30)', async () => {
    const { caseId, applicant, respondent } = await effectiveAgreement(stack, { intake: partyApplication() });
    await act(clerk(), caseId, 'notarization', {
      notaryId: 'notary-jieyang',
      creditorPartyId: applicant,
      debtorPartyId: respondent,
      obligation: 'money',
    });
    await act(clerk(), caseId, 'notarization/signatures', { partyId: applicant, method: 'handwritten' });
    await act(clerk(), caseId, 'notarization/signatures', { partyId: respondent, method: 'handwritten' });
    expect((await act(notary(), caseId, 'notarization/acceptance')).status).toBe(200);
    expect((await act(clerk(), caseId, 'notarization/period-pause', { reason: 'verification' })).status).toBe(403);
    const paused = await act(notary(), caseId, 'notarization/period-pause', {
      reason: 'verification',
      note: '向出具收入证明的单位核实',
    });
    expect(paused.status, paused.text).toBe(200);
    expect(deadline(paused.body, 'notarization')).toMatchObject({ status: 'paused' });
    expect(
      paused.body.events.find((e: { type: string }) => e.type === 'NotarizationPeriodPaused').payload,
    ).toMatchObject({ reason: 'verification', article: '公证法第三十条' });
    const resumed = await act(notary(), caseId, 'notarization/period-resumption', {});
    expect(resumed.status, resumed.text).toBe(200);
    expect(deadline(resumed.body, 'notarization')).toMatchObject({ status: 'open' });
  });
});

describe('what the record keeps', () => {
  it("when an applicant claims the city's exemption from verifying hardship, then the proof offered is on the application", async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId as string;
    const proof = await upload(clerk(), caseId, '申请人居民身份证复印件');
    const applied = await act(clerk(), caseId, 'legal-aid', {
      partyId: created.body.parties[0].partyId,
      basis: 'local_aged_75',
      proof: { description: '居民身份证（年满七十五周岁）', materialId: proof },
    });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.screening.legalAid).toMatchObject({ basis: 'local_aged_75', proof: { materialId: proof } });
    expect(applied.body.events.find((e: { type: string }) => e.type === 'LegalAidApplied').payload).toMatchObject({
      treatment: 'verification_exempt',
      source: expect.stringContaining('法律援助法第四十二条'),
    });
  });

  it('when a family agreement is signed, then not electronically, and the clerk records each wet-ink signature with its scan (电子签名法 Art 3)', async () => {
    const family = partyApplication({
      disputeType: 'family_property',
      parties: [
        {
          role: 'applicant',
          kind: 'natural',
          name: '林八',
          idNumber: fictionalIdNumber('445202', '19000808', '808'),
          phone: '17000808080',
        },
        {
          role: 'respondent',
          kind: 'natural',
          name: '林九',
          idNumber: fictionalIdNumber('445202', '19000909', '909'),
          phone: '17000909090',
        },
      ],
    });
    const { caseId, parties } = await inMediation(family);
    await act(mediator(), caseId, 'agreement/drafts', { content: apologyAgreement });
    await act(mediator(), caseId, 'agreement/circulation');
    const party = await stack.partyLogin(clerk(), caseId, parties[0]!);
    const electronic = await act(party, caseId, 'agreement/signatures', { method: 'electronic', draftVersion: 1 });
    expect(electronic.status).toBe(422);
    expect(electronic.body).toMatchObject({
      rule: 'electronic_signature_excluded',
      article: expect.stringContaining('电子签名法第三条'),
    });
    const bare = await act(clerk(), caseId, 'agreement/signatures', {
      signer: parties[0],
      method: 'handwritten',
      draftVersion: 1,
    });
    expect(bare.status).toBe(422);
    expect(bare.body).toMatchObject({ rule: 'signature_scan_required' });
    const scan = await upload(clerk(), caseId, '调解协议书签字页扫描件');
    const signed = await act(clerk(), caseId, 'agreement/signatures', {
      signer: parties[0],
      method: 'handwritten',
      draftVersion: 1,
      scanMaterialId: scan,
    });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body.events.find((e: { type: string }) => e.type === 'AgreementSigned').payload).toMatchObject({
      signer: parties[0],
      scan: { materialId: scan },
    });
  });
});
