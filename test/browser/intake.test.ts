/**
 * 登记 in the staff console, by keyboard alone, against the real stack (as console.test.ts: Debian's Chromium
 * driven by playwright-core, the console served by api/web.ts with every other path passed to the API). A
 * clerk signs in, then only presses keys: Tab to 登记案件, a walk-in loan case with two natural persons, an ID
 * number with a wrong check digit refused at its field before anything is sent, the case registered once
 * (Enter twice) and its page opened; then the server's own refusal (a minor without a guardian) is shown at
 * the party's ID number and read out, and the corrected form registers under a new key. axe finds no WCAG 2.1
 * A/AA violation on the empty form or with its errors. Screenshots go to test-artifacts/console/intake-*.png.
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { artifacts, consoleServer, executablePath, expectAccessible, shot, watchedPage } from './support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';
import { DEMO_PASSWORD } from '../../db/demo-seed.js';


let stack: Stack;
let server: http.Server;
let base: string;
let browser: Browser;
let clerk: Credentials;
const contexts: BrowserContext[] = [];
const pageProblems: string[] = [];
/** Every POST /cases the page sent, with its Idempotency-Key. */
const intakePosts: string[] = [];

async function newPage(): Promise<Page> {
  const page = await watchedPage(browser, contexts, pageProblems);
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/cases') intakePosts.push(req.headers()['idempotency-key'] ?? '');
  });
  return page;
}



/** What has focus: its id, and a link's or button's text. */
const focused = (page: Page) =>
  page.evaluate<{ id: string; text: string; tag: string }>(
    // A string: the root tsconfig has no DOM types.
    `(() => { const el = document.activeElement; return { id: el?.id ?? '', text: el?.textContent?.trim() ?? '', tag: el?.tagName ?? '' }; })()`,
  );

/** Presses Tab until focus is on the control with this id (or the link or button with this text): the keyboard's own way there. */
async function tabTo(page: Page, target: { id: string } | { link: string }, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if ('id' in target ? f.id === target.id : (f.tag === 'A' || f.tag === 'BUTTON') && f.text === target.link) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${JSON.stringify(target)}`);
}

async function typeInto(page: Page, id: string, text: string): Promise<void> {
  await tabTo(page, { id });
  await page.keyboard.type(text);
}

beforeAll(async () => {
  // The console is built once for the run, by the global setup (test/support/global-setup.ts).
  mkdirSync(artifacts, { recursive: true });
  stack = await startStack();
  server = await consoleServer(stack.url);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath, headless: true });
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen'];
  // A clerk's day: a queue longer than a screen, so the way to 登记 must not run through every row.
  await Promise.all(Array.from({ length: 60 }, async () => expect((await stack.send(clerk, 'POST', '/cases', partyApplication())).status).toBe(201)));
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  await stack?.close();
});

describe('登记 in the staff console, by keyboard alone', () => {
  let page: Page;
  const applicantId = fictionalIdNumber('445202', '19000101', '731');
  const respondentId = fictionalIdNumber('445202', '19000202', '732');
  // The right number with its last character changed: a wrong GB 11643 check digit.
  const wrongCheck = respondentId.slice(0, 17) + (respondentId[17] === '1' ? '2' : '1');

  it('when the clerk presses Tab to 登记案件 and Enter, then the empty form opens, accessible', async () => {
    page = await newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('用户名').fill('clerk.chen');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByLabel('密码').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: '工作台' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('button', { name: '登记案件' }).isVisible()).toBe(true);

    await tabTo(page, { link: '登记案件' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: '登记案件' }).isVisible(), { timeout: 15_000 }).toBe(true);
    // Every control has a name a screen reader reads (and a test can find).
    for (const name of ['纠纷类型', '知道权利受到侵害的日期', '标的金额（元）', '纠纷简要情况']) expect(await page.getByLabel(name, { exact: true }).count(), name).toBe(1);
    expect(await page.getByRole('radio', { name: '窗口登记' }).isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: '当事人 1（申请人）' }).getByLabel('身份证号').count()).toBe(1);
    await shot(page, 'intake-01-empty');
    await expectAccessible(page, 'empty intake');
  });

  it('when an ID number has a wrong check digit, then its field says so and nothing is sent', async () => {
    await typeInto(page, 'disputeType', '借贷');
    await page.keyboard.press('Enter');
    await typeInto(page, 'learnedOn', '2026-03-01');
    await page.keyboard.press('Enter');
    await typeInto(page, 'claimAmountYuan', '12000');
    await typeInto(page, 'summary', '申请人张三于2025年借给被申请人李四人民币12000元，约定半年内归还，至今未还。');
    await typeInto(page, 'parties_0_name', '张三');
    await typeInto(page, 'parties_0_idNumber', applicantId);
    await typeInto(page, 'parties_0_phone', '17000001234');
    await typeInto(page, 'parties_0_address', '广东省揭阳市榕城区某某路1号');
    await typeInto(page, 'parties_1_name', '李四');
    await typeInto(page, 'parties_1_idNumber', wrongCheck);
    await typeInto(page, 'parties_1_phone', '17000005678');

    // Leaving the field checked it, before anything was sent.
    const idField = page.getByRole('group', { name: '当事人 2（被申请人）' }).getByLabel('身份证号');
    await expect.poll(() => idField.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await idField.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').find((id) => id.endsWith('_help'))}"]`).textContent()).toContain('校验位不正确');

    // Enter submits: refused in the browser, the summary is an alert, focus goes to the field to correct.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '有 1 处需要修改' }).isVisible()).toBe(true);
    expect((await focused(page)).id).toBe('parties_1_idNumber');
    expect(intakePosts).toEqual([]);
    expect(await page.getByLabel('纠纷类型', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('.ant-select-content, .ant-select-selection-item').first().textContent()).toContain('借贷纠纷');
    expect(await page.getByLabel('知道权利受到侵害的日期', { exact: true }).inputValue()).toBe('2026-03-01');
    await shot(page, 'intake-02-id-error');
    await expectAccessible(page, 'intake with errors');
  });

  it('when the number is corrected and Enter pressed twice, then the case is registered once and its page shows 已登记', async () => {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(respondentId);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/console\/cases\/[0-9a-f-]{36}$/);
    const caseId = page.url().split('/').pop()!;
    const registered = await stack.send(clerk, 'GET', `/cases/${caseId}`);
    expect(registered.status).toBe(200);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 }).toContain(registered.body.caseNumber);
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 15_000 }).toBe('已登记');
    expect(intakePosts.length, 'one request, or the same key twice').toBeGreaterThan(0);
    expect(new Set(intakePosts).size).toBe(1);
    const detail = JSON.stringify(registered.body);
    expect(detail).toContain('loan_debt');
    expect(detail).toContain('1200000');
    await shot(page, 'intake-03-registered');
  });

  it("when the server refuses a party (a minor without a guardian), then the refusal is shown at that party's ID number and read out, and the corrected form registers", async () => {
    const before = intakePosts.length;
    await tabTo(page, { link: '登记案件' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: '登记案件' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await typeInto(page, 'disputeType', '');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await typeInto(page, 'learnedOn', '2026-03-02');
    await page.keyboard.press('Enter');
    await typeInto(page, 'summary', '相邻关系：被申请人堆放杂物堵塞通道。');
    await typeInto(page, 'parties_0_name', '王五');
    await typeInto(page, 'parties_1_name', '赵小六');
    const minor = fictionalIdNumber('445202', '20150601', '733');
    await typeInto(page, 'parties_1_idNumber', minor);
    await page.keyboard.press('Enter');
    const idField = page.getByRole('group', { name: '当事人 2（被申请人）' }).getByLabel('身份证号');
    await expect.poll(() => idField.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '监护人' }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('[aria-live="polite"]').textContent()).toContain('当事人 2');
    expect((await focused(page)).id).toBe('parties_1_idNumber');
    expect(intakePosts.length).toBe(before + 1);
    // Nothing typed was lost.
    expect(await page.getByRole('group', { name: '当事人 1（申请人）' }).getByLabel('姓名').inputValue()).toBe('王五');
    await shot(page, 'intake-04-server-error');
    await expectAccessible(page, 'intake with the server’s errors');

    // An adult's number instead: sent under a new key (the refused one is not reused) and registered.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(fictionalIdNumber('445202', '19000303', '734'));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('case-status').isVisible().catch(() => false), { timeout: 30_000 }).toBe(true);
    expect(intakePosts.length).toBe(before + 2);
    expect(intakePosts.at(-1)).not.toBe(intakePosts.at(-2));
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(pageProblems).toEqual([]);
  });
});
