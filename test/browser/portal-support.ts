/**
 * What the party portal's browser tests share: the phones they run on, the 长辈版 switch, axe in both modes,
 * shots in both modes, signing in as a party (the 查询码, then the code the SMS outbox holds), and the code
 * texted to a phone no party has on record yet.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Stack } from '../support/stack.js';
import { expectAccessible, shot } from './support.js';

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
