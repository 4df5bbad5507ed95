/**
 * GET /queues/cases: the work queue of whoever asks (a clerk's organization, a mediator's cases, a court's,
 * a notary's, legal aid's, or all for the supervisor), from the projection, ordered by the next deadline
 * (in the staff's queues, priority groups first: seed Art 30), with cursor pagination. GET
 * /queues/cases/counts: the same scope's counters (待受理, 待分派, 待调解员确认, 临期, 超期), counted by the
 * database. 临期 is counted in working days on the holiday calendar (domain/calendar.ts). GET
 * /queues/failed-deliveries: the texts and court or notary notifications of the same kind of scope that could
 * not be delivered (投递失败), for the clerks and the supervisor to follow up.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { CASE_STATUSES, DISPUTE_TYPES } from '../../domain/case.js';
import {
  COURT_SCOPES,
  failedDeliveryScope,
  mayCenter,
  mayNarrowToCourtScope,
  seesScreening,
} from '../../domain/access-policy.js';
import { daysLeft, endOfWorkingDaysAhead, type HolidayCalendar } from '../../domain/calendar.js';
import { DEADLINE_RULES, NEAR_DUE_WORKING_DAYS, type DeadlineRuleId } from '../../domain/deadlines.js';
import { PRIORITY_GROUPS } from '../../domain/screening.js';
import { queue, queueCounts, type QueueRow } from '../../db/queues.js';
import { FAILED_DELIVERY_LIMIT, failedDeliveries } from '../../db/deliveries.js';
import type { CalendarSource } from '../../infra/calendar.js';
import type { FieldCipher } from '../../infra/crypto.js';
import { principalOf } from '../auth.js';
import { parseOrThrow, problems } from '../problem.js';

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    // An empty `status=` is refused, not read as no filter; every value once is well under 1000 characters.
    .min(1, 'must name at least one value')
    .max(1000)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1).max(values.length));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const queueQuery = z.strictObject({
  status: csv(Object.keys(CASE_STATUSES) as [keyof typeof CASE_STATUSES, ...(keyof typeof CASE_STATUSES)[]]).optional(),
  orgId: z.string().trim().min(1).max(60).optional(),
  mediatorId: z.uuid('must be an id (UUID)').optional(),
  disputeType: z.enum(DISPUTE_TYPES).optional(),
  priorityGroup: z
    .enum(Object.keys(PRIORITY_GROUPS) as [keyof typeof PRIORITY_GROUPS, ...(keyof typeof PRIORITY_GROUPS)[]])
    .optional(),
  priority: bool.optional(),
  legalAid: bool.optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  dueWithinWorkingDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(30)
    .optional()
    .describe(
      'only cases whose next deadline ends by the end of the n-th working day after today (China time, on the holiday calendar), or has passed',
    ),
  overdue: bool
    .optional()
    .describe(
      'true: only cases whose next deadline has passed (超期); false: only those whose next deadline has not, or that have none',
    ),
  courtScope: z
    .enum(COURT_SCOPES)
    .optional()
    .describe(
      "a court's queue only: the cases it delegated (委派/委托), or those whose judicial confirmation was asked of it",
    ),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const cursorShape = z.strictObject({
  p: z.union([z.literal(0), z.literal(1)]).optional(),
  d: z.iso.datetime(),
  id: z.uuid(),
});

/** When 临期 ends, as of `now`: the end of the NEAR_DUE_WORKING_DAYS-th working day ahead. */
const nearDueBy = (cal: HolidayCalendar, now: Date) => new Date(endOfWorkingDaysAhead(cal, now, NEAR_DUE_WORKING_DAYS));

/** A row as the API answers it: whether its next deadline is 临期, and each clock's days left in its own unit. */
function withCountdowns(row: QueueRow, cal: HolidayCalendar, now: Date, nearBy: Date) {
  const unitOf = (ruleId: string) =>
    DEADLINE_RULES[ruleId as DeadlineRuleId]?.unit === 'working_days' ? 'working_days' : 'calendar_days';
  const near = (dueAt: string | null) =>
    dueAt !== null && Date.parse(dueAt) > now.getTime() && Date.parse(dueAt) <= nearBy.getTime();
  return {
    ...row,
    nextDue: row.nextDue ? { ...row.nextDue, near: near(row.nextDue.dueAt) } : null,
    clocks: row.clocks.map((c) => ({
      ...c,
      near: c.status === 'open' && near(c.dueAt),
      daysLeft: c.lastDay ? { n: daysLeft(cal, now, c.lastDay, unitOf(c.ruleId)), unit: unitOf(c.ruleId) } : null,
    })),
  };
}

type QueueCursor = { priorityRank?: number; dueSort: string; caseId: string };

/** The next page's place, as the API gives it out (opaque to clients: base64url JSON). */
function encodeCursor(next: QueueCursor): string {
  const short = {
    ...(next.priorityRank !== undefined ? { p: next.priorityRank } : {}),
    d: next.dueSort,
    id: next.caseId,
  };
  return Buffer.from(JSON.stringify(short)).toString('base64url');
}

/** A cursor this API gave out, or 400 naming the field. */
function decodeCursor(cursor: string): QueueCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const c = cursorShape.safeParse(decoded);
  if (!c.success) throw problems.validation([{ field: 'cursor', message: 'is not a cursor this API gave out' }]);
  return { ...(c.data.p !== undefined ? { priorityRank: c.data.p } : {}), dueSort: c.data.d, caseId: c.data.id };
}

export function queuesRouter(deps: {
  db: Knex;
  cipher: FieldCipher;
  now: () => Date;
  calendars: CalendarSource;
}): Router {
  const router = Router();
  // A queue names parties and the cases' next steps: no cache (a browser's, a proxy's) may keep it.
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/cases/counts', async (req, res) => {
    const p = principalOf(req);
    if (!mayCenter(p, 'readQueue')) throw problems.forbidden('parties follow their own case, not a queue');
    const now = deps.now();
    const until = nearDueBy(await deps.calendars.current(), now);
    const counts = await queueCounts(deps.db, p, now, until);
    res.json({
      asOf: now.toISOString(),
      nearDueBy: until.toISOString(),
      nearDueWorkingDays: NEAR_DUE_WORKING_DAYS,
      counts,
    });
  });

  router.get('/cases', async (req, res) => {
    const p = principalOf(req);
    if (!mayCenter(p, 'readQueue')) throw problems.forbidden('parties follow their own case, not a queue');
    const query = parseOrThrow(queueQuery, req.query);
    if (query.courtScope !== undefined && !mayNarrowToCourtScope(p))
      throw problems.validation([{ field: 'courtScope', message: "is only for a court's own queue" }]);
    // Filtering by priority group or legal aid would tell a court or notary what it may not see.
    if (
      !seesScreening(p) &&
      (query.priorityGroup !== undefined || query.priority !== undefined || query.legalAid !== undefined)
    ) {
      throw problems.forbidden(`a ${p.role} may not filter by priority group or legal aid`);
    }
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const now = deps.now();
    const cal = await deps.calendars.current();
    const { dueWithinWorkingDays, ...filters } = query;
    const dueBy =
      dueWithinWorkingDays !== undefined ? new Date(endOfWorkingDaysAhead(cal, now, dueWithinWorkingDays)) : undefined;
    const { rows, next } = await queue(deps.db, p, { ...filters, dueBy, cursor }, now);
    const nextCursor = next ? encodeCursor(next) : null;
    const until = nearDueBy(cal, now);
    res.json({ cases: rows.map((r) => withCountdowns(r, cal, now, until)), nextCursor });
  });

  /**
   * 投递失败: texts and court or notary notifications that could not be delivered, across the cases this
   * principal follows up (a clerk's organization; every case for the supervisor), the oldest first. Phones
   * and names masked, never a text's body (it may hold an access code or a one-time code).
   */
  router.get('/failed-deliveries', async (req, res) => {
    const p = principalOf(req);
    const scope = failedDeliveryScope(p);
    if (!scope) throw problems.forbidden(`a ${p.role} does not follow up failed deliveries`);
    const now = deps.now();
    const { deliveries, more } =
      scope === 'none' ? { deliveries: [], more: false } : await failedDeliveries(deps.db, deps.cipher, scope);
    res.json({ asOf: now.toISOString(), limit: FAILED_DELIVERY_LIMIT, more, deliveries });
  });
  return router;
}
