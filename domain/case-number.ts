/**
 * Case numbers (案号): a pattern per organization (configurable, stored with the organization) with a
 * per-year sequence, e.g. （2026）揭非诉字第0001号.
 */
export const DEFAULT_CASE_NUMBER_PATTERN = '（{year}）{abbreviation}字第{sequence:4}号';

export function formatCaseNumber(pattern: string, v: { year: number; abbreviation: string; sequence: number }): string {
  return pattern.replace(/\{(year|abbreviation|sequence)(?::(\d+))?\}/g, (_, name: string, width?: string) => {
    const value = name === 'year' ? String(v.year) : name === 'abbreviation' ? v.abbreviation : String(v.sequence);
    return width ? value.padStart(Number(width), '0') : value;
  });
}

/** The calendar year in China Standard Time (UTC+8, no daylight saving), which numbers the case. */
export function chinaYear(iso: string): number {
  return new Date(Date.parse(iso) + 8 * 3600_000).getUTCFullYear();
}
