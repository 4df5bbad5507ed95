/**
 * All formatting of official Chinese documents in one place: dates in Chinese form, amounts in figures
 * and in capitals (大写), numbered terms (一、二、…), page numbers. Pure functions.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 2026-11-25 → 二〇二六年十一月二十五日 (the form used on official documents). */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-') as [string, string, string];
  const year = [...y].map((c) => (c === '0' ? '〇' : DIGITS[Number(c)])).join('');
  return `${year}年${chineseNumber(Number(m))}月${chineseNumber(Number(d))}日`;
}

/** 1..99 as written in dates and list numbers: 十, 十一, 二十, 二十五. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new Error(`chineseNumber handles 0-999, got ${n}`);
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  const rest = n % 100;
  return `${DIGITS[Math.floor(n / 100)]}百${rest === 0 ? '' : rest < 10 ? `零${DIGITS[rest]}` : rest < 20 ? `一${chineseNumber(rest)}` : chineseNumber(rest)}`;
}

/** The n-th numbered term: 一、 二、 … 六十、 */
export function termLabel(n: number): string {
  return `${chineseNumber(n)}、`;
}

const CAPITAL_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/**
 * An amount in fen as 人民币 capitals, the way financial and legal documents write it:
 * 1200000 → 人民币壹万贰仟元整; 1005 → 人民币壹拾元零伍分; 0 → 人民币零元整.
 */
export function rmbCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new Error(`amount must be a non-negative whole number of fen, got ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let out = yuan === 0 ? '零元' : `${integerCapitals(yuan)}元`;
  if (jiao === 0 && cents === 0) return `人民币${out}整`;
  if (jiao === 0) out += yuan > 0 ? '零' : '';
  else out += `${CAPITAL_DIGITS[jiao]}角`;
  if (cents > 0) out += `${CAPITAL_DIGITS[cents]}分`;
  else out += '整';
  return `人民币${out.replace(/^零元(零)?/, '')}`;
}

function integerCapitals(n: number): string {
  const groups: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 10_000)) groups.push(v % 10_000);
  let out = '';
  let pendingZero = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g]!;
    if (group === 0) {
      pendingZero = out !== '';
      continue;
    }
    if (pendingZero || (out !== '' && group < 1000)) out += '零';
    pendingZero = false;
    out += groupCapitals(group) + BIG_UNITS[g];
  }
  return out;
}

function groupCapitals(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const digit = Math.floor(n / 10 ** i) % 10;
    if (digit === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += CAPITAL_DIGITS[digit]! + SMALL_UNITS[i];
  }
  return out;
}

/** 1200000 → ¥12,000.00 (the figures next to the capitals). */
export function rmbFigures(fen: number): string {
  const yuan = Math.floor(fen / 100).toLocaleString('en-US');
  return `¥${yuan}.${String(fen % 100).padStart(2, '0')}`;
}

/** Both forms, as agreements write an amount: 人民币壹万贰仟元整（¥12,000.00）. */
export function rmb(fen: number): string {
  return `${rmbCapitals(fen)}（${rmbFigures(fen)}）`;
}

/** 第 X 页 共 Y 页 */
export function pageLabel(page: number, pages: number): string {
  return `第 ${page} 页 共 ${pages} 页`;
}

/** Punctuation that may not begin a line (避头点), for checks on extracted text. */
export const NO_LINE_START = '，。、；：？！）》」』】〕…—’”';

/** ISO instant → 2026年11月20日10时05分, Beijing time (UTC+8, no daylight saving): pure arithmetic, no clock. */
export function beijingTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日${two(t.getUTCHours())}时${two(t.getUTCMinutes())}分`;
}
