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

export function createRenderPool(opts: { threads?: number } = {}): { render: Render; close(): Promise<void> } {
  const self = fileURLToPath(import.meta.url);
  const ext = path.extname(self);
  const entry = pathToFileURL(path.join(path.dirname(self), `render-thread${ext}`)).href;
  // Run from TypeScript (tsx, vitest), a thread registers tsx's loader before loading its entry; built code (.js) needs nothing.
  const tsx = ext === '.ts' ? pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href : null;
  const pending = new Map<number, { thread: Worker; resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  let next = 0;
  let closing = false;
  const spawn = (): Worker => {
    const w = new Worker(BOOT, { eval: true, workerData: { entry, tsx } });
    w.on('message', (r: RenderResult) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      idle(w);
      if (r.bytes) p.resolve(Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength));
      else p.reject(new Error(r.error ?? 'render failed'));
    });
    // A thread that dies fails its jobs (the activity retries them) and is replaced.
    w.once('exit', (code) => {
      for (const [id, p] of pending) {
        if (p.thread !== w) continue;
        pending.delete(id);
        p.reject(new Error(`the render thread stopped (exit code ${code})`));
      }
      const slot = threads.indexOf(w);
      if (!closing && slot >= 0) threads[slot] = spawn();
    });
    w.on('error', () => undefined); // reported through 'exit'
    w.unref();
    return w;
  };
  // A thread keeps the process alive only while it has work.
  const idle = (w: Worker) => {
    if (![...pending.values()].some((p) => p.thread === w)) w.unref();
  };
  const threads: Worker[] = [];
  for (let i = 0; i < Math.max(1, opts.threads ?? 1); i++) threads.push(spawn());
  let turn = 0;
  return {
    render: (template, view, ctx) =>
      new Promise<Buffer>((resolve, reject) => {
        const id = next++;
        const thread = threads[turn++ % threads.length]!;
        pending.set(id, { thread, resolve, reject });
        thread.ref();
        thread.postMessage({ id, templateId: template.id, view, ctx } satisfies RenderJob);
      }),
    async close() {
      closing = true;
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}
