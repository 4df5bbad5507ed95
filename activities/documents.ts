/**
 * Builds a document's view from the case record (personal data decrypted here, in the activity, never in
 * workflow history) and renders and stores it once per version.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { COURT_CHANNELS, DISPUTE_TYPES, effectPathOf, mediationKindOf, NOT_ACCEPTED_REASONS, type IntakeChannel, PARTY_ROLE_LABELS, TERMINATION_ARTICLES, TERMINATION_REASONS, type DisputeType, type EffectPath, type NotAcceptedReason, type PartyRole, type TerminationReason } from '../domain/case.js';
import { DEADLINE_RULES, periodText, type DeadlineRuleId } from '../domain/deadlines.js';
import { maskName } from '../domain/masking.js';
import { LEGAL_AID_BASES, type LegalAidBasis } from '../domain/screening.js';
import { counterpartyNoticeTemplate, legalAidRefusalTemplate, named, notAcceptedNoticeTemplate, type ContactAttempt, type NoticeParty } from '../templates/notices.js';
import { PRINCIPAL_ROLES, type AgreementContent, type FailureReport } from '../domain/case-rules.js';
import { chinaDateOf } from '../domain/calendar.js';
import { chineseDate } from '../templates/format.js';
import { verificationCode, type DocumentMeta, type DocumentStore } from '../db/documents.js';
import type { FieldCipher } from '../infra/crypto.js';
import { agreementTemplate, type AgreementParty } from '../templates/agreement.js';
import type { Template } from '../templates/render.js';
import type { Render } from '../templates/render-pool.js';
import { terminationNoticeTemplate } from '../templates/termination-notice.js';
import { failureReportTemplate } from '../templates/court-documents.js';
import type { PartyLine } from '../templates/common.js';
import { archiveSummaryTemplate, notarizationRequestTemplate, rightsNoticeTemplate } from '../templates/party-documents.js';
import { judicialConfirmationApplicationTemplate } from '../templates/court-documents.js';
import { AGREEMENT_FORMS, CLAUSE_SETS } from '../templates/agreement.js';

export type DocumentRequest =
  | { kind: 'agreement'; caseId: string; docVersion: number; createdAt: string; path: EffectPath; judicialConfirmationPossible: boolean; notarizationPlanned: boolean; mediatorId: string }
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
  | { kind: 'not_accepted_notice' | 'counterparty_notice'; caseId: string; docVersion: number; createdAt: string; reason: NotAcceptedReason; note?: string | undefined; partyId?: string | undefined }
  | { kind: 'legal_aid_refusal'; caseId: string; docVersion: number; createdAt: string; partyId: string; basis?: LegalAidBasis | undefined; reason: string }
  | { kind: 'failure_report'; caseId: string; docVersion: number; createdAt: string; failureReport: FailureReport; mediatorId: string }
  | { kind: 'rights_notice'; caseId: string; docVersion: number; createdAt: string }
  | { kind: 'archive_summary'; caseId: string; docVersion: number; createdAt: string; mediatorId: string; outcome: string }
  | { kind: 'judicial_confirmation_application'; caseId: string; docVersion: number; createdAt: string; courtName: string; agreementVersion: number }
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

export type DocumentDeps = { db: Knex; cipher: FieldCipher; documents: DocumentStore; signingKey: Buffer; publicBaseUrl: string; render: Render };

const CHANNEL_LABELS: Record<string, string> = {
  walk_in: '当事人申请（现场）',
  phone: '当事人申请（电话）',
  online: '当事人申请（网上）',
  court_pre_filing: '人民法院委派',
  court_post_filing: '人民法院委托',
  referral: '有关机关移送',
};

const CONTACT_CHANNEL_LABELS: Record<string, string> = { sms: '短信', phone_call: '电话', visit: '上门', letter: '信函', online: '网络' };
const CONTACT_RESULT_LABELS: Record<string, string> = { reached: '已联系上', no_answer: '无人应答', wrong_number: '号码有误', refused: '明确拒绝调解' };

export async function renderCaseDocument(deps: DocumentDeps, req: DocumentRequest): Promise<DocumentMeta> {
  const existing = await deps.documents.find(req.caseId, req.kind, req.docVersion);
  if (existing) return existing;
  const { db, cipher } = deps;
  const c = await db('cases').where({ case_id: req.caseId }).first();
  if (!c) throw new Error(`case ${req.caseId} has no record`);
  const org = await db('organizations').where({ org_id: c.handling_org_id ?? c.intake_org_id ?? 'center' }).first('name', 'kind');
  const parties = await db('case_parties').where({ case_id: req.caseId }).orderBy('position');
  const open = (sealed: string | null) => (sealed ? cipher.decrypt(sealed) : null);
  const nameOf = (p: (typeof parties)[number]) => (p.name_enc ? cipher.decrypt(p.name_enc) : p.name);
  const principals = parties.filter((p) => PRINCIPAL_ROLES.includes(p.role as PartyRole));
  const roleOf = (p: (typeof parties)[number]) => PARTY_ROLE_LABELS[p.role as PartyRole];
  /** A party's details as documents print them; an organization with its 法定代表人 or 主要负责人 (民事诉讼法 Art 51). */
  const details = (p: (typeof parties)[number], roleLabel: string): PartyLine & { kind: 'natural' | 'legal' } => ({
    roleLabel,
    kind: p.kind === 'legal' ? 'legal' : 'natural',
    name: nameOf(p),
    idNumber: open(p.id_number_enc),
    creditCode: p.credit_code,
    address: open(p.address_enc),
    phone: open(p.phone_enc),
    legalRepresentative: p.legal_representative ?? null,
  });
  /** Which law the agreement was made under: the case's path and the organization's kind. */
  const kind = mediationKindOf(effectPathOf({ channel: c.channel as IntakeChannel, disputeType: c.dispute_type as DisputeType }), org?.kind);
  const delegatingCourt = async () =>
    (c.court_institution_id ? (await db('institutions').where({ institution_id: c.court_institution_id }).first('name'))?.name : undefined) ?? ((c.court ?? {}) as { courtName?: string }).courtName ?? null;
  /** A party as a notice names them: role and masked name (被申请人李*), never an internal id; an organization by its registered name. */
  const noticeParty = (p: (typeof parties)[number]): NoticeParty => ({ roleLabel: roleOf(p) ?? '当事人', maskedName: p.kind === 'legal' ? nameOf(p) : maskName(nameOf(p)) });
  const code = verificationCode(deps.signingKey, req);
  const ctx = { verificationCode: code, verifyUrl: `${deps.publicBaseUrl}/verify/${code}`, createdAt: req.createdAt };
  const date = chinaDateOf(req.createdAt);

  let template: Template<never>;
  let bytes: Buffer;
  /** A title that depends on the view (the agreement's, by kind of mediation). */
  let title: string | undefined;
  if (req.kind === 'agreement') {
    const draft = await db('agreement_drafts').where({ case_id: req.caseId, version: req.docVersion }).first('content');
    if (!draft) throw new Error(`case ${req.caseId} has no draft version ${req.docVersion}`);
    const content = draft.content as AgreementContent;
    const mediator = await db('staff_accounts').where({ account_id: req.mediatorId }).first('display_name');
    const view = {
      caseNumber: c.case_number,
      organizationName: org?.name ?? '',
      organizationKind: org?.kind ?? null,
      courtName: COURT_CHANNELS.includes(c.channel as IntakeChannel) ? await delegatingCourt() : null,
      disputeType: (DISPUTE_TYPES as readonly string[]).includes(c.dispute_type) ? (c.dispute_type as DisputeType) : 'general_civil',
      path: req.path,
      parties: principals.map((p): AgreementParty => {
        const rep = parties.find((r) => r.represents_party_id === p.party_id);
        return {
          ...details(p, roleOf(p)),
          representative: rep ? { label: roleOf(rep), name: nameOf(rep), idNumber: open(rep.id_number_enc) } : null,
        };
      }),
      facts: content.facts,
      terms: content.terms,
      performance: content.performance,
      mediatorName: mediator?.display_name ?? '',
      notarizationPlanned: req.notarizationPlanned,
      // The debtors the draft named (drafts stored before name none: the commitment then says 债务人).
      enforcementDebtors: (content.notarization?.debtorPartyIds ?? []).map((id) => parties.find((p) => p.party_id === id)).filter((p) => p !== undefined).map(nameOf),
      judicialConfirmationPossible: req.judicialConfirmationPossible,
      date,
      draftVersion: req.docVersion,
    };
    template = agreementTemplate as Template<never>;
    title = agreementTemplate.title(view);
    bytes = await deps.render(agreementTemplate, view, ctx);
  } else if (req.kind === 'termination_notice') {
    const court = req.returnedToCourt;
    const article = req.reason && req.reason !== 'agreement_reached' ? TERMINATION_ARTICLES[req.reason][court ? 'court' : 'peoples'] : court ? '人民法院在线调解规则第二十五条' : '人民调解法第二十六条';
    const who = req.partyId ? parties.find((p) => p.party_id === req.partyId) : undefined;
    const rule = req.ruleId ? DEADLINE_RULES[req.ruleId] : undefined;
    const detail = who
      ? `${named(noticeParty(who))}${req.reason === 'party_refuses_to_sign' ? '拒绝在调解协议上签名、盖章或者按指印' : ''}`
      : rule
        ? `${rule.label}为${periodText(rule, req.periodLength ?? rule.length)}${req.periodLastDay ? `，已于${chineseDate(req.periodLastDay)}届满` : '，已届满'}，依据：${rule.citation}`
        : undefined;
    const view = {
      caseNumber: c.case_number,
      organizationName: org?.name ?? '',
      parties: principals.map(noticeParty),
      reasonLabel: req.reason ? TERMINATION_REASONS[req.reason] : req.reasonLabel,
      article,
      detail,
      note: req.note,
      returnedToCourt: req.returnedToCourt,
      date,
    };
    template = terminationNoticeTemplate as Template<never>;
    bytes = await deps.render(terminationNoticeTemplate, view, ctx);
  } else if (req.kind === 'not_accepted_notice' || req.kind === 'counterparty_notice') {
    const applicants = principals.filter((p) => p.role === 'applicant');
    const common = {
      caseNumber: c.case_number,
      organizationName: org?.name ?? '',
      applicants: (applicants.length ? applicants : principals).map(noticeParty),
      others: principals.filter((p) => p.role !== 'applicant').map(noticeParty),
      disputeLabel: (CLAUSE_SETS[c.dispute_type] ?? CLAUSE_SETS.general_civil!).label,
      receivedOn: chinaDateOf(c.received_at.toISOString()),
      note: req.note,
      date,
    };
    if (req.kind === 'not_accepted_notice') {
      const basis = NOT_ACCEPTED_REASONS[req.reason];
      const view = { ...common, reasonLabel: basis.label, article: basis.article, reportToPolice: req.reason === 'possible_criminal_matter' };
      template = notAcceptedNoticeTemplate as Template<never>;
      bytes = await deps.render(notAcceptedNoticeTemplate, view, ctx);
    } else {
      // Every attempt as the chain recorded it (在线调解规则 Art 15: the mediator records why).
      const logged = await db('case_events').where({ case_id: req.caseId, type: 'CounterpartyContactLogged' }).orderBy('seq').select('payload');
      const contactLog = logged.map(({ payload }): ContactAttempt => {
        const e = payload as { at: string; channel: string; result: string; note?: string };
        return { at: e.at, channelLabel: CONTACT_CHANNEL_LABELS[e.channel] ?? e.channel, resultLabel: CONTACT_RESULT_LABELS[e.result] ?? e.result, note: e.note };
      });
      const refusedBy = req.partyId ? parties.find((p) => p.party_id === req.partyId) : undefined;
      const view = { ...common, outcome: req.reason === 'party_refuses_mediation' ? ('refused' as const) : ('unreachable' as const), refusedBy: refusedBy ? noticeParty(refusedBy) : undefined, contactLog };
      template = counterpartyNoticeTemplate as Template<never>;
      bytes = await deps.render(counterpartyNoticeTemplate, view, ctx);
    }
  } else if (req.kind === 'legal_aid_refusal') {
    const applicant = parties.find((p) => p.party_id === req.partyId);
    if (!applicant) throw new Error(`case ${req.caseId}: legal-aid applicant not found`);
    // As the chain recorded them: the n-th refusal (this document's version), who decided, the application it answered.
    const refused = await db('case_events').where({ case_id: req.caseId, type: 'LegalAidRefused' }).orderBy('seq').offset(req.docVersion - 1).first('seq', 'actor_id');
    const applied = refused ? await db('case_events').where({ case_id: req.caseId, type: 'LegalAidApplied' }).where('seq', '<', refused.seq).orderBy('seq', 'desc').first('at') : undefined;
    const officer = refused ? await db('staff_accounts').where({ account_id: refused.actor_id }).first('org_id') : undefined;
    const aidOrg = officer?.org_id ? await db('organizations').where({ org_id: officer.org_id }).first('name') : undefined;
    const basis = req.basis ? LEGAL_AID_BASES[req.basis] : undefined;
    const view = {
      caseNumber: c.case_number,
      legalAidOrganizationName: aidOrg?.name ?? '法律援助机构',
      applicant: noticeParty(applicant),
      appliedOn: applied ? chinaDateOf(new Date(applied.at).toISOString()) : date,
      basisLabel: basis?.label ?? '经济困难',
      basisSource: basis?.source ?? '法律援助法第三十一条',
      reasons: req.reason,
      n: req.docVersion,
      date,
    };
    template = legalAidRefusalTemplate as Template<never>;
    bytes = await deps.render(legalAidRefusalTemplate, view, ctx);
  } else if (req.kind === 'failure_report') {
    const mediator = req.mediatorId ? await db('staff_accounts').where({ account_id: req.mediatorId }).first('display_name') : undefined;
    const courtInfo = (c.court ?? {}) as { courtCaseNumber?: string; letterNumber?: string };
    const view = {
      caseNumber: c.case_number,
      courtName: (await delegatingCourt()) ?? '',
      courtCaseNumber: courtInfo.courtCaseNumber ?? null,
      letterNumber: courtInfo.letterNumber ?? null,
      handOff: c.channel === 'court_post_filing' ? ('委托' as const) : ('委派' as const),
      organizationName: org?.name ?? '',
      parties: principals.map((p) => details(p, roleOf(p))),
      ...req.failureReport,
      // Nothing recorded in time: the dispute as it was registered follows the statement that says so.
      basicFacts: req.failureReport.withIntakeSummary ? `${req.failureReport.basicFacts}${c.summary}` : req.failureReport.basicFacts,
      costlyConduct: req.failureReport.costlyConduct ?? null,
      mediatorName: mediator?.display_name ?? '',
      date,
    };
    template = failureReportTemplate as Template<never>;
    bytes = await deps.render(failureReportTemplate, view, ctx);
  } else if (req.kind === 'judicial_confirmation_application' || req.kind === 'notarization_request') {
    const draft = await db('agreement_drafts').where({ case_id: req.caseId, version: req.agreementVersion }).first('content');
    if (!draft) throw new Error(`case ${req.caseId} has no agreement version ${req.agreementVersion}`);
    const content = draft.content as AgreementContent;
    const common = { organizationName: org?.name ?? '', agreementCaseNumber: c.case_number, date };
    if (req.kind === 'judicial_confirmation_application') {
      const view = {
        ...common,
        courtName: req.courtName,
        // A joint application: every party appears as 申请人 (民事诉讼法 Art 205).
        applicants: principals.map((p) => details(p, '申请人')),
        agreementEffectiveDate: c.agreement_effective_at ? chinaDateOf(c.agreement_effective_at.toISOString()) : date,
        mediationKind: kind,
        // The facts as the agreement states them (what the court confirms), not the dispute as registered.
        disputeSummary: content.facts,
        mainTerms: content.terms.map((t) => t.text),
        performance: content.performance,
      };
      template = judicialConfirmationApplicationTemplate as Template<never>;
      bytes = await deps.render(judicialConfirmationApplicationTemplate, view, ctx);
    } else {
      const creditor = parties.find((p) => p.party_id === req.creditorPartyId);
      const debtor = parties.find((p) => p.party_id === req.debtorPartyId);
      if (!creditor || !debtor) throw new Error(`case ${req.caseId}: creditor or debtor not found`);
      const view = {
        ...common,
        notaryOfficeName: req.notaryName,
        creditor: details(creditor, '债权人'),
        debtor: details(debtor, '债务人'),
        obligations: content.terms.filter((t) => t.amountFen !== undefined || t.dueDate !== undefined),
        // Both parties sign this form: a legal-aid fee reduction is asked for separately, not printed here.
        feeReductionRequested: false,
      };
      template = notarizationRequestTemplate as Template<never>;
      bytes = await deps.render(notarizationRequestTemplate, view, ctx);
    }
  } else if (req.kind === 'archive_summary') {
    const mediator = req.mediatorId ? await db('staff_accounts').where({ account_id: req.mediatorId }).first('display_name') : undefined;
    const kinds = new Set((await deps.documents.list(req.caseId)).map((d) => d.kind));
    const seen = new Set((await db('case_events').where({ case_id: req.caseId }).distinct('type')).map((e) => e.type as string));
    const reps = parties.filter((p) => p.represents_party_id);
    // Files as the chain recorded them (an upload the case refused is never in it).
    const materials = new Set((await db('case_events').where({ case_id: req.caseId, type: 'MaterialReceived' }).select('payload')).map((e) => (e.payload as { kind: string }).kind));
    // The file's contents (legal memo §8.2), each marked present from what the record holds, named as the kind of mediation names them.
    const peoples = kind === 'peoples';
    const contents = [
      { item: `${peoples ? '人民调解' : '调解'}申请书或受理登记表`, present: true, required: true },
      { item: '当事人权利义务告知书', present: kinds.has('rights_notice'), required: true },
      { item: '当事人身份证明', present: principals.every((p) => p.id_number_enc || p.credit_code), required: true },
      { item: '授权委托书', present: reps.some((r) => r.role === 'agent'), required: false },
      ...(c.court_institution_id ? [{ item: '法院委派（委托）调解函及移送材料', present: materials.has('court_letter') || materials.has('complaint'), required: true }] : []),
      { item: '证据材料', present: materials.has('evidence'), required: false },
      { item: `${peoples ? '人民调解' : '调解'}记录`, present: seen.has('SessionRecorded'), required: true },
      { item: AGREEMENT_FORMS[kind].title, present: kinds.has('agreement') || seen.has('AgreementEffective'), required: true },
      { item: '履行凭证', present: seen.has('PaymentConfirmed'), required: false },
      { item: '回访记录', present: seen.has('FollowUpRecorded'), required: false },
      { item: '司法确认有关材料', present: kinds.has('judicial_confirmation_application'), required: false },
      { item: '公证有关材料', present: kinds.has('notarization_request'), required: false },
      { item: '封底', present: true, required: true },
    ];
    const view = {
      caseNumber: c.case_number,
      organizationName: org?.name ?? '',
      disputeTypeLabel: (CLAUSE_SETS[c.dispute_type] ?? CLAUSE_SETS.general_civil!).label,
      channelLabel: CHANNEL_LABELS[c.channel] ?? c.channel,
      parties: principals.map(nameOf),
      mediatorName: mediator?.display_name ?? '',
      receivedOn: chinaDateOf(c.received_at.toISOString()),
      closedOn: date,
      outcome: req.outcome,
      retention: '按本组织档案管理规定',
      compiledBy: org?.name ?? '',
      contents,
      mediationKind: kind,
    };
    template = archiveSummaryTemplate as Template<never>;
    bytes = await deps.render(archiveSummaryTemplate, view, ctx);
  } else {
    const view = { caseNumber: c.case_number, organizationName: org?.name ?? '', partyName: principals.map(nameOf).join('、'), date, mediationKind: kind };
    template = rightsNoticeTemplate as Template<never>;
    bytes = await deps.render(rightsNoticeTemplate, view, ctx);
  }
  return deps.documents.put(
    {
      caseId: req.caseId,
      kind: req.kind,
      docVersion: req.docVersion,
      templateId: template.id,
      templateVersion: template.version,
      title: title ?? template.title(undefined as never),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      verificationCode: code,
      sizeBytes: bytes.length,
      createdAt: req.createdAt,
    },
    bytes,
  );
}
