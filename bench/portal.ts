/**
 * The party portal as a party's phone meets it (issue 16: "fast on a phone"): Chromium driven by
 * playwright-core, as the browser tests drive it, emulating a small Android phone on a slow mobile network.
 *
 * The login asks the API for nothing before a party types, so these run before Temporal and PostgreSQL start:
 * the built portal (a copy, so a rebuild elsewhere does not replace the files under the page) served by the
 * API's own router (api/web.ts), with its headers, its Content-Security-Policy and its gzip: the router
 * gzips text assets (level 9) for a browser that accepts it, as Chromium does, so what is timed is what a
 * phone gets from the API with nothing in front of it.
 *
 * - Bundle: the JavaScript the first screen (the login) loads, counted from the script responses Chromium
 *   received in a fresh context: the bytes on the wire (gzipped by the API), how many came gzip-encoded, and
 *   each body gzipped at zlib's default level as `npm run web:build` counts it (its check,
 *   `firstScreenSize('portal')`, fails the build above 150 kB; its figure is reported beside). The API's
 *   level 9 may send a little less than the build counts.
 * - First usable screen: cold loads (a new browser context each, so an empty HTTP cache, no cookies, no
 *   storage), timed inside the page from navigation start (the time origin, before the HTML is requested) to
 *   the first animation frame in which the access code's input (#access-code, labelled 查询码) is rendered,
 *   visible and enabled: the moment a party can type.
 * - Signed in (`benchPortalCase`, once the servers run): the demo case brought to the signing step, its
 *   applicant signed in on the same phone and network, and taps on 我的案件 timed to the case on screen.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium, devices, type Browser, type BrowserContext } from 'playwright-core';
import { createApp } from '../api/app.js';
import { portalRouter } from '../api/web.js';
import { DEMO_PASSWORD } from '../db/demo-seed.js';
import { latestSmsBody } from '../db/tooling.js';
import { createOutboxSms } from '../infra/sms.js';
import { ensureDemoPortalCase } from '../scripts/demo-portal-case.js';
import { firstScreenSize } from '../scripts/web-build.js';
import {
  closeServer,
  executablePath,
  isScript,
  measureScript,
  total,
  type PreparedWeb,
  type Scripts,
} from './console.js';
import type { BenchStack } from './stack.js';
import { pct, round } from './stats.js';

/**
 * The phone: Playwright's Galaxy S8 (360×740 CSS pixels, device scale factor 3, mobile, touch, an Android
 * Chrome user agent), a cheap Android phone's screen, with its CPU slowed 4× (Lighthouse's mobile default).
 */
export const PHONE = devices['Galaxy S8']!;
export const CPU_SLOWDOWN = 4;

/**
 * Lighthouse's "slow 4G" (its mobile default): 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, as Lighthouse
 * itself applies it through the DevTools protocol. Chromium throttles each request, not packets, so Lighthouse
 * multiplies the round trip by 3.75 (a request's latency: 562.5 ms) and the throughputs by 0.9 (1474.56 and
 * 675 kbit/s, of 1024 bits); the same figures as DevTools' own "Slow 4G" preset. CDP takes latency in ms
 * and throughput in bytes per second.
 */
export const SLOW_4G = {
  rttMs: 150,
  downKbps: 1.6 * 1024,
  upKbps: 750,
  latencyFactor: 3.75,
  throughputFactor: 0.9,
} as const;

/** `Network.emulateNetworkConditions`'s parameters for a profile: latency in ms, throughputs in bytes/s. */
export function networkConditions(p: {
  rttMs: number;
  downKbps: number;
  upKbps: number;
  latencyFactor: number;
  throughputFactor: number;
}) {
  return {
    offline: false,
    latency: p.rttMs * p.latencyFactor,
    downloadThroughput: Math.floor((p.downKbps * p.throughputFactor * 1024) / 8),
    uploadThroughput: Math.floor((p.upKbps * p.throughputFactor * 1024) / 8),
    connectionType: 'cellular4g' as const,
  };
}

/** Cold loads, in ms from navigation start: the first usable login, and the last script received. */
export type ColdLoads = { p50Ms: number; p95Ms: number; maxMs: number; scriptsP50Ms: number };

export type PortalBench =
  | { skipped: string }
  | {
      build: 'built' | 'up to date';
      browser: string;
      phone: { viewport: string; deviceScaleFactor: number; cpuSlowdown: number };
      network: {
        name: string;
        rttMs: number;
        downKbps: number;
        upKbps: number;
        applied: ReturnType<typeof networkConditions>;
      };
      bundle: {
        /** As received (`transferBytes`: the encoded bodies, gzipped by the API at level 9), and each body gzipped as the build counts (`gzipBytes`). */
        scripts: Scripts;
        /** How many of the scripts came with `Content-Encoding: gzip` (all of them, when the API compresses). */
        gzipEncodedFiles: number;
        /** `npm run web:build`'s own figure for the same screen (from index.html's script and preload tags; zlib's default level). */
        buildCheckBytes: number;
      };
      /** Timed cold loads (after one untimed load). */
      samples: number;
      firstUsable: ColdLoads;
      /** Signed in on the same phone and network: 我的案件 (added when the servers run). */
      caseScreen?: PortalCaseBench;
    };

export type PortalCaseBench =
  | { skipped: string }
  | {
      /** The demo case (scripts/demo-portal-case.ts) at the signing step, driven there through the API and a worker. */
      caseNumber: string;
      /**
       * From the 登录 tap to 我的案件's first content (the session's answers, then GET /cases/:id: nothing cached),
       * the page and its code already loaded. One sample: a party may ask for only a few codes an hour.
       */
      signInToCaseMs: number;
      /** Timed taps on 我的案件 from 文书 (after one untimed). */
      runs: number;
      /** To the first frame with the case's status: shown from the query cache, fetched again meanwhile. */
      shown: { p50Ms: number; p95Ms: number; maxMs: number };
      /** To the first frame after the fresh GET /cases/:id was answered. */
      current: { p50Ms: number; p95Ms: number; maxMs: number };
      /** p50 of GET /cases/:id, from the page's resource timing: most of `current` on this network. */
      requestP50Ms: number;
    };

export async function benchPortal(
  prepared: Extract<PreparedWeb, { ready: true }>,
  opts: { samples: number; log: (line: string) => void },
): Promise<PortalBench> {
  const { log } = opts;
  const server = await serve(prepared.distDir);

  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true });
  } catch (err) {
    await closeServer(server.server);
    return { skipped: `Chromium at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}` };
  }
  const applied = networkConditions(SLOW_4G);
  const contexts: BrowserContext[] = [];
  try {
    log(
      `portal: ${opts.samples + 1} cold loads, as the API serves them, on a ${PHONE.viewport.width}×${PHONE.viewport.height} phone, CPU ${CPU_SLOWDOWN}× slower, slow 4G`,
    );
    const loads: { usableMs: number; scriptsMs: number }[] = [];
    let bundle: { scripts: Scripts; gzipEncodedFiles: number } | undefined;
    for (let i = 0; i <= opts.samples; i++) {
      const { context, page } = await phonePage(browser);
      contexts.push(context);
      const scripts: Promise<{ name: string; gzipBytes: number; transferBytes: number }>[] = [];
      let gzipEncodedFiles = 0;
      if (i === 0) {
        page.on('response', (r) => {
          if (!isScript(r)) return;
          if (/\bgzip\b/.test(r.headers()['content-encoding'] ?? '')) gzipEncodedFiles++;
          scripts.push(measureScript(r));
        });
      }
      await page.addInitScript(WATCH_USABLE);
      await page.goto(`${server.base}/portal/`, { waitUntil: 'commit', timeout: 60_000 });
      // A function, not a string: the page's CSP forbids evaluating strings.
      const usable = await page.waitForFunction(
        () => (globalThis as { benchUsable?: unknown }).benchUsable,
        undefined,
        { timeout: 60_000, polling: 100 },
      );
      const load = (await usable.jsonValue()) as { usableMs: number; scriptsMs: number };
      // The first load is not timed (Chromium's own first-use costs); its scripts are counted, up to the network's rest.
      if (i === 0) {
        await page.waitForLoadState('networkidle', { timeout: 60_000 });
        bundle = { scripts: total(await Promise.all(scripts)), gzipEncodedFiles };
      } else loads.push(load);
      await context.close();
      contexts.pop();
      if (i > 0 && i % 5 === 0) log(`portal: ${i} of ${opts.samples} timed cold loads`);
    }
    const usable = loads.map((x) => x.usableMs);
    return {
      build: prepared.build,
      browser: `Chromium ${browser.version()}, headless`,
      phone: {
        viewport: `${PHONE.viewport.width}×${PHONE.viewport.height}`,
        deviceScaleFactor: PHONE.deviceScaleFactor,
        cpuSlowdown: CPU_SLOWDOWN,
      },
      network: {
        name: 'slow 4G (Lighthouse)',
        rttMs: SLOW_4G.rttMs,
        downKbps: SLOW_4G.downKbps,
        upKbps: SLOW_4G.upKbps,
        applied,
      },
      bundle: { ...bundle!, buildCheckBytes: firstScreenSize('portal', prepared.distDir).total },
      samples: opts.samples,
      firstUsable: {
        p50Ms: round(pct(usable, 50)),
        p95Ms: round(pct(usable, 95)),
        maxMs: round(Math.max(...usable)),
        scriptsP50Ms: round(
          pct(
            loads.map((x) => x.scriptsMs),
            50,
          ),
        ),
      },
    };
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser.close();
    await closeServer(server.server);
  }
}

/** A phone's context with the CPU and the network throttled. */
async function phonePage(browser: Browser) {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', networkConditions(SLOW_4G));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { context, page };
}

/**
 * Signed in as the demo case's applicant on the throttled phone: the 登录 tap to the case's first content
 * (its 当前状态), then taps on 我的案件 from 文书, each timed inside the page from the tap to the first
 * animation frame showing the case's status. The session is kept (a party's token lives in the page's memory
 * only); the screen asks the API again at each opening (staleTime 0), so a tap times the route's mount,
 * GET /cases/:id over the slow network (session, access check, the record) and drawing.
 */
export async function benchPortalCase(
  stack: BenchStack,
  prepared: Extract<PreparedWeb, { ready: true }>,
  opts: { runs: number; log: (line: string) => void },
): Promise<PortalCaseBench> {
  const { log } = opts;
  const taskQueue = 'bench-portal';
  log('portal: starting a worker process and bringing the demo case to the signing step');
  const worker = await stack.spawnWorker(taskQueue);
  const app = express();
  app.use('/portal', portalRouter({ distDir: prepared.distDir }));
  app.use(
    createApp({
      db: stack.db,
      temporal: stack.client,
      cipher: stack.cipher,
      sms: createOutboxSms(stack.db, stack.cipher),
      taskQueue,
      log: () => undefined,
      auth: { staffSessionMs: 30 * 60_000, partySessionMs: 15 * 60_000, oneTimeCodeMs: 5 * 60_000 },
    }),
  );
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let browser: Browser | undefined;
  try {
    const demo = await ensureDemoPortalCase({ apiUrl: base, db: stack.db, password: DEMO_PASSWORD });
    browser = await chromium.launch({ executablePath, headless: true });
    const { page } = await phonePage(browser);
    await page.goto(`${base}/portal/`, { timeout: 60_000 });
    await page.getByLabel('查询码').fill(demo.accessCode);
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    const smsField = page.getByLabel('短信验证码');
    await smsField.waitFor({ timeout: 60_000 });
    const sms = await latestSmsBody(stack.db, demo.partyId, 'one_time_code');
    const code = sms ? /验证码为(\d{6})/.exec(stack.cipher.decrypt(sms))?.[1] : undefined;
    if (!code) return { skipped: 'no one-time code in the SMS outbox for the demo applicant' };
    await smsField.fill(code);
    const signIn = (await page.evaluate(tappedUntilCase('button[type=submit]'))) as { ms: number };
    log(`portal: signed in; 1 untimed + ${opts.runs} timed taps on 我的案件`);
    const runs: { ms: number; currentMs: number; requestMs: number }[] = [];
    for (let i = 0; i <= opts.runs; i++) {
      await page.getByRole('link', { name: '文书', exact: true }).click();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: '文书' }).waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle', { timeout: 60_000 });
      const run = (await page.evaluate(tappedUntilCase(null))) as { ms: number; currentMs: number; requestMs: number };
      if (i > 0) runs.push(run);
    }
    const spread = (xs: number[]) => ({
      p50Ms: round(pct(xs, 50)),
      p95Ms: round(pct(xs, 95)),
      maxMs: round(Math.max(...xs)),
    });
    return {
      caseNumber: demo.caseNumber,
      signInToCaseMs: round(signIn.ms),
      runs: runs.length,
      shown: spread(runs.map((r) => r.ms)),
      current: spread(runs.map((r) => r.currentMs)),
      requestP50Ms: round(
        pct(
          runs.map((r) => r.requestMs),
          50,
        ),
      ),
    };
  } catch (err) {
    return { skipped: `the signed-in case screen could not be measured: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await browser?.close();
    await closeServer(server);
    await worker.kill();
  }
}

/**
 * Taps (the element matching `selector`, or the link named 我的案件) and resolves once the case's current
 * answer is on screen: `ms` at the first animation frame showing the case's status (from TanStack Query's
 * cache when the screen was opened before), `currentMs` at the first frame after GET /cases/:id, sent after
 * the tap, was answered (a resource entry appears when its response has ended), and the request's own time.
 */
function tappedUntilCase(selector: string | null): string {
  const target = selector
    ? `document.querySelector(${JSON.stringify(selector)})`
    : `Array.from(document.querySelectorAll('nav a')).find((a) => a.textContent.trim() === '我的案件')`;
  return `new Promise((resolve, reject) => {
    const target = ${target};
    if (!target) return reject(new Error('nothing to tap: ${selector ?? 'no 我的案件 link'}'));
    const t0 = performance.now();
    let ms = null;
    let answered = null;
    target.click();
    const frame = () => {
      const now = performance.now();
      if (ms === null && document.querySelector('[data-testid=case-status]')) ms = now - t0;
      if (answered !== null && ms !== null) {
        return resolve({ ms, currentMs: now - t0, requestMs: answered.responseEnd - answered.startTime });
      }
      answered = performance.getEntriesByType('resource').find((e) => e.startTime >= t0 && /^[/]cases[/][^/]+$/.test(new URL(e.name).pathname)) || null;
      if (now - t0 > 60000) reject(new Error('no current case status 60 s after the tap'));
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })`;
}

/** The built portal through the API's own router alone, as the API serves it (gzip included), on a port of its own. */
async function serve(distDir: string): Promise<{ server: Server; base: string }> {
  const app = express();
  app.use('/portal', portalRouter({ distDir }));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// A script for the page as a string: a function would be sent as tsx compiled it, with helpers the page lacks.

/**
 * Notes the first animation frame in which the access code's input is rendered, visible and enabled, in ms
 * since navigation start, and when the last script response ended by then.
 */
const WATCH_USABLE = `(() => {
  const frame = () => {
    const input = document.getElementById('access-code');
    if (input && !input.disabled && input.checkVisibility() && input.getBoundingClientRect().height > 0) {
      const usableMs = performance.now();
      const scripts = performance.getEntriesByType('resource').filter((e) => /\\.js$/.test(new URL(e.name).pathname));
      window.benchUsable = { usableMs, scriptsMs: Math.max(0, ...scripts.map((e) => e.responseEnd)) };
    } else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;
