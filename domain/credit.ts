/**
 * Credit files (诚信档案, seed Arts 56–57; docs/supervision.md#credit-files-and-the-public-directory): one
 * append-only file per mediator and per organization. Each entry has its authority, its date, the decision
 * document it rests on and a disclosure window taken from a data row with its source; levels come only from a
 * versioned rule, the version recorded with the level. `publicView` says what the public directory (seed
 * Art 21) may show on a given date. Pure: no clock, no database.
 */
import { addDays, chinaDateOf } from './calendar.js';
import { addYears } from './deadlines.js';
import { COMPLAINT_OUTCOMES } from './complaints.js';

/** Whose file: a mediator (a person) or an organization (an institution). */
export const CREDIT_SUBJECT_KINDS = { mediator: '调解员', organization: '调解组织' } as const;
export type CreditSubjectKind = keyof typeof CREDIT_SUBJECT_KINDS;

/** What a file records (seed Art 57: 综合评价、表扬奖励、处罚惩戒; seed Art 59: complaints and ratings). */
export const CREDIT_ENTRY_KINDS = {
  qualification: '资质',
  training: '培训',
  commendation: '表扬奖励',
  sanction: '处罚惩戒',
  complaint_upheld: '投诉属实',
  rating_confirmed: '差评核实',
  evaluation: '综合评价',
} as const;
export type CreditEntryKind = keyof typeof CREDIT_ENTRY_KINDS;
/** The kinds the supervisor records by hand; the others are written by the process they come from. */
export const RECORDED_ENTRY_KINDS = ['qualification', 'training', 'commendation', 'sanction'] as const;
export type RecordedEntryKind = (typeof RECORDED_ENTRY_KINDS)[number];
/** The bad records: what the public directory shows while its window lasts (docs/supervision.md). */
export const ADVERSE_KINDS: readonly CreditEntryKind[] = ['sanction', 'complaint_upheld'];

// Disclosure windows -----------------------------------------------------------------------------------------

export type DisclosureRule = {
  id: string;
  label: string;
  /** Whole years from the decision's date; 0: never shown to the public. */
  years: number;
  /** public: shown to anyone; internal: the file's readers only. */
  audience: 'public' | 'internal';
  /** After the window: still in the (append-only) file for its readers, gone from every public answer. */
  afterwards: string;
  source: string;
};

/**
 * The windows as data rows, each with its source (configurable like every clock): docs/supervision.md's
 * examples. An institution's bad record is public for 3 years (the longest disclosure period of the national
 * rules on 失信信息, by analogy; the article is not verified here); an individual's is queryable for 5 years,
 * then removed (征信业管理条例 Art 16, by analogy).
 */
export const DISCLOSURE_RULES = {
  institution_adverse: {
    id: 'institution_adverse',
    label: '机构不良记录公示期',
    years: 3,
    audience: 'public',
    afterwards: '公示期满后不再公开，档案内保留',
    source:
      '参照《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）及失信信息公示期限的有关规定（最长三年）；揭阳市公共法律服务促进办法（草案）第二十一条、第五十七条',
  },
  individual_adverse: {
    id: 'individual_adverse',
    label: '个人不良记录查询期',
    years: 5,
    audience: 'public',
    afterwards: '期满后从公开查询中删除，档案内保留供监督查阅',
    source:
      '参照《征信业管理条例》第十六条（不良信息保存期限五年）；揭阳市公共法律服务促进办法（草案）第二十一条、第五十七条',
  },
  commendation: {
    id: 'commendation',
    label: '表扬奖励信用激励期',
    years: 3,
    audience: 'public',
    afterwards: '期满后不再公开，档案内保留',
    source: '揭阳市公共法律服务促进办法（草案）第五十六条（本中心设定，可配置）',
  },
  internal: {
    id: 'internal',
    label: '不对外公开',
    years: 0,
    audience: 'internal',
    afterwards: '仅档案查阅人可见',
    source: '揭阳市公共法律服务促进办法（草案）第五十七条（档案记载，不属公开事项）',
  },
} as const satisfies Record<string, DisclosureRule>;
export type DisclosureRuleId = keyof typeof DISCLOSURE_RULES;
export const DISCLOSURE_RULE_IDS = Object.keys(DISCLOSURE_RULES) as [DisclosureRuleId, ...DisclosureRuleId[]];

/** The window a record takes unless the authority names another: bad records by whose they are. */
export function defaultDisclosure(subject: CreditSubjectKind, kind: CreditEntryKind): DisclosureRuleId {
  if (ADVERSE_KINDS.includes(kind)) return subject === 'organization' ? 'institution_adverse' : 'individual_adverse';
  return kind === 'commendation' ? 'commendation' : 'internal';
}

/** A record's window: from its decision's date, up to (not including) `until`; null for an internal record. */
export type Disclosure = { ruleId: DisclosureRuleId; from: string; until: string | null };

export function disclosureOf(ruleId: DisclosureRuleId, decidedOn: string): Disclosure {
  const rule: DisclosureRule = DISCLOSURE_RULES[ruleId];
  return { ruleId, from: decidedOn, until: rule.years > 0 ? addYears(decidedOn, rule.years) : null };
}

/** Where a record's window stands on a date (China dates, YYYY-MM-DD). */
export function disclosureStatus(d: Disclosure, on: string): 'internal' | 'not_yet' | 'inside' | 'expired' {
  if (d.until === null) return 'internal';
  if (on < d.from) return 'not_yet';
  return on < d.until ? 'inside' : 'expired';
}

/** The last day a record is shown (the day before `until`), as a reader expects it written. */
export const lastDayShown = (d: Disclosure): string | null => (d.until ? addDays(d.until, -1) : null);

// Entries ----------------------------------------------------------------------------------------------------

/** The computed evaluation (seed Art 57 综合评价): figures over a period, and the level from the rule. */
export type Evaluation = {
  period: { from: string; to: string };
  /** Cases concluded after acceptance in the period. */
  concluded: number;
  agreementRate: number | null;
  medianDays: number | null;
  /** Deadlines due in the period that were met ÷ those due. */
  onTimeRate: number | null;
  /** (非常满意 + 满意) ÷ ratings; null until ratings are summarised for the file. */
  satisfactionRate: number | null;
  complaintsUpheld: number;
  /** Bad records inside their window on the evaluation's date. */
  adverseInWindow: number;
  level: CreditLevel;
  ruleVersion: string;
};

/** One entry as a file holds it: what it is, who decided it, when, on which document, and its window. */
export type CreditEntry = {
  kind: CreditEntryKind;
  title: string;
  authority: string;
  decidedOn: string;
  /** The decision document's number or reference (决定书文号), or the process record it comes from. */
  document: string | null;
  disclosure: Disclosure;
  /** Where the entry came from: a complaint, a rating, the supervisor's hand, an evaluation. */
  source: { kind: 'complaint' | 'rating' | 'recorded' | 'evaluation'; ref: string | null };
  /** A sanction's or an upheld complaint's outcome code (批评教育, 警告 …). */
  outcome?: string | null;
  /** The article the decision rests on, where one does. */
  basis?: string | null;
  evaluation?: Evaluation;
};

/** The label of an outcome code in any of the complaint outcome tables (人民调解法 Art 15, 特邀调解规定 Art 28). */
export function outcomeLabel(code: string | null | undefined): string | null {
  if (!code) return null;
  for (const table of Object.values(COMPLAINT_OUTCOMES)) {
    const outcomes: Record<string, string> = table.outcomes;
    if (Object.hasOwn(outcomes, code)) return outcomes[code]!;
  }
  return null;
}

/** What the public directory may show of a file on a date: the bad records inside their window, newest first. */
export function publicView<E extends Pick<CreditEntry, 'kind' | 'disclosure' | 'decidedOn'>>(
  entries: readonly E[],
  on: string,
): E[] {
  return entries
    .filter((e) => ADVERSE_KINDS.includes(e.kind) && DISCLOSURE_RULES[e.disclosure.ruleId].audience === 'public')
    .filter((e) => disclosureStatus(e.disclosure, on) === 'inside')
    .sort((a, b) => b.decidedOn.localeCompare(a.decidedOn));
}

/** The current level of a file: its latest evaluation's, with the rule version it was computed by. */
export function currentLevel(
  entries: readonly Pick<CreditEntry, 'kind' | 'decidedOn' | 'evaluation'>[],
): { level: CreditLevel; label: string; ruleVersion: string; evaluatedOn: string } | null {
  const latest = entries
    .filter((e) => e.kind === 'evaluation' && e.evaluation)
    .reduce<(typeof entries)[number] | null>((a, e) => (a && a.decidedOn > e.decidedOn ? a : e), null);
  if (!latest?.evaluation) return null;
  const { level, ruleVersion } = latest.evaluation;
  return { level, label: CREDIT_LEVELS[level], ruleVersion, evaluatedOn: latest.decidedOn };
}

// Levels from a versioned rule ---------------------------------------------------------------------------------

export const CREDIT_LEVELS = { A: '优秀', B: '良好', C: '合格', D: '警示', unrated: '暂不评级' } as const;
export type CreditLevel = keyof typeof CREDIT_LEVELS;

export type LevelRule = {
  version: string;
  /** The rule applies to evaluations dated on or after this day, until a later version's. */
  effectiveFrom: string;
  source: string;
  /** Fewer concluded cases than this: no level from the figures (a bad record still gives C or D). */
  minimumConcluded: number;
  /** D: this many bad records inside their window, or more. */
  warningAdverse: number;
  /** A: every figure at least this (satisfaction only where rated), and no bad record inside its window. */
  excellent: { agreementRate: number; onTimeRate: number; satisfactionRate: number };
  /** C below this on-time rate, or with any bad record inside its window. */
  passOnTimeRate: number;
};

/**
 * The level rules, oldest first: a new version is a new row, so a level already recorded keeps the rule it
 * was computed by and nothing is re-levelled silently. No level changes mediator assignment (db/roster.ts);
 * a rule that did would record its version as the roster rule does.
 */
export const LEVEL_RULES: readonly LevelRule[] = [
  {
    version: 'credit-level@2026-12-06',
    effectiveFrom: '2026-12-06',
    source: '揭阳市公共法律服务促进办法（草案）第五十七条（综合评价）；本中心设定，可配置',
    minimumConcluded: 5,
    warningAdverse: 2,
    excellent: { agreementRate: 0.6, onTimeRate: 0.95, satisfactionRate: 0.9 },
    passOnTimeRate: 0.8,
  },
];

/** The rule in force on a date: the latest version effective by then (the first, before any). */
export function levelRuleOn(on: string, rules: readonly LevelRule[] = LEVEL_RULES): LevelRule {
  const inForce = rules.filter((r) => r.effectiveFrom <= on);
  return inForce.at(-1) ?? rules[0]!;
}

export type LevelInputs = Omit<Evaluation, 'level' | 'ruleVersion' | 'period'>;

/** The level the rule gives the figures, and the version it was computed by. */
export function levelFor(inputs: LevelInputs, rule: LevelRule): { level: CreditLevel; ruleVersion: string } {
  const at = (level: CreditLevel) => ({ level, ruleVersion: rule.version });
  if (inputs.adverseInWindow >= rule.warningAdverse) return at('D');
  if (inputs.adverseInWindow > 0) return at('C');
  if (inputs.concluded < rule.minimumConcluded) return at('unrated');
  if (inputs.onTimeRate !== null && inputs.onTimeRate < rule.passOnTimeRate) return at('C');
  const x = rule.excellent;
  const excellent =
    (inputs.agreementRate ?? 0) >= x.agreementRate &&
    (inputs.onTimeRate ?? 0) >= x.onTimeRate &&
    (inputs.satisfactionRate === null || inputs.satisfactionRate >= x.satisfactionRate) &&
    inputs.complaintsUpheld === 0;
  return at(excellent ? 'A' : 'B');
}

/** An evaluation on a date: the figures with the level of the rule in force then. */
export function evaluate(
  period: Evaluation['period'],
  inputs: LevelInputs,
  on: string,
  rules: readonly LevelRule[] = LEVEL_RULES,
): Evaluation {
  return { period, ...inputs, ...levelFor(inputs, levelRuleOn(on, rules)) };
}

// Entries other processes write ---------------------------------------------------------------------------------

/** The authority that decides complaints about the service and keeps the files (seed Arts 57, 59). */
export const SUPERVISING_AUTHORITY = '揭阳市司法局';

/**
 * The credit-file entry of an upheld complaint (docs/supervision.md#complaints: "an upheld complaint is written to
 * the credit file"): whose file, and the entry with its outcome and window. Staff targets keep no credit file.
 */
export function upheldComplaintEntry(upheld: {
  targetKind: string;
  targetId: string;
  outcome: string | null;
  citation: string;
  trackingNumber: string | null;
  decidedAt: string;
}): { subject: { kind: CreditSubjectKind; id: string }; entry: CreditEntry } | null {
  if (upheld.targetKind !== 'mediator' && upheld.targetKind !== 'organization') return null;
  const kind: CreditSubjectKind = upheld.targetKind;
  const decidedOn = chinaDateOf(upheld.decidedAt);
  const label = outcomeLabel(upheld.outcome);
  return {
    subject: { kind, id: upheld.targetId },
    entry: {
      kind: 'complaint_upheld',
      title: label ? `投诉属实：${label}` : '投诉属实',
      authority: SUPERVISING_AUTHORITY,
      decidedOn,
      document: upheld.trackingNumber,
      disclosure: disclosureOf(defaultDisclosure(kind, 'complaint_upheld'), decidedOn),
      source: { kind: 'complaint', ref: upheld.trackingNumber },
      outcome: upheld.outcome,
      basis: upheld.citation,
    },
  };
}

/**
 * A 差评 that stands once its follow-up has closed (not excluded by 申诉复核) goes to the credit files of the
 * mediator and the organization it rates (docs/supervision.md#credit-files; seed Art 57: 服务评价). Kept internal:
 * a rating is not a sanction, so the public directory never shows it; the evaluation counts it.
 */
export function confirmedRatingEntries(rating: {
  ratingId: string;
  level: string;
  levelLabel: string;
  mediatorAccountId: string | null;
  orgId: string | null;
  closedAt: string;
}): { subject: { kind: CreditSubjectKind; id: string }; entry: CreditEntry }[] {
  const decidedOn = chinaDateOf(rating.closedAt);
  const subjects: { kind: CreditSubjectKind; id: string | null }[] = [
    { kind: 'mediator', id: rating.mediatorAccountId },
    { kind: 'organization', id: rating.orgId },
  ];
  return subjects
    .filter((s): s is { kind: CreditSubjectKind; id: string } => s.id !== null)
    .map((subject) => ({
      subject,
      entry: {
        kind: 'rating_confirmed',
        title: `差评核实：${rating.levelLabel}`,
        authority: SUPERVISING_AUTHORITY,
        decidedOn,
        document: null,
        disclosure: disclosureOf(defaultDisclosure(subject.kind, 'rating_confirmed'), decidedOn),
        source: { kind: 'rating', ref: rating.ratingId },
        outcome: rating.level,
        basis: null,
      },
    }));
}
