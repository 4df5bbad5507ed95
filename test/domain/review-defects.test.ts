/**
 * The smaller rule defects found in review (issue 13, item 8): each rule as the law states it, with pinned
 * dates and without Temporal.
 */
import { describe, expect, it } from 'vitest';
import { ELECTRONIC_SIGNATURE_EXCLUSION, type Actor, type CaseIntake } from '../../domain/case.js';
import { decide, initialState, type CaseCommand, type CaseState, type Decision } from '../../domain/case-rules.js';
import { DEADLINE_RULES, mediationPeriodRule } from '../../domain/deadlines.js';
import { LOCAL_LEGAL_AID_EXEMPTIONS } from '../../domain/data/local-legal-aid-exemptions.js';
import { LEGAL_AID_BASES, limitationAlert } from '../../domain/screening.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';
import { decideNotarization, initialNotarization, type NotarizationState } from '../../domain/securing.js';
import { ruleIntake } from '../support/fixtures.js';

const clerk: Actor = { id: 'clerk-1', role: 'clerk' };
const mediator: Actor = { id: 'mediator-1', role: 'mediator' };
const officer: Actor = { id: 'officer-1', role: 'legal_aid_officer' };
const now = new Date('2026-11-25T02:00:00Z');

/** Two natural persons with no personal data on record. */
const intake = (overrides: Partial<CaseIntake> = {}): CaseIntake =>
  ruleIntake({
    caseId: '00000000-0000-4000-8000-000000000013',
    parties: [
      { partyId: 'p1', role: 'applicant', kind: 'natural', name: '张三' },
      { partyId: 'p2', role: 'respondent', kind: 'natural', name: '李四' },
    ],
    ...overrides,
  });
const registered = (o: Partial<CaseIntake> = {}): CaseState => ({
  ...initialState(intake(o)),
  caseNumber: 'X',
  lastSeq: 1,
});
/** A case in mediation with mediator-1 assigned. */
const mediating = (o: Partial<CaseIntake> = {}): CaseState => {
  const s = registered(o);
  return {
    ...s,
    status: 'IN_MEDIATION',
    assignment: { ...s.assignment, orgId: 'org-1', mediatorId: 'mediator-1', mode: 'designated' },
    mediation: { ...s.mediation, startedAt: now.toISOString() },
  };
};
const ok = (d: Decision) => {
  if (!d.ok) throw new Error(`refused: ${d.refusal.code} ${d.refusal.message}`);
  return d;
};
const run = (s: CaseState, ...commands: CaseCommand[]) =>
  commands.reduce((state, c) => ok(decide(state, c, now)).state, s);

describe('legal_aid_assignment (法律援助法 Art 43)', () => {
  it('when legal aid is granted, then the 3 days to assign staff run from the decision, in the data row as in the rules', () => {
    expect(DEADLINE_RULES.legal_aid_assignment.startsAt).toBe('legal_aid_grant');
    const applied = ok(
      decide(
        registered(),
        { type: 'apply_legal_aid', actor: clerk, partyId: 'p1', basis: 'economic_hardship', selfDeclaration: true },
        new Date('2026-11-20T02:00:00Z'),
      ),
    );
    expect(applied.effects.map((e) => 'ruleId' in e && e.ruleId)).not.toContain('legal_aid_assignment');
    const granted = ok(
      decide(applied.state, { type: 'decide_legal_aid', actor: officer, granted: true, reason: '符合条件' }, now),
    );
    expect(granted.effects).toContainEqual({
      kind: 'start_deadline',
      ruleId: 'legal_aid_assignment',
      startedAt: now.toISOString(),
    });
  });
});

describe('the consumer period (市场监督管理投诉举报处理暂行办法 Art 21)', () => {
  it("when people's mediation handles a consumer dispute, then the general period applies, not the market regulator's 45 working days", () => {
    expect(mediationPeriodRule({ channel: 'walk_in', disputeType: 'consumer' })).toBe('general_mediation');
    expect(mediationPeriodRule({ channel: 'online', disputeType: 'consumer' })).toBe('general_mediation');
  });

  it('when a market regulator mediates a complaint it accepted, then the 45 working days apply', () => {
    expect(mediationPeriodRule({ channel: 'referral', disputeType: 'consumer', marketRegulatorComplaint: true })).toBe(
      'consumer_mediation',
    );
    expect(DEADLINE_RULES.consumer_mediation.label).toContain('市场监督管理');
  });

  it("when a case is registered as a market regulator's complaint, then its state carries it to the period rule", () => {
    const s = registered({
      channel: 'referral',
      disputeType: 'consumer',
      referral: { agency: 'market_regulator', agencyName: '揭阳市市场监督管理局' },
      marketRegulatorComplaint: { authorityName: '揭阳市市场监督管理局' },
    });
    expect(mediationPeriodRule(s)).toBe('consumer_mediation');
    const accepted = ok(decide(s, { type: 'accept', actor: clerk }, now));
    expect(accepted.effects).toContainEqual({
      kind: 'start_deadline',
      ruleId: 'consumer_mediation',
      startedAt: now.toISOString(),
    });
    expect(mediationPeriodRule(registered({ disputeType: 'consumer' }))).toBe('general_mediation');
  });

  it('when a consumer case already counts the 45 working days (started before this rule), then it keeps them, so its history replays', () => {
    const s = mediating({ disputeType: 'consumer' });
    const started = {
      ...s,
      deadlines: { consumer_mediation: { ruleId: 'consumer_mediation', status: 'open' } },
    } as unknown as CaseState;
    expect(mediationPeriodRule(started)).toBe('consumer_mediation');
    expect(ok(decide(started, { type: 'suspend', actor: mediator, reason: 'appraisal' }, now)).effects).toContainEqual({
      kind: 'pause_deadline',
      ruleId: 'consumer_mediation',
    });
  });
});

describe('sham mediation (特邀调解规定 Art 18)', () => {
  const court = { courtCode: '粤5202', courtCaseNumber: '(2026)粤5202民初123号', procedure: 'ordinary' as const };
  it('when a court case is suspended on suspicion of sham mediation, then the court is told', () => {
    const d = ok(
      decide(
        mediating({ channel: 'court_post_filing', court }),
        { type: 'suspend', actor: mediator, reason: 'sham_check', note: '双方疑似串通' },
        now,
      ),
    );
    expect(d.effects).toContainEqual(
      expect.objectContaining({
        kind: 'report_to_court',
        message: 'sham_mediation_suspected',
        payload: expect.objectContaining({ basis: expect.stringContaining('第十八条') }),
      }),
    );
  });

  it("when the suspension is for an appraisal, or the case is not the court's, then nothing goes to a court", () => {
    const appraisal = ok(
      decide(
        mediating({ channel: 'court_post_filing', court }),
        { type: 'suspend', actor: mediator, reason: 'appraisal' },
        now,
      ),
    );
    expect(appraisal.effects.some((e) => e.kind === 'report_to_court')).toBe(false);
    const walkIn = ok(decide(mediating(), { type: 'suspend', actor: mediator, reason: 'sham_check' }, now));
    expect(walkIn.effects.some((e) => e.kind === 'report_to_court')).toBe(false);
  });
});

describe("the city's legal-aid exemptions (seed Art 23; 法律援助法 Arts 32, 42)", () => {
  it("when a basis comes from the city's list, then it waives the verification of hardship (Art 42 type), not the hardship test (Art 32 type)", () => {
    const local = Object.entries(LEGAL_AID_BASES).filter(([k]) => k.startsWith('local_'));
    expect(local.length).toBe(5);
    for (const [, b] of local) {
      expect(b.treatment).toBe('verification_exempt');
      expect(b.source).toContain('第二十三条');
      expect(b.source).toContain('法律援助法第四十二条');
    }
  });

  it("when the city's list is read, then it is data that names its source, every group from it", () => {
    expect(LOCAL_LEGAL_AID_EXEMPTIONS.source).toMatchObject({
      instrument: expect.stringContaining('揭阳市公共法律服务促进办法'),
      article: expect.stringContaining('第二十三条'),
      treatment: 'verification_exempt',
    });
    for (const key of Object.keys(LOCAL_LEGAL_AID_EXEMPTIONS.groups)) expect(LEGAL_AID_BASES).toHaveProperty(key);
  });

  it('when an applicant claims an exemption from verification, then the proof offered is recorded with the application', () => {
    const s = run(registered(), {
      type: 'record_material',
      actor: clerk,
      material: {
        materialId: 'm-age',
        kind: 'identity',
        sha256: 'a'.repeat(64),
        sizeBytes: 10,
        mediaType: 'application/pdf',
      },
    });
    const d = ok(
      decide(
        s,
        {
          type: 'apply_legal_aid',
          actor: clerk,
          partyId: 'p1',
          basis: 'local_aged_75',
          selfDeclaration: false,
          proof: { description: '居民身份证（出生于1949年）', materialId: 'm-age' },
        },
        now,
      ),
    );
    expect(d.events[0]).toMatchObject({
      type: 'LegalAidApplied',
      payload: {
        treatment: 'verification_exempt',
        proofOffered: { description: '居民身份证（出生于1949年）', materialId: 'm-age' },
      },
    });
    expect(d.state.screening.legalAid.proof).toEqual({
      description: '居民身份证（出生于1949年）',
      materialId: 'm-age',
    });
    // A file not on the case cannot be the proof.
    const unknown = decide(
      s,
      {
        type: 'apply_legal_aid',
        actor: clerk,
        partyId: 'p1',
        basis: 'local_aged_75',
        selfDeclaration: false,
        proof: { description: 'x', materialId: 'm-none' },
      },
      now,
    );
    expect(unknown.ok ? undefined : unknown.refusal.code).toBe('unknown_material');
    // None offered: recorded as none, so the officer knows the exemption is not yet shown.
    const none = ok(
      decide(
        registered(),
        { type: 'apply_legal_aid', actor: clerk, partyId: 'p1', basis: 'local_aged_75', selfDeclaration: false },
        now,
      ),
    );
    expect(none.events[0]!.payload).toMatchObject({ proofOffered: null });
  });
});

describe('the limitation alert (民法典 Arts 188, 202, 203)', () => {
  const cal = loadHolidayCalendar();
  it('when the period would end on 29 February of a common year, then it ends on 28 February (Art 202)', () => {
    const labour = limitationAlert({
      disputeType: 'labour',
      claimantLearnedOfHarmOn: '2024-02-29',
      intakeDate: '2024-06-01',
    });
    expect(labour.endsOn).toBe('2025-02-28');
    const civil = limitationAlert({
      disputeType: 'loan_debt',
      claimantLearnedOfHarmOn: '2024-02-29',
      intakeDate: '2026-06-01',
    });
    expect(civil.endsOn).toBe('2027-02-28');
  });

  it('when the last day is a public holiday, then the period ends on the day after the holiday (Art 203), and an intake before then is not late', () => {
    // 3 years from 2023-10-01 end on 2026-10-01, inside the National Day holiday (10-01..10-07).
    const a = limitationAlert(
      { disputeType: 'loan_debt', claimantLearnedOfHarmOn: '2023-10-01', intakeDate: '2026-10-08' },
      cal,
    );
    expect(a).toMatchObject({ endsOn: '2026-10-08', level: 'near' });
    expect(a.basis).toContain('第二百零三条');
    // A Saturday rolls to Monday; a make-up working Saturday does not roll.
    expect(
      limitationAlert({ disputeType: 'labour', claimantLearnedOfHarmOn: '2025-11-28', intakeDate: '2026-03-01' }, cal)
        .endsOn,
    ).toBe('2026-11-30');
    expect(
      limitationAlert({ disputeType: 'labour', claimantLearnedOfHarmOn: '2025-10-10', intakeDate: '2026-03-01' }, cal)
        .endsOn,
    ).toBe('2026-10-10');
  });

  it('when the year of the last day has no calendar yet, then the corresponding day stands and says it may roll', () => {
    const unpublished = { version: 'test-2026-only', years: { '2026': cal.years['2026']! } };
    const a = limitationAlert(
      { disputeType: 'loan_debt', claimantLearnedOfHarmOn: '2026-01-03', intakeDate: '2026-03-01' },
      unpublished,
    );
    expect(a.endsOn).toBe('2029-01-03');
    expect(a.basis).toContain('顺延');
  });
});

describe("the notary's 15 working days (公证法 Art 30)", () => {
  const notary: Actor = { id: 'notary-jieyang', role: 'notary' };
  const accepted = (): NotarizationState => ({
    ...initialNotarization({
      caseId: 'c',
      n: 1,
      notary: { institutionId: 'notary-jieyang', name: '揭阳市公证处' },
      creditorPartyId: 'p1',
      debtorPartyId: 'p2',
      agreementVersion: 1,
      feeReduction: false,
    }),
    status: 'ACCEPTED',
  });
  const okN = (d: ReturnType<typeof decideNotarization>) => {
    if (!d.ok) throw new Error(`refused: ${d.refusal.code}`);
    return d;
  };

  it.each(['verification', 'force_majeure'] as const)(
    'when the notary pauses for %s, then the period pauses and resumes with that time excluded',
    (reason) => {
      const paused = okN(
        decideNotarization(
          accepted(),
          { type: 'pause_period', actor: notary, reason, note: '向出具证明的单位核实' },
          now,
        ),
      );
      expect(paused.state.status).toBe('PAUSED');
      expect(paused.effects).toEqual([{ kind: 'pause_deadline', ruleId: 'notarization' }]);
      expect(paused.events[0]).toMatchObject({
        type: 'NotarizationPeriodPaused',
        payload: { reason, article: expect.stringContaining('公证法第三十条') },
      });
      const resumedAt = new Date('2026-11-27T02:00:00Z');
      const resumed = okN(decideNotarization(paused.state, { type: 'resume_period', actor: notary }, resumedAt));
      expect(resumed.state.status).toBe('ACCEPTED');
      expect(resumed.state.pauses).toEqual([{ from: now.toISOString(), to: resumedAt.toISOString() }]);
      expect(resumed.effects).toContainEqual({ kind: 'recompute_deadline', ruleId: 'notarization' });
    },
  );

  it('when the period is paused, then only the notary resumes it, and the notary may still issue or refuse', () => {
    const paused = okN(
      decideNotarization(accepted(), { type: 'pause_period', actor: notary, reason: 'verification' }, now),
    ).state;
    const byClerk = decideNotarization(paused, { type: 'resume_period', actor: clerk }, now);
    expect(byClerk.ok ? undefined : byClerk.refusal.code).toBe('role_not_allowed');
    expect(
      okN(
        decideNotarization(
          paused,
          { type: 'issue_certificate', actor: notary, certificateNumber: '(2026)粤揭阳证字第1号' },
          now,
        ),
      ).state.status,
    ).toBe('ISSUED');
  });
});

describe('recusal (特邀调解规定 Art 15; 人民调解法 Art 23)', () => {
  const court: Actor = { id: 'court-5202', role: 'court' };
  const asked: CaseCommand = {
    type: 'request_recusal',
    actor: clerk,
    partyId: 'p1',
    ground: 'close_relative',
    note: '调解员系被申请人亲属',
  };

  it('when a party asks for recusal, then the mediator stays until the organization decides', () => {
    const d = ok(decide(mediating(), asked, now));
    expect(d.state.status).toBe('IN_MEDIATION');
    expect(d.state.assignment.mediatorId).toBe('mediator-1');
    expect(d.state.assignment.recusal).toMatchObject({
      partyId: 'p1',
      ground: 'close_relative',
      mediatorId: 'mediator-1',
    });
    expect(d.events.map((e) => e.type)).toEqual(['RecusalRequested']);
    expect(d.effects).toEqual([]);
    const again = decide(d.state, asked, now);
    expect(again.ok ? undefined : again.refusal.code).toBe('recusal_pending');
  });

  it('when the organization grants it, then the mediator leaves and is excluded; when it refuses, the mediator goes on', () => {
    const pending = run(mediating(), asked);
    const granted = ok(
      decide(pending, { type: 'decide_recusal', actor: clerk, granted: true, reason: '确系近亲属' }, now),
    );
    expect(granted.events.map((e) => e.type)).toEqual(['MediatorRecused']);
    expect(granted.state).toMatchObject({
      status: 'PENDING_ASSIGNMENT',
      assignment: { excluded: ['mediator-1'], refusedByParties: 1 },
    });
    expect(granted.state.assignment.recusal).toBeUndefined();
    const refused = ok(
      decide(pending, { type: 'decide_recusal', actor: clerk, granted: false, reason: '所称亲属关系不存在' }, now),
    );
    expect(refused.events[0]).toMatchObject({
      type: 'RecusalRefused',
      payload: { reason: '所称亲属关系不存在', article: expect.stringContaining('第十五条') },
    });
    expect(refused.state).toMatchObject({
      status: 'IN_MEDIATION',
      assignment: { mediatorId: 'mediator-1', refusedByParties: 0 },
    });
    expect(refused.state.assignment.recusal).toBeUndefined();
  });

  it("when the case is the court's (特邀调解), then the court may decide; otherwise not, and never the mediator or a party", () => {
    const courtCase = run(mediating({ channel: 'court_pre_filing', court: { courtCode: '粤5202' } }), asked);
    expect(
      ok(decide(courtCase, { type: 'decide_recusal', actor: court, granted: true, reason: '准许' }, now)).state.status,
    ).toBe('PENDING_ASSIGNMENT');
    const walkIn = run(mediating(), asked);
    const byCourt = decide(walkIn, { type: 'decide_recusal', actor: court, granted: true, reason: '准许' }, now);
    expect(byCourt.ok ? undefined : byCourt.refusal.code).toBe('not_a_court_case');
    for (const actor of [mediator, { id: 'p2', role: 'party' } as Actor]) {
      const d = decide(walkIn, { type: 'decide_recusal', actor, granted: true, reason: '准许' }, now);
      expect(d.ok ? undefined : d.refusal.code).toBe('role_not_allowed');
    }
    const nothing = decide(mediating(), { type: 'decide_recusal', actor: clerk, granted: true, reason: '准许' }, now);
    expect(nothing.ok ? undefined : nothing.refusal.code).toBe('no_recusal_request');
  });

  it('when a request was recorded before recusals were decided, then it is granted at once as it was', () => {
    const d = ok(decide(mediating(), { ...asked, grantedOnRequest: true } as CaseCommand, now));
    expect(d.events.map((e) => e.type)).toEqual(['MediatorRecused']);
    expect(d.state.status).toBe('PENDING_ASSIGNMENT');
  });
});

describe('signatures on family and inheritance agreements (电子签名法 Art 3)', () => {
  const scan = {
    materialId: 'scan-1',
    kind: 'other' as const,
    sha256: 'b'.repeat(64),
    sizeBytes: 2048,
    mediaType: 'application/pdf',
  };
  const circulated = (disputeType: CaseIntake['disputeType']): CaseState => {
    const s = mediating({ disputeType });
    return run(
      {
        ...s,
        status: 'PENDING_SIGNATURE',
        agreement: { form: 'written', version: 1, hash: 'h', path: 'peoples_mediation', signatures: [] },
      },
      { type: 'record_material', actor: clerk, material: scan },
    );
  };
  const party: Actor = { id: 'p1', role: 'party' };

  it('when a party to a family agreement signs electronically, then the rule refuses it by default', () => {
    expect(ELECTRONIC_SIGNATURE_EXCLUSION.disputeTypes).toContain('family_property');
    expect(ELECTRONIC_SIGNATURE_EXCLUSION.basis).toContain('电子签名法第三条');
    const d = decide(
      circulated('family_property'),
      { type: 'sign', actor: party, signer: 'p1', method: 'electronic', draftVersion: 1 },
      now,
    );
    expect(d.ok ? undefined : d.refusal).toMatchObject({
      kind: 'rule',
      code: 'electronic_signature_excluded',
      article: expect.stringContaining('电子签名法第三条'),
    });
  });

  it('when the clerk records a wet-ink signature on a family agreement, then it needs the scan, which the record names', () => {
    const s = circulated('family_property');
    const bare = decide(s, { type: 'sign', actor: clerk, signer: 'p1', method: 'handwritten', draftVersion: 1 }, now);
    expect(bare.ok ? undefined : bare.refusal).toMatchObject({ kind: 'rule', code: 'signature_scan_required' });
    const foreign = decide(
      s,
      { type: 'sign', actor: clerk, signer: 'p1', method: 'handwritten', draftVersion: 1, scanMaterialId: 'scan-x' },
      now,
    );
    expect(foreign.ok ? undefined : foreign.refusal.code).toBe('unknown_material');
    const signed = ok(
      decide(
        s,
        { type: 'sign', actor: clerk, signer: 'p1', method: 'fingerprint', draftVersion: 1, scanMaterialId: 'scan-1' },
        now,
      ),
    );
    expect(signed.events[0]).toMatchObject({
      type: 'AgreementSigned',
      payload: { signer: 'p1', method: 'fingerprint', scan: { materialId: 'scan-1' } },
    });
  });

  it('when a family signature was recorded before the rule, then it replays as it was taken', () => {
    const s = circulated('family_property');
    expect(
      ok(
        decide(
          s,
          { type: 'sign', actor: clerk, signer: 'p1', method: 'handwritten', draftVersion: 1, beforeWetInkRule: true },
          now,
        ),
      ).events[0]!.type,
    ).toBe('AgreementSigned');
  });

  it('when the agreement is not a family matter, then electronic signatures stay allowed and a scan is optional', () => {
    const s = circulated('loan_debt');
    expect(
      ok(decide(s, { type: 'sign', actor: party, signer: 'p1', method: 'electronic', draftVersion: 1 }, now)).events[0]!
        .payload,
    ).not.toHaveProperty('scan');
    expect(
      ok(
        decide(
          s,
          {
            type: 'sign',
            actor: clerk,
            signer: 'p2',
            method: 'handwritten',
            draftVersion: 1,
            scanMaterialId: 'scan-1',
          },
          now,
        ),
      ).events[0]!.payload,
    ).toMatchObject({ scan: { materialId: 'scan-1' } });
  });
});
