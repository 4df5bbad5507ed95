/**
 * The clocks of the processes beside a case (domain/process-clocks.ts): a row counted on the real holiday calendar,
 * kept as counted or as uncomputable, stopped, run out, and read as the next timer and as the overdue list. The
 * complaint's and the 差评 follow-up's own rows are tested in complaints.test.ts and ratings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  clocksExpired,
  computeProcessClock,
  countedClock,
  nextClockTimer,
  overdueClockIds,
  withClockStopped,
  type ProcessClock,
  type ProcessClockRule,
  type WithClocks,
} from '../../domain/process-clocks.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
/** An instant at 10:00 Beijing time on a date. */
const at = (date: string) => new Date(Date.parse(`${date}T10:00:00+08:00`)).toISOString();
/** The end of a day in Beijing: a clock whose last day it is falls due then. */
const endOf = (date: string) => new Date(Date.parse(`${date}T24:00:00+08:00`)).toISOString();

type Id = 'short' | 'long';
const ROWS: Record<Id, ProcessClockRule<Id, 'event'>> = {
  short: {
    id: 'short',
    label: '回访',
    length: 1,
    unit: 'working_days',
    startsAt: 'event',
    pauses: null,
    extension: null,
    onExpiry: 'overdue',
    citation: '测试规则第一条',
  },
  long: {
    id: 'long',
    label: '处理决定',
    length: 45,
    unit: 'calendar_days',
    startsAt: 'event',
    pauses: null,
    extension: { days: 30, requires: 'approval' },
    onExpiry: 'overdue',
    citation: '测试规则第二条',
  },
};

const open = (clockId: Id, start: string): ProcessClock<Id> =>
  countedClock(computeProcessClock(clockId, ROWS[clockId], at(start), cal));

describe('a process clock counted from its row', () => {
  it('when a one-working-day clock starts on a Friday, then it is due at the end of Monday, citing its row', () => {
    const counted = computeProcessClock('short', ROWS.short, at('2026-06-05'), cal);
    expect(counted).toMatchObject({ clockId: 'short', lastDay: '2026-06-08', dueAt: endOf('2026-06-08') });
    expect(counted.explanation[0]).toContain('测试规则第一条');
  });

  it('when a 45-day clock is extended by 30 days, then it counts from the same start and its explanation says so', () => {
    const plain = computeProcessClock('long', ROWS.long, at('2026-06-01'), cal);
    const extended = computeProcessClock('long', ROWS.long, at('2026-06-01'), cal, 30);
    expect(plain.lastDay).toBe('2026-07-16');
    // 15 August 2026 is a Saturday: rolled to Monday.
    expect(extended).toMatchObject({ lastDay: '2026-08-17', extensionDays: 30, startedAt: plain.startedAt });
    expect(extended.explanation.some((line) => line.includes('延长'))).toBe(true);
  });

  it('when a clock is counted, then it is kept open with its due time; when it could not be, uncomputable and never timed', () => {
    expect(open('short', '2026-06-05')).toMatchObject({ status: 'open', dueAt: endOf('2026-06-08') });
    const uncomputable = countedClock<Id>({
      clockId: 'short',
      startedAt: at('2026-06-05'),
      problem: '2099年假日未公布',
    });
    expect(uncomputable).toMatchObject({ status: 'uncomputable', dueAt: null, explanation: ['2099年假日未公布'] });
    expect(nextClockTimer<Id>({ clocks: { short: uncomputable } })).toBeUndefined();
  });
});

describe('clocks in a state', () => {
  const state: WithClocks<Id> & { status: string } = {
    status: 'running',
    clocks: { long: open('long', '2026-06-01'), short: open('short', '2026-06-05') },
  };

  it('when two clocks run, then the next timer is the one due first, and once it is stopped the other', () => {
    expect(nextClockTimer(state)).toEqual({ clockId: 'short', at: endOf('2026-06-08') });
    const stopped = withClockStopped(state, 'short', 'met')!;
    expect(stopped).toMatchObject({
      status: 'running',
      clocks: { short: { status: 'met' }, long: { status: 'open' } },
    });
    expect(nextClockTimer(stopped)).toEqual({ clockId: 'long', at: endOf('2026-07-16') });
  });

  it('when a clock that is not running is stopped or run out, then nothing changes (undefined)', () => {
    const stopped = withClockStopped(state, 'short', 'cancelled')!;
    expect(withClockStopped(stopped, 'short', 'met')).toBeUndefined();
    expect(clocksExpired(stopped.clocks, 'short')).toBeUndefined();
    expect(withClockStopped<WithClocks<Id>>({ clocks: {} }, 'long', 'met')).toBeUndefined();
  });

  it('when a clock runs out, then it is expired with its due time, and overdue from then on', () => {
    const expired = clocksExpired(state.clocks, 'short')!;
    expect(expired.dueAt).toBe(endOf('2026-06-08'));
    expect(expired.clocks.short?.status).toBe('expired');
    expect(overdueClockIds(expired, new Date(at('2026-06-06')))).toEqual(['short']);
  });

  it('when a timer set for one due time fires after the clock was counted again (an extension), then it does not run it out', () => {
    const due = state.clocks.short!.dueAt!;
    expect(clocksExpired(state.clocks, 'short', due)?.clocks.short?.status).toBe('expired');
    expect(clocksExpired(state.clocks, 'short', endOf('2026-06-01'))).toBeUndefined();
  });

  it('when the process closed after a clock ran out or passed its due time, then nothing of it is overdue', () => {
    const expired = { ...state, clocks: clocksExpired(state.clocks, 'short')!.clocks };
    expect(overdueClockIds({ ...expired, closedAt: at('2026-07-20') }, new Date(at('2026-07-21')))).toEqual([]);
    expect(overdueClockIds({ ...expired, closedAt: null }, new Date(at('2026-07-21')))).toEqual(['long', 'short']);
  });

  it('when an open clock passes its due time, then it is overdue; before it, or once met, it is not', () => {
    expect(overdueClockIds(state, new Date(at('2026-06-08')))).toEqual([]);
    expect(overdueClockIds(state, new Date(endOf('2026-06-08')))).toEqual(['short']);
    expect(overdueClockIds(state, new Date(at('2026-07-17')))).toEqual(['long', 'short']);
    expect(overdueClockIds(withClockStopped(state, 'short', 'met')!, new Date(at('2026-06-09')))).toEqual([]);
  });
});
