/**
 * What each operation answers on success, as zod schemas keyed by `<method> <OpenAPI path>`: the OpenAPI
 * document derives every response body from here, so a client generated from it types every answer.
 *
 * Each schema is read off the code that builds the answer (the routes, the db builders, the workflow's
 * snapshot). Objects are plain `z.object`s: the document lists their keys, and the end-to-end suite checks
 * every real answer against them with unknown keys refused (test/support/response-check.ts), so a field the
 * server adds without declaring it here fails a test rather than going unseen.
 */
import { z } from 'zod';
import {
  CASE_STATUSES,
  DISPUTE_TYPES,
  EFFECT_RULES,
  INTAKE_CHANNELS,
  LEGAL_REPRESENTATIVE_LABELS,
  NOT_ACCEPTED_REASONS,
  PARTY_ROLE_LABELS,
  ROLES,
  TERMINATION_REASONS,
  type PartyKind,
} from '../domain/case.js';
import type { CaseState, DeadlineState, Instalment, MediatorProposal, RecusalGround } from '../domain/case-rules.js';
import { DEADLINE_RULES } from '../domain/deadlines.js';
import { LEGAL_AID_BASES, PRIORITY_GROUPS } from '../domain/screening.js';
import { CONFIRMATION_STATUS_LABELS, NOTARIZATION_STATUS_LABELS, type SecuringKind } from '../domain/securing.js';
import type { Principal, StaffRole } from '../domain/access-policy.js';
import { CASE_ACTION_PATHS, OWN_ROUTE_ACTION_PATHS, PROCESS_ACTION_PATHS } from '../domain/action-paths.js';
import type { ActionRefusal } from '../domain/possible-actions.js';
import type { CaseDelivery, DeliveryStatus, FailedDelivery } from '../db/deliveries.js';
import {
  CASE_ACTION_ROUTES,
  PROCESS_ACTION_ROUTES,
  agreementContent,
  courtSchema,
  intakeSchema,
  materialQuery,
} from './schemas.js';
import { ROSTER_RESPONSES } from './routes/roster.js';
import { COMPLAINT_RESPONSES } from './routes/complaint-view.js';
import { RATING_RESPONSES } from './routes/rating-view.js';
import { STATISTICS_RESPONSES } from './routes/statistics.js';
import { CREDIT_RESPONSES } from './routes/credit.js';
import { DIRECTORY_RESPONSES } from './routes/directory.js';

// Building blocks -----------------------------------------------------------------------------------------

/** An enum over the keys of one of the domain's constant tables (labels, articles). */
const keysOf = <K extends string>(table: Record<K, unknown>) => z.enum(Object.keys(table) as [K, ...K[]]);
/**
 * An enum over a union the domain declares only as a type: the record must name every member and nothing
 * else, so the enum cannot drift from the type without failing the typecheck.
 */
const every = <T extends string>(members: Record<T, true>) => z.enum(Object.keys(members) as [T, ...T[]]);

/**
 * A string of a well-known format, checked like zod's own but documented by its `format` alone: zod would print
 * a pattern of up to 450 characters for each, and the case view alone has dozens in every operation.
 */
const formatted = (check: z.ZodType<string>, format: string) =>
  z
    .string()
    .refine((s) => check.safeParse(s).success, `must be a ${format} string`)
    .meta({ format });
/**
 * An instant (RFC 3339). Mostly UTC as `toISOString` writes it; a clock that starts at midnight China time
 * (the time to apply for enforcement) keeps its +08:00 offset.
 */
const instant = formatted(z.iso.datetime({ offset: true }), 'date-time');
/** A calendar day in China Standard Time, YYYY-MM-DD. */
const day = formatted(z.iso.date(), 'date');
const uuid = formatted(z.uuid(), 'uuid');
const int = z.number().int();
const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('SHA-256, lowercase hex');

const caseStatus = keysOf(CASE_STATUSES).describe('the case status (statusLabel: its Chinese name)');
const disputeType = z.enum(DISPUTE_TYPES);
const channel = z.enum(INTAKE_CHANNELS);
const role = z.enum(ROLES);
const deadlineRuleId = keysOf(DEADLINE_RULES);
const securingKind = every<SecuringKind>({ judicial_confirmation: true, notarization: true });
const deadlineStatus = every<DeadlineState['status']>({
  open: true,
  met: true,
  expired: true,
  cancelled: true,
  paused: true,
  uncomputable: true,
});
const processStatus = z
  .enum([...new Set([...Object.keys(CONFIRMATION_STATUS_LABELS), ...Object.keys(NOTARIZATION_STATUS_LABELS)])] as [
    string,
    ...string[],
  ])
  .describe("a judicial confirmation's or a notarization's status, by its kind");

// The case view --------------------------------------------------------------------------------------------

const intakeShape = intakeSchema(() => new Date()).shape;

const PartyView = z.object({
  partyId: uuid,
  role: keysOf(PARTY_ROLE_LABELS).describe(
    'applicant 申请人, respondent 被申请人, third_party 第三人, guardian 法定代理人, agent 委托代理人',
  ),
  representsPartyId: uuid.nullable().describe('a guardian or agent: the party they act for'),
  minorUnder14: z.boolean().describe('a child under 14: the name is masked too (个人信息保护法 Art 28)'),
  kind: every<PartyKind>({ natural: true, legal: true }),
  name: z.string(),
  idNumber: z
    .string()
    .nullable()
    .describe('masked; the full value from /personal-data, for the roles that may read it'),
  phone: z.string().nullable().describe('masked'),
  address: z.string().nullable().describe('masked'),
  creditCode: z.string().nullable().describe('统一社会信用代码 of an organization'),
  legalRepresentative: z
    .object({ kind: keysOf(LEGAL_REPRESENTATIVE_LABELS), name: z.string(), title: z.string() })
    .nullable()
    .describe("an organization's 法定代表人 or 主要负责人 (民事诉讼法 Art 51 ¶2)"),
  mayRevealPersonalData: z
    .boolean()
    .describe(
      'whether this principal may read this party in full (GET …/personal-data), by the policy that route applies',
    ),
  mayIssueAccessCode: z
    .boolean()
    .describe(
      'whether this principal may issue this party a new access code (POST …/access-code), by the policy that route applies',
    ),
  accessCodeIssuedAt: instant
    .nullable()
    .optional()
    .describe(
      'only where mayIssueAccessCode: when the code that works now was issued (a new one replaces it); null when none was issued',
    ),
});

const CaseEventView = z.object({
  seq: int.describe("the event's place in the case's hash chain"),
  type: z.string().describe('e.g. CaseRegistered, CaseAccepted, DeadlineStarted'),
  at: instant,
  actorId: z.string(),
  actorRole: role,
  payload: z.record(z.string(), z.unknown()).describe('never personal data: parties appear by partyId'),
});

const DeadlineView = z.object({
  ruleId: deadlineRuleId,
  label: z.string().describe('the period in Chinese'),
  citation: z.string().describe('the article the period rests on'),
  provisional: z.boolean().describe("counted without that year's holiday notice: recounted when it is loaded"),
  status: deadlineStatus,
  startedAt: instant,
  dueAt: z
    .union([instant, z.literal('')])
    .describe('the end of the period; empty when it is uncomputable (its year is not published)'),
  lastDay: z.union([day, z.literal('')]).describe('the last day (China time); empty when uncomputable'),
  calendarVersion: z
    .string()
    .describe('the holiday calendar it was counted on (`+provisional-YYYY` when provisional); empty when uncomputable'),
  provisionalYears: z.array(int).optional(),
  length: int.optional().describe("the length counted (the rule's, or the one the court or organization set)"),
  extensionDays: int,
  pausedDays: int,
  explanation: z.array(z.string()).describe('how the due time was reached, step by step (Chinese)'),
  reminderAt: instant.nullable(),
  reminded: z.boolean(),
  problem: z.string().optional().describe('why it could not be counted'),
  owner: securingKind.optional().describe("kept by a securing process's own workflow"),
});

const LegalAidView = z
  .object({
    status: every<CaseState['screening']['legalAid']['status']>({
      none: true,
      applied: true,
      granted: true,
      refused: true,
    }),
    staffAssigned: z.boolean().optional(),
    partyId: uuid.optional(),
    basis: keysOf(LEGAL_AID_BASES).optional(),
    proof: z.object({ description: z.string(), materialId: uuid.optional() }).optional(),
    reason: z.string().optional(),
    refusals: int.optional(),
  })
  .describe(
    'in full for the clerk, the legal-aid officer and the applicant; only status and staffAssigned for the mediator and the supervisor',
  );

const ScreeningView = z.object({
  judicialConfirmation: z.object({ possible: z.boolean(), reason: z.string().describe('why, with the article') }),
  limitation: z.object({
    level: every<CaseState['screening']['limitation']['level']>({ none: true, near: true, expired: true }),
    endsOn: day,
    basis: z.string().describe('the article and how the last day was counted'),
  }),
  priorityGroups: z
    .array(keysOf(PRIORITY_GROUPS))
    .optional()
    .describe('staff who serve the parties and the supervisor only'),
  legalAid: LegalAidView.optional().describe('absent for the other party, a court or a notary'),
});

const ProcessSummaryView = z.object({
  kind: securingKind,
  n: int.describe('the n-th process of this kind on the case'),
  workflowId: z.string(),
  institutionId: z.string().describe('the court or notary office'),
  agreementVersion: int,
  status: processStatus,
  final: z.boolean(),
  reportSeq: int,
  outcome: z
    .object({ status: processStatus, ground: z.string().optional(), note: z.string().optional(), at: instant })
    .optional(),
  courtCaseNumber: z.string().optional(),
  certificateNumber: z.string().optional(),
  feeReduction: z
    .boolean()
    .optional()
    .describe('for those who see legal aid in full, and the notary that charges the fee'),
});

const InstalmentView = z.object({
  n: int,
  amountFen: int.nullable(),
  dueDate: day,
  lastDay: day,
  dueAt: instant,
  reminderAt: instant.nullable(),
  reminded: z.boolean(),
  status: every<Instalment['status']>({ pending: true, paid: true, overdue: true }),
  paidAt: instant.optional(),
  payeePartyId: uuid.optional(),
  calendarVersion: z.string().optional(),
});

/** Paths and commands of the case's actions, as domain/action-paths.ts names them for both the routes and the offers. */
const actionPath = z.enum([
  ...Object.keys(CASE_ACTION_PATHS),
  ...Object.keys(OWN_ROUTE_ACTION_PATHS),
  ...Object.keys(PROCESS_ACTION_PATHS),
] as [string, ...string[]]);
const actionCommand = z.enum([
  ...new Set([
    ...Object.values(CASE_ACTION_PATHS),
    ...Object.values(OWN_ROUTE_ACTION_PATHS),
    ...Object.values(PROCESS_ACTION_PATHS).map((p) => p.type),
  ]),
] as [string, ...string[]]);

/** An action the case offers this principal now, or why not (the console shows or greys out its buttons). */
const CaseActionOffer = z.object({
  action: actionCommand.describe('the command it becomes'),
  path: actionPath.describe('where to send it, under /cases/{caseId}/'),
  method: z.literal('POST'),
  allowed: z.boolean(),
  process: z
    .object({ kind: securingKind, n: int })
    .optional()
    .describe('an action on a securing process: the one it acts on (the latest of its kind)'),
  forParty: z
    .object({
      field: z.enum(['partyId', 'signer']),
      possibleFor: z.array(z.string()).describe('partyIds; for signer also mediator, organization_seal'),
    })
    .optional()
    .describe('staff acting for a party: the body field that names them, and whom the action is possible for now'),
  needsInput: z
    .array(z.string())
    .optional()
    .describe('fields optional in the request that this action needs on this case'),
  refusal: z
    .object({
      kind: every<ActionRefusal['kind']>({ policy: true, wrong_state: true, forbidden: true, rule: true }).describe(
        'policy or forbidden: 403 when sent; wrong_state: 409; rule: 422',
      ),
      code: z.string(),
      message: z.string(),
      article: z.string().optional().describe('for a rule of law: the article it rests on'),
    })
    .optional(),
});

export const CaseView = z
  .object({
    caseId: uuid,
    caseNumber: z.string().describe("the organization's case number, e.g. 揭非诉〔2026〕12号"),
    status: caseStatus,
    statusLabel: z.string().describe('the status in Chinese, e.g. 调解中'),
    channel,
    disputeType,
    summary: z.string(),
    claimantLearnedOfHarmOn: day,
    claimAmountFen: int.nullable().describe('in fen (分)'),
    court: courtSchema.nullable().describe('the delegating court, as its letter gives it'),
    referral: intakeShape.referral.unwrap().nullable(),
    priorProceedings: intakeShape.priorProceedings.unwrap().nullable(),
    receivedAt: instant.describe('received: interrupts the limitation period'),
    lastSeq: int.describe('the last event recorded'),
    statusChangedAt: instant,
    parties: z.array(PartyView),
    workflow: z.object({
      workflowId: z.string(),
      status: z.enum(['RUNNING', 'COMPLETED']).nullable().describe('null when the view comes from the events alone'),
    }),
    view: z
      .object({
        source: z
          .enum(['workflow', 'record', 'events'])
          .describe('the running process, the state recorded with the last event, or the events alone'),
        lastSeq: int.describe('the state shown is as of this event'),
        asOf: instant.nullable(),
        liveUnavailable: z.string().optional().describe('why the running process was not asked or did not answer'),
      })
      .describe('which state this is and how fresh'),
    // The rest comes from the case's state: absent only when neither the process nor the record could give one (source: events).
    assignment: z
      .object({
        mediatorId: uuid.nullable(),
        orgId: z.string().nullable(),
        mode: every<MediatorProposal['mode']>({ party_choice: true, designated: true, by_rule: true }).nullable(),
        recusal: z
          .object({
            partyId: uuid,
            ground: every<RecusalGround>({ close_relative: true, interest_in_dispute: true, other_relationship: true }),
            requestedAt: instant,
          })
          .nullable()
          .describe('a request for recusal awaiting the decision'),
        choices: z
          .record(z.string(), uuid)
          .describe(
            "while the parties choose (在线调解规则 Art 10): each party's chosen mediator, by party id; empty once one is assigned",
          ),
      })
      .optional(),
    screening: ScreeningView.optional(),
    agreement: z
      .object({
        form: z.enum(['written', 'oral']),
        version: int,
        hash: sha256,
        path: keysOf(EFFECT_RULES).describe('which law it takes effect under, and whose signatures it needs'),
        signatures: z.array(z.string()).describe('partyIds, mediator, organization_seal'),
        effectiveAt: instant.optional(),
        schedule: z
          .array(z.object({ amountFen: int.optional(), dueDate: day.optional(), payeePartyId: uuid.optional() }))
          .optional(),
        enforcementCommitment: z
          .object({ debtorPartyIds: z.array(uuid) })
          .optional()
          .describe('公证法 Art 37'),
      })
      .nullable()
      .optional(),
    termination: z
      .object({
        reason: keysOf(TERMINATION_REASONS),
        note: z.string().optional(),
        returnedToCourt: z.boolean(),
        partyId: uuid.optional(),
        ruleId: deadlineRuleId.optional(),
      })
      .nullable()
      .optional(),
    caseFacts: z
      .object({
        basicFacts: z.string(),
        undisputedFacts: z.string(),
        costlyConduct: z.string().optional(),
        recordedAt: instant,
      })
      .nullable()
      .optional()
      .describe("for a court's failure report (在线调解规则 Art 21)"),
    failureReportPending: z
      .object({ whyFailed: z.string(), askedAt: instant, askedOf: z.string().optional(), dueAt: instant.optional() })
      .nullable()
      .optional()
      .describe("a court's failure report waiting for the mediator's facts"),
    securing: z
      .object({ processes: z.array(ProcessSummaryView), enforceableBy: securingKind.optional() })
      .nullable()
      .optional()
      .describe('judicial confirmation and notarization, every application in order'),
    performance: z
      .object({
        instalments: z.array(InstalmentView),
        followUps: int,
        defaulted: z.boolean(),
        completedAt: instant.optional(),
      })
      .nullable()
      .optional(),
    notAccepted: z
      .object({ reason: keysOf(NOT_ACCEPTED_REASONS), note: z.string().optional(), partyId: uuid.optional() })
      .nullable()
      .optional(),
    deadlines: z.array(DeadlineView).optional(),
    events: z.array(CaseEventView).describe("the case's chain, as far as this principal may see it"),
    actions: z
      .array(CaseActionOffer)
      .optional()
      .describe(
        'what this principal can do now, and why not; only when the record is current (by the same policy and rules the actions meet)',
      ),
  })
  .describe('the case as this principal may see it');

/** POST /cases when the record is slow to be written: the case is safe in Temporal (202). */
const CaseRegistering = z
  .object({ caseId: uuid, status: z.literal('REGISTERED'), recorded: z.literal(false), detail: z.string() })
  .describe('202: registered, its record still being written; GET the case (Location) shortly');

/** A process action whose report the case has not recorded yet (202). */
const ProcessActionPending = z
  .object({
    caseId: uuid,
    process: z.object({ kind: securingKind, n: int, status: processStatus }),
    recorded: z.literal(false),
    detail: z.string(),
  })
  .describe('202: the action was taken; the case record is being updated');

// Identity ---------------------------------------------------------------------------------------------------

type InstitutionPrincipal = Extract<Principal, { kind: 'institution' }>;
const PrincipalView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('staff'),
    id: uuid,
    role: every<StaffRole>({ clerk: true, mediator: true, supervisor: true, legal_aid_officer: true }),
    orgId: z.string().nullable(),
    name: z.string(),
  }),
  z.object({
    kind: z.literal('institution'),
    id: z.string().describe('the account id, or `<institutionId>/key:<prefix>` for an API key'),
    role: every<InstitutionPrincipal['role']>({ court: true, notary: true }),
    institutionId: z.string(),
    name: z.string(),
    via: every<InstitutionPrincipal['via']>({ api_key: true, login: true }),
  }),
  z.object({ kind: z.literal('party'), id: uuid, role: z.literal('party'), caseId: uuid, name: z.string() }),
]);

const replayNote = 'null in a replay of the same Idempotency-Key: shown once';
const Session = z.object({
  token: z.string().nullable().describe(`the bearer token; ${replayNote}`),
  expiresAt: instant,
  detail: z.string().optional().describe('in a replay: why the token is absent'),
});
const Challenge = z.object({ challengeId: uuid, sentTo: z.string().describe('the phone, masked'), expiresAt: instant });

// Lists and settings ----------------------------------------------------------------------------------------

const DocumentView = z.object({
  documentId: uuid,
  caseId: uuid,
  kind: z.string().describe('e.g. agreement, termination_notice, failure_report, rights_notice'),
  docVersion: int,
  templateId: z.string(),
  templateVersion: z.string(),
  title: z.string().describe('the document title in Chinese'),
  sha256,
  verificationCode: z.string().describe('printed on the document: GET /verify/{code}'),
  sizeBytes: int,
  createdAt: instant,
  download: z.string().describe('GET it for the PDF'),
});

const DocumentVerification = z.object({
  genuine: z.literal(true),
  caseNumber: z.string().nullable(),
  title: z.string(),
  kind: z.string(),
  version: int,
  template: z.string().describe('<templateId>@<templateVersion>'),
  sha256,
  verificationCode: z.string(),
  issuedAt: instant,
});

const MaterialView = z.object({
  materialId: uuid,
  kind: materialQuery.shape.kind,
  title: z.string(),
  mediaType: z.string(),
  sha256,
  sizeBytes: int,
  uploadedBy: role.describe('the role of who handed it in'),
  uploadedAt: instant,
  download: z.string(),
});

/** A text or a court or notary notification of the case, with its attempts (db/deliveries.ts). */
const DeliveryView = z.object({
  deliveryId: uuid.describe("the text's message id, or the notification's deliveryId"),
  channel: every<CaseDelivery['channel']>({ sms: true, institution: true }),
  subject: z
    .string()
    .describe(
      "a text's purpose (notice, access_code, one_time_code), or the notification's message (case_accepted, failure_report…)",
    ),
  partyId: uuid.nullable().describe("a text's party"),
  phone: z.string().nullable().describe("a text's phone, masked"),
  institutionId: z.string().nullable().describe("a notification's court or notary office"),
  institutionName: z.string().nullable(),
  createdAt: instant,
  deliveredAt: instant.nullable().describe('when the gateway or the webhook took it'),
  status: every<DeliveryStatus>({
    delivered: true,
    awaiting_poll: true,
    failing: true,
    rejected: true,
    expired: true,
    pending: true,
  }).describe(
    'delivered; awaiting_poll: the institution has no webhook and fetches its messages; failing: attempts failed, none succeeded (retried with backoff until the delivery gives up); rejected: the SMS gateway refused it; expired: a one-time code no longer of use; pending: no attempt yet',
  ),
  attempts: z.array(
    z.object({
      attempt: int,
      at: instant,
      outcome: z.string().describe('delivered, failed, no_webhook, rejected or expired'),
      httpStatus: int.nullable(),
      error: z.string().nullable().describe("a category or the gateway's answer, never the number or the text"),
    }),
  ),
});

const FailedDeliveryView = z.object({
  deliveryId: uuid.describe("the text's message id, or the notification's deliveryId"),
  channel: every<FailedDelivery['channel']>({ sms: true, institution: true }),
  subject: z
    .string()
    .describe(
      "a text's purpose (notice, access_code, one_time_code), or the notification's message (case_accepted, failure_report…)",
    ),
  caseId: uuid,
  caseNumber: z.string(),
  partyId: uuid.nullable().describe("a text's party"),
  partyRole: keysOf(PARTY_ROLE_LABELS).nullable().describe("a text's party's role"),
  partyName: z.string().nullable().describe("a text's party, masked (张**) as in the work queues"),
  phone: z.string().nullable().describe("a text's phone, masked"),
  institutionId: z.string().nullable().describe("a notification's court or notary office"),
  institutionName: z.string().nullable(),
  createdAt: instant.describe('when it was sent: the list is ordered by this, oldest first'),
  status: every<FailedDelivery['status']>({ failing: true, rejected: true }).describe(
    'rejected: the SMS gateway refused it (not retried); failing: every attempt so far failed (retried with backoff until the delivery gives up)',
  ),
  attemptCount: int.describe('attempts so far'),
  lastAttempt: z.object({
    attempt: int,
    at: instant,
    outcome: z.string().describe('failed or rejected'),
    httpStatus: int.nullable(),
    error: z.string().nullable().describe("a category or the gateway's answer, never the number or the text"),
  }),
});

const QueueRowView = z.object({
  caseId: uuid,
  caseNumber: z.string(),
  status: caseStatus,
  disputeType,
  channel,
  receivedAt: instant,
  nextDue: z
    .object({
      ruleId: deadlineRuleId,
      dueAt: instant,
      provisional: z.boolean(),
      near: z.boolean().describe('临期: ends within 3 working days and has not passed'),
    })
    .nullable(),
  reminders: z
    .array(z.object({ ruleId: deadlineRuleId, dueAt: instant }))
    .describe('running clocks whose reminder has fired'),
  parties: z.array(z.string()).describe('the parties, names masked (张*)'),
  mediatorAccountId: uuid.nullable(),
  handlingOrgId: z.string().nullable(),
  court: courtSchema
    .nullable()
    .describe("the delegating court's letter (委派/委托): its case number, letter number and its own date"),
  clocks: z
    .array(
      z.object({
        ruleId: deadlineRuleId,
        status: z.enum(['open', 'paused']),
        dueAt: instant.nullable(),
        lastDay: day.nullable(),
        provisional: z.boolean(),
        near: z.boolean().describe('临期: a running clock that ends within 3 working days and has not passed'),
        daysLeft: z
          .object({ n: int, unit: z.enum(['working_days', 'calendar_days']) })
          .nullable()
          .describe(
            "whole days after today until the last day, in the period's own unit; 0 on the last day and after it",
          ),
      }),
    )
    .describe(
      "every clock running or paused that this principal may see, earliest first (the mediator's 3 working days to accept, legal aid's 7 and 3 days, a court's or notary's own)",
    ),
  processes: z
    .array(
      z.object({
        kind: securingKind,
        n: int,
        institutionId: z.string().describe('the court or notary office it was sent to'),
        status: processStatus,
        final: z.boolean(),
        courtCaseNumber: z.string().optional(),
        certificateNumber: z.string().optional(),
      }),
    )
    .describe('judicial confirmations and notarizations, in the order they were started'),
  priorityGroups: z.array(keysOf(PRIORITY_GROUPS)).optional().describe('for staff who see screening only'),
  legalAidRequested: z.boolean().optional().describe('for staff who see screening only'),
  legalAid: z
    .object({ status: z.enum(['applied', 'granted', 'refused']), staffAssigned: z.boolean() })
    .nullable()
    .optional()
    .describe('for staff who see screening only: where the legal-aid application stands (法律援助法 Art 43)'),
});

const clockSettings = {
  orgId: z.string(),
  generalMediationDays: int.nullable().describe("people's mediation length in days; null: the default"),
  reminderWorkingDays: int
    .nullable()
    .describe('working days before a due time that reminders go out; null: the default'),
};

// The catalogue ---------------------------------------------------------------------------------------------

const caseActionKeys = [
  ...Object.keys(CASE_ACTION_ROUTES).map((path) => `post /cases/{caseId}/${path}`),
  'post /cases/{caseId}/judicial-confirmation',
  'post /cases/{caseId}/notarization',
];
const processActionKeys = Object.keys(PROCESS_ACTION_ROUTES).map((path) => `post /cases/{caseId}/${path}`);
const ProcessActionAnswer = z
  .union([CaseView, ProcessActionPending])
  .describe('the case view; or, with 202, the process step taken while the case record catches up');

/** Answers shared by many operations: named once in the document's components and referred to by `$ref`. */
export const RESPONSE_COMPONENTS = z.registry<{ id: string }>();
RESPONSE_COMPONENTS.add(CaseView, { id: 'CaseView' });

export const RESPONSES: Partial<Record<string, z.ZodType>> = {
  'get /': z.object({
    name: z.literal('odr-case-center'),
    links: z.object({
      login: z.string(),
      partyLogin: z.string(),
      cases: z.string(),
      openapi: z.string(),
      docs: z.string(),
    }),
  }),
  'get /healthz': z.object({ status: z.literal('ok') }),
  'get /readyz': z
    .object({
      status: z.enum(['ready', 'not ready', 'draining']),
      checks: z.object({
        postgres: z.enum(['ok', 'unavailable']).optional(),
        temporal: z.enum(['ok', 'unavailable']).optional(),
      }),
    })
    .describe('the same shape answers 503 when not ready (checks empty while draining)'),
  'get /openapi.json': z
    .looseObject({
      openapi: z.literal('3.1.0'),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    })
    .describe('this OpenAPI 3.1 document'),

  'post /auth/login': Session.extend({ principal: PrincipalView }),
  'get /auth/me': z.object({ principal: PrincipalView }),
  'put /auth/me/reminder-phone': z.object({ phone: z.string().nullable().describe('masked; null: no reminder texts') }),
  'post /auth/party/challenge': Challenge,
  'post /auth/party/verify': Session.extend({ caseId: uuid.describe("the party's case") }),
  'post /auth/party/recovery': z
    .object({ detail: z.string().describe('the same whether or not the details matched') })
    .describe('the new access code, when the details matched, goes only by SMS to the phone on record'),
  'post /auth/api-keys/rotate': z.object({
    apiKey: z.string().nullable().describe(`the new key; ${replayNote}`),
    prefix: z.string(),
    revokedPrefix: z.string(),
    detail: z.string(),
  }),

  'post /applications/phone-challenge': Challenge,
  'post /applications': z
    .object({
      caseId: uuid,
      caseNumber: z.string().nullable().describe('null (with 202) while the record is being written'),
      status: z.literal('REGISTERED'),
      partyId: uuid.describe('the applicant'),
      accessCode: z
        .string()
        .nullable()
        .describe(`with the phone, opens the case; null while the record is being written, or ${replayNote}`),
      session: Session.nullable().describe(
        'the applicant signed in (the phone was just proven), as POST /auth/party/verify answers; null while the record is being written',
      ),
      detail: z.string(),
    })
    .describe('201; 202 when the record is still being written (caseNumber and accessCode null)'),

  'post /cases': z
    .union([CaseView, CaseRegistering])
    .describe('201: the case view; 202: registered, the record still being written'),
  'get /cases/{caseId}': CaseView,
  'get /cases/{caseId}/deadlines': z.object({
    deadlines: z.array(
      z.object({
        ruleId: deadlineRuleId,
        label: z.string().describe('the period in Chinese'),
        status: deadlineStatus,
        startedAt: instant,
        dueAt: instant.nullable(),
        lastDay: day.nullable(),
        reminderAt: instant.nullable(),
        rule: z.object({
          length: int,
          unit: z.enum([...new Set(Object.values(DEADLINE_RULES).map((r) => r.unit))] as [string, ...string[]]),
          startsAt: z
            .enum([...new Set(Object.values(DEADLINE_RULES).map((r) => r.startsAt))] as [string, ...string[]])
            .describe('the event that starts the period'),
          pauses: z.string().nullable().describe('what does not count'),
          extension: z.object({ days: z.union([int, z.literal('by_agreement')]), requires: z.string() }).nullable(),
          onExpiry: z.string(),
          citation: z.string().describe('the article'),
        }),
        calendarVersion: z.string().nullable(),
        provisional: z.boolean().describe("counted without that year's holiday notice"),
        explanation: z.array(z.string()).describe('how the due time was reached (Chinese)'),
        comparedWithStatutory: z
          .object({
            courtLastDay: day,
            statutoryRuleId: deadlineRuleId,
            statutoryLastDay: day,
            courtDateEarlier: z.boolean(),
          })
          .optional()
          .describe("the court letter's own date against the statutory period (特邀调解规定 Art 27)"),
      }),
    ),
  }),
  'get /cases/{caseId}/documents': z.object({ documents: z.array(DocumentView) }),
  'get /cases/{caseId}/agreement/drafts': z.object({
    drafts: z.array(
      z.object({
        version: int,
        form: z.enum(['written', 'oral']),
        content: agreementContent.describe('as the mediator drafted it; the PDF of this version is rendered from it'),
        sha256: sha256.describe('of the canonical JSON of the content, as the case chain records it'),
        createdAt: instant,
      }),
    ),
  }),
  'post /cases/{caseId}/materials': z.object({
    material: MaterialView.omit({ title: true, uploadedBy: true, uploadedAt: true }).extend({
      title: z.string().optional().describe('left out of a replay of the same Idempotency-Key (it may name a person)'),
    }),
    status: caseStatus,
  }),
  'get /cases/{caseId}/materials': z.object({ materials: z.array(MaterialView) }),
  'post /cases/{caseId}/parties/contact/phone-challenge': Challenge,
  'post /cases/{caseId}/parties/contact': z.object({
    partyId: uuid,
    phone: z.string().nullable().describe('as now on record, masked'),
    address: z.string().nullable().describe('as now on record, masked'),
    changed: z.array(z.enum(['address', 'phone'])),
    status: caseStatus,
  }),
  'get /cases/{caseId}/parties/{partyId}/personal-data': z
    .object({
      partyId: uuid,
      name: z.string(),
      idNumber: z.string().optional(),
      phone: z.string().optional(),
      address: z.string().optional(),
    })
    .describe('in full, each field present when on record; every read is recorded with its reason'),
  'get /cases/{caseId}/deliveries': z.object({ deliveries: z.array(DeliveryView) }),
  'post /cases/{caseId}/parties/{partyId}/access-code': z.object({
    partyId: uuid,
    accessCode: z.string().nullable().describe(replayNote),
    sentTo: z.string().nullable().describe('the phone it was texted to, masked; null when none is on record'),
    detail: z.string().optional().describe('in a replay: why the code is absent'),
  }),
  ...Object.fromEntries(caseActionKeys.map((k) => [k, CaseView])),
  ...Object.fromEntries(processActionKeys.map((k) => [k, ProcessActionAnswer])),

  'put /integration/webhook': z.object({
    redelivering: int.describe('messages waiting that go out now'),
    url: z.string(),
    secret: z.string().describe('the signing secret, shown once'),
    signing: z.string().describe('how each delivery is signed'),
  }),
  'get /integration/webhook': z.object({ url: z.string(), updatedAt: instant }),
  'get /integration/messages': z.object({
    messages: z.array(
      z.object({
        id: int,
        deliveryId: uuid.describe('deduplicate by this'),
        message: z.string().describe('e.g. case_accepted, agreement_filed, failure_report, agreement_confirmed'),
        caseId: uuid,
        payload: z.record(z.string(), z.unknown()),
        createdAt: instant,
        deliveredAt: instant.nullable(),
      }),
    ),
    next: int.describe('pass as `after` for the next page'),
  }),
  'get /integration/deliveries/{deliveryId}/attempts': z.object({
    attempts: z.array(
      z.object({
        attempt: int,
        at: instant,
        outcome: z.string().describe('delivered, failed or no_webhook'),
        httpStatus: int.nullable(),
        error: z.string().nullable().describe('a category only (timeout, connection failed, refused target)'),
      }),
    ),
  }),

  'get /queues/cases': z.object({
    cases: z.array(QueueRowView),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null at the end'),
  }),
  'get /queues/cases/counts': z.object({
    asOf: instant,
    nearDueBy: instant.describe('临期 ends here: 24:00 China time of the 3rd working day after today'),
    nearDueWorkingDays: int,
    counts: z.object({
      pendingAcceptance: int.describe('待受理: status REGISTERED'),
      pendingAssignment: int.describe('待分派: status PENDING_ASSIGNMENT'),
      pendingMediatorAcceptance: int.describe('待调解员确认: status PENDING_MEDIATOR_ACCEPT'),
      nearDue: int.describe(
        '临期: the next deadline ends by nearDueBy and has not passed (the queue with dueWithinWorkingDays=3&overdue=false)',
      ),
      overdue: int.describe('超期: the next deadline has passed (the queue with overdue=true)'),
    }),
  }),

  'get /queues/failed-deliveries': z.object({
    asOf: instant,
    limit: int.describe('at most this many, the oldest first'),
    more: z
      .boolean()
      .describe('true when more failed deliveries exist than the list holds: follow up the oldest first'),
    deliveries: z.array(FailedDeliveryView),
  }),

  'get /supervision/calendar': z.object({
    version: z.string(),
    source: z.string().nullable(),
    publishedYears: z.array(int),
    provisional: z
      .array(
        z.object({
          year: int,
          off: z.array(day).describe('rest days besides weekends, from the law alone'),
          note: z.string(),
        }),
      )
      .describe('this year and the next two, where no notice is loaded'),
  }),
  'post /supervision/calendar': z
    .object({
      version: z.string(),
      changed: z.boolean(),
      recount: z.object({ told: int, closed: int }).describe('cases told to recount, and those already closed'),
    })
    .describe('201 when a new version was stored; 200 when nothing changed'),
  'get /supervision/organizations/{orgId}/clock-settings': z.object({
    ...clockSettings,
    defaults: z.object({ generalMediationDays: int, reminderWorkingDays: int }),
  }),
  'put /supervision/organizations/{orgId}/clock-settings': z.object(clockSettings),
  'get /supervision/sla-breaches': z.object({
    breaches: z.array(
      z.object({
        caseId: uuid,
        caseNumber: z.string(),
        caseStatus,
        ruleId: deadlineRuleId,
        label: z.string(),
        citation: z.string().nullable(),
        deadlineStatus,
        dueAt: instant.nullable(),
      }),
    ),
  }),

  'get /verify/{code}': DocumentVerification,
  'get /verify': z.object({ documents: z.array(DocumentVerification) }),

  // The roster and saved filters declare theirs beside their routes.
  ...ROSTER_RESPONSES,
  ...COMPLAINT_RESPONSES,
  ...RATING_RESPONSES,
  ...STATISTICS_RESPONSES,
  ...CREDIT_RESPONSES,
  ...DIRECTORY_RESPONSES,
};
