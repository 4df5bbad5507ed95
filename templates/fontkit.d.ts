/** The part of fontkit (pdfkit's own font parser) this project uses: parse a font file once. */
declare module 'fontkit' {
  export interface Font {
    layout(text: string): { glyphs: unknown[] };
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
