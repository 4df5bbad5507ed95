/**
 * Credit files (诚信档案, seed Arts 56–57; docs/supervision.md#credit-files-and-the-public-directory): the
 * supervisor reads every file and records qualifications, training, commendations and sanctions, each with its
 * authority, date, decision document and disclosure window, and the computed evaluation with its level; an
 * organization's staff read their organization's file and its mediators'; a mediator their own. A file is only
 * ever appended to: there is no route that changes or removes an entry.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { actorOf, canReadCreditFile, mayCenter, type Principal } from '../../domain/access-policy.js';
import { addDays, chinaDateOf } from '../../domain/calendar.js';
import {
  CREDIT_ENTRY_KINDS,
  CREDIT_LEVELS,
  DISCLOSURE_RULES,
  DISCLOSURE_RULE_IDS,
  RECORDED_ENTRY_KINDS,
  SUPERVISING_AUTHORITY,
  currentLevel,
  defaultDisclosure,
  disclosureOf,
  disclosureStatus,
  evaluate,
  lastDayShown,
  outcomeLabel,
  type CreditEntry,
  type CreditSubjectKind,
  type Evaluation,
} from '../../domain/credit.js';
import {
  appendCreditEntryOnce,
  creditFile,
  creditSubject,
  evaluationInputs,
  verifyCreditChain,
  type CreditSubject,
  type StoredCreditEntry,
} from '../../db/credit.js';
import { principalOf } from '../auth.js';
import { parseOrThrow, problems } from '../problem.js';

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

// Requests ------------------------------------------------------------------------------------------------

/** An entry the supervisor records: what, by which authority, when, on which document, public for how long. */
export const creditEntryBody = z.strictObject({
  kind: z.enum(RECORDED_ENTRY_KINDS),
  title: text(200).describe('what was decided or attained, in a line: 2026年度优秀人民调解员; 警告 …'),
  authority: text(100).describe('who decided it: 揭阳市司法局, 揭阳市中级人民法院 …'),
  decidedOn: isoDate.describe("the decision's date (China date), not in the future"),
  document: text(100).describe('the decision document (文号) or certificate number'),
  disclosure: z
    .enum(DISCLOSURE_RULE_IDS)
    .optional()
    .describe(
      `the disclosure window's rule (${DISCLOSURE_RULE_IDS.map((id) => `${id}: ${DISCLOSURE_RULES[id].label}`).join('; ')}); by default a sanction takes the bad-record window of whose it is, a commendation the commendation window, the rest are internal`,
    ),
  outcome: text(60).optional().describe("a sanction's outcome code, where one applies (warning, circulation …)"),
});

/** The period an evaluation covers (China dates, both included, at most a year). */
export const evaluationBody = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((p) => p.from <= p.to, { path: ['to'], message: 'must not be before from' })
  .refine((p) => p.to <= addDays(p.from, 366), { path: ['to'], message: 'must be at most a year after from' });

// Responses (registered in api/responses.ts) --------------------------------------------------------------

const disclosureSchema = z.object({
  ruleId: z.enum(DISCLOSURE_RULE_IDS),
  label: z.string(),
  source: z.string(),
  from: isoDate,
  until: isoDate.nullable().describe('the first day it is no longer shown; null: never public'),
  lastDayShown: isoDate.nullable(),
  status: z
    .enum(['internal', 'not_yet', 'inside', 'expired'])
    .describe('where the window stands today: an expired bad record stays in the file but leaves every public answer'),
});

export const creditLevelSchema = z
  .object({
    level: z.enum(Object.keys(CREDIT_LEVELS) as [keyof typeof CREDIT_LEVELS, ...(keyof typeof CREDIT_LEVELS)[]]),
    label: z.string(),
    ruleVersion: z.string().describe('the versioned level rule it was computed by (domain/credit.ts LEVEL_RULES)'),
    evaluatedOn: isoDate,
  })
  .describe("the latest evaluation's level; null before any");

const evaluationSchema = z.object({
  period: z.object({ from: isoDate, to: isoDate }),
  concluded: z.number().int(),
  agreementRate: z.number().nullable(),
  medianDays: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  complaintsUpheld: z.number().int(),
  adverseInWindow: z.number().int(),
  level: z.string(),
  ruleVersion: z.string(),
});

export const creditEntrySchema = z.object({
  seq: z.number().int(),
  kind: z.enum(
    Object.keys(CREDIT_ENTRY_KINDS) as [keyof typeof CREDIT_ENTRY_KINDS, ...(keyof typeof CREDIT_ENTRY_KINDS)[]],
  ),
  kindLabel: z.string(),
  title: z.string(),
  authority: z.string(),
  decidedOn: isoDate,
  document: z.string().nullable(),
  outcome: z.string().nullable(),
  outcomeLabel: z.string().nullable(),
  basis: z.string().nullable(),
  source: z.object({ kind: z.enum(['complaint', 'rating', 'recorded', 'evaluation']), ref: z.string().nullable() }),
  disclosure: disclosureSchema,
  evaluation: evaluationSchema.nullable(),
  recordedAt: z.iso.datetime(),
  recordedBy: z.object({ id: z.string(), role: z.string() }),
  hash: z.string(),
});

export const creditFileResponse = z.object({
  subject: z.object({
    kind: z.enum(['mediator', 'organization']),
    id: z.string(),
    name: z.string(),
    orgId: z.string(),
  }),
  level: creditLevelSchema.nullable(),
  entries: z.array(creditEntrySchema),
  chain: z.object({ ok: z.boolean(), events: z.number().int() }).describe("the file's hash chain, checked now"),
});

export const CREDIT_RESPONSES: Record<string, z.ZodType> = {
  'get /credit/mediators/{mediatorId}': creditFileResponse,
  'get /credit/organizations/{orgId}': creditFileResponse,
  'post /credit/mediators/{mediatorId}/entries': creditEntrySchema,
  'post /credit/organizations/{orgId}/entries': creditEntrySchema,
  'post /credit/mediators/{mediatorId}/evaluations': creditEntrySchema,
  'post /credit/organizations/{orgId}/evaluations': creditEntrySchema,
};

// Views ---------------------------------------------------------------------------------------------------

/** An entry as its readers get it: labels, and where its window stands today. */
export function entryView(e: StoredCreditEntry, today: string): z.output<typeof creditEntrySchema> {
  return {
    seq: e.seq,
    kind: e.kind,
    kindLabel: CREDIT_ENTRY_KINDS[e.kind],
    title: e.title,
    authority: e.authority,
    decidedOn: e.decidedOn,
    document: e.document,
    outcome: e.outcome ?? null,
    outcomeLabel: outcomeLabel(e.outcome),
    basis: e.basis ?? null,
    source: e.source,
    disclosure: {
      ...e.disclosure,
      label: DISCLOSURE_RULES[e.disclosure.ruleId].label,
      source: DISCLOSURE_RULES[e.disclosure.ruleId].source,
      lastDayShown: lastDayShown(e.disclosure),
      status: disclosureStatus(e.disclosure, today),
    },
    evaluation: e.evaluation ?? null,
    recordedAt: e.recordedAt,
    recordedBy: e.recordedBy,
    hash: e.hash,
  };
}

// Routes --------------------------------------------------------------------------------------------------

type Deps = { db: Knex; now: () => Date };
const SUBJECTS: [string, CreditSubjectKind, string][] = [
  ['mediators', 'mediator', 'mediatorId'],
  ['organizations', 'organization', 'orgId'],
];

/** The file the path names, once the principal may read it: 404 for a file that is not theirs or not there. */
async function readableSubject(deps: Deps, p: Principal, subject: CreditSubject) {
  if (!mayCenter(p, 'readCreditFiles')) throw problems.forbidden(`a ${p.role} keeps no credit files`);
  const found = await creditSubject(deps.db, subject);
  if (!found || !canReadCreditFile(p, { ...subject, orgId: found.orgId })) throw problems.notFound('The credit file');
  return found;
}

function recordedEntry(body: z.output<typeof creditEntryBody>, subject: CreditSubjectKind): CreditEntry {
  const ruleId = body.disclosure ?? defaultDisclosure(subject, body.kind);
  return {
    kind: body.kind,
    title: body.title,
    authority: body.authority,
    decidedOn: body.decidedOn,
    document: body.document,
    disclosure: disclosureOf(ruleId, body.decidedOn),
    source: { kind: 'recorded', ref: null },
    outcome: body.outcome ?? null,
  };
}

export function creditRouter(deps: Deps): Router {
  const router = Router();
  for (const [path, kind, param] of SUBJECTS) {
    const subjectOf = (req: Request): CreditSubject => ({ kind, id: String(req.params[param]) });

    router.get(`/${path}/:${param}`, async (req, res) => {
      const subject = subjectOf(req);
      const found = await readableSubject(deps, principalOf(req), subject);
      const today = chinaDateOf(deps.now());
      const entries = await creditFile(deps.db, subject);
      const chain = await verifyCreditChain(deps.db, subject);
      res.json({
        subject: { ...subject, ...found },
        level: currentLevel(entries),
        entries: entries.map((e) => entryView(e, today)),
        chain: { ok: chain.ok, events: chain.events },
      });
    });

    router.post(`/${path}/:${param}/entries`, async (req, res) => {
      const p = principalOf(req);
      if (!mayCenter(p, 'recordCreditEntries')) throw problems.forbidden(`a ${p.role} does not record credit entries`);
      const body = parseOrThrow(creditEntryBody, req.body);
      const subject = subjectOf(req);
      await readableSubject(deps, p, subject);
      const today = chinaDateOf(deps.now());
      if (body.decidedOn > today)
        throw problems.validation([{ field: 'decidedOn', message: 'must not be in the future' }]);
      const entry = recordedEntry(body, kind);
      const at = deps.now();
      const { seq } = await appendCreditEntryOnce(deps.db, {
        subject,
        entry,
        actor: actorOf(p),
        at,
        sourceKey: `recorded:${randomUUID()}`,
      });
      res.status(201).json(entryView(await storedEntry(deps.db, subject, seq), today));
    });

    router.post(`/${path}/:${param}/evaluations`, async (req, res) => {
      const p = principalOf(req);
      if (!mayCenter(p, 'recordCreditEntries')) throw problems.forbidden(`a ${p.role} does not evaluate`);
      const period = parseOrThrow(evaluationBody, req.body);
      const subject = subjectOf(req);
      await readableSubject(deps, p, subject);
      const now = deps.now();
      const today = chinaDateOf(now);
      if (period.to > today) throw problems.validation([{ field: 'to', message: 'must not be in the future' }]);
      const entry = evaluationEntry(
        evaluate(period, await evaluationInputs(deps.db, subject, period, now), today),
        today,
      );
      const { seq } = await appendCreditEntryOnce(deps.db, {
        subject,
        entry,
        actor: actorOf(p),
        at: now,
        // One evaluation of a period a day: asked again, the same entry answers.
        sourceKey: `evaluation:${subject.kind}:${subject.id}:${period.from}:${period.to}:${today}`,
      });
      res.status(201).json(entryView(await storedEntry(deps.db, subject, seq), today));
    });
  }
  return router;
}

/** An evaluation as its entry: decided today by the supervising authority, the rule version as its document. */
function evaluationEntry(evaluation: Evaluation, today: string): CreditEntry {
  const { period } = evaluation;
  return {
    kind: 'evaluation',
    title: `综合评价（${period.from}至${period.to}）：${CREDIT_LEVELS[evaluation.level]}`,
    authority: SUPERVISING_AUTHORITY,
    decidedOn: today,
    document: evaluation.ruleVersion,
    disclosure: disclosureOf('internal', today),
    source: { kind: 'evaluation', ref: null },
    evaluation,
  };
}

async function storedEntry(db: Knex, subject: CreditSubject, seq: number): Promise<StoredCreditEntry> {
  return (await creditFile(db, subject)).find((e) => e.seq === seq)!;
}
