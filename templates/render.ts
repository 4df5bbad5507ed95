/**
 * Renders a template to PDF bytes with pdfkit: A4, an embedded Chinese serif (Noto Serif SC, subset to
 * the characters used), page numbers, and the verification code with a QR code of the verify URL.
 * Deterministic: the creation date comes from the caller (the workflow), nothing is random, so the same
 * inputs always give the same bytes and the same SHA-256.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { pageLabel } from './format.js';
import { rememberLayouts } from './layout-memo.js';

export type RenderContext = { verificationCode: string; verifyUrl: string };

export type Template<V> = {
  id: string;
  version: string;
  title: (view: V) => string;
  render: (doc: PDFKit.PDFDocument, view: V, ctx: RenderContext) => void;
};

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** The font files, read once per process. */
export function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
  };
  return fonts;
}

let parsed: { regular: fontkit.Font; bold: fontkit.Font } | undefined;
/**
 * The fonts parsed once per process (15 MB each: parsing took a third of an agreement's rendering time), each
 * remembering the layouts of its texts across documents (templates/layout-memo.ts). pdfkit takes a parsed font
 * as it takes the file, and makes each document its own subset of it.
 */
export function parsedFonts(): { regular: fontkit.Font; bold: fontkit.Font } {
  const files = loadFonts();
  parsed ??= {
    regular: rememberLayouts(fontkit.create(files.regular)),
    bold: rememberLayouts(fontkit.create(files.bold)),
  };
  return parsed;
}

export const PAGE = { size: 'A4' as const, margins: { top: 72, bottom: 72, left: 80, right: 80 } };
export const FONT = { regular: 'serif', bold: 'serif-bold' };

/** How documents are rendered (activities take one, so a test or a benchmark may time or replace it). */
export type Render = <V>(template: Template<V>, view: V, ctx: RenderContext & { createdAt: string }) => Promise<Buffer>;

export async function renderPdf<V>(
  template: Template<V>,
  view: V,
  opts: RenderContext & { createdAt: string },
): Promise<Buffer> {
  const { regular, bold } = parsedFonts();
  const created = new Date(opts.createdAt);
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: PAGE.margins,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: template.title(view),
      Creator: `${template.id}@${template.version}`,
      Producer: 'odr-case-center',
      CreationDate: created,
      ModDate: created,
    },
  });
  // (@types/pdfkit names only files and buffers; pdfkit itself takes a parsed font.)
  doc.registerFont(FONT.regular, regular as unknown as Buffer);
  doc.registerFont(FONT.bold, bold as unknown as Buffer);
  doc.font(FONT.regular);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  template.render(doc, view, opts);

  // Page numbers on every page, once the number of pages is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - PAGE.margins.bottom + 24;
    doc.font(FONT.regular).fontSize(9).fillColor('#000');
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not add a page
    doc.text(pageLabel(i - range.start + 1, range.count), PAGE.margins.left, bottom, {
      width: doc.page.width - PAGE.margins.left - PAGE.margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return done;
}

/** Draws a QR code of `text` as filled squares (vector, no image), `size` points wide. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 8); // 4-module quiet zone on each side
  doc.save().fillColor('#000');
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x + (c + 4) * cell, y + (r + 4) * cell, cell, cell);
  }
  doc.fill().restore();
}

/** The verification box at the end of a document: code, URL and QR code. */
export function verificationBox(doc: PDFKit.PDFDocument, ctx: RenderContext): void {
  const size = 72;
  if (doc.y + size + 10 > doc.page.height - PAGE.margins.bottom) doc.addPage();
  const y = doc.y + 10;
  const x = doc.page.width - PAGE.margins.right - size;
  drawQr(doc, ctx.verifyUrl, x, y, size);
  doc
    .font(FONT.regular)
    .fontSize(9)
    .text(`文书验证码：${ctx.verificationCode}`, PAGE.margins.left, y + 18, { width: x - PAGE.margins.left - 10 });
  doc.text(`核验地址：${ctx.verifyUrl}`, { width: x - PAGE.margins.left - 10 });
  doc.y = y + size + 4;
}
