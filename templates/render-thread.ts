/** A render thread: renders what the pool sends it, by template id, and sends the bytes back. */
import { parentPort } from 'node:worker_threads';
import { TEMPLATES } from './catalogue.js';
import { renderPdf, type RenderContext } from './render.js';

export type RenderJob = { id: number; templateId: string; view: unknown; ctx: RenderContext & { createdAt: string } };
export type RenderResult = { id: number; bytes?: Uint8Array; error?: string };

parentPort!.on('message', (job: RenderJob) => {
  const template = TEMPLATES[job.templateId];
  const reply = (r: RenderResult) => parentPort!.postMessage(r, r.bytes ? [r.bytes.buffer as ArrayBuffer] : []);
  if (!template) return reply({ id: job.id, error: `no template ${job.templateId}` });
  renderPdf(template, job.view as never, job.ctx).then(
    (bytes) => reply({ id: job.id, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice() }),
    (err: unknown) => reply({ id: job.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
