/**
 * 待签 in the party portal on a phone, against the real stack: a case is driven to circulation through the API
 * (register, accept, designate mediator.wu, who accepts, drafts and circulates); each party signs in with their
 * access code and SMS code, sees 待您签署 on 我的案件, reads the agreement (facts, terms, version and SHA-256) and
 * signs electronically after confirming; the mediator and the seal sign through the API and the agreement takes
 * effect; the applicant downloads the agreement PDF whose SHA-256 is the one /verify gives. On another case a
 * party refuses to sign with a reason, after the warning, and the mediation ends. axe on the sign screen in
 * normal and 长辈版 modes; nothing refused by the CSP. Screenshots: test-artifacts/console/portal-sign-*.png.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loanAgreement, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';
import { artifacts, consoleServer, executablePath, expectAccessible, shot, watchedPage } from './support.js';

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, acceptDownloads: true };

let stack: Stack;
let server: http.Server;
let base: string;
let browser: Browser;
let clerk: Credentials;
let mediator: Credentials;
let mediatorId: string;
const contexts: BrowserContext[] = [];
const pageProblems: string[] = [];

type Circulated = { caseId: string; caseNumber: string; applicant: string; respondent: string };

/** A case with the agreement's first draft circulated for signature, as drive.ts brings one there. */
async function circulated(intake: Record<string, unknown> = {}): Promise<Circulated> {
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication(intake));
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  const [applicant, respondent] = (created.body.parties as { partyId: string }[]).map((p) => p.partyId) as [string, string];
  const act = async (as: Credentials, path: string, body: unknown = {}) => {
    const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res;
  };
  await act(clerk, 'accept');
  await act(clerk, 'mediator', { mode: 'designated', mediatorId });
  await act(mediator, 'mediator/accept');
  await act(mediator, 'agreement/drafts', { content: loanAgreement });
  const res = await act(mediator, 'agreement/circulation');
  expect(res.body.status).toBe('PENDING_SIGNATURE');
  return { caseId, caseNumber: created.body.caseNumber as string, applicant, respondent };
}

async function accessCode(caseId: string, partyId: string): Promise<string> {
  const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${partyId}/access-code`, {});
  expect(issued.status, issued.text).toBe(201);
  return issued.body.accessCode as string;
}

/** A new phone, signed in as this party (access code, then the SMS code from the outbox), on 我的案件. */
async function partyPage(caseId: string, partyId: string): Promise<Page> {
  const page = await watchedPage(browser, contexts, pageProblems, PHONE);
  await page.goto(`${base}/portal/`);
  await page.getByLabel('访问码').fill(await accessCode(caseId, partyId));
  await page.getByRole('button', { name: '获取短信验证码' }).click();
  const smsField = page.getByLabel('短信验证码');
  await expect.poll(() => smsField.isVisible(), { timeout: 15_000 }).toBe(true);
  await smsField.fill(await stack.lastOneTimeCode(partyId));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { name: '我的案件' }).isVisible(), { timeout: 15_000 }).toBe(true);
  return page;
}

const elderSwitch = (page: Page) => page.getByRole('button', { name: /^长辈版/ });
const isElder = (page: Page) => page.evaluate<boolean>("document.documentElement.classList.contains('elder')");

async function accessibleInBothModes(page: Page, screen: string): Promise<void> {
  const elder = await isElder(page);
  await expectAccessible(page, `${screen} (${elder ? '长辈版' : 'normal'})`);
  await elderSwitch(page).click();
  await expect.poll(() => isElder(page)).toBe(!elder);
  await expectAccessible(page, `${screen} (${elder ? 'normal' : '长辈版'})`);
  await elderSwitch(page).click();
  await expect.poll(() => isElder(page)).toBe(elder);
}

/** From 我的案件: the 待您签署 card, then the agreement as the sign screen shows it. */
async function openSignScreen(page: Page, c: Circulated): Promise<void> {
  await expect.poll(() => page.getByRole('heading', { name: '待您签署' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.getByRole('link', { name: '阅读并签署' }).click();
  await expect.poll(() => page.getByRole('heading', { name: '待签：调解协议', level: 1 }).isVisible(), { timeout: 15_000 }).toBe(true);
  expect(new URL(page.url()).pathname).toBe(`/portal/cases/${c.caseId}/sign`);
  await expect.poll(() => page.getByTestId('agreement-version').textContent(), { timeout: 15_000 }).toContain('第 1 版');
  const main = page.locator('main');
  expect(await main.textContent()).toContain(c.caseNumber);
  expect(await main.textContent()).toContain(loanAgreement.facts);
  for (const t of loanAgreement.terms) expect(await main.textContent()).toContain(t.text);
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  stack = await startStack();
  server = await consoleServer(stack.url);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath, headless: true });
  const { who, accountId } = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  clerk = who['clerk.chen']!;
  mediator = who['mediator.wu']!;
  mediatorId = accountId['mediator.wu']!;
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  await stack?.close();
});

describe('待签 in the party portal on a phone', () => {
  it('when both parties sign in the portal and the mediator and seal sign, then the agreement takes effect and its PDF is the one /verify knows', async () => {
    const c = await circulated();
    const view = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    const sha256 = (view.body.agreement as { hash: string }).hash;

    const applicant = await partyPage(c.caseId, c.applicant);
    await openSignScreen(applicant, c);
    expect(await applicant.locator('main').textContent()).toContain(sha256.slice(0, 16));
    expect(await applicant.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(applicant, 'portal-sign-01-agreement');
    await accessibleInBothModes(applicant, 'sign screen');

    await applicant.getByRole('button', { name: '签署', exact: true }).click();
    // Without the confirmation nothing is sent, and the screen says why.
    await applicant.getByRole('button', { name: '确认签署' }).click();
    await expect.poll(() => applicant.getByRole('alert').textContent()).toContain('我已阅读并同意以上协议内容');
    await applicant.getByLabel('我已阅读并同意以上协议内容').check();
    await shot(applicant, 'portal-sign-02-confirm');
    await accessibleInBothModes(applicant, 'sign confirmation');
    await applicant.getByRole('button', { name: '确认签署' }).click();
    await expect.poll(() => applicant.getByRole('heading', { name: '签署成功', level: 1 }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await applicant.getByTestId('still-to-sign').textContent()).toContain('被申请人');
    await shot(applicant, 'portal-sign-03-signed');
    await expectAccessible(applicant, 'signed');

    const respondent = await partyPage(c.caseId, c.respondent);
    await openSignScreen(respondent, c);
    await respondent.getByRole('button', { name: '签署', exact: true }).click();
    await respondent.getByLabel('我已阅读并同意以上协议内容').check();
    await respondent.getByRole('button', { name: '确认签署' }).click();
    await expect.poll(() => respondent.getByRole('heading', { name: '签署成功', level: 1 }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await respondent.getByTestId('still-to-sign').textContent()).toContain('调解员');

    // The signatures were electronic and on version 1.
    const signed = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    expect(signed.body.agreement.signatures).toEqual(expect.arrayContaining([c.applicant, c.respondent]));
    expect(signed.body.status).toBe('PENDING_SIGNATURE');

    const m = await stack.send(mediator, 'POST', `/cases/${c.caseId}/agreement/signatures`, { signer: 'mediator', method: 'handwritten', draftVersion: 1 });
    expect(m.status, m.text).toBe(200);
    const seal = await stack.send(clerk, 'POST', `/cases/${c.caseId}/agreement/signatures`, { signer: 'organization_seal', method: 'seal', draftVersion: 1 });
    expect(seal.status, seal.text).toBe(200);
    expect(seal.body.status).toBe('AGREEMENT_EFFECTIVE');

    // The applicant downloads the agreement from 文书: its bytes hash to what /verify says.
    await applicant.getByRole('navigation', { name: '主要' }).getByRole('link', { name: '文书', exact: true }).click();
    await expect.poll(() => applicant.getByRole('heading', { name: '文书', level: 1 }).isVisible(), { timeout: 15_000 }).toBe(true);
    let agreementDoc: { title: string; verificationCode: string; kind: string; createdAt: string } | undefined;
    await expect
      .poll(
        async () => {
          const listed = await stack.send(clerk, 'GET', `/cases/${c.caseId}/documents`);
          const docs = (listed.body.documents as { title: string; verificationCode: string; kind: string; createdAt: string }[]).filter((d) => d.kind === 'agreement');
          agreementDoc = docs.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
          return agreementDoc !== undefined;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await applicant.reload();
    await expect.poll(() => applicant.getByRole('heading', { name: '当事人登录' }).isVisible(), { timeout: 15_000 }).toBe(true);
    // A reload ends the in-memory session: sign in again, then 文书.
    await applicant.getByLabel('访问码').fill(await accessCode(c.caseId, c.applicant));
    await applicant.getByRole('button', { name: '获取短信验证码' }).click();
    await expect.poll(() => applicant.getByLabel('短信验证码').isVisible(), { timeout: 15_000 }).toBe(true);
    await applicant.getByLabel('短信验证码').fill(await stack.lastOneTimeCode(c.applicant));
    await applicant.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => applicant.getByRole('heading', { name: '文书', level: 1 }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => applicant.getByText(agreementDoc!.verificationCode).isVisible(), { timeout: 15_000 }).toBe(true);
    const downloading = applicant.waitForEvent('download');
    await applicant.getByRole('button', { name: `下载《${agreementDoc!.title}》` }).first().click();
    const download = await downloading;
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await stack.send(undefined, 'GET', `/verify/${agreementDoc!.verificationCode}`);
    expect(verified.status, verified.text).toBe(200);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(verified.body.sha256);
  }, 240_000);

  it('when a party refuses to sign with a reason after the warning, then the mediation ends', async () => {
    const c = await circulated();
    const page = await partyPage(c.caseId, c.respondent);
    await openSignScreen(page, c);
    await page.getByRole('button', { name: '拒绝签署', exact: true }).click();
    await expect.poll(() => page.getByText('拒绝签署将终止本次调解').isVisible()).toBe(true);
    // A reason is required, and its absence is announced.
    await page.getByRole('button', { name: '确认拒绝签署' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('请填写拒绝签署的理由');
    await page.getByLabel('拒绝理由（必填）').fill('还款期限太短，无法接受。');
    await shot(page, 'portal-sign-04-refuse');
    await accessibleInBothModes(page, 'refuse to sign');
    await page.getByRole('button', { name: '确认拒绝签署' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '已拒绝签署', level: 1 }).isVisible(), { timeout: 20_000 }).toBe(true);
    const after = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    expect(after.body.termination?.reason).toBe('party_refuses_to_sign');
    await shot(page, 'portal-sign-05-refused');
  }, 180_000);

  it('when the mediator circulates a newer draft while the party reads, then signing the old one says 协议已更新，请重新阅读 and shows the new version', async () => {
    const c = await circulated();
    const page = await partyPage(c.caseId, c.applicant);
    await openSignScreen(page, c);
    const redraft = await stack.send(mediator, 'POST', `/cases/${c.caseId}/agreement/drafts`, { content: { ...loanAgreement, performance: '银行转账至申请人账户' } });
    expect(redraft.status, redraft.text).toBe(200);
    const recirculated = await stack.send(mediator, 'POST', `/cases/${c.caseId}/agreement/circulation`, {});
    expect(recirculated.status, recirculated.text).toBe(200);
    await page.getByRole('button', { name: '签署', exact: true }).click();
    await page.getByLabel('我已阅读并同意以上协议内容').check();
    await page.getByRole('button', { name: '确认签署' }).click();
    await expect.poll(() => page.getByTestId('stale-draft').textContent(), { timeout: 20_000 }).toContain('协议已更新，请重新阅读');
    await expect.poll(() => page.getByTestId('agreement-version').textContent(), { timeout: 15_000 }).toContain('第 2 版');
    await shot(page, 'portal-sign-06-stale');
  }, 180_000);

  it('when the agreement is on a family matter, then the sign screen says it is signed in ink at the center and offers no electronic signature (电子签名法 Art 3)', async () => {
    const c = await circulated({ disputeType: 'family_property' });
    const page = await partyPage(c.caseId, c.applicant);
    await openSignScreen(page, c);
    await expect.poll(() => page.getByTestId('wet-ink').textContent()).toContain('电子签名法第三条');
    expect(await page.getByRole('button', { name: '签署', exact: true }).count()).toBe(0);
    await shot(page, 'portal-sign-07-wet-ink');
    await expectAccessible(page, 'wet-ink only');
  }, 180_000);

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(pageProblems).toEqual([]);
  });
});
