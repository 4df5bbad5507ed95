/**
 * Statutory periods as data (docs/periods.md) and the one way they are counted
 * (民事诉讼法 Art 85; 民法典 Arts 201-203): the starting day is not counted; a period ends at 24:00 China
 * Standard Time of its last day; a calendar-day period whose last day is a rest day ends on the next
 * working day; working-day periods count only working days from the day after the start.
 * Due times are computed by an activity and recorded in the workflow with the rule and calendar version,
 * so a calendar update never changes a running case on replay.
 */
import {
  CalendarYearMissing,
  addDays,
  addWorkingDays,
  chinaDateOf,
  daysBetween,
  endOfChinaDay,
  isWorkingDay,
  nextWorkingDayFrom,
  tracingProvisionalYears,
  versionWith,
  workingDaysBetween,
  type HolidayCalendar,
} from './calendar.js';
import { disputeTypeProfile } from './dispute-types.js';

export type DeadlineRule = {
  id: string;
  label: string;
  length: number;
  unit: 'calendar_days' | 'working_days' | 'years';
  /** The event whose date starts the period. */
  startsAt:
    | 'intake'
    | 'acceptance'
    | 'assignment'
    | 'mediator_accepts'
    | 'agreement_effective'
    | 'application'
    /** The legal-aid body's decision to grant (法律援助法 Art 43: staff assigned within 3 days of it). */
    | 'legal_aid_grant'
    | 'court_acceptance'
    | 'court_application'
    | 'correction_request'
    | 'notary_acceptance'
    | 'consent'
    | 'performance_last_day';
  /** Who may set the length in a case: the court (its 限期补正, its letter) or the organization (its own rules). */
  lengthSetBy?: 'court' | 'organization';
  pauses: string | null;
  extension: { days: number | 'by_agreement'; requires: string } | null;
  onExpiry: string;
  citation: string;
};

export const DEADLINE_RULES = {
  court_pre_filing_mediation: {
    id: 'court_pre_filing_mediation',
    label: '委派调解期限',
    length: 30,
    unit: 'calendar_days',
    startsAt: 'mediator_accepts',
    pauses: 'appraisal (鉴定) excluded',
    extension: { days: 'by_agreement', requires: 'every party consents' },
    onExpiry: 'failure report; materials back to the court',
    citation: '特邀调解规定第二十七条；人民法院在线调解规则第二十四条',
  },
  court_post_filing_ordinary: {
    id: 'court_post_filing_ordinary',
    label: '委托调解期限（普通程序）',
    length: 15,
    unit: 'calendar_days',
    startsAt: 'mediator_accepts',
    pauses: 'appraisal (鉴定) excluded',
    extension: { days: 30, requires: 'every party consents' },
    onExpiry: 'back to trial',
    citation: '特邀调解规定第二十七条；最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》第三条',
  },
  court_post_filing_summary: {
    id: 'court_post_filing_summary',
    label: '委托调解期限（简易程序）',
    length: 7,
    unit: 'calendar_days',
    startsAt: 'mediator_accepts',
    pauses: 'appraisal (鉴定) excluded',
    extension: { days: 30, requires: 'every party consents' },
    onExpiry: 'back to trial',
    citation: '特邀调解规定第二十七条；最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》第三条',
  },
  court_letter_deadline: {
    id: 'court_letter_deadline',
    label: '委派/委托调解函载明的期限',
    length: 30,
    unit: 'calendar_days',
    startsAt: 'intake',
    lengthSetBy: 'court',
    pauses: null,
    extension: null,
    onExpiry: "alert the clerk and mediator: the court's own date has passed; report to the court",
    citation: '最高人民法院关于人民法院特邀调解的规定第二十七条（人民法院委派、委托调解函）',
  },
  labour_mediation: {
    id: 'labour_mediation',
    label: '劳动争议调解期限',
    length: 15,
    unit: 'calendar_days',
    startsAt: 'intake',
    pauses: null,
    extension: null,
    onExpiry: 'a party may apply for labour arbitration',
    citation: '劳动争议调解仲裁法第十四条',
  },
  medical_mediation: {
    id: 'medical_mediation',
    label: '医疗纠纷人民调解期限',
    length: 30,
    unit: 'working_days',
    startsAt: 'acceptance',
    pauses: 'appraisal (鉴定) excluded',
    extension: { days: 'by_agreement', requires: 'the parties agree' },
    onExpiry: 'deemed failed (视为调解不成)',
    citation: '医疗纠纷预防和处理条例第三十八条',
  },
  consumer_mediation: {
    id: 'consumer_mediation',
    label: '市场监督管理部门消费投诉调解期限',
    length: 45,
    unit: 'working_days',
    startsAt: 'acceptance',
    pauses: 'testing and appraisal excluded',
    extension: null,
    onExpiry: 'terminated',
    citation: '市场监督管理投诉举报处理暂行办法第二十一条',
  },
  general_mediation: {
    // The 30 days are the Ministry's guidance, not a statute: an organization may set its own (organizations.general_mediation_days).
    id: 'general_mediation',
    label: '人民调解期限',
    length: 30,
    unit: 'calendar_days',
    startsAt: 'acceptance',
    lengthSetBy: 'organization',
    pauses: 'appraisal (鉴定) excluded',
    extension: { days: 'by_agreement', requires: 'every party consents' },
    onExpiry: 'terminate and tell the parties their other routes',
    citation: '司法部《人民调解工作若干规定》第三十三条（指导性）；人民调解法第二十六条',
  },
  counterparty_contact: {
    id: 'counterparty_contact',
    label: '联系对方当事人',
    length: 3,
    unit: 'working_days',
    startsAt: 'acceptance',
    pauses: null,
    extension: null,
    onExpiry: 'record why, then close as unreachable or refused',
    citation: '人民法院在线调解规则第十五条',
  },
  party_mediator_choice: {
    id: 'party_mediator_choice',
    label: '当事人共同选择调解员',
    length: 2,
    unit: 'working_days',
    startsAt: 'consent',
    pauses: null,
    extension: null,
    onExpiry: 'the organization designates',
    citation: '人民法院在线调解规则第十条',
  },
  mediator_acceptance: {
    id: 'mediator_acceptance',
    label: '调解员确认接受',
    length: 3,
    unit: 'working_days',
    startsAt: 'assignment',
    pauses: null,
    extension: null,
    onExpiry: 'reassign',
    citation: '人民法院在线调解规则第十二条',
  },
  legal_aid_decision: {
    id: 'legal_aid_decision',
    label: '法律援助审查决定',
    length: 7,
    unit: 'calendar_days',
    startsAt: 'application',
    pauses: null,
    extension: null,
    onExpiry: 'escalate to the supervisor',
    citation: '法律援助法第四十三条',
  },
  legal_aid_assignment: {
    id: 'legal_aid_assignment',
    label: '指派法律援助人员',
    length: 3,
    unit: 'calendar_days',
    startsAt: 'legal_aid_grant',
    pauses: null,
    extension: null,
    onExpiry: 'escalate to the supervisor',
    citation: '法律援助法第四十三条',
  },
  judicial_confirmation_application: {
    id: 'judicial_confirmation_application',
    label: '申请司法确认期限',
    length: 30,
    unit: 'calendar_days',
    startsAt: 'agreement_effective',
    pauses: null,
    extension: null,
    onExpiry: 'the window for judicial confirmation closes',
    citation: '民事诉讼法第二百零五条；人民调解法第三十三条',
  },
  court_confirmation_acceptance: {
    id: 'court_confirmation_acceptance',
    label: '司法确认受理审查',
    length: 3,
    unit: 'calendar_days',
    startsAt: 'court_application',
    pauses: null,
    extension: null,
    onExpiry: 'escalate: ask the court whether it accepted',
    citation: '最高人民法院《关于人民调解协议司法确认程序的若干规定》第四条',
  },
  court_confirmation_correction: {
    id: 'court_confirmation_correction',
    label: '司法确认补正期限',
    length: 7,
    unit: 'calendar_days',
    startsAt: 'correction_request',
    lengthSetBy: 'court',
    pauses: null,
    extension: null,
    onExpiry: 'treated as withdrawn (按撤回申请处理)',
    citation: '民诉法解释第三百五十四条、第三百五十七条',
  },
  court_confirmation_ceiling: {
    id: 'court_confirmation_ceiling',
    label: '司法确认审结期限',
    length: 30,
    unit: 'calendar_days',
    startsAt: 'court_acceptance',
    pauses: null,
    extension: { days: 'by_agreement', requires: 'the court president approves' },
    onExpiry: 'escalate to the supervisor and the court',
    citation: '民事诉讼法第一百八十七条',
  },
  court_confirmation_decision: {
    id: 'court_confirmation_decision',
    label: '司法确认审查期限',
    length: 15,
    unit: 'calendar_days',
    startsAt: 'court_acceptance',
    pauses: 'corrections (补正) excluded',
    extension: { days: 10, requires: 'the court president approves' },
    onExpiry: 'escalate (statutory ceiling 30 days, 民事诉讼法第一百八十七条)',
    citation: '最高人民法院《关于人民调解协议司法确认程序的若干规定》第五条',
  },
  notarization: {
    id: 'notarization',
    label: '公证办理期限',
    length: 15,
    unit: 'working_days',
    startsAt: 'notary_acceptance',
    pauses: 'supplements and verification excluded',
    extension: null,
    onExpiry: 'escalate',
    citation: '公证法第三十条',
  },
  enforcement_application: {
    id: 'enforcement_application',
    label: '申请强制执行期间',
    length: 2,
    unit: 'years',
    startsAt: 'performance_last_day',
    pauses: null,
    extension: null,
    onExpiry:
      'the time to apply for enforcement has run (interrupted by an application for an enforcement certificate)',
    citation: '民事诉讼法第二百五十条；最高人民法院《关于公证债权文书执行若干问题的规定》第九条',
  },
} as const satisfies Record<string, DeadlineRule>;
export type DeadlineRuleId = keyof typeof DEADLINE_RULES;

/** A rest span that does not count (appraisal, sham-mediation check): from and to as instants; to may be open. */
export type Pause = { from: string; to: string };

export type ComputedDeadline = {
  ruleId: DeadlineRuleId;
  startedAt: string;
  dueAt: string;
  lastDay: string;
  /** The calendar's version, with `+provisional-YYYY` when a year without a published notice was counted. */
  calendarVersion: string;
  /** Years counted provisionally (no State Council notice loaded): the deadline is recomputed when one is. */
  provisionalYears?: number[];
  /** The length counted (the rule's, or the one the court set); absent in deadlines recorded before it. */
  length?: number;
  extensionDays: number;
  pausedDays: number;
  /** How the due time was reached, step by step, for the clerk. */
  explanation: string[];
};

/**
 * The due time of a period that started at `startedAt`, lengthened by agreed extensions and by paused
 * spans (counted in the rule's own unit: whole calendar days, or working days inside the pause).
 */
export function computeDeadline(
  rule: DeadlineRule,
  startedAt: string,
  published: HolidayCalendar,
  adjust: { extensionDays?: number; pauses?: Pause[]; length?: number } = {},
): ComputedDeadline {
  const { calendar: cal, provisionalYears } = tracingProvisionalYears(published);
  const startDay = chinaDateOf(startedAt);
  const extensionDays = adjust.extensionDays ?? 0;
  const length = rule.lengthSetBy && adjust.length !== undefined ? adjust.length : rule.length;
  const explanation = [
    `${rule.label}：${periodText(rule, length)}${rule.lengthSetBy === 'court' && adjust.length !== undefined ? '（法院指定）' : rule.lengthSetBy === 'organization' && length !== rule.length ? '（调解组织规定）' : ''}，依据${rule.citation}`,
    `起算事件日 ${startDay}，当日不计入`,
  ];
  let pausedDays = 0;
  for (const p of adjust.pauses ?? []) {
    const from = chinaDateOf(p.from);
    const to = chinaDateOf(p.to);
    const days = rule.unit === 'working_days' ? workingDaysBetween(cal, addDays(from, 1), to) : daysBetween(from, to);
    pausedDays += days;
    explanation.push(`中止 ${from} 至 ${to}，不计入 ${periodText(rule, days)}`);
  }
  if (extensionDays) explanation.push(`经同意延长 ${periodText(rule, extensionDays)}`);
  const total = length + extensionDays + pausedDays;
  let lastDay: string;
  if (rule.unit === 'years') {
    // A period in years ends on the corresponding day, or the month's last day (民法典 Art 202); a rest day rolls on (Art 203).
    const nominal = addYears(startDay, length);
    try {
      lastDay = nextWorkingDayFrom(cal, nominal);
      explanation.push(
        lastDay === nominal
          ? `期间届满日 ${nominal}（民法典第二百零二条）`
          : `期间届满日 ${nominal}（民法典第二百零二条）为休息日，顺延至 ${lastDay}（民法典第二百零三条；${cal.version}）`,
      );
    } catch (err) {
      // Years ahead, the holidays are not published yet. The nominal day is never later than the real
      // one, so it is safe to act by; the rollover is added when that year's notice is loaded.
      if (!(err instanceof CalendarYearMissing)) throw err;
      lastDay = nominal;
      explanation.push(
        `期间届满日 ${nominal}（民法典第二百零二条）；${err.year} 年节假日安排尚未公布，如该日为休息日则顺延（民法典第二百零三条），届时重新计算`,
      );
    }
  } else if (rule.unit === 'working_days') {
    lastDay = addWorkingDays(cal, startDay, total);
    explanation.push(`自次日起数满 ${total} 个工作日，末日 ${lastDay}（${cal.version}）`);
  } else {
    const nominal = addDays(startDay, total);
    lastDay = nextWorkingDayFrom(cal, nominal);
    explanation.push(
      lastDay === nominal
        ? `期间届满日 ${nominal}`
        : `期间届满日 ${nominal} 为休息日，顺延至 ${lastDay}（民事诉讼法第八十五条；${cal.version}）`,
    );
  }
  const dueAt = endOfChinaDay(lastDay);
  const provisional = provisionalYears();
  if (provisional.length > 0) explanation.push(provisionalNote(provisional));
  explanation.push(`截止于 ${lastDay} 24:00（北京时间）${provisional.length > 0 ? '（暂定）' : ''}`);
  return {
    ruleId: rule.id as DeadlineRuleId,
    startedAt,
    dueAt,
    lastDay,
    calendarVersion: versionWith(published, provisional),
    ...(provisional.length > 0 ? { provisionalYears: provisional } : {}),
    length,
    extensionDays,
    pausedDays,
    explanation,
  };
}

/** A length in the rule's own unit, as documents write it: 30日, 15个工作日, 2年. */
export function periodText(rule: Pick<DeadlineRule, 'unit'>, n: number): string {
  return `${n}${rule.unit === 'working_days' ? '个工作日' : rule.unit === 'years' ? '年' : '日'}`;
}

/** What a clerk reads on a deadline counted without the year's notice. */
export function provisionalNote(years: readonly number[]): string {
  return `${years.join('、')}年国务院节假日安排尚未公布：暂按周末及《全国年节及纪念日放假办法》规定的法定节假日（含第六条补假）计算，为暂定期限；公布后载入日历即重新计算`;
}

/** The same month and day `years` later; 29 February becomes 28 February in a common year (民法典 Art 202). */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastOfMonth)).padStart(2, '0')}`;
}

/**
 * When a contractual performance date falls due: at the end of that day, or of the next working day if it
 * is a rest day (民法典 Art 203 applies to the last day of any period, performance periods included).
 */
export function performanceDue(
  date: string,
  cal: HolidayCalendar,
): { lastDay: string; dueAt: string; rolled: boolean } {
  const lastDay = nextWorkingDayFrom(cal, date);
  return { lastDay, dueAt: endOfChinaDay(lastDay), rolled: lastDay !== date };
}

/** Reminders go out this many working days before a due time (configurable; docs/periods.md#reminders-and-the-sla-breach-list). */
export const REMINDER_WORKING_DAYS = 3;

/**
 * 临期 in the work queues and their counters: the next deadline ends within this many working days and has
 * not passed (docs/periods.md#reminders-and-the-sla-breach-list: 临期 ≤ 3 working days; the same lead as the default reminder, so a case is
 * near due from the morning its reminder goes out). Counted on the working-day calendar (calendar.ts).
 */
export const NEAR_DUE_WORKING_DAYS = 3;

/**
 * The instant at which to remind: 09:00 CST, N working days before the last day; none when that is not
 * after the start (a 3-working-day period would otherwise be "reminded" the moment it begins).
 */
export function reminderAt(
  deadline: Pick<ComputedDeadline, 'lastDay' | 'startedAt'>,
  cal: HolidayCalendar,
  workingDaysBefore = REMINDER_WORKING_DAYS,
): string | null {
  let d = deadline.lastDay;
  for (let n = 0; n < workingDaysBefore;) {
    d = addDays(d, -1);
    if (isWorkingDay(cal, d)) n += 1;
  }
  const at = new Date(Date.parse(`${d}T09:00:00+08:00`)).toISOString();
  return at <= deadline.startedAt ? null : at;
}

/**
 * Which mediation period governs a case (docs/periods.md#mediation-periods-by-path): court path first, then the dispute type. The 45
 * working days belong to a market regulator's mediation of a complaint it accepted (市场监督管理投诉举报处理
 * 暂行办法 Arts 2, 21), not to people's mediation of a consumer dispute, which has the general period.
 */
export function mediationPeriodRule(c: {
  channel: string;
  disputeType: string;
  courtProcedure?: 'ordinary' | 'summary' | undefined;
  marketRegulatorComplaint?: boolean | undefined;
  /** A running case keeps the period it started with (consumer cases counted 45 working days before this rule). */
  deadlines?: { consumer_mediation?: unknown } | undefined;
}): DeadlineRuleId {
  if (c.channel === 'court_pre_filing') return 'court_pre_filing_mediation';
  if (c.channel === 'court_post_filing')
    return c.courtProcedure === 'summary' ? 'court_post_filing_summary' : 'court_post_filing_ordinary';
  // A type with a period of its own (labour, medical: domain/dispute-types.ts) keeps it.
  const own = disputeTypeProfile(c.disputeType)?.mediationPeriod ?? 'general_mediation';
  if (own !== 'general_mediation') return own;
  if (c.marketRegulatorComplaint || c.deadlines?.consumer_mediation) return 'consumer_mediation';
  return 'general_mediation';
}
