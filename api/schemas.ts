/** Request bodies, parsed with zod into local variables. Every rule names the field it is about. */
import { z } from 'zod';
import { DISPUTE_TYPES, INTAKE_CHANNELS, NOT_ACCEPTED_REASONS, type NotAcceptedReason } from '../domain/case.js';
import { disputeTypesWhere } from '../domain/dispute-types.js';
import { LEGAL_AID_BASES, PRIORITY_GROUPS, type LegalAidBasis, type PriorityGroup } from '../domain/screening.js';
import {
  NOT_ACCEPTED_GROUNDS,
  NOTARY_PAUSE_REASONS,
  NOTARY_REFUSAL_GROUNDS,
  REJECTION_GROUNDS,
  VENUE_GROUNDS,
  type NotAcceptedGround,
  type NotaryPauseReason,
  type NotaryRefusalGround,
  type RejectionGround,
  type VenueGround,
} from '../domain/securing.js';
import { ageOn, birthDateOf, idNumberProblem } from '../domain/id-number.js';
import type { MaterialKind } from '../domain/case-rules.js';

/** The types a market regulator may take as a consumer complaint (the dispute-type table's rows). */
const MARKET_REGULATOR_TYPES: readonly string[] = disputeTypesWhere((p) => p.marketRegulatorComplaint);

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

export const personFields = {
  name: text(200),
  idNumber: z
    .string()
    .trim()
    .toUpperCase()
    // Stops there: the check below would say the same again.
    .max(18, { message: 'must be 18 characters: 17 digits and a digit or X', abort: true })
    .superRefine((v, ctx) => {
      const problem = idNumberProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
    .optional(),
  address: text(500).optional(),
};

/** A guardian (法定代理人) or an agent (委托代理人) acting for a party. */
export const representativeSchema = z.strictObject({ kind: z.enum(['guardian', 'agent']), ...personFields });

export const partySchema = z
  .strictObject({
    role: z.enum(['applicant', 'respondent', 'third_party']),
    kind: z.enum(['natural', 'legal']),
    name: personFields.name,
    idNumber: personFields.idNumber,
    // 统一社会信用代码 (GB 32100): 18 characters from the code's own alphabet.
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(
        /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/,
        'must be an 18-character unified social credit code',
      )
      .optional(),
    phone: personFields.phone,
    address: personFields.address,
    /** For a child without an ID number on file; otherwise derived from the ID number. */
    minorUnder14: z.boolean().optional(),
    representatives: z.array(representativeSchema).max(3).optional(),
    /** An organization's 法定代表人 (legal person) or 主要负责人 (other organization): 民事诉讼法 Art 51 ¶2. */
    legalRepresentative: z
      .strictObject({ kind: z.enum(['legal_representative', 'principal_officer']), name: text(200), title: text(100) })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'legal' && p.idNumber) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'a legal person has a creditCode, not an idNumber' });
    }
    if (p.kind === 'natural' && p.creditCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['creditCode'],
        message: 'a natural person has an idNumber, not a creditCode',
      });
    }
    if (p.kind === 'natural' && p.legalRepresentative) {
      ctx.addIssue({
        code: 'custom',
        path: ['legalRepresentative'],
        message:
          'only an organization has a 法定代表人 or 主要负责人; a person acts through a guardian or agent (representatives)',
      });
    }
  });

// Court case numbers like (2026)粤5202民初123号; half- or full-width brackets.
const courtCaseNumber = z
  .string()
  .trim()
  .max(50, 'must be at most 50 characters')
  .regex(
    /^[(（]\d{4}[)）][\u4e00-\u9fff]\d{0,6}[\u4e00-\u9fff]{1,4}\d+号$/,
    'must be a court case number such as (2026)粤5202民初123号',
  );

export const courtSchema = z.strictObject({
  courtCode: z
    .string()
    .trim()
    .regex(/^[\u4e00-\u9fff]\d{2,6}$/, 'must be a court code such as 粤5202'),
  courtName: text(100).optional(),
  courtCaseNumber: courtCaseNumber.optional(),
  letterNumber: text(100).optional(),
  procedure: z.enum(['ordinary', 'summary']).optional(),
  deadline: isoDate.optional(),
});

/** Today's date in China Standard Time (UTC+8). */
export const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Whether a party counts as a child under 14 on the intake day. */
export function isUnder14(
  p: { kind: string; idNumber?: string | undefined; minorUnder14?: boolean | undefined },
  today: string,
): boolean {
  if (p.minorUnder14) return true;
  return p.kind === 'natural' && !!p.idNumber && ageOn(birthDateOf(p.idNumber), today) < 14;
}

/** The intake's fields, each checked on its own (`intakeSchema` checks them together). */
function intakeFields(now: () => Date) {
  return z.strictObject({
    channel: z.enum(INTAKE_CHANNELS),
    disputeType: z.enum(DISPUTE_TYPES),
    summary: text(5000),
    claimantLearnedOfHarmOn: isoDate.refine((d) => d <= chinaDate(now()), 'must not be in the future'),
    claimAmountFen: z.number().int('must be a whole number of fen').min(0).max(1e14).optional(),
    parties: z.array(partySchema).min(2, 'a dispute needs at least two parties').max(50),
    court: courtSchema.optional(),
    referral: z
      .strictObject({
        agency: z.enum(['police', 'petition_office', 'market_regulator', 'other_agency']),
        agencyName: text(100),
        reference: text(100).optional(),
      })
      .optional(),
    /** A consumer complaint a market regulator accepted and mediates under its own procedure (its 45 working days). */
    marketRegulatorComplaint: z
      .strictObject({ authorityName: text(100), complaintNumber: text(100).optional() })
      .optional(),
    priorProceedings: z
      .strictObject({
        before: z.enum(['court', 'police', 'administrative', 'arbitration']),
        reference: text(100).optional(),
      })
      .optional(),
    /** Only one side applied: the other side's willingness is sought before mediation. */
    oneSided: z.boolean().optional(),
    involves: z
      .array(z.enum(['status_relationship', 'property_title', 'ip_title']))
      .max(3)
      .optional(),
  });
}
type IntakeFields = z.output<ReturnType<typeof intakeFields>>;

export function intakeSchema(now: () => Date) {
  return intakeFields(now).superRefine((v, ctx) => {
    checkChannelFacts(v, ctx);
    checkMinors(v, chinaDate(now()), ctx);
  });
}

/** The parties' sides, and what each channel brings with it (a court's letter, a referral, a regulator's complaint). */
function checkChannelFacts(v: IntakeFields, ctx: z.RefinementCtx): void {
  if (!v.parties.some((p) => p.role === 'applicant'))
    ctx.addIssue({ code: 'custom', path: ['parties'], message: 'needs at least one applicant' });
  if (!v.parties.some((p) => p.role === 'respondent'))
    ctx.addIssue({ code: 'custom', path: ['parties'], message: 'needs at least one respondent' });
  const isCourt = v.channel === 'court_pre_filing' || v.channel === 'court_post_filing';
  if (isCourt && !v.court)
    ctx.addIssue({ code: 'custom', path: ['court'], message: `is required for channel ${v.channel}` });
  if (!isCourt && v.court) ctx.addIssue({ code: 'custom', path: ['court'], message: 'is only for court channels' });
  if (v.channel === 'court_post_filing' && v.court) {
    // 委托 mediation happens after filing: the court's case number and procedure set the period.
    if (!v.court.courtCaseNumber)
      ctx.addIssue({
        code: 'custom',
        path: ['court', 'courtCaseNumber'],
        message: 'is required after filing (委托)',
      });
    if (!v.court.procedure)
      ctx.addIssue({
        code: 'custom',
        path: ['court', 'procedure'],
        message: 'is required after filing (委托): ordinary or summary',
      });
  }
  if (v.channel === 'referral' && !v.referral)
    ctx.addIssue({ code: 'custom', path: ['referral'], message: 'is required for channel referral' });
  if (v.channel !== 'referral' && v.referral)
    ctx.addIssue({ code: 'custom', path: ['referral'], message: 'is only for channel referral' });
  // 市场监督管理投诉举报处理暂行办法 Art 2: consumer complaints only, never a court's case.
  if (v.marketRegulatorComplaint && (isCourt || !MARKET_REGULATOR_TYPES.includes(v.disputeType))) {
    ctx.addIssue({
      code: 'custom',
      path: ['marketRegulatorComplaint'],
      message: `is only for a consumer complaint (${MARKET_REGULATOR_TYPES.join(' or ')}) outside the court channels`,
    });
  }
}

/** A minor takes part through a guardian; one marked under 14 must not be older by the ID number. */
function checkMinors(v: IntakeFields, today: string, ctx: z.RefinementCtx): void {
  // A minor takes part through a guardian (民法典 Arts 19-23).
  v.parties.forEach((p, i) => {
    const age =
      p.kind === 'natural' && p.idNumber && !idNumberProblem(p.idNumber)
        ? ageOn(birthDateOf(p.idNumber), today)
        : undefined;
    if (((age !== undefined && age < 18) || p.minorUnder14) && !p.representatives?.some((r) => r.kind === 'guardian')) {
      ctx.addIssue({
        code: 'custom',
        path: ['parties', i, 'representatives'],
        message: 'a party under 18 takes part through a guardian (民法典 Arts 19-23): add one',
      });
    }
    if (age !== undefined && age >= 14 && p.minorUnder14) {
      ctx.addIssue({
        code: 'custom',
        path: ['parties', i, 'minorUnder14'],
        message: 'contradicts the birth date in the ID number',
      });
    }
  });
}
export type IntakeBody = z.output<ReturnType<typeof intakeSchema>>;

const uuid = z.uuid('must be an id (UUID)');
// Nanoseconds and an offset are 35 characters: 2026-07-01T09:30:00.123456789+08:00.
const dateTime = z.iso
  .datetime({ offset: true, message: 'must be a date and time (ISO 8601)' })
  .max(35, 'must be at most 35 characters');
const optionalNote = text(2000).optional();
export const agreementContent = z.strictObject({
  facts: text(20_000),
  terms: z
    .array(
      z.strictObject({
        text: text(5000),
        amountFen: z.number().int('must be a whole number of fen').min(0).max(1e14).optional(),
        dueDate: isoDate.optional(),
        /** How this term is performed (银行转账至…, 现金当面支付): with `dueDate`, required for an amount (人民调解法 Art 29). */
        manner: text(500).optional(),
        /** The party who receives this payment: they confirm it when it is made. */
        payeePartyId: uuid.optional(),
      }),
    )
    .min(1, 'an agreement needs at least one term')
    .max(200),
  /** The manner and time of performance for the agreement as a whole. */
  performance: text(5000).optional(),
  /**
   * The parties plan notarization with enforcement effect: the agreement prints these debtors' commitment to
   * accept enforcement (公证法 Art 37).
   */
  notarization: z.strictObject({ debtorPartyIds: z.array(uuid).min(1).max(20) }).optional(),
});

/**
 * Every action on a case: its path under /cases/:id/, the domain command it becomes, and its body.
 * A party may leave out `partyId` (or `signer`): it means themselves.
 */
export const CASE_ACTION_ROUTES = {
  accept: { type: 'accept', body: z.strictObject({ note: optionalNote }) },
  decline: {
    type: 'decline',
    body: z.strictObject({
      reason: z.enum(Object.keys(NOT_ACCEPTED_REASONS) as [NotAcceptedReason, ...NotAcceptedReason[]]),
      note: optionalNote,
    }),
  },
  contacts: {
    type: 'log_contact',
    body: z.strictObject({
      channel: z.enum(['sms', 'phone_call', 'visit', 'letter', 'online']),
      result: z.enum(['reached', 'no_answer', 'wrong_number', 'refused']),
      note: optionalNote,
    }),
  },
  'counterparty-consent': { type: 'counterparty_consents', body: z.strictObject({ partyId: uuid.optional() }) },
  'counterparty-refusal': {
    type: 'counterparty_refuses',
    body: z.strictObject({ partyId: uuid.optional(), note: optionalNote }),
  },
  'close-unreachable': { type: 'close_unreachable', body: z.strictObject({ note: optionalNote }) },
  screening: {
    type: 'record_screening',
    body: z.strictObject({
      priorityGroups: z.array(z.enum(Object.keys(PRIORITY_GROUPS) as [PriorityGroup, ...PriorityGroup[]])).max(10),
    }),
  },
  'legal-aid': {
    type: 'apply_legal_aid',
    body: z.strictObject({
      partyId: uuid.optional(),
      basis: z.enum(Object.keys(LEGAL_AID_BASES) as [LegalAidBasis, ...LegalAidBasis[]]),
      selfDeclaration: z.boolean().default(false),
      /** What shows the applicant belongs to a group whose hardship is not verified (法律援助法 Art 42): a file uploaded to the case, described. */
      proof: z.strictObject({ description: text(500), materialId: uuid.optional() }).optional(),
    }),
  },
  'legal-aid/decision': {
    type: 'decide_legal_aid',
    body: z.strictObject({ granted: z.boolean(), reason: text(2000) }),
  },
  'legal-aid/staff': {
    type: 'assign_legal_aid_staff',
    body: z.strictObject({ staffName: text(100), organization: text(200) }),
  },
  mediator: {
    type: 'assign_mediator',
    body: z
      .strictObject({ mode: z.enum(['party_choice', 'designated', 'by_rule']), mediatorId: uuid.optional() })
      .refine((b) => b.mode === 'by_rule' || b.mediatorId !== undefined, {
        path: ['mediatorId'],
        message: 'is required when the parties choose or the organization designates',
      }),
  },
  // A party's own choice from the roster (a clerk records one given at the desk, naming the party).
  'mediator/choices': { type: 'choose_mediator', body: z.strictObject({ partyId: uuid.optional(), mediatorId: uuid }) },
  'mediator/accept': {
    type: 'mediator_accepts',
    body: z.strictObject({ conflict: z.enum(['none', 'disclosed_and_parties_agree']).default('none') }),
  },
  'mediator/decline': { type: 'mediator_declines', body: z.strictObject({ reason: text(2000) }) },
  recusal: {
    type: 'request_recusal',
    body: z.strictObject({
      partyId: uuid.optional(),
      ground: z.enum(['close_relative', 'interest_in_dispute', 'other_relationship']),
      note: optionalNote,
    }),
  },
  // The organization (a clerk) or, for 特邀调解, the court decides (特邀调解规定 Art 15).
  'recusal/decision': { type: 'decide_recusal', body: z.strictObject({ granted: z.boolean(), reason: text(2000) }) },
  sessions: {
    type: 'record_session',
    body: z.strictObject({
      at: dateTime,
      place: text(500),
      mode: z.enum(['in_person', 'video', 'phone']),
      record: text(20_000),
    }),
  },
  suspension: {
    type: 'suspend',
    body: z.strictObject({ reason: z.enum(['appraisal', 'sham_check']), note: optionalNote }),
  },
  resumption: { type: 'resume', body: z.strictObject({ note: optionalNote }) },
  'extension-consents': {
    type: 'consent_to_extension',
    body: z.strictObject({ partyId: uuid.optional(), days: z.number().int().min(1).max(90) }),
  },
  termination: {
    type: 'terminate',
    body: z
      .strictObject({
        reason: z.enum([
          'settled_and_withdrew',
          'party_unreachable',
          'party_refuses_to_continue',
          'positions_too_far_apart',
          'other',
        ]),
        note: optionalNote,
        failureReport: z
          .strictObject({
            basicFacts: text(20_000),
            undisputedFacts: text(20_000),
            whyFailed: text(5000),
            costlyConduct: text(5000).optional(),
          })
          .optional(),
      })
      .refine((b) => b.reason !== 'other' || b.note !== undefined, {
        path: ['note'],
        message: 'is required when the reason is other',
      }),
  },
  // The facts a court's failure report carries (在线调解规则 Art 21), recorded during mediation or when asked.
  facts: {
    type: 'record_case_facts',
    body: z.strictObject({
      basicFacts: text(20_000),
      undisputedFacts: text(20_000),
      costlyConduct: text(5000).optional(),
    }),
  },
  'agreement/drafts': { type: 'save_draft', body: z.strictObject({ content: agreementContent }) },
  'agreement/circulation': { type: 'circulate_for_signature', body: z.strictObject({}) },
  'agreement/signatures': {
    type: 'sign',
    body: z.strictObject({
      signer: z.union([uuid, z.enum(['mediator', 'organization_seal'])]).optional(),
      method: z.enum(['handwritten', 'seal', 'fingerprint', 'electronic']),
      draftVersion: z.number().int().min(1).max(10_000),
      /** The scan of the signed page (a file uploaded to the case): required for family and inheritance agreements (电子签名法 Art 3). */
      scanMaterialId: uuid.optional(),
    }),
  },
  'agreement/refusals': {
    type: 'refuse_to_sign',
    body: z.strictObject({ partyId: uuid.optional(), note: optionalNote }),
  },
  'agreement/oral': { type: 'record_oral_agreement', body: z.strictObject({ content: agreementContent }) },
  remediation: { type: 'remediate', body: z.strictObject({ note: optionalNote }) },
  payments: {
    type: 'confirm_payment',
    body: z.strictObject({
      instalment: z.number().int().min(1).max(200),
      partyId: uuid.optional(),
      note: optionalNote,
    }),
  },
  'follow-ups': {
    type: 'record_follow_up',
    body: z.strictObject({ at: dateTime, mode: z.enum(['visit', 'phone', 'video']), note: text(5000) }),
  },
  archive: { type: 'archive', body: z.strictObject({ note: optionalNote }) },
} as const;

const signatureMethod = z.enum(['handwritten', 'seal', 'fingerprint', 'electronic']);

/** Starting judicial confirmation: the venue court by its code (the delegating court's is known). */
export const judicialConfirmationBody = z
  .strictObject({
    venueGround: z.enum(Object.keys(VENUE_GROUNDS) as [VenueGround, ...VenueGround[]]),
    courtCode: text(20).optional(),
  })
  .refine((b) => b.venueGround === 'delegating_court' || b.courtCode !== undefined, {
    path: ['courtCode'],
    message: 'is required: which basic court?',
  });

export const notarizationBody = z.strictObject({
  notaryId: text(60),
  creditorPartyId: uuid,
  debtorPartyId: uuid,
  obligation: z.enum(['money', 'goods', 'securities', 'other']),
});

/** Actions on a securing process (a child workflow), under /cases/:id/judicial-confirmation/ or /notarization/. */
export const PROCESS_ACTION_ROUTES = {
  'judicial-confirmation/signatures': {
    process: 'judicial_confirmation',
    type: 'sign_application',
    body: z.strictObject({ partyId: uuid.optional(), method: signatureMethod }),
  },
  'judicial-confirmation/acceptance': {
    process: 'judicial_confirmation',
    type: 'court_accepts',
    body: z.strictObject({ courtCaseNumber: text(100) }),
  },
  'judicial-confirmation/non-acceptance': {
    process: 'judicial_confirmation',
    type: 'court_does_not_accept',
    body: z.strictObject({
      ground: z.enum(Object.keys(NOT_ACCEPTED_GROUNDS) as [NotAcceptedGround, ...NotAcceptedGround[]]),
      note: optionalNote,
    }),
  },
  'judicial-confirmation/corrections': {
    process: 'judicial_confirmation',
    type: 'request_correction',
    body: z.strictObject({ items: z.array(text(500)).min(1).max(20), days: z.number().int().min(1).max(30) }),
  },
  'judicial-confirmation/corrections/submission': {
    process: 'judicial_confirmation',
    type: 'submit_correction',
    body: z.strictObject({ note: optionalNote }),
  },
  'judicial-confirmation/extension': {
    process: 'judicial_confirmation',
    type: 'extend_review',
    body: z.strictObject({ approvedBy: text(100) }),
  },
  'judicial-confirmation/ruling': {
    process: 'judicial_confirmation',
    type: 'court_rules',
    body: z
      .strictObject({
        outcome: z.enum(['confirmed', 'rejected']),
        ground: z.enum(Object.keys(REJECTION_GROUNDS) as [RejectionGround, ...RejectionGround[]]).optional(),
        note: optionalNote,
      })
      .refine((b) => b.outcome === 'confirmed' || b.ground !== undefined, {
        path: ['ground'],
        message: 'is required when the application is rejected',
      }),
  },
  'judicial-confirmation/dispute': {
    process: 'judicial_confirmation',
    type: 'court_finds_dispute',
    body: z.strictObject({ note: optionalNote }),
  },
  'judicial-confirmation/withdrawal': {
    process: 'judicial_confirmation',
    type: 'withdraw',
    body: z.strictObject({ partyId: uuid.optional(), note: optionalNote }),
  },
  'notarization/signatures': {
    process: 'notarization',
    type: 'sign_application',
    body: z.strictObject({ partyId: uuid.optional(), method: signatureMethod }),
  },
  'notarization/acceptance': { process: 'notarization', type: 'notary_accepts', body: z.strictObject({}) },
  'notarization/supplements': {
    process: 'notarization',
    type: 'request_supplement',
    body: z.strictObject({ items: z.array(text(500)).min(1).max(20) }),
  },
  'notarization/supplements/submission': {
    process: 'notarization',
    type: 'submit_supplement',
    body: z.strictObject({ note: optionalNote }),
  },
  // The notary verifies facts, or force majeure intervenes: the 15 working days pause (公证法 Art 30).
  'notarization/period-pause': {
    process: 'notarization',
    type: 'pause_period',
    body: z.strictObject({
      reason: z.enum(Object.keys(NOTARY_PAUSE_REASONS) as [NotaryPauseReason, ...NotaryPauseReason[]]),
      note: optionalNote,
    }),
  },
  'notarization/period-resumption': {
    process: 'notarization',
    type: 'resume_period',
    body: z.strictObject({ note: optionalNote }),
  },
  'notarization/certificate': {
    process: 'notarization',
    type: 'issue_certificate',
    body: z.strictObject({ certificateNumber: text(100) }),
  },
  'notarization/refusal': {
    process: 'notarization',
    type: 'refuse_notarization',
    body: z.strictObject({
      ground: z.enum(Object.keys(NOTARY_REFUSAL_GROUNDS) as [NotaryRefusalGround, ...NotaryRefusalGround[]]),
      note: optionalNote,
    }),
  },
  'notarization/withdrawal': {
    process: 'notarization',
    type: 'withdraw',
    body: z.strictObject({ partyId: uuid.optional(), note: optionalNote }),
  },
} as const;
export type CaseActionRoute = keyof typeof CASE_ACTION_ROUTES;

/** `GET /cases/:id?live=true` asks the running process (for at most a second) instead of the record. */
export const caseViewQuery = z.strictObject({ live: z.enum(['true', 'false']).optional() });

/**
 * `GET /cases/:id/parties/:partyId/personal-data?reason=`: why the full data is read (送达文书, 联系当事人, or
 * the reader's own words), recorded with the read: personal data is processed only for a clear purpose
 * (个人信息保护法 Art 6).
 */
export const personalDataQuery = z.strictObject({
  reason: text(200).describe(
    'why the full data is read, e.g. 送达文书, 联系当事人, 制作文书, 核实身份; recorded with the read',
  ),
});

const mobile = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number');

/** 送达地址确认, step 1: a one-time code to the new phone, proved before it replaces the phone on record. */
export const contactPhoneChallengeBody = z.strictObject({ phone: mobile });

/**
 * 送达地址确认 (人民法院在线调解规则 Art 17): where documents and notices reach the party, and the phone texts go
 * to. A new phone comes with the code sent to it (`challengeId`, `code`); the address as the party writes it;
 * neither confirms the details on record as they are.
 */
export const contactBody = z
  .strictObject({
    partyId: uuid.optional(),
    address: text(500).optional(),
    phone: mobile.optional(),
    challengeId: z.uuid().optional(),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'must be the 6-digit code from the SMS')
      .optional(),
  })
  .refine((b) => b.phone === undefined || (b.challengeId !== undefined && b.code !== undefined), {
    path: ['code'],
    message: 'is required with a new phone: the code sent to it',
  });

/** A file received for a case: its kind and title in the query, the file itself as the body. */
export const materialQuery = z.strictObject({
  kind: z.enum([
    'court_letter',
    'complaint',
    'evidence',
    'identity',
    'other',
  ] as const satisfies readonly MaterialKind[]),
  title: text(200),
});
/** What the center keeps: scans and PDFs, recognised by their first bytes and not only by the header. */
export const MATERIAL_MEDIA_TYPES: Record<string, { magic: number[]; label: string }> = {
  'application/pdf': { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], label: 'a PDF' },
  'image/jpeg': { magic: [0xff, 0xd8, 0xff], label: 'a JPEG image' },
  'image/png': { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], label: 'a PNG image' },
};
export const MATERIAL_MAX_BYTES = 20 * 1024 * 1024;
