/**
 * The case: its vocabulary and the data that travels through the workflow. Pure types and constants, safe
 * inside workflow code. Status codes: docs/case-path.md#case-states; Chinese labels are what clerks read.
 */

import {
  DISPUTE_TYPES,
  ELECTRONIC_SIGNATURE_EXCLUSION_BASIS,
  disputeTypeProfile,
  disputeTypesWhere,
  type DisputeType,
} from './dispute-types.js';

/** The dispute types and everything that differs between them: one row each in domain/dispute-types.ts. */
export { DISPUTE_TYPES, type DisputeType };

/** How the dispute reached the center (docs/case-path.md#intake). */
export const INTAKE_CHANNELS = [
  'walk_in', // 现场登记 by a clerk
  'phone', // 电话登记 by a clerk
  'online', // 当事人在线申请
  'court_pre_filing', // 法院委派 (诉前, before filing)
  'court_post_filing', // 法院委托 (诉中, after filing)
  'referral', // 公安、信访或其他机关移送
] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
export const COURT_CHANNELS: readonly IntakeChannel[] = ['court_pre_filing', 'court_post_filing'];

export const ROLES = [
  'clerk',
  'mediator',
  'supervisor',
  'legal_aid_officer',
  'court',
  'notary',
  'party',
  'system',
] as const;
export type Role = (typeof ROLES)[number];
export type Actor = { id: string; role: Role };

export const CASE_STATUSES = {
  REGISTERED: '已登记',
  NOT_ACCEPTED: '不予受理',
  PENDING_ASSIGNMENT: '待分派',
  // Every status is reached by the rules (docs/case-path.md#case-states), so the workflow, the projection,
  // queues and documents share one vocabulary.
  PENDING_COUNTERPARTY_CONSENT: '待对方同意',
  PENDING_MEDIATOR_ACCEPT: '待调解员确认',
  IN_MEDIATION: '调解中',
  SUSPENDED: '中止',
  AGREEMENT_DRAFTING: '协议起草',
  PENDING_SIGNATURE: '待签署',
  AGREEMENT_EFFECTIVE: '协议已生效',
  PERFORMED: '已履行',
  ENFORCEMENT_ADVISED: '可申请强制执行',
  TERMINATED: '调解终止',
  RETURNED_TO_COURT: '已退回法院',
  CLOSED_ARCHIVED: '结案归档',
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;

export type PartyRole = 'applicant' | 'respondent' | 'third_party' | 'guardian' | 'agent';
export type PartyKind = 'natural' | 'legal';

export type PartyIntake = {
  partyId: string;
  role: PartyRole;
  kind: PartyKind;
  name: string;
  /** Natural person: 公民身份号码. Personal data: encrypted at rest, never in the event log. */
  idNumber?: string;
  /** Legal person: 统一社会信用代码 (public register data). */
  creditCode?: string;
  phone?: string;
  address?: string;
  /** A guardian (法定代理人) or agent (委托代理人) acts for this party. */
  representsPartyId?: string;
  /** A child under 14: everything about them is sensitive (个人信息保护法 Art 28), the name included. */
  minorUnder14?: boolean;
  /** A legal person or other organization acts through its 法定代表人 or 主要负责人 (民事诉讼法 Art 51). */
  legalRepresentative?: LegalRepresentative;
};

/**
 * Who acts for an organization that is a party: a legal person (法人) through its 法定代表人, any other
 * organization (非法人组织: a partnership, a branch) through its 主要负责人 (民事诉讼法 Art 51 ¶2; 民法典
 * Arts 61, 105). Name and title are register data printed on every document that names the party.
 */
export type LegalRepresentative = { kind: 'legal_representative' | 'principal_officer'; name: string; title: string };
export const LEGAL_REPRESENTATIVE_LABELS: Record<LegalRepresentative['kind'], string> = {
  legal_representative: '法定代表人',
  principal_officer: '主要负责人',
};

export type CourtHandOff = {
  courtCode: string; // e.g. 粤5202
  courtName?: string;
  courtCaseNumber?: string; // e.g. (2026)粤5202民初123号; required after filing (委托)
  letterNumber?: string; // 委派/委托调解函 number
  procedure?: 'ordinary' | 'summary'; // 委托 only: sets the 15- or 7-day period
  deadline?: string; // the court's own deadline, YYYY-MM-DD, when the letter gives one
};

export type PriorProceedings = {
  /** The matter is already accepted by this body (2002 司法部《人民调解工作若干规定》Art 22). */
  before: 'court' | 'police' | 'administrative' | 'arbitration';
  reference?: string;
};

/** Everything intake records. `receivedAt` interrupts the limitation period: stored once, never changed. */
export type CaseIntake = {
  caseId: string;
  receivedAt: string;
  channel: IntakeChannel;
  disputeType: DisputeType;
  summary: string;
  /** When the claimant learned (or should have learned) of the harm: starts the 3-year limitation period (民法典 Art 188). */
  claimantLearnedOfHarmOn: string;
  claimAmountFen?: number;
  parties: PartyIntake[];
  court?: CourtHandOff;
  referral?: {
    agency: 'police' | 'petition_office' | 'market_regulator' | 'other_agency';
    agencyName: string;
    reference?: string;
  };
  /**
   * A consumer complaint a 市场监督管理部门 accepted and mediates (or has the 消协 mediate) under its own
   * procedure: only then do its 45 working days apply (市场监督管理投诉举报处理暂行办法 Art 21).
   */
  marketRegulatorComplaint?: { authorityName: string; complaintNumber?: string };
  priorProceedings?: PriorProceedings;
  /** A one-sided application: the other party's willingness must be sought first (人民调解法 Art 17). */
  oneSided?: boolean;
  /** Matters that rule out judicial confirmation (民诉法解释 Art 355). */
  involves?: ('status_relationship' | 'property_title' | 'ip_title')[];
  registeredBy: Actor;
  /** Who handles and may see the case: the registering organization, and the delegating court. */
  routing: { intakeOrgId: string; courtInstitutionId?: string };
};

/** Reasons a case is not accepted, each with the article behind it (docs/case-path.md#acceptance-review). */
export const NOT_ACCEPTED_REASONS = {
  party_refuses_mediation: { label: '一方当事人明确拒绝调解', article: '人民调解法第十七条' },
  already_before_authority: {
    label: '纠纷已由人民法院、公安机关或其他行政机关受理或解决',
    article: '司法部《人民调解工作若干规定》第二十二条',
  },
  possible_criminal_matter: { label: '可能涉及治安或刑事案件，已告知报案', article: '人民调解法第二十五条' },
  outside_scope: { label: '不属于本中心受理范围', article: '人民调解法第二条' },
  counterparty_unreachable: { label: '在期限内无法联系对方当事人', article: '人民法院在线调解规则第十五条' },
} as const;

/** Why mediation ended (人民法院在线调解规则 Art 25); each leads to a termination notice (人民调解法 Art 26). */
export const TERMINATION_REASONS = {
  agreement_reached: '达成调解协议',
  settled_and_withdrew: '当事人自行和解，撤回调解申请',
  party_unreachable: '在调解期限内无法联系到当事人',
  party_refuses_to_continue: '当事人明确表示不愿意继续调解',
  positions_too_far_apart: '当事人分歧较大且难以达成调解协议',
  period_expired: '调解期限届满，未达成调解协议，且各方当事人未达成延长调解期限的合意',
  party_refuses_to_sign: '当事人拒绝在调解协议上签章',
  other: '其他导致调解无法进行的情形',
} as const;
export type TerminationReason = keyof typeof TERMINATION_REASONS;

/**
 * The article each termination reason rests on, as the termination notice prints it: the item of
 * 在线调解规则 Art 25 for a court case (with 特邀调解规定 Art 26), and for people's mediation the party's
 * right to end it (人民调解法 Art 23) or the duty to end a mediation that fails (Art 26).
 */
export const TERMINATION_ARTICLES: Record<
  Exclude<TerminationReason, 'agreement_reached'>,
  { court: string; peoples: string }
> = {
  settled_and_withdrew: {
    court: '人民法院在线调解规则第二十五条第（二）项',
    peoples: '人民调解法第二十三条第（二）项',
  },
  party_unreachable: { court: '人民法院在线调解规则第二十五条第（三）项', peoples: '人民调解法第二十六条' },
  party_refuses_to_continue: {
    court: '人民法院在线调解规则第二十五条第（四）项；最高人民法院关于人民法院特邀调解的规定第二十六条',
    peoples: '人民调解法第二十三条第（二）项、第二十六条',
  },
  positions_too_far_apart: {
    court: '人民法院在线调解规则第二十五条第（五）项；最高人民法院关于人民法院特邀调解的规定第二十六条',
    peoples: '人民调解法第二十六条',
  },
  period_expired: { court: '人民法院在线调解规则第二十五条第（六）项', peoples: '人民调解法第二十六条' },
  party_refuses_to_sign: {
    court: '人民法院在线调解规则第二十五条第（七）项',
    peoples: '人民调解法第二十三条第（四）项、第二十六条',
  },
  other: { court: '人民法院在线调解规则第二十五条第（八）项', peoples: '人民调解法第二十六条' },
};

/** Party roles as documents name them (with a masked name: 被申请人李*). */
export const PARTY_ROLE_LABELS: Record<PartyRole, string> = {
  applicant: '申请人',
  respondent: '被申请人',
  third_party: '第三人',
  guardian: '法定代理人',
  agent: '委托代理人',
};

/** When a signed agreement takes effect, by path (docs/case-path.md#signing-and-effect): whose signatures it needs. */
export const EFFECT_RULES = {
  peoples_mediation: { needs: ['parties', 'mediator', 'organization_seal'], basis: '人民调解法第二十九条' },
  labour_mediation: { needs: ['parties', 'mediator', 'organization_seal'], basis: '劳动争议调解仲裁法第十四条' },
  court_pre_filing: { needs: ['parties'], basis: '特邀调解规定第二十四条' },
  court_post_filing: { needs: ['parties'], basis: '特邀调解规定第二十条（协议交人民法院出具调解书或准许撤诉）' },
} as const;
export type EffectPath = keyof typeof EFFECT_RULES;

/**
 * Agreements that are not signed electronically by default (configurable): the rule that an electronic
 * document is not invalid for being electronic does not apply to documents on marriage, adoption,
 * inheritance and other personal relations (电子签名法 Art 3(2)(1)). Family and inheritance disputes
 * (婚姻家庭、继承纠纷) are registered as `family_property`; the clerk records the wet-ink signature, seal or
 * fingerprint with a scan of the signed page (a file received for the case, by hash). Which types: the rows
 * of domain/dispute-types.ts that set `electronicSignatureExcluded`.
 */
export const ELECTRONIC_SIGNATURE_EXCLUSION = {
  disputeTypes: disputeTypesWhere((p) => p.electronicSignatureExcluded) as readonly DisputeType[],
  basis: ELECTRONIC_SIGNATURE_EXCLUSION_BASIS,
} as const;

/**
 * Kinds of mediation organization (`organizations.kind`): 人民调解委员会 (people_mediation; sector committees
 * set up under 人民调解法 Art 34 are industry_mediation), 劳动争议调解组织 (labour_mediation, 劳动争议调解仲裁法
 * Art 10), 律师调解工作室/中心 (lawyer_mediation), and an organization on a court's roster of invited
 * mediation organizations (court_invited_mediation, 特邀调解规定 Arts 5-6).
 */
export const ORGANIZATION_KINDS = {
  center: '一站式非诉讼纠纷化解中心',
  people_mediation: '人民调解委员会',
  industry_mediation: '行业性、专业性人民调解委员会',
  labour_mediation: '劳动争议调解组织',
  lawyer_mediation: '律师调解工作室',
  court_invited_mediation: '特邀调解组织',
  justice_bureau: '司法行政机关',
  legal_aid: '法律援助机构',
} as const;

/**
 * Which law an agreement is made under, and so its title, wording, basis and signature lines: a case a
 * court delegated or commissioned is 特邀调解 whoever mediates it (特邀调解规定 Arts 1, 6); a labour dispute
 * is labour mediation (劳动争议调解仲裁法 Art 14); otherwise the organization decides: a lawyer mediation
 * studio, or people's mediation (人民调解法).
 */
export type MediationKind = 'peoples' | 'labour' | 'lawyer' | 'court_invited';
export function mediationKindOf(path: EffectPath, organizationKind?: string | null): MediationKind {
  if (path === 'court_pre_filing' || path === 'court_post_filing') return 'court_invited';
  if (path === 'labour_mediation') return 'labour';
  if (organizationKind === 'lawyer_mediation') return 'lawyer';
  return 'peoples';
}

/** A court's hand-off takes the court's path; otherwise the dispute type's row decides (domain/dispute-types.ts). */
export function effectPathOf(c: { channel: IntakeChannel; disputeType: DisputeType }): EffectPath {
  if (c.channel === 'court_pre_filing') return 'court_pre_filing';
  if (c.channel === 'court_post_filing') return 'court_post_filing';
  return disputeTypeProfile(c.disputeType)?.effectPath ?? 'peoples_mediation';
}
export type NotAcceptedReason = keyof typeof NOT_ACCEPTED_REASONS;

/** The other routes a party must be told about when mediation does not go ahead (人民调解法 Arts 3, 26). */
export const OTHER_ROUTES_NOTICE = '您可以依法通过仲裁、行政、司法等途径维护自己的权利。';

export type CaseEvent = {
  seq: number;
  type: string;
  at: string;
  actor: Actor;
  /** Never personal data: parties appear only by partyId. */
  payload: Record<string, unknown>;
};
