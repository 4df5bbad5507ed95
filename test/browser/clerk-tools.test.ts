/**
 * The clerk's tools (docs/screens.md#the-clerks-tools: 访问码, 归档, 投递失败) in a real browser against the real stack. 访问码: the clerk issues
 * a party's first access code, shown once in large type with where it was texted, and the code opens the party's
 * sign-in; re-issuing is confirmed with a warning, and a 重新签发 whose answer was lost on the way, pressed again,
 * is the same request (one Idempotency-Key per dialog): the server's replay has no code, and the dialog says why
 * instead of showing a blank; only the newest code works. 归档: a case whose agreement asks nothing to be
 * performed (apologies only, driven through the API) is archived through its dialog, after its documents and
 * materials are listed and the clerk ticks that they were checked. 投递失败: the text the gateway refused is listed
 * for the clerk and the supervisor with its case, masked recipient and error, and links to the case's 通知; a
 * mediator gets the not-found page. axe finds no WCAG 2.1 A/AA violation on any screen or dialog, and the CSP
 * refuses nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsRejected } from '../../infra/sms.js';
import { apologyAgreement, effectiveAgreement } from '../support/drive.js';
import { partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';

const SHOTS = [
  'clerk-tools-01-parties',
  'clerk-tools-02-issue-confirm',
  'clerk-tools-03-issued',
  'clerk-tools-04-reissue-confirm',
  'clerk-tools-05-replayed',
  'clerk-tools-06-archive-file-list',
  'clerk-tools-07-archive-unchecked',
  'clerk-tools-08-archived',
  'clerk-tools-09-failed-deliveries',
  'clerk-tools-10-case-deliveries',
  'clerk-tools-11-supervisor-failed',
  'clerk-tools-12-mediator-not-found',
];
/** The respondent's number: the gateway refuses texts to it, as it would an invalid number. */
const REFUSED_PHONE = '17000990099';
const ACCESS_CODE = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/;

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let withCodes: { caseId: string; caseNumber: string; applicant: string };
let archivable: { caseId: string; caseNumber: string };

/** A small PNG as a scanner would hand it over (the server checks its first bytes). */
const scan = () =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('IHDR 借条扫描件', 'utf8'),
    Buffer.alloc(64, 7),
  ]);

beforeAll(async () => {
  // Its own database: the 投递失败 list covers every case of the clerk's organization, and shows this file's only.
  ui = await browserStack({
    stack: {
      ownDatabase: true,
      smsGateway: {
        name: 'test',
        deliver: async (m) => {
          if (m.to === REFUSED_PHONE) throw new SmsRejected('the gateway answered 400');
          return { gatewayMessageId: `test-${m.messageId}` };
        },
      },
    },
    shots: SHOTS,
  });
  ({ stack, base } = ui);
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen'];

  // A walk-in case: the respondent's code is texted to a number the gateway refuses; the applicant has none yet.
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({
      summary: '浏览器测试（访问码）：申请人张三借给被申请人李四人民币12000元，至今未还。',
      parties: [
        { role: 'applicant', kind: 'natural', name: '张三', phone: '17000001234' },
        { role: 'respondent', kind: 'natural', name: '李四', phone: REFUSED_PHONE },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  withCodes = {
    caseId: created.body.caseId,
    caseNumber: created.body.caseNumber,
    applicant: created.body.parties[0].partyId,
  };
  const respondentCode = await stack.send(
    clerk,
    'POST',
    `/cases/${withCodes.caseId}/parties/${created.body.parties[1].partyId}/access-code`,
    {},
  );
  expect(respondentCode.status, respondentCode.text).toBe(201);

  // An agreement of apologies only: nothing to perform, so the case may be archived at once; with a scan on file.
  const agreed = await effectiveAgreement(stack, {
    intake: partyApplication({ summary: '浏览器测试（归档）：邻里噪音纠纷。' }),
    content: apologyAgreement,
  });
  const uploaded = await fetch(
    `${stack.url}/cases/${agreed.caseId}/materials?${new URLSearchParams({ kind: 'evidence', title: '借条扫描件' })}`,
    {
      method: 'POST',
      headers: { 'content-type': 'image/png', authorization: `Bearer ${(clerk as { token: string }).token}` },
      body: scan(),
    },
  );
  expect(uploaded.status, await uploaded.text()).toBe(201);
  const view = await stack.send(clerk, 'GET', `/cases/${agreed.caseId}`);
  archivable = { caseId: agreed.caseId, caseNumber: view.body.caseNumber };
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

/** Signs in on a console link (a case, a list) and lands there. */
async function open(path: string, username: string): Promise<Page> {
  const page = await ui.newPage();
  await page.goto(`${base}/console${path}`);
  await signIn(page, username);
  return page;
}

/** Whether a party can start signing in with this access code (POST /auth/party/challenge), as the portal would. */
const opensSignIn = async (accessCode: string) =>
  (await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode })).status;

describe('访问码: issued once, re-issued with the old one invalidated', () => {
  let page: Page;
  let first: string;

  it('when the clerk opens 当事人, then each party offers its code: 签发访问码 for a party without one, 重新签发 for one with', async () => {
    page = await open(`/cases/${withCodes.caseId}`, 'clerk.chen');
    await expect
      .poll(() => page.getByRole('button', { name: '签发访问码：张三' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByRole('button', { name: '重新签发访问码：李四' }).isVisible()).toBe(true);
    expect(await page.getByRole('row').filter({ hasText: '李四' }).textContent()).toContain('已签发');
    await shot(page, 'clerk-tools-01-parties');
    await expectAccessible(page, 'parties with access codes');
  });

  it('when the clerk issues the first code, then it is shown once in large type with where it was texted, and it opens the sign-in', async () => {
    await page.getByRole('button', { name: '签发访问码：张三' }).click();
    const dialog = page.getByRole('dialog', { name: '签发访问码：张三' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('访问码只显示一次');
    expect(await dialog.textContent()).toContain('170****1234');
    await shot(page, 'clerk-tools-02-issue-confirm');
    await expectAccessible(page, 'issue access code dialog');

    await dialog.getByRole('button', { name: /^签\s*发$/ }).click();
    const code = dialog.getByTestId('access-code');
    await expect.poll(() => code.isVisible(), { timeout: 15_000 }).toBe(true);
    first = ((await code.textContent()) ?? '').trim();
    expect(first).toMatch(ACCESS_CODE);
    expect(await dialog.textContent()).toContain('已以短信发送至 170****1234');
    expect(await dialog.textContent()).toContain('此访问码只显示这一次');
    // Reading starts at the code.
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe(
      '张三（申请人）的访问码',
    );
    await shot(page, 'clerk-tools-03-issued');
    await expectAccessible(page, 'issued access code');
    expect(await opensSignIn(first)).toBe(201);

    await dialog.getByRole('button', { name: /^完\s*成$/ }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(first);
    // The party has a code now: the button offers a new one.
    await expect
      .poll(() => page.getByRole('button', { name: '重新签发访问码：张三' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
  });

  it("when a re-issue's answer is lost and 重新签发 is pressed again, then the replay says the code cannot be shown again, and the old code no longer works", async () => {
    await page.getByRole('button', { name: '重新签发访问码：张三' }).click();
    const dialog = page.getByRole('dialog', { name: '重新签发访问码：张三' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('重新签发后，原访问码立即失效');
    await shot(page, 'clerk-tools-04-reissue-confirm');
    await expectAccessible(page, 'reissue access code dialog');

    // The server issues the code, but its answer never reaches the page.
    await page.route(
      '**/access-code',
      async (route) => {
        await route.fetch();
        await route.abort('failed');
      },
      { times: 1 },
    );
    await dialog.getByRole('button', { name: '重新签发', exact: true }).click();
    await expect
      .poll(() => dialog.getByRole('alert').filter({ hasText: '无法连接服务器' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await opensSignIn(first)).toBe(401);

    // Pressed again: the same request (the same Idempotency-Key), answered as before but without the code.
    await dialog.getByRole('button', { name: '重新签发', exact: true }).click();
    await expect
      .poll(() => dialog.getByRole('heading', { name: '访问码已签发，但不能再次显示' }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    expect(await dialog.getByTestId('access-code').count()).toBe(0);
    expect(await dialog.textContent()).toContain('已以短信发送至 170****1234');
    expect(await dialog.textContent()).toContain('重新签发');
    await shot(page, 'clerk-tools-05-replayed');
    await expectAccessible(page, 'replayed access code');
    // One code was issued by the two presses: one access_code text for this dialog.
    const texts = (await stack.outbox(withCodes.applicant)).filter((m) => m.purpose === 'access_code');
    expect(texts).toHaveLength(2);
    await dialog.getByRole('button', { name: /^完\s*成$/ }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('when the clerk re-issues in a new dialog, then a new code is shown, and only it opens the sign-in', async () => {
    await page.getByRole('button', { name: '重新签发访问码：张三' }).click();
    const dialog = page.getByRole('dialog', { name: '重新签发访问码：张三' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: '重新签发', exact: true }).click();
    const code = dialog.getByTestId('access-code');
    await expect.poll(() => code.isVisible(), { timeout: 15_000 }).toBe(true);
    const newest = ((await code.textContent()) ?? '').trim();
    expect(newest).toMatch(ACCESS_CODE);
    expect(newest).not.toBe(first);
    expect(await opensSignIn(first)).toBe(401);
    expect(await opensSignIn(newest)).toBe(201);
    await dialog.getByRole('button', { name: /^完\s*成$/ }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });
});

describe('归档: the file list, then archive', () => {
  it('when the clerk opens 结案归档, then the documents and materials are listed with version and date, and archiving needs the tick', async () => {
    const page = await open(`/cases/${archivable.caseId}`, 'clerk.chen');
    const action = page.getByRole('button', { name: '结案归档', exact: true });
    await expect.poll(() => action.isVisible(), { timeout: 15_000 }).toBe(true);
    await action.click();
    const dialog = page.getByRole('dialog', { name: `结案归档：${archivable.caseNumber}` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect
      .poll(() => dialog.getByRole('cell', { name: '调解协议书' }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect
      .poll(() => dialog.getByRole('cell', { name: '借条扫描件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await dialog.getByRole('row').filter({ hasText: '调解协议书' }).first().textContent()).toContain('第 1 版');
    expect(await dialog.getByRole('row').filter({ hasText: '借条扫描件' }).textContent()).toContain('证据材料');
    expect(await dialog.textContent()).toContain('人民调解法》第二十七条');
    await shot(page, 'clerk-tools-06-archive-file-list');
    await expectAccessible(page, 'archive dialog');

    // Not ticked: refused at the tick, read out, and nothing is sent.
    await dialog.getByRole('button', { name: '确认归档' }).click();
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toBe('请先核对卷宗材料，并勾选确认');
    await shot(page, 'clerk-tools-07-archive-unchecked');
    await expectAccessible(page, 'archive dialog, not ticked');
    expect((await stack.send(clerk, 'GET', `/cases/${archivable.caseId}`)).body.status).toBe('AGREEMENT_EFFECTIVE');

    await dialog.getByRole('checkbox', { name: '我已核对以上文书和材料，卷宗齐全' }).check();
    await dialog.getByLabel('备注（可选）').fill('卷宗已核对');
    await dialog.getByRole('button', { name: '确认归档' }).click();
    await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 15_000 }).toBe('结案归档');
    const archived = await stack.send(clerk, 'GET', `/cases/${archivable.caseId}`);
    expect(archived.body.status).toBe('CLOSED_ARCHIVED');
    expect(archived.body.events.find((e: { type: string }) => e.type === 'CaseArchived')?.payload).toMatchObject({
      article: '人民调解法第二十七条',
      note: '卷宗已核对',
    });
    // The archive's own document, the 人民调解卷宗, follows in 文书.
    await page.getByRole('tab', { name: '文书' }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: '人民调解卷宗', exact: true }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    await shot(page, 'clerk-tools-08-archived');
    await expectAccessible(page, 'archived case');
  });
});

describe('投递失败: what could not be delivered', () => {
  it("when the clerk opens 投递失败, then the refused text is listed with its case, masked recipient and error, and links to the case's 通知", async () => {
    const page = await open('/', 'clerk.chen');
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: '工作台' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '投递失败' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: '投递失败' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const row = page.getByRole('row').filter({ hasText: withCodes.caseNumber });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    const text = (await row.textContent()) ?? '';
    for (const shown of ['李*（被申请人）', '170****0099', '短信：案件查询码', '被拒收', '短信网关返回 400'])
      expect(text).toContain(shown);
    // The phone masked and the text's words (an access code) never reach the page.
    const content = (await page.locator('main').textContent()) ?? '';
    expect(content).not.toContain(REFUSED_PHONE);
    expect(content).not.toContain('查询码：');
    await shot(page, 'clerk-tools-09-failed-deliveries');
    await expectAccessible(page, 'failed deliveries');

    await row.getByRole('link', { name: new RegExp(withCodes.caseNumber.replace(/[()（）]/g, '.')) }).click();
    await expect
      .poll(() => page.getByRole('tab', { name: '通知', selected: true }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: '170****0099' }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    await shot(page, 'clerk-tools-10-case-deliveries');
    await expectAccessible(page, 'case deliveries from the list');
  });

  it('when the supervisor opens 投递失败, then the same text is listed', async () => {
    const page = await open('/deliveries/failed', 'supervisor.zheng');
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: '投递失败' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: withCodes.caseNumber }).count(), { timeout: 15_000 })
      .toBe(1);
    expect(
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '投递失败' }).isVisible(),
    ).toBe(true);
    await shot(page, 'clerk-tools-11-supervisor-failed');
    await expectAccessible(page, 'supervisor failed deliveries');
  });

  it('when a mediator opens its link, then they get the not-found page and no entry in the navigation', async () => {
    const page = await open('/deliveries/failed', 'mediator.wu');
    await expect
      .poll(() => page.getByRole('heading', { name: '未找到该页面' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '投递失败' }).count()).toBe(
      0,
    );
    await shot(page, 'clerk-tools-12-mediator-not-found');
    await expectAccessible(page, 'mediator not found');
  });

  it('when the tools were used, then no style, script or frame was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
