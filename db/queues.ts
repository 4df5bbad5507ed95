/**
 * Work queues from the PostgreSQL projection, never from Temporal: the cases a principal may see, filtered,
 * ordered by their next deadline (in the staff's queues, cases in a priority group first, seed Art 30:
 * priority_rank) and paged by keyset ([priority_rank,] due_sort, case_id), so a page costs the same at the
 * millionth case as at the first. Each scope has its own index in that order (migration 08).
 */
import type { Knex } from 'knex';
import type { Principal } from '../domain/access-policy.js';
import { maskName } from '../domain/masking.js';

/** A case with no open deadline sorts last. */
export const NO_DEADLINE = '9999-12-31T00:00:00Z';

/** Who may see or filter by priority groups and legal aid (domain/access-policy screeningVisibility). */
export const SCREENING_ROLES: readonly string[] = ['clerk', 'mediator', 'supervisor', 'legal_aid_officer'];
const LEGAL_AID_RULES = ['legal_aid_decision', 'legal_aid_assignment'];

export type QueueFilter = {
  status?: string[] | undefined;
  orgId?: string | undefined;
  mediatorId?: string | undefined;
  disputeType?: string | undefined;
  priorityGroup?: string | undefined;
  /** Only cases in any priority group. */
  priority?: boolean | undefined;
  legalAid?: boolean | undefined;
  /** Only cases whose next deadline falls within this many days (or has passed). */
  dueWithinDays?: number | undefined;
  /** A case number (or its beginning), or a party's name (or its beginning). */
  q?: string | undefined;
  limit: number;
  /** `priorityRank`: where a staff queue's page ended (0: priority groups, 1: the rest). */
  cursor?: { priorityRank?: number | undefined; dueSort: string; caseId: string } | undefined;
};

export type QueueRow = {
  caseId: string;
  caseNumber: string;
  status: string;
  disputeType: string;
  channel: string;
  receivedAt: string;
  /** `provisional`: counted without that year's holiday notice (recounted when it is loaded). */
  nextDue: { ruleId: string; dueAt: string; provisional: boolean } | null;
  /** Clocks still running whose reminder has fired (due soon): the queue shows them. */
  reminders: { ruleId: string; dueAt: string }[];
  parties: string[];
  mediatorAccountId: string | null;
  handlingOrgId: string | null;
  priorityGroups?: string[];
  legalAidRequested?: boolean;
};

const COLUMNS = [
  'c.case_id', 'c.case_number', 'c.status', 'c.dispute_type', 'c.channel', 'c.received_at', 'c.next_due_at', 'c.next_due_rule',
  'c.next_due_provisional', 'c.priority_rank', 'c.due_sort', 'c.mediator_account_id', 'c.handling_org_id', 'c.priority_groups', 'c.legal_aid_requested',
];

/**
 * The scopes a principal's queue is the union of; each is a single indexed column (an OR of two columns
 * cannot be read in index order, a UNION ALL of two ordered scans can).
 */
function scopes(p: Principal): { column: string; value: string | boolean }[] | 'all' | 'none' {
  switch (p.role) {
    case 'supervisor':
      return 'all';
    case 'clerk':
      return p.kind === 'staff' && p.orgId ? [{ column: 'intake_org_id', value: p.orgId }, { column: 'handling_org_id', value: p.orgId }] : 'none';
    case 'mediator':
      return [{ column: 'mediator_account_id', value: p.id }];
    case 'legal_aid_officer':
      return [{ column: 'legal_aid_requested', value: true }];
    case 'court':
      return p.kind === 'institution' ? [{ column: 'court_institution_id', value: p.institutionId }, { column: 'confirming_court_id', value: p.institutionId }] : 'none';
    case 'notary':
      return p.kind === 'institution' ? [{ column: 'notary_institution_id', value: p.institutionId }] : 'none';
    case 'party':
      return 'none';
  }
}

/**
 * A name matched by at least this many parties (a common surname) is searched by walking the queue in its
 * order and looking up each case's parties, which fills a page after a few hundred cases; a rarer name, by
 * collecting its few parties first. One plan for both grows with the table for one of them.
 */
const COMMON_NAME_PARTIES = 2000;

export async function queue(
  db: Knex,
  p: Principal,
  f: QueueFilter,
  now: Date,
  tuning: { commonNameParties: number } = { commonNameParties: COMMON_NAME_PARTIES },
): Promise<{ rows: QueueRow[]; next: { priorityRank?: number; dueSort: string; caseId: string } | null }> {
  const scope = scopes(p);
  if (scope === 'none') return { rows: [], next: null };
  // Priority groups come first in the staff's queues (seed Art 30); a court or notary, who may not know
  // them, keeps plain deadline order (each order has its indexes: migrations 08 and 20261202010000).
  // Staff who see screening see priority groups, and list them first; courts and notaries see plain deadline order.
  const seesScreening = SCREENING_ROLES.includes(p.role);
  const byPriority = seesScreening;
  const order = byPriority ? 'priority_rank, due_sort, case_id' : 'due_sort, case_id';
  const prefix = f.q ? `${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined;
  const commonName =
    prefix !== undefined && Number((await db.raw('SELECT count(*) AS n FROM (SELECT 1 FROM case_parties WHERE name LIKE ? LIMIT ?) AS m', [prefix, tuning.commonNameParties])).rows[0].n) >= tuning.commonNameParties;
  const filtered = (q: Knex.QueryBuilder) => {
    if (f.status?.length) q.whereIn('c.status', f.status);
    if (f.orgId) q.where((w) => w.where('c.handling_org_id', f.orgId!).orWhere('c.intake_org_id', f.orgId!));
    if (f.mediatorId) q.where('c.mediator_account_id', f.mediatorId);
    if (f.disputeType) q.where('c.dispute_type', f.disputeType);
    if (f.priorityGroup) q.whereRaw('c.priority_groups @> ?::jsonb', [JSON.stringify([f.priorityGroup])]);
    if (f.priority) q.whereRaw("c.priority_groups <> '[]'::jsonb");
    if (f.legalAid !== undefined) q.where('c.legal_aid_requested', f.legalAid);
    if (f.dueWithinDays !== undefined) q.where('c.due_sort', '<=', new Date(now.getTime() + f.dueWithinDays * 86_400_000));
    if (prefix !== undefined) {
      q.where((w) =>
        commonName
          ? // OFFSET 0 keeps the subquery a per-case lookup (PostgreSQL would otherwise hash every matching party).
            w.where('c.case_number', 'like', prefix).orWhereRaw('EXISTS (SELECT 1 FROM case_parties AS p WHERE p.case_id = c.case_id AND p.name LIKE ? OFFSET 0)', [prefix])
          : w.where('c.case_number', 'like', prefix).orWhereExists((e) => e.select(db.raw('1')).from('case_parties as p').whereRaw('p.case_id = c.case_id').where('p.name', 'like', prefix)),
      );
    }
    if (f.cursor) {
      if (byPriority) q.whereRaw('(c.priority_rank, c.due_sort, c.case_id) > (?::smallint, ?::timestamptz, ?::uuid)', [f.cursor.priorityRank ?? 0, f.cursor.dueSort, f.cursor.caseId]);
      else q.whereRaw('(c.due_sort, c.case_id) > (?::timestamptz, ?::uuid)', [f.cursor.dueSort, f.cursor.caseId]);
    }
    return q.orderBy([...(byPriority ? [{ column: 'c.priority_rank' }] : []), { column: 'c.due_sort' }, { column: 'c.case_id' }]).limit(f.limit + 1);
  };
  let rows: Record<string, unknown>[];
  if (scope === 'all') {
    rows = await filtered(db('cases as c').select(COLUMNS));
  } else {
    // One ordered scan per scope, merged; a case in two scopes (intake and handling) appears once.
    const parts = scope.map((s, i) => {
      const q = filtered(db('cases as c').select(COLUMNS).where(`c.${s.column}`, s.value as never));
      // Exclude what an earlier scope already returns.
      for (const earlier of scope.slice(0, i)) q.where((w) => w.whereNull(`c.${earlier.column}`).orWhereNot(`c.${earlier.column}`, earlier.value as never));
      return q;
    });
    // Placeholders and bindings kept apart (never values spliced into SQL text).
    const compiled = parts.map((q) => q.toSQL());
    const union = compiled.map((c) => `(${c.sql})`).join(' UNION ALL ');
    const bindings = compiled.flatMap((c) => c.bindings as Knex.Value[]);
    rows = (await db.raw(`SELECT * FROM (${union}) AS u ORDER BY ${order} LIMIT ?`, [...bindings, f.limit + 1])).rows as Record<string, unknown>[];
  }
  const page = rows.slice(0, f.limit);
  const ids = page.map((r) => r.case_id as string);
  // Reminders that fired for clocks still running: what the mediator and the clerk must act on first.
  const reminded = ids.length ? await db('case_deadlines').whereIn('case_id', ids).where({ status: 'open', reminded: true }).orderBy('due_at').select('case_id', 'rule_id', 'due_at') : [];
  const parties = ids.length ? await db('case_parties').whereIn('case_id', ids).whereIn('role', ['applicant', 'respondent', 'third_party']).orderBy('position').select('case_id', 'name', 'minor_under_14') : [];
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      caseId: r.case_id as string,
      caseNumber: r.case_number as string,
      status: r.status as string,
      disputeType: r.dispute_type as string,
      channel: r.channel as string,
      receivedAt: (r.received_at as Date).toISOString(),
      // Legal aid's own periods are not for courts and notaries (screeningVisibility).
      nextDue: r.next_due_at && (seesScreening || !LEGAL_AID_RULES.includes(r.next_due_rule as string)) ? { ruleId: r.next_due_rule as string, dueAt: (r.next_due_at as Date).toISOString(), provisional: r.next_due_provisional === true } : null,
      // Lists show names masked (张*); the full name is on the case, for those who may read it.
      reminders: reminded
        .filter((x) => x.case_id === r.case_id && (seesScreening || !LEGAL_AID_RULES.includes(x.rule_id as string)))
        .map((x) => ({ ruleId: x.rule_id as string, dueAt: (x.due_at as Date).toISOString() })),
      parties: parties.filter((x) => x.case_id === r.case_id).map((x) => (x.minor_under_14 ? (x.name as string) : maskName(x.name as string))),
      mediatorAccountId: (r.mediator_account_id as string | null) ?? null,
      handlingOrgId: (r.handling_org_id as string | null) ?? null,
      ...(seesScreening ? { priorityGroups: r.priority_groups as string[], legalAidRequested: r.legal_aid_requested as boolean } : {}),
    })),
    next: rows.length > f.limit && last ? { ...(byPriority ? { priorityRank: Number(last.priority_rank) } : {}), dueSort: (last.due_sort as Date).toISOString(), caseId: last.case_id as string } : null,
  };
}
