import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { rememberLayouts } from '../templates/layout-memo.js';
import { loadFonts } from '../templates/render.js';

type Run = { glyphs: { id: number }[]; positions: Record<string, number>[]; advanceWidth: number };
const layoutOf = (font: fontkit.Font, text: string) => font.layout(text) as unknown as Run;
const shape = (run: Run) => ({
  ids: run.glyphs.map((g) => g.id),
  positions: run.positions.map((p) => ({ ...p })),
  advanceWidth: run.advanceWidth,
});

const TEXTS = [
  '申请人张三与被申请人李四借款合同纠纷一案，经调解，双方自愿达成如下协议：',
  '一、被申请人于2027年3月31日前向申请人支付人民币12,000元（¥12,000.00）。',
  '（2026）揭非诉字第0001号',
  'office ﬁle fi fl',
  '',
  ' ',
  '。',
];

let plain: fontkit.Font;
let remembered: fontkit.Font;

beforeAll(() => {
  const { regular } = loadFonts();
  plain = fontkit.create(regular);
  // Room for about three of the texts below: the list also runs through the oldest being forgotten.
  remembered = rememberLayouts(fontkit.create(regular), 110);
});

describe('text layouts remembered across documents', () => {
  it('when a text is laid out again, then the answer is what the font itself gives, however the last answer was changed', () => {
    // Each text three times in a row (remembered), and the list twice over (each forgotten before it comes again).
    for (const round of [1, 2]) {
      for (const text of TEXTS) {
        for (const time of [1, 2, 3]) {
          const answer = layoutOf(remembered, text);
          expect(shape(answer), `${text} (round ${round}, time ${time})`).toEqual(shape(layoutOf(plain, text)));
          // pdfkit scales the positions of the run it is given in place: the next answer must not see that.
          for (const p of answer.positions) p.xAdvance = (p.xAdvance ?? 0) * 12;
        }
      }
    }
  });

  it('when a layout asks for features, then the font itself answers it, not the memo', () => {
    const vertical = (font: fontkit.Font, text: string) =>
      (font.layout as unknown as (t: string, f: string[]) => Run)(text, ['vert']);
    const text = '（二〇二六年）。';
    layoutOf(remembered, text);
    // The vertical forms are other glyphs: a memo answering this call would give the horizontal ones.
    expect(shape(vertical(plain, text)).ids).not.toEqual(shape(layoutOf(plain, text)).ids);
    expect(shape(vertical(remembered, text))).toEqual(shape(vertical(plain, text)));
  });

  it('when a document is written with layouts remembered, then its bytes are those written without, cold or warm', async () => {
    const write = (font: fontkit.Font) => {
      const created = new Date('2026-11-25T02:00:00.000Z');
      const doc = new PDFDocument({ size: 'A4', info: { CreationDate: created, ModDate: created } });
      doc.registerFont('serif', font as unknown as Buffer);
      doc.font('serif').fontSize(12);
      for (const text of TEXTS) doc.text(text, { width: 300 });
      doc.fontSize(9).text(TEXTS.join(''), { width: 120, align: 'justify' });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
      doc.end();
      return done;
    };
    const { regular } = loadFonts();
    const fresh = rememberLayouts(fontkit.create(regular));
    const expected = await write(plain);
    expect(await write(fresh)).toEqual(expected);
    expect(await write(fresh)).toEqual(expected);
  });
});
