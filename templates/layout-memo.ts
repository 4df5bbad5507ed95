/**
 * Text layout shared by every document a process renders. pdfkit asks the font to lay out each run of text
 * (every word, and for Chinese every character while it wraps lines) and keeps the answers only for the document
 * at hand, so each new document shaped the same characters again: that was the largest part of rendering one.
 * Here the parsed font remembers its layouts across documents. A layout depends only on the font and the text
 * (pdfkit passes no features unless a template asks for some, and those calls are not remembered), so a document's
 * bytes are the same whether its runs were laid out now or remembered.
 */
import type * as fontkit from 'fontkit';

/** What fontkit's layout returns and pdfkit reads: glyphs, and positions pdfkit scales in place. */
type Position = Record<string, number>;
type GlyphRun = { glyphs: unknown[]; positions: Position[] };

/**
 * The memo's bound, in units of about 60 bytes (measured on Noto Serif SC: a run takes about 0.6 kB however short,
 * and about 60 bytes more a glyph; a line of 25 characters 1.7 kB): a run counts 10 units and one a glyph, so the
 * memo keeps about 12 MB a font. A text longer than the longest kept is laid out every time.
 */
export const LAYOUT_MEMO_UNITS = 200_000;
const RUN_UNITS = 10;
const LONGEST_KEPT = 200;

/**
 * Makes `font.layout(text)` answer from memory for a text laid out before. Each answer is a new run with its own
 * copies of the positions, because pdfkit multiplies them by the font size where they are.
 */
export function rememberLayouts(font: fontkit.Font, units = LAYOUT_MEMO_UNITS): fontkit.Font {
  const layout = font.layout.bind(font) as (text: string, ...rest: unknown[]) => GlyphRun;
  const memo = new Map<string, GlyphRun>();
  let kept = 0;
  const unitsOf = (run: GlyphRun) => RUN_UNITS + run.positions.length;
  // A run like `run` (fontkit's GlyphRun, whose advanceWidth sums the positions), with positions of its own.
  const copy = (run: GlyphRun): GlyphRun =>
    Object.assign(Object.create(Object.getPrototypeOf(run) as object) as GlyphRun, run, {
      positions: run.positions.map((p) => ({ ...p })),
    });
  (font as { layout: unknown }).layout = (text: string, ...rest: unknown[]): GlyphRun => {
    if (typeof text !== 'string' || rest.some((r) => r !== undefined) || text.length > LONGEST_KEPT)
      return layout(text, ...rest);
    let run = memo.get(text);
    if (run) {
      // Most recently used last: the oldest go first when the memo is full.
      memo.delete(text);
    } else {
      run = copy(layout(text));
      kept += unitsOf(run);
      for (const [oldest, gone] of memo) {
        if (kept <= units) break;
        memo.delete(oldest);
        kept -= unitsOf(gone);
      }
    }
    memo.set(text, run);
    return copy(run);
  };
  return font;
}
