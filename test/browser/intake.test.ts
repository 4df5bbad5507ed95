/**
 * 登记 in the staff console, by keyboard alone, against the real stack (as console.test.ts: Debian's Chromium
 * driven by playwright-core, the console served by api/web.ts with every other path passed to the API). A
 * clerk signs in, then only presses keys: Tab to 登记案件, a walk-in loan case with two natural persons, an ID
 * number with a wrong check digit refused at its field before anything is sent, the case registered once
 * (Enter twice), its receipt shown and the case's page opened from it; then the server's own refusal (a minor
 * without a guardian) is shown at the party's ID number and read out. The clerk adds the guardian and attaches
 * a PDF and a PNG; the corrected form registers under a new key and lands on the receipt (案件登记回执): the
 * case number, the PDF received, the PNG's upload failed (its connection cut) and retried under the same key,
 * the access codes shown once (the guardian's signs in through POST /auth/party/challenge), the QR to the
 * party portal, and on paper (print media) the receipt alone. Coming back to the receipt shows that the codes
 * were issued but not the codes; 重新签发 replaces one and the old stops working. axe finds no WCAG 2.1 A/AA
 * violation on the form, its errors or the receipt. Screenshots go to test-artifacts/console/intake-*.png.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { browserStack, expectAccessible, shot, type BrowserStack } from './support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { DEMO_PASSWORD } from '../../db/demo-seed.js';

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
/** Every POST /cases the page sent, with its Idempotency-Key. */
const intakePosts: string[] = [];
/** Every upload (POST /cases/{id}/materials) the page sent: its media type and Idempotency-Key. */
const materialPosts: { type: string; key: string }[] = [];

async function newPage(): Promise<Page> {
  const page = await ui.newPage();
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (req.method() === 'POST' && path === '/cases') intakePosts.push(req.headers()['idempotency-key'] ?? '');
    if (req.method() === 'POST' && /^\/cases\/[0-9a-f-]{36}\/materials$/.test(path))
      materialPosts.push({ type: req.headers()['content-type'] ?? '', key: req.headers()['idempotency-key'] ?? '' });
  });
  return page;
}

/** A small, valid one-page PDF, as a scanner's would be. */
const pdf = () =>
  new Promise<Buffer>((resolve) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('IOU, signed 2025-06-01');
    doc.end();
  });
/** A PNG by its first bytes (the server checks no more). */
const png = () =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('IHDR 身份证复印件', 'utf8'),
    Buffer.alloc(64, 7),
  ]);

/** A party signs in with the access code from the receipt, as test/support/stack.ts partyLogin does. */
async function signInWithCode(
  accessCode: string,
  partyId: string,
): Promise<{ status: number; sentTo?: string; token?: string }> {
  const challenge = await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode });
  if (challenge.status !== 201) return { status: challenge.status };
  const verified = await stack.send(undefined, 'POST', '/auth/party/verify', {
    challengeId: challenge.body.challengeId,
    code: await stack.lastOneTimeCode(partyId),
  });
  return { status: verified.status, sentTo: challenge.body.sentTo, token: verified.body?.token };
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
  ui = await browserStack();
  ({ stack, base } = ui);
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen'];
  // A clerk's day: a queue longer than a screen, so the way to 登记 must not run through every row.
  await Promise.all(
    Array.from({ length: 60 }, async () =>
      expect((await stack.send(clerk, 'POST', '/cases', partyApplication())).status).toBe(201),
    ),
  );
}, 300_000);

afterAll(async () => {
  await ui?.close();
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
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: '登记案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    // Every control has a name a screen reader reads (and a test can find).
    for (const name of ['纠纷类型', '知道权利受到侵害的日期', '标的金额（元）', '纠纷简要情况'])
      expect(await page.getByLabel(name, { exact: true }).count(), name).toBe(1);
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
    expect(
      await page.locator(`[id="${describedBy.split(' ').find((id) => id.endsWith('_help'))}"]`).textContent(),
    ).toContain('校验位不正确');

    // Enter submits: refused in the browser, the summary is an alert, focus goes to the field to correct.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '有 1 处需要修改' }).isVisible()).toBe(true);
    expect((await focused(page)).id).toBe('parties_1_idNumber');
    expect(intakePosts).toEqual([]);
    expect(await page.getByLabel('纠纷类型', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('.ant-select-content, .ant-select-selection-item').first().textContent()).toContain(
      '借贷纠纷',
    );
    expect(await page.getByLabel('知道权利受到侵害的日期', { exact: true }).inputValue()).toBe('2026-03-01');
    await shot(page, 'intake-02-id-error');
    await expectAccessible(page, 'intake with errors');
  });

  it('when the number is corrected and Enter pressed twice, then the case is registered once, its receipt shows the number and both codes (one whose answer was lost, replaced), and 查看案件 shows 已登记', async () => {
    // The first access code's answer is lost after the server issued it: the retry under the same key is
    // answered without the code (a replay), so the receipt issues a new one under a new key.
    const codePosts: string[] = [];
    const accessCodeUrl = /\/cases\/[0-9a-f-]{36}\/parties\/[0-9a-f-]{36}\/access-code$/;
    await page.route(accessCodeUrl, async (route) => {
      codePosts.push(route.request().headers()['idempotency-key'] ?? '');
      if (codePosts.length > 1) return route.continue();
      await route.fetch();
      return route.abort('connectionreset');
    });
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(respondentId);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/console\/cases\/[0-9a-f-]{36}\/receipt$/);
    const caseId = page.url().split('/').at(-2)!;
    const registered = await stack.send(clerk, 'GET', `/cases/${caseId}`);
    expect(registered.status).toBe(200);
    await expect
      .poll(() => page.getByTestId('receipt-case-number').textContent(), { timeout: 15_000 })
      .toBe(registered.body.caseNumber);
    expect(intakePosts.length, 'one request, or the same key twice').toBeGreaterThan(0);
    expect(new Set(intakePosts).size).toBe(1);
    const detail = JSON.stringify(registered.body);
    expect(detail).toContain('loan_debt');
    expect(detail).toContain('1200000');
    // Both parties' codes, each signing its party in.
    await expect.poll(() => page.locator('.receipt-code').count(), { timeout: 15_000 }).toBe(2);
    await page.unroute(accessCodeUrl);
    expect(codePosts).toHaveLength(4);
    expect(new Set(codePosts).size).toBe(3);
    for (const party of registered.body.parties as { partyId: string }[]) {
      const code = (await page
        .getByTestId(`access-code-${party.partyId}`)
        .locator('.receipt-code')
        .textContent())!.trim();
      expect((await signInWithCode(code, party.partyId)).status).toBe(201);
    }
    await shot(page, 'intake-03-receipt');

    await tabTo(page, { link: '查看案件' });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toContain(registered.body.caseNumber);
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 15_000 }).toBe('已登记');
    await shot(page, 'intake-03-registered');
  });

  it("when the server refuses a party (a minor without a guardian), then the refusal is shown at that party's ID number and read out", async () => {
    const before = intakePosts.length;
    await tabTo(page, { link: '登记案件' });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: '登记案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
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
  });

  let caseId: string;
  let guardianId: string;
  let firstGuardianCode: string;

  it('when the clerk adds the guardian and attaches a PDF and a PNG, then the case registers under a new key and the receipt lists the case, the scan and the access codes', async () => {
    const before = intakePosts.length;
    await page.getByRole('button', { name: /^为当事人 2（被申请人）\s*添加代理人$/ }).click();
    const guardian = page.getByRole('group', { name: '当事人 2（被申请人）的代理人 1' });
    expect(await guardian.getByRole('radio', { name: '法定代理人（监护人）' }).isChecked()).toBe(true);
    await typeInto(page, 'parties_1_representatives_0_name', '赵大');
    await typeInto(page, 'parties_1_representatives_0_idNumber', fictionalIdNumber('445202', '19000404', '735'));
    await typeInto(page, 'parties_1_representatives_0_phone', '17000007777');

    // A Word file is refused at the field, before anything is registered; the scans are taken.
    await page.getByLabel('添加扫描件').setInputFiles({
      name: '说明.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from('PK\u0003\u0004 word'),
    });
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '说明.docx' }).isVisible()).toBe(true);
    await page.getByLabel('添加扫描件').setInputFiles([
      { name: '借条.pdf', mimeType: 'application/pdf', buffer: await pdf() },
      { name: '身份证.png', mimeType: 'image/png', buffer: png() },
    ]);
    await expect.poll(() => page.getByRole('group', { name: /^材料 2：身份证\.png/ }).isVisible()).toBe(true);
    expect(await page.getByLabel('材料名称').first().inputValue()).toBe('借条');
    await typeInto(page, 'materials_0_kind', '证据');
    await page.keyboard.press('Enter');
    await typeInto(page, 'materials_1_kind', '身份');
    await page.keyboard.press('Enter');
    await shot(page, 'intake-05-guardian-and-scans');
    await expectAccessible(page, 'intake with a guardian and scans');

    // The PNG's connection is cut (every try): it fails after the case is registered, and stays retryable.
    let cutPng = true;
    await page.route(/\/cases\/[0-9a-f-]{36}\/materials\?/, (route) =>
      cutPng && route.request().method() === 'POST' && route.request().headers()['content-type'] === 'image/png'
        ? route.abort('connectionreset')
        : route.continue(),
    );
    await page.getByRole('button', { name: '提交登记' }).click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/console\/cases\/[0-9a-f-]{36}\/receipt$/);
    expect(intakePosts.length).toBe(before + 1);
    expect(intakePosts.at(-1)).not.toBe(intakePosts.at(-2));
    caseId = page.url().split('/').at(-2)!;
    const registered = await stack.send(clerk, 'GET', `/cases/${caseId}`);
    expect(registered.status).toBe(200);
    const parties = registered.body.parties as {
      partyId: string;
      role: string;
      name: string;
      representsPartyId: string | null;
    }[];
    const child = parties.find((p) => p.role === 'respondent')!;
    guardianId = parties.find((p) => p.role === 'guardian')!.partyId;
    expect(parties.find((p) => p.role === 'guardian')!.representsPartyId).toBe(child.partyId);
    await expect
      .poll(() => page.getByTestId('receipt-case-number').textContent(), { timeout: 15_000 })
      .toBe(registered.body.caseNumber);

    const materials = page.getByRole('region', { name: '收到的材料' });
    await expect
      .poll(() => materials.getByRole('row', { name: /借条/ }).textContent(), { timeout: 20_000 })
      .toContain('已收到');
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: '有 1 份材料未上传成功' }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    expect(await materials.getByRole('row', { name: /身份证/ }).textContent()).toContain('未上传成功');
    // The case stays registered, with the one file that arrived.
    expect(
      (await stack.send(clerk, 'GET', `/cases/${caseId}/materials`)).body.materials.map(
        (m: { title: string }) => m.title,
      ),
    ).toEqual(['借条']);

    cutPng = false;
    await page.getByRole('button', { name: /^重试\s*上传 身份证$/ }).click();
    await expect
      .poll(() => materials.getByRole('row', { name: /身份证/ }).textContent(), { timeout: 20_000 })
      .toContain('已收到');
    const uploaded = (await stack.send(clerk, 'GET', `/cases/${caseId}/materials`)).body.materials as {
      title: string;
      kind: string;
      mediaType: string;
    }[];
    expect(uploaded.map((m) => [m.title, m.kind, m.mediaType])).toEqual([
      ['借条', 'evidence', 'application/pdf'],
      ['身份证', 'identity', 'image/png'],
    ]);
    // One key per file, kept across every try of it.
    expect(new Set(materialPosts.filter((m) => m.type === 'image/png').map((m) => m.key)).size).toBe(1);
    expect(materialPosts.filter((m) => m.type === 'image/png').length).toBeGreaterThan(1);
    expect(new Set(materialPosts.map((m) => m.key)).size).toBe(2);

    // The codes: the applicant's, and the guardian's in place of the child's; the guardian's signs in.
    const guardianRow = page.getByTestId(`access-code-${guardianId}`);
    await expect.poll(() => guardianRow.locator('.receipt-code').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId(`access-code-${child.partyId}`).count()).toBe(0);
    expect(await guardianRow.textContent()).toContain('170****7777');
    expect(await page.locator('.receipt-code').count()).toBe(2);
    firstGuardianCode = (await guardianRow.locator('.receipt-code').textContent())!.trim();
    const signedIn = await signInWithCode(firstGuardianCode, guardianId);
    expect(signedIn).toMatchObject({ status: 201, sentTo: '170****7777' });
    expect((await stack.send({ token: signedIn.token! }, 'GET', `/cases/${caseId}`)).status).toBe(200);
    expect(await page.getByText('查询码只在本页显示这一次').isVisible()).toBe(true);
  });

  it('when the receipt is checked and printed, then it is accessible, its QR holds the portal address, and on paper only the receipt shows', async () => {
    await expectAccessible(page, 'receipt');
    await shot(page, 'intake-06-receipt');
    const qr = page.getByTestId('portal-qr');
    expect(await qr.getAttribute('data-url')).toBe(`${base}/portal/`);
    // The same squares qrcode makes for that address: one path segment per dark module.
    const modules = QRCode.create(`${base}/portal/`, { errorCorrectionLevel: 'M' }).modules;
    expect((await qr.locator('path').getAttribute('d'))!.match(/M/g)!.length).toBe(
      [...modules.data].filter(Boolean).length,
    );

    await page.evaluate('window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }');
    await page.getByRole('button', { name: '打印回执' }).click();
    expect(await page.evaluate('window.__printed')).toBe(1);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.console-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印回执' }).isVisible()).toBe(false);
    expect(await page.locator('article.receipt').isVisible()).toBe(true);
    expect(await page.getByTestId('receipt-case-number').isVisible()).toBe(true);
    // Only the recipient's code (the applicant's, first) is printed; the guardian's row stays on screen.
    expect(await page.getByTestId(`access-code-${guardianId}`).isVisible()).toBe(false);
    expect(await page.locator('.receipt-code').first().isVisible()).toBe(true);
    await shot(page, 'intake-07-receipt-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('when the clerk comes back to the receipt, then the codes are no longer shown, and 重新签发 replaces the lost one', async () => {
    await page.getByRole('link', { name: '查看案件' }).click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('case-status')
            .isVisible()
            .catch(() => false),
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.waitForTimeout(1500);
    await page.goBack();
    const guardianRow = page.getByTestId(`access-code-${guardianId}`);
    await expect.poll(() => guardianRow.textContent(), { timeout: 15_000 }).toContain('已签发（只显示一次');
    expect(await page.locator('.receipt-code').count()).toBe(0);

    await guardianRow.getByRole('button', { name: /^重新签发/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: '重新签发' }).click();
    await expect.poll(() => guardianRow.locator('.receipt-code').count(), { timeout: 15_000 }).toBe(1);
    const second = (await guardianRow.locator('.receipt-code').textContent())!.trim();
    expect(second).not.toBe(firstGuardianCode);
    expect(
      (await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode: firstGuardianCode })).status,
    ).toBe(401);
    expect((await signInWithCode(second, guardianId)).status).toBe(201);
    await expectAccessible(page, 'receipt after re-issuing');
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
