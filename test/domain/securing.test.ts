/** The securing processes' rules, without Temporal: judicial confirmation and notarization. */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/case.js';
import type { DeadlineState } from '../../domain/case-rules.js';
import {
  decideConfirmation,
  decideNotarization,
  initialConfirmation,
  initialNotarization,
  notarizationEligibility,
  type ConfirmationState,
  type NotarizationState,
} from '../../domain/securing.js';

const now = new Date('2026-11-25T02:00:00Z');
const court: Actor = { id: 'court-5202', role: 'court' };
const clerk: Actor = { id: 'clerk-1', role: 'clerk' };
const system: Actor = { id: 'system', role: 'system' };
const p1: Actor = { id: 'p1', role: 'party' };
const open = (ruleId: string, dueAt: string): DeadlineState =>
  ({
    ruleId,
    startedAt: '2026-11-20T00:00:00.000Z',
    dueAt,
    lastDay: '',
    calendarVersion: 'v',
    extensionDays: 0,
    pausedDays: 0,
    explanation: [],
    status: 'open',
    reminderAt: null,
    reminded: false,
  }) as DeadlineState;

const jc = (extra: Partial<ConfirmationState> = {}): ConfirmationState => ({
  ...initialConfirmation({
    caseId: 'c',
    n: 1,
    court: { institutionId: 'court-5202', name: '揭阳市榕城区人民法院', venueGround: 'party_domicile' },
    applicants: ['p1', 'p2'],
    agreementVersion: 1,
  }),
  ...extra,
});
const ok = <S>(d: ReturnType<typeof decideConfirmation> | ReturnType<typeof decideNotarization>) => {
  if (!d.ok) throw new Error(d.refusal.code);
  return d as unknown as {
    ok: true;
    state: S;
    events: { type: string; payload: Record<string, unknown> }[];
    effects: unknown[];
  };
};

describe('judicial confirmation', () => {
  it('when one party has signed, then nothing goes to the court; when both have, it is submitted with the 3-day clock', () => {
    const one = ok<ConfirmationState>(
      decideConfirmation(jc(), { type: 'sign_application', actor: p1, partyId: 'p1', method: 'electronic' }, now),
    );
    expect(one.state.status).toBe('PREPARING');
    expect(one.effects).toEqual([]);
    const both = ok<ConfirmationState>(
      decideConfirmation(
        one.state,
        { type: 'sign_application', actor: clerk, partyId: 'p2', method: 'handwritten' },
        now,
      ),
    );
    expect(both.state.status).toBe('SUBMITTED');
    expect(both.effects).toContainEqual({
      kind: 'start_deadline',
      ruleId: 'court_confirmation_acceptance',
      startedAt: now.toISOString(),
    });
    expect(both.effects).toContainEqual({ kind: 'notify_institution', message: 'application_submitted' });
  });

  it.each([
    [
      'a party signs for the other party',
      jc(),
      { type: 'sign_application', actor: p1, partyId: 'p2', method: 'electronic' },
      'not_your_party',
    ],
    [
      'a clerk records an electronic signature',
      jc(),
      { type: 'sign_application', actor: clerk, partyId: 'p2', method: 'electronic' },
      'electronic_signature_by_party',
    ],
    [
      'a clerk rules for the court',
      jc({ status: 'ACCEPTED' }),
      { type: 'court_rules', actor: clerk, outcome: 'confirmed' },
      'role_not_allowed',
    ],
    [
      'the court rules before accepting',
      jc({ status: 'SUBMITTED' }),
      { type: 'court_rules', actor: court, outcome: 'confirmed' },
      'wrong_state',
    ],
    [
      'the court rejects without a ground',
      jc({ status: 'ACCEPTED' }),
      { type: 'court_rules', actor: court, outcome: 'rejected' },
      'ground_required',
    ],
    [
      'the review is extended twice',
      jc({ status: 'ACCEPTED', extensionDays: 10 }),
      { type: 'extend_review', actor: court, approvedBy: '院长' },
      'already_extended',
    ],
  ] as const)('when %s, then it is refused', (_name, state, command, code) => {
    const d = decideConfirmation(state, command as never, now);
    expect(d.ok ? undefined : d.refusal.code).toBe(code);
  });

  it('when the court asks for supplements, then the ruling clock pauses; handed in, it runs again with the pause excluded', () => {
    const accepted = jc({
      status: 'ACCEPTED',
      courtCaseNumber: '(2026)粤5202民特1号',
      deadlines: { court_confirmation_decision: open('court_confirmation_decision', '2026-12-10T16:00:00.000Z') },
    });
    const asked = ok<ConfirmationState>(
      decideConfirmation(accepted, { type: 'request_correction', actor: court, items: ['借款合同原件'], days: 5 }, now),
    );
    expect(asked.effects).toEqual([
      { kind: 'pause_deadline', ruleId: 'court_confirmation_decision' },
      { kind: 'start_deadline', ruleId: 'court_confirmation_correction', startedAt: now.toISOString(), length: 5 },
    ]);
    const paused = {
      ...asked.state,
      deadlines: {
        ...asked.state.deadlines,
        court_confirmation_decision: {
          ...open('court_confirmation_decision', '2026-12-10T16:00:00.000Z'),
          status: 'paused' as const,
        },
      },
    };
    const later = new Date('2026-11-28T02:00:00Z');
    const back = ok<ConfirmationState>(decideConfirmation(paused, { type: 'submit_correction', actor: clerk }, later));
    expect(back.state.status).toBe('ACCEPTED');
    expect(back.state.pauses).toEqual([{ from: now.toISOString(), to: later.toISOString() }]);
    expect(back.effects).toContainEqual({ kind: 'recompute_deadline', ruleId: 'court_confirmation_decision' });
  });

  it("when the supplements are not made by the court's date, then the application is treated as withdrawn (解释 Art 357)", () => {
    const s = jc({
      status: 'CORRECTION',
      correction: { since: '2026-11-20T00:00:00.000Z', items: ['x'] },
      deadlines: { court_confirmation_correction: open('court_confirmation_correction', '2026-11-24T16:00:00.000Z') },
    });
    const d = ok<ConfirmationState>(
      decideConfirmation(s, { type: 'deadline_expired', actor: system, ruleId: 'court_confirmation_correction' }, now),
    );
    expect(d.state).toMatchObject({ status: 'WITHDRAWN', outcome: { status: 'WITHDRAWN' } });
    expect(d.events.at(-1)!.payload).toMatchObject({ treatedAsWithdrawn: true, article: '民诉法解释第三百五十七条' });
  });

  it('when the 30-day window closes while the parties are still signing, then the application lapses', () => {
    const d = ok<ConfirmationState>(decideConfirmation(jc(), { type: 'window_closed', actor: system }, now));
    expect(d.state.status).toBe('LAPSED');
  });
});

describe('notarization', () => {
  const dated = [{ amountFen: 600_000, dueDate: '2026-12-31' }];
  it.each([
    ['a written loan repayment', { form: 'written', schedule: dated, obligation: 'money' }, undefined],
    [
      'a dated delivery of goods',
      { form: 'written', schedule: [{ dueDate: '2026-12-31' }], obligation: 'goods' },
      undefined,
    ],
    ['an oral agreement', { form: 'oral', schedule: dated, obligation: 'money' }, 'written_instrument_required'],
    ['an apology', { form: 'written', schedule: [{}], obligation: 'other' }, 'not_a_payment'],
    [
      'a payment without a date',
      { form: 'written', schedule: [{ amountFen: 100 }], obligation: 'money' },
      'indefinite_terms',
    ],
  ] as const)('when the agreement is %s, then eligibility is %s', (_name, input, code) => {
    const r = notarizationEligibility(input as never);
    expect(r.ok ? undefined : r.code).toBe(code);
  });

  const notary: Actor = { id: 'notary-jieyang', role: 'notary' };
  const n = (extra: Partial<NotarizationState> = {}): NotarizationState => ({
    ...initialNotarization({
      caseId: 'c',
      n: 1,
      notary: { institutionId: 'notary-jieyang', name: '揭阳市公证处' },
      creditorPartyId: 'p1',
      debtorPartyId: 'p2',
      agreementVersion: 1,
      feeReduction: false,
    }),
    ...extra,
  });

  it("when only the creditor has signed, then nothing goes to the notary; the debtor's signature carries the commitment and sends it", () => {
    const creditor = ok<NotarizationState>(
      decideNotarization(n(), { type: 'sign_application', actor: clerk, partyId: 'p1', method: 'handwritten' }, now),
    );
    expect(creditor.state.status).toBe('PREPARING');
    expect(creditor.effects).toEqual([]);
    const forDebtor = decideNotarization(
      creditor.state,
      { type: 'sign_application', actor: p1, partyId: 'p2', method: 'electronic' },
      now,
    );
    expect(forDebtor.ok ? undefined : forDebtor.refusal.code).toBe('not_your_party');
    const debtor = ok<NotarizationState>(
      decideNotarization(
        creditor.state,
        { type: 'sign_application', actor: { id: 'p2', role: 'party' }, partyId: 'p2', method: 'electronic' },
        now,
      ),
    );
    expect(debtor.state.status).toBe('REQUESTED');
    expect(debtor.events[0]!.payload).toMatchObject({ as: 'debtor', enforcementCommitment: true });
    expect(debtor.effects).toContainEqual({ kind: 'notify_institution', message: 'application_submitted' });
  });

  it('when the notary asks for supplements, then the 15 working days pause and resume with the pause excluded', () => {
    const asked = ok<NotarizationState>(
      decideNotarization(
        n({ status: 'ACCEPTED' }),
        { type: 'request_supplement', actor: notary, items: ['身份证明'] },
        now,
      ),
    );
    expect(asked.effects).toEqual([{ kind: 'pause_deadline', ruleId: 'notarization' }]);
    const back = ok<NotarizationState>(
      decideNotarization(asked.state, { type: 'submit_supplement', actor: clerk }, new Date('2026-11-27T02:00:00Z')),
    );
    expect(back.state).toMatchObject({
      status: 'ACCEPTED',
      pauses: [{ from: now.toISOString(), to: '2026-11-27T02:00:00.000Z' }],
    });
    expect(back.effects).toContainEqual({ kind: 'recompute_deadline', ruleId: 'notarization' });
  });

  it('when the notary refuses, then the ground and article are recorded', () => {
    const d = ok<NotarizationState>(
      decideNotarization(
        n({ status: 'ACCEPTED' }),
        { type: 'refuse_notarization', actor: notary, ground: 'disputed' },
        now,
      ),
    );
    expect(d.state.status).toBe('REFUSED');
    expect(d.events[0]!.payload).toMatchObject({ ground: 'disputed', article: '公证法第三十一条' });
  });
});
