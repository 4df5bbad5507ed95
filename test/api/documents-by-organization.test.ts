/**
 * Documents that fit the organization, end to end on the real Temporal dev server and PostgreSQL: an
 * employer's 法定代表人 travels from intake through the API into the agreement; a labour agreement reads as
 * one; an amount without its manner and time of performance is refused with the article; a planned
 * notarization prints the debtor's commitment; the judicial-confirmation application states the agreement's
 * facts, not the dispute as it was registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { effectiveAgreement } from '../support/drive.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const staff = await stack.loginAll(['clerk.chen', 'mediator.liang']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const act = (as: Credentials, caseId: string, action: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${action}`, body);
const clerk = () => who['clerk.chen']!;
const flat = (s: string) => s.replace(/\s+/g, '');

/** The case's document of this kind, downloaded and read back with pdftotext (as the clerk, once it exists). */
async function documentText(caseId: string, kind: string): Promise<{ title: string; text: string }> {
  let doc: { kind: string; title: string; download: string } | undefined;
  for (let i = 0; i < 50 && !doc; i++) {
    const list = await stack.send(clerk(), 'GET', `/cases/${caseId}/documents`);
    doc = (list.body.documents as { kind: string; title: string; download: string }[]).find((d) => d.kind === kind);
    if (!doc) await new Promise((r) => setTimeout(r, 200));
  }
  if (!doc) throw new Error(`no ${kind} document on case ${caseId}`);
  const read = await stack.readPdf(clerk(), doc.download);
  expect(read.status).toBe(200);
  return { title: doc.title, text: read.text };
}

const employer = {
  role: 'respondent',
  kind: 'legal',
  name: '揭阳市某某制衣有限公司',
  creditCode: '91445200MA4UXXXX0X',
  address: '广东省揭阳市榕城区某某工业区8号',
  legalRepresentative: { kind: 'legal_representative', name: '陈某某', title: '执行董事兼总经理' },
};
const wageClaim = partyApplication({
  disputeType: 'labour',
  summary: '申请人称被申请人拖欠工资，要求支付。',
  claimAmountFen: 960_000,
  parties: [
    {
      role: 'applicant',
      kind: 'natural',
      name: '王五',
      idNumber: fictionalIdNumber('445202', '19000303', '567'),
      phone: '17000002345',
    },
    employer,
  ],
});
// Pinned dates: the agreement's wording does not depend on the day the suite runs.
const wages = (term: Record<string, unknown>) => ({
  facts: '申请人王五于2025年5月入职被申请人处，2026年8月离职，被申请人尚欠其2026年7月、8月工资共计人民币9600元。',
  terms: [{ text: '被申请人向申请人支付拖欠的2026年7月、8月工资人民币玖仟陆佰元整。', amountFen: 960_000, ...term }],
});

describe('an organization as a party, in a labour dispute', () => {
  it('when an employer with its 法定代表人 settles a wage claim, then the case shows the representative and the agreement is a 劳动争议调解协议书 naming them, with the commitment the draft planned', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', wageClaim);
    expect(created.status, created.text).toBe(201);
    const caseId = created.body.caseId as string;
    const respondent = created.body.parties.find((p: { role: string }) => p.role === 'respondent');
    expect(respondent).toMatchObject({
      kind: 'legal',
      name: '揭阳市某某制衣有限公司',
      legalRepresentative: { kind: 'legal_representative', name: '陈某某', title: '执行董事兼总经理' },
    });
    expect((await stack.send(clerk(), 'GET', `/cases/${caseId}`)).body.parties[1].legalRepresentative).toEqual(
      employer.legalRepresentative,
    );

    expect((await act(clerk(), caseId, 'accept')).status).toBe(200);
    expect(
      (await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.liang'] })).status,
    ).toBe(200);
    expect((await act(who['mediator.liang']!, caseId, 'mediator/accept')).status).toBe(200);

    // An amount with no date and no manner: refused, with the article, and no draft takes the version.
    const refused = await act(who['mediator.liang']!, caseId, 'agreement/drafts', { content: wages({}) });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body).toMatchObject({
      rule: 'performance_terms_required',
      article: expect.stringContaining('民法典第四百七十条'),
    });
    expect(await stack.db('agreement_drafts').where({ case_id: caseId })).toHaveLength(0);

    const drafted = await act(who['mediator.liang']!, caseId, 'agreement/drafts', {
      content: {
        ...wages({ dueDate: '2026-12-10', manner: '银行转账至申请人工资卡' }),
        notarization: { debtorPartyIds: [respondent.partyId] },
      },
    });
    expect(drafted.status, drafted.text).toBe(200);
    expect(drafted.body.agreement).toMatchObject({
      version: 1,
      path: 'labour_mediation',
      enforcementCommitment: { debtorPartyIds: [respondent.partyId] },
    });
    expect((await act(who['mediator.liang']!, caseId, 'agreement/circulation')).status).toBe(200);

    const { title, text } = await documentText(caseId, 'agreement');
    expect(title).toBe('劳动争议调解协议书');
    for (const expected of [
      '揭阳市劳动人事争议调解中心劳动争议调解协议书',
      '被申请人：揭阳市某某制衣有限公司，统一社会信用代码：91445200MA4UXXXX0X，住所：广东省揭阳市榕城区某某工业区8号，法定代表人：陈某某，职务：执行董事兼总经理。',
      '履行方式：银行转账至申请人工资卡；履行期限：二〇二六年十二月十日前',
      '债务人揭阳市某某制衣有限公司自愿承诺',
      '劳动争议调解仲裁法第十四条',
      '被申请人（签名或者盖章）：法定代表人（签名）：',
      '揭阳市劳动人事争议调解中心（印章）',
    ])
      expect(text).toContain(flat(expected));
    expect(text).not.toContain('人民调解');
  });
});

describe('the judicial-confirmation application', () => {
  it('when the parties apply, then the application states the facts of the agreement, not the dispute as registered', async () => {
    const registered = '申请人称被申请人借款不还（登记时的陈述）。';
    const agreed = '被申请人李四于2025年3月向申请人张三借款人民币12000元，双方确认尚欠本金12000元，约定分两期归还。';
    const { caseId, applicant, respondent } = await effectiveAgreement(stack, {
      intake: partyApplication({ summary: registered }),
      content: {
        facts: agreed,
        terms: [
          {
            text: '被申请人李四向申请人张三归还借款人民币壹万贰仟元整。',
            amountFen: 1_200_000,
            dueDate: '2027-06-30',
            manner: '银行转账',
          },
        ],
      },
    });
    const started = await act(clerk(), caseId, 'judicial-confirmation', {
      venueGround: 'party_domicile',
      courtCode: '粤5202',
    });
    expect(started.status, started.text).toBe(200);
    // Both sign the joint application (民事诉讼法 Art 205); then it is written for the court.
    for (const partyId of [applicant, respondent])
      expect(
        (await act(clerk(), caseId, 'judicial-confirmation/signatures', { partyId, method: 'handwritten' })).status,
      ).toBe(200);
    const { text } = await documentText(caseId, 'judicial_confirmation_application');
    expect(text).toContain(flat(agreed));
    expect(text).not.toContain(flat('登记时的陈述'));
    expect(text).toContain(flat('《中华人民共和国民事诉讼法》第二百零五条、《中华人民共和国人民调解法》第三十三条'));
  });
});
