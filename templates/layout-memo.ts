/**
 * Text layout shared by every document a process renders. pdfkit asks the font to lay out each run of text
 * (every word, and for Chinese every character while it wraps lines) and keeps the answers only for the document
 * at hand, so each new document shaped the same characters again: that was most of a document's rendering time.
 * Here the parsed font remembers its layouts across documents. A layout depends only on the font and the text
 * (pdfkit passes no features unless a template asks for some, and those calls are not remembered), so a document's
 * bytes are the same whether its runs were laid out now or remembered.
 */
import type * as fontkit from 'fontkit';

/** What fontkit's layout returns and pdfkit reads: glyphs, and positions pdfkit scales in place. */
type Position = Record<string, number>;
type GlyphRun = { glyphs: unknown[]; positions: Position[] };

/** Enough for the characters and phrases of many documents (a few hundred bytes each). */
export const LAYOUT_MEMO_SIZE = 20_000;

const remembering = new WeakSet<object>();

/**
 * Makes `font.layout(text)` answer from memory for a text laid out before. Each answer is a new run with its own
 * copies of the positions, because pdfkit multiplies them by the font size where they are.
 */
export function rememberLayouts(font: fontkit.Font, size = LAYOUT_MEMO_SIZE): fontkit.Font {
  if (remembering.has(font)) return font;
  remembering.add(font);
  const layout = font.layout.bind(font) as (text: string, ...rest: unknown[]) => GlyphRun;
  const memo = new Map<string, GlyphRun>();
  // A run like `kept` (fontkit's GlyphRun, whose advanceWidth sums the positions), with positions of its own.
  const copy = (kept: GlyphRun): GlyphRun =>
    Object.assign(Object.create(Object.getPrototypeOf(kept) as object) as GlyphRun, kept, {
      positions: kept.positions.map((p) => ({ ...p })),
    });
  (font as { layout: unknown }).layout = (text: string, ...rest: unknown[]): GlyphRun => {
    if (typeof text !== 'string' || rest.some((r) => r !== undefined)) return layout(text, ...rest);
    let kept = memo.get(text);
    if (kept) {
      // Most recently used last: the oldest goes first when the memo is full.
      memo.delete(text);
    } else {
      kept = copy(layout(text));
      if (memo.size >= size) memo.delete(memo.keys().next().value!);
    }
    memo.set(text, kept);
    return copy(kept);
  };
  return font;
}
