import { describe, expect, it } from 'vitest';
import { effectPathOf, type Actor, type CaseIntake } from '../../domain/case.js';
import {
  decide,
  initialState,
  nextTimer,
  registration,
  type CaseCommand,
  type CaseState,
} from '../../domain/case-rules.js';
import { fictionalIdNumber, ruleIntake } from '../support/fixtures.js';

const clerk: Actor = { id: 'clerk-1', role: 'clerk' };
const mediator: Actor = { id: 'mediator-1', role: 'mediator' };
const now = new Date('2026-11-25T02:00:00Z');

const intake = ruleIntake;
const registered = (o: Partial<CaseIntake> = {}): CaseState => ({
  ...initialState(intake(o)),
  caseNumber: 'X',
  lastSeq: 1,
});

describe('decide', () => {
  const cases: {
    name: string;
    state: CaseState;
    command: CaseCommand;
    expect: { status?: string; refusal?: string; kind?: string };
  }[] = [
    {
      name: 'a clerk accepts a registered case',
      state: registered(),
      command: { type: 'accept', actor: clerk },
      expect: { status: 'PENDING_ASSIGNMENT' },
    },
    {
      name: 'a mediator tries to accept',
      state: registered(),
      command: { type: 'accept', actor: mediator },
      expect: { kind: 'forbidden', refusal: 'role_not_allowed' },
    },
    {
      name: 'an accepted case is accepted again',
      state: { ...registered(), status: 'PENDING_ASSIGNMENT' },
      command: { type: 'accept', actor: clerk },
      expect: { kind: 'wrong_state', refusal: 'wrong_state' },
    },
    {
      name: 'a walk-in dispute already before the police is accepted',
      state: registered({ priorProceedings: { before: 'police' } }),
      command: { type: 'accept', actor: clerk },
      expect: { kind: 'rule', refusal: 'already_before_authority' },
    },
    {
      name: 'a court hands over a dispute before it',
      state: registered({ channel: 'court_post_filing', priorProceedings: { before: 'court' } }),
      command: { type: 'accept', actor: clerk },
      expect: { status: 'PENDING_ASSIGNMENT' },
    },
    {
      name: 'a clerk declines a registered case',
      state: registered(),
      command: { type: 'decline', actor: clerk, reason: 'outside_scope' },
      expect: { status: 'NOT_ACCEPTED' },
    },
    {
      name: 'a declined case is declined again',
      state: { ...registered(), status: 'NOT_ACCEPTED' },
      command: { type: 'decline', actor: clerk, reason: 'outside_scope' },
      expect: { kind: 'wrong_state', refusal: 'wrong_state' },
    },
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
    const d = decide(
      registered({ priorProceedings: { before: 'administrative' } }),
      { type: 'accept', actor: clerk },
      now,
    );
    expect(d.ok ? undefined : d.refusal).toMatchObject({
      kind: 'rule',
      article: expect.stringContaining('第二十二条'),
    });
  });

  it('when a case is declined, then the event gives the reason, its article and the other routes, and the case closes', () => {
    const d = decide(
      registered(),
      { type: 'decline', actor: clerk, reason: 'party_refuses_mediation', note: '被申请人拒绝' },
      now,
    );
    if (!d.ok) throw new Error('expected a decision');
    expect(d.events[0]!.payload).toMatchObject({
      reason: 'party_refuses_mediation',
      article: '人民调解法第十七条',
      note: '被申请人拒绝',
    });
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

describe('the pipeline rules', () => {
  const mediatorId = 'mediator-1';
  const wu: Actor = { id: mediatorId, role: 'mediator' };
  const other: Actor = { id: 'mediator-2', role: 'mediator' };
  const system: Actor = { id: 'system', role: 'system' };
  const inMediation = (o: Partial<CaseIntake> = {}): CaseState => ({
    ...registered(o),
    status: 'IN_MEDIATION',
    assignment: { orgId: 'rongcheng-pmc', mediatorId, mode: 'designated', excluded: [], refusedByParties: 0 },
  });
  const ok = (d: ReturnType<typeof decide>) => {
    if (!d.ok) throw new Error(`refused: ${d.refusal.code}`);
    return d;
  };

  it('when another mediator acts on the case, then it is forbidden', () => {
    const d = decide(
      inMediation(),
      { type: 'record_session', actor: other, at: now.toISOString(), place: '调解室', mode: 'in_person', record: '…' },
      now,
    );
    expect(d.ok ? undefined : d.refusal.code).toBe('not_the_assigned_mediator');
  });

  it("when a party application is accepted, then the general period and the parties' choice window start", () => {
    const d = ok(decide(registered(), { type: 'accept', actor: clerk }, now));
    expect(d.effects).toEqual([
      { kind: 'render_document', document: 'rights_notice', version: 1 },
      { kind: 'start_deadline', ruleId: 'general_mediation', startedAt: now.toISOString() },
      { kind: 'start_deadline', ruleId: 'party_mediator_choice', startedAt: now.toISOString() },
    ]);
  });

  it('when a one-sided application is accepted, then the other side is contacted first (3 working days)', () => {
    const d = ok(decide(registered({ oneSided: true }), { type: 'accept', actor: clerk }, now));
    expect(d.state.status).toBe('PENDING_COUNTERPARTY_CONSENT');
    expect(d.effects).toEqual([
      { kind: 'render_document', document: 'rights_notice', version: 1 },
      { kind: 'start_deadline', ruleId: 'counterparty_contact', startedAt: now.toISOString() },
    ]);
  });

  it('when only one party consents to an extension, then nothing moves; when all do, the period is recomputed', () => {
    const open = {
      ruleId: 'general_mediation' as const,
      startedAt: '',
      dueAt: '2026-12-25T16:00:00.000Z',
      lastDay: '',
      calendarVersion: 'v',
      extensionDays: 0,
      pausedDays: 0,
      explanation: [],
      status: 'open' as const,
      reminderAt: null,
      reminded: false,
    };
    const one = ok(
      decide(
        { ...inMediation(), deadlines: { general_mediation: open } },
        { type: 'consent_to_extension', actor: clerk, partyId: 'p1', days: 10 },
        now,
      ),
    );
    expect(one.effects).toEqual([]);
    const both = ok(decide(one.state, { type: 'consent_to_extension', actor: clerk, partyId: 'p2', days: 10 }, now));
    expect(both.state.mediation.extensionDays).toBe(10);
    expect(both.effects).toEqual([{ kind: 'recompute_deadline', ruleId: 'general_mediation' }]);
  });

  it('when a party consents for the other party, then it is forbidden', () => {
    const d = decide(
      inMediation(),
      { type: 'consent_to_extension', actor: { id: 'p1', role: 'party' }, partyId: 'p2', days: 10 },
      now,
    );
    expect(d.ok ? undefined : d.refusal.code).toBe('not_your_party');
  });

  it('when a court case is terminated without a failure report, then the rule refuses', () => {
    const d = decide(
      inMediation({ channel: 'court_pre_filing' }),
      { type: 'terminate', actor: wu, reason: 'positions_too_far_apart' },
      now,
    );
    expect(d.ok ? undefined : d.refusal).toMatchObject({
      kind: 'rule',
      code: 'failure_report_required',
      article: '人民法院在线调解规则第二十一条',
    });
  });

  it('when the mediation period expires, then mediation is terminated for that reason and the case closes', () => {
    const s: CaseState = {
      ...inMediation(),
      deadlines: {
        general_mediation: {
          ruleId: 'general_mediation',
          startedAt: '',
          dueAt: now.toISOString(),
          lastDay: '',
          calendarVersion: 'v',
          extensionDays: 0,
          pausedDays: 0,
          explanation: [],
          status: 'open',
          reminderAt: null,
          reminded: false,
        },
      },
    };
    const d = ok(decide(s, { type: 'deadline_expired', actor: system, ruleId: 'general_mediation' }, now));
    expect(d.state).toMatchObject({ status: 'TERMINATED', termination: { reason: 'period_expired' } });
    expect(d.events.map((e) => e.type)).toEqual(['DeadlineExpired', 'MediationTerminated']);
    expect(d.state.closedAt).toBe(now.toISOString());
  });

  it('when the mediator does not accept in time, then the case awaits a new mediator and that one is excluded', () => {
    const s: CaseState = {
      ...inMediation(),
      status: 'PENDING_MEDIATOR_ACCEPT',
      deadlines: {
        mediator_acceptance: {
          ruleId: 'mediator_acceptance',
          startedAt: '',
          dueAt: now.toISOString(),
          lastDay: '',
          calendarVersion: 'v',
          extensionDays: 0,
          pausedDays: 0,
          explanation: [],
          status: 'open',
          reminderAt: null,
          reminded: false,
        },
      },
    };
    const d = ok(decide(s, { type: 'deadline_expired', actor: system, ruleId: 'mediator_acceptance' }, now));
    expect(d.state.status).toBe('PENDING_ASSIGNMENT');
    expect(d.state.assignment.excluded).toEqual([mediatorId]);
    expect(d.state.assignment.mediatorId).toBeUndefined();
  });

  it.each([
    ['walk_in', 'loan_debt', ['p1', 'p2', 'mediator', 'organization_seal'], '人民调解法第二十九条'],
    ['walk_in', 'labour', ['p1', 'p2', 'mediator', 'organization_seal'], '劳动争议调解仲裁法第十四条'],
    ['court_pre_filing', 'loan_debt', ['p1', 'p2'], '特邀调解规定第二十四条'],
  ] as const)(
    'when a %s %s agreement is signed by %j, then it takes effect under %s',
    (channel, disputeType, signers, basis) => {
      let s: CaseState = {
        ...inMediation({ channel, disputeType }),
        status: 'AGREEMENT_DRAFTING',
        agreement: {
          form: 'written',
          version: 1,
          hash: 'h',
          path: effectPathOf({ channel, disputeType }),
          signatures: [],
        },
      };
      s = { ...s, status: 'PENDING_SIGNATURE' };
      let last: ReturnType<typeof decide> | undefined;
      for (const signer of signers) {
        const actor: Actor = signer === 'mediator' ? wu : clerk;
        last = ok(decide(s, { type: 'sign', actor, signer, method: 'handwritten', draftVersion: 1 }, now));
        s = last.state;
      }
      expect(s.status).toBe('AGREEMENT_EFFECTIVE');
      expect(last!.ok && last!.events.find((e) => e.type === 'AgreementEffective')?.payload.basis).toBe(basis);
      expect(last!.ok && last!.effects).toContainEqual({
        kind: 'start_deadline',
        ruleId: 'judicial_confirmation_application',
        startedAt: now.toISOString(),
      });
    },
  );

  it('when timers are pending, then the earliest reminder or due time comes next', () => {
    const base = {
      startedAt: '',
      lastDay: '',
      calendarVersion: 'v',
      extensionDays: 0,
      pausedDays: 0,
      explanation: [],
      status: 'open' as const,
      reminded: false,
    };
    const s: CaseState = {
      ...inMediation(),
      deadlines: {
        general_mediation: {
          ...base,
          ruleId: 'general_mediation',
          dueAt: '2026-12-25T16:00:00.000Z',
          reminderAt: '2026-12-22T01:00:00.000Z',
        },
        legal_aid_decision: {
          ...base,
          ruleId: 'legal_aid_decision',
          dueAt: '2026-12-02T16:00:00.000Z',
          reminderAt: null,
        },
      },
    };
    expect(nextTimer(s)).toEqual({
      at: '2026-12-02T16:00:00.000Z',
      command: 'deadline_expired',
      ruleId: 'legal_aid_decision',
    });
  });
});

describe('review fixes', () => {
  const mediating = (status: CaseState['status'], due: string, extra: Partial<CaseState> = {}): CaseState => ({
    ...initialState({
      caseId: 'c',
      receivedAt: '2026-11-01T00:00:00Z',
      channel: 'court_post_filing',
      disputeType: 'loan_debt',
      summary: 's',
      claimantLearnedOfHarmOn: '2026-01-01',
      parties: [
        { partyId: 'p1', role: 'applicant', kind: 'natural', name: 'a' },
        { partyId: 'p2', role: 'respondent', kind: 'natural', name: 'b' },
      ],
      court: { courtCode: '粤5202', courtCaseNumber: '(2026)粤5202民初1号', procedure: 'ordinary' },
      registeredBy: clerk,
      routing: { intakeOrgId: 'center' },
    }),
    status,
    assignment: { mediatorId: 'm', orgId: 'o', mode: 'designated', excluded: [], refusedByParties: 0 },
    deadlines: {
      court_post_filing_ordinary: {
        ruleId: 'court_post_filing_ordinary',
        startedAt: '',
        dueAt: due,
        lastDay: '',
        calendarVersion: 'v',
        extensionDays: 0,
        pausedDays: 0,
        explanation: [],
        status: status === 'SUSPENDED' ? 'paused' : 'open',
        reminderAt: null,
        reminded: false,
      },
    },
    ...extra,
  });
  const system: Actor = { id: 'system', role: 'system' };

  it('when an expiry timer runs after the period was moved later, then it is refused', () => {
    const d = decide(
      mediating('IN_MEDIATION', '2026-12-30T16:00:00.000Z'),
      { type: 'deadline_expired', actor: system, ruleId: 'court_post_filing_ordinary' },
      now,
    );
    expect(d.ok ? undefined : d.refusal.code).toBe('not_yet_due');
  });

  it('when 委托 extensions add up past 30 days, then the rule refuses', () => {
    const s = mediating('IN_MEDIATION', '2026-12-30T16:00:00.000Z', {
      mediation: { sessions: 0, pauses: [], extensionDays: 20, extensionConsents: {} },
    });
    const d = decide(s, { type: 'consent_to_extension', actor: clerk, partyId: 'p1', days: 15 }, now);
    expect(d.ok ? undefined : d.refusal.code).toBe('extension_too_long');
  });

  it('when every party agrees to extend while mediation is suspended, then the paused clock is not restarted', () => {
    let s = mediating('SUSPENDED', '2026-12-30T16:00:00.000Z');
    const one = decide(s, { type: 'consent_to_extension', actor: clerk, partyId: 'p1', days: 10 }, now);
    if (!one.ok) throw new Error(one.refusal.code);
    s = one.state;
    const both = decide(s, { type: 'consent_to_extension', actor: clerk, partyId: 'p2', days: 10 }, now);
    if (!both.ok) throw new Error(both.refusal.code);
    expect(both.state.mediation.extensionDays).toBe(10);
    expect(both.effects).toEqual([]);
  });
});

describe('second review', () => {
  const system: Actor = { id: 'system', role: 'system' };
  const party1: Actor = { id: 'p1', role: 'party' };
  const base = (o: Partial<CaseIntake> = {}, extra: Partial<CaseState> = {}): CaseState => ({
    ...registered(o),
    status: 'IN_MEDIATION',
    assignment: { orgId: 'o', mediatorId: 'mediator-1', mode: 'designated', excluded: [], refusedByParties: 0 },
    ...extra,
  });
  const open = (
    ruleId: 'labour_mediation' | 'general_mediation' | 'legal_aid_decision' | 'party_mediator_choice',
    dueAt = '2026-11-20T16:00:00.000Z',
  ) => ({
    ruleId,
    startedAt: '2026-11-01T00:00:00.000Z',
    dueAt,
    lastDay: '',
    calendarVersion: 'v',
    extensionDays: 0,
    pausedDays: 0,
    explanation: [] as string[],
    status: 'open' as const,
    reminderAt: null,
    reminded: false,
  });

  it('when a clerk records a party signature as electronic, then it is refused; the party may sign electronically', () => {
    const s = base(
      {},
      {
        status: 'PENDING_SIGNATURE',
        agreement: { form: 'written', version: 1, hash: 'h', path: 'peoples_mediation', signatures: [] },
      },
    );
    const byClerk = decide(s, { type: 'sign', actor: clerk, signer: 'p1', method: 'electronic', draftVersion: 1 }, now);
    expect(byClerk.ok ? undefined : byClerk.refusal.code).toBe('electronic_signature_by_party');
    expect(
      decide(s, { type: 'sign', actor: clerk, signer: 'p1', method: 'handwritten', draftVersion: 1 }, now).ok,
    ).toBe(true);
    expect(
      decide(s, { type: 'sign', actor: party1, signer: 'p1', method: 'electronic', draftVersion: 1 }, now).ok,
    ).toBe(true);
  });

  it('when a labour mediation is suspended, then its 15 days keep running and resuming does not move them', () => {
    const s = base(
      { disputeType: 'labour' },
      { deadlines: { labour_mediation: open('labour_mediation', '2026-12-10T16:00:00.000Z') } },
    );
    const suspended = decide(s, { type: 'suspend', actor: clerk, reason: 'appraisal' }, now);
    if (!suspended.ok) throw new Error(suspended.refusal.code);
    expect(suspended.effects).toEqual([]);
    expect(suspended.events[0]!.payload).toMatchObject({ clockPaused: false });
    const resumed = decide(suspended.state, { type: 'resume', actor: clerk }, new Date('2026-11-28T00:00:00Z'));
    if (!resumed.ok) throw new Error(resumed.refusal.code);
    expect(resumed.effects).toEqual([]);
    expect(resumed.state.mediation.pauses).toEqual([]);
  });

  it('when a general mediation is suspended, then its period pauses', () => {
    const s = base({}, { deadlines: { general_mediation: open('general_mediation', '2026-12-10T16:00:00.000Z') } });
    const d = decide(s, { type: 'suspend', actor: clerk, reason: 'appraisal' }, now);
    expect(d.ok && d.effects).toEqual([{ kind: 'pause_deadline', ruleId: 'general_mediation' }]);
  });

  it('when a labour mediator records an oral agreement, then the rule asks for a written one', () => {
    const d = decide(
      base({ disputeType: 'labour' }),
      { type: 'record_oral_agreement', actor: { id: 'mediator-1', role: 'mediator' }, version: 1, hash: 'h' },
      now,
    );
    expect(d.ok ? undefined : d.refusal).toMatchObject({
      code: 'written_agreement_required',
      article: '劳动争议调解仲裁法第十四条',
    });
  });

  it('when the choice window closes after one recusal, then the organization designates; after a second, it is refusing mediation', () => {
    const pending = (refused: number) =>
      base(
        {},
        {
          status: 'PENDING_ASSIGNMENT',
          assignment: {
            orgId: 'o',
            excluded: Array.from({ length: refused }, (_, i) => `m${i}`),
            refusedByParties: refused,
          },
          deadlines: { party_mediator_choice: open('party_mediator_choice') },
        },
      );
    const once = decide(pending(1), { type: 'deadline_expired', actor: system, ruleId: 'party_mediator_choice' }, now);
    expect(once.ok && once.effects).toEqual([{ kind: 'auto_assign' }]);
    const twice = decide(pending(2), { type: 'deadline_expired', actor: system, ruleId: 'party_mediator_choice' }, now);
    if (!twice.ok) throw new Error(twice.refusal.code);
    expect(twice.events.map((e) => e.type)).toEqual(['DeadlineExpired', 'AllMediatorsRefused', 'MediationTerminated']);
    expect(twice.events.every((e) => e.actor.role === 'system')).toBe(true);
    expect(twice.state).toMatchObject({ status: 'TERMINATED', termination: { reason: 'party_refuses_to_continue' } });
  });

  it('when an agreement takes effect while legal aid is pending, then the aid deadline stays open and can still be decided', () => {
    const s = base(
      {},
      {
        status: 'PENDING_SIGNATURE',
        agreement: {
          form: 'written',
          version: 1,
          hash: 'h',
          path: 'peoples_mediation',
          signatures: ['p1', 'p2', 'mediator'],
        },
        screening: {
          ...registered().screening,
          legalAid: { status: 'applied', partyId: 'p1', basis: 'economic_hardship' },
        },
        deadlines: {
          general_mediation: open('general_mediation', '2026-12-10T16:00:00.000Z'),
          legal_aid_decision: open('legal_aid_decision', '2026-12-02T16:00:00.000Z'),
        },
      },
    );
    const sealed = decide(
      s,
      { type: 'sign', actor: clerk, signer: 'organization_seal', method: 'seal', draftVersion: 1 },
      now,
    );
    if (!sealed.ok) throw new Error(sealed.refusal.code);
    expect(sealed.state.status).toBe('AGREEMENT_EFFECTIVE');
    expect(sealed.effects).toContainEqual({ kind: 'stop_deadline', ruleId: 'general_mediation', outcome: 'met' });
    expect(sealed.effects.filter((e) => 'ruleId' in e && e.ruleId === 'legal_aid_decision')).toEqual([]);
    const decided = decide(
      sealed.state,
      { type: 'decide_legal_aid', actor: { id: 'la', role: 'legal_aid_officer' }, granted: true, reason: '经济困难' },
      now,
    );
    expect(decided.ok).toBe(true);
  });

  it('when an agent applies for legal aid for themselves, then it is refused: aid is for the party they act for', () => {
    const s = registered({
      parties: [
        { partyId: 'p1', role: 'applicant', kind: 'natural', name: '张三' },
        { partyId: 'p2', role: 'respondent', kind: 'natural', name: '李四' },
        { partyId: 'a1', role: 'agent', kind: 'natural', name: '王律师', representsPartyId: 'p1' },
      ],
    });
    const agent: Actor = { id: 'a1', role: 'party' };
    const own = decide(
      s,
      { type: 'apply_legal_aid', actor: agent, partyId: 'a1', basis: 'economic_hardship', selfDeclaration: true },
      now,
    );
    expect(own.ok ? undefined : own.refusal.code).toBe('unknown_party');
    expect(
      decide(
        s,
        { type: 'apply_legal_aid', actor: agent, partyId: 'p1', basis: 'economic_hardship', selfDeclaration: true },
        now,
      ).ok,
    ).toBe(true);
  });
});

describe('archiving while instalments run', () => {
  const clerkA: Actor = { id: 'clerk-1', role: 'clerk' };
  const performing = (jcOutcome?: string): CaseState => ({
    ...registered(),
    status: 'AGREEMENT_EFFECTIVE',
    performance: {
      instalments: [
        {
          n: 1,
          amountFen: 100,
          dueDate: '2026-12-30',
          lastDay: '2026-12-30',
          dueAt: '2026-12-30T16:00:00.000Z',
          reminderAt: null,
          reminded: false,
          status: 'pending',
        },
      ],
      followUps: 0,
      defaulted: false,
    },
    ...(jcOutcome
      ? {
          securing: {
            processes: [
              {
                kind: 'judicial_confirmation' as const,
                n: 1,
                workflowId: 'w',
                institutionId: 'court-5202',
                agreementVersion: 1,
                status: jcOutcome,
                final: true,
                reportSeq: 5,
                outcome: { status: jcOutcome, at: now.toISOString() },
              },
            ],
          },
        }
      : {}),
  });

  it('when instalments are still running, then the file stays open; after a rejected confirmation the parties may sue and it can close', () => {
    const running = decide(performing(), { type: 'archive', actor: clerkA }, now);
    expect(running.ok ? undefined : running.refusal.code).toBe('performance_pending');
    const rejected = decide(performing('REJECTED'), { type: 'archive', actor: clerkA }, now);
    expect(rejected.ok && rejected.state.status).toBe('CLOSED_ARCHIVED');
  });
});

describe('securing from the case', () => {
  const clerkB: Actor = { id: 'clerk-1', role: 'clerk' };
  const window = (status: 'open' | 'met', dueAt: string) => ({
    judicial_confirmation_application: {
      ruleId: 'judicial_confirmation_application' as const,
      startedAt: '2026-11-20T00:00:00.000Z',
      dueAt,
      lastDay: '',
      calendarVersion: 'v',
      extensionDays: 0,
      pausedDays: 0,
      explanation: [],
      status,
      reminderAt: null,
      reminded: false,
    },
  });
  const summary = (
    kind: 'judicial_confirmation' | 'notarization',
    status: string,
    final: boolean,
    agreementVersion = 1,
  ) => ({
    kind,
    n: 1,
    workflowId: 'w',
    institutionId: 'x',
    agreementVersion,
    status,
    final,
    reportSeq: 3,
    ...(final ? { outcome: { status, at: now.toISOString() } } : {}),
  });
  const effective = (extra: Partial<CaseState> = {}): CaseState => ({
    ...registered(),
    status: 'AGREEMENT_EFFECTIVE',
    agreement: {
      form: 'written',
      version: 1,
      hash: 'h',
      path: 'peoples_mediation',
      signatures: [],
      effectiveAt: '2026-11-20T00:00:00.000Z',
      schedule: [{ amountFen: 100, dueDate: '2026-12-30' }],
    },
    ...extra,
  });
  const apply = {
    type: 'apply_judicial_confirmation',
    actor: clerkB,
    court: { institutionId: 'court-5202', name: '榕城区法院' },
    venueGround: 'party_domicile',
  } as const;

  it('when a first application was not accepted, then the parties may apply again while the 30 days last, not after', () => {
    const s = effective({
      deadlines: window('met', '2026-12-20T16:00:00.000Z'),
      securing: { processes: [summary('judicial_confirmation', 'NOT_ACCEPTED', true)] },
    });
    const again = decide(s, apply, now);
    expect(again.ok && again.effects[0]).toMatchObject({
      kind: 'start_process',
      process: { n: 2, applyBy: '2026-12-20T16:00:00.000Z' },
    });
    const late = decide(s, apply, new Date('2026-12-21T00:00:00Z'));
    expect(late.ok ? undefined : late.refusal.code).toBe('window_closed');
  });

  it('when mediation resumes after a rejection, then a notarization under way blocks it, and an old title does not carry over', () => {
    const rejected = summary('judicial_confirmation', 'REJECTED', true);
    const blocked = decide(
      effective({ securing: { processes: [rejected, summary('notarization', 'ACCEPTED', false)] } }),
      { type: 'remediate', actor: clerkB },
      now,
    );
    expect(blocked.ok ? undefined : blocked.refusal.code).toBe('notarization_under_way');
    const resumed = decide(
      effective({
        securing: { processes: [rejected, summary('notarization', 'ISSUED', true)], enforceableBy: 'notarization' },
      }),
      { type: 'remediate', actor: clerkB },
      now,
    );
    if (!resumed.ok) throw new Error(resumed.refusal.code);
    expect(resumed.state.securing?.enforceableBy).toBeUndefined();
    // The new agreement (version 2) can be notarized in its own right.
    const next = {
      ...resumed.state,
      status: 'AGREEMENT_EFFECTIVE' as const,
      agreement: { ...effective().agreement!, version: 2 },
    };
    const notarize = decide(
      next,
      {
        type: 'request_notarization',
        actor: clerkB,
        notary: { institutionId: 'notary-jieyang', name: '公证处' },
        creditorPartyId: 'p1',
        debtorPartyId: 'p2',
        obligation: 'money',
      },
      now,
    );
    expect(notarize.ok).toBe(true);
  });
});

describe('materials', () => {
  const court: Actor = { id: 'court-5202', role: 'court' };
  const letter = {
    materialId: 'm1',
    kind: 'court_letter' as const,
    sha256: 'a'.repeat(64),
    sizeBytes: 1200,
    mediaType: 'application/pdf',
  };

  it('when a court sends a file for a case it delegated, then the chain records it by hash once, however often it is sent', () => {
    const first = decide(
      registered({ channel: 'court_pre_filing' }),
      { type: 'record_material', actor: court, material: letter },
      now,
    );
    if (!first.ok) throw new Error(first.refusal.code);
    expect(first.events).toEqual([expect.objectContaining({ type: 'MaterialReceived', payload: letter })]);
    const again = decide(first.state, { type: 'record_material', actor: court, material: letter }, now);
    expect(again.ok && again.events).toEqual([]);
  });

  it('when the case is closed, then a file is refused; a party uploads evidence of their own while it is open', () => {
    expect(
      decide(
        { ...registered(), status: 'CLOSED_ARCHIVED' },
        { type: 'record_material', actor: clerk, material: letter },
        now,
      ),
    ).toMatchObject({ ok: false, refusal: { kind: 'wrong_state' } });
    const evidence = { ...letter, materialId: 'm2', kind: 'evidence' as const };
    expect(
      decide(registered(), { type: 'record_material', actor: { id: 'p1', role: 'party' }, material: evidence }, now),
    ).toMatchObject({ ok: true, events: [{ type: 'MaterialReceived', payload: evidence }] });
  });
});

describe('the parties choose their mediator (在线调解规则 Art 10)', () => {
  const choosing = (): CaseState => ({ ...registered(), status: 'PENDING_ASSIGNMENT' });
  const proposal = (mediatorId: string) => ({
    mediatorId,
    orgId: 'rongcheng-pmc',
    mode: 'party_choice' as const,
    reasoning: { onRoster: true },
  });
  const party = (id: string): Actor => ({ id, role: 'party' });
  const choose = (state: CaseState, partyId: string, mediatorId: string, actor: Actor = party(partyId)) =>
    decide(state, { type: 'choose_mediator', actor, partyId, proposal: proposal(mediatorId) }, now);
  const ok = (d: ReturnType<typeof decide>) => {
    if (!d.ok) throw new Error(`refused: ${d.refusal.code}`);
    return d;
  };

  it('when one party chooses, then the choice is recorded and the case still waits for the other side', () => {
    const d = ok(choose(choosing(), 'p1', 'mediator-7'));
    expect(d.state.status).toBe('PENDING_ASSIGNMENT');
    expect(d.state.assignment.choices).toEqual({ p1: 'mediator-7' });
    expect(d.events).toEqual([
      expect.objectContaining({
        type: 'MediatorChosen',
        payload: { partyId: 'p1', mediatorId: 'mediator-7', agreed: false, article: '人民法院在线调解规则第十条' },
      }),
    ]);
    expect(d.effects).toEqual([]);
  });

  it("when both sides name the same mediator, then that mediator is assigned as the parties' choice and the choice window closes", () => {
    const first = ok(choose(choosing(), 'p1', 'mediator-7'));
    const d = ok(choose(first.state, 'p2', 'mediator-7'));
    expect(d.state.status).toBe('PENDING_MEDIATOR_ACCEPT');
    expect(d.state.assignment).toMatchObject({ mediatorId: 'mediator-7', mode: 'party_choice' });
    expect(d.state.assignment.choices).toBeUndefined();
    expect(d.events.map((e) => e.type)).toEqual(['MediatorChosen', 'MediatorAssigned']);
    expect(d.events[1]!.payload).toMatchObject({
      mode: 'party_choice',
      reasoning: { onRoster: true, chosenBy: ['p1', 'p2'] },
    });
    expect(d.effects).toEqual([
      { kind: 'stop_deadline', ruleId: 'party_mediator_choice', outcome: 'met' },
      { kind: 'start_deadline', ruleId: 'mediator_acceptance', startedAt: now.toISOString() },
    ]);
  });

  it('when the sides name different mediators, then nobody is assigned until one changes their choice', () => {
    const a = ok(choose(choosing(), 'p1', 'mediator-7'));
    const b = ok(choose(a.state, 'p2', 'mediator-8'));
    expect(b.state.status).toBe('PENDING_ASSIGNMENT');
    expect(b.state.assignment.choices).toEqual({ p1: 'mediator-7', p2: 'mediator-8' });
    const c = ok(choose(b.state, 'p1', 'mediator-8'));
    expect(c.state.assignment.mediatorId).toBe('mediator-8');
  });

  it('when a party chooses for the other side, a mediator already excluded, or after assignment, then it is refused', () => {
    expect(choose(choosing(), 'p2', 'mediator-7', party('p1'))).toMatchObject({
      ok: false,
      refusal: { code: 'not_your_party' },
    });
    const excluded = { ...choosing(), assignment: { excluded: ['mediator-7'], refusedByParties: 0 } };
    expect(choose(excluded, 'p1', 'mediator-7')).toMatchObject({ ok: false, refusal: { code: 'mediator_excluded' } });
    expect(choose({ ...choosing(), status: 'IN_MEDIATION' }, 'p1', 'mediator-7')).toMatchObject({
      ok: false,
      refusal: { code: 'wrong_state' },
    });
    expect(
      decide(
        choosing(),
        { type: 'choose_mediator', actor: mediator, partyId: 'p1', proposal: proposal('mediator-7') },
        now,
      ),
    ).toMatchObject({ ok: false, refusal: { code: 'role_not_allowed' } });
  });

  it("when a clerk records a choice given at the desk, then it counts as that party's", () => {
    const d = ok(choose(choosing(), 'p2', 'mediator-7', clerk));
    expect(d.state.assignment.choices).toEqual({ p2: 'mediator-7' });
  });
});

describe('written notices (issue 13, item 5)', () => {
  const system: Actor = { id: 'system', role: 'system' };
  const officer: Actor = { id: 'la-1', role: 'legal_aid_officer' };
  const ok = (d: ReturnType<typeof decide>) => {
    if (!d.ok) throw new Error(`refused: ${d.refusal.code}`);
    return d;
  };
  const awaitingOtherSide = (): CaseState => ({
    ...registered({ oneSided: true }),
    status: 'PENDING_COUNTERPARTY_CONSENT',
  });
  const inMediation = (o: Partial<CaseIntake> = {}, s: Partial<CaseState> = {}): CaseState => ({
    ...registered(o),
    status: 'IN_MEDIATION',
    assignment: {
      orgId: 'rongcheng-pmc',
      mediatorId: 'mediator-1',
      mode: 'designated',
      excluded: [],
      refusedByParties: 0,
    },
    ...s,
  });

  it('when a clerk declines a case, then the not-accepted notice is written', () => {
    const d = ok(decide(registered(), { type: 'decline', actor: clerk, reason: 'possible_criminal_matter' }, now));
    expect(d.effects).toContainEqual({ kind: 'render_document', document: 'not_accepted_notice', version: 1 });
  });

  it('when the other side refuses, then the notice names who refused (by reference) and is written', () => {
    const d = ok(
      decide(
        awaitingOtherSide(),
        { type: 'counterparty_refuses', actor: clerk, partyId: 'p2', note: '电话中明确拒绝' },
        now,
      ),
    );
    expect(d.state.notAccepted).toEqual({ reason: 'party_refuses_mediation', partyId: 'p2', note: '电话中明确拒绝' });
    expect(d.effects).toContainEqual({ kind: 'render_document', document: 'counterparty_notice', version: 1 });
  });

  it('when the other side cannot be reached after a logged attempt, then the notice is written; without one, nothing is', () => {
    expect(decide(awaitingOtherSide(), { type: 'close_unreachable', actor: clerk }, now).ok).toBe(false);
    const logged = ok(
      decide(
        awaitingOtherSide(),
        { type: 'log_contact', actor: clerk, channel: 'phone_call', result: 'no_answer' },
        now,
      ),
    );
    const d = ok(decide(logged.state, { type: 'close_unreachable', actor: clerk }, now));
    expect(d.effects).toContainEqual({ kind: 'render_document', document: 'counterparty_notice', version: 1 });
  });

  it('when legal aid is refused, then a written refusal is rendered, one version per refusal; a grant writes none', () => {
    const applied = (s: CaseState) =>
      ok(
        decide(
          s,
          { type: 'apply_legal_aid', actor: clerk, partyId: 'p1', basis: 'economic_hardship', selfDeclaration: true },
          now,
        ),
      ).state;
    const first = ok(
      decide(
        applied(registered()),
        { type: 'decide_legal_aid', actor: officer, granted: false, reason: '收入高于经济困难标准' },
        now,
      ),
    );
    expect(first.effects).toContainEqual({ kind: 'render_document', document: 'legal_aid_refusal', version: 1 });
    const second = ok(
      decide(
        applied(first.state),
        { type: 'decide_legal_aid', actor: officer, granted: false, reason: '仍高于标准' },
        now,
      ),
    );
    expect(second.effects).toContainEqual({ kind: 'render_document', document: 'legal_aid_refusal', version: 2 });
    const granted = ok(
      decide(
        applied(second.state),
        { type: 'decide_legal_aid', actor: officer, granted: true, reason: '收入下降，符合条件' },
        now,
      ),
    );
    expect(granted.effects.some((e) => e.kind === 'render_document')).toBe(false);
  });

  it('when a party refuses to sign, then the termination names the party by reference, with no English text and no id in the note', () => {
    const s = inMediation(
      {},
      {
        status: 'PENDING_SIGNATURE',
        agreement: { form: 'written', version: 1, hash: 'h', path: 'peoples_mediation', signatures: [] },
      },
    );
    const d = ok(decide(s, { type: 'refuse_to_sign', actor: clerk, partyId: 'p2' }, now));
    expect(d.state.termination).toEqual({ reason: 'party_refuses_to_sign', returnedToCourt: false, partyId: 'p2' });
    const terminated = d.events.find((e) => e.type === 'MediationTerminated')!;
    expect(terminated.payload).toMatchObject({
      reason: 'party_refuses_to_sign',
      reasonLabel: '当事人拒绝在调解协议上签章',
      partyId: 'p2',
    });
    expect(terminated.payload.note).toBeUndefined();
    expect(d.effects).toContainEqual({ kind: 'render_document', document: 'termination_notice', version: 1 });
  });

  it('when the period runs out, then the termination records which period, not its English description', () => {
    const due = {
      ruleId: 'general_mediation' as const,
      startedAt: '',
      dueAt: now.toISOString(),
      lastDay: '2026-11-24',
      calendarVersion: 'v',
      extensionDays: 0,
      pausedDays: 0,
      explanation: [],
      status: 'open' as const,
      reminderAt: null,
      reminded: false,
    };
    const d = ok(
      decide(
        inMediation({}, { deadlines: { general_mediation: due } }),
        { type: 'deadline_expired', actor: system, ruleId: 'general_mediation' },
        now,
      ),
    );
    expect(d.state.termination).toEqual({
      reason: 'period_expired',
      returnedToCourt: false,
      ruleId: 'general_mediation',
    });
    expect(JSON.stringify(d.events.find((e) => e.type === 'MediationTerminated'))).not.toMatch(/terminate and tell/);
  });
});

describe('a court gets a real failure report (issue 13, item 6)', () => {
  const system: Actor = { id: 'system', role: 'system' };
  const wu: Actor = { id: 'mediator-1', role: 'mediator' };
  const ok = (d: ReturnType<typeof decide>) => {
    if (!d.ok) throw new Error(`refused: ${d.refusal.code}`);
    return d;
  };
  const facts = {
    basicFacts: '借款12000元，到期未还。',
    undisputedFacts: '借款事实及金额双方无异议。',
    costlyConduct: '被申请人两次无故缺席调解。',
  };
  const courtCase = (s: Partial<CaseState> = {}): CaseState => ({
    ...registered({ channel: 'court_pre_filing' }),
    status: 'IN_MEDIATION',
    assignment: {
      orgId: 'rongcheng-pmc',
      mediatorId: 'mediator-1',
      mode: 'designated',
      excluded: [],
      refusedByParties: 0,
    },
    askForFailureFacts: true,
    deadlines: {
      court_pre_filing_mediation: {
        ruleId: 'court_pre_filing_mediation',
        startedAt: '',
        dueAt: now.toISOString(),
        lastDay: '2026-11-24',
        calendarVersion: 'v',
        extensionDays: 0,
        pausedDays: 0,
        explanation: [],
        status: 'open',
        reminderAt: null,
        reminded: false,
      },
    },
    ...s,
  });
  const expire = (s: CaseState) =>
    ok(decide(s, { type: 'deadline_expired', actor: system, ruleId: 'court_pre_filing_mediation' }, now));
  const reportOf = (d: { effects: { kind: string }[] }) =>
    (
      d.effects.find((e) => e.kind === 'render_document' && 'failureReport' in e) as
        { failureReport: Record<string, unknown> } | undefined
    )?.failureReport;

  it('when the mediator recorded the facts during mediation and the period runs out, then the report carries them and goes out at once', () => {
    const recorded = ok(decide(courtCase(), { type: 'record_case_facts', actor: wu, ...facts }, now));
    expect(recorded.events.map((e) => e.type)).toEqual(['CaseFactsRecorded']);
    const d = expire(recorded.state);
    expect(d.state.status).toBe('RETURNED_TO_COURT');
    expect(reportOf(d)).toEqual({
      ...facts,
      whyFailed: '调解期限届满，未达成调解协议，且各方当事人未达成延长调解期限的合意',
    });
    expect(d.effects).toContainEqual(expect.objectContaining({ kind: 'report_to_court', message: 'failure_report' }));
  });

  it('when nothing was recorded, then the mediator is asked first and the report waits; the answer sends it with those facts', () => {
    const d = expire(courtCase());
    expect(d.state).toMatchObject({
      status: 'TERMINATED',
      failureReportPending: { askedOf: 'mediator-1', askedAt: now.toISOString() },
    });
    expect(d.effects).toContainEqual({ kind: 'request_failure_facts' });
    expect(d.effects.some((e) => e.kind === 'report_to_court')).toBe(false);
    expect(reportOf(d)).toBeUndefined();
    const answered = ok(
      decide(d.state, { type: 'record_case_facts', actor: wu, ...facts }, new Date(now.getTime() + 3600_000)),
    );
    expect(answered.state.status).toBe('RETURNED_TO_COURT');
    expect(answered.state.failureReportPending).toBeUndefined();
    expect(reportOf(answered)).toMatchObject(facts);
    expect(answered.events.map((e) => e.type)).toEqual(['CaseFactsRecorded', 'ReturnedToCourt']);
    // Once sent, it is not sent again.
    expect(
      decide(answered.state, { type: 'failure_facts_due', actor: system }, new Date(now.getTime() + 7 * 86_400_000)).ok,
    ).toBe(false);
  });

  it('when the mediator does not answer before the clock runs out, then the report goes out anyway, saying what was not recorded, never blank', () => {
    const asked = expire(courtCase());
    const due = new Date(now.getTime() + 3 * 86_400_000).toISOString();
    const pending: CaseState = {
      ...asked.state,
      failureReportPending: { ...asked.state.failureReportPending!, dueAt: due },
    };
    expect(
      decide(pending, { type: 'failure_facts_due', actor: system }, new Date(Date.parse(due) - 1000)),
    ).toMatchObject({ ok: false, refusal: { code: 'not_yet_due' } });
    const d = ok(decide(pending, { type: 'failure_facts_due', actor: system }, new Date(due)));
    expect(d.state.status).toBe('RETURNED_TO_COURT');
    const report = reportOf(d)!;
    for (const field of ['basicFacts', 'undisputedFacts', 'whyFailed', 'costlyConduct'])
      expect(String(report[field]).trim(), field).not.toBe('');
    expect(report).toMatchObject({ basicFacts: expect.stringContaining('未在期限内补充'), withIntakeSummary: true });
    expect(d.events.map((e) => e.type)).toEqual(['FailureFactsNotProvided', 'ReturnedToCourt']);
  });

  it('when a party refuses to sign or every mediator is refused, then those automatic endings ask for the facts too', () => {
    const signing = courtCase({
      status: 'PENDING_SIGNATURE',
      agreement: { form: 'written', version: 1, hash: 'h', path: 'court_pre_filing', signatures: [] },
    });
    expect(ok(decide(signing, { type: 'refuse_to_sign', actor: clerk, partyId: 'p2' }, now)).effects).toContainEqual({
      kind: 'request_failure_facts',
    });
    const choosing = courtCase({
      status: 'PENDING_ASSIGNMENT',
      assignment: { excluded: ['m1', 'm2'], refusedByParties: 2 },
      deadlines: {
        party_mediator_choice: {
          ruleId: 'party_mediator_choice',
          startedAt: '',
          dueAt: now.toISOString(),
          lastDay: '',
          calendarVersion: 'v',
          extensionDays: 0,
          pausedDays: 0,
          explanation: [],
          status: 'open',
          reminderAt: null,
          reminded: false,
        },
      },
    });
    const refusedAll = ok(
      decide(choosing, { type: 'deadline_expired', actor: system, ruleId: 'party_mediator_choice' }, now),
    );
    expect(refusedAll.state.failureReportPending).toMatchObject({ whyFailed: expect.stringContaining('第十四条') });
    expect(refusedAll.state.failureReportPending!.askedOf).toBeUndefined(); // no mediator left: the clerk answers
    expect(ok(decide(refusedAll.state, { type: 'record_case_facts', actor: clerk, ...facts }, now)).state.status).toBe(
      'RETURNED_TO_COURT',
    );
  });

  it('when a run predates the rule, then an automatic ending sends the report at once, still not blank', () => {
    const d = expire(courtCase({ askForFailureFacts: false }));
    expect(d.state.status).toBe('RETURNED_TO_COURT');
    expect(reportOf(d)).toMatchObject({ basicFacts: expect.stringContaining('调解员未记录'), withIntakeSummary: true });
  });

  it('when facts are recorded outside a court case, after the report went out, or by another mediator, then it is refused', () => {
    const peoples = { ...courtCase(), channel: 'walk_in' as const };
    expect(decide(peoples, { type: 'record_case_facts', actor: wu, ...facts }, now)).toMatchObject({
      ok: false,
      refusal: { code: 'not_a_court_case' },
    });
    expect(
      decide({ ...courtCase(), status: 'TERMINATED' }, { type: 'record_case_facts', actor: wu, ...facts }, now),
    ).toMatchObject({ ok: false, refusal: { code: 'no_failure_report_pending' } });
    expect(
      decide(courtCase(), { type: 'record_case_facts', actor: { id: 'mediator-2', role: 'mediator' }, ...facts }, now),
    ).toMatchObject({ ok: false, refusal: { code: 'not_the_assigned_mediator' } });
  });

  it('when the mediator recorded the facts, then terminating a court case needs no separate failure report', () => {
    const recorded = ok(decide(courtCase(), { type: 'record_case_facts', actor: wu, ...facts }, now));
    const d = ok(decide(recorded.state, { type: 'terminate', actor: wu, reason: 'positions_too_far_apart' }, now));
    expect(reportOf(d)).toEqual({ ...facts, whyFailed: '当事人分歧较大且难以达成调解协议' });
  });
});
