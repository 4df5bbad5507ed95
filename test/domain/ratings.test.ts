/**
 * Ratings (docs/supervision.md#ratings): the 差评 follow-up's clocks counted from their data rows on the real holiday
 * calendar, the path from a 差评 to its 追评, the 申诉复核, who reads what, and every refusal the rules give (a last
 * test reads domain/ratings.ts and fails naming any refusal code without a row here).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Actor, CaseStatus } from '../../domain/case.js';
import type { Refusal } from '../../domain/case-state.js';
import {
  LOCAL_RULE,
  RATING_CLOCKS,
  checkCallbackRecord,
  checkNewRating,
  computeRatingClock,
  decideRatingFollowUp,
  followUpActionsFor,
  followUpStarted,
  isConcluded,
  ratingGivenEvent,
  ratingReader,
  withRatingClock,
  type Rating,
  type RatingFollowUpCommand,
  type RatingFollowUpState,
  type FollowUpStatus,
} from '../../domain/ratings.js';
import { nextClockTimer, overdueClockIds, withClockStopped } from '../../domain/process-clocks.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
/** An instant at 10:00 Beijing time on a date. */
const at = (date: string) => new Date(Date.parse(`${date}T10:00:00+08:00`)).toISOString();
const now = new Date(at('2026-06-05'));

const party: Actor = { id: 'p1', role: 'party' };
const otherParty: Actor = { id: 'p2', role: 'party' };
const supervisor: Actor = { id: 'sup-1', role: 'supervisor' };
const clerk: Actor = { id: 'clerk-1', role: 'clerk' };
const mediator: Actor = { id: 'mediator-1', role: 'mediator' };
const otherMediator: Actor = { id: 'mediator-2', role: 'mediator' };
const system: Actor = { id: 'system', role: 'system' };

const rating = (more: Partial<Rating> = {}): Rating => ({
  ratingId: 'r-1',
  caseId: 'case-1',
  partyId: 'p1',
  level: 'very_dissatisfied',
  tags: ['attitude'],
  text: '调解员态度生硬，多次打断我的陈述',
  channel: 'portal',
  mediatorAccountId: 'mediator-1',
  orgId: 'rongcheng-pmc',
  ratedAt: at('2026-06-05'),
  ratedBy: party,
  ...more,
});

/** A follow-up with both of its first clocks counted, as the workflow starts it. */
function started(): RatingFollowUpState {
  const { state, effects } = followUpStarted(rating());
  return effects.reduce(
    (s, e) => (e.kind === 'start_clock' ? withRatingClock(s, computeRatingClock(e.clockId, e.startedAt, cal)) : s),
    state,
  );
}

function apply(s: RatingFollowUpState, c: RatingFollowUpCommand, when = now): RatingFollowUpState {
  const d = decideRatingFollowUp(s, c, when);
  if (!d.ok) throw new Error(`${c.type}: ${d.refusal.code}`);
  let next = d.state;
  for (const e of d.effects)
    next =
      e.kind === 'start_clock'
        ? withRatingClock(next, computeRatingClock(e.clockId, e.startedAt, cal))
        : (withClockStopped(next, e.clockId, e.outcome) ?? next);
  return next;
}

const inStatus = (status: FollowUpStatus, more: Partial<RatingFollowUpState> = {}): RatingFollowUpState => ({
  ...started(),
  status,
  ...more,
});

describe('the clocks, from their data rows on the holiday calendar', () => {
  it.each([
    // A Friday 差评: called back by Monday; 15 working days skip the Dragon Boat Festival (19 June 2026).
    ['rating_callback', '2026-06-05', '2026-06-08'],
    ['rating_rectification', '2026-06-05', '2026-06-29'],
    // The day before National Day: the call-back is due on the first working day after the holiday.
    ['rating_callback', '2026-09-30', '2026-10-08'],
    ['rating_rectification', '2026-09-30', '2026-10-27'],
  ] as const)('when a %s clock starts on %s, then its last day is %s', (clockId, day, lastDay) => {
    const counted = computeRatingClock(clockId, at(day), cal);
    expect(counted.lastDay).toBe(lastDay);
    expect(counted.explanation[0]).toContain(RATING_CLOCKS[clockId].citation);
  });

  it('when the local rule changes a length, then the clock follows the row (configurable data, not code)', () => {
    const rows = { ...RATING_CLOCKS, rating_callback: { ...RATING_CLOCKS.rating_callback, length: 2 } };
    expect(computeRatingClock('rating_callback', at('2026-06-05'), cal, rows).lastDay).toBe('2026-06-09');
  });

  it('when the clocks are read, then each cites the local 好差评 rule and counts working days', () => {
    expect(RATING_CLOCKS.rating_callback).toMatchObject({ length: 1, unit: 'working_days' });
    expect(RATING_CLOCKS.rating_rectification).toMatchObject({ length: 15, unit: 'working_days' });
    for (const row of Object.values(RATING_CLOCKS)) expect(row.citation).toContain(LOCAL_RULE);
    expect(LOCAL_RULE).toContain('2026年1月20日修订');
  });
});

describe('a rating', () => {
  it.each([
    ['NOT_ACCEPTED', true],
    ['TERMINATED', true],
    ['AGREEMENT_EFFECTIVE', true],
    ['CLOSED_ARCHIVED', true],
    ['IN_MEDIATION', false],
    ['REGISTERED', false],
  ] as const)('when the case is %s, then concluded is %s', (status, concluded) => {
    expect(isConcluded(status)).toBe(concluded);
    expect(checkNewRating({ caseStatus: status, alreadyRated: false })?.code).toBe(
      concluded ? undefined : 'case_not_concluded',
    );
  });

  it('when it is given, then its event carries the level and tags but never the text', () => {
    const e = ratingGivenEvent(rating());
    expect(e).toMatchObject({ seq: 1, type: 'RatingGiven', payload: { level: 'very_dissatisfied', negative: true } });
    expect(JSON.stringify(e)).not.toContain('态度生硬');
  });
});

describe('a 差评 followed through', () => {
  it('when it is called back, fixed, answered and rated again, then each clock stops as met and it closes', () => {
    let s = started();
    expect(nextClockTimer(s)).toEqual({ clockId: 'rating_callback', at: s.clocks.rating_callback!.dueAt });
    s = apply(s, { type: 'call_back', actor: clerk, reached: true, note: '已电话联系当事人' });
    expect([s.status, s.clocks.rating_callback!.status]).toEqual(['CALLED_BACK', 'met']);
    s = apply(s, { type: 'record_fix', actor: supervisor, kind: 'explained', text: '已向当事人解释调解程序' });
    s = apply(s, { type: 'answer', actor: supervisor, text: '经核实，已作解释说明' });
    expect([s.status, s.clocks.rating_rectification!.status, s.clocks.rating_follow_up!.status]).toEqual([
      'ANSWERED',
      'met',
      'open',
    ]);
    expect(followUpActionsFor(party, s)).toEqual(['add_follow_up']);
    s = apply(s, { type: 'add_follow_up', actor: party, level: 'satisfied', text: '解释清楚了' });
    expect(s).toMatchObject({ status: 'CLOSED', followUp: { level: 'satisfied' } });
    expect(s.clocks.rating_follow_up!.status).toBe('met');
  });

  it('when the call-back clock runs out, then it is overdue and the follow-up goes on', () => {
    const s = started();
    const late = new Date(Date.parse(s.clocks.rating_callback!.dueAt!) + 1);
    expect(overdueClockIds(s, late)).toEqual(['rating_callback']);
    const expired = apply(s, { type: 'clock_expired', actor: system, clockId: 'rating_callback' }, late);
    expect([expired.status, expired.clocks.rating_callback!.status]).toEqual(['AWAITING_CALLBACK', 'expired']);
    expect(overdueClockIds(expired, late)).toEqual(['rating_callback']);
  });

  it('when the mediator asks for a review and it is excluded as malicious, then the follow-up ends and its clocks are cancelled', () => {
    let s = apply(started(), { type: 'request_review', actor: mediator, reason: '当事人因未获支持恶意差评' });
    expect(followUpActionsFor(supervisor, s)).toContain('decide_review');
    s = apply(s, {
      type: 'decide_review',
      actor: supervisor,
      outcome: 'excluded_malicious',
      reasons: '经核实属恶意差评',
    });
    expect(s.status).toBe('EXCLUDED');
    expect(Object.values(s.clocks).map((c) => c!.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('when a review keeps the rating, then the follow-up goes on where it was', () => {
    let s = apply(started(), { type: 'request_review', actor: mediator, reason: '误评' });
    s = apply(s, { type: 'decide_review', actor: supervisor, outcome: 'kept', reasons: '评价属实' });
    expect([s.status, s.review?.outcome]).toEqual(['AWAITING_CALLBACK', 'kept']);
  });
});

describe('who reads a rating', () => {
  const r = rating();
  it.each([
    [{ ...supervisor }, 'full'],
    [{ ...clerk, orgId: 'rongcheng-pmc' }, 'full'],
    [{ ...clerk, orgId: 'another-org' }, undefined],
    [party, 'rater'],
    [otherParty, undefined],
    [mediator, 'rated'],
    [otherMediator, undefined],
    [{ id: 'court-1', role: 'court' as const }, undefined],
  ] as const)('when %o reads it, then as %s', (p, reader) => {
    expect(ratingReader(p, r)).toBe(reader);
  });
});

type Row = {
  when: string;
  refusal: () => Refusal | undefined;
  kind: Refusal['kind'];
  code: string;
};
const refused = (s: RatingFollowUpState, c: RatingFollowUpCommand) => () => {
  const d = decideRatingFollowUp(s, c, now);
  return d.ok ? undefined : d.refusal;
};
const reviewed = (outcome: 'kept' | null) =>
  inStatus('CALLED_BACK', {
    review: {
      reason: '误评',
      requestedAt: now.toISOString(),
      requestedBy: 'mediator-1',
      outcome,
      reasons: null,
      decidedAt: null,
    },
  });

const ROWS: Row[] = [
  {
    when: 'an open case is rated',
    refusal: () => checkNewRating({ caseStatus: 'IN_MEDIATION' as CaseStatus, alreadyRated: false }),
    kind: 'rule',
    code: 'case_not_concluded',
  },
  {
    when: 'a party rates a case a second time',
    refusal: () => checkNewRating({ caseStatus: 'TERMINATED', alreadyRated: true }),
    kind: 'rule',
    code: 'already_rated',
  },
  {
    when: 'a mediator records the call-back',
    refusal: refused(started(), { type: 'call_back', actor: mediator, reached: true, note: '—' }),
    kind: 'forbidden',
    code: 'role_not_allowed',
  },
  {
    when: 'the answer comes before the fix',
    refusal: refused(inStatus('CALLED_BACK'), { type: 'answer', actor: supervisor, text: '—' }),
    kind: 'wrong_state',
    code: 'wrong_state',
  },
  {
    when: 'another party adds the 追评',
    refusal: refused(inStatus('ANSWERED'), { type: 'add_follow_up', actor: otherParty, level: 'satisfied' }),
    kind: 'forbidden',
    code: 'not_the_rater',
  },
  {
    when: 'a second 追评 is given',
    refusal: refused(inStatus('ANSWERED', { followUp: { level: 'satisfied', text: null, at: now.toISOString() } }), {
      type: 'add_follow_up',
      actor: party,
      level: 'very_satisfied',
    }),
    kind: 'rule',
    code: 'follow_up_already_given',
  },
  {
    when: 'a mediator the rating is not about asks for its review',
    refusal: refused(started(), { type: 'request_review', actor: otherMediator, reason: '—' }),
    kind: 'forbidden',
    code: 'not_the_rated_mediator',
  },
  {
    when: 'the mediator asks for a second review',
    refusal: refused(reviewed(null), { type: 'request_review', actor: mediator, reason: '—' }),
    kind: 'rule',
    code: 'review_already_requested',
  },
  {
    when: 'the supervisor decides a review nobody asked for',
    refusal: refused(started(), { type: 'decide_review', actor: supervisor, outcome: 'kept', reasons: '—' }),
    kind: 'wrong_state',
    code: 'no_review_requested',
  },
  {
    when: 'a decided review is decided again',
    refusal: refused(reviewed('kept'), {
      type: 'decide_review',
      actor: supervisor,
      outcome: 'excluded_mistaken',
      reasons: '—',
    }),
    kind: 'rule',
    code: 'review_already_decided',
  },
  {
    when: 'a clock that is not running is said to have run out',
    refusal: refused(started(), { type: 'clock_expired', actor: system, clockId: 'rating_follow_up' }),
    kind: 'wrong_state',
    code: 'clock_not_running',
  },
  {
    when: 'a 回访 is recorded twice',
    refusal: () => checkCallbackRecord({ outcome: 'reached', alreadyRecorded: true }),
    kind: 'wrong_state',
    code: 'callback_already_recorded',
  },
  {
    when: 'a 回访 records a level without having reached the party',
    refusal: () => checkCallbackRecord({ outcome: 'unreachable', level: 'satisfied', alreadyRecorded: false }),
    kind: 'rule',
    code: 'level_without_contact',
  },
];

describe('every refusal', () => {
  it.each(ROWS.map((r) => [r.when, r] as const))('when %s, then it is refused', (_when, r) => {
    const refusal = r.refusal();
    expect({ kind: refusal?.kind, code: refusal?.code }).toEqual({ kind: r.kind, code: r.code });
    if (refusal?.kind === 'rule') expect(refusal.article).toBe(LOCAL_RULE);
  });

  it('when the rules can give a refusal code, then a row above names it', () => {
    const source = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../domain/ratings.ts'), 'utf8');
    const given = new Set([
      ...[...source.matchAll(/\brefuse\(\s*'(?:wrong_state|forbidden)',\s*'([a-z_]+)'/g)].map((m) => m[1]!),
      ...[...source.matchAll(/\brule\(\s*'([a-z_]+)'/g)].map((m) => m[1]!),
      ...[...source.matchAll(/\bcode: '([a-z_]+)'/g)].map((m) => m[1]!),
    ]);
    expect([...given].sort()).toEqual([...new Set(ROWS.map((r) => r.code))].sort());
  });
});
