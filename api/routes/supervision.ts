/**
 * The supervisor's SLA-breach list (domain.md: a missed due time appears in it): every deadline that ran
 * out, or is open past its due time, from the PostgreSQL projection. Clerks see their organization's.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { DEADLINE_RULES, type DeadlineRuleId } from '../../domain/deadlines.js';
import { principalOf } from '../auth.js';
import { problems } from '../problem.js';

export function supervisionRouter(deps: { db: Knex; now: () => Date }): Router {
  const router = Router();
  router.get('/sla-breaches', async (req, res) => {
    const p = principalOf(req);
    if (p.role !== 'supervisor' && p.role !== 'clerk') throw problems.forbidden('only supervisors and clerks see SLA breaches');
    const q = deps.db('case_deadlines as d')
      .join('cases as c', 'c.case_id', 'd.case_id')
      .where((w) => w.where('d.status', 'expired').orWhere((o) => o.where('d.status', 'open').where('d.due_at', '<', deps.now())))
      .orderBy('d.due_at', 'asc')
      .limit(500)
      .select('c.case_id', 'c.case_number', 'c.status as case_status', 'c.intake_org_id', 'c.handling_org_id', 'd.rule_id', 'd.status', 'd.due_at');
    if (p.kind === 'staff' && p.role === 'clerk') q.where((w) => w.where('c.intake_org_id', p.orgId).orWhere('c.handling_org_id', p.orgId));
    const rows = await q;
    res.json({
      breaches: rows.map((r) => ({
        caseId: r.case_id,
        caseNumber: r.case_number,
        caseStatus: r.case_status,
        ruleId: r.rule_id,
        label: DEADLINE_RULES[r.rule_id as DeadlineRuleId]?.label ?? r.rule_id,
        citation: DEADLINE_RULES[r.rule_id as DeadlineRuleId]?.citation ?? null,
        deadlineStatus: r.status,
        dueAt: r.due_at?.toISOString() ?? null,
      })),
    });
  });
  return router;
}
