/**
 * The written notices the law requires, end to end on the real Temporal dev server and PostgreSQL: each is
 * rendered, listed and downloaded like the other documents, read back with pdftotext as a party would read
 * it, and withheld from those the access policy keeps it from. Dates expected are taken from what the case
 * recorded, never from today's date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chineseDate } from '../../templates/format.js';
import { DEADLINE_RULES } from '../../domain/deadlines.js';
import { NOT_ACCEPTED_REASONS, type NotAcceptedReason } from '../../domain/case.js';
import { loanAgreement, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  // The medical period (30 working days from acceptance) runs out in seconds here; no other test uses it.
  stack = await startStack({ deadlineOverridesMs: { medical_mediation: 2500 } });
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu', 'legalaid.xu']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const act = (as: Credentials, caseId: string, p: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${p}`, body);
const clerk = () => who['clerk.chen'];

type Doc = { documentId: string; kind: string; docVersion: number; verificationCode: string; download: string };
const documents = async (as: Credentials, caseId: string): Promise<Doc[]> => {
  const res = await stack.send(as, 'GET', `/cases/${caseId}/documents`);
  expect(res.status, res.text).toBe(200);
  return res.body.documents as Doc[];
};

/** Downloads a document as this principal and reads its text back; the status when refused. */
const read = (as: Credentials, doc: Doc) => stack.readPdf(as, doc.download);

async function registered(body = partyApplication()) {
  const created = await stack.send(clerk(), 'POST', '/cases', body);
  expect(created.status, created.text).toBe(201);
  return {
    caseId: created.body.caseId as string,
    parties: created.body.parties.map((p: { partyId: string }) => p.partyId) as string[],
  };
}

/** Nothing in a notice names a party by an internal id or in full. */
function expectNoIdsOrFullNames(text: string, parties: string[]) {
  for (const id of parties) expect(text).not.toContain(id);
  expect(text).not.toContain('张三');
  expect(text).not.toContain('李四');
}

describe('not accepted (人民调解法 Arts 17, 26)', () => {
  it('when a clerk declines a dispute already before a court, then the applicant downloads a 不予受理告知书 with the reason, its article and the other routes', async () => {
    const { caseId, parties } = await registered();
    const declined = await act(clerk(), caseId, 'decline', {
      reason: 'already_before_authority',
      note: '该纠纷已由揭阳市榕城区人民法院立案受理',
    });
    expect(declined.body.status, declined.text).toBe('NOT_ACCEPTED');
    const applicant = await stack.partyLogin(clerk(), caseId, parties[0]!);
    const docs = await documents(applicant, caseId);
    expect(docs.map((d) => d.kind)).toEqual(['not_accepted_notice']);
    const { status, text } = await read(applicant, docs[0]!);
    expect(status).toBe(200);
    for (const expected of [
      '不予受理告知书',
      '申请人张*：',
      '你与被申请人李*之间的借贷纠纷',
      '纠纷已由人民法院、公安机关或其他行政机关受理或解决',
      '司法部《人民调解工作若干规定》第二十二条',
      '决定不予受理',
      '已由揭阳市榕城区人民法院立案受理',
      '申请仲裁',
      '行政调解',
      '向有管辖权的人民法院提起诉讼',
      '人民调解法第二十六条',
      docs[0]!.verificationCode,
    ]) {
      expect(text, expected).toContain(expected);
    }
    expectNoIdsOrFullNames(text, parties);
  });

  const reasons: NotAcceptedReason[] = ['party_refuses_mediation', 'possible_criminal_matter', 'outside_scope'];
  it.each(reasons)(
    'when a clerk declines for %s, then the notice gives that reason and its article, and the other routes',
    async (reason) => {
      const { caseId, parties } = await registered();
      expect((await act(clerk(), caseId, 'decline', { reason })).body.status).toBe('NOT_ACCEPTED');
      const notice = (await documents(clerk(), caseId)).find((d) => d.kind === 'not_accepted_notice')!;
      const { text } = await read(clerk(), notice);
      const basis = NOT_ACCEPTED_REASONS[reason];
      for (const expected of [
        `因${basis.label}，依据${basis.article}的规定，决定不予受理`,
        '申请仲裁',
        '行政调解',
        '提起诉讼',
      ])
        expect(text, expected).toContain(expected);
      // Only a possible crime sends them to the police (人民调解法 Art 25).
      expect(text.includes('向当地公安机关报案（人民调解法第二十五条）')).toBe(reason === 'possible_criminal_matter');
      expectNoIdsOrFullNames(text, parties);
    },
  );
});

describe('the other side refused or could not be reached (人民调解法 Art 17; 在线调解规则 Art 15)', () => {
  it('when the other side cannot be reached, then the 不予调解告知书 lists every attempt the clerk recorded', async () => {
    const { caseId, parties } = await registered(partyApplication({ oneSided: true }));
    expect((await act(clerk(), caseId, 'accept')).body.status).toBe('PENDING_COUNTERPARTY_CONSENT');
    await act(clerk(), caseId, 'contacts', { channel: 'phone_call', result: 'no_answer' });
    await act(clerk(), caseId, 'contacts', { channel: 'visit', result: 'no_answer', note: '上门未遇，已留联系卡' });
    const closed = await act(clerk(), caseId, 'close-unreachable');
    expect(closed.body.status, closed.text).toBe('NOT_ACCEPTED');
    const docs = await documents(clerk(), caseId);
    const notice = docs.find((d) => d.kind === 'counterparty_notice')!;
    expect(notice).toBeDefined();
    const { text } = await read(clerk(), notice);
    for (const expected of [
      '不予调解告知书',
      '申请人张*：',
      '未能联系到被申请人李*',
      '人民法院在线调解规则第十五条',
      '联系记录',
      '电话，无人应答',
      '上门，无人应答（上门未遇，已留联系卡）',
      '提起诉讼',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // Each attempt with its date as recorded (Beijing time).
    const logged = closed.body.events.filter((e: { type: string }) => e.type === 'CounterpartyContactLogged') as {
      at: string;
    }[];
    expect(logged).toHaveLength(2);
    for (const e of logged) {
      const beijing = new Date(Date.parse(e.at) + 8 * 3600_000);
      expect(text).toContain(`${beijing.getUTCFullYear()}年${beijing.getUTCMonth() + 1}月${beijing.getUTCDate()}日`);
    }
    expectNoIdsOrFullNames(text, parties);
  });

  it('when the other side refuses, then the notice names them by role and masked name and quotes Art 17, and they can read it too', async () => {
    const { caseId, parties } = await registered(partyApplication({ oneSided: true }));
    await act(clerk(), caseId, 'accept');
    const respondent = await stack.partyLogin(clerk(), caseId, parties[1]!);
    const refused = await act(respondent, caseId, 'counterparty-refusal');
    expect(refused.body.status, refused.text).toBe('NOT_ACCEPTED');
    const notice = (await documents(respondent, caseId)).find((d) => d.kind === 'counterparty_notice')!;
    const { status, text } = await read(respondent, notice);
    expect(status).toBe(200);
    for (const expected of [
      '不予调解告知书',
      '被申请人李*明确表示拒绝调解',
      '人民调解法第十七条“当事人一方明确拒绝调解的，不得调解”',
      '调解程序终结',
      '申请仲裁',
    ])
      expect(text, expected).toContain(expected);
    expectNoIdsOrFullNames(text, parties);
  });
});

describe('legal aid refused in writing (法律援助法 Art 43)', () => {
  it('when legal aid is refused, then the applicant downloads the refusal with its reasons; the other side and the mediator cannot see or fetch it', async () => {
    const { caseId, parties } = await registered();
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    expect((await act(who['mediator.wu'], caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
    const applicant = await stack.partyLogin(clerk(), caseId, parties[0]!);
    expect(
      (await act(applicant, caseId, 'legal-aid', { basis: 'economic_hardship', selfDeclaration: true })).status,
    ).toBe(200);
    const reasons =
      '经信息共享查询，申请人家庭近六个月月人均可支配收入高于本市经济困难标准，不符合法律援助经济困难条件。';
    const decided = await act(who['legalaid.xu'], caseId, 'legal-aid/decision', { granted: false, reason: reasons });
    expect(decided.status, decided.text).toBe(200);
    const applied = decided.body.events.find((e: { type: string }) => e.type === 'LegalAidApplied') as { at: string };

    const refusal = (await documents(applicant, caseId)).find((d) => d.kind === 'legal_aid_refusal')!;
    expect(refusal).toMatchObject({ docVersion: 1 });
    const { status, text } = await read(applicant, refusal);
    expect(status).toBe(200);
    const appliedOn = new Date(Date.parse(applied.at) + 8 * 3600_000).toISOString().slice(0, 10);
    for (const expected of [
      '不予法律援助决定书',
      '申请人张*：',
      chineseDate(appliedOn),
      '经济困难',
      '《中华人民共和国法律援助法》第四十三条',
      '决定不予法律援助',
      '不予法律援助的理由',
      reasons,
      '法律援助法第四十九条',
      '揭阳市法律援助处（印章）',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expectNoIdsOrFullNames(text, parties);
    // Staff who handle legal aid read it; the other side and the mediator neither see nor fetch it.
    expect((await read(who['legalaid.xu'], refusal)).status).toBe(200);
    expect((await read(clerk(), refusal)).status).toBe(200);
    const respondent = await stack.partyLogin(clerk(), caseId, parties[1]!);
    for (const [name, as] of [
      ['respondent', respondent],
      ['mediator', who['mediator.wu']],
    ] as const) {
      expect(
        (await documents(as, caseId)).map((d) => d.kind),
        name,
      ).not.toContain('legal_aid_refusal');
      expect((await read(as, refusal)).status, name).toBe(404);
    }
    expect(
      await stack
        .db('security_events')
        .where({ case_id: caseId, kind: 'authorization_denied' })
        .whereRaw("detail->>'why' = 'document_not_visible'"),
    ).toHaveLength(2);
  });
});

describe('the termination notice states the reason in Chinese with its article', () => {
  it('when a party refuses to sign, then the notice names that party by role and masked name, never by id, and cites the article', async () => {
    const { caseId, parties } = await registered();
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    await act(who['mediator.wu'], caseId, 'mediator/accept');
    await act(who['mediator.wu'], caseId, 'agreement/drafts', { content: loanAgreement });
    await act(who['mediator.wu'], caseId, 'agreement/circulation');
    const ended = await act(clerk(), caseId, 'agreement/refusals', { partyId: parties[1] });
    expect(ended.body.status, ended.text).toBe('TERMINATED');
    const notice = (await documents(clerk(), caseId)).find((d) => d.kind === 'termination_notice')!;
    const { text } = await read(clerk(), notice);
    for (const expected of [
      '终止调解告知书',
      '申请人张*、被申请人李*：',
      '因当事人拒绝在调解协议上签章（被申请人李*拒绝在调解协议上签名、盖章或者按指印）',
      '依据人民调解法第二十三条第（四）项、第二十六条的规定，调解终止',
      '申请仲裁',
      '提起诉讼',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expectNoIdsOrFullNames(text, parties);
    expect(text).not.toMatch(/refused|party/i);
  });

  it('when the mediation period runs out, then the notice names the period, its last day as recorded and its article, in Chinese', async () => {
    const { caseId, parties } = await registered(partyApplication({ disputeType: 'medical' }));
    expect((await act(clerk(), caseId, 'accept')).body.status).toBe('PENDING_ASSIGNMENT');
    let view;
    for (const until = Date.now() + 20_000; ;) {
      view = await stack.send(clerk(), 'GET', `/cases/${caseId}`);
      const docs = (await documents(clerk(), caseId)).map((d) => d.kind);
      if (view.body.status === 'TERMINATED' && docs.includes('termination_notice')) break;
      if (Date.now() > until) throw new Error(`case stayed ${view.body.status} with ${docs.join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(view.body.termination).toMatchObject({ reason: 'period_expired' });
    const period = view.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'medical_mediation') as {
      lastDay: string;
    };
    const notice = (await documents(clerk(), caseId)).find((d) => d.kind === 'termination_notice')!;
    const { text } = await read(clerk(), notice);
    const rule = DEADLINE_RULES.medical_mediation;
    for (const expected of [
      '终止调解告知书',
      '因调解期限届满，未达成调解协议，且各方当事人未达成延长调解期限的合意',
      `${rule.label}为${rule.length}个工作日，已于${chineseDate(period.lastDay)}届满`,
      rule.citation,
      '依据人民调解法第二十六条的规定，调解终止',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain(rule.onExpiry);
    expectNoIdsOrFullNames(text, parties);
  });
});
