/**
 * What every browser test shares: the stack, the console served in front of its API and one Chromium per file
 * (`browserStack`), pages in contexts of their own watched for CSP violations and uncaught errors, screenshots,
 * sign-in and the accessibility check of a screen.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import express from 'express';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { consoleRouter, portalRouter } from '../../api/web.js';
import { DEMO_PASSWORD } from '../../db/demo-seed.js';
import { startStack, type Stack, type StackOptions } from '../support/stack.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const root = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots a person looks at (git-ignored). */
export const artifacts = `${root}test-artifacts/console`;
/** Debian's package by default; set CHROMIUM_PATH for another Chromium or Chrome. */
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The console and the portal (api/web.ts) at /console and /portal, everything else passed to the stack's API as it is. */
async function consoleServer(apiUrl: string): Promise<http.Server> {
  const app = express();
  app.use('/console', consoleRouter());
  app.use('/portal', portalRouter());
  app.use((req, res) => {
    const target = new URL(req.originalUrl, apiUrl);
    const upstream = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
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
async function watchedPage(
  browser: Browser,
  contexts: BrowserContext[],
  problems: string[],
  device: BrowserContextOptions = { viewport: { width: 1440, height: 900 } },
): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
    ...device,
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.addInitScript(
    `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation ' + e.effectiveDirective + ' sample=' + e.sample + ' source=' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' html=' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : String(e.target))))`,
  );
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /CSP violation|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  return page;
}

/** A file's stack, with the console in front of it and a browser to open it in. */
export interface BrowserStack {
  stack: Stack;
  /** Where the console (`/console/…`) and the portal (`/portal/…`) are served. */
  base: string;
  /** Content-Security-Policy violations and uncaught errors, from every page of the file: none is expected. */
  problems: string[];
  /** A new page in a context of its own: a desktop screen unless `device` says otherwise (a phone for the portal). */
  newPage(device?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts a file's stack (with `stack`'s options) and the console server in front of it, and launches the file's
 * Chromium meanwhile. The screenshots this file takes are removed first (`shots`: their names, or the prefix they
 * share), so what test-artifacts/console/ holds is what the last run saw. The console itself is built once for
 * the run, by the global setup (test/support/global-setup.ts).
 */
export async function browserStack(
  opts: { stack?: StackOptions; shots?: readonly string[] | { prefix: string } } = {},
): Promise<BrowserStack> {
  mkdirSync(artifacts, { recursive: true });
  const { shots = [] } = opts;
  const stale =
    'prefix' in shots
      ? readdirSync(artifacts).filter((f) => f.startsWith(shots.prefix))
      : shots.map((name) => `${name}.png`);
  for (const f of stale) rmSync(`${artifacts}/${f}`, { force: true });

  const launching = chromium.launch({ executablePath, headless: true });
  launching.catch(() => undefined); // a failed launch is thrown below, once the stack is up
  let browser: Browser | undefined;
  let stack: Stack | undefined;
  let server: http.Server | undefined;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const close = async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await (browser ?? (await launching.catch(() => undefined)))?.close();
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
    }
    await stack?.close();
  };
  try {
    stack = await startStack(opts.stack);
    server = await consoleServer(stack.url);
    browser = await launching;
  } catch (err) {
    await close();
    throw err;
  }
  const launched = browser;
  return {
    stack,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    problems,
    newPage: (device) => watchedPage(launched, contexts, problems, device),
    close,
  };
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
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
  expect(violations, `axe on the ${screen} screen`).toEqual([]);
}
