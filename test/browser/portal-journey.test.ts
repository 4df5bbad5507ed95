/**
 * A case from a party's phone to the agreement they download, in one run against the real stack (issue 16 item 7):
 * a person applies online in the portal (the phone proven with the texted code); the clerk accepts; the
 * respondent signs in with the 查询码 texted to them, consents, and chooses a mediator; the applicant chooses the
 * same one, who is then assigned as the parties' choice; the mediator accepts, drafts and circulates the agreement;
 * both parties read and sign it in the portal; once the mediator and the seal sign, the applicant downloads the
 * agreement, whose SHA-256 is the one the public check (/verify) gives for its code. Each screen's own checks
 * (axe in both modes, the keyboard, errors) are in the portal's other test files; this one follows the case.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, loanAgreement } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { codeSentTo, NARROW_PHONE, partySignIn } from './portal-support.js';
import { browserStack, shot, type BrowserStack } from './support.js';

const APPLICANT = {
  phone: '17000112233',
  name: '林小红',
  idNumber: fictionalIdNumber('445202', '19000505', '167'),
  address: '广东省揭阳市榕城区榕东路 3 号',
};
const RESPONDENT = { name: '黄大海', phone: '17000445566', address: '广东省揭阳市榕城区榕西路 9 号' };

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let mediator: Credentials;
let mediatorId: string;
let caseId: string;
let applicantId: string;
let respondentId: string;
let applicant: Page;
let respondent: Page;

const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 1 });
const arrive = (page: Page, name: string) =>
  expect.poll(() => heading(page, name).isVisible(), { timeout: 15_000 }).toBe(true);
/** A link or button by its words, as a person taps it. */
const tap = (page: Page, words: string) =>
  page
    .locator('a, button')
    .filter({ hasText: new RegExp(`^\\s*${words}\\s*$`) })
    .first()
    .click();
/** A date a month ago in China: when the applicant learned of the harm, within any limitation period. */
const monthAgo = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date(Date.now() - 30 * 86_400_000))
    .split('-');
const navTo = (page: Page, name: string) =>
  page.getByRole('navigation', { name: '主要' }).getByRole('link', { name, exact: true }).click();
/** 我的案件 opened again (each screen asks the server when opened): what changed meanwhile shows. */
async function reopenCase(page: Page): Promise<void> {
  await navTo(page, '文书');
  await arrive(page, '文书');
  await navTo(page, '我的案件');
  await arrive(page, '我的案件');
}
const caseView = async () => (await stack.send(clerk, 'GET', `/cases/${caseId}`)).body;

beforeAll(async () => {
  // Its own database: codes texted to phones are counted per phone and per address.
  ui = await browserStack({ stack: { ownDatabase: true } });
  ({ stack, base } = ui);
  const { who, accountId } = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  clerk = who['clerk.chen'];
  mediator = who['mediator.wu'];
  mediatorId = accountId['mediator.wu']!;
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('from the application on a phone to the agreement downloaded', () => {
  it('when a person applies online, then the case is registered as theirs and they are signed in to it', async () => {
    applicant = await ui.newPage(NARROW_PHONE);
    await applicant.goto(`${base}/portal/`);
    await tap(applicant, '申请调解');
    await arrive(applicant, '申请调解');
    await tap(applicant, '开始申请');
    const answer = async (question: string, fields: Record<string, string>, button = '下一步') => {
      await arrive(applicant, question);
      for (const [id, value] of Object.entries(fields)) await applicant.locator(`#${id}`).fill(value);
      await tap(applicant, button);
    };
    await answer('您的手机号码是多少？', { 'apply-phone': APPLICANT.phone }, '获取短信验证码');
    await arrive(applicant, '请输入短信验证码');
    await answer('请输入短信验证码', { 'apply-code': await codeSentTo(stack, APPLICANT.phone) });
    await arrive(applicant, '您遇到的是哪一类纠纷？');
    await applicant.getByRole('radio', { name: /^借贷纠纷/ }).check();
    await tap(applicant, '下一步');
    await answer('您叫什么名字？', { 'apply-name': APPLICANT.name });
    await answer('您的身份证号码是多少？', { 'apply-idNumber': APPLICANT.idNumber });
    await answer('您住在哪里？', { 'apply-address': APPLICANT.address });
    await answer('和您发生纠纷的是谁？', { 'apply-otherName': RESPONDENT.name });
    await answer('怎样联系对方？', { 'apply-otherPhone': RESPONDENT.phone, 'apply-otherAddress': RESPONDENT.address });
    await answer('发生了什么事？', {
      'apply-story': '黄大海向我借了人民币12000元，写了借条，约定半年内归还，到期后一直没有还。',
    });
    const [year, month, day] = monthAgo() as [string, string, string];
    await answer('您是哪一天知道自己的权益受到损害的？', {
      'apply-learnedOn': year,
      'apply-learnedOn-month': String(Number(month)),
      'apply-learnedOn-day': String(Number(day)),
    });
    await answer('您希望对方怎么做？', { 'apply-ask': '要求黄大海归还借款12000元。', 'apply-amountYuan': '12000' });
    await answer('有没有要给中心看的材料？', {});
    await arrive(applicant, '请核对您的申请');
    await tap(applicant, '提交申请');
    await arrive(applicant, '申请已提交');
    const caseNumber = (await applicant.getByTestId('receipt-case-number').textContent())!;
    await shot(applicant, 'portal-journey-01-receipt');

    const registered = await stack.db('cases').where({ case_number: caseNumber }).first('case_id');
    caseId = registered!.case_id as string;
    const parties = (await caseView()).parties as { partyId: string; role: string }[];
    applicantId = parties.find((p) => p.role === 'applicant')!.partyId;
    respondentId = parties.find((p) => p.role === 'respondent')!.partyId;
    await tap(applicant, '查看我的案件');
    await arrive(applicant, '我的案件');
    await expect.poll(() => applicant.locator('main').textContent(), { timeout: 15_000 }).toContain(caseNumber);
  });

  it('when the clerk accepts and the respondent consents in the portal, then both sides choose the same mediator, who is assigned', async () => {
    const accepted = await stack.send(clerk, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.body.status, accepted.text).toBe('PENDING_COUNTERPARTY_CONSENT');
    // The clerk issues the respondent's 查询码 (texted to the phone the applicant gave).
    const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${respondentId}/access-code`, {});
    expect(issued.body.sentTo, issued.text).toMatch(/5566$/);
    respondent = await ui.newPage(NARROW_PHONE);
    await respondent.goto(`${base}/portal/`);
    await partySignIn(respondent, stack, issued.body.accessCode as string, respondentId);
    await expect
      .poll(() => respondent.getByRole('heading', { name: '是否同意调解' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await respondent.getByRole('button', { name: '同意调解' }).click();
    await respondent.getByRole('button', { name: '确认同意' }).click();
    await expect.poll(async () => (await caseView()).status, { timeout: 15_000 }).toBe('PENDING_ASSIGNMENT');

    const roster = await stack.send(clerk, 'GET', '/roster/mediators');
    const chosen = (roster.body.mediators as { mediatorId: string; displayName: string }[]).find(
      (m) => m.mediatorId === mediatorId,
    )!;
    const choose = async (page: Page) => {
      const card = page
        .locator('section.card')
        .filter({ has: page.getByRole('heading', { name: '选择调解员', exact: true, level: 2 }) });
      await expect.poll(() => card.isVisible(), { timeout: 15_000 }).toBe(true);
      if (!(await card.getByRole('button', { name: `选择 ${chosen.displayName}` }).isVisible()))
        await card.getByRole('button', { name: '查看全部调解员' }).click();
      await card.getByRole('button', { name: `选择 ${chosen.displayName}` }).click();
      await card.getByRole('button', { name: '确认选择' }).click();
    };
    await choose(respondent);
    await expect
      .poll(() => respondent.getByTestId('mediator-choice-status').textContent(), { timeout: 15_000 })
      .toContain(`您已选择：${chosen.displayName}；对方尚未选择`);
    // The applicant's screen asks again when opened: the choice is offered now that the other side consented.
    await reopenCase(applicant);
    await choose(applicant);
    await expect
      .poll(() => applicant.getByTestId('case-status').textContent(), { timeout: 15_000 })
      .toContain('待调解员确认');
    const view = await caseView();
    expect(view.assignment).toMatchObject({ mediatorId, mode: 'party_choice' });
    await shot(applicant, 'portal-journey-02-mediator-chosen');
  });

  it('when the mediator circulates the agreement, then both parties sign it in the portal, and the applicant downloads the PDF /verify knows', async () => {
    for (const [path, body] of [
      ['mediator/accept', {}],
      ['agreement/drafts', { content: loanAgreement }],
      ['agreement/circulation', {}],
    ] as const) {
      const res = await stack.send(mediator, 'POST', `/cases/${caseId}/${path}`, body);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
    for (const page of [applicant, respondent]) {
      await reopenCase(page);
      await expect
        .poll(() => page.getByRole('heading', { name: '待您签署' }).isVisible(), { timeout: 15_000 })
        .toBe(true);
      await page.getByRole('link', { name: '阅读并签署' }).click();
      await arrive(page, '待签：调解协议');
      for (const t of loanAgreement.terms) expect(await page.locator('main').textContent()).toContain(t.text);
      await page.getByRole('button', { name: '签署', exact: true }).click();
      await page.getByLabel('我已阅读并同意以上协议内容').check();
      await page.getByRole('button', { name: '确认签署' }).click();
      await arrive(page, '签署成功');
    }
    expect((await caseView()).agreement.signatures).toEqual(expect.arrayContaining([applicantId, respondentId]));
    expect(
      (
        await stack.send(mediator, 'POST', `/cases/${caseId}/agreement/signatures`, {
          signer: 'mediator',
          method: 'handwritten',
          draftVersion: 1,
        })
      ).status,
    ).toBe(200);
    const sealed = await stack.send(clerk, 'POST', `/cases/${caseId}/agreement/signatures`, {
      signer: 'organization_seal',
      method: 'seal',
      draftVersion: 1,
    });
    expect(sealed.body.status, sealed.text).toBe('AGREEMENT_EFFECTIVE');

    let agreement: { title: string; verificationCode: string } | undefined;
    await expect
      .poll(
        async () => {
          const listed = (await stack.send(clerk, 'GET', `/cases/${caseId}/documents`)).body.documents as {
            kind: string;
            title: string;
            verificationCode: string;
          }[];
          agreement = listed.find((d) => d.kind === 'agreement');
          return agreement !== undefined;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await navTo(applicant, '文书');
    await arrive(applicant, '文书');
    await expect
      .poll(() => applicant.getByText(agreement!.verificationCode, { exact: true }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const item = applicant
      .getByRole('listitem')
      .filter({ has: applicant.getByText(agreement!.verificationCode, { exact: true }) });
    const downloading = applicant.waitForEvent('download');
    await item.getByRole('button', { name: new RegExp(`^下载《${agreement!.title}》`) }).click();
    const bytes = readFileSync((await (await downloading).path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await fetch(`${stack.url}/verify/${agreement!.verificationCode}`);
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { sha256: string }).sha256).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
    await shot(applicant, 'portal-journey-03-documents');
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
