/**
 * The staff console as a clerk's browser meets it: Chromium driven by playwright-core, as the browser tests
 * drive it, against the API over the queue part's seeded cases.
 *
 * - Bundle: the JavaScript the first screen (the login form) loads, and what sign-in adds up to the 工作台,
 *   counted from the script responses Chromium received in a fresh context (so whatever the page really
 *   loads, not the build's file list), each gzipped as `npm run web:build` counts it. The server sends them
 *   uncompressed; both figures are reported.
 * - Queue: from a click on the header's 工作台 link to the animation frame in which the queue's table holds
 *   its first 50 rows. Signed in (the token in the page's memory), the console's code loaded and in the HTTP
 *   cache, TanStack Query's cache empty: each run loads a fresh page on an address that is not the 工作台,
 *   signs in (not timed) and clicks. So a run times the screen's mount, GET /queues/cases through HTTP, the
 *   session check and PostgreSQL (beside the screen's other requests: counters, saved filters), and drawing
 *   the rows. Timed inside the page (performance.now), so the driver's round trips are not in it.
 *
 * The console is built first when its sources changed (scripts/web-build.ts, as the test setup builds it),
 * and served from a copy, so a rebuild elsewhere during the run does not replace the files under the page.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import express from 'express';
import type { Knex } from 'knex';
import { chromium, type Browser, type BrowserContext, type Page, type Request, type Response } from 'playwright-core';
import { createApp } from '../api/app.js';
import { consoleRouter } from '../api/web.js';
import { DEMO_PASSWORD } from '../db/demo-seed.js';
import { createOutboxSms } from '../infra/sms.js';
import { seedCases } from './seed.js';
import { pct, round } from './stats.js';
import type { BenchStack } from './stack.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** As the browser tests: Debian's package by default; CHROMIUM_PATH for another Chromium or Chrome. */
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROWS = 50;
const CLERK = 'clerk.chen';

export type Scripts = {
  /** Gzipped (zlib's default level, as `npm run web:build` counts), in bytes. */
  gzipBytes: number;
  /** As Chromium received them (the encoded body: gzipped when the API compresses it, api/web.ts). */
  transferBytes: number;
  files: { name: string; gzipBytes: number }[];
};

/** One timed run, in ms from the click; the request's figures from the page's resource timing. */
export type ConsoleRun = {
  ms: number;
  requestStartMs: number | null;
  requestMs: number | null;
  afterAnswerMs: number | null;
};

/** Every API request the screen sent after the click, by path (and page size): how many per run, and at p50 how long each took and when it was answered. */
export type ScreenRequest = { what: string; perRun: number; p50Ms: number; p50AnsweredMs: number };

export type ConsoleBench =
  | { skipped: string }
  | {
      /** Cases in the database (the queue part's larger size). */
      cases: number;
      /** 0 when the queue part had seeded them. */
      seedSeconds: number;
      build: 'built' | 'up to date';
      browser: string;
      bundle: { firstScreen: Scripts; afterSignIn: Scripts };
      /** A fresh context, empty cache: navigation start to the login form; the 登录 click to 50 rows (the signed-in code comes from the server). */
      firstVisit: { loginFormMs: number; signInToRowsMs: number };
      /** Timed runs (after `warmup` untimed ones). */
      runs: number;
      warmup: number;
      rows: number;
      queue: {
        p50Ms: number;
        p95Ms: number;
        maxMs: number;
        /** p50 of each part of a run: click to the request sent, the request, its answer to the rows drawn. */
        parts: { requestStartMs: number; requestMs: number; afterAnswerMs: number };
        /** The run at p95, part by part. */
        p95Run: ConsoleRun;
        /** What the screen asked the API for, the queue among them (the rows wait for the queue's answer only). */
        requests: ScreenRequest[];
      };
    };

export type PreparedWeb =
  { ready: true; build: 'built' | 'up to date'; distDir: string; close(): void } | { ready: false; skipped: string };
export type PreparedConsole = PreparedWeb;

/**
 * Before any server starts: Chromium is there, and the web is built (only when its sources changed) and
 * copied aside. Anything missing skips the part (`console` or `portal`, whose page must be in the build) with
 * the reason; the other parts run.
 */
export function prepareWeb(log: (line: string) => void, part: 'console' | 'portal'): PreparedWeb {
  if (!existsSync(executablePath)) {
    return {
      ready: false,
      skipped: `no Chromium at ${executablePath}: install Debian's chromium package or set CHROMIUM_PATH to a Chromium or Chrome`,
    };
  }
  log(`${part}: building the web if its sources changed (scripts/web-build.ts)`);
  let output: string;
  try {
    // Its own process, as the test setup runs it; its lines go to stderr with the bench's progress, stdout is the report's.
    output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/web-build.ts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (err) {
    const printed = (err as { stdout?: string }).stdout ?? '';
    return {
      ready: false,
      skipped: `the web did not build (npm run web:build): ${printed.trim().split('\n').pop() || (err as Error).message}`,
    };
  }
  for (const line of output.trim().split('\n')) log(`${part}: ${line}`);
  const dist = path.join(root, 'web', 'dist');
  if (!existsSync(path.join(dist, part, 'index.html')))
    return { ready: false, skipped: `the web build left no web/dist/${part}/index.html` };
  const copy = mkdtempSync(path.join(tmpdir(), `odr-bench-${part}-`));
  cpSync(dist, copy, { recursive: true });
  return {
    ready: true,
    build: /up to date/.test(output) ? 'up to date' : 'built',
    distDir: copy,
    close: () => rmSync(copy, { recursive: true, force: true }),
  };
}

export const prepareConsole = (log: (line: string) => void): PreparedConsole => prepareWeb(log, 'console');

export async function benchConsole(
  stack: BenchStack,
  db: Knex,
  prepared: Extract<PreparedConsole, { ready: true }>,
  opts: { cases: number; runs: number; warmup: number; log: (line: string) => void },
): Promise<ConsoleBench> {
  const { log } = opts;
  log(`console: seeding to ${opts.cases} cases (nothing to add if the queue part did)`);
  const seeded = await seedCases(db, { total: opts.cases, log });

  // The built console from the copy, in front of the API on the seeded database (one origin, as in production).
  const app = express();
  app.use('/console', consoleRouter({ distDir: prepared.distDir }));
  app.use(
    createApp({
      db,
      temporal: stack.client,
      cipher: stack.cipher,
      sms: createOutboxSms(db, stack.cipher),
      taskQueue: 'bench-console',
      log: () => undefined,
      auth: { staffSessionMs: 30 * 60_000, partySessionMs: 15 * 60_000, oneTimeCodeMs: 5 * 60_000 },
    }),
  );
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true });
  } catch (err) {
    await closeServer(server);
    return { skipped: `Chromium at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}` };
  }
  const contexts: BrowserContext[] = [];
  // A clerk's screen; motion as the browser's default (no reduced-motion preference).
  const newContext = async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    contexts.push(context);
    return context;
  };
  try {
    log('console: first visit in a fresh browser context (bundle sizes)');
    const first = await (await newContext()).newPage();
    const scripts: Promise<{ name: string; gzipBytes: number; transferBytes: number }>[] = [];
    first.on('response', (response) => {
      if (isScript(response)) scripts.push(measureScript(response));
    });
    await first.addInitScript(WATCH_LOGIN_FORM);
    await first.goto(`${base}/console/`, { waitUntil: 'networkidle' });
    const loginFormMs = Number(
      await first.waitForFunction('window.benchLoginFormMs', undefined, { timeout: 30_000 }).then((h) => h.jsonValue()),
    );
    const firstScreen = await Promise.all(scripts);
    await fillSignIn(first);
    const signedIn = (await first.evaluate(timedUntilRows('button[type=submit]'))) as ConsoleRun;
    // Every script the 工作台 needed was received before its rows could be drawn; a moment for the last events.
    await first.waitForTimeout(500);
    const afterSignIn = (await Promise.all(scripts)).slice(firstScreen.length);
    await first.close();

    log(
      `console: ${opts.warmup} untimed + ${opts.runs} timed navigations to the 工作台 (${ROWS} rows) over ${opts.cases} cases`,
    );
    const page = await (await newContext()).newPage();
    // The screen's requests in flight: a run ends when they are all answered, so the next page load cuts none short.
    const inFlight = new Set<Request>();
    const isApi = (r: Request) => r.resourceType() === 'fetch' || r.resourceType() === 'xhr';
    page.on('request', (r) => void (isApi(r) && inFlight.add(r)));
    page.on('requestfinished', (r) => void inFlight.delete(r));
    page.on('requestfailed', (r) => void inFlight.delete(r));
    const runs: ConsoleRun[] = [];
    const sent: { what: string; ms: number; answeredMs: number }[][] = [];
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      // A fresh page: no token, an empty query cache; the code from the HTTP cache.
      await page.goto(`${base}/console/bench-elsewhere`);
      await fillSignIn(page);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByRole('link', { name: '工作台', exact: true }).waitFor({ timeout: 30_000 });
      // Let the page settle as a person's would before the next click.
      await page.evaluate(IDLE);
      const { t0, ...run } = (await page.evaluate(timedUntilRows(null))) as ConsoleRun & { t0: number };
      for (const deadline = Date.now() + 10_000; inFlight.size > 0 && Date.now() < deadline;)
        await page.waitForTimeout(20);
      const requests = (await page.evaluate(requestsSince(t0))) as { name: string; startMs: number; endMs: number }[];
      if (i >= opts.warmup) {
        runs.push(run);
        sent.push(requests.map((r) => ({ what: requestName(r.name), ms: r.endMs - r.startMs, answeredMs: r.endMs })));
      }
      if ((i + 1) % 10 === 0) log(`console: ${i + 1} of ${opts.warmup + opts.runs} navigations`);
    }
    const times = runs.map((r) => r.ms);
    const p95 = pct(times, 95);
    const partP50 = (key: 'requestStartMs' | 'requestMs' | 'afterAnswerMs') =>
      round(
        pct(
          runs.map((r) => r[key]).filter((v): v is number => v !== null),
          50,
        ),
      );
    return {
      cases: opts.cases,
      seedSeconds: seeded.seconds,
      build: prepared.build,
      browser: `Chromium ${browser.version()}, headless`,
      bundle: { firstScreen: total(firstScreen), afterSignIn: total(afterSignIn) },
      firstVisit: { loginFormMs: round(loginFormMs), signInToRowsMs: round(signedIn.ms) },
      runs: runs.length,
      warmup: opts.warmup,
      rows: ROWS,
      queue: {
        p50Ms: round(pct(times, 50)),
        p95Ms: round(p95),
        maxMs: round(Math.max(...times)),
        parts: {
          requestStartMs: partP50('requestStartMs'),
          requestMs: partP50('requestMs'),
          afterAnswerMs: partP50('afterAnswerMs'),
        },
        p95Run: roundRun(runs.find((r) => r.ms === p95)!),
        requests: screenRequests(sent),
      },
    };
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser.close();
    await closeServer(server);
  }
}

export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
}

async function fillSignIn(page: Page): Promise<void> {
  await page.getByLabel('用户名').fill(CLERK);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
}

export const isScript = (r: Response) =>
  r.ok() && (/\.m?js$/.test(new URL(r.url()).pathname) || /javascript/.test(r.headers()['content-type'] ?? ''));

export async function measureScript(
  response: Response,
): Promise<{ name: string; gzipBytes: number; transferBytes: number }> {
  const [body, sizes] = await Promise.all([response.body(), response.request().sizes()]);
  return {
    name: path.posix.basename(new URL(response.url()).pathname),
    gzipBytes: gzipSync(body).length,
    transferBytes: sizes.responseBodySize,
  };
}

export const total = (xs: { name: string; gzipBytes: number; transferBytes: number }[]): Scripts => ({
  gzipBytes: xs.reduce((s, x) => s + x.gzipBytes, 0),
  transferBytes: xs.reduce((s, x) => s + x.transferBytes, 0),
  files: xs.map(({ name, gzipBytes }) => ({ name, gzipBytes })).sort((a, b) => b.gzipBytes - a.gzipBytes),
});

/** `GET /queues/cases?limit=50` for the queue; the path alone for the rest. */
function requestName(url: string): string {
  const u = new URL(url);
  const limit = u.searchParams.get('limit');
  return `${u.pathname}${limit ? `?limit=${limit}` : ''}`;
}

function screenRequests(runs: { what: string; ms: number; answeredMs: number }[][]): ScreenRequest[] {
  const names = [...new Set(runs.flat().map((r) => r.what))];
  return names
    .map((what) => {
      const all = runs.flat().filter((r) => r.what === what);
      return {
        what,
        perRun: round(all.length / runs.length),
        p50Ms: round(
          pct(
            all.map((r) => r.ms),
            50,
          ),
        ),
        p50AnsweredMs: round(
          pct(
            all.map((r) => r.answeredMs),
            50,
          ),
        ),
      };
    })
    .sort((a, b) => a.p50AnsweredMs - b.p50AnsweredMs);
}

const roundRun = (r: ConsoleRun): ConsoleRun => ({
  ms: round(r.ms),
  requestStartMs: r.requestStartMs === null ? null : round(r.requestStartMs),
  requestMs: r.requestMs === null ? null : round(r.requestMs),
  afterAnswerMs: r.afterAnswerMs === null ? null : round(r.afterAnswerMs),
});

// Scripts for the page as strings: a function would be sent as tsx compiled it, with helpers the page lacks.

/** Notes the first animation frame with the login form's button in it, in ms since navigation start. */
const WATCH_LOGIN_FORM = `(() => {
  const frame = () => {
    if (document.querySelector('button[type=submit]')) window.benchLoginFormMs = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

const IDLE = `new Promise((resolve) => requestIdleCallback(() => resolve(undefined), { timeout: 1000 }))`;

/** The page's API requests (fetch) started since `t0`, in ms from it. */
const requestsSince = (t0: number) =>
  `performance.getEntriesByType('resource').filter((e) => e.startTime >= ${t0} && (e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest')).map((e) => ({ name: e.name, startMs: e.startTime - ${t0}, endMs: e.responseEnd - ${t0} }))`;

/**
 * Clicks (the element matching `selector`, or the link named 工作台) and resolves at the first animation frame
 * in which a table in the page's main holds ROWS rows: the time from the click, and the queue request's own
 * timing (the first GET /queues/cases for ROWS rows sent after the click).
 */
function timedUntilRows(selector: string | null): string {
  const target = selector
    ? `document.querySelector(${JSON.stringify(selector)})`
    : `Array.from(document.querySelectorAll('a')).find((a) => a.textContent.trim() === '工作台')`;
  return `new Promise((resolve, reject) => {
    const target = ${target};
    if (!target) return reject(new Error('nothing to click: ${selector ?? 'no 工作台 link'}'));
    const t0 = performance.now();
    target.click();
    const frame = () => {
      const now = performance.now();
      const rows = Math.max(0, ...Array.from(document.querySelectorAll('main table')).map((t) => t.querySelectorAll('tbody tr[data-row-key]').length));
      if (rows >= ${ROWS}) {
        const request = performance.getEntriesByType('resource').find((e) => e.startTime >= t0 && e.name.includes('/queues/cases?') && /[?&]limit=${ROWS}(&|$)/.test(e.name));
        resolve({ t0, ms: now - t0, requestStartMs: request ? request.startTime - t0 : null, requestMs: request ? request.responseEnd - request.startTime : null, afterAnswerMs: request ? now - request.responseEnd : null });
      } else if (now - t0 > 30000) {
        reject(new Error('the queue showed ' + rows + ' rows after 30 s'));
      } else {
        requestAnimationFrame(frame);
      }
    };
    requestAnimationFrame(frame);
  })`;
}
