/**
 * Documents benchmark: milliseconds per agreement on a warm process and the file size, against bare
 * pdfkit writing the same text with the same font (no layout, no QR, no page numbers).
 */
import os from 'node:os';
import PDFDocument from 'pdfkit';
import { agreementTemplate } from '../templates/agreement.js';
import { sampleAgreement } from '../templates/fixtures.js';
import { loadFonts, renderPdf } from '../templates/render.js';

export type DocumentsBench = { msPerAgreement: number; p50Ms: number; p99Ms: number; bytes: number; barePdfkitMs: number; ratio: number; runs: number };

const ctx = { createdAt: '2026-11-25T02:00:00.000Z', verificationCode: 'BENCH-0000', verifyUrl: 'http://localhost:3000/verify/BENCH-0000' };

async function bare(text: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(ctx.createdAt) } });
  doc.registerFont('serif', loadFonts().regular);
  doc.font('serif').fontSize(12).text(text);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  doc.end();
  return done;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** Every string the template writes, captured from one render, so bare pdfkit writes the same text. */
async function textOfTemplate(view: ReturnType<typeof sampleAgreement>): Promise<string> {
  const strings: string[] = [];
  const proto = PDFDocument.prototype as unknown as { text: (...args: unknown[]) => unknown };
  const original = proto.text;
  proto.text = function (this: unknown, ...args: unknown[]) {
    if (typeof args[0] === 'string') strings.push(args[0]);
    return original.apply(this, args);
  };
  try {
    await renderPdf(agreementTemplate, view, ctx);
  } finally {
    proto.text = original;
  }
  return strings.join('\n');
}

export async function benchDocuments(runs = 30): Promise<DocumentsBench> {
  const view = sampleAgreement();
  const text = await textOfTemplate(view);
  // Warm: fonts read, code paths compiled.
  await renderPdf(agreementTemplate, view, ctx);
  await bare(text);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    bytes = (await renderPdf(agreementTemplate, view, ctx)).length;
    times.push(performance.now() - t);
  }
  const bareTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await bare(text);
    bareTimes.push(performance.now() - t);
  }
  const mean = times.reduce((a, b) => a + b, 0) / runs;
  const bareMean = bareTimes.reduce((a, b) => a + b, 0) / runs;
  return { msPerAgreement: round(mean), p50Ms: round(pct(times, 50)), p99Ms: round(pct(times, 99)), bytes, barePdfkitMs: round(bareMean), ratio: round(mean / bareMean), runs };
}

const round = (n: number) => Math.round(n * 100) / 100;

export function machine() {
  return { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version };
}
