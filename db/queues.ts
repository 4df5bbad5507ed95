/**
 * Work queues from the PostgreSQL projection, never from Temporal: the cases a principal may see, filtered,
 * ordered by their next deadline (in the staff's queues, cases in a priority group first, seed Art 30:
 * priority_rank) and paged by keyset ([priority_rank,] due_sort, case_id), so a page costs the same at the
 * millionth case as at the first. Each scope has its own index in that order (migration 08).
 */
import type { Knex } from 'knex';
import {
  LEGAL_AID_RULES,
  queueScope,
  seesScreening,
  type CourtScope,
  type Principal,
  type QueueScopeField,
} from '../domain/access-policy.js';
import { maskName } from '../domain/masking.js';
import { isProvisional } from '../domain/recount.js';

/** A case with no open deadline sorts last. */
export const NO_DEADLINE = '9999-12-31T00:00:00Z';

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
  /**
   * Only cases whose next deadline ends by this instant (or has passed): `dueWithinWorkingDays` as the route
   * counted it on the working-day calendar (domain/calendar.ts endOfWorkingDaysAhead).
   */
  dueBy?: Date | undefined;
  /** true: only cases whose next deadline has passed (超期); false: only those whose next deadline has not, or that have none. */
  overdue?: boolean | undefined;
  /** A court's queue only: the cases it delegated (委派/委托), or those whose judicial confirmation was asked of it. */
  courtScope?: CourtScope | undefined;
  /** A case number (or its beginning), or a party's name (or its beginning). */
  q?: string | undefined;
  limit: number;
  /** `priorityRank`: where a staff queue's page ended (0: priority groups, 1: the rest). */
  cursor?: { priorityRank?: number | undefined; dueSort: string; caseId: string } | undefined;
};

/** A running clock of the case: open, or paused (a notary's period while materials are supplemented). */
export type QueueClock = {
  ruleId: string;
  status: 'open' | 'paused';
  dueAt: string | null;
  lastDay: string | null;
  provisional: boolean;
};

/** A judicial confirmation or notarization of the case, as the case's own state summarizes it. */
export type QueueProcess = {
  kind: string;
  n: number;
  institutionId: string;
  status: string;
  final: boolean;
  courtCaseNumber?: string;
  certificateNumber?: string;
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
  /** The delegating court's letter (委派/委托): its case number, letter number and its own date. */
  court: Record<string, unknown> | null;
  /** Every clock running (or paused) that this principal may see, earliest first. */
  clocks: QueueClock[];
  /** Judicial confirmations and notarizations, in the order they were started. */
  processes: QueueProcess[];
  priorityGroups?: string[];
  legalAidRequested?: boolean;
  /** Where the legal-aid application stands (screening roles only: 法律援助法 Art 43's 7 and 3 days run on it). */
  legalAid?: { status: string; staffAssigned: boolean } | null;
};

const COLUMNS = [
  'c.case_id',
  'c.case_number',
  'c.status',
  'c.dispute_type',
  'c.channel',
  'c.received_at',
  'c.next_due_at',
  'c.next_due_rule',
  'c.next_due_provisional',
  'c.priority_rank',
  'c.due_sort',
  'c.mediator_account_id',
  'c.handling_org_id',
  'c.priority_groups',
  'c.legal_aid_requested',
];

/** The column of `cases` each field of a queue scope is (domain/access-policy.ts queueScope). */
const SCOPE_COLUMNS: Record<QueueScopeField, string> = {
  intakeOrgId: 'intake_org_id',
  handlingOrgId: 'handling_org_id',
  mediatorAccountId: 'mediator_account_id',
  courtInstitutionId: 'court_institution_id',
  confirmingCourtId: 'confirming_court_id',
  notaryInstitutionId: 'notary_institution_id',
  legalAidRequested: 'legal_aid_requested',
};

/**
 * The scopes a principal's queue is the union of; each is a single indexed column (an OR of two columns
 * cannot be read in index order, a UNION ALL of two ordered scans can).
 */
function scopes(p: Principal, courtScope?: CourtScope): { column: string; value: string | boolean }[] | 'all' | 'none' {
  const scope = queueScope(p, courtScope);
  if (scope === 'all' || scope === 'none') return scope;
  return scope.map((s) => ({ column: SCOPE_COLUMNS[s.field], value: s.equals }));
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
  const scope = scopes(p, f.courtScope);
  if (scope === 'none') return { rows: [], next: null };
  // Priority groups come first in the staff's queues (seed Art 30); a court or notary, who may not know
  // them, keeps plain deadline order (each order has its indexes: migrations 08 and 20261202010000).
  // Staff who see screening see priority groups, and list them first; courts and notaries see plain deadline order.
  const screening = seesScreening(p);
  const byPriority = screening;
  const order = byPriority ? 'priority_rank, due_sort, case_id' : 'due_sort, case_id';
  const prefix = f.q ? `${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined;
  const commonName =
    prefix !== undefined &&
    Number(
      (
        await db.raw('SELECT count(*) AS n FROM (SELECT 1 FROM case_parties WHERE name LIKE ? LIMIT ?) AS m', [
          prefix,
          tuning.commonNameParties,
        ])
      ).rows[0].n,
    ) >= tuning.commonNameParties;
  const filtered = (q: Knex.QueryBuilder) => {
    if (f.status?.length) q.whereIn('c.status', f.status);
    if (f.orgId) q.where((w) => w.where('c.handling_org_id', f.orgId!).orWhere('c.intake_org_id', f.orgId!));
    if (f.mediatorId) q.where('c.mediator_account_id', f.mediatorId);
    if (f.disputeType) q.where('c.dispute_type', f.disputeType);
    if (f.priorityGroup) q.whereRaw('c.priority_groups @> ?::jsonb', [JSON.stringify([f.priorityGroup])]);
    if (f.priority) q.whereRaw("c.priority_groups <> '[]'::jsonb");
    if (f.legalAid !== undefined) q.where('c.legal_aid_requested', f.legalAid);
    if (f.dueWithinDays !== undefined)
      q.where('c.due_sort', '<=', new Date(now.getTime() + f.dueWithinDays * 86_400_000));
    if (f.dueBy !== undefined) q.where('c.due_sort', '<=', f.dueBy);
    if (f.overdue === true) q.where('c.due_sort', '<=', now);
    if (f.overdue === false) q.where('c.due_sort', '>', now);
    // A court or notary may not learn of legal aid's clocks (screeningVisibility): a case whose next deadline is
    // one of them is not theirs to find by its due time.
    if (!screening && (f.dueWithinDays !== undefined || f.dueBy !== undefined || f.overdue !== undefined))
      hideLegalAidDue(q);
    if (prefix !== undefined) {
      q.where((w) =>
        commonName
          ? // OFFSET 0 keeps the subquery a per-case lookup (PostgreSQL would otherwise hash every matching party).
            w
              .where('c.case_number', 'like', prefix)
              .orWhereRaw(
                'EXISTS (SELECT 1 FROM case_parties AS p WHERE p.case_id = c.case_id AND p.name LIKE ? OFFSET 0)',
                [prefix],
              )
          : w
              .where('c.case_number', 'like', prefix)
              .orWhereExists((e) =>
                e
                  .select(db.raw('1'))
                  .from('case_parties as p')
                  .whereRaw('p.case_id = c.case_id')
                  .where('p.name', 'like', prefix),
              ),
      );
    }
    if (f.cursor) {
      if (byPriority)
        q.whereRaw('(c.priority_rank, c.due_sort, c.case_id) > (?::smallint, ?::timestamptz, ?::uuid)', [
          f.cursor.priorityRank ?? 0,
          f.cursor.dueSort,
          f.cursor.caseId,
        ]);
      else q.whereRaw('(c.due_sort, c.case_id) > (?::timestamptz, ?::uuid)', [f.cursor.dueSort, f.cursor.caseId]);
    }
    return q
      .orderBy([
        ...(byPriority ? [{ column: 'c.priority_rank' }] : []),
        { column: 'c.due_sort' },
        { column: 'c.case_id' },
      ])
      .limit(f.limit + 1);
  };
  let rows: Record<string, unknown>[];
  if (scope === 'all') {
    rows = await filtered(db('cases as c').select(COLUMNS));
  } else {
    // One ordered scan per scope, merged; a case in two scopes (intake and handling) appears once.
    const parts = scope.map((s, i) => {
      const q = filtered(
        db('cases as c')
          .select(COLUMNS)
          .where(`c.${s.column}`, s.value as never),
      );
      // Exclude what an earlier scope already returns.
      for (const earlier of scope.slice(0, i))
        q.where((w) => w.whereNull(`c.${earlier.column}`).orWhereNot(`c.${earlier.column}`, earlier.value as never));
      return q;
    });
    // Placeholders and bindings kept apart (never values spliced into SQL text).
    const compiled = parts.map((q) => q.toSQL());
    const union = compiled.map((c) => `(${c.sql})`).join(' UNION ALL ');
    const bindings = compiled.flatMap((c) => c.bindings as Knex.Value[]);
    rows = (await db.raw(`SELECT * FROM (${union}) AS u ORDER BY ${order} LIMIT ?`, [...bindings, f.limit + 1]))
      .rows as Record<string, unknown>[];
  }
  const page = rows.slice(0, f.limit);
  const ids = page.map((r) => r.case_id as string);
  const legalAidHidden = (ruleId: string) => !screening && LEGAL_AID_RULES.includes(ruleId);
  // The clocks running or paused: the reminders that fired among them are what the mediator and the clerk act on first.
  const clocks = ids.length
    ? ((await db('case_deadlines')
        .whereIn('case_id', ids)
        .whereIn('status', ['open', 'paused'])
        .orderByRaw('due_at NULLS LAST, rule_id')
        .select('case_id', 'rule_id', 'status', 'due_at', 'last_day', 'calendar_version', 'reminded')) as ClockRow[])
    : [];
  const parties = ids.length
    ? await db('case_parties')
        .whereIn('case_id', ids)
        .whereIn('role', ['applicant', 'respondent', 'third_party'])
        .orderBy('position')
        .select('case_id', 'name', 'minor_under_14')
    : [];
  // The court's letter, the securing processes and legal aid as the case's recorded state has them (no personal data).
  const details = new Map(
    (ids.length
      ? ((await db('cases')
          .whereIn('case_id', ids)
          .select(
            'case_id',
            'court',
            db.raw(`workflow_state->'securing'->'processes' AS processes`),
            db.raw(`workflow_state->'screening'->'legalAid' AS legal_aid`),
          )) as DetailRow[])
      : []
    ).map((d) => [d.case_id, d]),
  );
  const last = page.at(-1);
  return {
    rows: page.map((r) => {
      const detail = details.get(r.case_id as string);
      const own = clocks.filter((x) => x.case_id === r.case_id && !legalAidHidden(x.rule_id));
      const legalAid = detail?.legal_aid ?? null;
      return {
        caseId: r.case_id as string,
        caseNumber: r.case_number as string,
        status: r.status as string,
        disputeType: r.dispute_type as string,
        channel: r.channel as string,
        receivedAt: (r.received_at as Date).toISOString(),
        // Legal aid's own periods are not for courts and notaries (screeningVisibility).
        nextDue:
          r.next_due_at && !legalAidHidden(r.next_due_rule as string)
            ? {
                ruleId: r.next_due_rule as string,
                dueAt: (r.next_due_at as Date).toISOString(),
                provisional: r.next_due_provisional === true,
              }
            : null,
        reminders: own
          .filter((x) => x.status === 'open' && x.reminded && x.due_at)
          .map((x) => ({ ruleId: x.rule_id, dueAt: x.due_at!.toISOString() })),
        // Lists show names masked (张*); the full name is on the case, for those who may read it.
        parties: parties
          .filter((x) => x.case_id === r.case_id)
          .map((x) => (x.minor_under_14 ? (x.name as string) : maskName(x.name as string))),
        mediatorAccountId: (r.mediator_account_id as string | null) ?? null,
        handlingOrgId: (r.handling_org_id as string | null) ?? null,
        court: detail?.court ?? null,
        clocks: own.map((x) => ({
          ruleId: x.rule_id,
          status: x.status,
          dueAt: x.due_at ? x.due_at.toISOString() : null,
          lastDay: x.last_day,
          provisional: isProvisional({ calendarVersion: x.calendar_version ?? '' }),
        })),
        processes: (detail?.processes ?? []).map((q) => ({
          kind: q.kind,
          n: q.n,
          institutionId: q.institutionId,
          status: q.status,
          final: q.final,
          ...(q.courtCaseNumber ? { courtCaseNumber: q.courtCaseNumber } : {}),
          ...(q.certificateNumber ? { certificateNumber: q.certificateNumber } : {}),
        })),
        ...(screening
          ? {
              priorityGroups: r.priority_groups as string[],
              legalAidRequested: r.legal_aid_requested as boolean,
              legalAid:
                legalAid && legalAid.status !== 'none'
                  ? { status: legalAid.status, staffAssigned: legalAid.staffAssigned === true }
                  : null,
            }
          : {}),
      };
    }),
    next:
      rows.length > f.limit && last
        ? {
            ...(byPriority ? { priorityRank: Number(last.priority_rank) } : {}),
            dueSort: (last.due_sort as Date).toISOString(),
            caseId: last.case_id as string,
          }
        : null,
  };
}

type ClockRow = {
  case_id: string;
  rule_id: string;
  status: 'open' | 'paused';
  due_at: Date | null;
  last_day: string | null;
  calendar_version: string | null;
  reminded: boolean;
};
type DetailRow = {
  case_id: string;
  court: Record<string, unknown> | null;
  processes:
    | {
        kind: string;
        n: number;
        institutionId: string;
        status: string;
        final: boolean;
        courtCaseNumber?: string;
        certificateNumber?: string;
      }[]
    | null;
  legal_aid: { status: string; staffAssigned?: boolean } | null;
};

/** Leaves out cases whose next deadline is one of legal aid's (for those who may not know of it). */
function hideLegalAidDue(q: Knex.QueryBuilder): void {
  q.where((w) => w.whereNull('c.next_due_rule').orWhereNotIn('c.next_due_rule', LEGAL_AID_RULES));
}

export type QueueCounts = {
  /** 待受理: registered, awaiting the acceptance review. */
  pendingAcceptance: number;
  /** 待分派: accepted, awaiting a mediator. */
  pendingAssignment: number;
  /** 待调解员确认: assigned, awaiting the mediator's acceptance (在线调解规则 Art 12). */
  pendingMediatorAcceptance: number;
  /** 临期: the next deadline ends by `nearDueBy` and has not passed. */
  nearDue: number;
  /** 超期: the next deadline has passed. */
  overdue: number;
};

/**
 * The queue's counters for a principal's scope, counted by PostgreSQL: the same cases and the same conditions
 * the queue's filters select (status; `dueBy` with `overdue: false`; `overdue: true`). Two statements, each
 * reading only an index (migration 20261204010000: the waiting statuses, and the cases with a running deadline
 * by due time, each carrying the scope's columns): at a million cases 60-100 ms for both, where reading the
 * organization's cases from the table took 250-350 ms.
 */
export async function queueCounts(db: Knex, p: Principal, now: Date, nearDueBy: Date): Promise<QueueCounts> {
  const scope = scopes(p);
  if (scope === 'none')
    return { pendingAcceptance: 0, pendingAssignment: 0, pendingMediatorAcceptance: 0, nearDue: 0, overdue: 0 };
  // A court or notary may not learn of legal aid's clocks: a case whose next deadline is one is not counted by its due time.
  const seesLegalAid = seesScreening(p);
  // A case in two scopes (intake and handling organization) is counted once.
  const inScope = (q: Knex.QueryBuilder) => {
    if (scope !== 'all') q.where((w) => scope.forEach((s) => w.orWhere(`c.${s.column}`, s.value as never)));
    return q;
  };
  const byStatus = inScope(
    db('cases as c')
      .whereIn('c.status', ['REGISTERED', 'PENDING_ASSIGNMENT', 'PENDING_MEDIATOR_ACCEPT'])
      .select(
        db.raw(`count(*) FILTER (WHERE c.status = 'REGISTERED') AS pending_acceptance`),
        db.raw(`count(*) FILTER (WHERE c.status = 'PENDING_ASSIGNMENT') AS pending_assignment`),
        db.raw(`count(*) FILTER (WHERE c.status = 'PENDING_MEDIATOR_ACCEPT') AS pending_mediator_acceptance`),
      ),
  );
  const byDue = inScope(
    db('cases as c')
      .whereNotNull('c.next_due_at')
      .where('c.due_sort', '<=', nearDueBy)
      .select(
        db.raw(`count(*) FILTER (WHERE c.due_sort > ?) AS near_due`, [now]),
        db.raw(`count(*) FILTER (WHERE c.due_sort <= ?) AS overdue`, [now]),
      ),
  );
  if (!seesLegalAid) hideLegalAidDue(byDue);
  const [statusRow, dueRow] = (await Promise.all([byStatus.first(), byDue.first()])) as Record<
    string,
    number | string
  >[];
  const row = { ...statusRow, ...dueRow };
  return {
    pendingAcceptance: Number(row.pending_acceptance),
    pendingAssignment: Number(row.pending_assignment),
    pendingMediatorAcceptance: Number(row.pending_mediator_acceptance),
    nearDue: Number(row.near_due),
    overdue: Number(row.overdue),
  };
}

/** A deadline that ran out, or is open past its due time, with its case. */
export type SlaBreach = {
  caseId: string;
  caseNumber: string;
  caseStatus: string;
  ruleId: string;
  status: string;
  dueAt: Date | null;
};

/**
 * The deadlines that ran out, or are open past `now`, by due time (at most 500): of every case, or of the cases
 * an organization took in or handles.
 */
export async function slaBreaches(db: Knex, now: Date, scope: { orgId: string } | 'all'): Promise<SlaBreach[]> {
  const q = db('case_deadlines as d')
    .join('cases as c', 'c.case_id', 'd.case_id')
    .where((w) =>
      w.where('d.status', 'expired').orWhere((o) => o.where('d.status', 'open').where('d.due_at', '<', now)),
    )
    .orderBy('d.due_at', 'asc')
    .limit(500)
    .select(
      'c.case_id',
      'c.case_number',
      'c.status as case_status',
      'c.intake_org_id',
      'c.handling_org_id',
      'd.rule_id',
      'd.status',
      'd.due_at',
    );
  if (scope !== 'all')
    q.where((w) => w.where('c.intake_org_id', scope.orgId).orWhere('c.handling_org_id', scope.orgId));
  const rows = await q;
  return rows.map((r) => ({
    caseId: r.case_id,
    caseNumber: r.case_number,
    caseStatus: r.case_status,
    ruleId: r.rule_id,
    status: r.status,
    dueAt: r.due_at ?? null,
  }));
}
