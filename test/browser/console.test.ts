/**
 * The staff console in a real browser against the real stack (Temporal, PostgreSQL, the API): Debian's
 * Chromium driven by playwright-core, in Chinese and China time, with animations off. A clerk signs in,
 * finds a case registered through the API, reads it and accepts it; a mediator who is not on the case gets
 * the not-found page; axe finds no WCAG 2.1 A/AA violation on the screens. Screenshots of the main screens
 * are kept in test-artifacts/console/ (git-ignored) for a person to look at.
 *
 * The console is served by api/web.ts through a small local server that passes every other path to the
 * stack's API, as the API does once it mounts the router itself.
 */
import { sha256 } from '../../identity/secrets.js';
import type { Page } from 'playwright-core';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { DEMO_PASSWORD } from '../../db/demo-seed.js';

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let clerkAccountId: string;
let registered: { caseId: string; caseNumber: string };

async function newPage(): Promise<Page> {
  return ui.newPage();
}

beforeAll(async () => {
  ui = await browserStack({
    shots: [
      '01-login',
      '02-queue',
      '03-case-parties',
      '04-case-timeline',
      '05-accept-dialog',
      '06-case-deadlines',
      '07-case-accepted-timeline',
      '08-case-not-found',
      '09-session-expired',
      '10-case-documents',
    ],
  });
  ({ stack, base } = ui);
  const signedIn = await stack.loginAll(['clerk.chen']);
  clerk = signedIn.who['clerk.chen'];
  clerkAccountId = signedIn.accountId['clerk.chen']!;
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({ summary: '浏览器测试：申请人张三借给被申请人李四人民币12000元，至今未还。' }),
  );
  expect(created.status, created.text).toBe(201);
  registered = { caseId: created.body.caseId, caseNumber: created.body.caseNumber };
  // A case whose next period ends within days (the parties' 2 working days to choose a mediator): the queue
  // marks it near due, and that mark must be readable too.
  const nearDue = await stack.send(clerk, 'POST', '/cases', partyApplication());
  expect((await stack.send(clerk, 'POST', `/cases/${nearDue.body.caseId}/accept`, {})).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('the staff console', () => {
  let page: Page;
  let pageToken: string | undefined;

  it('when the console is opened, then the login screen is in Chinese, under a CSP with a nonce, and accessible', async () => {
    page = await newPage();
    // The token this page's console sends: its session alone is ended below (other files sign the same demo
    // clerk in at the same time).
    page.on('request', (r) => {
      const bearer = /^Bearer (.+)$/.exec(r.headers()['authorization'] ?? '');
      if (bearer) pageToken = bearer[1]!;
    });
    const answer = await page.goto(`${base}/console/`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-security-policy']).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(answer?.headers()['cache-control']).toBe('no-store');
    await expect.poll(() => page.getByRole('heading', { name: '工作人员登录' }).isVisible()).toBe(true);
    await shot(page, '01-login');
    await expectAccessible(page, 'login');
  });

  it('when the clerk signs in, then the queue shows the counters and finds the new case by its number', async () => {
    await signIn(page, 'clerk.chen');
    await expect.poll(() => page.getByRole('heading', { name: '工作台' }).isVisible(), { timeout: 15_000 }).toBe(true);
    // The token stays in memory: nothing in the browser's storage.
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: /待受理/ }).textContent()).toMatch(/待受理\s*\d+/);
    await page.getByLabel('搜索', { exact: true }).fill(registered.caseNumber);
    await page.getByLabel('搜索', { exact: true }).press('Enter');
    const link = page.getByRole('link', { name: registered.caseNumber });
    await expect.poll(() => link.isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: '清除筛选' }).click();
    await expect.poll(() => page.getByRole('row').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    // Counted in the period's own unit by the server: the parties' 2 working days show as working days.
    await expect
      .poll(
        () =>
          page
            .getByText(/还剩 \d+ (?:天|个工作日)|今日到期/)
            .first()
            .isVisible(),
        { timeout: 15_000 },
      )
      .toBe(true);
    await shot(page, '02-queue');
    await expectAccessible(page, 'queue');
    await page.getByLabel('搜索', { exact: true }).fill(registered.caseNumber);
    await page.getByLabel('搜索', { exact: true }).press('Enter');
    await expect.poll(() => page.getByRole('row').count(), { timeout: 15_000 }).toBe(2);
  });

  it('when the clerk opens the case, then the parties are masked and the deadlines and timeline are in Chinese', async () => {
    await page.getByRole('link', { name: registered.caseNumber }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toContain(registered.caseNumber);
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('已登记');
    const content = (await page.locator('main').textContent()) ?? '';
    // Masked as the API masks them; the full numbers never reach the page.
    expect(content).toMatch(/4452\*+\d{3}[\dX]/);
    expect(content).toContain('170****1234');
    expect(content).not.toContain('17000001234');
    await shot(page, '03-case-parties');
    await expectAccessible(page, 'case');

    await page.getByRole('tab', { name: '时间线' }).click();
    await expect.poll(() => page.getByText('案件登记').first().isVisible()).toBe(true);
    await shot(page, '04-case-timeline');
  });

  it('when the clerk accepts the case, then its status changes to what the API says', async () => {
    await page.getByRole('button', { name: '受理', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '确认办理：受理' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('备注（可选）').fill('材料齐全');
    await shot(page, '05-accept-dialog');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 30_000 }).not.toBe('已登记');
    const after = await stack.send(clerk, 'GET', `/cases/${registered.caseId}`);
    expect(await page.getByTestId('case-status').textContent()).toBe(after.body.statusLabel);
    expect(after.body.events.map((e: { type: string }) => e.type)).toContain('CaseAccepted');

    // The periods the acceptance started, each with its article and how it was counted.
    const deadlines = (await stack.send(clerk, 'GET', `/cases/${registered.caseId}/deadlines`)).body.deadlines as {
      label: string;
      rule: { citation: string };
    }[];
    expect(deadlines.length).toBeGreaterThan(0);
    await page.getByRole('tab', { name: '期限' }).click();
    await expect.poll(() => page.getByText(deadlines[0]!.label).first().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByText('计算过程').count()).toBeGreaterThan(0);
    await shot(page, '06-case-deadlines');
    await page.getByRole('tab', { name: '时间线' }).click();
    await expect.poll(() => page.getByText('受理', { exact: true }).first().isVisible()).toBe(true);
    await shot(page, '07-case-accepted-timeline');
  });

  it('when a mediator not on the case opens its link, then they see the not-found page, not the case', async () => {
    const mediator = await newPage();
    await mediator.goto(`${base}/console/cases/${registered.caseId}`);
    await signIn(mediator, 'mediator.wu');
    await expect
      .poll(() => mediator.getByRole('heading', { name: '未找到该案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await mediator.locator('main').textContent()).not.toContain(registered.caseNumber);
    await shot(mediator, '08-case-not-found');
    await expectAccessible(mediator, 'not-found');
  });

  it("when the clerk's session expires mid-work, then a dialog asks for the password over the same screen, and the screen goes on after it", async () => {
    // The case screen (timeline tab) stays open while the clerk's session in this browser ends on the server.
    expect(pageToken).toBeDefined();
    const ended = await stack
      .db('sessions')
      .where({ account_id: clerkAccountId, token_hash: sha256(pageToken!) })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect(ended).toBe(1);
    await page.getByRole('tab', { name: '文书' }).click();
    const dialog = page.getByRole('dialog', { name: '登录已过期，请重新登录' });
    await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toContain(registered.caseNumber);
    await shot(page, '09-session-expired');
    await expectAccessible(page, 'session-expired dialog');
    await dialog.getByLabel('密码').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: '重新登录' }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(false);
    // What failed while the session was over is fetched again: the documents the acceptance issued.
    await expect
      .poll(() => page.getByRole('cell', { name: '当事人权利义务告知书' }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    await shot(page, '10-case-documents');
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
