/**
 * The notices the law requires: the parties' rights and duties at acceptance, not accepted, the other side
 * refused or could not be reached, legal aid refused, mediation ended (docs/documents.md#notices-the-law-requires).
 */
import { eventPayloads, legalAidRefusal } from '../../db/document-sources.js';
import {
  NOT_ACCEPTED_REASONS,
  TERMINATION_ARTICLES,
  TERMINATION_REASONS,
  type NotAcceptedReason,
  type TerminationReason,
} from '../../domain/case.js';
import { DEADLINE_RULES, periodText, type DeadlineRuleId } from '../../domain/deadlines.js';
import { LEGAL_AID_BASES, type LegalAidBasis } from '../../domain/screening.js';
import {
  counterpartyNoticeTemplate,
  legalAidRefusalTemplate,
  named,
  notAcceptedNoticeTemplate,
  type ContactAttempt,
} from '../../templates/notices.js';
import { chinaDateOf } from '../../domain/calendar.js';
import { chineseDate } from '../../templates/format.js';
import { terminationNoticeTemplate } from '../../templates/termination-notice.js';
import { rightsNoticeTemplate } from '../../templates/party-documents.js';
import { CLAUSE_SETS } from '../../templates/agreement.js';
import { renderedWith, type DocumentDeps, type DocumentSource, type Rendered, type RequestBase } from './source.js';

export type RightsNoticeRequest = RequestBase & { kind: 'rights_notice' };

export type TerminationNoticeRequest = RequestBase & {
  kind: 'termination_notice';
  /** Absent in requests from runs before the notice printed its article: then only the label. */
  reason?: TerminationReason;
  reasonLabel: string;
  note?: string | undefined;
  returnedToCourt: boolean;
  /** The party whose act ended it (refused to sign). */
  partyId?: string | undefined;
  /** The period that ran out, and its last day. */
  ruleId?: DeadlineRuleId | undefined;
  periodLastDay?: string | undefined;
  /** The length the period ran (an organization's or a court's; absent: the rule's). */
  periodLength?: number | undefined;
};

export type IntakeRefusalRequest = RequestBase & {
  kind: 'not_accepted_notice' | 'counterparty_notice';
  reason: NotAcceptedReason;
  note?: string | undefined;
  partyId?: string | undefined;
};

export type LegalAidRefusalRequest = RequestBase & {
  kind: 'legal_aid_refusal';
  partyId: string;
  basis?: LegalAidBasis | undefined;
  reason: string;
};

const CONTACT_CHANNEL_LABELS: Record<string, string> = {
  sms: '短信',
  phone_call: '电话',
  visit: '上门',
  letter: '信函',
  online: '网络',
};
const CONTACT_RESULT_LABELS: Record<string, string> = {
  reached: '已联系上',
  no_answer: '无人应答',
  wrong_number: '号码有误',
  refused: '明确拒绝调解',
};

export async function rightsNotice(deps: DocumentDeps, s: DocumentSource): Promise<Rendered> {
  const view = {
    caseNumber: s.c.caseNumber,
    organizationName: s.org?.name ?? '',
    partyName: s.principals.map(s.nameOf).join('、'),
    date: s.date,
    mediationKind: s.kind,
  };
  return renderedWith(deps, rightsNoticeTemplate, view, s.ctx);
}

export async function terminationNotice(
  deps: DocumentDeps,
  s: DocumentSource,
  req: TerminationNoticeRequest,
): Promise<Rendered> {
  const court = req.returnedToCourt;
  const article =
    req.reason && req.reason !== 'agreement_reached'
      ? TERMINATION_ARTICLES[req.reason][court ? 'court' : 'peoples']
      : court
        ? '人民法院在线调解规则第二十五条'
        : '人民调解法第二十六条';
  const who = req.partyId ? s.parties.find((p) => p.partyId === req.partyId) : undefined;
  const rule = req.ruleId ? DEADLINE_RULES[req.ruleId] : undefined;
  const detail = who
    ? `${named(s.noticeParty(who))}${req.reason === 'party_refuses_to_sign' ? '拒绝在调解协议上签名、盖章或者按指印' : ''}`
    : rule
      ? `${rule.label}为${periodText(rule, req.periodLength ?? rule.length)}${req.periodLastDay ? `，已于${chineseDate(req.periodLastDay)}届满` : '，已届满'}，依据：${rule.citation}`
      : undefined;
  const view = {
    caseNumber: s.c.caseNumber,
    organizationName: s.org?.name ?? '',
    parties: s.principals.map(s.noticeParty),
    reasonLabel: req.reason ? TERMINATION_REASONS[req.reason] : req.reasonLabel,
    article,
    detail,
    note: req.note,
    returnedToCourt: req.returnedToCourt,
    date: s.date,
  };
  return renderedWith(deps, terminationNoticeTemplate, view, s.ctx);
}

/** 不予受理 (the case is not taken) or the other side could not be reached or refused: both name the applicants and the others. */
export async function intakeRefusalNotice(
  deps: DocumentDeps,
  s: DocumentSource,
  req: IntakeRefusalRequest,
): Promise<Rendered> {
  const { c, principals, noticeParty } = s;
  const applicants = principals.filter((p) => p.role === 'applicant');
  const common = {
    caseNumber: c.caseNumber,
    organizationName: s.org?.name ?? '',
    applicants: (applicants.length ? applicants : principals).map(noticeParty),
    others: principals.filter((p) => p.role !== 'applicant').map(noticeParty),
    disputeLabel: (CLAUSE_SETS[c.disputeType] ?? CLAUSE_SETS.general_civil!).label,
    receivedOn: chinaDateOf(c.receivedAt.toISOString()),
    note: req.note,
    date: s.date,
  };
  if (req.kind === 'not_accepted_notice') {
    const basis = NOT_ACCEPTED_REASONS[req.reason];
    const view = {
      ...common,
      reasonLabel: basis.label,
      article: basis.article,
      reportToPolice: req.reason === 'possible_criminal_matter',
    };
    return renderedWith(deps, notAcceptedNoticeTemplate, view, s.ctx);
  }
  // Every attempt as the chain recorded it (在线调解规则 Art 15: the mediator records why).
  const logged = await eventPayloads(deps.db, req.caseId, 'CounterpartyContactLogged');
  const contactLog = logged.map((payload): ContactAttempt => {
    const e = payload as { at: string; channel: string; result: string; note?: string };
    return {
      at: e.at,
      channelLabel: CONTACT_CHANNEL_LABELS[e.channel] ?? e.channel,
      resultLabel: CONTACT_RESULT_LABELS[e.result] ?? e.result,
      note: e.note,
    };
  });
  const refusedBy = req.partyId ? s.parties.find((p) => p.partyId === req.partyId) : undefined;
  const view = {
    ...common,
    outcome: req.reason === 'party_refuses_mediation' ? ('refused' as const) : ('unreachable' as const),
    refusedBy: refusedBy ? noticeParty(refusedBy) : undefined,
    contactLog,
  };
  return renderedWith(deps, counterpartyNoticeTemplate, view, s.ctx);
}

export async function legalAidRefusalNotice(
  deps: DocumentDeps,
  s: DocumentSource,
  req: LegalAidRefusalRequest,
): Promise<Rendered> {
  const applicant = s.parties.find((p) => p.partyId === req.partyId);
  if (!applicant) throw new Error(`case ${req.caseId}: legal-aid applicant not found`);
  // As the chain recorded them: the n-th refusal (this document's version), who decided, the application it answered.
  const { appliedAt, aidOrganizationName } = await legalAidRefusal(deps.db, req.caseId, req.docVersion);
  const basis = req.basis ? LEGAL_AID_BASES[req.basis] : undefined;
  const view = {
    caseNumber: s.c.caseNumber,
    legalAidOrganizationName: aidOrganizationName ?? '法律援助机构',
    applicant: s.noticeParty(applicant),
    appliedOn: appliedAt ? chinaDateOf(new Date(appliedAt).toISOString()) : s.date,
    basisLabel: basis?.label ?? '经济困难',
    basisSource: basis?.source ?? '法律援助法第三十一条',
    reasons: req.reason,
    n: req.docVersion,
    date: s.date,
  };
  return renderedWith(deps, legalAidRefusalTemplate, view, s.ctx);
}
