/**
 * Each role's own 工作台 in a real browser against the real stack. A court delegates a case through its API key
 * and the center's clerk follows it in the queue (with the court's case number and date) into its file; the
 * clerk's counters are the server's and filter the queue to what they count; a saved filter is kept on the
 * server, survives a reload and applies. The court's staff see what their court delegated and the judicial
 * confirmations asked of it; the notary its notarizations; the mediator the assignment awaiting their
 * acceptance first, with its countdown, and the not-found page for a case not theirs; the legal-aid officer the
 * applications with their 7-day and 3-day clocks; the supervisor the overdue and near-due lists, and a case
 * opened read-only. axe finds no WCAG 2.1 A/AA violation on any role's screen, and the CSP refuses nothing.
 * Screenshots in test-artifacts/console/ (git-ignored).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveAgreement } from '../support/drive.js';
import { courtDelegation, datesAhead, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';

const SHOTS = [
  '21-clerk-queue',
  '22-clerk-court-case',
  '23-clerk-near-due',
  '24-saved-filter',
  '25-saved-filter-after-reload',
  '26-court-delegated',
  '27-court-confirmations',
  '28-notary',
  '29-mediator',
  '30-mediator-not-found',
  '31-legal-aid',
  '32-supervisor',
  '33-supervisor-case',
  '34-supervisor-all',
];
const COURT_CASE_NUMBER = '(2026)粤5202民诉前调301号';
const COURT_LETTER = '榕法委派〔2026〕301号';
const courtDate = datesAhead(20);

let stack: Stack;
let base: string;
let ui: BrowserStack;
/** Case numbers (and ids) by what each case is for. */
const made: Record<string, { caseId: string; caseNumber: string }> = {};

beforeAll(async () => {
  // A database of this file's own: each list holds exactly the cases made here.
  ui = await browserStack({ stack: { ownDatabase: true }, shots: SHOTS });
  ({ stack, base } = ui);
  const { who, accountId } = await stack.loginAll(['clerk.chen', 'mediator.wu', 'legalaid.xu']);
  const clerk = who['clerk.chen']!;
  const court: Credentials = { apiKey: stack.apiKeys['court-5202']! };
  const register = async (name: string, body: unknown, as: Credentials = clerk) => {
    const res = await stack.send(as, 'POST', '/cases', body);
    expect(res.status, res.text).toBe(201);
    made[name] = { caseId: res.body.caseId, caseNumber: res.body.caseNumber };
    return res.body;
  };
  const act = async (as: Credentials, name: string, path: string, body: unknown = {}) => {
    const res = await stack.send(as, 'POST', `/cases/${made[name]!.caseId}/${path}`, body);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  };
  // The court delegates through its API key, with its case number, letter and its own date (委派, 特邀调解规定 Art 27).
  await register(
    'delegated',
    courtDelegation({
      court: {
        courtCode: '粤5202',
        courtName: '揭阳市榕城区人民法院',
        courtCaseNumber: COURT_CASE_NUMBER,
        letterNumber: COURT_LETTER,
        deadline: courtDate.date,
      },
    }),
    court,
  );
  // 吴国栋: one assignment awaiting his acceptance, one case in mediation.
  await register('pending', partyApplication());
  await act(clerk, 'pending', 'accept');
  await act(clerk, 'pending', 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  await register('mediating', partyApplication());
  await act(clerk, 'mediating', 'accept');
  await act(clerk, 'mediating', 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  await act(who['mediator.wu']!, 'mediating', 'mediator/accept');
  // Legal aid: one application to decide, one granted awaiting its lawyer, one whose decision is overdue.
  for (const name of ['aidApplied', 'aidGranted', 'aidOverdue']) {
    const body = await register(name, partyApplication());
    await act(clerk, name, 'legal-aid', {
      partyId: body.parties[0].partyId,
      basis: 'local_aged_75',
      selfDeclaration: true,
    });
  }
  await act(who['legalaid.xu']!, 'aidGranted', 'legal-aid/decision', {
    granted: true,
    reason: '申请人年满七十五周岁，免予经济困难审查（揭阳市办法第二十三条）',
  });
  // The 7 days ran out (法律援助法 Art 43), as the record would show it after a week.
  const past = new Date(Date.now() - 2 * 3600_000);
  await stack
    .db('case_deadlines')
    .where({ case_id: made.aidOverdue!.caseId, rule_id: 'legal_aid_decision' })
    .update({ due_at: past });
  await stack
    .db('cases')
    .where({ case_id: made.aidOverdue!.caseId })
    .update({ next_due_at: past, due_sort: past, next_due_rule: 'legal_aid_decision' } as never);
  // A judicial confirmation asked of court 5202, and a notarization asked of the 揭阳市公证处.
  for (const name of ['confirming', 'notarizing']) {
    const done = await effectiveAgreement(stack, { intake: partyApplication() });
    const number = (await stack.send(clerk, 'GET', `/cases/${done.caseId}`)).body.caseNumber as string;
    made[name] = { caseId: done.caseId, caseNumber: number };
    const [path, body] =
      name === 'confirming'
        ? ['judicial-confirmation', { venueGround: 'party_domicile', courtCode: '粤5202' }]
        : [
            'notarization',
            {
              notaryId: 'notary-jieyang',
              creditorPartyId: done.applicant,
              debtorPartyId: done.respondent,
              obligation: 'money',
            },
          ];
    await act(clerk, name, path, body);
    for (const partyId of [done.applicant, done.respondent])
      await act(clerk, name, `${path}/signatures`, { partyId, method: 'handwritten' });
  }
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

/** A new browser signed in as this person, on their 工作台 (or the path given). */
async function signedIn(username: string, heading: string, path = '/console/'): Promise<Page> {
  const page = await ui.newPage();
  await page.goto(`${base}${path}`);
  await signIn(page, username);
  await expect
    .poll(() => page.getByRole('heading', { level: 1, name: heading }).isVisible(), { timeout: 15_000 })
    .toBe(true);
  return page;
}
const section = (page: Page, heading: string) =>
  page.locator('section', { has: page.getByRole('heading', { level: 2, name: heading }) });
const dataRows = (page: Page, heading: string) => section(page, heading).locator('tbody tr.ant-table-row');
/** A counter of the 工作台 (a button where it filters the queue). */
const counter = (page: Page, name: string) => page.locator('.counter', { hasText: name });

describe("the clerk's 工作台", () => {
  let page: Page;

  it("when a court delegates a case through its API key, then the clerk finds it in the queue with the court's case number and date, and its file opens", async () => {
    page = await signedIn('clerk.chen', '工作台');
    await expect.poll(() => counter(page, '待受理').textContent(), { timeout: 15_000 }).toMatch(/待受理\s*\d+/);
    const row = dataRows(page, '案件队列（按期限先后）').filter({ hasText: made.delegated!.caseNumber });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(`法院案号 ${COURT_CASE_NUMBER}`);
    expect(text).toContain(`函号 ${COURT_LETTER}`);
    expect(text).toContain(`法院函定期限 ${courtDate.written}`);
    // Priority groups and legal aid are clerk's filters; the counters are the server's.
    expect(await page.getByLabel('法律援助', { exact: true }).count()).toBe(1);
    await shot(page, '21-clerk-queue');
    await expectAccessible(page, "clerk's queue");
    await row.getByRole('link', { name: made.delegated!.caseNumber }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toContain(made.delegated!.caseNumber);
    await shot(page, '22-clerk-court-case');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作台' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: '工作台' }).isVisible()).toBe(true);
  });

  it('when the clerk presses 临期, then the queue holds exactly the cases the counter counts, each due within 3 working days', async () => {
    const near = counter(page, '临期');
    await expect.poll(() => near.textContent(), { timeout: 15_000 }).toMatch(/临期\s*\d+/);
    const counted = Number(/临期\s*(\d+)/.exec((await near.textContent()) ?? '')![1]);
    expect(counted).toBeGreaterThanOrEqual(2); // the mediator's 3 working days, the parties' to choose
    await near.click();
    await expect.poll(() => near.getAttribute('aria-pressed')).toBe('true');
    expect(page.url()).toContain('dueWithinWorkingDays=3');
    const rows = dataRows(page, '案件队列（按期限先后）');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(counted);
    for (const text of await rows.allTextContents()) expect(text).toMatch(/还剩 \d+ (?:个工作日|天)|今日到期/);
    expect((await rows.allTextContents()).join('')).not.toContain(made.aidOverdue!.caseNumber);
    await shot(page, '23-clerk-near-due');
  });

  it('when the clerk saves the filter, then it is kept on the server, survives a reload, applies, and can be renamed and deleted', async () => {
    await page.getByRole('button', { name: '保存当前筛选' }).click();
    const dialog = page.getByRole('dialog', { name: '保存当前筛选' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('临期（3 个工作日内到期，不含已超期）');
    await dialog.getByLabel('筛选名称').fill('三日内临期');
    await shot(page, '24-saved-filter');
    await expectAccessible(page, 'save-filter dialog');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(false);
    const saved = section(page, '已保存的筛选');
    await expect
      .poll(() => saved.getByRole('button', { name: '三日内临期', exact: true }).getAttribute('aria-pressed'), {
        timeout: 15_000,
      })
      .toBe('true');
    // An empty name is refused in the dialog, announced.
    await page.getByRole('button', { name: '保存当前筛选' }).click();
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('请填写筛选名称');
    await dialog.getByRole('button', { name: '取消' }).click();

    // A reload ends the session (the token is in memory only); the filter is on the server.
    await page.reload();
    await signIn(page, 'clerk.chen');
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: '工作台' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await page.getByRole('button', { name: '清除筛选' }).click();
    await expect.poll(() => page.url()).not.toContain('dueWithinWorkingDays');
    const apply = section(page, '已保存的筛选').getByRole('button', { name: '三日内临期', exact: true });
    await expect.poll(() => apply.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('false');
    await apply.click();
    await expect.poll(() => page.url()).toContain('dueWithinWorkingDays=3');
    await expect.poll(() => counter(page, '临期').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => apply.getAttribute('aria-pressed')).toBe('true');
    await shot(page, '25-saved-filter-after-reload');

    await section(page, '已保存的筛选').getByRole('button', { name: '重命名筛选“三日内临期”' }).click();
    const rename = page.getByRole('dialog', { name: '重命名筛选“三日内临期”' });
    await rename.getByLabel('筛选名称').fill('临期案件');
    await rename.getByRole('button', { name: '保存', exact: true }).click();
    await expect
      .poll(() => section(page, '已保存的筛选').getByRole('button', { name: '临期案件', exact: true }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    await section(page, '已保存的筛选').getByRole('button', { name: '删除筛选“临期案件”' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '删除', exact: true }).click();
    await expect
      .poll(() => section(page, '已保存的筛选').getByText('还没有保存的筛选').isVisible(), { timeout: 15_000 })
      .toBe(true);
  });
});

describe('court and notary staff', () => {
  it('when the court clerk signs in, then they see the case their court delegated, and on their second list the confirmation asked of it', async () => {
    const page = await signedIn('court5202.li', '委派/委托案件');
    const row = dataRows(page, '本院委派、委托调解的案件（按期限先后）').filter({
      hasText: made.delegated!.caseNumber,
    });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.textContent()).toContain(COURT_CASE_NUMBER);
    expect(await row.textContent()).toContain('委派/委托调解函载明的期限');
    expect(await dataRows(page, '本院委派、委托调解的案件（按期限先后）').count()).toBe(1);
    // No screening filters for a court (the API refuses them).
    expect(await page.getByLabel('法律援助', { exact: true }).count()).toBe(0);
    await shot(page, '26-court-delegated');
    await expectAccessible(page, "court's delegated cases");

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '司法确认申请' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: '司法确认申请' }).isVisible()).toBe(true);
    const confirmation = dataRows(page, '向本院申请司法确认的案件（按期限先后）');
    await expect.poll(() => confirmation.count(), { timeout: 15_000 }).toBe(1);
    expect(await confirmation.textContent()).toContain(made.confirming!.caseNumber);
    expect(await confirmation.textContent()).toContain('已提交法院');
    expect(await confirmation.textContent()).toContain('司法确认受理审查');
    await shot(page, '27-court-confirmations');
    await expectAccessible(page, "court's confirmations");
  });

  it('when the notary signs in, then they see the notarization asked of their office', async () => {
    const page = await signedIn('notary.cai', '公证申请');
    const rows = dataRows(page, '向本处申请赋强公证的案件（按期限先后）');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await rows.textContent()).toContain(made.notarizing!.caseNumber);
    expect(await rows.textContent()).toContain('已申请');
    await shot(page, '28-notary');
    await expectAccessible(page, "notary's list");
  });
});

describe("the mediator's 我的案件", () => {
  it('when the mediator signs in, then the assignment awaiting their acceptance comes first with its countdown, then their other cases', async () => {
    const page = await signedIn('mediator.wu', '我的案件');
    const pending = dataRows(page, '待我确认接受的分派');
    await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(1);
    const text = (await pending.textContent()) ?? '';
    expect(text).toContain(made.pending!.caseNumber);
    expect(text).toContain('调解员确认接受');
    expect(text).toMatch(/还剩 [1-3] 个工作日|今日到期/);
    const others = dataRows(page, '其他案件（按期限先后）');
    await expect
      .poll(() => others.filter({ hasText: made.mediating!.caseNumber }).count(), { timeout: 15_000 })
      .toBe(1);
    expect(await others.filter({ hasText: made.pending!.caseNumber }).count()).toBe(0);
    const first = await section(page, '待我确认接受的分派').boundingBox();
    const second = await section(page, '其他案件（按期限先后）').boundingBox();
    expect(first!.y).toBeLessThan(second!.y);
    await expect.poll(() => counter(page, '待我确认接受').textContent()).toMatch(/待我确认接受\s*1/);
    await shot(page, '29-mediator');
    await expectAccessible(page, "mediator's cases");

    // A case not theirs: the not-found page, not the API's refusal.
    await page.goto(`${base}/console/cases/${made.delegated!.caseId}`);
    await signIn(page, 'mediator.wu');
    await expect
      .poll(() => page.getByRole('heading', { name: '未找到该案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toContain(made.delegated!.caseNumber);
    expect(main).not.toMatch(/problem|请求编号|requestId/i);
    expect(await page.getByRole('alert').count()).toBe(0);
    await shot(page, '30-mediator-not-found');
    await expectAccessible(page, "mediator's not-found");
  });
});

describe('the legal-aid officer and the supervisor', () => {
  it('when the legal-aid officer signs in, then each application shows where it stands with its 7-day and 3-day clocks (法律援助法 Art 43)', async () => {
    const page = await signedIn('legalaid.xu', '法律援助申请');
    const rows = dataRows(page, '法律援助申请（按期限先后）');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    const applied = (await rows.filter({ hasText: made.aidApplied!.caseNumber }).textContent()) ?? '';
    expect(applied).toContain('待审查决定');
    expect(applied).toContain('法律援助审查决定');
    expect(applied).toMatch(/还剩 \d+ 天/);
    const granted = (await rows.filter({ hasText: made.aidGranted!.caseNumber }).textContent()) ?? '';
    expect(granted).toContain('已给予法律援助，待指派人员');
    expect(granted).toContain('指派法律援助人员');
    expect(await rows.filter({ hasText: made.aidOverdue!.caseNumber }).textContent()).toContain('已超期');
    // The overdue application comes first (by next deadline), and the counter counts it.
    expect(await rows.first().textContent()).toContain(made.aidOverdue!.caseNumber);
    await expect.poll(() => counter(page, '超期').textContent()).toMatch(/超期\s*1/);
    await shot(page, '31-legal-aid');
    await expectAccessible(page, "legal-aid officer's applications");
  });

  it('when the supervisor signs in, then the overdue and near-due lists show, and a case opens read-only', async () => {
    const page = await signedIn('supervisor.zheng', '超期与临期');
    const overdue = dataRows(page, '超期：已届满或逾期未办结的期限');
    await expect
      .poll(() => overdue.filter({ hasText: made.aidOverdue!.caseNumber }).count(), { timeout: 15_000 })
      .toBe(1);
    expect(await overdue.filter({ hasText: made.aidOverdue!.caseNumber }).textContent()).toContain(
      '法律援助法第四十三条',
    );
    const near = dataRows(page, '临期：3 个工作日内到期的案件');
    await expect.poll(() => near.filter({ hasText: made.pending!.caseNumber }).count(), { timeout: 15_000 }).toBe(1);
    await shot(page, '32-supervisor');
    await expectAccessible(page, "supervisor's lists");

    await near
      .filter({ hasText: made.pending!.caseNumber })
      .getByRole('link', { name: made.pending!.caseNumber })
      .click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toContain(made.pending!.caseNumber);
    // Read-only: the API offers the supervisor no action on the case.
    const view = await stack.send(await stack.login('supervisor.zheng'), 'GET', `/cases/${made.pending!.caseId}`);
    expect((view.body.actions ?? []).filter((a: { allowed: boolean }) => a.allowed)).toEqual([]);
    await shot(page, '33-supervisor-case');

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '全部案件' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: '全部案件' }).isVisible()).toBe(true);
    await expect
      .poll(() => dataRows(page, '全部案件（按期限先后）').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(Object.keys(made).length);
    await shot(page, '34-supervisor-all');
    await expectAccessible(page, "supervisor's whole queue");
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
