/**
 * What the party portal's browser tests share: the phones they run on, the 长辈版 switch, axe in both modes,
 * shots in both modes, signing in as a party (the 查询码, then the code the SMS outbox holds; or all of it, from
 * the clerk issuing the 查询码 to 我的案件 on a new phone), 我的案件's cards, and the code texted to a phone no
 * party has on record yet.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Credentials, Stack } from '../support/stack.js';
import { expectAccessible, shot, type BrowserStack } from './support.js';

/** The narrowest phone the portal is built for: 360×740 CSS pixels, touch. */
export const NARROW_PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  acceptDownloads: true,
};
/** A mid-range phone: 390×844 CSS pixels, touch. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  acceptDownloads: true,
};

export const elderSwitch = (page: Page) => page.getByRole('button', { name: /^长辈版/ });
export const isElder = (page: Page) => page.evaluate<boolean>("document.documentElement.classList.contains('elder')");

/** Turns 长辈版 on or off with its switch (a button with aria-pressed) and waits for the page to follow. */
export async function setElder(page: Page, on: boolean): Promise<void> {
  if ((await isElder(page)) === on) return;
  await elderSwitch(page).click();
  await expect.poll(() => isElder(page)).toBe(on);
}

/** axe on the screen as it is, then in the other mode, then back. */
export async function accessibleInBothModes(page: Page, screen: string): Promise<void> {
  const elder = await isElder(page);
  await expectAccessible(page, `${screen} (${elder ? '长辈版' : 'normal'})`);
  await setElder(page, !elder);
  await expectAccessible(page, `${screen} (${elder ? 'normal' : '长辈版'})`);
  await setElder(page, elder);
}

/** Shots in both modes: what an elderly party sees is looked at too (`name`, then `name-elder`). */
export async function shotBothModes(page: Page, name: string): Promise<void> {
  const elder = await isElder(page);
  await setElder(page, false);
  await shot(page, name);
  await setElder(page, true);
  await shot(page, `${name}-elder`);
  await setElder(page, elder);
}

/** The login's two steps as a party does them, on the login screen: the 查询码, then the SMS code. */
export async function partySignIn(page: Page, stack: Stack, accessCode: string, partyId: string): Promise<void> {
  await page.getByLabel('查询码').fill(accessCode);
  await page.getByRole('button', { name: '获取短信验证码' }).click();
  const smsField = page.getByLabel('短信验证码');
  await expect.poll(() => smsField.isVisible(), { timeout: 15_000 }).toBe(true);
  await smsField.fill(await stack.lastOneTimeCode(partyId));
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** The last code texted to a phone on no party's record yet (what the person reads on that phone). */
export async function codeSentTo(stack: Stack, phone: string): Promise<string> {
  const rows = await stack
    .db('sms_outbox')
    .where({ purpose: 'one_time_code' })
    .orderBy('created_at', 'desc')
    .limit(20)
    .select('to_phone_enc', 'body_enc');
  const row = rows.find((r) => stack.cipher.decrypt(r.to_phone_enc) === phone);
  if (!row) throw new Error(`no code was texted to ${phone}`);
  return /验证码为(\d{6})/.exec(stack.cipher.decrypt(row.body_enc))![1]!;
}

/** A new 查询码 for a party, issued by the clerk as at the counter (it voids the party's last one). */
export async function issueAccessCode(
  stack: Stack,
  clerk: Credentials,
  caseId: string,
  partyId: string,
): Promise<string> {
  const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${partyId}/access-code`, {});
  expect(issued.status, issued.text).toBe(201);
  return issued.body.accessCode as string;
}

/**
 * A party on a new phone (the narrow one unless `device` says otherwise), signed in with a 查询码 the clerk has just
 * issued and the SMS code from the outbox, on 我的案件.
 */
export async function signedInParty(
  ui: BrowserStack,
  clerk: Credentials,
  party: { caseId: string; partyId: string },
  device: BrowserContextOptions = NARROW_PHONE,
): Promise<Page> {
  const accessCode = await issueAccessCode(ui.stack, clerk, party.caseId, party.partyId);
  const page = await ui.newPage(device);
  await page.goto(`${ui.base}/portal/`);
  await partySignIn(page, ui.stack, accessCode, party.partyId);
  await expect
    .poll(() => page.getByRole('heading', { name: '我的案件', level: 1 }).isVisible(), { timeout: 15_000 })
    .toBe(true);
  return page;
}

/** A card of the portal's screens by its heading. */
export const card = (page: Page, heading: string) =>
  page.locator('section.card').filter({ has: page.getByRole('heading', { name: heading, exact: true, level: 2 }) });

/** The screen fits the narrowest phone: nothing scrolls sideways. */
export async function fitsPhone(page: Page): Promise<void> {
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(width).toBeLessThanOrEqual(NARROW_PHONE.viewport!.width);
}
