/** The deadline table with the real lengths and the real 2025-2026 calendar. */
import { describe, expect, it } from 'vitest';
import { CalendarYearMissing, addWorkingDays, isWorkingDay } from '../../domain/calendar.js';
import {
  DEADLINE_RULES,
  addYears,
  computeDeadline,
  mediationPeriodRule,
  performanceDue,
  reminderAt,
  type DeadlineRuleId,
} from '../../domain/deadlines.js';
import { loadHolidayCalendar, readShippedCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
/** An event at 10:00 Beijing time on a date. */
const at = (date: string) => new Date(Date.parse(`${date}T10:00:00+08:00`)).toISOString();

describe('the calendar', () => {
  it.each([
    ['2026-01-04', true, 'Sunday, make-up working day after New Year'],
    ['2026-02-14', true, 'Saturday, make-up working day before Spring Festival'],
    ['2026-02-16', false, 'Spring Festival'],
    ['2026-10-08', true, 'Thursday after National Day'],
    ['2026-10-10', true, 'Saturday, make-up working day'],
    ['2026-11-28', false, 'an ordinary Saturday'],
    ['2025-10-08', false, 'the eighth day of the 2025 National Day break'],
  ])('when the date is %s, then working day is %s (%s)', (date, working) => {
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  it('when a year is not covered and the calendar has no provisional rule, then counting fails loudly', () => {
    const publishedOnly = readShippedCalendar();
    expect(() => isWorkingDay(publishedOnly, '2027-03-01')).toThrow(CalendarYearMissing);
    expect(() => addWorkingDays(publishedOnly, '2026-12-28', 10)).toThrow(/does not cover 2027/);
  });
});

describe('statutory periods', () => {
  const cases: { rule: DeadlineRuleId; start: string; lastDay: string; why: string }[] = [
    // 30 days from Thursday 2026-03-05 → Saturday 2026-04-04, which is also Qingming (4-6 April) → Tuesday 2026-04-07.
    { rule: 'court_pre_filing_mediation', start: '2026-03-05', lastDay: '2026-04-07', why: 'holiday rollover' },
    // 15 days from 2026-11-13 → Saturday 2026-11-28 → Monday 2026-11-30.
    { rule: 'court_post_filing_ordinary', start: '2026-11-13', lastDay: '2026-11-30', why: 'weekend rollover' },
    // 7 days from 2026-02-07 → Saturday 2026-02-14, a make-up working day: no rollover.
    {
      rule: 'court_post_filing_summary',
      start: '2026-02-07',
      lastDay: '2026-02-14',
      why: 'ends on a make-up working day',
    },
    // 15 days from 2026-09-25 (Mid-Autumn) → 2026-10-10, a make-up Saturday: no rollover.
    {
      rule: 'labour_mediation',
      start: '2026-09-25',
      lastDay: '2026-10-10',
      why: 'starts on a holiday, ends on a make-up day',
    },
    // 3 working days after Thursday 2026-04-30: 5-1..5-5 off, 5-6 Wed, 5-7 Thu, 5-8 Fri.
    { rule: 'mediator_acceptance', start: '2026-04-30', lastDay: '2026-05-08', why: 'working days skip Labour Day' },
    // 3 working days after Friday 2026-05-08: Saturday 5-9 is a make-up working day, then Mon 5-11, Tue 5-12.
    { rule: 'counterparty_contact', start: '2026-05-08', lastDay: '2026-05-12', why: 'a make-up Saturday counts' },
    // 30 working days after 2026-09-15 across Mid-Autumn and National Day.
    {
      rule: 'medical_mediation',
      start: '2026-09-15',
      lastDay: '2026-11-02',
      why: 'long working-day period across two holidays',
    },
    // 7 days from 2026-01-27 → 2026-02-03 (Tuesday).
    { rule: 'legal_aid_decision', start: '2026-01-27', lastDay: '2026-02-03', why: 'plain calendar days' },
    // 30 days from 2026-09-01 → Thursday 2026-10-01 (National Day) → Thursday 2026-10-08.
    {
      rule: 'judicial_confirmation_application',
      start: '2026-09-01',
      lastDay: '2026-10-08',
      why: 'rolls over the whole National Day break',
    },
  ];

  it.each(cases)(
    'when $rule starts on $start, then it ends on $lastDay at 24:00 Beijing time ($why)',
    ({ rule, start, lastDay }) => {
      const d = computeDeadline(DEADLINE_RULES[rule], at(start), cal);
      expect(d.lastDay).toBe(lastDay);
      expect(d.dueAt).toBe(
        new Date(Date.parse(`${lastDay}T24:00:00+08:00`.replace('T24:00:00', 'T00:00:00')) + 86_400_000).toISOString(),
      );
      expect(d.calendarVersion).toBe(cal.version);
      expect(d.explanation.join('\n')).toContain(DEADLINE_RULES[rule].citation);
    },
  );

  it('when the last day is a rest day, then the explanation says it rolled over and why', () => {
    const d = computeDeadline(DEADLINE_RULES.court_pre_filing_mediation, at('2026-03-05'), cal);
    expect(d.explanation.join('\n')).toMatch(/2026-04-04 为休息日，顺延至 2026-04-07/);
  });

  it('when mediation pauses for appraisal, then the paused days do not count', () => {
    const d = computeDeadline(DEADLINE_RULES.court_pre_filing_mediation, at('2026-03-02'), cal, {
      pauses: [{ from: at('2026-03-10'), to: at('2026-03-20') }],
    });
    // 30 + 10 paused days from 2026-03-02 → 2026-04-11 (Saturday) → Monday 2026-04-13.
    expect(d.pausedDays).toBe(10);
    expect(d.lastDay).toBe('2026-04-13');
  });

  it('when a working-day period pauses, then only working days inside the pause are added back', () => {
    const d = computeDeadline(DEADLINE_RULES.medical_mediation, at('2026-03-02'), cal, {
      pauses: [{ from: at('2026-03-06'), to: at('2026-03-13') }], // 3-9 .. 3-13: five working days
    });
    expect(d.pausedDays).toBe(5);
    expect(d.lastDay).toBe(addWorkingDays(cal, '2026-03-02', 35));
  });

  it('when every party agrees to extend a 委托 case by 30 days, then the due date moves by 30 days', () => {
    const d = computeDeadline(DEADLINE_RULES.court_post_filing_ordinary, at('2026-06-01'), cal, { extensionDays: 30 });
    expect(d.lastDay).toBe('2026-07-16'); // 45 days from 6-1
  });

  it('when a reminder is due, then it is 09:00 Beijing time three working days before the last day', () => {
    const d = computeDeadline(DEADLINE_RULES.court_pre_filing_mediation, at('2026-03-05'), cal); // last day 4-7
    expect(reminderAt(d, cal)).toBe(new Date(Date.parse('2026-04-01T09:00:00+08:00')).toISOString()); // 4-3, 4-2, 4-1
  });

  it.each([
    [{ channel: 'court_pre_filing', disputeType: 'loan_debt' }, 'court_pre_filing_mediation'],
    [
      { channel: 'court_post_filing', disputeType: 'loan_debt', courtProcedure: 'summary' as const },
      'court_post_filing_summary',
    ],
    [{ channel: 'walk_in', disputeType: 'labour' }, 'labour_mediation'],
    [{ channel: 'online', disputeType: 'medical' }, 'medical_mediation'],
    [{ channel: 'walk_in', disputeType: 'neighbour' }, 'general_mediation'],
  ])('when a case is %o, then its mediation period is %s', (c, rule) => {
    expect(mediationPeriodRule(c)).toBe(rule);
  });

  it('when the rules are listed, then every row has a length, a start event, an expiry outcome and a citation', () => {
    for (const r of Object.values(DEADLINE_RULES)) {
      expect(r.length).toBeGreaterThan(0);
      expect(r.startsAt).toBeTruthy();
      expect(r.onExpiry).toBeTruthy();
      expect(r.citation).toMatch(/第.+条/);
    }
  });
});

describe('securing and performance periods', () => {
  it('when a joint application reaches the court on the eve of National Day, then the 3 days to accept roll to the first working day', () => {
    // Submitted 2026-09-29: day 3 is 10-02, inside the 10-01..10-07 holiday; the period ends on 10-08.
    const d = computeDeadline(DEADLINE_RULES.court_confirmation_acceptance, at('2026-09-29'), cal);
    expect(d.lastDay).toBe('2026-10-08');
    expect(d.explanation.join(' ')).toContain('顺延');
  });

  it('when the court sets 5 days for supplements, then that length counts, not the default', () => {
    const d = computeDeadline(DEADLINE_RULES.court_confirmation_correction, at('2026-11-02'), cal, { length: 5 });
    expect(d.lastDay).toBe('2026-11-09'); // 11-07 is a Saturday: rolls to Monday
    expect(d.explanation[0]).toContain('法院指定');
  });

  it('when a court ruling is due on a make-up working day, then it does not roll', () => {
    // Accepted 2026-09-25: 15 days end on 10-10, a Saturday that is a make-up working day.
    const d = computeDeadline(DEADLINE_RULES.court_confirmation_decision, at('2026-09-25'), cal);
    expect(d.lastDay).toBe('2026-10-10');
  });

  it('when the court accepts an application, then it has 30 days in all to conclude, rolling past a holiday (民事诉讼法 Art 187)', () => {
    // Accepted 2026-09-04: day 30 is 10-04, inside the National Day holiday; the ceiling is 10-08.
    const d = computeDeadline(DEADLINE_RULES.court_confirmation_ceiling, at('2026-09-04'), cal);
    expect(d.lastDay).toBe('2026-10-08');
  });

  it('when a notary accepts before Spring Festival, then the 15 working days skip the holiday and count the make-up Saturday', () => {
    // Accepted Monday 2026-02-02: working days 02-03..02-06 (4), 02-09..02-13 (9), Saturday 02-14 (10, make-up),
    // holiday 02-15..02-23, then 02-24..02-28 (15, 02-28 a make-up Saturday).
    const d = computeDeadline(DEADLINE_RULES.notarization, at('2026-02-02'), cal);
    expect(d.lastDay).toBe('2026-02-28');
  });

  it('when an instalment falls due on a holiday, then it is due at the end of the next working day', () => {
    expect(performanceDue('2026-10-03', cal)).toMatchObject({
      lastDay: '2026-10-08',
      rolled: true,
      dueAt: '2026-10-08T16:00:00.000Z',
    });
    expect(performanceDue('2026-11-30', cal)).toMatchObject({ lastDay: '2026-11-30', rolled: false });
  });

  it('when two years run from the last day of performance, then they end on the corresponding day (民法典 Art 202)', () => {
    expect(addYears('2026-12-31', 2)).toBe('2028-12-31');
    expect(addYears('2028-02-29', 2)).toBe('2030-02-28');
    // Only 2025-2026 are published: 2028 is counted provisionally (2028-06-30 is a Friday) and says so.
    const provisional = computeDeadline(DEADLINE_RULES.enforcement_application, at('2026-06-30'), cal);
    expect(provisional.lastDay).toBe('2028-06-30');
    expect(provisional.calendarVersion).toBe(`${cal.version}+provisional-2028`);
    expect(provisional.provisionalYears).toEqual([2028]);
    expect(provisional.explanation.join(' ')).toContain('2028年国务院节假日安排尚未公布');
    // Without any rule for unpublished years, the nominal day stands (never later than the real one) and says so.
    const nominal = computeDeadline(DEADLINE_RULES.enforcement_application, at('2026-06-30'), readShippedCalendar());
    expect(nominal.lastDay).toBe('2028-06-30');
    expect(nominal.explanation.join(' ')).toContain('2028 年节假日安排尚未公布');
    // With a calendar for that year (weekends only, for the counting rule), a Saturday rolls to Monday.
    const later = { version: 'test-2028', years: { ...cal.years, '2028': { off: [], workdays: [] } } };
    const d = computeDeadline(DEADLINE_RULES.enforcement_application, at('2026-07-01'), later);
    expect(d.lastDay).toBe('2028-07-03'); // 2028-07-01 is a Saturday
    // The rolled period still names how its nominal day was found, and then why it moved.
    expect(d.explanation.join(' ')).toContain('期间届满日 2028-07-01（民法典第二百零二条）为休息日，顺延至 2028-07-03');
  });
});
