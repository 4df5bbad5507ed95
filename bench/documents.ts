/**
 * Documents benchmark: milliseconds per agreement on a warm process and the file size, against bare
 * pdfkit writing the same text with the same font (no layout, no QR, no page numbers). Steps in between
 * say where the difference goes: the fonts parsed once per process (as our renderer keeps them), one call
 * per string as the template makes them, then in the template's two fonts (the bold subset), then the QR
 * code as well; the rest is the template's layout and the page numbers.
 */
import os from 'node:os';
import PDFDocument from 'pdfkit';
import { agreementTemplate } from '../templates/agreement.js';
import { sampleAgreement } from '../templates/fixtures.js';
import { FONT, drawQr, loadFonts, parsedFonts, renderPdf } from '../templates/render.js';
import { mean, pct, round } from './stats.js';

export type DocumentsBench = {
  msPerAgreement: number;
  p50Ms: number;
  p99Ms: number;
  bytes: number;
  barePdfkitMs: number;
  ratio: number;
  runs: number;
  /** The text calls the template makes (bare pdfkit writes their strings in one). */
  strings: number;
  /** Mean ms of bare pdfkit with each addition in turn, measured in the same run. */
  steps: { bareParsedOnceMs: number; bareCallPerStringMs: number; bareTwoFontsMs: number; bareTwoFontsQrMs: number };
};

const ctx = {
  createdAt: '2026-11-25T02:00:00.000Z',
  verificationCode: 'BENCH-0000',
  verifyUrl: 'http://localhost:3000/verify/BENCH-0000',
};

/**
 * Bare pdfkit: the text in the regular font in one call (the font file given to pdfkit, as its docs show,
 * or, `parsedOnce`, the font parsed once per process as our renderer does), or (`segments`) each string in
 * its own font, and a QR code.
 */
async function bare(
  input: { text: string; parsedOnce: boolean } | { segments: Segment[]; qr: boolean },
): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(ctx.createdAt) } });
  const naive = 'text' in input && !input.parsedOnce;
  const { regular, bold } = naive ? loadFonts() : (parsedFonts() as unknown as { regular: Buffer; bold: Buffer });
  doc.registerFont(FONT.regular, regular);
  if ('text' in input) {
    doc.font(FONT.regular).fontSize(12).text(input.text);
  } else {
    doc.registerFont(FONT.bold, bold);
    for (const s of input.segments) doc.font(s.font).fontSize(12).text(s.text);
    if (input.qr) drawQr(doc, ctx.verifyUrl, 400, 700, 72);
  }
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  doc.end();
  return done;
}

type Segment = { font: string; text: string };

/** Every string the template writes, with the font it is written in, captured from one render. */
async function textOfTemplate(view: ReturnType<typeof sampleAgreement>): Promise<Segment[]> {
  const segments: Segment[] = [];
  const proto = PDFDocument.prototype as unknown as {
    text: (...args: unknown[]) => unknown;
    font: (...args: unknown[]) => unknown;
  };
  const { text, font } = proto;
  let current: string = FONT.regular;
  proto.font = function (this: unknown, ...args: unknown[]) {
    if (typeof args[0] === 'string') current = args[0];
    return font.apply(this, args);
  };
  proto.text = function (this: unknown, ...args: unknown[]) {
    if (typeof args[0] === 'string') segments.push({ font: current, text: args[0] });
    return text.apply(this, args);
  };
  try {
    await renderPdf(agreementTemplate, view, ctx);
  } finally {
    proto.text = text;
    proto.font = font;
  }
  return segments;
}

export async function benchDocuments(runs = 30): Promise<DocumentsBench> {
  const view = sampleAgreement();
  const segments = await textOfTemplate(view);
  const text = segments.map((x) => x.text).join('\n');
  const variants = {
    ours: () => renderPdf(agreementTemplate, view, ctx),
    bare: () => bare({ text, parsedOnce: false }),
    parsedOnce: () => bare({ text, parsedOnce: true }),
    callPerString: () => bare({ segments: segments.map((x) => ({ ...x, font: FONT.regular })), qr: false }),
    twoFonts: () => bare({ segments, qr: false }),
    twoFontsQr: () => bare({ segments, qr: true }),
  };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, [] as number[]])) as Record<
    keyof typeof variants,
    number[]
  >;
  let bytes = 0;
  // Warm: fonts read, code paths compiled.
  for (const v of Object.values(variants)) await v();
  // Interleaved, so drift on the machine falls on every variant alike.
  for (let i = 0; i < runs; i++) {
    for (const [name, v] of Object.entries(variants) as [keyof typeof variants, () => Promise<Buffer>][]) {
      const t = performance.now();
      const pdf = await v();
      times[name].push(performance.now() - t);
      if (name === 'ours') bytes = pdf.length;
    }
  }
  const m = mean(times.ours);
  const bareMean = mean(times.bare);
  return {
    msPerAgreement: round(m),
    p50Ms: round(pct(times.ours, 50)),
    p99Ms: round(pct(times.ours, 99)),
    bytes,
    barePdfkitMs: round(bareMean),
    ratio: round(m / bareMean),
    runs,
    strings: segments.length,
    steps: {
      bareParsedOnceMs: round(mean(times.parsedOnce)),
      bareCallPerStringMs: round(mean(times.callPerString)),
      bareTwoFontsMs: round(mean(times.twoFonts)),
      bareTwoFontsQrMs: round(mean(times.twoFontsQr)),
    },
  };
}

export function machine() {
  return {
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
}
