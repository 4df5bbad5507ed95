/**
 * The case file (案件详情) in a real browser against the real stack: a dispute the court delegated, registered
 * and accepted by the clerk through the API (acceptance issues the 当事人权利义务告知书 and notifies the court)
 * and an access code texted to the applicant. In the console the clerk reads the applicant in full after
 * giving a reason (recorded with the read), uploads a scan and sees it listed, previews the notice inline and
 * follows its verify link, and sees the texts and the court's notification under 通知. The supervisor, who
 * sees every case masked, is offered no full data and no files; a mediator not on the case sees only the
 * not-found page. axe finds no WCAG 2.1 A/AA violation on any tab or dialog, and the CSP refuses nothing.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtDelegation } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';

const SHOTS = [
  'case-file-01-parties',
  'case-file-02-reveal-reason',
  'case-file-03-revealed',
  'case-file-04-materials',
  'case-file-05-uploaded',
  'case-file-06-documents',
  'case-file-07-preview',
  'case-file-08-deliveries',
  'case-file-09-supervisor',
  'case-file-10-mediator-not-found',
];

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let clerkId: string;
let registered: { caseId: string; caseNumber: string; applicant: string };

beforeAll(async () => {
  ui = await browserStack({ shots: SHOTS });
  ({ stack, base } = ui);
  const signedIn = await stack.loginAll(['clerk.chen']);
  clerk = signedIn.who['clerk.chen'];
  clerkId = signedIn.accountId['clerk.chen']!;
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    courtDelegation({ summary: '浏览器测试（案件详情）：申请人张三借给被申请人李四人民币12000元，至今未还。' }),
  );
  expect(created.status, created.text).toBe(201);
  registered = {
    caseId: created.body.caseId,
    caseNumber: created.body.caseNumber,
    applicant: created.body.parties[0].partyId,
  };
  const accepted = await stack.send(clerk, 'POST', `/cases/${registered.caseId}/accept`, {});
  expect(accepted.status, accepted.text).toBe(200);
  const code = await stack.send(
    clerk,
    'POST',
    `/cases/${registered.caseId}/parties/${registered.applicant}/access-code`,
    {},
  );
  expect(code.status, code.text).toBe(201);
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

/** Signs in on the case's own link and waits for its heading. */
async function openCase(username: string): Promise<Page> {
  const page = await ui.newPage();
  await page.goto(`${base}/console/cases/${registered.caseId}`);
  await signIn(page, username);
  return page;
}

/** Chooses in an antd Select by keyboard only (as test/browser/actions.test.ts does). */
async function chooseByKeyboard(page: Page, select: Locator, typed: string, option: string): Promise<void> {
  await select.focus();
  await select.press('ArrowDown');
  const list = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await expect.poll(() => list.isVisible()).toBe(true);
  await page.keyboard.type(typed);
  await expect.poll(() => list.locator('.ant-select-item-option-active').textContent()).toBe(option);
  await page.keyboard.press('Enter');
  await expect.poll(() => list.isVisible()).toBe(false);
}

/** A small PNG as a scanner would hand it over (the server checks its first bytes). */
const scan = () =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('IHDR 借条扫描件', 'utf8'),
    Buffer.alloc(64, 7),
  ]);

describe('the case file, as the clerk uses it', () => {
  let page: Page;

  it('when the clerk opens the case, then the parties are masked and each offers 查看完整信息', async () => {
    page = await openCase('clerk.chen');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toContain(registered.caseNumber);
    await expect.poll(() => page.getByRole('button', { name: '查看完整信息：张三' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '查看完整信息：李四' }).isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).not.toContain('17000001234');
    await shot(page, 'case-file-01-parties');
    await expectAccessible(page, 'case parties');
  });

  it('when the clerk asks for the full data, then a reason is required, and with one the data shows and the read is recorded with it', async () => {
    const trigger = page.getByRole('button', { name: '查看完整信息：张三' });
    await trigger.click();
    const dialog = page.getByRole('dialog', { name: '查看完整信息：张三' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // No reason: refused at the field, read out, and nothing is asked of the server.
    await dialog.getByRole('button', { name: '查看', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toBe('请选择查阅事由');
    // 其他 by keyboard: then the reason in one's own words is required too.
    await chooseByKeyboard(page, dialog.getByLabel('查阅事由'), '其他', '其他（请填写事由）');
    await dialog.getByRole('button', { name: '查看', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toBe('请填写具体事由');
    await dialog.getByLabel('具体事由').fill('核对送达地址');
    await shot(page, 'case-file-02-reveal-reason');
    await expectAccessible(page, 'reveal reason dialog');
    expect(await stack.db('personal_data_reads').where({ case_id: registered.caseId }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
    await dialog.getByLabel('具体事由').press('Enter');

    await expect.poll(() => dialog.getByText('17000001234').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await dialog.textContent()).toContain('广东省揭阳市榕城区某某路1号');
    // Reading starts at the data.
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('完整信息');
    await shot(page, 'case-file-03-revealed');
    await expectAccessible(page, 'revealed personal data');
    const reads = await stack
      .db('personal_data_reads')
      .where({ case_id: registered.caseId, party_id: registered.applicant })
      .orderBy('id');
    expect(reads.map((r) => [r.field, r.reason, r.principal, r.role])).toEqual([
      ['idNumber', '核对送达地址', clerkId, 'clerk'],
      ['phone', '核对送达地址', clerkId, 'clerk'],
      ['address', '核对送达地址', clerkId, 'clerk'],
    ]);

    // Closed by keyboard: the data leaves the page and focus goes back to the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('17000001234');
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("aria-label")'))
      .toBe('查看完整信息：张三');
  });

  it('when the clerk uploads a scan, then a missing file is said at its field, and the upload is listed and recorded', async () => {
    await page.getByRole('tab', { name: '材料' }).click();
    await expect.poll(() => page.getByText('本案暂无材料').isVisible(), { timeout: 15_000 }).toBe(true);
    await chooseByKeyboard(page, page.getByLabel('材料类别'), '证据', '证据材料');
    await page.getByLabel('材料名称').fill('借条扫描件');
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '请选择要上传的文件' }).isVisible()).toBe(true);
    await shot(page, 'case-file-04-materials');
    await expectAccessible(page, 'materials with an upload error');

    await page.getByLabel('文件').setInputFiles({ name: '借条.png', mimeType: 'image/png', buffer: scan() });
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: '借条扫描件', exact: true }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    const row = page.getByRole('row').filter({ hasText: '借条扫描件' });
    expect(await row.textContent()).toContain('证据材料');
    expect(await row.textContent()).toContain('PNG 图片');
    expect(await row.getByRole('button', { name: '下载 借条扫描件' }).isVisible()).toBe(true);
    const listed = await stack.send(clerk, 'GET', `/cases/${registered.caseId}/materials`);
    expect(listed.body.materials).toMatchObject([
      { kind: 'evidence', title: '借条扫描件', mediaType: 'image/png', uploadedBy: 'clerk' },
    ]);
    await shot(page, 'case-file-05-uploaded');
    await expectAccessible(page, 'materials');
  });

  it('when the clerk opens 期限 and 时间线, then each reads in Chinese, and the upload is in the timeline', async () => {
    await page.getByRole('tab', { name: '期限' }).click();
    await expect.poll(() => page.getByText('计算过程').first().isVisible(), { timeout: 15_000 }).toBe(true);
    await expectAccessible(page, 'deadlines');
    await page.getByRole('tab', { name: '时间线' }).click();
    await expect
      .poll(() => page.getByText('收到材料', { exact: true }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByText('受理', { exact: true }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'timeline');
  });

  it('when the clerk opens 文书, then each version has its verify code linked to the public check, and 预览 shows the PDF in the page', async () => {
    await page.getByRole('tab', { name: '文书' }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: '当事人权利义务告知书' }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    const docs = (await stack.send(clerk, 'GET', `/cases/${registered.caseId}/documents`)).body.documents as {
      title: string;
      verificationCode: string;
      docVersion: number;
    }[];
    const notice = docs.find((d) => d.title === '当事人权利义务告知书')!;
    const verify = page.getByRole('link', { name: new RegExp(notice.verificationCode) });
    expect(await verify.getAttribute('href')).toBe(`/verify/${notice.verificationCode}`);
    expect(await verify.getAttribute('target')).toBe('_blank');
    const checked = await stack.send(undefined, 'GET', `/verify/${notice.verificationCode}`);
    expect(checked.body).toMatchObject({
      genuine: true,
      caseNumber: registered.caseNumber,
      title: '当事人权利义务告知书',
    });
    await shot(page, 'case-file-06-documents');
    await expectAccessible(page, 'documents');

    const before = await stack.db('document_downloads').count({ n: '*' });
    await page.getByRole('button', { name: `预览：当事人权利义务告知书 第 ${notice.docVersion} 版` }).click();
    const dialog = page.getByRole('dialog', { name: `预览：当事人权利义务告知书 第 ${notice.docVersion} 版` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const frame = dialog.locator('iframe');
    await expect.poll(() => frame.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    expect(await frame.getAttribute('title')).toBe(`当事人权利义务告知书 第 ${notice.docVersion} 版（PDF）`);
    // The PDF came with the clerk's token, as a recorded download.
    const after = await stack.db('document_downloads').count({ n: '*' });
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1);
    await expect.poll(() => page.frames().some((f) => f.url().startsWith('blob:')), { timeout: 15_000 }).toBe(true);
    await page.waitForTimeout(1000); // the browser's PDF viewer draws the first page
    await shot(page, 'case-file-07-preview');
    await expectAccessible(page, 'document preview');
    await dialog.getByRole('button', { name: '关闭预览' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('when the clerk opens 通知, then the texts and the court notification are listed with their status', async () => {
    await page.getByRole('tab', { name: '通知' }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: '案件查询码' }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => page.getByRole('cell', { name: '受理通知' }).isVisible()).toBe(true);
    const court = page.getByRole('row').filter({ hasText: '受理通知' });
    expect(await court.textContent()).toContain('揭阳市榕城区人民法院');
    const text = page.getByRole('row').filter({ hasText: '案件查询码' });
    expect(await text.textContent()).toContain('170****1234');
    // The phone masked and the text's words never reach the page.
    const content = (await page.locator('main').textContent()) ?? '';
    expect(content).not.toContain('17000001234');
    expect(content).not.toContain('查询码：');
    await shot(page, 'case-file-08-deliveries');
    await expectAccessible(page, 'deliveries');
  });
});

describe('the case file, for those who may not read it in full', () => {
  it('when the supervisor opens the case, then no party offers full data and the files are not theirs to read', async () => {
    const page = await openCase('supervisor.zheng');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toContain(registered.caseNumber);
    await expect.poll(() => page.getByRole('cell', { name: '张三' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /查看完整信息/ }).count()).toBe(0);
    await page.getByRole('tab', { name: '材料' }).click();
    await expect.poll(() => page.getByText('您的角色不能查看本案的材料。').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('button', { name: '上传', exact: true }).count()).toBe(0);
    await page.getByRole('tab', { name: '通知' }).click();
    await expect.poll(() => page.getByRole('cell', { name: '受理通知' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await shot(page, 'case-file-09-supervisor');
    await expectAccessible(page, 'supervisor case');
  });

  it('when a mediator not assigned to the case opens its link, then they see the not-found page and cannot read anyone in full', async () => {
    const page = await openCase('mediator.zhou');
    await expect
      .poll(() => page.getByRole('heading', { name: '未找到该案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByRole('button', { name: /查看完整信息/ }).count()).toBe(0);
    const mediator = await stack.login('mediator.zhou');
    const res = await stack.send(
      mediator,
      'GET',
      `/cases/${registered.caseId}/parties/${registered.applicant}/personal-data?reason=${encodeURIComponent('送达文书')}`,
    );
    expect(res.status).toBe(404);
    await shot(page, 'case-file-10-mediator-not-found');
    await expectAccessible(page, 'not-found');
  });

  it('when the case file was used, then no style, script or frame was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
