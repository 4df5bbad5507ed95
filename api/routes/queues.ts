/**
 * GET /queues/cases: the work queue of whoever asks (a clerk's organization, a mediator's cases, a court's,
 * a notary's, legal aid's, or all for the supervisor), from the projection, ordered by the next deadline
 * (in the staff's queues, priority groups first: seed Art 30), with cursor pagination.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { CASE_STATUSES, DISPUTE_TYPES } from '../../domain/case.js';
import { PRIORITY_GROUPS } from '../../domain/screening.js';
import { SCREENING_ROLES, queue } from '../../db/queues.js';
import { principalOf } from '../auth.js';
import { parseOrThrow, problems } from '../problem.js';

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    // An empty `status=` is refused, not read as no filter; every value once is well under 1000 characters.
    .min(1, 'must name at least one value')
    .max(1000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1).max(values.length));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const queueQuery = z.strictObject({
  status: csv(Object.keys(CASE_STATUSES) as [keyof typeof CASE_STATUSES, ...(keyof typeof CASE_STATUSES)[]]).optional(),
  orgId: z.string().trim().min(1).max(60).optional(),
  mediatorId: z.uuid('must be an id (UUID)').optional(),
  disputeType: z.enum(DISPUTE_TYPES).optional(),
  priorityGroup: z.enum(Object.keys(PRIORITY_GROUPS) as [keyof typeof PRIORITY_GROUPS, ...(keyof typeof PRIORITY_GROUPS)[]]).optional(),
  priority: bool.optional(),
  legalAid: bool.optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const cursorShape = z.strictObject({ p: z.union([z.literal(0), z.literal(1)]).optional(), d: z.iso.datetime(), id: z.uuid() });

export function queuesRouter(deps: { db: Knex; now: () => Date }): Router {
  const router = Router();
  router.get('/cases', async (req, res) => {
    const p = principalOf(req);
    if (p.role === 'party') throw problems.forbidden('parties follow their own case, not a queue');
    const query = parseOrThrow(queueQuery, req.query);
    // Filtering by priority group or legal aid would tell a court or notary what it may not see.
    if (!SCREENING_ROLES.includes(p.role) && (query.priorityGroup !== undefined || query.priority !== undefined || query.legalAid !== undefined)) {
      throw problems.forbidden(`a ${p.role} may not filter by priority group or legal aid`);
    }
    let cursor: { priorityRank?: number; dueSort: string; caseId: string } | undefined;
    if (query.cursor) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      } catch {
        decoded = undefined;
      }
      const c = cursorShape.safeParse(decoded);
      if (!c.success) throw problems.validation([{ field: 'cursor', message: 'is not a cursor this API gave out' }]);
      cursor = { ...(c.data.p !== undefined ? { priorityRank: c.data.p } : {}), dueSort: c.data.d, caseId: c.data.id };
    }
    const { rows, next } = await queue(deps.db, p, { ...query, cursor }, deps.now());
    const nextCursor = next ? Buffer.from(JSON.stringify({ ...(next.priorityRank !== undefined ? { p: next.priorityRank } : {}), d: next.dueSort, id: next.caseId })).toString('base64url') : null;
    res.json({ cases: rows, nextCursor });
  });
  return router;
}
