/**
 * Ratings and the public directory in the party portal (issue 17 item 7; docs/supervision.md#ratings and
 * #credit-files-and-the-public-directory), in a real browser on a 360 px phone against the real stack: a case the
 * center did not accept (不予受理) has concluded; the applicant rates it in the portal (a missing level and a text
 * the server refuses are said at their fields) and then sees the rating instead of the form; the respondent rates
 * through the link texted to them, read from the SMS outbox, without logging in (a 差评, with its follow-up); a used,
 * expired or incomplete link, or the link of a party who rated already, says so in words. Anyone reaches the public
 * directory from the login page and sees a mediator's level and the sanction inside its window, and the
 * organizations, offices and courts with addresses and hours; a party choosing a mediator sees the same level and
 * sanction. axe finds no WCAG 2.1 A/AA violation in normal and 长辈版 modes, and nothing is refused by the CSP.
 * Screenshots: test-artifacts/console/portal-rating-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDateOf } from '../../domain/calendar.js';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import {
  accessibleInBothModes,
  card,
  fitsPhone,
  issueAccessCode,
  NARROW_PHONE,
  partySignIn,
  shotBothModes,
  signedInParty,
} from './portal-support.js';
import { browserStack, shot, type BrowserStack } from './support.js';

type Case = { caseId: string; applicantId: string; respondentId: string };

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let supervisor: Credentials;
/** Not accepted (不予受理): concluded, so its parties may rate. */
let concluded: Case;
/** Accepted: its parties choose a mediator. */
let choosing: Case;
/** The first mediator a party is shown for a loan dispute, with a sanction and a level. */
let mediator: { mediatorId: string; displayName: string };
let level: { level: string; label: string };
const SANCTION = { title: '警告', document: `揭司惩〔测试〕${Date.now() % 100_000}号` };

const ratingsOn = async (caseId: string) =>
  Number((await stack.db('ratings').where({ case_id: caseId }).count({ n: '*' }))[0]!.n);
const heading1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

async function register(i: number): Promise<Case> {
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({
      parties: [
        {
          role: 'applicant',
          kind: 'natural',
          name: '林一',
          idNumber: fictionalIdNumber('445202', `1900071${i}`, '315'),
          phone: `1700077100${i}`,
        },
        {
          role: 'respondent',
          kind: 'natural',
          name: '陈二',
          idNumber: fictionalIdNumber('445202', `1900081${i}`, '426'),
          phone: `1700077200${i}`,
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  const [applicant, respondent] = created.body.parties as { partyId: string }[];
  return { caseId: created.body.caseId, applicantId: applicant!.partyId, respondentId: respondent!.partyId };
}

/** A party of the case on a new phone, signed in, on 我的案件. */
const signInAs = (c: Case, partyId: string): Promise<Page> => signedInParty(ui, clerk, { caseId: c.caseId, partyId });

/** The address of the rating link texted to a party when the case concluded (what they tap on their phone). */
async function textedLink(partyId: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        const texts = await stack.outbox(partyId);
        found = texts.map((t) => /\/portal\/rate#t=rate_[\w-]+/.exec(t.body)?.[0]).find(Boolean);
        return found;
      },
      { timeout: 30_000 },
    )
    .toBeTruthy();
  return `${base}${found!}`;
}

/** A sanction inside its window and an evaluation (its level from the rule in force), recorded by the supervisor. */
async function sanctionAndLevel(mediatorId: string) {
  const today = chinaDateOf(new Date());
  const sanctioned = await stack.send(supervisor, 'POST', `/credit/mediators/${mediatorId}/entries`, {
    kind: 'sanction',
    title: SANCTION.title,
    authority: '揭阳市司法局',
    decidedOn: today,
    document: SANCTION.document,
  });
  expect(sanctioned.status, sanctioned.text).toBe(201);
  const evaluated = await stack.send(supervisor, 'POST', `/credit/mediators/${mediatorId}/evaluations`, {
    from: addDays(today, -364),
    to: today,
  });
  expect(evaluated.status, evaluated.text).toBe(201);
  const listed = await stack.send(undefined, 'GET', `/directory/mediators/${mediatorId}`);
  expect(listed.status, listed.text).toBe(200);
  return listed.body.level as { level: string; label: string };
}

beforeAll(async () => {
  ui = await browserStack({ stack: { ownDatabase: true }, shots: { prefix: 'portal-rating-' } });
  ({ stack, base } = ui);
  const staff = await stack.loginAll(['clerk.chen', 'supervisor.zheng']);
  clerk = staff.who['clerk.chen'];
  supervisor = staff.who['supervisor.zheng'];
  concluded = await register(1);
  const declined = await stack.send(clerk, 'POST', `/cases/${concluded.caseId}/decline`, { reason: 'outside_scope' });
  expect(declined.body.status, declined.text).toBe('NOT_ACCEPTED');
  choosing = await register(2);
  const accepted = await stack.send(clerk, 'POST', `/cases/${choosing.caseId}/accept`, {});
  expect(accepted.body.status, accepted.text).toBe('PENDING_ASSIGNMENT');
  const roster = await stack.send(clerk, 'GET', '/roster/mediators?available=true&disputeType=loan_debt');
  expect(roster.status, roster.text).toBe(200);
  mediator = roster.body.mediators[0];
  level = await sanctionAndLevel(mediator.mediatorId);
  expect(['C', 'D']).toContain(level.level); // a bad record inside its window: never better than C
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('a party rates their concluded case in the portal', () => {
  let page: Page;

  it('when the case has concluded, then 我的案件 invites the party to rate; the rating page says at each field what is wrong', async () => {
    page = await signInAs(concluded, concluded.applicantId);
    const invite = card(page, '评价本次服务');
    await expect.poll(() => invite.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId('case-status').textContent()).toContain('不予受理');
    await invite.getByRole('link', { name: '去评价' }).scrollIntoViewIfNeeded();
    await shot(page, 'portal-rating-01-case-invites');
    await accessibleInBothModes(page, 'concluded case with the rating invitation');
    await invite.getByRole('link', { name: '去评价' }).click();
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('评价本次服务');
    const form = page.locator('form.rating-form');
    await fitsPhone(page);
    await shotBothModes(page, 'portal-rating-02-form');
    await accessibleInBothModes(page, 'rating form');

    // No level: said at the level, nothing sent.
    await form.getByRole('button', { name: '提交评价' }).click();
    const levels = form.getByRole('group', { name: '您对本次服务是否满意？' });
    await expect.poll(() => levels.textContent()).toContain('请选择满意程度');
    expect(await ratingsOn(concluded.caseId)).toBe(0);

    // A text longer than the server takes: its 400 names the field, and the form says it there.
    await form.getByRole('radio', { name: '满意', exact: true }).check();
    await form.getByRole('checkbox', { name: '服务态度' }).check();
    await form.getByRole('checkbox', { name: '办理效率' }).check();
    const text = form.getByLabel('具体意见（可不填）');
    await text.fill('很'.repeat(2001));
    await form.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => text.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    expect(await form.textContent()).toContain('具体意见请不超过 2000 字');
    await shot(page, 'portal-rating-03-field-refused');
    await accessibleInBothModes(page, 'rating form, a field refused');
  }, 120_000);

  it('when the party corrects it and submits, then the rating is recorded and shown instead of the form, on the page and in 我的案件', async () => {
    const form = page.locator('form.rating-form');
    const words = '工作人员解释清楚，办理及时。';
    await form.getByLabel('具体意见（可不填）').fill(words);
    await form.getByRole('button', { name: '提交评价' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: '评价已提交，感谢您的评价' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const given = page.getByTestId('my-rating');
    expect(await given.textContent()).toContain('满意');
    expect(await given.textContent()).toContain('服务态度、办理效率');
    expect(await given.textContent()).toContain(words);
    expect(await page.locator('form.rating-form').count()).toBe(0);
    const rows = await stack.db('ratings').where({ case_id: concluded.caseId });
    expect(rows.map((r) => [r.party_id, r.level, r.channel])).toEqual([[concluded.applicantId, 'satisfied', 'portal']]);
    await shotBothModes(page, 'portal-rating-04-rated');
    await accessibleInBothModes(page, 'rating given');

    // 我的案件 shows the rating given, not the invitation; the rating page no longer offers the form.
    await page.getByRole('link', { name: '返回我的案件' }).click();
    const rated = card(page, '评价本次服务');
    await expect.poll(() => rated.textContent(), { timeout: 15_000 }).toContain('您已评价');
    expect(await rated.getByRole('link', { name: '去评价' }).count()).toBe(0);
    expect(await rated.getByTestId('my-rating').textContent()).toContain(words);
    await page.goto(`${base}/portal/cases/${concluded.caseId}/rating`);
    // A reload ends the session (the token is in memory only): the address opens after signing in again.
    await partySignIn(page, stack, await reissue(concluded, concluded.applicantId), concluded.applicantId);
    await expect
      .poll(() => page.getByRole('heading', { name: '您已评价过本案' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.locator('form.rating-form').count()).toBe(0);
    await shot(page, 'portal-rating-05-rated-again');
  }, 120_000);
});

const reissue = (c: Case, partyId: string): Promise<string> => issueAccessCode(stack, clerk, c.caseId, partyId);

describe('a party rates through the texted link, without logging in', () => {
  it('when the respondent opens the link from the text and gives a 差评, then it is recorded with its follow-up', async () => {
    const link = await textedLink(concluded.respondentId);
    const page = await ui.newPage(NARROW_PHONE);
    await page.goto(link);
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('评价本次服务');
    expect(await page.textContent('body')).toContain('无需登录即可评价');
    const form = page.locator('form.rating-form');
    await form.getByRole('radio', { name: '不满意', exact: true }).check();
    await form.getByRole('checkbox', { name: '办理效率' }).check();
    await form.getByLabel('具体意见（可不填）').fill('等了很久才通知不予受理。');
    await fitsPhone(page);
    await shotBothModes(page, 'portal-rating-06-link-form');
    await accessibleInBothModes(page, 'rating by the texted link');
    await form.getByRole('button', { name: '提交评价' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: '评价已提交，感谢您的评价' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByTestId('my-rating').textContent()).toContain('不满意（差评）');
    // A 差评 starts its follow-up: the party reads where it stands.
    expect(await page.getByTestId('rating-follow-up-status').textContent()).toContain('待回访');
    const rows = await stack.db('ratings').where({ case_id: concluded.caseId, party_id: concluded.respondentId });
    expect(rows.map((r) => [r.level, r.channel])).toEqual([['dissatisfied', 'sms_link']]);
    await shot(page, 'portal-rating-07-link-rated');
    await accessibleInBothModes(page, 'rated by the texted link');

    // The same link again: it worked once.
    await page.goto(link);
    await page.reload();
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('评价本次服务');
    await page.locator('form.rating-form').getByRole('radio', { name: '非常满意', exact: true }).check();
    await page.locator('form.rating-form').getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('评价链接已使用');
    expect(await page.getByTestId('rating-link-refused').textContent()).toContain('只能评价一次');
    expect(await page.getByRole('link', { name: '登录当事人服务' }).isVisible()).toBe(true);
    await shot(page, 'portal-rating-08-link-used');
    await accessibleInBothModes(page, 'used link');
    expect(await ratingsOn(concluded.caseId)).toBe(2);
  }, 120_000);

  it('when the applicant, who rated in the portal, opens their own link, then it says they rated already; once it has expired, that it has expired', async () => {
    const link = await textedLink(concluded.applicantId);
    const page = await ui.newPage(NARROW_PHONE);
    const tryLink = async () => {
      await page.goto(link);
      await page.reload();
      const form = page.locator('form.rating-form');
      await expect.poll(() => form.isVisible(), { timeout: 15_000 }).toBe(true);
      await form.getByRole('radio', { name: '基本满意', exact: true }).check();
      await form.getByRole('button', { name: '提交评价' }).click();
    };
    await tryLink();
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('您已评价过本案');
    await shot(page, 'portal-rating-09-link-already-rated');

    // The link (still unused: the refused rating left it so) is past its 30 days.
    await stack
      .db('rating_links')
      .where({ case_id: concluded.caseId, party_id: concluded.applicantId })
      .whereNull('voided_at')
      .update({ expires_at: new Date(Date.now() - 60_000) });
    await tryLink();
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('评价链接已过期');
    expect(await page.getByTestId('rating-link-refused').textContent()).toContain('登录当事人服务');
    await shot(page, 'portal-rating-10-link-expired');
    await accessibleInBothModes(page, 'expired link');

    // An address without the token (cut off by a phone's messaging app).
    await page.goto(`${base}/portal/rate`);
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('评价链接不完整');
    const rows = await stack.db('ratings').where({ case_id: concluded.caseId, party_id: concluded.applicantId });
    expect(rows.map((r) => r.level)).toEqual(['satisfied']);
  }, 120_000);
});

describe('the 差评 answered, and the one 追评', () => {
  it('when the center has answered the 差评, then the party signs in, reads the answer and adds one 追评, which closes it', async () => {
    const [row] = await stack.db('ratings').where({ case_id: concluded.caseId, party_id: concluded.respondentId });
    const ratingId = row!.rating_id as string;
    const answer = '经核实，已提醒工作人员及时告知办理结果，感谢您的监督。';
    for (const [path, body] of [
      ['callback', { reached: true, note: '电话回访，当事人反映通知较慢' }],
      ['fix', { kind: 'explained', text: '已说明不予受理的审查期限' }],
      ['answer', { text: answer }],
    ] as const) {
      const done = await stack.send(supervisor, 'POST', `/ratings/${ratingId}/${path}`, body);
      expect(done.status, `${path}: ${done.text}`).toBe(200);
    }

    const page = await signInAs(concluded, concluded.respondentId);
    const rated = card(page, '评价本次服务');
    await expect.poll(() => rated.textContent(), { timeout: 15_000 }).toContain('您已评价');
    await rated.getByRole('link', { name: '中心已答复，去追加评价' }).click();
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('评价本次服务');
    await expect.poll(() => page.locator('.rating-follow-up').first().textContent()).toContain(answer);
    // The party reads the answer, never the internal call-back notes.
    expect(await page.textContent('body')).not.toContain('当事人反映通知较慢');
    const followUp = page.locator('form.rating-follow-up');
    await followUp.getByRole('button', { name: '提交追加评价' }).click();
    await expect
      .poll(() => followUp.getByRole('group', { name: '您对中心的答复是否满意？' }).textContent())
      .toContain('请选择您对答复的满意程度');
    await followUp.getByRole('radio', { name: '基本满意', exact: true }).check();
    await followUp.getByLabel('追加意见（可不填）').fill('答复及时。');
    await fitsPhone(page);
    await shotBothModes(page, 'portal-rating-15-follow-up');
    await accessibleInBothModes(page, 'the answer and the 追评 form');
    await followUp.getByRole('button', { name: '提交追加评价' }).click();
    await expect
      .poll(() => page.getByTestId('rating-follow-up-status').textContent(), { timeout: 15_000 })
      .toContain('已办结');
    expect(await page.textContent('body')).toContain('您的追加评价：基本满意，答复及时。');
    expect(await page.locator('form.rating-follow-up').count()).toBe(0);
    const closed = await stack.send(supervisor, 'GET', `/ratings/${ratingId}`);
    expect(closed.body.followUp).toMatchObject({ status: 'CLOSED', followUp: { level: 'basically_satisfied' } });
    await shot(page, 'portal-rating-16-follow-up-given');
    await accessibleInBothModes(page, '追评 given');
  }, 120_000);
});

describe('the public directory and the mediator choice', () => {
  let page: Page;

  it("when anyone opens the directory from the login page, then a mediator's level and the sanction inside its window are shown", async () => {
    page = await ui.newPage(NARROW_PHONE);
    await page.goto(`${base}/portal/`);
    await page.getByRole('main').getByRole('link', { name: '公开名录' }).click();
    await expect.poll(() => heading1(page), { timeout: 15_000 }).toBe('公开名录');
    const entry = page.getByTestId('directory-mediator').filter({ hasText: mediator.displayName });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(1);
    expect(await entry.getByTestId('credit-level').textContent()).toContain(`${level.level} 级（${level.label}）`);
    const records = await entry.getByTestId('credit-records').textContent();
    expect(records).toContain(SANCTION.title);
    expect(records).toContain(SANCTION.document);
    expect(records).toContain('公示至');
    // Another mediator, with nothing on record, says so.
    expect(await page.getByTestId('credit-records').allTextContents()).toContain('无（公示期内没有处分或查实的投诉）');
    await fitsPhone(page);
    await entry.scrollIntoViewIfNeeded();
    await shotBothModes(page, 'portal-rating-11-directory-mediators');
    await accessibleInBothModes(page, 'directory of mediators');

    // Narrowed to a specialty.
    await page.getByLabel('按擅长的纠纷类型查看').selectOption({ label: '医疗纠纷' });
    await expect
      .poll(async () => {
        const shown = await page.getByTestId('directory-mediator').allTextContents();
        return shown.length > 0 && shown.every((t) => t.includes('医疗纠纷'));
      })
      .toBe(true);
  }, 120_000);

  it('when the other lists are chosen, then the organizations and the legal-aid and notary offices and courts show with addresses and hours', async () => {
    await page.getByRole('button', { name: '调解组织' }).click();
    await expect.poll(() => page.getByTestId('directory-organization').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    expect(await page.getByTestId('directory-organization').first().textContent()).toMatch(/地址.*办公时间.*等级/);
    await shot(page, 'portal-rating-12-directory-organizations');
    await accessibleInBothModes(page, 'directory of organizations');

    await page.getByRole('button', { name: '法律援助、公证和法院' }).click();
    for (const title of ['法律援助机构', '公证机构', '人民法院'])
      await expect.poll(() => page.getByRole('heading', { name: title, level: 2 }).isVisible()).toBe(true);
    const office = page.getByTestId('directory-office').first();
    expect(await office.textContent()).toMatch(/地址.*办公时间/);
    await fitsPhone(page);
    await shotBothModes(page, 'portal-rating-13-directory-offices');
    await accessibleInBothModes(page, 'directory of offices and courts');
  }, 120_000);

  it('when a party chooses a mediator, then each shows their level and the sanctions inside their window', async () => {
    const page = await signInAs(choosing, choosing.applicantId);
    const choice = card(page, '选择调解员');
    await expect.poll(() => choice.isVisible(), { timeout: 15_000 }).toBe(true);
    const entry = choice.locator('li.mediator-card').filter({ hasText: mediator.displayName });
    await expect
      .poll(() => entry.getByTestId('credit-records').textContent(), { timeout: 15_000 })
      .toContain(SANCTION.title);
    expect(await entry.getByTestId('credit-level').textContent()).toContain(`${level.level} 级（${level.label}）`);
    // Every mediator listed says their level, or that none has been given yet.
    const levels = await choice.getByTestId('credit-level').allTextContents();
    expect(levels.length).toBeGreaterThan(0);
    for (const l of levels) expect(l).toMatch(/级（|暂不评级|尚未评定/);
    await fitsPhone(page);
    await entry.scrollIntoViewIfNeeded();
    await shotBothModes(page, 'portal-rating-14-mediator-choice');
    await accessibleInBothModes(page, 'mediator choice with levels');
  }, 120_000);

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
