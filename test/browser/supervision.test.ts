/**
 * The supervision screens in a real browser against the real stack (issue 17 item 7, first slice): the
 * supervisor's 统计分析 (cards with the change on the previous period, the monthly trend whose table view holds the
 * API's own numbers, the forecast or its quiet 暂无预测, breakdowns, a CSV export), the mediator's 我的统计 (only
 * their own cases), a party's complaint from the portal with its tracking number, and the supervisor's 投诉处理
 * inbox with the complaint's clock, where they accept it. axe finds no WCAG 2.1 A/AA violation on each screen,
 * and nothing is refused by the CSP. Screenshots: test-artifacts/console/supervision-*.png.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCases } from '../../bench/seed.js';
import { effectiveAgreement } from '../support/drive.js';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { accessibleInBothModes, NARROW_PHONE, partySignIn } from './portal-support.js';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';

let ui: BrowserStack;
let stack: Stack;
let base: string;
let clerk: Credentials;
let supervisor: Credentials;
let mediator: Credentials;
/** The case the applicant complains about (mediated by 吴国栋 to an effective agreement). */
let complained: { caseId: string; applicant: string };
let trackingNumber = '';

/** A case's intake with parties of its own (`i` keeps their ID numbers and phones apart). */
const intake = (i: number, disputeType: string) =>
  partyApplication({
    disputeType,
    parties: [
      {
        role: 'applicant',
        kind: 'natural',
        name: '王五',
        idNumber: fictionalIdNumber('445202', `1900050${i}`, '135'),
        phone: `1700066100${i}`,
      },
      {
        role: 'respondent',
        kind: 'natural',
        name: '赵六',
        idNumber: fictionalIdNumber('445202', `1900060${i}`, '246'),
        phone: `1700066200${i}`,
      },
    ],
  });

beforeAll(async () => {
  // Its own database: the figures on the screens are this file's cases only.
  ui = await browserStack({ stack: { ownDatabase: true }, shots: { prefix: 'supervision-' } });
  ({ stack, base } = ui);
  const staff = await stack.loginAll(['clerk.chen', 'supervisor.zheng', 'mediator.wu']);
  clerk = staff.who['clerk.chen']!;
  supervisor = staff.who['supervisor.zheng']!;
  mediator = staff.who['mediator.wu']!;
  // Two cases mediated by 吴国栋 to an effective agreement, two only registered (no mediator yet).
  const first = await effectiveAgreement(stack, { intake: intake(1, 'loan_debt') });
  await effectiveAgreement(stack, { intake: intake(2, 'neighbour') });
  for (const [i, type] of [
    [3, 'neighbour'],
    [4, 'consumer'],
  ] as const) {
    const created = await stack.send(clerk, 'POST', '/cases', intake(i, type));
    expect(created.status, created.text).toBe(201);
  }
  complained = { caseId: first.caseId, applicant: first.applicant };
}, 240_000);

afterAll(async () => {
  await ui?.close();
});

/** The last 12 months up to today, as the dashboard's trend asks for them (China dates). */
function lastTwelveMonths(): { from: string; to: string } {
  const to = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const [y, m] = to.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - 11;
  return { from: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`, to };
}

async function staffPage(username: string, path: string): Promise<Page> {
  const page = await ui.newPage();
  await page.goto(`${base}/console${path}`);
  await signIn(page, username);
  return page;
}

/** The figure on a card, as the page shows it. */
const card = (page: Page, metric: string) => page.locator(`.kpi-card[data-metric="${metric}"] .kpi-value`);

describe('统计分析', () => {
  it('when the supervisor opens the dashboard, then the cards and the trend table show the API’s own figures, the forecast or 暂无预测, and the CSV downloads', async () => {
    const opened = lastTwelveMonths();
    const page = await staffPage('supervisor.zheng', '/statistics');
    await expect
      .poll(() => page.getByRole('heading', { name: '统计分析', level: 1 }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    const summary = await stack.send(supervisor, 'GET', '/statistics/summary');
    const received = (summary.body.metrics as { id: string; value: number }[]).find((m) => m.id === 'received')!;
    expect(received.value).toBe(4);
    await expect.poll(() => card(page, 'received').textContent(), { timeout: 15_000 }).toBe('4');
    await expect
      .poll(() => page.locator('.kpi-card[data-metric="received"] .kpi-change').textContent())
      .toBe('较上期 +4');
    await expect.poll(() => card(page, 'success_rate').textContent()).toBe('100%');

    // The trend's table view: every month of the API's series, with the same count.
    const trend = page.locator('figure').filter({ has: page.getByRole('heading', { name: '登记量（按月）' }) });
    await trend.getByRole('button', { name: '以表格查看' }).click();
    const table = trend.getByRole('table');
    await expect.poll(() => table.isVisible()).toBe(true);
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent ?? '')));
    const actual = shown.filter((r) => r[1]?.startsWith('实际')).map((r) => [r[0], r[2]]);
    // The 12 months up to the day the page was opened, or to the next day if a midnight (Beijing time) that ends a
    // month passed while it loaded: the API's series over the same months.
    const period = [opened, lastTwelveMonths()].find((p) => p.to.slice(0, 7) === actual.at(-1)?.[0]);
    expect(period, `the trend ends in ${actual.at(-1)?.[0]}`).toBeDefined();
    const query = new URLSearchParams({ metric: 'received', groupBy: 'month', ...period });
    const series = await stack.send(supervisor, 'GET', `/statistics/series?${query}`);
    expect(series.status, series.text).toBe(200);
    expect(actual).toHaveLength(12);
    expect(actual).toEqual(
      (series.body.rows as { label: string; value: number }[]).map((r) => [r.label, String(r.value)]),
    );
    expect(actual.reduce((s, r) => s + Number(r[1]), 0)).toBe(4);
    await expect
      .poll(() => page.getByTestId('forecast-state').textContent(), { timeout: 15_000 })
      .toMatch(/暂无预测|预测|趋势参考/);
    await expectAccessible(page, 'supervisor dashboard (table view)');
    await trend.getByRole('button', { name: '以图形查看' }).click();
    await shot(page, 'supervision-dashboard');
    await expectAccessible(page, 'supervisor dashboard');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出“统计汇总”CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('登记量');
    expect(csv).toContain('调解成功率');
  });

  it('when a mediator opens 我的统计, then only the cases they handle are counted and no one else’s figures are offered', async () => {
    const page = await staffPage('mediator.wu', '/statistics');
    await expect
      .poll(() => page.getByRole('heading', { name: '我的统计', level: 1 }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    const own = await stack.send(mediator, 'GET', '/statistics/summary');
    expect(own.body.scope).toBe('mediator');
    const received = (own.body.metrics as { id: string; value: number }[]).find((m) => m.id === 'received')!;
    expect(received.value).toBe(2);
    await expect.poll(() => card(page, 'received').textContent(), { timeout: 15_000 }).toBe('2');
    await expect.poll(() => page.getByText('这里只统计您本人承办的案件').isVisible()).toBe(true);
    // Neither the center's forecast and alerts nor the supervisor's lists.
    expect(await page.getByRole('heading', { name: '风险预警' }).count()).toBe(0);
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '统计分析' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: '我的统计' }).count()).toBe(1);
    await shot(page, 'supervision-mediator');
    await expectAccessible(page, 'mediator figures');
  });
});

describe('投诉', () => {
  it('when a party files a complaint from the portal, then they see its tracking number and it is listed with its status', async () => {
    const issued = await stack.send(
      clerk,
      'POST',
      `/cases/${complained.caseId}/parties/${complained.applicant}/access-code`,
      {},
    );
    expect(issued.status, issued.text).toBe(201);
    const page = await ui.newPage(NARROW_PHONE);
    await page.goto(`${base}/portal/`);
    await partySignIn(page, stack, issued.body.accessCode as string, complained.applicant);
    await page.getByRole('link', { name: '我要投诉或查看投诉进度' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: '投诉', level: 1 }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await accessibleInBothModes(page, 'portal complaint form');
    // Sent empty, each missing answer is named.
    await page.getByRole('button', { name: '提交投诉' }).click();
    await expect.poll(() => page.getByText('请写明发生了什么。', { exact: true }).isVisible()).toBe(true);
    await shot(page, 'supervision-portal-complaint-form');
    await accessibleInBothModes(page, 'portal complaint form with its errors');
    await page.getByLabel('偏袒一方').check();
    await page.getByLabel('承办本案的调解员').check();
    await page.getByLabel('发生了什么（事实与理由）').fill('调解员在调解中多次打断我的陈述，并暗示我接受对方方案。');
    await page.getByLabel('您的请求').fill('请调查并更换调解员。');
    await page.getByLabel('短信').check();
    await page.getByRole('button', { name: '提交投诉' }).click();
    const number = page.getByTestId('tracking-number');
    await expect.poll(() => number.isVisible(), { timeout: 30_000 }).toBe(true);
    trackingNumber = (await number.textContent()) ?? '';
    expect(trackingNumber).not.toBe('');
    const listed = page.locator('section').filter({ has: page.getByRole('heading', { name: '我的投诉' }) });
    await expect.poll(() => listed.getByText(`投诉编号 ${trackingNumber}`).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => listed.getByText(/当前状态：待受理/).isVisible()).toBe(true);
    await shot(page, 'supervision-portal-complaint');
    await accessibleInBothModes(page, 'portal complaint filed');
  });

  it('when the supervisor opens 投诉处理, then the complaint is listed with its clock and they accept it', async () => {
    expect(trackingNumber).not.toBe('');
    const page = await staffPage('supervisor.zheng', '/complaints');
    await expect
      .poll(() => page.getByRole('heading', { name: '投诉处理', level: 1 }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    const row = page.getByRole('row').filter({ hasText: trackingNumber });
    await expect.poll(() => row.isVisible(), { timeout: 15_000 }).toBe(true);
    const listed = await stack.send(supervisor, 'GET', '/complaints');
    const mine = (listed.body.complaints as { trackingNumber: string; nextDueAt: string | null }[]).find(
      (c) => c.trackingNumber === trackingNumber,
    )!;
    expect(mine.nextDueAt).not.toBeNull();
    // The acceptance clock: its due time, and the days left in words.
    const cells = await row.locator('td').allTextContents();
    expect(cells.join(' ')).toMatch(/待受理/);
    expect(cells.join(' ')).toMatch(/24:00|\d{1,2}:\d{2}/);
    expect(cells.join(' ')).toMatch(/剩 \d+ 天/);
    await shot(page, 'supervision-complaints');
    await expectAccessible(page, 'complaint inbox');

    await row.getByRole('link', { name: trackingNumber, exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: `投诉 ${trackingNumber}`, level: 1 }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect.poll(() => page.getByText('投诉受理审查').first().isVisible()).toBe(true);
    await expectAccessible(page, 'complaint detail');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '受理' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: '确认办理' }).click();
    // The status the page shows (or, if refused, what the dialog says instead).
    const status = page.locator('#complaint-status');
    await expect
      .poll(
        async () =>
          (await dialog.isVisible()) && (await dialog.getByRole('alert').count())
            ? await dialog.getByRole('alert').textContent()
            : await status.textContent(),
        { timeout: 30_000 },
      )
      .toMatch(/当前状态：已受理/);
    await expect.poll(() => page.getByText('投诉处理决定').first().isVisible()).toBe(true);
    await shot(page, 'supervision-complaint-accepted');
    await expectAccessible(page, 'complaint accepted');
    expect(ui.problems).toEqual([]);
  });
});

describe('预测', () => {
  it('when three years of cases are on record (as npm run bench:seed writes them), then the trend shows the forecast dashed with its bands, the method, its backtest and the cut-off', async () => {
    // The bench's synthetic center, a small one: cases over 36 months with a seasonal shape, and their facts.
    await seedCases(stack.db, { total: 3000 });
    const answer = await stack.send(supervisor, 'GET', '/statistics/forecast?metric=received');
    expect(answer.status, answer.text).toBe(200);
    const f = answer.body.forecast as { label: string; description: string; cutoff: string; points: unknown[] };
    expect(f.points.length).toBeGreaterThan(0);
    const page = await staffPage('supervisor.zheng', '/statistics');
    const note = page.getByTestId('forecast-state');
    await expect.poll(() => note.textContent(), { timeout: 30_000 }).toContain(f.description);
    expect(await note.textContent()).toContain(`数据截至 ${f.cutoff}`);
    expect(await note.textContent()).toMatch(/MAE/);
    const trend = page.locator('figure').filter({ has: page.getByRole('heading', { name: '登记量（按月）' }) });
    expect(await trend.locator('path.line-forecast').count()).toBe(1);
    expect(await trend.locator('path.band95').getAttribute('d')).toMatch(/^M/);
    await shot(page, 'supervision-forecast');
    await trend.getByRole('button', { name: '以表格查看' }).click();
    const forecastRows = trend.getByRole('row').filter({ hasText: f.label === '预测' ? '预计' : '趋势参考' });
    expect(await forecastRows.count()).toBe(f.points.length);
    await expectAccessible(page, 'supervisor dashboard with a forecast');
    expect(ui.problems).toEqual([]);
  });
});
