/**
 * The dispute-type profile table (domain/dispute-types.ts): every type has a complete row, and every table or
 * rule derived from it (the domain's, the templates', the web's generated vocabulary) says what its row says.
 */
import { describe, expect, it } from 'vitest';
import {
  DISPUTE_TYPES,
  EFFECT_RULES,
  ELECTRONIC_SIGNATURE_EXCLUSION,
  INTAKE_CHANNELS,
  COURT_CHANNELS,
  effectPathOf,
  mediationKindOf,
} from '../../domain/case.js';
import { DEADLINE_RULES, mediationPeriodRule } from '../../domain/deadlines.js';
import {
  DISPUTE_TYPE_PROFILES,
  LIMITATION_PERIODS,
  disputeTypeProfile,
  disputeTypesWhere,
  type DisputeTypeProfile,
} from '../../domain/dispute-types.js';
import { limitationAlert } from '../../domain/screening.js';
import { CLAUSE_SETS } from '../../templates/agreement.js';
import * as vocabulary from '../../web/src/api/vocabulary.js'; // .js: the root typecheck (NodeNext) reads it

const rows = DISPUTE_TYPES.map((t) => [t, DISPUTE_TYPE_PROFILES[t]] as const);
const text = (s: unknown) => typeof s === 'string' && s.length > 0 && s === s.trim();
const PROFILE_FIELDS: (keyof DisputeTypeProfile)[] = [
  'label',
  'plainWords',
  'notices',
  'terms',
  'effectPath',
  'mediationPeriod',
  'limitation',
  'electronicSignatureExcluded',
  'marketRegulatorComplaint',
];
const nonCourt = INTAKE_CHANNELS.filter((c) => !COURT_CHANNELS.includes(c));

describe('the dispute-type profile table', () => {
  it('when the codes are listed, then they are the rows of the table, in its order, each once', () => {
    expect([...DISPUTE_TYPES]).toEqual(Object.keys(DISPUTE_TYPE_PROFILES));
    expect(new Set(DISPUTE_TYPES).size).toBe(DISPUTE_TYPES.length);
    for (const t of DISPUTE_TYPES) expect(t).toMatch(/^[a-z][a-z_]*[a-z]$/);
  });

  it.each(rows)('when the row of %s is read, then it is complete', (_type, p) => {
    expect(Object.keys(p).sort()).toEqual([...PROFILE_FIELDS].sort());
    expect(text(p.label)).toBe(true);
    expect(p.label).toMatch(/(纠纷|争议)$/);
    expect(text(p.plainWords)).toBe(true);
    expect(p.plainWords).toMatch(/[。？]$/);
    for (const line of [...p.notices, ...p.terms]) {
      expect(text(line)).toBe(true);
      expect(line).toMatch(/。$/);
    }
    expect(Object.keys(EFFECT_RULES)).toContain(p.effectPath);
    expect(['court_pre_filing', 'court_post_filing']).not.toContain(p.effectPath);
    expect(DEADLINE_RULES[p.mediationPeriod].id).toBe(p.mediationPeriod);
    expect(Object.values(LIMITATION_PERIODS)).toContain(p.limitation);
    expect(typeof p.electronicSignatureExcluded).toBe('boolean');
    expect(typeof p.marketRegulatorComplaint).toBe('boolean');
  });

  it('when the names are read, then no two types share a name or an explanation', () => {
    expect(new Set(rows.map(([, p]) => p.label)).size).toBe(rows.length);
    expect(new Set(rows.map(([, p]) => p.plainWords)).size).toBe(rows.length);
  });

  it('when a code is looked up as a stored string, then only a row of the table answers', () => {
    expect(disputeTypeProfile('labour')).toBe(DISPUTE_TYPE_PROFILES.labour);
    for (const code of ['toString', 'constructor', '__proto__', 'no_such_type', ''])
      expect(disputeTypeProfile(code)).toBeUndefined();
  });
});

describe('what is derived from the table', () => {
  it.each(rows)('when %s is drafted, then its clause set is its row', (type, p) => {
    expect(CLAUSE_SETS[type]).toEqual({ label: p.label, notices: [...p.notices], terms: [...p.terms] });
  });

  it('when the clause sets are listed, then there is one per type and no other', () => {
    expect(Object.keys(CLAUSE_SETS)).toEqual([...DISPUTE_TYPES]);
  });

  it('when a signature is recorded, then exactly the rows that exclude electronic signatures are excluded', () => {
    expect([...ELECTRONIC_SIGNATURE_EXCLUSION.disputeTypes]).toEqual(
      DISPUTE_TYPES.filter((t) => DISPUTE_TYPE_PROFILES[t].electronicSignatureExcluded),
    );
    expect(ELECTRONIC_SIGNATURE_EXCLUSION.disputeTypes).toEqual(['family_property']);
  });

  it.each(rows)('when a %s case is registered, then its path, period and limitation are its row', (type, p) => {
    for (const channel of nonCourt) {
      const path = effectPathOf({ channel, disputeType: type });
      expect(path).toBe(p.effectPath);
      expect(mediationPeriodRule({ channel, disputeType: type })).toBe(p.mediationPeriod);
      // A market regulator's complaint takes its 45 working days unless the type has a period of its own.
      expect(mediationPeriodRule({ channel, disputeType: type, marketRegulatorComplaint: true })).toBe(
        p.mediationPeriod === 'general_mediation' ? 'consumer_mediation' : p.mediationPeriod,
      );
      expect(mediationKindOf(path, 'people_mediation')).toBe(
        p.effectPath === 'labour_mediation' ? 'labour' : 'peoples',
      );
    }
    // A court's hand-off goes the court's way, whatever the type.
    expect(effectPathOf({ channel: 'court_pre_filing', disputeType: type })).toBe('court_pre_filing');
    expect(effectPathOf({ channel: 'court_post_filing', disputeType: type })).toBe('court_post_filing');
    expect(mediationPeriodRule({ channel: 'court_pre_filing', disputeType: type })).toBe('court_pre_filing_mediation');
    const alert = limitationAlert({
      disputeType: type,
      claimantLearnedOfHarmOn: '2025-07-01',
      intakeDate: '2026-03-02',
    });
    expect(alert.basis.startsWith(`${p.limitation.citation}；`)).toBe(true);
    expect(alert.endsOn).toBe(`${2025 + p.limitation.years}-07-01`);
  });

  it('when the rules that differ by type are read, then labour, medical and family keep theirs', () => {
    expect(disputeTypesWhere((p) => p.effectPath === 'labour_mediation')).toEqual(['labour']);
    expect(disputeTypesWhere((p) => p.mediationPeriod !== 'general_mediation')).toEqual(['labour', 'medical']);
    expect(disputeTypesWhere((p) => p.limitation.years !== 3)).toEqual(['labour']);
    expect(disputeTypesWhere((p) => p.marketRegulatorComplaint)).toEqual(['consumer', 'e_commerce']);
  });

  it("when the web's vocabulary is read, then its names, explanations and clause sets are the table's", () => {
    const labels = Object.fromEntries(rows.map(([t, p]) => [t, p.label]));
    expect(vocabulary.DISPUTE_TYPE_LABELS).toEqual(labels);
    expect(Object.keys(vocabulary.DISPUTE_TYPE_LABELS)).toEqual([...DISPUTE_TYPES]);
    expect(vocabulary.DISPUTE_TYPE_PLAIN_WORDS).toEqual(Object.fromEntries(rows.map(([t, p]) => [t, p.plainWords])));
    expect(vocabulary.CLAUSE_SETS).toEqual(CLAUSE_SETS);
  });
});
