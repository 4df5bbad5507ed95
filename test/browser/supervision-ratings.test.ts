/**
 * The 差评 follow-up and the credit files in a real browser against the real stack (issue 17 item 7): a party rates
 * their terminated case 非常不满意 through the API; the supervisor's 差评回访 list shows it with its clocks (the
 * call-back's run out on a clock whose day lasts two seconds, as test/api/ratings.test.ts runs them); on its page
 * they record the call-back, the fix and the answer through the screens; once the party's 追评 closes it, the
 * mediator's credit file shows the confirmed 差评, and the supervisor adds a commendation, a date in the future
 * refused at the field first. The supervisor also draws a random 回访 sample and records a call; the rated mediator
 * sees the 差评 about them without who gave it, and their own credit file. The lists name each case by its number
 * (案号), never to the rated mediator. The other party's 差评: the mediator asks for a 申诉复核 in its dialog, the
 * supervisor excludes it as malicious in theirs, and the credit file gains nothing from it. axe finds no WCAG 2.1
 * A/AA violation on each screen, and nothing is refused by the CSP. Screenshots: test-artifacts/console/ratings-*.png (not supervision-*: supervision.test.ts clears those).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';

let ui: BrowserStack;
let stack: Stack;
let base: string;
let supervisor: Credentials;
let party: Credentials;
/** The respondent, signed in to the same case: their 差评 is the one the mediator asks to have reviewed. */
let otherParty: Credentials;
let mediatorId = '';
let ratingId = '';
/** The rated case: its id, number (案号) and the respondent, who rates it too (the 申诉复核 below). */
let caseId = '';
let caseNumber = '';
let respondent = '';

const RATING_TEXT = '调解员多次打断我的陈述，态度生硬';

const caseAct = async (as: Credentials, caseId: string, path: string, body: unknown = {}) => {
  const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
};

beforeAll(async () => {
  // Its own database: the supervisor's list holds this file's 差评 only.
  ui = await browserStack({
    stack: { ownDatabase: true, dayLengthMs: 2000 },
    shots: { prefix: 'ratings-' },
  });
  ({ stack, base } = ui);
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu', 'supervisor.zheng']);
  const clerk = staff.who['clerk.chen']!;
  supervisor = staff.who['supervisor.zheng']!;
  mediatorId = staff.accountId['mediator.wu']!;
  // A case mediated by 吴国栋 and terminated: concluded, so its parties may rate it.
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({
      parties: [
        {
          role: 'applicant',
          kind: 'natural',
          name: '王五',
          idNumber: fictionalIdNumber('445202', '19000701', '135'),
          phone: '17000067101',
        },
        {
          role: 'respondent',
          kind: 'natural',
          name: '赵六',
          idNumber: fictionalIdNumber('445202', '19000702', '246'),
          phone: '17000067102',
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  caseId = created.body.caseId as string;
  caseNumber = created.body.caseNumber as string;
  const applicant = created.body.parties[0].partyId as string;
  respondent = created.body.parties[1].partyId as string;
  await caseAct(clerk, caseId, 'accept');
  await caseAct(clerk, caseId, 'mediator', { mode: 'designated', mediatorId });
  await caseAct(staff.who['mediator.wu']!, caseId, 'mediator/accept');
  await caseAct(staff.who['mediator.wu']!, caseId, 'termination', { reason: 'positions_too_far_apart' });
  party = await stack.partyLogin(clerk, caseId, applicant);
  otherParty = await stack.partyLogin(clerk, caseId, respondent);
  const rated = await stack.send(party, 'POST', `/cases/${caseId}/ratings`, {
    level: 'very_dissatisfied',
    tags: ['attitude', 'fairness'],
    text: RATING_TEXT,
  });
  expect(rated.status, rated.text).toBe(201);
  ratingId = rated.body.ratingId as string;
}, 240_000);

afterAll(async () => {
  await ui?.close();
});

async function staffPage(username: string, path: string): Promise<Page> {
  const page = await ui.newPage();
  await page.goto(`${base}/console${path}`);
  await signIn(page, username);
  return page;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 });

/**
 * Opens an action's dialog, makes any choice `choose` makes, fills its text fields and confirms; waits for the stage
 * the server then reports.
 */
async function act(
  page: Page,
  action: string,
  fields: Record<string, string>,
  stage: string,
  choose?: (dialog: Locator) => Promise<void>,
): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: action });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  await choose?.(dialog);
  for (const [field, value] of Object.entries(fields)) await dialog.getByLabel(field).fill(value);
  await dialog.getByRole('button', { name: '确认办理' }).click();
  const status = page.locator('#rating-stage');
  await expect
    .poll(
      async () =>
        (await dialog.isVisible()) && (await dialog.getByRole('alert').count())
          ? await dialog.getByRole('alert').textContent()
          : await status.textContent(),
      { timeout: 30_000 },
    )
    .toContain(stage);
}

/** A China date (YYYY-MM-DD) in the given year relative to today's. */
function dayInYear(yearsFromNow: number, monthDay: string): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return `${Number(today.slice(0, 4)) + yearsFromNow}-${monthDay}`;
}

describe('差评回访', () => {
  it('when a party rates 差评, then the supervisor sees it with its clocks and records call-back, fix and answer through the screens', async () => {
    // On this compressed clock the call-back's one working day runs out within seconds.
    await expect
      .poll(
        async () => {
          const r = await stack.send(supervisor, 'GET', `/ratings/${ratingId}`);
          return r.body.followUp?.overdue as string[] | undefined;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toContain('rating_callback');
    const page = await staffPage('supervisor.zheng', '/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '差评回访' }).click();
    await expect.poll(() => heading(page, '差评回访').isVisible(), { timeout: 20_000 }).toBe(true);
    const row = page.getByRole('row').filter({ hasText: '非常不满意' });
    await expect.poll(() => row.isVisible(), { timeout: 15_000 }).toBe(true);
    const cells = (await row.locator('td').allTextContents()).join(' ');
    expect(cells).toContain('王五');
    expect(cells).toContain('待回访');
    // The case by its number, as the queues show it, opening the case file.
    expect(await row.getByRole('link', { name: caseNumber }).getAttribute('href')).toBe(`/console/cases/${caseId}`);
    // Each running clock: its name, its due time, and what is left or how long overdue, in words.
    expect(cells).toMatch(
      /差评回访核实：截止 \d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}\s*(已超期 \d+ (分钟|小时|天)|刚刚超期)/,
    );
    expect(cells).toMatch(
      /差评整改或说明并反馈：截止 \d{4}年.*((剩|已超期) \d+ (天|小时|分钟)|即将到期（不足 1 分钟）|刚刚超期)/,
    );
    expect(await page.getByRole('heading', { name: /其中 1 件有期限已超期/ }).count()).toBe(1);
    await shot(page, 'ratings-list');
    await expectAccessible(page, '差评 follow-up list');

    await row.getByRole('link', { name: /查看并办理/ }).click();
    await expect.poll(() => heading(page, /^差评（/).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText(RATING_TEXT).isVisible()).toBe(true);
    // The clocks with their source.
    await expect
      .poll(() =>
        page
          .getByText(/依据：揭阳市政务服务"好差评"实施细则/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await expectAccessible(page, '差评 detail');
    // Sent empty, the call-back's note is asked for at its field, and nothing is sent.
    await page.getByRole('button', { name: '记录回访核实', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '记录回访核实' });
    await dialog.getByRole('button', { name: '确认办理' }).click();
    await expect.poll(() => dialog.getByText('请填写回访情况').isVisible()).toBe(true);
    await shot(page, 'ratings-callback-form');
    await expectAccessible(page, 'call-back form with its error');
    await dialog.getByRole('button', { name: '取消' }).click();
    await act(
      page,
      '记录回访核实',
      { '回访情况（当事人反映的问题）': '电话联系当事人，核实调解员态度问题' },
      '已回访（整改或说明中）',
    );
    await act(page, '记录整改或说明', { 整改措施或解释说明: '已对调解员批评教育并整改' }, '已整改或说明');
    await act(page, '反馈当事人', { 反馈当事人的内容: '经核实，已责成整改，感谢监督' }, '已反馈（待追评）');
    const progress = page.locator('section').filter({ has: page.getByRole('heading', { name: '办理经过' }) });
    for (const step of ['回访核实', '整改或说明', '反馈当事人'])
      expect(await progress.getByText(step, { exact: true }).count()).toBe(1);
    expect(await progress.textContent()).toContain('经核实，已责成整改，感谢监督');
    expect(await page.getByText('当前没有需要您办理的操作。').isVisible()).toBe(true);
    await shot(page, 'ratings-answered');
    await expectAccessible(page, '差评 answered');
    const after = await stack.send(supervisor, 'GET', `/ratings/${ratingId}`);
    expect(after.body.followUp).toMatchObject({
      status: 'ANSWERED',
      callback: { reached: true, note: '电话联系当事人，核实调解员态度问题' },
      fix: { kind: 'fixed', text: '已对调解员批评教育并整改' },
    });
    expect(ui.problems).toEqual([]);
  });
});

describe('随机回访', () => {
  it('when the supervisor draws a 回访 sample, then each concluded case drawn waits for its call, and a call recorded shows its outcome', async () => {
    const page = await staffPage('supervisor.zheng', '/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '随机回访' }).click();
    await expect.poll(() => heading(page, '随机回访').isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('button', { name: '随机抽取' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/已抽取 [1-9]\d* 件/);
    const waiting = page.getByRole('row').filter({ hasText: '待回访' });
    await expect.poll(() => waiting.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const drawn = await waiting.count();
    // The call to make names this file's concluded case by its number.
    expect(await waiting.filter({ hasText: caseNumber }).count()).toBe(1);
    await waiting
      .first()
      .getByRole('button', { name: /记录回访/ })
      .click();
    const dialog = page.getByRole('dialog', { name: '记录回访' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('回访记录（可不填）').fill('当事人表示对处理结果基本认可');
    await expectAccessible(page, '回访 record form');
    await dialog.getByRole('button', { name: '保存' }).click();
    const done = page.getByRole('row').filter({ hasText: '当事人表示对处理结果基本认可' });
    await expect.poll(() => done.count(), { timeout: 15_000 }).toBe(1);
    expect((await done.locator('td').allTextContents()).join(' ')).toContain('已回访');
    expect(await waiting.count()).toBe(drawn - 1);
    await shot(page, 'ratings-callbacks');
    await expectAccessible(page, '回访 list');
    expect(ui.problems).toEqual([]);
  });
});

describe('诚信档案', () => {
  it('when the 追评 closes the 差评, then the mediator’s credit file shows it, and the supervisor adds a commendation after a future date is refused at its field', async () => {
    const followUp = await stack.send(party, 'POST', `/ratings/${ratingId}/follow-up`, { level: 'dissatisfied' });
    expect(followUp.status, followUp.text).toBe(200);
    await expect
      .poll(
        async () => {
          const f = await stack.send(supervisor, 'GET', `/credit/mediators/${mediatorId}`);
          return (f.body.entries as { source: { kind: string } }[]).some((e) => e.source.kind === 'rating');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    const file = await stack.send(supervisor, 'GET', `/credit/mediators/${mediatorId}`);
    const name = file.body.subject.name as string;

    const page = await staffPage('supervisor.zheng', '/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '诚信档案' }).click();
    await expect.poll(() => heading(page, '诚信档案').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByRole('link', { name, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expectAccessible(page, 'credit files index');
    await page.getByRole('link', { name, exact: true }).click();
    await expect.poll(() => heading(page, `诚信档案：${name}`).isVisible(), { timeout: 15_000 }).toBe(true);
    const entries = page.locator('section').filter({ has: page.getByRole('heading', { name: '档案记录' }) });
    const confirmed = entries.getByRole('row').filter({ hasText: '差评核实' });
    await expect.poll(() => confirmed.count(), { timeout: 15_000 }).toBe(1);
    const cells = (await confirmed.locator('td').allTextContents()).join(' ');
    expect(cells).toContain('差评跟进办结（差评核实）');
    expect(cells).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(await page.getByText(/完整（共 \d+ 条记录的哈希链校验一致）/).isVisible()).toBe(true);
    await shot(page, 'ratings-credit-file');
    await expectAccessible(page, 'credit file');

    // A commendation dated next year: the server refuses the date, shown at the field; what was typed stays.
    // (Enter in the date field submits the form, as in any form: first with the other fields still empty.)
    const form = page.locator('section').filter({ has: page.getByRole('heading', { name: '记入档案' }) });
    const date = form.getByLabel('决定日期');
    await date.click();
    await date.fill(dayInYear(1, '01-15'));
    await date.press('Enter');
    await expect.poll(() => form.getByText('请填写事项').isVisible()).toBe(true);
    await form.getByLabel('事项（一句话写明决定或取得的内容）').fill('2026年度优秀人民调解员');
    await form.getByLabel('决定文书文号或证书编号').fill('揭司表〔2026〕8号');
    await form.getByRole('button', { name: '记入档案' }).click();
    await expect.poll(() => form.getByText('不能晚于今天').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await form.locator('.form-error').textContent()).toBe('填写的内容有误，请按提示修改后再提交。');
    expect(await form.getByLabel('事项（一句话写明决定或取得的内容）').inputValue()).toBe('2026年度优秀人民调解员');
    await shot(page, 'ratings-credit-error');
    await expectAccessible(page, 'credit entry form with its error');
    await date.click();
    await date.fill(dayInYear(-1, '06-30'));
    await date.press('Enter');
    const commendation = entries.getByRole('row').filter({ hasText: '2026年度优秀人民调解员' });
    await expect.poll(() => commendation.count(), { timeout: 15_000 }).toBe(1);
    const recorded = (await commendation.locator('td').allTextContents()).join(' ');
    expect(recorded).toContain('表扬奖励');
    expect(recorded).toContain('揭阳市司法局');
    expect(recorded).toContain('揭司表〔2026〕8号');
    expect(recorded).toContain('表扬奖励信用激励期');
    expect(recorded).toContain('司法行政部门录入');
    // The form is empty again for the next entry, with nothing flagged.
    await expect.poll(() => form.getByLabel('事项（一句话写明决定或取得的内容）').inputValue()).toBe('');
    expect(await form.getByText('请填写事项').count()).toBe(0);
    await shot(page, 'ratings-credit-added');
    await expectAccessible(page, 'credit file with the commendation');
    expect(ui.problems).toEqual([]);
  });

  it('when the rated mediator opens their lists, then they see the 差评 about them without who gave it, and their own credit file without the supervisor’s form', async () => {
    const page = await staffPage('mediator.wu', '/');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '关于我的差评' }).click();
    await expect.poll(() => heading(page, '关于我的差评').isVisible(), { timeout: 20_000 }).toBe(true);
    const row = page.getByRole('row').filter({ hasText: '非常不满意' });
    await expect.poll(() => row.isVisible(), { timeout: 15_000 }).toBe(true);
    const cells = (await row.locator('td').allTextContents()).join(' ');
    expect(cells).toContain('已办结');
    expect(cells).not.toContain('王五');
    expect(await nav.getByRole('link', { name: '随机回访' }).count()).toBe(0);
    await expectAccessible(page, 'the mediator’s 差评');
    await nav.getByRole('link', { name: '我的诚信档案' }).click();
    await expect.poll(() => heading(page, /^诚信档案：/).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByRole('row').filter({ hasText: '差评核实' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByRole('heading', { name: '记入档案' }).count()).toBe(0);
    await shot(page, 'ratings-mediator-credit');
    await expectAccessible(page, 'the mediator’s own credit file');
    expect(ui.problems).toEqual([]);
  });
});

/** Chooses an option of an antd Select in a dialog: the keyboard opens the list, the option is clicked. */
const chooseIn = (field: string, option: string) => async (dialog: Locator) => {
  const select = dialog.getByLabel(field);
  await select.focus();
  await select.press('ArrowDown');
  const list = dialog.page().locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await expect.poll(() => list.isVisible()).toBe(true);
  await list.locator('.ant-select-item-option').filter({ hasText: option }).click();
  await expect.poll(() => list.isVisible()).toBe(false);
};

describe('申诉复核', () => {
  const RATED = '调解员偏向对方，结果不公';
  const REASON = '该当事人因诉求未获支持给予差评，调解过程有录音可查';
  const DECIDED = '经调取调解录音核实，调解员并无偏向，评价与事实不符';

  it('when the rated mediator asks for a 申诉复核 in its dialog and the supervisor finds the 差评 malicious, then the supervisor sees it excluded with its outcome, and the credit file holds no entry for it', async () => {
    const rated = await stack.send(otherParty, 'POST', `/cases/${caseId}/ratings`, {
      level: 'dissatisfied',
      tags: ['fairness'],
      text: RATED,
    });
    expect(rated.status, rated.text).toBe(201);
    const id = rated.body.ratingId as string;

    // The mediator opens the new 差评 about them (never told who gave it, nor the case) and asks for the review.
    const mediator = await staffPage('mediator.wu', '/');
    await mediator.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '关于我的差评' }).click();
    await expect.poll(() => heading(mediator, '关于我的差评').isVisible(), { timeout: 20_000 }).toBe(true);
    const fresh = mediator.getByRole('row').filter({ hasText: '待回访' });
    await expect.poll(() => fresh.count(), { timeout: 15_000 }).toBe(1);
    await fresh.getByRole('link', { name: /查看并办理/ }).click();
    await expect.poll(() => mediator.getByText(RATED).isVisible(), { timeout: 15_000 }).toBe(true);
    await act(mediator, '申请申诉复核', { '申请复核的理由（误评或恶意差评）': REASON }, '申诉复核待决定');
    const seenByMediator = (await mediator.locator('main').textContent()) ?? '';
    expect(seenByMediator).toContain(REASON);
    for (const hidden of [caseNumber, '赵六']) expect(seenByMediator).not.toContain(hidden);
    await shot(mediator, 'ratings-review-requested');
    await expectAccessible(mediator, '差评 with the mediator’s 申诉复核');

    // The supervisor finds it in the list by its case number, awaiting the decision.
    const page = await staffPage('supervisor.zheng', '/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '差评回访' }).click();
    await expect.poll(() => heading(page, '差评回访').isVisible(), { timeout: 20_000 }).toBe(true);
    const waiting = page.getByRole('row').filter({ hasText: '申诉复核待决定' });
    await expect.poll(() => waiting.count(), { timeout: 15_000 }).toBe(1);
    const cells = (await waiting.locator('td').allTextContents()).join(' ');
    for (const shown of [caseNumber, '赵六', '不满意', '待回访']) expect(cells).toContain(shown);
    await shot(page, 'ratings-review-list');
    await waiting.getByRole('link', { name: /查看并办理/ }).click();
    await expect.poll(() => page.getByText(RATED).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('link', { name: caseNumber }).getAttribute('href')).toBe(`/console/cases/${caseId}`);
    const progress = page.locator('section').filter({ has: page.getByRole('heading', { name: '办理经过' }) });
    expect(await progress.textContent()).toContain(REASON);

    await act(
      page,
      '作出复核决定',
      { 复核理由: DECIDED },
      '经申诉复核不计入',
      chooseIn('复核结论', '恶意差评，不计入'),
    );
    expect(await page.locator('#rating-stage').textContent()).toContain('复核：恶意差评，不计入');
    expect(await progress.textContent()).toContain(`恶意差评，不计入：${DECIDED}`);
    // Excluded, its follow-up has ended: nothing is left to do and no clock runs.
    expect(await page.getByText('当前没有需要您办理的操作。').isVisible()).toBe(true);
    await shot(page, 'ratings-review-decided');
    await expectAccessible(page, '差评 excluded on 申诉复核');
    const after = await stack.send(supervisor, 'GET', `/ratings/${id}`);
    expect(after.body).toMatchObject({
      caseNumber,
      followUp: { status: 'EXCLUDED', review: { outcome: 'excluded_malicious', reasons: DECIDED } },
    });

    await page.getByRole('link', { name: '返回差评回访清单' }).click();
    const excluded = page.getByRole('row').filter({ hasText: '经申诉复核不计入' });
    await expect.poll(() => excluded.count(), { timeout: 15_000 }).toBe(1);
    const row = (await excluded.locator('td').allTextContents()).join(' ');
    for (const shown of [caseNumber, '复核：恶意差评，不计入']) expect(row).toContain(shown);
    // Excluded, it waits on nobody: no clock of it is shown overdue, whatever ran out on the way.
    expect(row).toContain('无计时期限');
    expect(row).not.toMatch(/超期/);
    await shot(page, 'ratings-review-list-after');

    // The credit file, as the API gives it: no entry for the excluded 差评; the screen lists the same 差评核实.
    const file = await stack.send(supervisor, 'GET', `/credit/mediators/${mediatorId}`);
    const entries = file.body.entries as { kind: string; source: { ref: string | null } }[];
    expect(entries.map((e) => e.source.ref)).not.toContain(id);
    const confirmed = entries.filter((e) => e.kind === 'rating_confirmed').length;
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '诚信档案' }).click();
    const name = file.body.subject.name as string;
    await expect.poll(() => page.getByRole('link', { name, exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('link', { name, exact: true }).click();
    await expect.poll(() => heading(page, `诚信档案：${name}`).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: '差评核实' }).count(), { timeout: 15_000 })
      .toBe(confirmed);
    expect(confirmed).toBe(1); // the applicant's, closed by their 追评 above
    expect(ui.problems).toEqual([]);
  });
});
