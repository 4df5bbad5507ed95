/**
 * The party portal (/portal/) in a real browser on a phone-sized screen against the real stack: a clerk registers
 * and accepts a case and issues an access code through the API; the applicant signs in with the code and the SMS
 * code from the outbox, reads the progress and the next step, switches to 长辈版 (larger text, remembered on
 * the device), downloads a document whose bytes are the ones the API hashed; a party of another case gets the
 * not-found page; a session that ends says so. axe finds no WCAG 2.1 A/AA violation on any screen in normal and
 * 长辈版 modes, and nothing is refused by the CSP. Screenshots: test-artifacts/console/portal-*.png.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { accessibleInBothModes, elderSwitch, isElder, PHONE } from './portal-support.js';
import { browserStack, expectAccessible, shot, type BrowserStack } from './support.js';

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let caseA: { caseId: string; caseNumber: string; applicantId: string };
let caseB: { caseId: string; caseNumber: string; applicantId: string };

async function register(): Promise<{ caseId: string; caseNumber: string; applicantId: string }> {
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({ summary: '门户测试：申请人张三借给被申请人李四人民币12000元，至今未还。' }),
  );
  expect(created.status, created.text).toBe(201);
  const view = await stack.send(clerk, 'GET', `/cases/${created.body.caseId}`);
  const applicant = (view.body.parties as { role: string; partyId: string }[]).find((p) => p.role === 'applicant')!;
  return { caseId: created.body.caseId, caseNumber: created.body.caseNumber, applicantId: applicant.partyId };
}

async function accessCode(c: { caseId: string; applicantId: string }): Promise<string> {
  const issued = await stack.send(clerk, 'POST', `/cases/${c.caseId}/parties/${c.applicantId}/access-code`, {});
  expect(issued.status, issued.text).toBe(201);
  accessCodes.set(c.caseId, issued.body.accessCode as string);
  return issued.body.accessCode as string;
}

/** The two steps as a party does them: the access code, then the code the SMS outbox holds for them. */
async function signInAsParty(page: Page, code: string, partyId: string, screenshots = false): Promise<void> {
  await page.getByLabel('查询码').fill(code);
  await page.getByRole('button', { name: '获取短信验证码' }).click();
  const smsField = page.getByLabel('短信验证码');
  await expect.poll(() => smsField.isVisible(), { timeout: 15_000 }).toBe(true);
  if (screenshots) {
    await shot(page, 'portal-02-sms-code');
    await accessibleInBothModes(page, 'SMS code');
  }
  await smsField.fill(await stack.lastOneTimeCode(partyId));
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** A link of the portal's main navigation (the page's own links may name the same place in other words). */
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: '主要' }).getByRole('link', { name, exact: true });

beforeAll(async () => {
  ui = await browserStack({
    shots: [
      'portal-01-login',
      'portal-02-sms-code',
      'portal-03-case',
      'portal-04-case-elder',
      'portal-05-documents',
      'portal-06-accessibility',
      'portal-07-not-found',
      'portal-08-session-ended',
      'portal-09-wrong-code',
    ],
  });
  ({ stack, base } = ui);
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen'];
  caseA = await register();
  // Accepted: the periods start and the rights notice (当事人权利义务告知书) is issued, a document to download.
  const accepted = await stack.send(clerk, 'POST', `/cases/${caseA.caseId}/accept`, {});
  expect(accepted.status, accepted.text).toBe(200);
  caseB = await register();
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('the party portal on a phone', () => {
  let page: Page;

  it('when the portal is opened, then the login is in Chinese, under a CSP with a nonce, accessible in both modes, and a wrong access code is announced', async () => {
    // Served as the console is: /portal goes to /portal/, a missing asset is a 404 and never the page.
    const bare = await fetch(`${base}/portal?from=sms`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/portal/?from=sms']);
    expect((await fetch(`${base}/portal/assets/missing.js`)).status).toBe(404);

    page = await ui.newPage(PHONE);
    const answer = await page.goto(`${base}/portal/`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-security-policy']).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(answer?.headers()['cache-control']).toBe('no-store');
    await expect.poll(() => page.getByRole('heading', { name: '当事人登录' }).isVisible()).toBe(true);
    // Nothing wider than the phone: no sideways scrolling at 390 px.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'portal-01-login');
    await accessibleInBothModes(page, 'login');

    await page.getByLabel('查询码').fill('WRONG-CODE-0000');
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('查询码不正确');
    await shot(page, 'portal-09-wrong-code');
    await expectAccessible(page, 'login with an error');
  });

  it('when the applicant signs in with the access code and the SMS code, then their case shows its progress, the next step with its deadline, and who handles it', async () => {
    await page.getByLabel('查询码').fill('');
    await signInAsParty(page, await accessCode(caseA), caseA.applicantId, true);
    await expect
      .poll(() => page.getByRole('heading', { name: '我的案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/portal/cases/${caseA.caseId}`);
    // The token stays in memory: the only thing stored on the device is the 长辈版 preference (not set yet).
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);

    // What the party's own token reads from the API is what the screen says.
    const partyView = await stack.send(await partyToken(caseA), 'GET', `/cases/${caseA.caseId}`);
    expect(partyView.status).toBe(200);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain(caseA.caseNumber);
    expect(await page.getByTestId('case-status').textContent()).toContain(partyView.body.statusLabel);
    expect(await page.getByTestId('next-step').textContent()).not.toBe('');
    const open = ((partyView.body.deadlines ?? []) as { status: string; label: string }[]).filter(
      (d) => d.status === 'open',
    );
    for (const d of open) await expect.poll(() => main.textContent()).toContain(d.label);
    await expect.poll(() => page.getByText('中心收到调解申请，已登记').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('中心已受理案件').isVisible()).toBe(true);
    expect(await main.textContent()).toMatch(/承办/);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'portal-03-case');
    await accessibleInBothModes(page, 'my case');
  });

  it('when the party switches 长辈版 on, then the text is larger with a line height of at least 1.3, and the device remembers it', async () => {
    const measure = () =>
      page.evaluate<{ size: number; lineHeight: number }>(
        `(() => { const style = getComputedStyle(document.querySelector('[data-testid="next-step"]')); return { size: parseFloat(style.fontSize), lineHeight: parseFloat(style.lineHeight) }; })()`,
      );
    const normal = await measure();
    await elderSwitch(page).click();
    await expect.poll(() => elderSwitch(page).getAttribute('aria-pressed')).toBe('true');
    const elder = await measure();
    expect(elder.size).toBeGreaterThanOrEqual(normal.size * 1.2);
    expect(elder.lineHeight / elder.size).toBeGreaterThanOrEqual(1.3);
    expect(normal.lineHeight / normal.size).toBeGreaterThanOrEqual(1.3);
    // The switch is written out, not told by colour.
    expect(await elderSwitch(page).textContent()).toContain('已开启');
    expect(await page.evaluate<string | null>("localStorage.getItem('portal.elderMode')")).toBe('1');
    await shot(page, 'portal-04-case-elder');
  });

  it('when the party opens 文书, then each document shows its verify code, and the download is the PDF the API hashed, named by its Chinese title', async () => {
    await nav(page, '文书').click();
    await expect
      .poll(() => page.getByRole('heading', { name: '文书', level: 1 }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const listed = await stack.send(await partyToken(caseA), 'GET', `/cases/${caseA.caseId}/documents`);
    const documents = listed.body.documents as { title: string; verificationCode: string; sha256: string }[];
    expect(documents.length).toBeGreaterThan(0);
    const doc = documents[0]!;
    await expect
      .poll(() => page.getByText(doc.verificationCode, { exact: true }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    // The verify code answers here too, in words: the same document the API lists.
    await page
      .getByRole('button', { name: new RegExp(`^核验真伪\\s*：《${doc.title}》$`) })
      .first()
      .click();
    await expect
      .poll(
        () =>
          page
            .getByText(/核验结果：真实/)
            .first()
            .textContent(),
        { timeout: 15_000 },
      )
      .toContain(doc.sha256.slice(0, 16));
    await shot(page, 'portal-05-documents');
    await accessibleInBothModes(page, 'documents');

    const downloading = page.waitForEvent('download');
    await page
      .getByRole('button', { name: `下载《${doc.title}》` })
      .first()
      .click();
    const download = await downloading;
    // Named by its Chinese title, then the case number and version that tell two copies apart.
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${doc.title}（\\d{4}）.+号-第\\d+版\\.pdf$`));
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(documents.map((d) => d.sha256)).toContain(createHash('sha256').update(bytes).digest('hex'));
  });

  it('when the accessibility statement is opened, then it names the standard and a contact', async () => {
    await page.getByRole('link', { name: '无障碍声明' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '无障碍声明', level: 1 }).isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).toMatch(/WCAG.*2\.1 AA[\s\S]*联系我们[\s\S]*12348/);
    await shot(page, 'portal-06-accessibility');
    await accessibleInBothModes(page, 'accessibility statement');
  });

  it('when the session ends on the server, then the party is back at the login with a clear message, and 长辈版 is still on after a reload', async () => {
    await nav(page, '我的案件').click();
    await expect
      .poll(() => page.getByRole('heading', { name: '我的案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    // The screen's own reading (asked again on every visit) is done before the session ends under it.
    await page.waitForLoadState('networkidle');
    await stack
      .db('sessions')
      .where({ party_id: caseA.applicantId })
      .update({ expires_at: new Date(Date.now() - 1000) });
    // The next request finds the session over: the tap on 文书, or a card of 我的案件 still reading (the roster,
    // the uploads) when it lands first, in which case the navigation is already gone and there is nothing to tap.
    await nav(page, '文书')
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    await expect
      .poll(() => page.getByRole('heading', { name: '当事人登录' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByRole('status').first().textContent()).toContain('登录已超时');
    await shot(page, 'portal-08-session-ended');
    await expectAccessible(page, 'session ended');

    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: '当事人登录' }).isVisible()).toBe(true);
    expect(await isElder(page)).toBe(true);
    expect(await elderSwitch(page).getAttribute('aria-pressed')).toBe('true');
  });

  it("when a party of another case opens this case's address, then they see the not-found page, not the case", async () => {
    const other = await ui.newPage(PHONE);
    await other.goto(`${base}/portal/cases/${caseA.caseId}`);
    await expect.poll(() => other.getByRole('heading', { name: '当事人登录' }).isVisible()).toBe(true);
    await signInAsParty(other, await accessCode(caseB), caseB.applicantId);
    await expect
      .poll(() => other.getByRole('heading', { name: '未找到该案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await other.locator('main').textContent()).not.toContain(caseA.caseNumber);
    await shot(other, 'portal-07-not-found');
    await accessibleInBothModes(other, 'not found');
    // Their own case is one tap away.
    await nav(other, '我的案件').click();
    await expect.poll(() => other.locator('main').textContent(), { timeout: 15_000 }).toContain(caseB.caseNumber);
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});

/** The access codes issued in this file, by case: the API-side sessions below use the same code as the browser. */
const accessCodes = new Map<string, string>();

/**
 * A second session of the applicant, made through the API with the same access code (a new code would replace
 * the browser's): what the party's own token reads is what the screen must say.
 */
const partyTokens = new Map<string, Credentials>();
async function partyToken(c: { caseId: string; applicantId: string }): Promise<Credentials> {
  const known = partyTokens.get(c.caseId);
  if (known) return known;
  const challenge = await stack.send(undefined, 'POST', '/auth/party/challenge', {
    accessCode: accessCodes.get(c.caseId),
  });
  expect(challenge.status, challenge.text).toBe(201);
  const verified = await stack.send(undefined, 'POST', '/auth/party/verify', {
    challengeId: challenge.body.challengeId,
    code: await stack.lastOneTimeCode(c.applicantId),
  });
  expect(verified.status, verified.text).toBe(201);
  const credentials = { token: verified.body.token as string };
  partyTokens.set(c.caseId, credentials);
  return credentials;
}
