/**
 * The action forms in a real browser against the real stack: a case registered, accepted and designated to
 * 吴国栋 (mediator.wu) through the API; in the console he accepts the assignment, records a session through the
 * form built from the API's own request schema (date and time, place, mode, record), and terminates the
 * mediation choosing the reason from the Select by keyboard; a refused body (400) shows its error at its
 * field with nothing typed lost; axe finds no WCAG 2.1 A/AA violation with the form open. The setup is that of
 * console.test.ts (a local server for the console that passes the rest to the stack's API).
 */
import type { Locator, Page } from 'playwright-core';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let mediator: Credentials;
let registered: { caseId: string; caseNumber: string };

async function newPage(): Promise<Page> {
  return ui.newPage();
}

beforeAll(async () => {
  ui = await browserStack({
    shots: [
      '11-form-accept-assignment',
      '12-form-session',
      '13-form-session-recorded',
      '14-form-termination-400',
      '15-form-terminated',
    ],
  });
  ({ stack, base } = ui);
  const signedIn = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  clerk = signedIn.who['clerk.chen'];
  mediator = signedIn.who['mediator.wu'];
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({ summary: '浏览器测试（操作表单）：申请人张三借给被申请人李四人民币12000元，至今未还。' }),
  );
  expect(created.status, created.text).toBe(201);
  registered = { caseId: created.body.caseId, caseNumber: created.body.caseNumber };
  const accepted = await stack.send(clerk, 'POST', `/cases/${registered.caseId}/accept`, {});
  expect(accepted.status, accepted.text).toBe(200);
  const designated = await stack.send(clerk, 'POST', `/cases/${registered.caseId}/mediator`, {
    mode: 'designated',
    mediatorId: signedIn.accountId['mediator.wu'],
  });
  expect(designated.status, designated.text).toBe(200);
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

/** The case as the API shows it to the mediator, once it has the event (the view's events may lag its status). */
async function caseWith(
  event: string,
): Promise<{ status: string; statusLabel: string; events: { type: string; payload: Record<string, unknown> }[] }> {
  for (const end = Date.now() + 30_000; ;) {
    const res = await stack.send(mediator, 'GET', `/cases/${registered.caseId}`);
    if (res.body.events.some((e: { type: string }) => e.type === event)) return res.body;
    if (Date.now() > end) throw new Error(`case ${registered.caseId} has no ${event}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Now in China as the date picker takes it (2026-07-01 09:30), a minute ago. */
function chinaNow(): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    })
      .formatToParts(new Date(Date.now() - 60_000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}

/**
 * Chooses in an antd Select by keyboard only: focus, ArrowDown opens the list, the typed words filter it, Enter
 * takes the highlighted option. Waits for the list and the filtered option, as a person would look.
 */
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

describe('the action forms', () => {
  let page: Page;

  it('when the designated mediator opens the case, then 接受分派 opens its form, and accepting moves the case on', async () => {
    page = await newPage();
    await page.goto(`${base}/console/cases/${registered.caseId}`);
    await signIn(page, 'mediator.wu');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toContain(registered.caseNumber);
    await page.getByRole('button', { name: '接受分派', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '接受分派' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // The schema's default (no conflict) is preselected, in Chinese.
    expect(await dialog.textContent()).toContain('无利益冲突');
    await shot(page, '11-form-accept-assignment');
    await expectAccessible(page, 'accept-assignment form');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 30_000 }).toBe(false);
    const after = await caseWith('MediatorAccepted');
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 30_000 }).toBe(after.statusLabel);
  });

  it('when the mediator records a session through the form, then the session is in the timeline with the time in China time', async () => {
    await page.getByRole('button', { name: '记录调解', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '记录调解' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // Nothing filled in: the required fields say so at the fields, and nothing is sent.
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await expect.poll(() => dialog.getByText('请填写调解时间').isVisible()).toBe(true);
    const when = chinaNow();
    const picker = dialog.getByLabel('调解时间');
    await picker.click();
    await picker.fill(when);
    await picker.press('Enter');
    await dialog.getByLabel('地点').fill('中心第二调解室');
    // The mode by keyboard: focus the Select, type to filter, Enter to choose.
    await chooseByKeyboard(page, dialog.getByLabel('调解方式'), '视频', '视频调解');
    await dialog
      .getByLabel('调解笔录')
      .fill('双方到场。申请人要求归还借款12000元；被申请人称资金困难，希望分期。调解员释明法律规定。');
    await expect.poll(() => dialog.getByText('视频调解').filter({ visible: true }).count()).toBeGreaterThan(0);
    expect(await picker.inputValue()).toBe(when);
    await shot(page, '12-form-session');
    await expectAccessible(page, 'session form');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 30_000 }).toBe(false);
    const after = await caseWith('SessionRecorded');
    const session = after.events.find((e) => e.type === 'SessionRecorded')!;
    expect(session.payload).toMatchObject({
      place: '中心第二调解室',
      mode: 'video',
      at: `${when.replace(' ', 'T')}:00+08:00`,
    });
    await page.getByRole('tab', { name: '时间线' }).click();
    await expect
      .poll(() => page.getByText('记录调解', { exact: true }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    await shot(page, '13-form-session-recorded');
  });

  it('when the server refuses the termination (400: other needs a note), then the error shows at the note, and with a reason chosen by keyboard the mediation ends', async () => {
    await page.getByRole('button', { name: '终止调解', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '终止调解' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const reason = dialog.getByLabel('终止原因');
    await chooseByKeyboard(page, reason, '其他', '其他导致调解无法进行的情形');
    await expect
      .poll(() => dialog.getByText('其他导致调解无法进行的情形').filter({ visible: true }).count())
      .toBeGreaterThan(0);
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    // The server's refusal, announced, and its field error at the note (the form cannot know this rule).
    await expect
      .poll(() => dialog.getByRole('alert').first().textContent(), { timeout: 15_000 })
      .toContain('填写的内容有误');
    const noteHelp = dialog.locator('#action_note_help');
    await expect.poll(() => noteHelp.textContent()).toContain('必填');
    expect(await dialog.getByLabel('备注（可选）').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '14-form-termination-400');
    await expectAccessible(page, 'termination form with a refusal');

    // Another reason, by keyboard; the note typed too; what was chosen before is still there until changed.
    await chooseByKeyboard(page, reason, '分歧', '当事人分歧较大且难以达成调解协议');
    await expect
      .poll(() => dialog.getByText('当事人分歧较大且难以达成调解协议').filter({ visible: true }).count())
      .toBeGreaterThan(0);
    await dialog.getByLabel('备注（可选）').fill('双方对还款期限分歧较大，经三次调解未能达成一致。');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 30_000 }).toBe(false);
    const after = await caseWith('MediationTerminated');
    expect(after.events.find((e) => e.type === 'MediationTerminated')!.payload).toMatchObject({
      reason: 'positions_too_far_apart',
    });
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 30_000 }).toBe(after.statusLabel);
    await page.getByRole('tab', { name: '时间线' }).click();
    await expect
      .poll(() => page.getByText('终止调解', { exact: true }).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
    await shot(page, '15-form-terminated');
  });

  it('when the forms were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
