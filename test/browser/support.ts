/** What every browser test shares: the accessibility check of a screen. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe finds no WCAG 2.1 A/AA violation on the screen as a person sees it: once every transition has ended
 * (a dialog read while it fades in has half its contrast).
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(violations, `axe on the ${screen} screen`).toEqual([]);
}
