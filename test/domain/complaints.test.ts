/**
 * Complaints (docs/supervision.md#complaints): the clocks counted from their data rows on the real holiday
 * calendar, the path from filing to feedback, merging a repeated complaint, and every refusal the rules give
 * (a last test reads domain/complaints.ts and fails naming any refusal code without a row here).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/case.js';
import {
  COMPLAINT_CLOCKS,
  COMPLAINT_OUTCOMES,
  complaintActionsFor,
  complaintFiled,
  complaintReader,
  computeComplaintClock,
  decideComplaint,
  isSameMatter,
  outcomeTableFor,
  withClock,
  type ComplaintCommand,
  type ComplaintFiling,
  type ComplaintState,
  type ComplaintStatus,
} from '../../domain/complaints.js';
import { nextClockTimer, overdueClockIds, withClockStopped } from '../../domain/process-clocks.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';

const cal = loadHolidayCalendar();
/** An event at 10:00 Beijing time on a date. */
const at = (date: string) => new Date(Date.parse(`${date}T10:00:00+08:00`)).toISOString();
const now = new Date(at('2026-06-01'));

const supervisor: Actor = { id: 'sup-1', role: 'supervisor' };
const clerk: Actor = { id: 'clerk-1', role: 'clerk' };
const complainant: Actor = { id: 'p1', role: 'party' };
const agent: Actor = { id: 'p3', role: 'party' };
const otherParty: Actor = { id: 'p2', role: 'party' };
const mediator: Actor = { id: 'mediator-1', role: 'mediator' };
const system: Actor = { id: 'system', role: 'system' };

function filing(more: Partial<ComplaintFiling> = {}): ComplaintFiling {
  return {
    complaintId: 'c-1',
    caseId: 'case-1',
    channel: 'portal',
    ground: 'partiality',
    facts: '调解员多次打断申请人陈述',
    request: '更换调解员并予以批评教育',
    evidenceRefs: [],
    replyChannel: 'sms',
    target: { kind: 'mediator', id: 'mediator-1', name: '吴国栋', mediatorKind: 'people' },
    complainantPartyId: 'p1',
    filedBy: complainant,
    receivedAt: at('2026-05-29'),
    ...more,
  };
}

/** A complaint in a status, with what that status implies already recorded. */
function inStatus(status: ComplaintStatus, more: Partial<ComplaintState> = {}): ComplaintState {
  const base = complaintFiled(filing()).state;
  const acceptedAt = ['ACCEPTED', 'DECIDED', 'ANSWERED', 'CLOSED'].includes(status) ? at('2026-05-30') : null;
  return { ...base, status, acceptedAt, ...more };
}
const investigating = (more: Partial<ComplaintState> = {}) =>
  inStatus('ACCEPTED', { investigator: { accountId: 'clerk-1', name: '陈晓琳' }, findings: '属实', ...more });

/** Applies commands one after another; each must be allowed. */
function run(state: ComplaintState, ...commands: ComplaintCommand[]) {
  let s = state;
  const types: string[] = [];
  for (const c of commands) {
    const d = decideComplaint(s, c, now);
    if (!d.ok) throw new Error(`${c.type}: ${d.refusal.code}`);
    s = d.state;
    types.push(...d.events.map((e) => e.type));
  }
  return { state: s, types };
}

describe('the clocks, from their data rows', () => {
  it.each([
    // 29 Sep (Tue): 30 Sep, then the National Day break, 8, 9, 10 (a make-up Saturday) and 12 Oct.
    ['complaint_acceptance', '2026-09-29', 0, '2026-10-12'],
    ['complaint_answer', '2026-09-29', 0, '2026-10-12'],
    // 45 calendar days from 1 June end on 16 July; with the 30 days approved, on Saturday 15 August, rolled to Monday.
    ['complaint_decision', '2026-06-01', 0, '2026-07-16'],
    ['complaint_decision', '2026-06-01', 30, '2026-08-17'],
    // 45 days from 20 August end on 4 October, inside the National Day break: rolled to 8 October.
    ['complaint_decision', '2026-08-20', 0, '2026-10-08'],
    // The one-time notice's own period: 10 working days from 1 June (Dragon Boat Festival on 19 June not reached).
    ['complaint_supplement', '2026-06-01', 0, '2026-06-15'],
  ] as const)(
    'when %s starts on %s (extended by %i days), then its last day is %s',
    (clockId, start, extension, lastDay) => {
      const counted = computeComplaintClock(clockId, at(start), cal, extension);
      expect(counted.lastDay).toBe(lastDay);
      expect(counted.dueAt).toBe(new Date(Date.parse(`${lastDay}T24:00:00+08:00`)).toISOString());
      expect(counted.explanation[0]).toContain(COMPLAINT_CLOCKS[clockId].citation);
    },
  );

  it('when the rows are read, then each names its length, unit and source, and only the decision may be extended (by approval)', () => {
    const rows = Object.values(COMPLAINT_CLOCKS).map((r) => [r.id, r.length, r.unit, r.extension?.days ?? null]);
    expect(rows).toEqual([
      ['complaint_acceptance', 5, 'working_days', null],
      ['complaint_supplement', 10, 'working_days', null],
      ['complaint_decision', 45, 'calendar_days', 30],
      ['complaint_answer', 5, 'working_days', null],
      ['complaint_feedback', 10, 'working_days', null],
    ]);
    for (const r of Object.values(COMPLAINT_CLOCKS)) expect(r.citation.length).toBeGreaterThan(4);
  });

  it('when clocks run, then the next timer is the earliest open one, and a passed one shows as overdue', () => {
    let s = withClock(inStatus('ACCEPTED'), computeComplaintClock('complaint_decision', at('2026-06-01'), cal));
    s = withClock(s, computeComplaintClock('complaint_acceptance', at('2026-06-01'), cal));
    expect(nextClockTimer(s)).toEqual({
      clockId: 'complaint_acceptance',
      at: s.clocks.complaint_acceptance!.dueAt,
    });
    expect(overdueClockIds(s, new Date(at('2026-06-05')))).toEqual([]);
    expect(overdueClockIds(s, new Date(at('2026-06-09')))).toEqual(['complaint_acceptance']);
    const stopped = withClockStopped(s, 'complaint_acceptance', 'met')!;
    expect(nextClockTimer(stopped)?.clockId).toBe('complaint_decision');
    expect(withClockStopped(stopped, 'complaint_acceptance', 'met')).toBeUndefined();
  });
});

describe('a complaint from filing to feedback', () => {
  it('when filed, then the acceptance clock starts at receipt and the first event carries no free text', () => {
    const { state, event, effects } = complaintFiled(filing({ filedBy: agent }));
    expect(state.status).toBe('FILED');
    expect(state.complainantIds).toEqual(['p1', 'p3']);
    expect(effects).toEqual([{ kind: 'start_clock', clockId: 'complaint_acceptance', startedAt: at('2026-05-29') }]);
    expect(JSON.stringify(event.payload)).not.toContain('调解员多次打断');
  });

  it('when noticed, supplemented, accepted, decided upheld, answered and rated, then each step moves the clocks', () => {
    const filed = complaintFiled(filing()).state;
    const notice = decideComplaint(filed, { type: 'issue_notice', actor: supervisor, missing: ['调解笔录'] }, now);
    expect(notice.ok && notice.effects).toEqual([
      { kind: 'stop_clock', clockId: 'complaint_acceptance', outcome: 'cancelled' },
      { kind: 'start_clock', clockId: 'complaint_supplement', startedAt: now.toISOString() },
    ]);
    const { state, types } = run(
      filed,
      { type: 'issue_notice', actor: supervisor, missing: ['调解笔录'] },
      { type: 'supplement', actor: complainant, text: '补充调解笔录', evidenceRefs: ['m-1'] },
      { type: 'accept', actor: supervisor },
      { type: 'assign_investigator', actor: supervisor, accountId: 'clerk-1', name: '陈晓琳' },
      { type: 'record_findings', actor: clerk, findings: '经调查，投诉属实' },
      { type: 'decide', actor: supervisor, upheld: true, outcome: 'criticism_education', reasons: '偏袒一方属实' },
      { type: 'answer', actor: supervisor, channel: 'sms', text: '经调查，投诉成立，已对调解员批评教育' },
      { type: 'give_feedback', actor: complainant, satisfied: true },
    );
    expect(types).toEqual([
      'ComplaintNoticeIssued',
      'ComplaintSupplemented',
      'ComplaintAccepted',
      'ComplaintInvestigatorAssigned',
      'ComplaintFindingsRecorded',
      'ComplaintDecided',
      'ComplaintUpheld',
      'ComplaintAnswered',
      'ComplaintFeedbackGiven',
    ]);
    expect(state).toMatchObject({
      status: 'CLOSED',
      lastSeq: 10,
      decision: { upheld: true, outcome: 'criticism_education' },
    });
  });

  it('when a supplement arrives, then the acceptance review counts again from that day', () => {
    const s = inStatus('AWAITING_SUPPLEMENT', { notice: { missing: ['证据'], issuedAt: at('2026-05-29') } });
    const d = decideComplaint(s, { type: 'supplement', actor: clerk, text: '电话补充', evidenceRefs: [] }, now);
    expect(d.ok && d.effects).toContainEqual({
      kind: 'start_clock',
      clockId: 'complaint_acceptance',
      startedAt: now.toISOString(),
    });
  });

  it('when the decision is extended with approval, then the clock is counted again from acceptance with the days added', () => {
    const s = withClock(investigating(), computeComplaintClock('complaint_decision', at('2026-05-30'), cal));
    const d = decideComplaint(
      s,
      { type: 'extend_decision', actor: supervisor, days: 30, approvedBy: '局长', reason: '情况复杂' },
      now,
    );
    expect(d.ok && d.effects).toEqual([
      { kind: 'start_clock', clockId: 'complaint_decision', startedAt: at('2026-05-30'), extensionDays: 30 },
    ]);
  });

  it('when the one-time notice is not answered in time, then the complaint is deemed withdrawn', () => {
    const s = withClock(
      inStatus('AWAITING_SUPPLEMENT'),
      computeComplaintClock('complaint_supplement', at('2026-05-29'), cal),
    );
    const d = decideComplaint(s, { type: 'clock_expired', actor: system, clockId: 'complaint_supplement' }, now);
    expect(d.ok && [d.state.status, d.events.map((e) => e.type)]).toEqual([
      'WITHDRAWN',
      ['ComplaintClockExpired', 'ComplaintDeemedWithdrawn'],
    ]);
  });

  it('when the acceptance clock runs out, then the complaint stays open and the clock is overdue', () => {
    const s = withClock(inStatus('FILED'), computeComplaintClock('complaint_acceptance', at('2026-05-29'), cal));
    const d = decideComplaint(s, { type: 'clock_expired', actor: system, clockId: 'complaint_acceptance' }, now);
    expect(d.ok && d.state.status).toBe('FILED');
    expect(d.ok && overdueClockIds(d.state, now)).toEqual(['complaint_acceptance']);
  });
});

describe('outcomes by kind of target', () => {
  it.each([
    [{ kind: 'mediator', mediatorKind: 'people' }, ['criticism_education', 'order_correction', 'dismissal']],
    [{ kind: 'mediator', mediatorKind: 'court_invited' }, ['warning', 'circulation', 'removal']],
    [{ kind: 'organization' }, ['criticism_education', 'order_correction']],
  ] as const)('when the target is %j, then the open outcomes are %j', (target, outcomes) => {
    expect(Object.keys(COMPLAINT_OUTCOMES[outcomeTableFor(target)].outcomes)).toEqual(outcomes);
  });

  it('when a complaint against a court-invited mediator is upheld with 除名, then the upheld event names the target for the credit file', () => {
    const s = investigating({
      filing: filing({ target: { kind: 'mediator', id: 'm-9', name: '某', mediatorKind: 'court_invited' } }),
    });
    const d = decideComplaint(
      s,
      { type: 'decide', actor: supervisor, upheld: true, outcome: 'removal', reasons: '收受财物' },
      now,
    );
    expect(d.ok && d.events.find((e) => e.type === 'ComplaintUpheld')?.payload).toMatchObject({
      targetKind: 'mediator',
      targetId: 'm-9',
      outcome: 'removal',
    });
  });
});

describe('merging a repeated complaint', () => {
  const open = { caseId: 'case-1', complainantPartyId: 'p1', targetKind: 'mediator', targetId: 'mediator-1' };
  it.each([
    ['the same case, party and target', open, true],
    ['another target', { ...open, targetId: 'mediator-2' }, false],
    ['another party of the case', { ...open, complainantPartyId: 'p2' }, false],
    ['another case', { ...open, caseId: 'case-2' }, false],
  ])('when a complaint comes on %s, then it is merged: %s', (_why, incoming, same) => {
    expect(isSameMatter(open, incoming)).toBe(same);
  });

  it('when merged, then the open complaint keeps the repeat with its facts and its channel, and no clock restarts', () => {
    const d = decideComplaint(
      inStatus('ACCEPTED'),
      {
        type: 'merge_repeat',
        actor: agent,
        complainantPartyId: 'p1',
        channel: 'portal',
        facts: '再次投诉同一事项',
        evidenceRefs: [],
      },
      now,
    );
    expect(d.ok && [d.state.repeats.length, d.state.repeats[0]!.facts, d.effects]).toEqual([1, '再次投诉同一事项', []]);
  });
});

describe('who reads a complaint', () => {
  const filed = inStatus('FILED', { complainantIds: ['p1', 'p3'] });
  const accepted = { ...filed, acceptedAt: at('2026-05-30') };
  it.each([
    ['the supervisor', supervisor, filed, 'full'],
    ['the clerk who recorded it', clerk, { ...filed, filing: filing({ filedBy: clerk }) }, 'full'],
    ['the complainant', complainant, filed, 'complainant'],
    ['the agent who filed for them', agent, filed, 'complainant'],
    ['another party of the case', otherParty, accepted, undefined],
    ['the mediator complained about, before acceptance', mediator, filed, undefined],
    ['the mediator complained about, once accepted', mediator, accepted, 'target'],
    ['another member of staff', { id: 'clerk-9', role: 'clerk' as const }, accepted, undefined],
  ] as const)('when %s reads it, then they read it as %s', (_who, actor, state, reader) => {
    expect(complaintReader(actor, state)).toBe(reader);
  });

  it('when a complaint is filed, then the supervisor may notice, accept or decline it, and the complainant nothing yet', () => {
    const s = inStatus('FILED');
    expect(complaintActionsFor(supervisor, s)).toEqual(['issue_notice', 'accept', 'decline']);
    expect(complaintActionsFor(complainant, s)).toEqual([]);
    expect(complaintActionsFor(otherParty, inStatus('ANSWERED'))).toEqual([]);
    expect(complaintActionsFor(complainant, inStatus('ANSWERED'))).toEqual(['give_feedback']);
  });
});

// Every refusal ----------------------------------------------------------------------------------------------

type Row = {
  when: string;
  state: ComplaintState;
  command: ComplaintCommand;
  code: string;
  kind: string;
  article?: string;
};
const decide = (upheld: boolean, outcome?: string) =>
  ({ type: 'decide', actor: supervisor, upheld, outcome, reasons: '理由' }) as ComplaintCommand;
const peopleCitation = COMPLAINT_OUTCOMES.people.citation;

const ROWS: Row[] = [
  {
    when: 'a mediator accepts',
    state: inStatus('FILED'),
    command: { type: 'accept', actor: mediator },
    kind: 'forbidden',
    code: 'role_not_allowed',
  },
  {
    when: 'an accepted complaint is accepted again',
    state: inStatus('ACCEPTED'),
    command: { type: 'accept', actor: supervisor },
    kind: 'wrong_state',
    code: 'wrong_state',
  },
  {
    when: 'another party supplements',
    state: inStatus('AWAITING_SUPPLEMENT'),
    command: { type: 'supplement', actor: otherParty, text: 'x', evidenceRefs: [] },
    kind: 'forbidden',
    code: 'not_the_complainant',
  },
  {
    when: 'a second notice is issued',
    state: inStatus('FILED', { notice: { missing: ['a'], issuedAt: at('2026-05-29') } }),
    command: { type: 'issue_notice', actor: supervisor, missing: ['b'] },
    kind: 'rule',
    code: 'notice_already_issued',
    article: COMPLAINT_CLOCKS.complaint_supplement.citation,
  },
  {
    when: 'findings come before an investigator',
    state: inStatus('ACCEPTED'),
    command: { type: 'record_findings', actor: supervisor, findings: 'x' },
    kind: 'wrong_state',
    code: 'no_investigator',
  },
  {
    when: 'a clerk who is not the investigator records findings',
    state: investigating({ investigator: { accountId: 'clerk-2', name: '林志强' } }),
    command: { type: 'record_findings', actor: clerk, findings: 'x' },
    kind: 'forbidden',
    code: 'not_the_investigator',
  },
  {
    when: 'the decision period is extended twice',
    state: investigating({ extension: { days: 10, approvedBy: '局长', reason: 'x' } }),
    command: { type: 'extend_decision', actor: supervisor, days: 10, approvedBy: '局长', reason: 'y' },
    kind: 'rule',
    code: 'already_extended',
    article: COMPLAINT_CLOCKS.complaint_decision.citation,
  },
  {
    when: 'the extension is longer than allowed',
    state: investigating(),
    command: { type: 'extend_decision', actor: supervisor, days: 31, approvedBy: '局长', reason: 'x' },
    kind: 'rule',
    code: 'extension_too_long',
    article: COMPLAINT_CLOCKS.complaint_decision.citation,
  },
  {
    when: 'a decision comes before findings',
    state: investigating({ findings: null }),
    command: decide(true, 'order_correction'),
    kind: 'wrong_state',
    code: 'no_findings',
  },
  {
    when: 'an upheld decision names no outcome',
    state: investigating(),
    command: decide(true),
    kind: 'rule',
    code: 'outcome_required',
    article: peopleCitation,
  },
  {
    when: 'a rejected complaint names a sanction',
    state: investigating(),
    command: decide(false, 'order_correction'),
    kind: 'rule',
    code: 'outcome_without_upholding',
    article: peopleCitation,
  },
  {
    when: "a people's mediator is given a court-invited mediator's sanction",
    state: investigating(),
    command: decide(true, 'removal'),
    kind: 'rule',
    code: 'outcome_not_for_target',
    article: peopleCitation,
  },
  {
    when: 'a clock that is not running is said to have run out',
    state: inStatus('FILED'),
    command: { type: 'clock_expired', actor: system, clockId: 'complaint_decision' },
    kind: 'wrong_state',
    code: 'clock_not_running',
  },
];

describe('every refusal', () => {
  it.each(ROWS.map((r) => [r.when, r] as const))('when %s, then it is refused', (_when, r) => {
    const d = decideComplaint(r.state, r.command, now);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect({
      kind: d.refusal.kind,
      code: d.refusal.code,
      ...('article' in d.refusal ? { article: d.refusal.article } : {}),
    }).toEqual({
      kind: r.kind,
      code: r.code,
      ...(r.article ? { article: r.article } : {}),
    });
  });

  it('when the rules can give a refusal code, then a row above names it', () => {
    const source = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../domain/complaints.ts'), 'utf8');
    const given = new Set([
      ...[...source.matchAll(/\brefuse\(\s*'(?:wrong_state|forbidden)',\s*'([a-z_]+)'/g)].map((m) => m[1]!),
      ...[...source.matchAll(/\brule\(\s*'([a-z_]+)'/g)].map((m) => m[1]!),
    ]);
    expect([...given].sort()).toEqual([...new Set(ROWS.map((r) => r.code))].sort());
  });
});
