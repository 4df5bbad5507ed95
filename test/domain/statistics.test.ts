/** The statistics' pure parts: milestones folded from events, durations on the real calendar, the metric rows. */
import { describe, expect, it } from 'vitest';
import {
  GROUPINGS,
  METRICS,
  NO_MILESTONES,
  caseDurations,
  daysTaken,
  foldMilestones,
  groupingAllowed,
  metricOf,
  monthsBetween,
  ratio,
  addHistograms,
  histogramOf,
  summarizeDurations,
  summarizeHistogram,
  type Grouping,
  type RecordedEvent,
} from '../../domain/statistics.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
/** An instant at a Beijing time on a date. */
const at = (date: string, time = '10:00') => new Date(Date.parse(`${date}T${time}:00+08:00`)).toISOString();
const ev = (seq: number, type: string, date: string, payload: Record<string, unknown> = {}): RecordedEvent => ({
  seq,
  type,
  at: at(date),
  payload,
});

const mediated = [
  ev(1, 'CaseRegistered', '2026-09-28'),
  ev(2, 'CaseAccepted', '2026-09-29'),
  ev(3, 'MediatorAssigned', '2026-09-29'),
  ev(4, 'MediatorAccepted', '2026-09-30'),
  ev(5, 'AgreementEffective', '2026-10-12'),
];

describe('milestones folded from the chain', () => {
  it('when a case is accepted, mediated and its agreement takes effect, then each milestone has its event’s time and the outcome is an agreement', () => {
    const m = foldMilestones(NO_MILESTONES, mediated);
    expect(m).toMatchObject({
      lastSeq: 5,
      acceptedAt: at('2026-09-29'),
      mediatorAcceptedAt: at('2026-09-30'),
      agreementEffectiveAt: at('2026-10-12'),
      concludedAt: at('2026-10-12'),
      outcome: 'agreement',
    });
  });

  it('when the same events are folded again (a retried activity), then nothing changes', () => {
    const once = foldMilestones(NO_MILESTONES, mediated);
    expect(foldMilestones(once, mediated)).toEqual(once);
    expect(foldMilestones(once, mediated.slice(3))).toEqual(once);
  });

  it('when events come in two batches, then the facts equal those of one fold over the whole chain', () => {
    const split = foldMilestones(foldMilestones(NO_MILESTONES, mediated.slice(0, 3)), mediated.slice(2));
    expect(split).toEqual(foldMilestones(NO_MILESTONES, mediated));
  });

  it('when a second mediator accepts after a recusal, then the first acceptance stays the start', () => {
    const m = foldMilestones(NO_MILESTONES, [...mediated.slice(0, 4), ev(5, 'MediatorAccepted', '2026-10-08')]);
    expect(m.mediatorAcceptedAt).toBe(at('2026-09-30'));
  });

  it('when mediation is terminated, then the outcome is failed with its reason; when not accepted, not_accepted', () => {
    const failed = foldMilestones(NO_MILESTONES, [
      ...mediated.slice(0, 4),
      ev(5, 'MediationTerminated', '2026-10-20', { reason: 'positions_too_far_apart' }),
    ]);
    expect(failed).toMatchObject({ outcome: 'failed', terminationReason: 'positions_too_far_apart' });
    const refused = foldMilestones(NO_MILESTONES, [
      ev(1, 'CaseRegistered', '2026-10-01'),
      ev(2, 'CaseNotAccepted', '2026-10-02'),
    ]);
    expect(refused).toMatchObject({ outcome: 'not_accepted', acceptedAt: null });
  });

  it('when a court rejects the confirmation and mediation resumes, then the case is open again until it concludes anew', () => {
    const after = foldMilestones(NO_MILESTONES, [
      ...mediated,
      ev(6, 'ConfirmationApplicationSubmitted', '2026-10-13'),
      ev(7, 'ConfirmationRuled', '2026-10-20', { outcome: 'rejected' }),
      ev(8, 'MediationResumedAfterRejection', '2026-10-21'),
    ]);
    expect(after).toMatchObject({
      concludedAt: null,
      outcome: null,
      agreementEffectiveAt: at('2026-10-12'),
      confirmationAppliedAt: at('2026-10-13'),
      confirmationOutcome: 'rejected',
    });
  });
});

describe('durations, in calendar and working days (the starting day not counted, 民事诉讼法 Art 85)', () => {
  it.each([
    ['2026-09-29', '2026-10-12', 13, 5, 'over National Day: 30 Sep, 8, 9, 10 (a make-up Saturday) and 12 Oct'],
    ['2026-11-30', '2026-12-04', 4, 4, 'Monday to Friday'],
    ['2026-11-30', '2026-11-30', 0, 0, 'the same day'],
  ])(
    'when accepted on %s and concluded on %s, then %i calendar and %i working days (%s)',
    (from, to, days, working) => {
      const t = daysTaken(cal, at(from), at(to, '16:00'));
      expect(t.calendar).toBe(days);
      expect(t.working).toBe(working);
    },
  );

  it('when a 2026 case concluded, then its durations count from acceptance and from the mediator’s acceptance; a case not accepted has none', () => {
    const d = caseDurations(foldMilestones(NO_MILESTONES, mediated), cal);
    expect(d).toEqual({
      daysFromAcceptance: 13,
      workingDaysFromAcceptance: daysTaken(cal, at('2026-09-29'), at('2026-10-12')).working,
      daysFromMediatorAcceptance: 12,
      workingDaysFromMediatorAcceptance: daysTaken(cal, at('2026-09-30'), at('2026-10-12')).working,
    });
    const refused = foldMilestones(NO_MILESTONES, [
      ev(1, 'CaseAccepted', '2026-10-01'),
      ev(2, 'CaseNotAccepted', '2026-10-02'),
    ]);
    expect(caseDurations(refused, cal).daysFromAcceptance).toBeNull();
  });

  it('when durations are summarised, then median and P90 interpolate as PostgreSQL percentile_cont, and the mean is rounded to 2 places', () => {
    expect(summarizeDurations([1, 2, 3, 4, 10])).toEqual({ median: 3, p90: 7.6, mean: 4 });
    expect(summarizeDurations([5, 1])).toEqual({ median: 3, p90: 4.6, mean: 3 });
    expect(summarizeDurations([])).toEqual({ median: null, p90: null, mean: null });
  });
});

describe('durations summarised from a histogram of whole days (the monthly rollup, db/case-facts-durations.ts)', () => {
  /** A seeded pseudo-random sequence: the same durations on every run. */
  function sequence(seed: number) {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s / 2 ** 31;
    };
  }

  it('when durations are counted into a histogram, then its median, P90 and mean are those of the durations themselves', () => {
    const random = sequence(7);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(random() * (round < 100 ? 12 : 400));
      const spread = 1 + Math.floor(random() * 120);
      const values = Array.from({ length: n }, () => Math.floor(random() * random() * spread));
      expect(summarizeHistogram(histogramOf(values)), values.join(',')).toEqual(summarizeDurations(values));
    }
  });

  it('when a period is two months of the rollup and its ends from the facts, then the merged histogram gives the figures of all of them', () => {
    const june = [3, 3, 10, 41];
    const july = [0, 7, 7, 8, 90];
    const ends = [5, 6, 12];
    const merged = addHistograms(addHistograms(histogramOf(june), histogramOf(july)), histogramOf(ends));
    expect(summarizeHistogram(merged)).toEqual(summarizeDurations([...june, ...july, ...ends]));
    expect(summarizeHistogram(merged)).toEqual({ median: 7, p90: 38.1, mean: 16 });
  });

  it('when a case is taken off a histogram (its facts moved), then the figures are those without it', () => {
    const h = addHistograms(
      histogramOf([2, 4, 4, 9]),
      histogramOf([4]).map((n) => -n),
    );
    expect(summarizeHistogram(h)).toEqual(summarizeDurations([2, 4, 9]));
    expect(summarizeHistogram(addHistograms(histogramOf([6]), [undefined, null, 0, 0, 0, 0, -1]))).toEqual({
      median: null,
      p90: null,
      mean: null,
    });
  });
});

describe('the metric rows', () => {
  it('when the success rate is read, then its denominator is the mediated cases and it says that NOT_ACCEPTED is excluded', () => {
    const m = metricOf('success_rate');
    expect(m).toMatchObject({ kind: 'ratio', numerator: 'agreement', denominator: 'mediated' });
    expect(m.note).toContain('NOT_ACCEPTED');
  });

  it('when any metric is grouped by month, dispute type, organization, mediator, channel, county or priority group, then that is allowed', () => {
    const common: Grouping[] = [
      'month',
      'disputeType',
      'organization',
      'mediator',
      'channel',
      'county',
      'priorityGroup',
    ];
    for (const m of METRICS) for (const g of common) expect(groupingAllowed(m, g), `${m.id} by ${g}`).toBe(true);
    expect(groupingAllowed(metricOf('overdue'), 'rule')).toBe(true);
    expect(groupingAllowed(metricOf('received'), 'rule')).toBe(false);
    expect(groupingAllowed(metricOf('received'), 'ageBucket')).toBe(false);
    expect(Object.keys(GROUPINGS)).toHaveLength(10);
  });

  it('when every metric is listed, then each has a unique id, a Chinese label and a note, and a ratio has a denominator', () => {
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
    for (const m of METRICS) {
      expect(m.label).toMatch(/[\u4e00-\u9fff]/);
      expect(m.note.length).toBeGreaterThan(4);
      if (m.kind === 'ratio') expect(m, m.id).toHaveProperty('denominator');
    }
  });

  it('when months are listed across a year end, then every month is there once', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03-01', '2026-03-31')).toEqual(['2026-03']);
  });

  it('when nothing is divided, then the share is null, not 0', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(2, 3)).toBe(0.6667);
  });
});
