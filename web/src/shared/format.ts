/** Dates, times and amounts as a clerk in China reads them: China Standard Time whatever the browser's zone. */
const TIME_ZONE = 'Asia/Shanghai';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});
const yuan = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });

/** An instant (ISO 8601) as 2026年12月2日 10:30. */
export const formatDateTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');

/**
 * When a period ends: a period runs to 24:00 of its last day (民事诉讼法 Art 85), which is 00:00 of the next
 * day as an instant. Shown as 2026年12月4日 24:00, as the deadline's own explanation writes it, not as the 5th.
 */
export function formatDue(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  if (parts.hour === '00' && parts.minute === '00' && parts.second === '00')
    return `${dateOnly.format(new Date(t.getTime() - 1))} 24:00`;
  return dateTime.format(t);
}

/** An instant as its China date, 2026年12月2日. */
export const formatDate = (iso: string | null | undefined): string => (iso ? dateOnly.format(new Date(iso)) : '—');

/** A calendar day (YYYY-MM-DD, already a China date) as 2026年12月2日. */
export function formatDay(day: string | null | undefined): string {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '—';
}

/** An amount in fen (分) as ¥12,000.00. */
export const formatFen = (fen: number | null | undefined): string =>
  fen === null || fen === undefined ? '—' : yuan.format(fen / 100);

/** Whole days from today until the day a period ends (0: today, negative once passed), in China dates. */
export function daysUntil(dueIso: string, now = new Date()): number {
  const day = (d: Date) => Date.parse(new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(d));
  // The last moment inside the period: a due time of 00:00 belongs to the day before (formatDue).
  return Math.round((day(new Date(Date.parse(dueIso) - 1)) - day(now)) / 86_400_000);
}
