/**
 * Rendering off the worker's event loop: PDF layout and font subsetting are CPU work (tens of milliseconds
 * a document) that would otherwise hold up every other activity and the worker's polling. A few threads,
 * each with its own parsed fonts, take jobs in turn; the bytes are the same as rendering inline.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderPdf, type RenderContext, type Template } from './render.js';
import type { RenderJob, RenderResult } from './render-thread.js';

/** A thread's first code: tsx's loader if needed, then the render thread itself. */
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((err) => { throw err; });
`;

export type Render = <V>(template: Template<V>, view: V, ctx: RenderContext & { createdAt: string }) => Promise<Buffer>;

/** Inline, on the calling thread (tests, scripts). */
export const renderInline: Render = renderPdf;

export function createRenderPool(opts: { threads?: number; jobTimeoutMs?: number } = {}): {
  render: Render;
  close(): Promise<void>;
} {
  const self = fileURLToPath(import.meta.url);
  const ext = path.extname(self);
  const entry = pathToFileURL(path.join(path.dirname(self), `render-thread${ext}`)).href;
  // Run from TypeScript (tsx, vitest), a thread registers tsx's loader before loading its entry; built code (.js) needs nothing.
  const tsx =
    ext === '.ts'
      ? pathToFileURL(
          path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
        ).href
      : null;
  const jobTimeoutMs = opts.jobTimeoutMs ?? 60_000;
  const pending = new Map<
    number,
    { thread: Worker; resolve: (b: Buffer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  const settle = (id: number) => {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    clearTimeout(p.timer);
    // A thread keeps the process alive only while it has work.
    if (![...pending.values()].some((q) => q.thread === p.thread)) p.thread.unref();
    return p;
  };
  let next = 0;
  let closing = false;
  /** One slot per thread; null while a thread that failed early waits to be started again. */
  const threads: (Worker | null)[] = [];
  const backoff: number[] = [];
  const spawn = (slot: number): void => {
    const born = Date.now();
    const w = new Worker(BOOT, { eval: true, workerData: { entry, tsx } });
    threads[slot] = w;
    w.on('message', (r: RenderResult) => {
      const p = settle(r.id);
      if (!p) return;
      if (r.bytes) p.resolve(Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength));
      else p.reject(new Error(r.error ?? 'render failed'));
    });
    // A thread that dies fails its jobs (the activity retries them) and is replaced: at once after a long
    // life, with growing pauses (up to a minute) when it keeps failing as it starts.
    w.once('exit', (code) => {
      for (const [id, p] of pending)
        if (p.thread === w) settle(id)?.reject(new Error(`the render thread stopped (exit code ${code})`));
      if (closing) return;
      threads[slot] = null;
      backoff[slot] = Date.now() - born < 5_000 ? Math.min(60_000, Math.max(1_000, (backoff[slot] ?? 0) * 2)) : 0;
      setTimeout(() => !closing && spawn(slot), backoff[slot]).unref();
    });
    w.on('error', () => undefined); // reported through 'exit'
    w.unref();
  };
  for (let i = 0; i < Math.max(1, opts.threads ?? 1); i++) spawn(i);
  let turn = 0;
  return {
    render: (template, view, ctx) =>
      new Promise<Buffer>((resolve, reject) => {
        const live = threads.filter((t): t is Worker => t !== null);
        if (live.length === 0)
          return reject(new Error('no render thread is running (they fail as they start); see the worker log'));
        const id = next++;
        const thread = live[turn++ % live.length]!;
        // A job that never finishes takes its thread down with it; the thread is replaced.
        const timer = setTimeout(() => void thread.terminate(), jobTimeoutMs);
        timer.unref();
        pending.set(id, { thread, resolve, reject, timer });
        thread.ref();
        thread.postMessage({ id, templateId: template.id, view, ctx } satisfies RenderJob);
      }),
    async close() {
      closing = true;
      await Promise.all(threads.map((w) => w?.terminate()));
    },
  };
}
