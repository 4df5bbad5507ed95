import { describe, expect, it } from 'vitest';
import type { Actor, CaseIntake } from '../../domain/case.js';
import { decide, initialState, registration, type CaseCommand, type CaseState } from '../../domain/case-rules.js';
import { fictionalIdNumber } from '../support/fixtures.js';

const clerk: Actor = { id: 'clerk-1', role: 'clerk' };
const mediator: Actor = { id: 'mediator-1', role: 'mediator' };
const now = new Date('2026-11-25T02:00:00Z');

function intake(overrides: Partial<CaseIntake> = {}): CaseIntake {
  return {
    caseId: '00000000-0000-4000-8000-000000000001',
    receivedAt: '2026-11-25T01:00:00.000Z',
    channel: 'walk_in',
    disputeType: 'loan_debt',
    summary: '借款纠纷',
    claimantLearnedOfHarmOn: '2026-03-01',
    parties: [
      { partyId: 'p1', role: 'applicant', kind: 'natural', name: '张三', idNumber: fictionalIdNumber(), phone: '17000001234' },
      { partyId: 'p2', role: 'respondent', kind: 'natural', name: '李四' },
    ],
    registeredBy: clerk,
    routing: { intakeOrgId: 'center' },
    ...overrides,
  };
}
const registered = (o: Partial<CaseIntake> = {}): CaseState => ({ ...initialState(intake(o)), caseNumber: 'X', lastSeq: 1 });

describe('decide', () => {
  const cases: { name: string; state: CaseState; command: CaseCommand; expect: { status?: string; refusal?: string; kind?: string } }[] = [
    { name: 'a clerk accepts a registered case', state: registered(), command: { type: 'accept', actor: clerk }, expect: { status: 'PENDING_ASSIGNMENT' } },
    { name: 'a mediator tries to accept', state: registered(), command: { type: 'accept', actor: mediator }, expect: { kind: 'forbidden', refusal: 'role_not_allowed' } },
    { name: 'an accepted case is accepted again', state: { ...registered(), status: 'PENDING_ASSIGNMENT' }, command: { type: 'accept', actor: clerk }, expect: { kind: 'wrong_state', refusal: 'wrong_state' } },
    { name: 'a walk-in dispute already before the police is accepted', state: registered({ priorProceedings: { before: 'police' } }), command: { type: 'accept', actor: clerk }, expect: { kind: 'rule', refusal: 'already_before_authority' } },
    { name: 'a court hands over a dispute before it', state: registered({ channel: 'court_post_filing', priorProceedings: { before: 'court' } }), command: { type: 'accept', actor: clerk }, expect: { status: 'PENDING_ASSIGNMENT' } },
    { name: 'a clerk declines a registered case', state: registered(), command: { type: 'decline', actor: clerk, reason: 'outside_scope' }, expect: { status: 'NOT_ACCEPTED' } },
    { name: 'a declined case is declined again', state: { ...registered(), status: 'NOT_ACCEPTED' }, command: { type: 'decline', actor: clerk, reason: 'outside_scope' }, expect: { kind: 'wrong_state', refusal: 'wrong_state' } },
  ];

  it.each(cases)('when $name, then the outcome is as the rules say', ({ state, command, expect: want }) => {
    const d = decide(state, command, now);
    if (want.status) {
      expect(d.ok).toBe(true);
      if (d.ok) {
        expect(d.state.status).toBe(want.status);
        expect(d.events).toHaveLength(1);
        expect(d.events[0]).toMatchObject({ seq: state.lastSeq + 1, at: now.toISOString(), actor: command.actor });
        expect(d.state.lastSeq).toBe(state.lastSeq + 1);
      }
    } else {
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.refusal).toMatchObject({ kind: want.kind, code: want.refusal });
    }
  });

  it('when a rule refuses, then the refusal cites its article', () => {
    const d = decide(registered({ priorProceedings: { before: 'administrative' } }), { type: 'accept', actor: clerk }, now);
    expect(d.ok ? undefined : d.refusal).toMatchObject({ kind: 'rule', article: expect.stringContaining('第二十二条') });
  });

  it('when a case is declined, then the event gives the reason, its article and the other routes, and the case closes', () => {
    const d = decide(registered(), { type: 'decline', actor: clerk, reason: 'party_refuses_mediation', note: '被申请人拒绝' }, now);
    if (!d.ok) throw new Error('expected a decision');
    expect(d.events[0]!.payload).toMatchObject({ reason: 'party_refuses_mediation', article: '人民调解法第十七条', note: '被申请人拒绝' });
    expect(d.events[0]!.payload.otherRoutesNotice).toContain('仲裁');
    expect(d.state.closedAt).toBe(now.toISOString());
  });

  it('when the registration event is built, then it carries no personal data', () => {
    const e = registration(intake()).event;
    const text = JSON.stringify(e);
    expect(text).not.toContain('张三');
    expect(text).not.toContain(fictionalIdNumber());
    expect(text).not.toContain('17000001234');
    expect(e.payload.parties).toEqual([
      { partyId: 'p1', role: 'applicant', kind: 'natural' },
      { partyId: 'p2', role: 'respondent', kind: 'natural' },
    ]);
  });
});
