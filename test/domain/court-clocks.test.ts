/**
 * A court case's clocks (特邀调解规定 Art 27): the period runs from the organization's receipt of the file
 * and a change of mediator does not start it again; the court's own date from its letter is clocked and
 * compared with the statutory period. Dates pinned.
 */
import { describe, expect, it } from 'vitest';
import type { CaseIntake } from '../../domain/case.js';
import {
  courtLetterDays,
  decide,
  initialState,
  registration,
  type CaseState,
  type DeadlineState,
} from '../../domain/case-rules.js';
import { compareCourtDate } from '../../domain/court-date.js';
import { DEADLINE_RULES, computeDeadline } from '../../domain/deadlines.js';
import { decideConfirmation, initialConfirmation } from '../../domain/securing.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';
import { ruleIntake } from '../support/fixtures.js';

const court = {
  courtCode: '粤5202',
  courtName: '揭阳市榕城区人民法院',
  letterNumber: '榕法委派〔2026〕12号',
  deadline: '2026-12-10',
};
const intake = (o: Partial<CaseIntake> = {}): CaseIntake =>
  ruleIntake({ caseId: '00000000-0000-4000-8000-000000000009', channel: 'court_pre_filing', court, ...o });
const open = (ruleId: DeadlineState['ruleId'], startedAt: string, lastDay: string): DeadlineState => ({
  ruleId,
  startedAt,
  dueAt: `${lastDay}T16:00:00.000Z`,
  lastDay,
  calendarVersion: 'v',
  extensionDays: 0,
  pausedDays: 0,
  explanation: [],
  status: 'open',
  reminderAt: null,
  reminded: false,
});

describe("the court's own date", () => {
  it('when a court letter gives a date, then registration clocks it from receipt, counted on the calendar like a period', () => {
    const { effects } = registration(intake(), { courtClocks: true });
    expect(effects).toContainEqual({
      kind: 'start_deadline',
      ruleId: 'court_letter_deadline',
      startedAt: '2026-11-25T01:00:00.000Z',
      length: 15,
    });
    const d = computeDeadline(DEADLINE_RULES.court_letter_deadline, '2026-11-25T01:00:00.000Z', loadHolidayCalendar(), {
      length: 15,
    });
    expect(d.lastDay).toBe('2026-12-10');
    // Runs recorded before the rule, and letters with no date, have no such clock.
    expect(registration(intake()).effects).toEqual([]);
    expect(registration(intake({ court: { courtCode: '粤5202' } }), { courtClocks: true }).effects).toEqual([]);
    expect(courtLetterDays('2026-11-25T17:00:00.000Z', '2026-11-26')).toBe(1); // received on the 26th in Beijing: at least a day
  });

  it('when the court asks for less time than the law gives, then the comparison says so; when more, it does not', () => {
    const statutory = open('court_pre_filing_mediation', '2026-11-26T01:00:00.000Z', '2026-12-28');
    expect(
      compareCourtDate({
        court_letter_deadline: open('court_letter_deadline', '2026-11-25T01:00:00.000Z', '2026-12-10'),
        court_pre_filing_mediation: statutory,
      }),
    ).toEqual({
      courtLastDay: '2026-12-10',
      statutoryRuleId: 'court_pre_filing_mediation',
      statutoryLastDay: '2026-12-28',
      courtDateEarlier: true,
    });
    expect(
      compareCourtDate({
        court_letter_deadline: open('court_letter_deadline', '2026-11-25T01:00:00.000Z', '2027-01-10'),
        court_pre_filing_mediation: statutory,
      })?.courtDateEarlier,
    ).toBe(false);
    expect(compareCourtDate({ court_pre_filing_mediation: statutory })).toBeUndefined();
  });
});

describe('a change of mediator in a court case', () => {
  const inMediation = (courtClocks: boolean): CaseState => ({
    ...initialState(intake()),
    caseNumber: 'X',
    lastSeq: 9,
    status: 'PENDING_MEDIATOR_ACCEPT',
    ...(courtClocks ? { courtClocks } : {}),
    assignment: { mediatorId: 'm2', orgId: 'org', mode: 'designated', excluded: ['m1'], refusedByParties: 1 },
    mediation: {
      startedAt: '2026-11-26T01:00:00.000Z',
      sessions: 1,
      pauses: [],
      extensionDays: 0,
      extensionConsents: {},
    },
    deadlines: {
      court_pre_filing_mediation: open('court_pre_filing_mediation', '2026-11-26T01:00:00.000Z', '2026-12-28'),
      mediator_acceptance: open('mediator_acceptance', '2026-12-01T01:00:00.000Z', '2026-12-04'),
    },
  });
  const accepts = {
    type: 'mediator_accepts' as const,
    actor: { id: 'm2', role: 'mediator' as const },
    conflict: 'none' as const,
  };

  it('when the new mediator accepts, then the period keeps running from the first receipt (特邀调解规定 Art 27)', () => {
    const d = decide(inMediation(true), accepts, new Date('2026-12-02T02:00:00Z'));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.effects.filter((e) => e.kind === 'start_deadline')).toEqual([]);
    expect(d.state.mediation.startedAt).toBe('2026-11-26T01:00:00.000Z');
    expect(d.state.deadlines.court_pre_filing_mediation?.lastDay).toBe('2026-12-28');
  });

  it('when a run recorded before the rule replays, then it restarts the period as it did', () => {
    const d = decide(inMediation(false), accepts, new Date('2026-12-02T02:00:00Z'));
    expect(d.ok && d.effects).toContainEqual({
      kind: 'start_deadline',
      ruleId: 'court_pre_filing_mediation',
      startedAt: '2026-12-02T02:00:00.000Z',
    });
  });
});

describe('the window to apply for judicial confirmation after a recount', () => {
  const process = (applyBy: string) =>
    initialConfirmation({
      caseId: 'c',
      n: 1,
      court: { institutionId: 'court-5202', name: '揭阳市榕城区人民法院', venueGround: 'party_domicile' } as never,
      applicants: ['p1', 'p2'],
      agreementVersion: 1,
      applyBy,
    });
  const closes = { type: 'window_closed' as const, actor: { id: 'system', role: 'system' as const } };

  it('when a timer set for the old end fires after the window moved later, then the window stays open', () => {
    const d = decideConfirmation(process('2027-01-05T16:00:00.000Z'), closes, new Date('2027-01-04T16:00:01Z'));
    expect(d.ok ? undefined : d.refusal).toMatchObject({ code: 'not_yet_due' });
  });

  it('when the window has run out, then the process lapses (民事诉讼法 Art 205)', () => {
    const d = decideConfirmation(process('2027-01-05T16:00:00.000Z'), closes, new Date('2027-01-05T16:00:01Z'));
    expect(d.ok && d.state.status).toBe('LAPSED');
  });
});
