/**
 * Screening at intake (docs/legal-aid.md): legal-aid eligibility bases, priority groups, whether judicial
 * confirmation will be possible, and the limitation-period alert. Each basis is a data row with its source.
 */
import { CalendarYearMissing, addDays, nextWorkingDayFrom, type HolidayCalendar } from './calendar.js';
import { addYears } from './deadlines.js';
import { LIMITATION_PERIODS, disputeTypeProfile } from './dispute-types.js';
import { LOCAL_LEGAL_AID_EXEMPTIONS, type LocalLegalAidGroup } from './data/local-legal-aid-exemptions.js';

/** The city's groups (seed Art 23) as bases: hardship presumed, its verification waived (法律援助法 Art 42(4)). */
function localBases(): {
  [K in LocalLegalAidGroup]: { label: string; treatment: 'verification_exempt'; source: string };
} {
  const src = LOCAL_LEGAL_AID_EXEMPTIONS.source;
  const entries = Object.entries(LOCAL_LEGAL_AID_EXEMPTIONS.groups).map(([key, g]) => [
    key,
    { label: g.label, treatment: src.treatment, source: `${src.instrument}${src.article}${g.item}；${src.legalBasis}` },
  ]);
  return Object.fromEntries(entries) as {
    [K in LocalLegalAidGroup]: { label: string; treatment: 'verification_exempt'; source: string };
  };
}

/** How economic hardship is treated for a legal-aid application. */
export const LEGAL_AID_BASES = {
  // Seed Art 23: the city's list, kept as data with its source (domain/data/local-legal-aid-exemptions.ts).
  ...localBases(),
  // 法律援助法 Art 32: no hardship condition at all.
  national_hero_relatives: {
    label: '英雄烈士近亲属维护其人格权益',
    treatment: 'no_economic_test',
    source: '法律援助法第三十二条第一项',
  },
  national_good_samaritan: {
    label: '因见义勇为行为主张相关民事权益',
    treatment: 'no_economic_test',
    source: '法律援助法第三十二条第二项',
  },
  national_abuse_victim: {
    label: '遭受虐待、遗弃或者家庭暴力的受害人',
    treatment: 'no_economic_test',
    source: '法律援助法第三十二条第四项',
  },
  // 法律援助法 Art 42: hardship presumed, verification waived.
  verification_exempt_dependent_group: {
    label: '无固定生活来源的未成年人、老年人、残疾人',
    treatment: 'verification_exempt',
    source: '法律援助法第四十二条第一项',
  },
  verification_exempt_assistance: {
    label: '社会救助、司法救助或者优抚对象',
    treatment: 'verification_exempt',
    source: '法律援助法第四十二条第二项',
  },
  verification_exempt_migrant_wages: {
    label: '申请支付劳动报酬或工伤赔偿的进城务工人员',
    treatment: 'verification_exempt',
    source: '法律援助法第四十二条第三项',
  },
  // 法律援助法 Art 31 matters, with the economic-hardship check (self-declaration allowed, Art 41).
  economic_hardship: {
    label: '经济困难（可告知承诺）',
    treatment: 'economic_test',
    source: '法律援助法第三十一条、第四十一条',
  },
} as const;
export type LegalAidBasis = keyof typeof LEGAL_AID_BASES;

/** Priority service groups (seed Art 30); priority shows in every work queue. */
export const PRIORITY_GROUPS = {
  low_income: '低收入群体',
  disabled: '残疾人',
  migrant_worker: '农民工',
  elderly: '老年人',
  youth: '青少年',
  single_mother_in_difficulty: '困难单亲母亲',
  service_member_family: '军人军属',
  veteran: '退役军人',
  firefighter: '消防救援人员',
  other_entitled: '其他依法应予优先的群体',
} as const;
export type PriorityGroup = keyof typeof PRIORITY_GROUPS;

/**
 * Judicial confirmation is not available for status relationships (marriage, parentage, adoption) or to
 * confirm title to property or IP (民诉法解释 Art 355); an agreement from 委托 mediation goes back to the
 * court instead (特邀调解规定 Art 20).
 */
export function judicialConfirmationOutlook(c: {
  channel: string;
  involves?: ('status_relationship' | 'property_title' | 'ip_title')[];
}): { possible: boolean; reason: string } {
  if (c.channel === 'court_post_filing')
    return { possible: false, reason: '委托调解达成协议的，由人民法院出具调解书或准许撤诉（特邀调解规定第二十条）' };
  if (c.involves?.includes('status_relationship'))
    return { possible: false, reason: '涉及身份关系，不予司法确认（民诉法解释第三百五十五条）' };
  if (c.involves?.includes('property_title') || c.involves?.includes('ip_title'))
    return { possible: false, reason: '涉及物权、知识产权确权，不予司法确认（民诉法解释第三百五十五条）' };
  return { possible: true, reason: '可依法申请司法确认（民事诉讼法第二百零五条）' };
}

/**
 * Limitation alert (民法典 Art 188: 3 years; labour arbitration 1 year, 劳动争议调解仲裁法 Art 27). The
 * application interrupts the period (诉讼时效规定 Art 12), so the alert is about whether it had already
 * run out, or nearly, when the case was registered. The period ends on the corresponding day, or the
 * month's last day (29 February → 28 February, 民法典 Art 202), rolled past a rest day with the calendar
 * (Art 203); without one, or before a year is published, the corresponding day stands and says so.
 */
export function limitationAlert(
  c: { disputeType: string; claimantLearnedOfHarmOn: string; intakeDate: string },
  cal?: HolidayCalendar,
): { level: 'none' | 'near' | 'expired'; endsOn: string; basis: string } {
  // The period by the dispute type's row (domain/dispute-types.ts); a code the table lacks counts 3 years.
  const { years, citation: period } = disputeTypeProfile(c.disputeType)?.limitation ?? LIMITATION_PERIODS.general;
  const nominal = addYears(c.claimantLearnedOfHarmOn, years);
  let endsOn = nominal;
  let counting = '民法典第二百零二条';
  if (cal) {
    try {
      endsOn = nextWorkingDayFrom(cal, nominal);
      if (endsOn !== nominal) counting = `${nominal} 为休息日，顺延至 ${endsOn}（民法典第二百零三条；${cal.version}）`;
    } catch (err) {
      if (!(err instanceof CalendarYearMissing)) throw err;
      counting = `民法典第二百零二条；${err.year} 年节假日安排尚未公布，该日如为休息日则顺延（民法典第二百零三条）`;
    }
  } else {
    counting = '民法典第二百零二条；该日如为休息日则顺延（民法典第二百零三条）';
  }
  const basis = `${period}；${counting}`;
  if (c.intakeDate > endsOn) return { level: 'expired', endsOn, basis };
  // Near: within 90 days of the end, a lead the center chose, not a statute (docs/legal-aid.md#limitation-alert).
  if (c.intakeDate >= addDays(endsOn, -90)) return { level: 'near', endsOn, basis };
  return { level: 'none', endsOn, basis };
}
