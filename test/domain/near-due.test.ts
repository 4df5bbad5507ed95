/** 临期 (due within 3 working days) and the countdowns of the work queues, on the real 2026 calendar. */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  chinaDateOf,
  daysLeft,
  endOfChinaDay,
  endOfWorkingDaysAhead,
  isWorkingDay,
} from '../../domain/calendar.js';
import { DEADLINE_RULES, NEAR_DUE_WORKING_DAYS, computeDeadline, reminderAt } from '../../domain/deadlines.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
/** An instant at a Beijing time on a date. */
const at = (date: string, time = '10:00') => new Date(Date.parse(`${date}T${time}:00+08:00`)).toISOString();

describe('临期: due within 3 working days', () => {
  it.each([
    ['2026-11-27', '10:00', '2026-12-02', 'a Friday: Monday, Tuesday, Wednesday'],
    ['2026-11-28', '10:00', '2026-12-02', 'a Saturday: the weekend is not counted'],
    ['2026-09-30', '10:00', '2026-10-10', 'before National Day: 8 and 9 October, then the make-up Saturday'],
    ['2026-11-26', '23:59', '2026-12-01', 'Thursday a minute before midnight, China time'],
    ['2026-11-27', '00:01', '2026-12-02', 'Friday a minute after midnight, China time'],
  ])('when it is %s %s, then 临期 runs to the end of %s (%s)', (date, time, lastDay) => {
    expect(endOfWorkingDaysAhead(cal, at(date, time), NEAR_DUE_WORKING_DAYS)).toBe(endOfChinaDay(lastDay));
  });

  it('when a reminder goes out, then from that moment the deadline it is about is 临期, and not a working day before', () => {
    // Every start day of 2026's last quarter, for periods counted both ways.
    for (const ruleId of ['mediator_acceptance', 'general_mediation', 'legal_aid_decision'] as const) {
      for (let start = '2026-09-01'; start <= '2026-11-30'; start = addDays(start, 1)) {
        const due = computeDeadline(DEADLINE_RULES[ruleId], at(start), cal);
        const remind = reminderAt(due, cal);
        if (!remind) continue;
        expect(endOfWorkingDaysAhead(cal, remind, NEAR_DUE_WORKING_DAYS), `${ruleId} from ${start}`).toBe(due.dueAt);
        let before = addDays(chinaDateOf(remind), -1);
        while (!isWorkingDay(cal, before)) before = addDays(before, -1);
        expect(
          Date.parse(endOfWorkingDaysAhead(cal, at(before, '09:00'), NEAR_DUE_WORKING_DAYS)),
          `${ruleId} from ${start}`,
        ).toBeLessThan(Date.parse(due.dueAt));
      }
    }
  });
});

describe('countdowns', () => {
  it.each([
    ['2026-11-27', '2026-12-02', 'working_days', 3, 'Friday to Wednesday: three working days'],
    ['2026-11-27', '2026-12-02', 'calendar_days', 5, 'Friday to Wednesday: five days'],
    ['2026-09-30', '2026-10-10', 'working_days', 3, 'across National Day to the make-up Saturday'],
    ['2026-12-02', '2026-12-02', 'working_days', 0, 'the last day itself'],
    ['2026-12-03', '2026-12-02', 'calendar_days', 0, 'after the last day'],
  ] as const)('when it is %s and the last day is %s, then %s left are %i (%s)', (today, lastDay, unit, n, _why) => {
    expect(daysLeft(cal, at(today), lastDay, unit)).toBe(n);
  });
});
