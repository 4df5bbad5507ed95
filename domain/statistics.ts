/**
 * The supervisor's statistics (docs/supervision.md#statistics; seed Art 15: 司法行政部门 analyse the figures):
 * every metric as a data row, the milestones a case's events set (folded into its facts row, so figures never
 * scan the event log), and how durations are counted and summarised. Pure: no database, no clock.
 *
 * Ratings (满意率 / 参评率) are rows of `METRICS` read with the facts of the rated case; complaints (投诉量 / 按期办结率)
 * join the same way once they are counted: a ratio over the facts' columns, dated by its own milestone.
 */
import { addDays, chinaDateOf, daysBetween, workingDaysBetween, type HolidayCalendar } from './calendar.js';
import { CASE_STATUSES, DISPUTE_TYPES, INTAKE_CHANNELS } from './case.js';
import { disputeTypeProfile } from './dispute-types.js';

/** A case's milestones as its events set them (the facts row's columns, camel-cased). */
export type CaseMilestones = {
  /** The last event folded in: an event at or below it is skipped, so a retried write counts nothing twice. */
  lastSeq: number;
  acceptedAt: string | null;
  mediatorAcceptedAt: string | null;
  concludedAt: string | null;
  outcome: 'agreement' | 'failed' | 'not_accepted' | null;
  terminationReason: string | null;
  agreementEffectiveAt: string | null;
  confirmationAppliedAt: string | null;
  confirmationRuledAt: string | null;
  confirmationOutcome: 'confirmed' | 'rejected' | null;
  notarizationAppliedAt: string | null;
  certificateIssuedAt: string | null;
  performedAt: string | null;
  archivedAt: string | null;
};

export const NO_MILESTONES: CaseMilestones = {
  lastSeq: 0,
  acceptedAt: null,
  mediatorAcceptedAt: null,
  concludedAt: null,
  outcome: null,
  terminationReason: null,
  agreementEffectiveAt: null,
  confirmationAppliedAt: null,
  confirmationRuledAt: null,
  confirmationOutcome: null,
  notarizationAppliedAt: null,
  certificateIssuedAt: null,
  performedAt: null,
  archivedAt: null,
};

export type RecordedEvent = { seq: number; type: string; at: string; payload: Record<string, unknown> };

type Step = (m: CaseMilestones, e: RecordedEvent) => Partial<CaseMilestones>;

/**
 * What each event sets (the event types of domain/rules/ and domain/securing.ts). A first time stays first (a
 * second mediator's acceptance does not move the first); a conclusion is the latest (a rejected confirmation
 * sends the case back to mediation, 民事诉讼法 Art 206, and it concludes again).
 */
const MILESTONE_STEPS: Record<string, Step> = {
  CaseAccepted: (m, e) => ({ acceptedAt: m.acceptedAt ?? e.at }),
  // 不予受理 (including a one-sided application the other side refused, 人民调解法 Art 17): no mediation took place.
  CaseNotAccepted: (_m, e) => ({ concludedAt: e.at, outcome: 'not_accepted' }),
  MediatorAccepted: (m, e) => ({ mediatorAcceptedAt: m.mediatorAcceptedAt ?? e.at }),
  AgreementEffective: (m, e) => ({
    agreementEffectiveAt: m.agreementEffectiveAt ?? e.at,
    concludedAt: e.at,
    outcome: 'agreement',
    terminationReason: null,
  }),
  MediationTerminated: (_m, e) => ({
    concludedAt: e.at,
    outcome: 'failed',
    terminationReason: typeof e.payload.reason === 'string' ? e.payload.reason : null,
  }),
  MediationResumedAfterRejection: () => ({ concludedAt: null, outcome: null }),
  ConfirmationApplicationSubmitted: (m, e) => ({ confirmationAppliedAt: m.confirmationAppliedAt ?? e.at }),
  ConfirmationRuled: (_m, e) => ({
    confirmationRuledAt: e.at,
    confirmationOutcome: e.payload.outcome === 'confirmed' ? 'confirmed' : 'rejected',
  }),
  NotarizationApplicationSubmitted: (m, e) => ({ notarizationAppliedAt: m.notarizationAppliedAt ?? e.at }),
  NotarizationIssued: (m, e) => ({ certificateIssuedAt: m.certificateIssuedAt ?? e.at }),
  PerformanceCompleted: (m, e) => ({ performedAt: m.performedAt ?? e.at }),
  CaseArchived: (m, e) => ({ archivedAt: m.archivedAt ?? e.at }),
};

/** The event types that move a milestone (a rebuild reads only these from the chain). */
export const MILESTONE_EVENT_TYPES = Object.keys(MILESTONE_STEPS);

/** The milestones after these events, in their order; events already folded in (by seq) change nothing. */
export function foldMilestones(m: CaseMilestones, events: readonly RecordedEvent[]): CaseMilestones {
  let out = m;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.seq <= out.lastSeq) continue;
    const step = MILESTONE_STEPS[e.type];
    out = { ...out, ...(step ? step(out, e) : {}), lastSeq: e.seq };
  }
  return out;
}

/** How long a concluded mediation took, from acceptance and from the mediator's acceptance. */
export type CaseDurations = {
  daysFromAcceptance: number | null;
  workingDaysFromAcceptance: number | null;
  daysFromMediatorAcceptance: number | null;
  workingDaysFromMediatorAcceptance: number | null;
};

/**
 * Days from a start to the conclusion, counted as periods are (民事诉讼法 Art 85: the starting day is not
 * counted): calendar days between the China dates, and working days on the holiday calendar after the start
 * day up to the conclusion's day. Null when the calendar does not cover a year (it fails loudly elsewhere).
 */
export function daysTaken(
  cal: HolidayCalendar,
  from: string,
  to: string,
): { calendar: number; working: number | null } {
  const start = chinaDateOf(from);
  const end = chinaDateOf(to);
  const calendar = Math.max(0, daysBetween(start, end));
  try {
    return { calendar, working: end > start ? workingDaysBetween(cal, addDays(start, 1), end) : 0 };
  } catch {
    return { calendar, working: null };
  }
}

/** Durations count only mediations that concluded after acceptance (an agreement, or a termination). */
export function caseDurations(m: CaseMilestones, cal: HolidayCalendar): CaseDurations {
  const mediated = m.concludedAt !== null && (m.outcome === 'agreement' || m.outcome === 'failed');
  const from = (start: string | null) => (mediated && start ? daysTaken(cal, start, m.concludedAt!) : null);
  const a = from(m.acceptedAt);
  const b = from(m.mediatorAcceptedAt);
  return {
    daysFromAcceptance: a?.calendar ?? null,
    workingDaysFromAcceptance: a?.working ?? null,
    daysFromMediatorAcceptance: b?.calendar ?? null,
    workingDaysFromMediatorAcceptance: b?.working ?? null,
  };
}

/** Median, P90 and mean, the percentiles interpolated linearly (as PostgreSQL's percentile_cont). */
export type DurationSummary = { median: number | null; p90: number | null; mean: number | null };

export function summarizeDurations(values: readonly number[]): DurationSummary {
  if (values.length === 0) return { median: null, p90: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const pos = q * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  };
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { median: round2(at(0.5)), p90: round2(at(0.9)), mean: round2(mean) };
}

export const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Durations as a histogram of whole days: `counts[d]` cases took `d` days (a missing or empty slot is 0). Durations
 * are whole days (docs/supervision.md#statistics), so a histogram holds the sorted values exactly and the monthly
 * rollup can keep one per group (db/case-facts-durations.ts).
 */
export type DayHistogram = number[];

/** Adds `more` (another histogram, or one with negative counts to take cases off) into `into`, in place. */
export function addHistograms(into: DayHistogram, more: readonly (number | null | undefined)[]): DayHistogram {
  more.forEach((n, d) => {
    if (n) into[d] = (into[d] ?? 0) + n;
  });
  return into;
}

/** The histogram of some whole-day durations. */
export function histogramOf(values: readonly number[]): DayHistogram {
  const out: DayHistogram = [];
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/**
 * `summarizeDurations` over the durations a histogram holds, without spreading them out: the k-th smallest value is
 * the first day whose running count passes k, and the percentiles interpolate between two of them linearly, as
 * PostgreSQL's percentile_cont does over the sorted values; the mean is the sum of days over the cases.
 */
export function summarizeHistogram(counts: readonly (number | null | undefined)[]): DurationSummary {
  const days: number[] = [];
  const upTo: number[] = [];
  let n = 0;
  let sum = 0;
  counts.forEach((c, d) => {
    if (!c) return;
    n += c;
    sum += c * d;
    days.push(d);
    upTo.push(n);
  });
  if (n === 0) return { median: null, p90: null, mean: null };
  // The k-th smallest (from 0): the first day whose running count exceeds k.
  const kth = (k: number) => {
    let lo = 0;
    let hi = upTo.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (upTo[mid]! > k) hi = mid;
      else lo = mid + 1;
    }
    return days[lo]!;
  };
  const at = (q: number) => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const a = kth(lo);
    return a + (kth(Math.ceil(pos)) - a) * (pos - lo);
  };
  return { median: round2(at(0.5)), p90: round2(at(0.9)), mean: round2(sum / n) };
}

// Metrics ---------------------------------------------------------------------------------------------------

/** The milestone a metric dates its cases by; `now` for figures as they stand (open cases, deadlines). */
export type Milestone =
  | 'received'
  | 'accepted'
  | 'concluded'
  | 'agreement_effective'
  | 'confirmation_ruled'
  | 'certificate_issued'
  | 'last_instalment_due'
  | 'deadline_due'
  | 'rated'
  | 'now';

/** Which of a metric's cases a count takes (db/case-facts.ts holds each as SQL over the facts row). */
export type FactCondition =
  | 'all'
  | 'mediated' // concluded after acceptance: an agreement or a termination (不予受理 excluded)
  | 'agreement'
  | 'confirmation_applied'
  | 'confirmed'
  | 'notarization_applied'
  | 'performed'
  | 'open'
  | 'overdue_deadline'
  | 'near_due_deadline'
  | 'rated' // the case has a rating that counts (not excluded by 申诉复核)
  | 'counted_rating' // a rating that counts
  | 'satisfied_rating'; // a rating that counts, 非常满意 or 满意

export type MetricKind = 'count' | 'ratio' | 'duration' | 'deadline';

export type Metric = {
  id: string;
  label: string;
  kind: MetricKind;
  /** The milestone whose time puts a case in a period (and in a month). */
  datedBy: Milestone;
  numerator: FactCondition;
  /** A ratio's denominator, over the same cases dated the same way (a cohort). */
  denominator?: FactCondition;
  /** Durations: from which start. */
  from?: 'acceptance' | 'mediator_acceptance';
  note: string;
};

export const METRICS = [
  {
    id: 'received',
    label: '登记量',
    kind: 'count',
    datedBy: 'received',
    numerator: 'all',
    note: '期间内登记（收到）的纠纷',
  },
  {
    id: 'accepted',
    label: '受理量',
    kind: 'count',
    datedBy: 'accepted',
    numerator: 'all',
    note: '期间内经受理审查受理的案件',
  },
  {
    id: 'concluded',
    label: '结案数',
    kind: 'count',
    datedBy: 'concluded',
    numerator: 'mediated',
    note: '期间内受理后调解结束（达成协议或终止调解）的案件；不予受理的不计入',
  },
  {
    id: 'agreements',
    label: '调解成功数',
    kind: 'count',
    datedBy: 'concluded',
    numerator: 'agreement',
    note: '期间内调解协议生效的案件',
  },
  {
    id: 'success_rate',
    label: '调解成功率',
    kind: 'ratio',
    datedBy: 'concluded',
    numerator: 'agreement',
    denominator: 'mediated',
    note: '协议生效数 ÷ 受理后结案数；不予受理（NOT_ACCEPTED）的不计入分母',
  },
  {
    id: 'duration_from_acceptance',
    label: '调解时长（自受理）',
    kind: 'duration',
    datedBy: 'concluded',
    numerator: 'mediated',
    from: 'acceptance',
    note: '自受理至结案：中位数、P90、平均数，自然日与工作日（起算日不计入，民事诉讼法第八十五条）',
  },
  {
    id: 'duration_from_mediator_acceptance',
    label: '调解时长（自调解员接受）',
    kind: 'duration',
    datedBy: 'concluded',
    numerator: 'mediated',
    from: 'mediator_acceptance',
    note: '自调解员接受指派至结案：中位数、P90、平均数，自然日与工作日',
  },
  {
    id: 'open',
    label: '在办',
    kind: 'count',
    datedBy: 'now',
    numerator: 'open',
    note: '当前尚未结案的案件（按状态或账龄分组即积压账龄）；按月分组时按登记月份',
  },
  {
    id: 'overdue',
    label: '超期',
    kind: 'deadline',
    datedBy: 'deadline_due',
    numerator: 'overdue_deadline',
    note: '届满时间在期间内、已届满或逾期未办的期限（与超期清单同一口径；可按期限规则或组织分组）',
  },
  {
    id: 'near_due',
    label: '临期',
    kind: 'deadline',
    datedBy: 'now',
    numerator: 'near_due_deadline',
    note: '截至当前，3个工作日内届满的未结期限（与工作台“临期”同一口径）；按月分组时按登记月份',
  },
  {
    id: 'confirmation_application_rate',
    label: '司法确认申请率',
    kind: 'ratio',
    datedBy: 'agreement_effective',
    numerator: 'confirmation_applied',
    denominator: 'all',
    note: '申请司法确认（已提交法院）的协议 ÷ 期间内生效的调解协议（民事诉讼法第二百零五条）',
  },
  {
    id: 'confirmation_rate',
    label: '司法确认率',
    kind: 'ratio',
    datedBy: 'confirmation_ruled',
    numerator: 'confirmed',
    denominator: 'all',
    note: '裁定确认有效 ÷ 作出裁定（民事诉讼法第二百零六条）',
  },
  {
    id: 'notarization_application_rate',
    label: '赋强公证申请率',
    kind: 'ratio',
    datedBy: 'agreement_effective',
    numerator: 'notarization_applied',
    denominator: 'all',
    note: '申请赋强公证的协议 ÷ 期间内生效的调解协议',
  },
  {
    id: 'certificates',
    label: '赋强公证出证数',
    kind: 'count',
    datedBy: 'certificate_issued',
    numerator: 'all',
    note: '期间内出具的具有强制执行效力的债权文书公证书（公证法第三十七条）',
  },
  {
    id: 'performance_rate',
    label: '履行率',
    kind: 'ratio',
    datedBy: 'last_instalment_due',
    numerator: 'performed',
    denominator: 'all',
    note: '已履行（PERFORMED）÷ 最后一期履行期限已届至的协议，按最后一期届至月份',
  },
  // Ratings (docs/supervision.md#ratings; seed Art 59): read with the case's facts, so grouped and scoped by its case.
  {
    id: 'satisfaction_rate',
    label: '满意率',
    kind: 'ratio',
    datedBy: 'rated',
    numerator: 'satisfied_rating',
    denominator: 'counted_rating',
    note: '（非常满意 + 满意）÷ 期间内作出的评价，按评价月份；经申诉复核排除的评价不计入；按所评案件的类型、组织、调解员等分组',
  },
  {
    id: 'rating_rate',
    label: '参评率',
    kind: 'ratio',
    datedBy: 'concluded',
    numerator: 'rated',
    denominator: 'all',
    note: '有当事人评价的案件 ÷ 期间内结案的案件（含不予受理、终止调解），按结案月份；未评价的不视为满意；经申诉复核排除的评价不计入',
  },
] as const satisfies readonly Metric[];

export type MetricId = (typeof METRICS)[number]['id'];
export const METRIC_IDS = METRICS.map((m) => m.id) as [MetricId, ...MetricId[]];
export const metricOf = (id: MetricId): Metric => METRICS.find((m) => m.id === id)!;

/** How a series is grouped (月份 in Beijing time). `rule` is for deadline metrics; status and age for open cases. */
export const GROUPINGS = {
  month: '月份',
  disputeType: '纠纷类型',
  organization: '调解组织',
  mediator: '调解员',
  channel: '来源渠道',
  county: '县（市、区）',
  priorityGroup: '优先服务群体',
  status: '状态',
  ageBucket: '账龄',
  rule: '期限规则',
} as const;
export type Grouping = keyof typeof GROUPINGS;

/** Which groupings a metric takes: a deadline metric may be grouped by its rule, an open-case one by status and age. */
export function groupingAllowed(metric: Metric, g: Grouping): boolean {
  if (g === 'rule') return metric.kind === 'deadline';
  if (g === 'status' || g === 'ageBucket') return metric.numerator === 'open' || metric.kind === 'deadline';
  return true;
}

/** 积压账龄: days since registration of an open case. */
export const AGE_BUCKETS = [
  { key: '0-30', label: '30日以内', maxDays: 30 },
  { key: '31-60', label: '31至60日', maxDays: 60 },
  { key: '61-90', label: '61至90日', maxDays: 90 },
  { key: '91+', label: '90日以上', maxDays: null },
] as const;

export const CHANNEL_LABELS: Record<(typeof INTAKE_CHANNELS)[number], string> = {
  walk_in: '现场登记',
  phone: '电话登记',
  online: '在线申请',
  court_pre_filing: '法院委派',
  court_post_filing: '法院委托',
  referral: '机关移送',
};

/** The Chinese label of a group key that is a code (dispute type, channel, status); other keys label themselves. */
export function codeLabel(g: Grouping, key: string): string | undefined {
  if (g === 'disputeType' && (DISPUTE_TYPES as readonly string[]).includes(key))
    return disputeTypeProfile(key as (typeof DISPUTE_TYPES)[number])?.label;
  if (g === 'channel') return CHANNEL_LABELS[key as keyof typeof CHANNEL_LABELS];
  if (g === 'status') return CASE_STATUSES[key as keyof typeof CASE_STATUSES];
  if (g === 'ageBucket') return AGE_BUCKETS.find((b) => b.key === key)?.label;
  return undefined;
}

/** Every month (YYYY-MM) from the one of `from` to the one of `to`, both China dates: a month with no case is 0. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const end = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > end) return out;
    out.push(key);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/** A ratio as a share (4 decimals), or null with nothing to divide by. */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
