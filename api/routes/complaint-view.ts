/**
 * What the complaint routes take and give: the request bodies, and the complaint as each reader may see it
 * (domain/complaints.ts `complaintReader`): the handler in full, the complainant without the internal findings,
 * the target (after acceptance) without who complained or how to reach them.
 */
import { z } from 'zod';
import {
  COMPLAINT_CHANNELS,
  COMPLAINT_CLOCKS,
  COMPLAINT_GROUNDS,
  COMPLAINT_OUTCOMES,
  COMPLAINT_RULES,
  COMPLAINT_STATUSES,
  MEDIATOR_KINDS,
  RECORDED_CHANNELS,
  REPLY_CHANNELS,
  TARGET_KINDS,
  complaintActionsFor,
  type ComplaintCommandType,
  type ComplaintReader,
  type ComplaintState,
} from '../../domain/complaints.js';
import { overdueClockIds } from '../../domain/process-clocks.js';
import type { Actor } from '../../domain/case.js';
import { clockSchema as clockSchemaOf, clockViews, instant, keys, presentTo, text } from './reader-views.js';

const uuid = z.uuid('must be an id (UUID)');
const evidenceRefs = z
  .array(text(200))
  .max(20)
  .describe('ids of files handed in for the case, or short descriptions of evidence handed in on paper');
const outcomeCodes = [...new Set(Object.values(COMPLAINT_OUTCOMES).flatMap((t) => Object.keys(t.outcomes)))] as [
  string,
  ...string[],
];

// Requests ------------------------------------------------------------------------------------------------

export const fileComplaintBody = z.strictObject({
  ground: z.enum(keys(COMPLAINT_GROUNDS)),
  facts: text(5000),
  request: text(2000),
  evidenceRefs: evidenceRefs.default([]),
  replyChannel: z.enum(keys(REPLY_CHANNELS)),
  target: z.strictObject({
    kind: z.enum(keys(TARGET_KINDS)).describe("mediator: the case's; organization: the case's; staff: name accountId"),
    accountId: uuid.optional(),
  }),
  forPartyId: uuid.optional().describe('a clerk: the party the complaint is for (a party files for themselves)'),
  channel: z.enum(RECORDED_CHANNELS).optional().describe('a clerk: how the complaint came in'),
});
export type FileComplaintBody = z.output<typeof fileComplaintBody>;

/** Each action's path under /complaints/{complaintId}, its command and its body. */
export const COMPLAINT_ACTION_ROUTES = {
  notice: { type: 'issue_notice', body: z.strictObject({ missing: z.array(text(200)).min(1).max(20) }) },
  supplement: {
    type: 'supplement',
    body: z.strictObject({ text: text(5000), evidenceRefs: evidenceRefs.default([]) }),
  },
  acceptance: { type: 'accept', body: z.strictObject({}) },
  rejection: { type: 'decline', body: z.strictObject({ reason: text(2000) }) },
  investigator: { type: 'assign_investigator', body: z.strictObject({ accountId: uuid }) },
  findings: { type: 'record_findings', body: z.strictObject({ findings: text(10000) }) },
  extension: {
    type: 'extend_decision',
    body: z.strictObject({ days: z.number().int().min(1).max(365), approvedBy: text(100), reason: text(2000) }),
  },
  decision: {
    type: 'decide',
    body: z.strictObject({ upheld: z.boolean(), outcome: z.enum(outcomeCodes).optional(), reasons: text(5000) }),
  },
  answer: { type: 'answer', body: z.strictObject({ channel: z.enum(keys(REPLY_CHANNELS)), text: text(5000) }) },
  feedback: { type: 'give_feedback', body: z.strictObject({ satisfied: z.boolean(), comment: text(2000).optional() }) },
} as const satisfies Record<string, { type: ComplaintCommandType; body: z.ZodType }>;

/** The roles each action allows (the OpenAPI catalogue and the route's 403). */
export const complaintRolesOf = (type: ComplaintCommandType) => COMPLAINT_RULES[type].roles;

// Answers -------------------------------------------------------------------------------------------------

const clockIds = keys(COMPLAINT_CLOCKS);
/** A complaint's decision clock may be extended once, with approval. */
const clockSchema = clockSchemaOf(clockIds).extend({ extensionDays: z.number().int() });

/** 案号: only for a reader who may see the case itself (domain/access-policy.ts canView). */
const caseNumber = z.string().optional().describe('案号, for a reader who may see the case');

export const complaintViewSchema = z.object({
  complaintId: z.string(),
  trackingNumber: z.string().nullable(),
  caseId: z.string(),
  caseNumber,
  status: z.enum(keys(COMPLAINT_STATUSES)),
  statusLabel: z.string(),
  ground: z.enum(keys(COMPLAINT_GROUNDS)),
  groundLabel: z.string(),
  channel: z.enum(keys(COMPLAINT_CHANNELS)),
  target: z.object({
    kind: z.enum(keys(TARGET_KINDS)),
    id: z.string(),
    name: z.string(),
    mediatorKind: z.enum(keys(MEDIATOR_KINDS)).nullable(),
  }),
  receivedAt: instant,
  facts: z.string(),
  request: z.string(),
  acceptedAt: instant.nullable(),
  decision: z
    .object({
      upheld: z.boolean(),
      outcome: z.string().nullable(),
      outcomeLabel: z.string().nullable(),
      reasons: z.string(),
      at: instant,
    })
    .nullable(),
  /** Not for the target. */
  complainant: z.object({ partyId: z.string(), filedById: z.string(), filedByRole: z.string() }).optional(),
  evidenceRefs: z.array(z.string()).optional(),
  replyChannel: z.enum(keys(REPLY_CHANNELS)).optional(),
  notice: z
    .object({ missing: z.array(z.string()), issuedAt: instant })
    .nullable()
    .optional(),
  supplements: z.array(z.object({ at: instant, text: z.string(), evidenceRefs: z.array(z.string()) })).optional(),
  investigator: z.object({ accountId: z.string(), name: z.string() }).nullable().optional(),
  /** Only the handler's reader. */
  findings: z.string().nullable().optional(),
  extension: z.object({ days: z.number().int(), approvedBy: z.string(), reason: z.string() }).nullable().optional(),
  answer: z.object({ channel: z.string(), text: z.string(), at: instant }).nullable().optional(),
  feedback: z
    .object({ satisfied: z.boolean().nullable(), comment: z.string().nullable(), at: instant })
    .nullable()
    .optional(),
  repeats: z.array(z.object({ at: instant, channel: z.string(), facts: z.string() })).optional(),
  clocks: z.array(clockSchema).optional(),
  overdue: z.array(z.enum(clockIds)).optional(),
  actions: z.array(z.string()),
});
export type ComplaintView = z.infer<typeof complaintViewSchema>;

export const complaintSummarySchema = z.object({
  complaintId: z.string(),
  trackingNumber: z.string(),
  caseId: z.string(),
  caseNumber,
  status: z.enum(keys(COMPLAINT_STATUSES)),
  statusLabel: z.string(),
  ground: z.string(),
  targetKind: z.string(),
  receivedAt: instant,
  nextDueAt: instant.nullable(),
  overdue: z.array(z.enum(clockIds)),
});

/** Keyed as api/responses.ts keys them: `<method> <OpenAPI path>`. */
export const COMPLAINT_RESPONSES: Record<string, z.ZodType> = {
  'post /cases/{caseId}/complaints': z.object({ merged: z.boolean(), complaint: complaintViewSchema }),
  'get /complaints': z.object({ complaints: z.array(complaintSummarySchema) }),
  'get /complaints/{complaintId}': complaintViewSchema,
  ...Object.fromEntries(
    Object.keys(COMPLAINT_ACTION_ROUTES).map((path) => [`post /complaints/{complaintId}/${path}`, complaintViewSchema]),
  ),
};

// The view ------------------------------------------------------------------------------------------------

function outcomeLabel(outcome: string | null): string | null {
  if (!outcome) return null;
  for (const t of Object.values(COMPLAINT_OUTCOMES)) {
    const label = (t.outcomes as Record<string, string>)[outcome];
    if (label) return label;
  }
  return outcome;
}

/** What every reader sees: the complaint's number, status, what is alleged, against whom, and the decision. */
function commonView(s: ComplaintState) {
  const f = s.filing;
  return {
    complaintId: s.complaintId,
    trackingNumber: s.trackingNumber,
    caseId: s.caseId,
    status: s.status,
    statusLabel: COMPLAINT_STATUSES[s.status],
    ground: f.ground,
    groundLabel: COMPLAINT_GROUNDS[f.ground],
    channel: f.channel,
    target: { kind: f.target.kind, id: f.target.id, name: f.target.name, mediatorKind: f.target.mediatorKind ?? null },
    receivedAt: f.receivedAt,
    facts: f.facts,
    request: f.request,
    acceptedAt: s.acceptedAt,
    decision: s.decision && { ...s.decision, outcomeLabel: outcomeLabel(s.decision.outcome) },
  };
}

/**
 * The complaint as this reader may see it, with the actions this person may take now: the target reads what is
 * alleged and what was decided, never who complained or how to reach them; the internal findings are the handler's.
 * `caseNumber` is given only for a reader who may see the case (the caller asks domain/access-policy.ts canView).
 */
export function complaintView(
  s: ComplaintState,
  reader: ComplaintReader,
  actor: Actor,
  now: Date,
  caseNumber?: string,
): ComplaintView {
  const f = s.filing;
  const common = { ...commonView(s), ...(caseNumber ? { caseNumber } : {}) };
  const view = presentTo<ComplaintReader, ComplaintView>(reader, common, [
    {
      readers: ['full', 'complainant'],
      fields: () => ({
        complainant: { partyId: f.complainantPartyId, filedById: f.filedBy.id, filedByRole: f.filedBy.role },
        evidenceRefs: f.evidenceRefs,
        replyChannel: f.replyChannel,
        notice: s.notice,
        supplements: s.supplements,
        investigator: s.investigator,
      }),
    },
    { readers: ['full'], fields: () => ({ findings: s.findings }) },
    {
      readers: ['full', 'complainant'],
      fields: () => ({
        extension: s.extension,
        answer: s.answer,
        feedback: s.feedback,
        repeats: s.repeats.map((r) => ({ at: r.at, channel: r.channel, facts: r.facts })),
        clocks: clockViews(s.clocks, COMPLAINT_CLOCKS),
        overdue: overdueClockIds(s, now),
      }),
    },
  ]);
  return { ...view, actions: reader === 'target' ? [] : complaintActionsFor(actor, s) };
}
