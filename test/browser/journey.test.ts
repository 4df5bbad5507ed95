/**
 * A case from the window to a signed agreement in the staff console, as issue 15 asks: the clerk registers a
 * walk-in case and accepts it, designates 吴国栋 from the roster (not by typing an id), the mediator accepts the
 * assignment, records a session, drafts the agreement and circulates it; the parties sign (recorded by the
 * clerk through the API, until the party portal exists), the mediator signs and the clerk affixes the seal in
 * the console; the clerk downloads the agreement PDF from the case file and its SHA-256 is the one the public
 * /verify page gives for its verify code. Every screen passes axe; no CSP violation; nothing threw.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { browserStack, expectAccessible, shot, signIn, type BrowserStack } from './support.js';

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;

beforeAll(async () => {
  ui = await browserStack();
  ({ stack, base } = ui);
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen'];
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

/** The case as the API shows it to the clerk, once `ready` holds (the view's record may lag the process by a moment). */
async function caseWhen(caseId: string, ready: (body: CaseBody) => boolean): Promise<CaseBody> {
  for (const end = Date.now() + 30_000; ;) {
    const res = await stack.send(clerk, 'GET', `/cases/${caseId}`);
    if (res.status === 200 && ready(res.body)) return res.body;
    if (Date.now() > end) throw new Error(`case ${caseId} never became ready: ${res.text.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
type CaseBody = {
  caseNumber: string;
  status: string;
  statusLabel: string;
  parties: { partyId: string; role: string }[];
  agreement?: { version: number; signatures: string[] } | null;
  events: { type: string }[];
  securing?: { processes: { kind: string; status: string }[] } | null;
};

/** Chooses the option whose text contains `option` in an antd Select, by keyboard: open, filter by typing, Enter. */
async function choose(page: Page, select: Locator, typed: string, option: string): Promise<void> {
  await select.focus();
  await select.press('ArrowDown');
  const list = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await expect.poll(() => list.isVisible()).toBe(true);
  if (typed) await page.keyboard.type(typed);
  await expect
    .poll(async () => (await list.locator('.ant-select-item-option-active').textContent()) ?? '')
    .toContain(option);
  await page.keyboard.press('Enter');
  await expect.poll(() => list.isVisible()).toBe(false);
}

/** Opens an action's dialog from the case page's action list. */
async function openAction(page: Page, name: string): Promise<Locator> {
  await page.getByRole('button', { name, exact: true }).click({ timeout: 30_000 });
  const dialog = page.getByRole('dialog').filter({ hasText: name });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  return dialog;
}

async function submit(dialog: Locator, button: RegExp = /提\s*交|确\s*定/): Promise<void> {
  await dialog.getByRole('button', { name: button }).click();
  // On a refusal the dialog stays open with the server's words: they are the failure's message.
  try {
    await expect.poll(() => dialog.isVisible(), { timeout: 30_000 }).toBe(false);
  } catch {
    throw new Error(`the dialog stayed open: ${await dialog.textContent()}`);
  }
}

describe('a case from the window to a verified agreement, in the console', () => {
  let clerkPage: Page;
  let mediatorPage: Page;
  let caseId: string;

  it('when the clerk registers a walk-in case and accepts it, then it waits for a mediator', async () => {
    clerkPage = await ui.newPage();
    await clerkPage.goto(`${base}/console/cases/new`);
    await signIn(clerkPage, 'clerk.chen');
    await expect
      .poll(() => clerkPage.getByRole('heading', { level: 1, name: '登记案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await choose(clerkPage, clerkPage.locator('#disputeType'), '借贷', '借贷纠纷');
    await clerkPage.locator('#learnedOn').fill('2026-03-01');
    await clerkPage.locator('#learnedOn').press('Enter');
    await clerkPage.locator('#claimAmountYuan').fill('12000');
    await clerkPage
      .locator('#summary')
      .fill('申请人张三于2025年借给被申请人李四人民币12000元，约定半年内归还，至今未还。');
    await clerkPage.locator('#parties_0_name').fill('张三');
    await clerkPage.locator('#parties_0_idNumber').fill(fictionalIdNumber('445202', '19000101', '741'));
    await clerkPage.locator('#parties_0_phone').fill('17000001234');
    await clerkPage.locator('#parties_1_name').fill('李四');
    await clerkPage.locator('#parties_1_idNumber').fill(fictionalIdNumber('445202', '19000202', '742'));
    await clerkPage.locator('#parties_1_phone').fill('17000005678');
    await clerkPage.getByRole('button', { name: '提交登记' }).click();
    // 登记 lands on the case's receipt (案件登记回执); 查看案件 opens the case.
    await expect.poll(() => clerkPage.url(), { timeout: 30_000 }).toMatch(/\/console\/cases\/[0-9a-f-]{36}\/receipt$/);
    caseId = clerkPage.url().split('/').at(-2)!;
    await clerkPage.getByRole('link', { name: '查看案件' }).click();
    await expect.poll(() => clerkPage.getByTestId('case-status').textContent(), { timeout: 15_000 }).toBe('已登记');

    const accept = await openAction(clerkPage, '受理');
    await submit(accept);
    const accepted = await caseWhen(caseId, (c) => c.status !== 'REGISTERED');
    await expect
      .poll(() => clerkPage.getByTestId('case-status').textContent(), { timeout: 30_000 })
      .toBe(accepted.statusLabel);
  });

  it('when the clerk designates a mediator from the roster, then the specialists are offered first with their load, and the case is his', async () => {
    const dialog = await openAction(clerkPage, '分派调解员');
    await choose(clerkPage, dialog.getByLabel('分派方式'), '指定', '指定');
    const mediator = dialog.getByLabel('调解员', { exact: true });
    await mediator.focus();
    await mediator.press('ArrowDown');
    const list = clerkPage.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await expect.poll(() => list.isVisible()).toBe(true);
    // A loan dispute: those with 借贷 as a specialty lead the list, each with the cases they have open.
    await expect
      .poll(async () => (await list.locator('.ant-select-item-option').first().textContent()) ?? '')
      .toContain('专长：借贷纠纷');
    expect(await list.locator('.ant-select-item-option').first().textContent()).toMatch(/在办 \d+/);
    await shot(clerkPage, 'journey-01-assign');
    await expectAccessible(clerkPage, 'assignment with the roster open');
    await clerkPage.keyboard.type('吴国栋');
    await expect
      .poll(async () => (await list.locator('.ant-select-item-option-active').textContent()) ?? '')
      .toContain('吴国栋');
    await clerkPage.keyboard.press('Enter');
    await submit(dialog);
    await caseWhen(caseId, (c) => c.events.some((e) => e.type === 'MediatorAssigned'));
    // The timeline says why: the mode, and what the roster rule and the conflict check found (the demo roster records one conflict).
    await clerkPage.getByRole('tab', { name: '时间线' }).click();
    await expect
      .poll(() => clerkPage.getByText(/分派方式：组织指定.*专长与纠纷类型相符.*利益冲突核查：/).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    await clerkPage.getByRole('tab', { name: '当事人' }).click();
  });

  it('when the mediator accepts, records a session, drafts and circulates the agreement, then it awaits signatures', async () => {
    mediatorPage = await ui.newPage();
    await mediatorPage.goto(`${base}/console/cases/${caseId}`);
    await signIn(mediatorPage, 'mediator.wu');
    await expect.poll(() => mediatorPage.getByTestId('case-status').isVisible(), { timeout: 15_000 }).toBe(true);
    await submit(await openAction(mediatorPage, '接受分派'));
    await caseWhen(caseId, (c) => c.events.some((e) => e.type === 'MediatorAccepted'));

    const session = await openAction(mediatorPage, '记录调解');
    const when = session.getByLabel('调解时间');
    await when.click();
    await when.fill(chinaMinuteAgo());
    await when.press('Enter');
    await session.getByLabel('地点').fill('中心第一调解室');
    await choose(mediatorPage, session.getByLabel('调解方式'), '现场', '现场');
    await session.getByLabel('调解笔录').fill('双方到场，同意分两期归还借款。');
    await submit(session);
    await caseWhen(caseId, (c) => c.events.some((e) => e.type === 'SessionRecorded'));

    const draft = await openAction(mediatorPage, '起草调解协议');
    await draft.getByLabel('纠纷事实').fill('被申请人李四于2025年3月向申请人张三借款人民币12000元，至今未还。');
    await draft
      .getByLabel('条款内容')
      .first()
      .fill('被申请人李四于本协议签订之日起三十日内向申请人张三归还借款人民币壹万贰仟元整。');
    await draft
      .getByLabel(/^金额（元）/)
      .first()
      .fill('12000');
    // The server's rule (人民调解法 Art 29): an amount says by when and how it is paid.
    const due = draft.getByLabel(/^履行期限/).first();
    await due.click();
    await due.fill(chinaDateIn(30));
    await due.press('Enter');
    await draft
      .getByLabel(/^履行方式（可选）/)
      .first()
      .fill('银行转账');
    await shot(mediatorPage, 'journey-02-draft');
    await expectAccessible(mediatorPage, 'agreement draft');
    await submit(draft);
    await caseWhen(caseId, (c) => !!c.agreement);

    await submit(await openAction(mediatorPage, '送签调解协议'));
    const circulated = await caseWhen(caseId, (c) => c.events.some((e) => e.type === 'AgreementCirculated'));
    await expect
      .poll(() => mediatorPage.getByTestId('case-status').textContent(), { timeout: 30_000 })
      .toBe(circulated.statusLabel);
  });

  it('when the mediator revises the circulated draft, then the form starts from version 1, a common clause is added, and 协议 shows what changed and who has yet to sign', async () => {
    const revise = await openAction(mediatorPage, '起草调解协议');
    // A revision starts from what the parties read.
    await expect.poll(() => revise.getByText('已填入第 1 版的内容').isVisible()).toBe(true);
    expect(await revise.getByLabel('纠纷事实').inputValue()).toContain('借款人民币12000元');
    // A common term of a loan dispute, from its clause set.
    await choose(mediatorPage, revise.getByLabel('常用条款'), '放弃', '申请人放弃其余利息请求');
    await expect.poll(() => revise.getByLabel('条款内容').nth(1).inputValue()).toBe('申请人放弃其余利息请求。');
    await shot(mediatorPage, 'journey-03-revision');
    await expectAccessible(mediatorPage, 'revision with a common clause');
    await submit(revise);
    await caseWhen(caseId, (c) => c.agreement?.version === 2);
    await submit(await openAction(mediatorPage, '送签调解协议'));
    await caseWhen(caseId, (c) => c.events.filter((e) => e.type === 'AgreementCirculated').length === 2);

    await mediatorPage.getByRole('tab', { name: '协议' }).click();
    const comparison = mediatorPage.getByLabel('第 1 版与第 2 版的比较');
    await expect
      .poll(async () => (await comparison.locator('ins').allTextContents()).join(''), { timeout: 15_000 })
      .toContain('申请人放弃其余利息请求');
    expect(await comparison.locator('del').count()).toBe(0);
    // Nobody has signed version 2: the two parties, the mediator and the seal are still to come.
    await expect.poll(() => mediatorPage.getByRole('cell', { name: '未签署' }).count()).toBe(4);
    await shot(mediatorPage, 'journey-04-agreement-tab');
    await expectAccessible(mediatorPage, 'agreement tab');
  });

  it('when both parties have signed, the mediator signs and the clerk affixes the seal in the console, then the agreement takes effect', async () => {
    const before = await caseWhen(caseId, () => true);
    const version = before.agreement!.version;
    for (const p of before.parties) {
      const signed = await stack.send(clerk, 'POST', `/cases/${caseId}/agreement/signatures`, {
        signer: p.partyId,
        method: 'handwritten',
        draftVersion: version,
      });
      expect(signed.status, signed.text).toBe(200);
    }
    // The token lives in memory only: a reload asks to sign in again, and then shows the case as it is now.
    await mediatorPage.reload();
    await signIn(mediatorPage, 'mediator.wu');
    const mine = await openAction(mediatorPage, '签署调解协议');
    // The version now circulating is filled in; the only signature left to the mediator is their own.
    expect(await mine.getByLabel('协议版本').inputValue()).toBe(String(version));
    await choose(mediatorPage, mine.getByLabel('签署方式'), '手写', '手写');
    await submit(mine);
    await caseWhen(caseId, (c) => c.agreement!.signatures.includes('mediator'));

    await clerkPage.reload();
    await signIn(clerkPage, 'clerk.chen');
    const seal = await openAction(clerkPage, '签署调解协议');
    await choose(clerkPage, seal.getByLabel('签署人'), '', '调解组织');
    await choose(clerkPage, seal.getByLabel('签署方式'), '盖章', '盖章');
    await submit(seal);
    const effective = await caseWhen(caseId, (c) => c.status === 'AGREEMENT_EFFECTIVE');
    await expect
      .poll(() => clerkPage.getByTestId('case-status').textContent(), { timeout: 30_000 })
      .toBe(effective.statusLabel);
    await shot(clerkPage, 'journey-05-effective');
  });

  it('when the clerk downloads the agreement from the case file, then its SHA-256 is the one /verify gives for its verify code', async () => {
    await clerkPage.getByRole('tab', { name: '文书' }).click();
    const row = clerkPage.getByRole('row').filter({ hasText: '调解协议书' }).first();
    await expect.poll(() => row.isVisible(), { timeout: 30_000 }).toBe(true);
    await expectAccessible(clerkPage, 'documents');
    // The verify code links to the public check anyone holding the paper can make.
    const verifyHref = (await row.locator('a[href^="/verify/"]').first().getAttribute('href'))!;
    const [download] = await Promise.all([
      clerkPage.waitForEvent('download'),
      row.getByRole('button', { name: /下载/ }).click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await fetch(new URL(verifyHref, stack.url), { headers: { accept: 'application/json' } }).then(
      (r) => r.json() as Promise<{ sha256: string; caseNumber: string }>,
    );
    expect(verified.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(verified.caseNumber).toBe((await caseWhen(caseId, () => true)).caseNumber);
    await shot(clerkPage, 'journey-06-documents');
  });

  it("when the clerk applies for judicial confirmation and the parties sign, then the court's staff accept and confirm it in the console, with the actions the court's API key has", async () => {
    const apply = await openAction(clerkPage, '申请司法确认');
    await choose(clerkPage, apply.getByLabel('管辖依据'), '住所', '当事人住所地基层人民法院');
    // The court from the roster by its name, not its code.
    await choose(clerkPage, apply.getByLabel(/^法院/), '榕城', '揭阳市榕城区人民法院（粤5202）');
    await submit(apply);
    const applied = await caseWhen(caseId, () => true);
    for (const p of applied.parties) {
      const signed = await stack.send(clerk, 'POST', `/cases/${caseId}/judicial-confirmation/signatures`, {
        partyId: p.partyId,
        method: 'handwritten',
      });
      expect(signed.status, signed.text).toBe(200);
    }

    const courtPage = await ui.newPage();
    await courtPage.goto(`${base}/console/cases/${caseId}`);
    await signIn(courtPage, 'court5202.li');
    const filing = await openAction(courtPage, '法院立案');
    await filing.getByLabel('法院案号').fill('(2026)粤5202民特1号');
    await shot(courtPage, 'journey-07-court-filing');
    await expectAccessible(courtPage, "the court's filing");
    await submit(filing);
    const ruling = await openAction(courtPage, '法院裁定');
    await choose(courtPage, ruling.getByLabel('裁定结果'), '确认', '确认有效');
    await submit(ruling);
    const confirmed = await caseWhen(
      caseId,
      (c) => !!c.securing?.processes.some((p) => p.kind === 'judicial_confirmation' && p.status === 'CONFIRMED'),
    );
    await expect
      .poll(() => courtPage.getByTestId('case-status').textContent(), { timeout: 30_000 })
      .toBe(confirmed.statusLabel);
    await shot(courtPage, 'journey-08-court-confirmed');
  });

  it('when the journey was done, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});

/** The date in China `days` from now (2026-07-31). */
function chinaDateIn(days: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() + days * 86_400_000));
}

/** A minute ago in China time, as the date picker takes it (2026-07-01 09:30). */
function chinaMinuteAgo(): string {
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
