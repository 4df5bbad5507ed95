/**
 * Counting beyond the published calendar: the provisional rule (weekends, the statutory holidays of
 * 全国年节及纪念日放假办法 and its Art 6 make-up days off) checked against the official 2025 and 2026 notices,
 * deadlines that reach into an unpublished year, the notice an operator loads, and recounting afterwards.
 * Every date here is pinned: nothing depends on the day the suite runs.
 */
import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, type HolidayCalendar } from '../../domain/calendar.js';
import { calendarNoticeSchema, withNotice, type CalendarNotice } from '../../domain/calendar-notice.js';
import { DEADLINE_RULES, computeDeadline, reminderAt, type DeadlineRuleId } from '../../domain/deadlines.js';
import { provisionalYear, statutoryHolidays } from '../../domain/provisional-calendar.js';
import {
  instalmentNeedsRecount,
  instalmentsCalendarVersion,
  isProvisional,
  needsRecount,
  recounted,
  recountPayload,
} from '../../domain/recount.js';
import type { DeadlineState, Instalment } from '../../domain/case-rules.js';
import { loadHolidayCalendar, readShippedCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
const official = readShippedCalendar();
const at = (date: string, time = '10:00') => new Date(Date.parse(`${date}T${time}:00+08:00`)).toISOString();

describe('the provisional calendar', () => {
  it.each([2025, 2026])(
    'when %i is computed from the law alone, then every holiday and make-up day off is a rest day in the official notice',
    (year) => {
      const officialOff = new Set(official.years[String(year)]!.off);
      const provisional = provisionalYear(year);
      expect(provisional.holidays.flatMap((h) => h.days)).toHaveLength(13); // 放假办法 Art 2: 1 + 4 + 1 + 2 + 1 + 1 + 3
      for (const day of provisional.off)
        expect(officialOff.has(day), `${day} is off in the official ${year} notice`).toBe(true);
    },
  );

  it('when 2027 is computed, then the lunar holidays and 清明 fall on their dates and weekend holidays give a weekday off (Art 6)', () => {
    const byName = Object.fromEntries(statutoryHolidays(2027).map((h) => [h.name, h.days]));
    expect(byName['春节']).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']); // 除夕 to 正月初三
    expect(byName['清明节']).toEqual(['2027-04-05']);
    expect(byName['端午节']).toEqual(['2027-06-09']);
    expect(byName['中秋节']).toEqual(['2027-09-15']);
    const off = provisionalYear(2027).off;
    // 初一 and 初二 fall on Saturday and Sunday: Tuesday and Wednesday after the festival are off.
    expect(off).toEqual(expect.arrayContaining(['2027-02-09', '2027-02-10']));
    // 劳动节 1-2 May 2027 is a weekend: 3 and 4 May are off; 国庆 2-3 Oct are a weekend: 4 and 5 Oct are off.
    expect(off).toEqual(expect.arrayContaining(['2027-05-03', '2027-05-04', '2027-10-04', '2027-10-05']));
    expect(off).not.toContain('2027-02-11');
  });

  it.each([2027, 2028, 2030, 2045])(
    'when a deadline runs in %i, then it is counted provisionally and says so',
    (year) => {
      const d = computeDeadline(DEADLINE_RULES.general_mediation, at(`${year}-03-02`), cal);
      expect(d.dueAt).not.toBe('');
      expect(d.provisionalYears).toEqual([year]);
      expect(d.calendarVersion).toBe(`${cal.version}+provisional-${year}`);
      expect(isProvisional(d)).toBe(true);
      expect(d.explanation.join('\n')).toContain(`${year}年国务院节假日安排尚未公布`);
      expect(d.explanation.at(-1)).toContain('（暂定）');
    },
  );

  it('when a working-day period crosses the new year, then the provisional 元旦 and weekends are skipped', () => {
    // 3 working days after Wednesday 2026-12-30: Thu 12-31, (Fri 2027-01-01 元旦, weekend), Mon 01-04, Tue 01-05.
    const d = computeDeadline(DEADLINE_RULES.counterparty_contact, at('2026-12-30'), cal);
    expect(d.lastDay).toBe('2027-01-05');
    expect(d.provisionalYears).toEqual([2027]);
  });

  it('when a period lies wholly in published years, then it is not provisional', () => {
    const d = computeDeadline(DEADLINE_RULES.general_mediation, at('2026-03-05'), cal);
    expect(d.calendarVersion).toBe(cal.version);
    expect(d.provisionalYears).toBeUndefined();
    expect(isProvisional(d)).toBe(false);
  });

  const starts = [
    '2026-10-30',
    '2026-11-20',
    '2026-12-02',
    '2026-12-11',
    '2026-12-17',
    '2026-12-25',
    '2026-12-29',
    '2026-12-30',
    '2027-06-30',
    '2029-12-31',
  ];
  it.each(starts)(
    'when every period starts on %s, then each has a due time after its start and the enforcement period a reminder',
    (start) => {
      for (const ruleId of Object.keys(DEADLINE_RULES) as DeadlineRuleId[]) {
        const d = computeDeadline(DEADLINE_RULES[ruleId], at(start), cal);
        expect(Date.parse(d.dueAt), ruleId).toBeGreaterThan(Date.parse(d.startedAt));
        expect(d.lastDay >= start, ruleId).toBe(true);
      }
      const enforcement = computeDeadline(DEADLINE_RULES.enforcement_application, at(start), cal);
      expect(reminderAt(enforcement, cal)).not.toBeNull();
    },
  );

  it('when the period is three working days, then its reminder does not fire at the start', () => {
    const d = computeDeadline(DEADLINE_RULES.counterparty_contact, at('2026-11-02'), cal);
    expect(reminderAt(d, cal)).toBeNull();
    // A 30-day period is reminded three working days before its last day (Tuesday 2026-04-07, after 清明),
    // at 09:00 Beijing time: Wednesday 04-01.
    const long = computeDeadline(DEADLINE_RULES.general_mediation, at('2026-03-05'), cal);
    expect(reminderAt(long, cal)).toBe(at('2026-04-01', '09:00'));
  });

  it('when the deadline is computed on a provisional year, then a working-day count uses 补假 days', () => {
    // 2027-05-01/02 are a weekend: 5-3 and 5-4 are off, so 1 working day after Friday 4-30 is Wednesday 5-5.
    expect(addWorkingDays(cal, '2027-04-30', 1)).toBe('2027-05-05');
    expect(isWorkingDay(cal, '2027-05-04')).toBe(false);
  });
});

/** A made-up notice for 2027 (not the State Council's): the statutory days off plus a long 春节 with two make-up Saturdays. */
export const testNotice2027 = (): CalendarNotice => ({
  source: '测试通知（非官方）',
  publishedOn: '2026-11-20',
  years: {
    '2027': {
      off: [...provisionalYear(2027).off, '2027-02-11', '2027-02-12'],
      workdays: ['2027-01-30', '2027-02-20'],
    },
  },
});

describe('a holiday notice an operator loads', () => {
  it('when the notice is whole, then it parses and makes a new calendar version that counts 2027 as published', () => {
    const notice = calendarNoticeSchema.parse(testNotice2027());
    const { calendar, changed } = withNotice(official, notice);
    expect(changed).toBe(true);
    expect(calendar.version).toBe('prc-2025-2027@2026-11-20');
    const next: HolidayCalendar = { ...calendar, provisional: cal.provisional! };
    expect(isWorkingDay(next, '2027-02-20')).toBe(true); // a make-up Saturday
    expect(isWorkingDay(next, '2027-02-11')).toBe(false);
    const d = computeDeadline(DEADLINE_RULES.counterparty_contact, at('2027-02-04'), next);
    expect(d.calendarVersion).toBe('prc-2025-2027@2026-11-20');
    // Thursday 2-4; 2-5..2-12 off, then the weekend; Mon 2-15, Tue 2-16, Wed 2-17.
    expect(d.lastDay).toBe('2027-02-17');
  });

  it.each([
    [{ off: ['2027-01-01'], workdays: [] }, 'years.2027.off', '春节'],
    [
      { off: [...provisionalYear(2027).off, '2027-03-03'], workdays: ['2027-03-03'] },
      'years.2027.workdays',
      'both a rest day and a working day',
    ],
    [{ off: provisionalYear(2027).off, workdays: ['2027-03-03'] }, 'years.2027.workdays.0', 'is a weekday'],
    [{ off: [...provisionalYear(2027).off, '2028-01-01'], workdays: [] }, 'years.2027.off', 'is not in 2027'],
  ])('when a notice is wrong (%#), then it is refused naming the field', (year, field, message) => {
    const result = calendarNoticeSchema.safeParse({
      source: '测试通知（非官方）',
      publishedOn: '2026-11-20',
      years: { '2027': year },
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    expect(
      issues.some((i) => i.field.startsWith(field) && i.message.includes(message)),
      JSON.stringify(issues),
    ).toBe(true);
  });

  it('when the notice has no source or date, then it is refused', () => {
    const result = calendarNoticeSchema.safeParse({ years: testNotice2027().years });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['source', 'publishedOn']),
    );
  });

  it('when a year already published is loaded again with other dates, then it is a conflict unless replaced', () => {
    const notice = calendarNoticeSchema.parse({
      source: '更正通知（测试）',
      publishedOn: '2026-01-10',
      years: {
        '2026': { off: [...official.years['2026']!.off, '2026-12-31'], workdays: official.years['2026']!.workdays },
      },
    });
    expect(withNotice(official, notice)).toMatchObject({ changed: false, conflicts: ['2026'] });
    expect(withNotice(official, notice, { replace: true }).changed).toBe(true);
    // The same dates again change nothing.
    const same = calendarNoticeSchema.parse({
      source: '同一通知',
      publishedOn: '2025-11-04',
      years: { '2026': official.years['2026']! },
    });
    expect(withNotice(official, same)).toMatchObject({ changed: false, conflicts: [] });
  });
});

describe('recounting after a load', () => {
  const state = (d: Partial<DeadlineState> & { ruleId: DeadlineRuleId }): DeadlineState => ({
    startedAt: at('2026-12-28'),
    dueAt: '2027-01-28T16:00:00.000Z',
    lastDay: '2027-01-28',
    calendarVersion: `${cal.version}+provisional-2027`,
    extensionDays: 0,
    pausedDays: 0,
    explanation: [],
    status: 'open',
    reminderAt: null,
    reminded: false,
    ...d,
  });

  it('when a clock is open or never counted and was counted on another version, then it is recounted; an expired or met one is not', () => {
    expect(needsRecount(state({ ruleId: 'general_mediation' }), 'prc-2025-2027@2026-11-20')).toBe(true);
    expect(
      needsRecount(
        state({ ruleId: 'general_mediation', status: 'uncomputable', calendarVersion: '' }),
        'prc-2025-2027@2026-11-20',
      ),
    ).toBe(true);
    expect(needsRecount(state({ ruleId: 'general_mediation', status: 'expired' }), 'prc-2025-2027@2026-11-20')).toBe(
      false,
    );
    expect(needsRecount(state({ ruleId: 'general_mediation', status: 'met' }), 'prc-2025-2027@2026-11-20')).toBe(false);
    expect(
      needsRecount(
        state({ ruleId: 'general_mediation', calendarVersion: 'prc-2025-2027@2026-11-20' }),
        'prc-2025-2027@2026-11-20',
      ),
    ).toBe(false);
    expect(
      needsRecount(state({ ruleId: 'general_mediation', calendarVersion: 'override' }), 'prc-2025-2027@2026-11-20'),
    ).toBe(false);
  });

  it('when a clock is recounted on the loaded notice, then the chain gets both due times and versions and the reminder is not sent twice', () => {
    const notice = calendarNoticeSchema.parse(testNotice2027());
    const next: HolidayCalendar = { ...withNotice(official, notice).calendar, provisional: cal.provisional! };
    const before = state({
      ruleId: 'medical_mediation',
      startedAt: at('2027-01-04'),
      reminded: true,
      reminderAt: '2027-02-10T01:00:00.000Z',
    });
    const provisional = computeDeadline(DEADLINE_RULES.medical_mediation, before.startedAt, cal);
    const after = computeDeadline(DEADLINE_RULES.medical_mediation, before.startedAt, next);
    expect(after.lastDay > provisional.lastDay).toBe(true); // two more days off in 春节, two make-up Saturdays after it
    const payload = recountPayload({ ...before, dueAt: provisional.dueAt, lastDay: provisional.lastDay }, after);
    expect(payload).toMatchObject({
      oldDueAt: provisional.dueAt,
      newDueAt: after.dueAt,
      oldCalendarVersion: before.calendarVersion,
      newCalendarVersion: 'prc-2025-2027@2026-11-20',
      provisional: false,
    });
    const kept = recounted(before, after, '2027-02-01T01:00:00.000Z');
    expect(kept).toMatchObject({ status: 'open', dueAt: after.dueAt, reminded: true });
    expect(recounted(before, after, '2027-02-20T01:00:00.000Z').reminded).toBe(false); // a later reminder is sent again
  });

  it('when a clock was counted provisionally on the calendar in force, then it is not recounted again; on an older one it is', () => {
    const onThis = state({ ruleId: 'general_mediation', calendarVersion: `${cal.version}+provisional-2027` });
    expect(needsRecount(onThis, cal.version)).toBe(false);
    expect(needsRecount(onThis, 'prc-2025-2027@2026-11-20')).toBe(true);
  });

  it('when a provisional clock is recounted on a published year, then it no longer lists provisional years', () => {
    const before = state({ ruleId: 'general_mediation', provisionalYears: [2027] });
    const next: HolidayCalendar = {
      ...withNotice(official, calendarNoticeSchema.parse(testNotice2027())).calendar,
      provisional: cal.provisional!,
    };
    const after = computeDeadline(DEADLINE_RULES.general_mediation, before.startedAt, next);
    expect(recounted(before, after, null).provisionalYears).toBeUndefined();
  });
});

describe('corrections', () => {
  it('when a loaded year is corrected with a notice of the same date, then the correction is a calendar of its own', () => {
    const first = withNotice(official, calendarNoticeSchema.parse(testNotice2027())).calendar;
    const fixed = testNotice2027();
    fixed.years['2027']!.off = [...fixed.years['2027']!.off, '2027-03-03'];
    const corrected = withNotice(first, calendarNoticeSchema.parse(fixed), { replace: true });
    expect(corrected.changed).toBe(true);
    expect(corrected.calendar.version).toMatch(/^prc-2025-2027@2026-11-20\.r[0-9a-f]{8}$/);
    expect(corrected.calendar.version).not.toBe(first.version);
  });

  it('when a notice names a year outside 1900-2100, then it is refused, not a crash', () => {
    const result = calendarNoticeSchema.safeParse({
      source: '测试通知（非官方）',
      publishedOn: '2026-01-01',
      years: { '0000': { off: ['0000-01-01'], workdays: [] } },
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join('.')).toBe('years.0000');
  });
});

describe('instalments', () => {
  const inst = (o: Partial<Instalment>): Instalment => ({
    n: 1,
    amountFen: 100,
    dueDate: '2027-02-11',
    lastDay: '2027-02-11',
    dueAt: '2027-02-11T16:00:00.000Z',
    reminderAt: null,
    reminded: false,
    status: 'pending',
    ...o,
  });
  it('when a pending instalment was rolled on another calendar or before versions were kept, then it is recounted; a paid one or a test override is not', () => {
    expect(
      instalmentNeedsRecount(inst({ calendarVersion: `${cal.version}+provisional-2027` }), 'prc-2025-2027@2026-11-20'),
    ).toBe(true);
    expect(instalmentNeedsRecount(inst({}), cal.version)).toBe(true);
    expect(instalmentNeedsRecount(inst({ calendarVersion: `${cal.version}+provisional-2027` }), cal.version)).toBe(
      false,
    );
    expect(instalmentNeedsRecount(inst({ status: 'paid', calendarVersion: 'old' }), cal.version)).toBe(false);
    expect(instalmentNeedsRecount(inst({ calendarVersion: 'override' }), cal.version)).toBe(false);
  });
  it('when the case row records the calendar of its pending instalments, then an unversioned one shows as empty and none pending as nothing', () => {
    expect(instalmentsCalendarVersion([inst({ calendarVersion: 'b' }), inst({ n: 2 })])).toBe('');
    expect(instalmentsCalendarVersion([inst({ calendarVersion: 'b' })])).toBe('b');
    expect(instalmentsCalendarVersion([inst({ status: 'paid', calendarVersion: 'b' })])).toBeNull();
  });
});
