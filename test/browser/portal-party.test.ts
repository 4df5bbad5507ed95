/**
 * The party portal's own actions in a real browser on a phone-sized screen against the real stack (issue 16
 * items 2 and 3): a party who lost the access code recovers it through 找回查询码 (case number, ID number,
 * phone on record); the new code arrives in the SMS outbox and signs in, and the old one is refused; the
 * browser checks the fields as the server does, and too many attempts say when to try again; the respondent of a
 * case registered by one side consents to mediation from 我的案件, after a confirmation step (and another refuses, with a reason). axe finds no
 * WCAG 2.1 A/AA violation on each new screen in normal and 长辈版 modes, and nothing is refused by the CSP.
 * Screenshots: test-artifacts/console/portal-party-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { accessibleInBothModes, partySignIn, PHONE } from './portal-support.js';
import { browserStack, expectAccessible, shot, type BrowserStack } from './support.js';

const applicantIdNumber = fictionalIdNumber('445202', '19000707', '051');
const applicantPhone = '17000770511';

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let theCase: { caseId: string; caseNumber: string; applicantId: string };

const accessCodeTexts = async (partyId: string) =>
  (await stack.outbox(partyId)).filter((m) => m.purpose === 'access_code');

beforeAll(async () => {
  // Its own database: the recovery limits count every attempt from this address, and other files recover too.
  ui = await browserStack({
    stack: { ownDatabase: true },
    shots: [
      'portal-party-01-recover',
      'portal-party-02-recover-errors',
      'portal-party-03-recover-sent',
      'portal-party-04-recover-limited',
      'portal-party-05-consent',
      'portal-party-06-consent-confirm',
      'portal-party-07-refuse-confirm',
    ],
  });
  ({ stack, base } = ui);
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen'];
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({
      parties: [
        { role: 'applicant', kind: 'natural', name: '周九', idNumber: applicantIdNumber, phone: applicantPhone },
        {
          role: 'respondent',
          kind: 'natural',
          name: '吴十',
          idNumber: fictionalIdNumber('445202', '19000808', '062'),
          phone: '17000880622',
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  // The parties in the order registered: the applicant first.
  const [applicant] = created.body.parties as { partyId: string }[];
  theCase = { caseId: created.body.caseId, caseNumber: created.body.caseNumber, applicantId: applicant!.partyId };
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('the party recovers a lost access code in the portal', () => {
  let page: Page;
  let oldCode: string;

  it('when 找回查询码 is opened from the login, then its fields are checked in the browser as the server checks them, and each error is at its field and announced', async () => {
    const issued = await stack.send(
      clerk,
      'POST',
      `/cases/${theCase.caseId}/parties/${theCase.applicantId}/access-code`,
      {},
    );
    expect(issued.status, issued.text).toBe(201);
    oldCode = issued.body.accessCode as string;

    page = await ui.newPage(PHONE);
    await page.goto(`${base}/portal/`);
    await expect
      .poll(() => page.getByRole('heading', { name: '当事人登录' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    // Keyboard: the link is reached and followed without a pointer.
    await page.getByRole('link', { name: '忘记查询码？点此找回' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('heading', { name: '找回查询码' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(new URL(page.url()).pathname).toBe('/portal/recover');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'portal-party-01-recover');
    await accessibleInBothModes(page, 'recover');

    // An ID number with a wrong check digit and a short phone: refused here, before anything is sent.
    const wrongCheck = applicantIdNumber.slice(0, 17) + (applicantIdNumber[17] === '0' ? '1' : '0');
    await page.getByLabel('案号').fill(theCase.caseNumber);
    await page.getByLabel('身份证号码').fill(wrongCheck);
    await page.getByLabel('登记的手机号码').fill('1700077');
    await page.getByLabel('登记的手机号码').press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('校验位不正确');
    expect(await page.getByRole('alert').textContent()).toContain('应为 11 位手机号码');
    expect(await page.getByLabel('身份证号码').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('登记的手机号码').getAttribute('aria-invalid')).toBe('true');
    // Focus goes to the first field in error.
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('recover-idNumber');
    expect(
      await stack.db('security_events').where({ kind: 'access_code_recovery_refused', case_id: theCase.caseId }),
    ).toHaveLength(0);
    await shot(page, 'portal-party-02-recover-errors');
    await accessibleInBothModes(page, 'recover with errors');
  });

  it('when the case number, ID number and phone match, then the fixed answer is shown, the new code arrives by SMS and signs in, and the old one is refused', async () => {
    const textsBefore = (await accessCodeTexts(theCase.applicantId)).length;
    // As a party may type it: half-width brackets and a lower-case check character are read as the server reads them.
    await page.getByLabel('案号').fill(theCase.caseNumber.replace('（', '(').replace('）', ')'));
    await page.getByLabel('身份证号码').fill(applicantIdNumber.toLowerCase());
    await page.getByLabel('登记的手机号码').fill(applicantPhone);
    await page.getByRole('button', { name: '找回查询码' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain('如信息与登记一致，新的查询码已发送到登记的手机');
    await shot(page, 'portal-party-03-recover-sent');
    await accessibleInBothModes(page, 'recover sent');

    const texts = await accessCodeTexts(theCase.applicantId);
    expect(texts).toHaveLength(textsBefore + 1);
    const newCode = /新查询码：([^。]+)。/.exec(texts[0]!.body)?.[1];
    expect(newCode).toBeTruthy();
    expect(newCode).not.toBe(oldCode);
    // The code travels only by SMS, never on the screen.
    expect(await page.locator('main').textContent()).not.toContain(newCode!);

    // The old code is refused at the login…
    await page.getByRole('link', { name: '返回登录' }).first().click();
    await expect
      .poll(() => page.getByRole('heading', { name: '当事人登录' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await page.getByLabel('查询码').fill(oldCode);
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('查询码不正确');

    // …and the new one signs in.
    await partySignIn(page, stack, newCode!, theCase.applicantId);
    await expect
      .poll(() => page.getByRole('heading', { name: '我的案件' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => page.locator('main').textContent()).toContain(theCase.caseNumber);
  });

  it('when a case and ID number were tried too often, then the portal says when to try again', async () => {
    const guess = fictionalIdNumber('445202', '19000909', '073');
    for (let i = 0; i < 5; i++) {
      const res = await stack.send(undefined, 'POST', '/auth/party/recovery', {
        caseNumber: theCase.caseNumber,
        idNumber: guess,
        phone: `1700099${String(i).padStart(4, '0')}`,
      });
      expect(res.status, res.text).toBe(202);
    }
    const other = await ui.newPage(PHONE);
    await other.goto(`${base}/portal/recover`);
    await expect
      .poll(() => other.getByRole('heading', { name: '找回查询码' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await other.getByLabel('案号').fill(theCase.caseNumber);
    await other.getByLabel('身份证号码').fill(guess);
    await other.getByLabel('登记的手机号码').fill('17000990009');
    await other.getByRole('button', { name: '找回查询码' }).click();
    await expect.poll(() => other.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('60 分钟后再试');
    await shot(other, 'portal-party-04-recover-limited');
    await expectAccessible(other, 'recover rate-limited');
  });
});

describe('the respondent answers the request to mediate in the portal', () => {
  it('when a case registered by one side waits for the other side, then 我的案件 offers 同意调解 and 不同意, and consent after its confirmation moves the case on', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication({ oneSided: true }));
    expect(created.status, created.text).toBe(201);
    const caseId = created.body.caseId as string;
    const respondentId = (created.body.parties as { partyId: string }[])[1]!.partyId;
    const accepted = await stack.send(clerk, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.body.status, accepted.text).toBe('PENDING_COUNTERPARTY_CONSENT');
    const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${respondentId}/access-code`, {});
    expect(issued.status, issued.text).toBe(201);

    const page = await ui.newPage(PHONE);
    await page.goto(`${base}/portal/`);
    await partySignIn(page, stack, issued.body.accessCode as string, respondentId);
    await expect
      .poll(() => page.getByRole('heading', { name: '是否同意调解' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByRole('button', { name: '不同意' }).isVisible()).toBe(true);
    await shot(page, 'portal-party-05-consent');
    await accessibleInBothModes(page, 'consent');

    await page.getByRole('button', { name: '同意调解' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '确认同意调解' }).isVisible()).toBe(true);
    // Nothing is sent before the confirmation.
    expect((await stack.send(clerk, 'GET', `/cases/${caseId}`)).body.status).toBe('PENDING_COUNTERPARTY_CONSENT');
    await shot(page, 'portal-party-06-consent-confirm');
    await accessibleInBothModes(page, 'consent confirmation');
    await page.getByRole('button', { name: '确认同意' }).click();
    await expect
      .poll(async () => (await stack.send(clerk, 'GET', `/cases/${caseId}`)).body.status, { timeout: 15_000 })
      .not.toBe('PENDING_COUNTERPARTY_CONSENT');
    // No longer offered: the card is gone once the case moved on.
    await expect.poll(() => page.getByRole('heading', { name: /同意调解/ }).count(), { timeout: 15_000 }).toBe(0);
    const after = await stack.send(clerk, 'GET', `/cases/${caseId}`);
    expect(after.body.status).toBe('PENDING_ASSIGNMENT');
    // Recorded as the respondent's own answer.
    const consented = (after.body.events as { type: string; payload?: { partyId?: string } }[]).find(
      (e) => e.type === 'CounterpartyConsented',
    );
    expect(consented?.payload?.partyId).toBe(respondentId);
  });

  it('when the respondent chooses 不同意 with a reason and confirms, then the case is not accepted and the reason is recorded', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication({ oneSided: true }));
    expect(created.status, created.text).toBe(201);
    const caseId = created.body.caseId as string;
    const respondentId = (created.body.parties as { partyId: string }[])[1]!.partyId;
    expect((await stack.send(clerk, 'POST', `/cases/${caseId}/accept`, {})).body.status).toBe(
      'PENDING_COUNTERPARTY_CONSENT',
    );
    const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${respondentId}/access-code`, {});
    expect(issued.status, issued.text).toBe(201);

    const page = await ui.newPage(PHONE);
    await page.goto(`${base}/portal/`);
    await partySignIn(page, stack, issued.body.accessCode as string, respondentId);
    await expect.poll(() => page.getByRole('button', { name: '不同意' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: '不同意' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '确认不同意调解' }).isVisible()).toBe(true);
    await page.getByLabel('理由（可不填）').fill('双方已自行协商解决。');
    await shot(page, 'portal-party-07-refuse-confirm');
    await accessibleInBothModes(page, 'refusal confirmation');
    await page.getByRole('button', { name: '确认不同意' }).click();
    await expect
      .poll(async () => (await stack.send(clerk, 'GET', `/cases/${caseId}`)).body.status, { timeout: 15_000 })
      .toBe('NOT_ACCEPTED');
    await expect.poll(() => page.getByRole('heading', { name: /同意调解/ }).count(), { timeout: 15_000 }).toBe(0);
    const row = await stack.db('cases').where({ case_id: caseId }).first();
    expect(JSON.stringify(row)).toContain('双方已自行协商解决。');
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
