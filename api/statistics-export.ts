/**
 * Every statistics table as a download (docs/supervision.md#statistics): CSV (RFC 4180, UTF-8 with a byte-order
 * mark so Excel reads the Chinese, CRLF) and XLSX written by exceljs, never hand-built XML. A cell that a
 * spreadsheet would read as a formula (=, +, -, @ first) is written as text (OWASP CSV injection).
 */
import ExcelJS from 'exceljs';

export type TableColumn = { key: string; header: string; format?: 'count' | 'share' | 'days' };
export type Table = { title: string; columns: TableColumn[]; rows: Record<string, string | number | null>[] };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Text that would start a formula gets a leading apostrophe; numbers stay numbers. */
function safeText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: Table): string {
  const lines = [t.columns.map((c) => csvCell(c.header))];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvCell(r[c.key] ?? null)));
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

const NUMBER_FORMATS: Record<NonNullable<TableColumn['format']>, string> = {
  count: '0',
  share: '0.00%',
  days: '0.00',
};

/** One worksheet named by the table's title (at most 31 characters, as Excel allows), the header row frozen. */
export async function toXlsx(t: Table): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '一站式非诉讼纠纷化解中心';
  const sheet = book.addWorksheet(t.title.replace(/[[\]*?/\\:]/g, ' ').slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = t.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(10, c.header.length * 2 + 2),
    ...(c.format ? { style: { numFmt: NUMBER_FORMATS[c.format] } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const r of t.rows) {
    sheet.addRow(
      Object.fromEntries(
        t.columns.map((c) => [c.key, typeof r[c.key] === 'string' ? safeText(r[c.key] as string) : r[c.key]]),
      ),
    );
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
