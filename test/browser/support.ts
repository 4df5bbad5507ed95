/**
 * What every browser test shares: the console served in front of a test stack's API, a page watched for
 * CSP violations and uncaught errors, screenshots, sign-in and the accessibility check of a screen.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import express from 'express';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { consoleRouter, portalRouter } from '../../api/web.js';
import { DEMO_PASSWORD } from '../../db/demo-seed.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const root = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots a person looks at (git-ignored). */
export const artifacts = `${root}test-artifacts/console`;
/** Debian's package by default; set CHROMIUM_PATH for another Chromium or Chrome. */
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The console and the portal (api/web.ts) at /console and /portal, everything else passed to the stack's API as it is. */
export async function consoleServer(apiUrl: string): Promise<http.Server> {
  const app = express();
  app.use('/console', consoleRouter());
  app.use('/portal', portalRouter());
  app.use((req, res) => {
    const target = new URL(req.originalUrl, apiUrl);
    const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.status(502).end());
    req.pipe(upstream);
  });
  const s = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => s.once('listening', () => resolve()));
  return s;
}

/**
 * A new page as a clerk's browser would show it (zh-CN, Beijing time, less motion), its context kept in
 * `contexts` for closing (a desktop screen unless `device` says otherwise: a phone for the portal); every CSP violation and uncaught error goes into `problems`.
 */
export async function watchedPage(browser: Browser, contexts: BrowserContext[], problems: string[], device: BrowserContextOptions = { viewport: { width: 1440, height: 900 } }): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce', ...device });
  contexts.push(context);
  const page = await context.newPage();
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation ' + e.effectiveDirective + ' sample=' + e.sample + ' source=' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' html=' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : String(e.target))))`);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /CSP violation|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  return page;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true, animations: 'disabled' });
}

export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

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
