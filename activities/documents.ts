/**
 * Builds a document's view from the case record (personal data decrypted here, in the activity, never in
 * workflow history) and renders and stores it once per version.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  caseForDocuments,
  documentParties,
  eventPayloads,
  eventTypesOf,
  institutionName,
  legalAidRefusal,
  organizationNameAndKind,
  staffDisplayName,
  type DocumentParty,
} from '../db/document-sources.js';
import { storedDraftContent } from '../db/stored-drafts.js';
import {
  COURT_CHANNELS,
  DISPUTE_TYPES,
  effectPathOf,
  mediationKindOf,
  NOT_ACCEPTED_REASONS,
  type IntakeChannel,
  PARTY_ROLE_LABELS,
  TERMINATION_ARTICLES,
  TERMINATION_REASONS,
  type DisputeType,
  type EffectPath,
  type NotAcceptedReason,
  type PartyRole,
  type TerminationReason,
} from '../domain/case.js';
import { DEADLINE_RULES, periodText, type DeadlineRuleId } from '../domain/deadlines.js';
import { maskName } from '../domain/masking.js';
import { LEGAL_AID_BASES, type LegalAidBasis } from '../domain/screening.js';
import {
  counterpartyNoticeTemplate,
  legalAidRefusalTemplate,
  named,
  notAcceptedNoticeTemplate,
  type ContactAttempt,
  type NoticeParty,
} from '../templates/notices.js';
import { PRINCIPAL_ROLES, type FailureReport } from '../domain/case-rules.js';
import { chinaDateOf } from '../domain/calendar.js';
import { chineseDate } from '../templates/format.js';
import { verificationCode, type DocumentMeta, type DocumentStore } from '../db/documents.js';
import type { FieldCipher } from '../infra/crypto.js';
import { agreementTemplate, type AgreementParty } from '../templates/agreement.js';
import type { Render, Template } from '../templates/render.js';
import { terminationNoticeTemplate } from '../templates/termination-notice.js';
import { failureReportTemplate } from '../templates/court-documents.js';
import type { PartyLine } from '../templates/common.js';
import {
  archiveSummaryTemplate,
  notarizationRequestTemplate,
  rightsNoticeTemplate,
} from '../templates/party-documents.js';
import { judicialConfirmationApplicationTemplate } from '../templates/court-documents.js';
import { AGREEMENT_FORMS, CLAUSE_SETS } from '../templates/agreement.js';

export type DocumentRequest =
  | {
      kind: 'agreement';
      caseId: string;
      docVersion: number;
      createdAt: string;
      path: EffectPath;
      judicialConfirmationPossible: boolean;
      notarizationPlanned: boolean;
      mediatorId: string;
    }
  | {
      kind: 'termination_notice';
      caseId: string;
      docVersion: number;
      createdAt: string;
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
    }
  | {
      kind: 'not_accepted_notice' | 'counterparty_notice';
      caseId: string;
      docVersion: number;
      createdAt: string;
      reason: NotAcceptedReason;
      note?: string | undefined;
      partyId?: string | undefined;
    }
  | {
      kind: 'legal_aid_refusal';
      caseId: string;
      docVersion: number;
      createdAt: string;
      partyId: string;
      basis?: LegalAidBasis | undefined;
      reason: string;
    }
  | {
      kind: 'failure_report';
      caseId: string;
      docVersion: number;
      createdAt: string;
      failureReport: FailureReport;
      mediatorId: string;
    }
  | { kind: 'rights_notice'; caseId: string; docVersion: number; createdAt: string }
  | {
      kind: 'archive_summary';
      caseId: string;
      docVersion: number;
      createdAt: string;
      mediatorId: string;
      outcome: string;
    }
  | {
      kind: 'judicial_confirmation_application';
      caseId: string;
      docVersion: number;
      createdAt: string;
      courtName: string;
      agreementVersion: number;
    }
  | {
      kind: 'notarization_request';
      caseId: string;
      docVersion: number;
      createdAt: string;
      notaryName: string;
      creditorPartyId: string;
      debtorPartyId: string;
      agreementVersion: number;
    };

export type DocumentDeps = {
  db: Knex;
  cipher: FieldCipher;
  documents: DocumentStore;
  signingKey: Buffer;
  publicBaseUrl: string;
  render: Render;
};

const CHANNEL_LABELS: Record<string, string> = {
  walk_in: '当事人申请（现场）',
  phone: '当事人申请（电话）',
  online: '当事人申请（网上）',
  court_pre_filing: '人民法院委派',
  court_post_filing: '人民法院委托',
  referral: '有关机关移送',
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

export async function renderCaseDocument(deps: DocumentDeps, req: DocumentRequest): Promise<DocumentMeta> {
  const existing = await deps.documents.find(req.caseId, req.kind, req.docVersion);
  if (existing) return existing;
  const source = await documentSource(deps, req);
  const { template, bytes, title } = await renderRequest(deps, source, req);
  return deps.documents.put(
    {
      caseId: req.caseId,
      kind: req.kind,
      docVersion: req.docVersion,
      templateId: template.id,
      templateVersion: template.version,
      title: title ?? template.title(undefined as never),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      verificationCode: source.ctx.verificationCode,
      sizeBytes: bytes.length,
      createdAt: req.createdAt,
    },
    bytes,
  );
}

/** A rendered document: its template, its bytes and a title that depends on the view (the agreement's, by kind of mediation). */
type Rendered = { template: Template<never>; bytes: Buffer; title?: string };

/** A template rendered with its view (the template kept for its id and version). */
async function renderedWith<V>(
  deps: DocumentDeps,
  template: Template<V>,
  view: V,
  ctx: Parameters<Render>[2],
): Promise<Rendered> {
  return { template: template as Template<never>, bytes: await deps.render(template, view, ctx) };
}

type RequestOf<K extends DocumentRequest['kind']> = Extract<DocumentRequest, { kind: K }>;

function renderRequest(deps: DocumentDeps, s: DocumentSource, req: DocumentRequest): Promise<Rendered> {
  switch (req.kind) {
    case 'agreement':
      return agreement(deps, s, req);
    case 'termination_notice':
      return terminationNotice(deps, s, req);
    case 'not_accepted_notice':
    case 'counterparty_notice':
      return intakeRefusalNotice(deps, s, req);
    case 'legal_aid_refusal':
      return legalAidRefusalNotice(deps, s, req);
    case 'failure_report':
      return failureReport(deps, s, req);
    case 'judicial_confirmation_application':
    case 'notarization_request':
      return securingApplication(deps, s, req);
    case 'archive_summary':
      return archiveSummary(deps, s, req);
    case 'rights_notice':
      return rightsNotice(deps, s);
  }
}

/** The case as every document reads it: its row, organization and parties, with the helpers that print them. */
type DocumentSource = Awaited<ReturnType<typeof documentSource>>;

async function documentSource(deps: DocumentDeps, req: DocumentRequest) {
  const { db, cipher } = deps;
  const c = await caseForDocuments(db, req.caseId);
  if (!c) throw new Error(`case ${req.caseId} has no record`);
  const org = await organizationNameAndKind(db, c.handlingOrgId ?? c.intakeOrgId ?? 'center');
  const parties = await documentParties(db, req.caseId);
  const open = (sealed: string | null) => (sealed ? cipher.decrypt(sealed) : null);
  const nameOf = (p: DocumentParty) => (p.nameEnc ? cipher.decrypt(p.nameEnc) : p.name);
  const roleOf = (p: DocumentParty) => PARTY_ROLE_LABELS[p.role as PartyRole];
  /** A party's details as documents print them; an organization with its 法定代表人 or 主要负责人 (民事诉讼法 Art 51). */
  const details = (p: DocumentParty, roleLabel: string): PartyLine & { kind: 'natural' | 'legal' } => ({
    roleLabel,
    kind: p.kind === 'legal' ? 'legal' : 'natural',
    name: nameOf(p),
    idNumber: open(p.idNumberEnc),
    creditCode: p.creditCode,
    address: open(p.addressEnc),
    phone: open(p.phoneEnc),
    legalRepresentative: p.legalRepresentative,
  });
  const code = verificationCode(deps.signingKey, req);
  return {
    c,
    org,
    parties,
    principals: parties.filter((p) => PRINCIPAL_ROLES.includes(p.role as PartyRole)),
    open,
    nameOf,
    roleOf,
    details,
    /** A party as a notice names them: role and masked name (被申请人李*), never an internal id; an organization by its registered name. */
    noticeParty: (p: DocumentParty): NoticeParty => ({
      roleLabel: roleOf(p) ?? '当事人',
      maskedName: p.kind === 'legal' ? nameOf(p) : maskName(nameOf(p)),
    }),
    /** Which law the agreement was made under: the case's path and the organization's kind. */
    kind: mediationKindOf(
      effectPathOf({ channel: c.channel as IntakeChannel, disputeType: c.disputeType as DisputeType }),
      org?.kind,
    ),
    delegatingCourt: async () =>
      (c.courtInstitutionId ? await institutionName(db, c.courtInstitutionId) : undefined) ??
      ((c.court ?? {}) as { courtName?: string }).courtName ??
      null,
    ctx: { verificationCode: code, verifyUrl: `${deps.publicBaseUrl}/verify/${code}`, createdAt: req.createdAt },
    date: chinaDateOf(req.createdAt),
  };
}

async function agreement(deps: DocumentDeps, s: DocumentSource, req: RequestOf<'agreement'>): Promise<Rendered> {
  const { c, parties, roleOf, nameOf } = s;
  const content = await storedDraftContent(deps.db, req.caseId, req.docVersion);
  if (!content) throw new Error(`case ${req.caseId} has no draft version ${req.docVersion}`);
  const mediatorName = await staffDisplayName(deps.db, req.mediatorId);
  const view = {
    caseNumber: c.caseNumber,
    organizationName: s.org?.name ?? '',
    organizationKind: s.org?.kind ?? null,
    courtName: COURT_CHANNELS.includes(c.channel as IntakeChannel) ? await s.delegatingCourt() : null,
    disputeType: (DISPUTE_TYPES as readonly string[]).includes(c.disputeType)
      ? (c.disputeType as DisputeType)
      : 'general_civil',
    path: req.path,
    parties: s.principals.map((p): AgreementParty => {
      const rep = parties.find((r) => r.representsPartyId === p.partyId);
      return {
        ...s.details(p, roleOf(p)),
        representative: rep ? { label: roleOf(rep), name: nameOf(rep), idNumber: s.open(rep.idNumberEnc) } : null,
      };
    }),
    facts: content.facts,
    terms: content.terms,
    performance: content.performance,
    mediatorName: mediatorName ?? '',
    notarizationPlanned: req.notarizationPlanned,
    // The debtors the draft named (drafts stored before name none: the commitment then says 债务人).
    enforcementDebtors: (content.notarization?.debtorPartyIds ?? [])
      .map((id) => parties.find((p) => p.partyId === id))
      .filter((p) => p !== undefined)
      .map(nameOf),
    judicialConfirmationPossible: req.judicialConfirmationPossible,
    date: s.date,
    draftVersion: req.docVersion,
  };
  return {
    template: agreementTemplate as Template<never>,
    title: agreementTemplate.title(view),
    bytes: await deps.render(agreementTemplate, view, s.ctx),
  };
}

async function terminationNotice(
  deps: DocumentDeps,
  s: DocumentSource,
  req: RequestOf<'termination_notice'>,
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
async function intakeRefusalNotice(
  deps: DocumentDeps,
  s: DocumentSource,
  req: RequestOf<'not_accepted_notice' | 'counterparty_notice'>,
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

async function legalAidRefusalNotice(
  deps: DocumentDeps,
  s: DocumentSource,
  req: RequestOf<'legal_aid_refusal'>,
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

async function failureReport(
  deps: DocumentDeps,
  s: DocumentSource,
  req: RequestOf<'failure_report'>,
): Promise<Rendered> {
  const { c } = s;
  const mediatorName = req.mediatorId ? await staffDisplayName(deps.db, req.mediatorId) : undefined;
  const courtInfo = (c.court ?? {}) as { courtCaseNumber?: string; letterNumber?: string };
  const view = {
    caseNumber: c.caseNumber,
    courtName: (await s.delegatingCourt()) ?? '',
    courtCaseNumber: courtInfo.courtCaseNumber ?? null,
    letterNumber: courtInfo.letterNumber ?? null,
    handOff: c.channel === 'court_post_filing' ? ('委托' as const) : ('委派' as const),
    organizationName: s.org?.name ?? '',
    parties: s.principals.map((p) => s.details(p, s.roleOf(p))),
    ...req.failureReport,
    // Nothing recorded in time: the dispute as it was registered follows the statement that says so.
    basicFacts: req.failureReport.withIntakeSummary
      ? `${req.failureReport.basicFacts}${c.summary}`
      : req.failureReport.basicFacts,
    costlyConduct: req.failureReport.costlyConduct ?? null,
    mediatorName: mediatorName ?? '',
    date: s.date,
  };
  return renderedWith(deps, failureReportTemplate, view, s.ctx);
}

/** What makes the agreement enforceable: the application for judicial confirmation, or the request to a notary office. */
async function securingApplication(
  deps: DocumentDeps,
  s: DocumentSource,
  req: RequestOf<'judicial_confirmation_application' | 'notarization_request'>,
): Promise<Rendered> {
  const content = await storedDraftContent(deps.db, req.caseId, req.agreementVersion);
  if (!content) throw new Error(`case ${req.caseId} has no agreement version ${req.agreementVersion}`);
  const common = { organizationName: s.org?.name ?? '', agreementCaseNumber: s.c.caseNumber, date: s.date };
  if (req.kind === 'judicial_confirmation_application') {
    const view = {
      ...common,
      courtName: req.courtName,
      // A joint application: every party appears as 申请人 (民事诉讼法 Art 205).
      applicants: s.principals.map((p) => s.details(p, '申请人')),
      agreementEffectiveDate: s.c.agreementEffectiveAt ? chinaDateOf(s.c.agreementEffectiveAt.toISOString()) : s.date,
      mediationKind: s.kind,
      // The facts as the agreement states them (what the court confirms), not the dispute as registered.
      disputeSummary: content.facts,
      mainTerms: content.terms.map((t) => t.text),
      performance: content.performance,
    };
    return renderedWith(deps, judicialConfirmationApplicationTemplate, view, s.ctx);
  }
  const creditor = s.parties.find((p) => p.partyId === req.creditorPartyId);
  const debtor = s.parties.find((p) => p.partyId === req.debtorPartyId);
  if (!creditor || !debtor) throw new Error(`case ${req.caseId}: creditor or debtor not found`);
  const view = {
    ...common,
    notaryOfficeName: req.notaryName,
    creditor: s.details(creditor, '债权人'),
    debtor: s.details(debtor, '债务人'),
    obligations: content.terms.filter((t) => t.amountFen !== undefined || t.dueDate !== undefined),
    // Both parties sign this form: a legal-aid fee reduction is asked for separately, not printed here.
    feeReductionRequested: false,
  };
  return renderedWith(deps, notarizationRequestTemplate, view, s.ctx);
}

async function archiveSummary(
  deps: DocumentDeps,
  s: DocumentSource,
  req: RequestOf<'archive_summary'>,
): Promise<Rendered> {
  const { c } = s;
  const mediatorName = req.mediatorId ? await staffDisplayName(deps.db, req.mediatorId) : undefined;
  const view = {
    caseNumber: c.caseNumber,
    organizationName: s.org?.name ?? '',
    disputeTypeLabel: (CLAUSE_SETS[c.disputeType] ?? CLAUSE_SETS.general_civil!).label,
    channelLabel: CHANNEL_LABELS[c.channel] ?? c.channel,
    parties: s.principals.map(s.nameOf),
    mediatorName: mediatorName ?? '',
    receivedOn: chinaDateOf(c.receivedAt.toISOString()),
    closedOn: s.date,
    outcome: req.outcome,
    retention: '按本组织档案管理规定',
    compiledBy: s.org?.name ?? '',
    contents: await archiveContents(deps, s, req.caseId),
    mediationKind: s.kind,
  };
  return renderedWith(deps, archiveSummaryTemplate, view, s.ctx);
}

/** The file's contents (docs/documents.md#the-archive-file), each marked present from what the record holds, named as the kind of mediation names them. */
async function archiveContents(deps: DocumentDeps, s: DocumentSource, caseId: string) {
  const kinds = new Set((await deps.documents.list(caseId)).map((d) => d.kind));
  const seen = new Set(await eventTypesOf(deps.db, caseId));
  const reps = s.parties.filter((p) => p.representsPartyId);
  // Files as the chain recorded them (an upload the case refused is never in it).
  const materials = new Set(
    (await eventPayloads(deps.db, caseId, 'MaterialReceived')).map((e) => (e as { kind: string }).kind),
  );
  const peoples = s.kind === 'peoples';
  return [
    { item: `${peoples ? '人民调解' : '调解'}申请书或受理登记表`, present: true, required: true },
    { item: '当事人权利义务告知书', present: kinds.has('rights_notice'), required: true },
    { item: '当事人身份证明', present: s.principals.every((p) => p.idNumberEnc || p.creditCode), required: true },
    { item: '授权委托书', present: reps.some((r) => r.role === 'agent'), required: false },
    ...(s.c.courtInstitutionId
      ? [
          {
            item: '法院委派（委托）调解函及移送材料',
            present: materials.has('court_letter') || materials.has('complaint'),
            required: true,
          },
        ]
      : []),
    { item: '证据材料', present: materials.has('evidence'), required: false },
    { item: `${peoples ? '人民调解' : '调解'}记录`, present: seen.has('SessionRecorded'), required: true },
    {
      item: AGREEMENT_FORMS[s.kind].title,
      present: kinds.has('agreement') || seen.has('AgreementEffective'),
      required: true,
    },
    { item: '履行凭证', present: seen.has('PaymentConfirmed'), required: false },
    { item: '回访记录', present: seen.has('FollowUpRecorded'), required: false },
    { item: '司法确认有关材料', present: kinds.has('judicial_confirmation_application'), required: false },
    { item: '公证有关材料', present: kinds.has('notarization_request'), required: false },
    { item: '封底', present: true, required: true },
  ];
}

async function rightsNotice(deps: DocumentDeps, s: DocumentSource): Promise<Rendered> {
  const view = {
    caseNumber: s.c.caseNumber,
    organizationName: s.org?.name ?? '',
    partyName: s.principals.map(s.nameOf).join('、'),
    date: s.date,
    mediationKind: s.kind,
  };
  return renderedWith(deps, rightsNoticeTemplate, view, s.ctx);
}
