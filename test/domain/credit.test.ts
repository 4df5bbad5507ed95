/**
 * Credit files (docs/supervision.md#credit-files-and-the-public-directory): disclosure windows from their data
 * rows on dates before, inside and after them; what the public may see on a date; and levels from the versioned
 * rule, the version recorded with each level. Every date here is fixed: nothing depends on today.
 */
import { describe, expect, it } from 'vitest';
import {
  DISCLOSURE_RULES,
  LEVEL_RULES,
  currentLevel,
  defaultDisclosure,
  disclosureOf,
  disclosureStatus,
  evaluate,
  lastDayShown,
  levelFor,
  levelRuleOn,
  confirmedRatingEntries,
  publicView,
  upheldComplaintEntry,
  type CreditEntry,
  type LevelInputs,
  type LevelRule,
} from '../../domain/credit.js';

function entry(more: Partial<CreditEntry> & Pick<CreditEntry, 'kind' | 'decidedOn'>): CreditEntry {
  return {
    title: '警告',
    authority: '揭阳市司法局',
    document: '揭司惩〔2026〕1号',
    disclosure: disclosureOf(defaultDisclosure('mediator', more.kind), more.decidedOn),
    source: { kind: 'recorded', ref: null },
    ...more,
  };
}

describe('disclosure windows', () => {
  it("when an organization's bad record is decided, then it is public for 3 years from that date and then no longer", () => {
    const d = disclosureOf(defaultDisclosure('organization', 'sanction'), '2026-03-10');
    expect(d).toEqual({ ruleId: 'institution_adverse', from: '2026-03-10', until: '2029-03-10' });
    expect(lastDayShown(d)).toBe('2029-03-09');
    expect(disclosureStatus(d, '2026-03-09')).toBe('not_yet');
    expect(disclosureStatus(d, '2026-03-10')).toBe('inside');
    expect(disclosureStatus(d, '2029-03-09')).toBe('inside');
    expect(disclosureStatus(d, '2029-03-10')).toBe('expired');
  });

  it("when a mediator's bad record is decided, then it is queryable for 5 years, and a 29 February decision ends on 28 February", () => {
    const d = disclosureOf(defaultDisclosure('mediator', 'complaint_upheld'), '2028-02-29');
    expect(d.ruleId).toBe('individual_adverse');
    expect(DISCLOSURE_RULES.individual_adverse.source).toContain('征信业管理条例');
    expect(d.until).toBe('2033-02-28');
    expect(disclosureStatus(d, '2033-02-27')).toBe('inside');
    expect(disclosureStatus(d, '2033-02-28')).toBe('expired');
  });

  it('when a record is internal (a qualification, a training), then it has no window and is never public', () => {
    const d = disclosureOf(defaultDisclosure('mediator', 'training'), '2026-05-01');
    expect(d.until).toBeNull();
    expect(disclosureStatus(d, '2026-05-02')).toBe('internal');
  });

  it('when the public looks on a date, then it sees only the bad records inside their window, newest first', () => {
    const file = [
      entry({ kind: 'sanction', decidedOn: '2020-01-15', title: '通报' }), // window ended 2025-01-15
      entry({ kind: 'complaint_upheld', decidedOn: '2026-04-01', title: '投诉属实：批评教育' }),
      entry({ kind: 'sanction', decidedOn: '2026-09-01', title: '警告' }),
      entry({ kind: 'commendation', decidedOn: '2026-05-01', title: '优秀人民调解员' }),
      entry({ kind: 'training', decidedOn: '2026-02-01', title: '岗前培训' }),
      entry({ kind: 'sanction', decidedOn: '2026-06-01', disclosure: disclosureOf('internal', '2026-06-01') }),
    ];
    expect(publicView(file, '2026-03-31').map((e) => e.title)).toEqual([]);
    expect(publicView(file, '2026-08-01').map((e) => e.title)).toEqual(['投诉属实：批评教育']);
    expect(publicView(file, '2027-01-01').map((e) => e.title)).toEqual(['警告', '投诉属实：批评教育']);
    expect(publicView(file, '2031-04-01').map((e) => e.title)).toEqual(['警告']);
    expect(publicView(file, '2031-09-01')).toEqual([]);
    expect(publicView(file, '2024-06-01').map((e) => e.title)).toEqual(['通报']);
  });

  it("when a complaint about a mediator is upheld, then its entry carries the outcome, the decision's Beijing date and the individual window; a staff target keeps no file", () => {
    const filed = upheldComplaintEntry({
      targetKind: 'mediator',
      targetId: 'm-1',
      outcome: 'criticism_education',
      citation: '人民调解法第十五条',
      trackingNumber: '（2026）揭司投字第0001号',
      // 17:30 UTC is 01:30 the next day in Beijing.
      decidedAt: '2026-07-31T17:30:00.000Z',
    });
    expect(filed?.subject).toEqual({ kind: 'mediator', id: 'm-1' });
    expect(filed?.entry).toMatchObject({
      kind: 'complaint_upheld',
      title: '投诉属实：批评教育',
      decidedOn: '2026-08-01',
      document: '（2026）揭司投字第0001号',
      disclosure: { ruleId: 'individual_adverse', until: '2031-08-01' },
    });
    expect(
      upheldComplaintEntry({
        targetKind: 'staff',
        targetId: 's-1',
        outcome: 'order_correction',
        citation: '',
        trackingNumber: null,
        decidedAt: '2026-07-31T02:00:00.000Z',
      }),
    ).toBeNull();
  });

  it('when a 差评 stands after its follow-up, then the mediator and the organization each get an internal entry the public never sees', () => {
    const filed = confirmedRatingEntries({
      ratingId: 'r-1',
      level: 'very_dissatisfied',
      levelLabel: '非常不满意',
      mediatorAccountId: 'm-1',
      orgId: 'org-1',
      closedAt: '2026-07-31T17:30:00.000Z',
    });
    expect(filed.map((f) => f.subject)).toEqual([
      { kind: 'mediator', id: 'm-1' },
      { kind: 'organization', id: 'org-1' },
    ]);
    expect(filed[0]!.entry).toMatchObject({
      kind: 'rating_confirmed',
      title: '差评核实：非常不满意',
      decidedOn: '2026-08-01',
      disclosure: { ruleId: 'internal', until: null },
      source: { kind: 'rating', ref: 'r-1' },
    });
    expect(publicView([filed[0]!.entry], '2026-08-02')).toEqual([]);
    // A case never accepted has no mediator: only the organization's file.
    const orgOnly = confirmedRatingEntries({
      ratingId: 'r-2',
      level: 'dissatisfied',
      levelLabel: '不满意',
      mediatorAccountId: null,
      orgId: 'org-1',
      closedAt: '2026-07-31T02:00:00.000Z',
    });
    expect(orgOnly.map((f) => f.subject.kind)).toEqual(['organization']);
  });
});

describe('levels from the versioned rule', () => {
  const good: LevelInputs = {
    concluded: 20,
    agreementRate: 0.7,
    medianDays: 12,
    onTimeRate: 0.98,
    satisfactionRate: 0.95,
    complaintsUpheld: 0,
    adverseInWindow: 0,
  };
  const rule = LEVEL_RULES[0]!;

  it.each([
    ['every figure at the mark and no bad record', good, 'A'],
    ['satisfaction not summarised yet', { ...good, satisfactionRate: null }, 'A'],
    ['an agreement rate below the mark', { ...good, agreementRate: 0.5 }, 'B'],
    ['a complaint upheld in the period whose window is over', { ...good, complaintsUpheld: 1 }, 'B'],
    ['on time less often than the pass mark', { ...good, onTimeRate: 0.7 }, 'C'],
    ['one bad record inside its window', { ...good, adverseInWindow: 1 }, 'C'],
    ['two bad records inside their window', { ...good, adverseInWindow: 2 }, 'D'],
    ['too few cases to level', { ...good, concluded: 3 }, 'unrated'],
    ['too few cases but a bad record', { ...good, concluded: 0, adverseInWindow: 1 }, 'C'],
  ] as const)('when %s, then the level is %s, with the rule version', (_what, inputs, level) => {
    expect(levelFor(inputs, rule)).toEqual({ level, ruleVersion: rule.version });
  });

  it('when a newer rule version takes effect, then evaluations from that day use it and earlier ones keep theirs', () => {
    const stricter: LevelRule = {
      ...rule,
      version: 'credit-level@test-stricter',
      effectiveFrom: '2027-07-01',
      excellent: { ...rule.excellent, agreementRate: 0.8 },
    };
    const rules = [rule, stricter];
    expect(levelRuleOn('2027-06-30', rules).version).toBe(rule.version);
    expect(levelRuleOn('2027-07-01', rules).version).toBe('credit-level@test-stricter');
    const period = { from: '2026-07-01', to: '2027-06-30' };
    const before = evaluate(period, good, '2027-06-30', rules);
    const after = evaluate(period, good, '2027-07-01', rules);
    expect([before.level, before.ruleVersion]).toEqual(['A', rule.version]);
    expect([after.level, after.ruleVersion]).toEqual(['B', 'credit-level@test-stricter']);

    // The file's current level is its latest evaluation's, with the version it was computed by.
    const evaluated = (decidedOn: string, e: typeof before) => entry({ kind: 'evaluation', decidedOn, evaluation: e });
    expect(currentLevel([evaluated('2027-07-01', after), evaluated('2027-06-30', before)])).toEqual({
      level: 'B',
      label: '良好',
      ruleVersion: 'credit-level@test-stricter',
      evaluatedOn: '2027-07-01',
    });
    expect(currentLevel([entry({ kind: 'sanction', decidedOn: '2027-01-01' })])).toBeNull();
  });
});
