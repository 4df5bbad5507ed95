/**
 * The per-case facts projection the statistics read (docs/supervision.md#statistics): one row per case, moved
 * in the same transaction as the events that change it (activities' recordCaseEvents), rebuildable from the
 * chain (`rebuildCaseFacts`, `npm run stats:rebuild`), and aggregated here with GROUP BY, months in Beijing time:
 * counts and ratios over whole past months from the monthly rollup (db/case-facts-monthly.ts), durations from theirs
 * (db/case-facts-durations.ts), the rest of a period and figures as they stand from the facts rows.
 */
import type { Knex } from 'knex';
import { prepared } from './knex.js';
import { addDays, chinaDateOf, type HolidayCalendar } from '../domain/calendar.js';
import {
  MILESTONE_EVENT_TYPES,
  NO_MILESTONES,
  addHistograms,
  caseDurations,
  foldMilestones,
  histogramOf,
  monthsBetween,
  round2,
  summarizeHistogram,
  type CaseMilestones,
  type DayHistogram,
  type DurationSummary,
  type FactCondition,
  type Grouping,
  type Metric,
  type Milestone,
  type RecordedEvent,
} from '../domain/statistics.js';
import {
  COUNTED_RATING,
  OPEN_DATED,
  RATED_DATED,
  SATISFIED_LEVEL,
  ROLLUP_DATED,
  contributionBeforeAndAfter,
  moveContribution,
  rebuildMonthlyRollup,
  rollupHolds,
} from './case-facts-monthly.js';
import {
  DURATION_GROUP_KINDS,
  durationFactsBeforeAndAfter,
  durationRollupSql,
  moveDurationFacts,
  type StoredFactsRow,
} from './case-facts-durations.js';
import type { CaseFactsRow } from './tables.js';

type Tx = Knex | Knex.Transaction;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The milestones a stored facts row holds. */
function milestonesOf(r: CaseFactsRow): CaseMilestones {
  return {
    lastSeq: r.last_seq,
    acceptedAt: iso(r.accepted_at),
    mediatorAcceptedAt: iso(r.mediator_accepted_at),
    concludedAt: iso(r.concluded_at),
    outcome: r.outcome as CaseMilestones['outcome'],
    terminationReason: r.termination_reason,
    agreementEffectiveAt: iso(r.agreement_effective_at),
    confirmationAppliedAt: iso(r.confirmation_applied_at),
    confirmationRuledAt: iso(r.confirmation_ruled_at),
    confirmationOutcome: r.confirmation_outcome as CaseMilestones['confirmationOutcome'],
    notarizationAppliedAt: iso(r.notarization_applied_at),
    certificateIssuedAt: iso(r.certificate_issued_at),
    performedAt: iso(r.performed_at),
    archivedAt: iso(r.archived_at),
  };
}

/**
 * Folds newly recorded events into the case's facts (events at or below the row's last_seq are skipped, so a
 * retried activity changes nothing) and refreshes what the case row says now. Call it in the transaction that
 * wrote the events, after the case row was moved.
 */
export async function saveCaseFacts(
  trx: Tx,
  caseId: string,
  events: readonly RecordedEvent[],
  cal: HolidayCalendar,
): Promise<void> {
  const stored = await trx('case_facts')
    .where({ case_id: caseId })
    .first('*', trx.raw('to_jsonb(case_facts.*) AS stored_row'));
  // A case recorded before the facts existed (no row, and these are not its first events) is folded from its chain.
  const fromChain = !stored && events.every((e) => e.seq > 1);
  const m = foldMilestones(
    stored ? milestonesOf(stored) : NO_MILESTONES,
    fromChain ? await milestoneEvents(trx, [caseId]) : events,
  );
  const written = await writeCaseFacts(trx, caseId, m, cal);
  // The monthly rollups move with the row: its old contribution off, its new one on (migrations 20261206020000,
  // 20261207070000). Most events move no column they read: then both contributions are the same, and nothing moves.
  const before = stored?.stored_row as StoredFactsRow | undefined;
  if (before && written && sameForRollups(before, written)) return;
  // The old contribution and the new one read together (one statement for each rollup).
  const contribution = await contributionBeforeAndAfter(trx, caseId, before);
  await moveContribution(trx, contribution.before, contribution.after);
  const durations = await durationFactsBeforeAndAfter(trx, caseId, before);
  await moveDurationFacts(trx, durations.before, durations.after);
}

/**
 * The facts columns no rollup reads (db/case-facts-monthly.ts contributionSql, db/case-facts-durations.ts factsSql):
 * every other column is compared. A case's ratings count too, but they move only under the case row's lock, which the
 * callers hold (db/rating-facts.ts), so they are the same before and after the write.
 */
const NOT_IN_ROLLUPS = new Set([
  'last_seq',
  'status',
  'mediator_accepted_at',
  'termination_reason',
  'archived_at',
  'updated_at',
]);

function sameForRollups(before: StoredFactsRow, after: StoredFactsRow): boolean {
  const columns = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...columns].every((c) => NOT_IN_ROLLUPS.has(c) || JSON.stringify(before[c]) === JSON.stringify(after[c]));
}

/** The events of these cases that move a milestone, in chain order. */
async function milestoneEvents(trx: Tx, caseIds: string[]): Promise<(RecordedEvent & { caseId: string })[]> {
  const rows = await trx('case_events')
    .whereIn('case_id', caseIds)
    .whereIn('type', MILESTONE_EVENT_TYPES)
    .orderBy(['case_id', 'seq'])
    .select('case_id', 'seq', 'type', 'at', 'payload');
  return rows.map((e) => ({ caseId: e.case_id, seq: e.seq, type: e.type, at: e.at.toISOString(), payload: e.payload }));
}

/**
 * Writes the facts row: the milestones and durations given, the intake attributes and current handling read
 * from the case row in the same statement (the organization's county, the last instalment's due time).
 */
async function writeCaseFacts(
  trx: Tx,
  caseId: string,
  m: CaseMilestones,
  cal: HolidayCalendar,
): Promise<StoredFactsRow | undefined> {
  const d = caseDurations(m, cal);
  const ts = (v: string | null) => (v ? new Date(v) : null);
  const { rows } = await prepared(trx, WRITE_FACTS, [
    m.lastSeq,
    ts(m.acceptedAt),
    ts(m.mediatorAcceptedAt),
    ts(m.concludedAt),
    m.outcome,
    m.terminationReason,
    ts(m.agreementEffectiveAt),
    ts(m.confirmationAppliedAt),
    ts(m.confirmationRuledAt),
    m.confirmationOutcome,
    ts(m.notarizationAppliedAt),
    ts(m.certificateIssuedAt),
    ts(m.performedAt),
    ts(m.archivedAt),
    d.daysFromAcceptance,
    d.workingDaysFromAcceptance,
    d.daysFromMediatorAcceptance,
    d.workingDaysFromMediatorAcceptance,
    caseId,
  ]);
  return (rows as { written_row: StoredFactsRow }[])[0]?.written_row;
}

/** Every column but the key: all of them are rewritten on each write. */
const FACT_COLUMNS = [
  'last_seq',
  'channel',
  'dispute_type',
  'intake_org_id',
  'handling_org_id',
  'org_id',
  'county',
  'mediator_account_id',
  'priority_groups',
  'status',
  'received_at',
  'last_instalment_due_at',
  'accepted_at',
  'mediator_accepted_at',
  'concluded_at',
  'outcome',
  'termination_reason',
  'agreement_effective_at',
  'confirmation_applied_at',
  'confirmation_ruled_at',
  'confirmation_outcome',
  'notarization_applied_at',
  'certificate_issued_at',
  'performed_at',
  'archived_at',
  'days_from_acceptance',
  'working_days_from_acceptance',
  'days_from_mediator_acceptance',
  'working_days_from_mediator_acceptance',
  'updated_at',
] as const;

/**
 * writeCaseFacts's statement: the milestones and durations bound, the intake attributes and current handling read from
 * the case row (bindings: last_seq, the 17 milestones and durations, the case id).
 */
const WRITE_FACTS = `INSERT INTO case_facts (case_id, last_seq, channel, dispute_type, intake_org_id, handling_org_id, org_id,
     county, mediator_account_id, priority_groups, status, received_at, last_instalment_due_at,
     accepted_at, mediator_accepted_at, concluded_at, outcome, termination_reason, agreement_effective_at,
     confirmation_applied_at, confirmation_ruled_at, confirmation_outcome, notarization_applied_at,
     certificate_issued_at, performed_at, archived_at, days_from_acceptance, working_days_from_acceptance,
     days_from_mediator_acceptance, working_days_from_mediator_acceptance, updated_at)
   SELECT c.case_id, ?, c.channel, c.dispute_type, c.intake_org_id, c.handling_org_id,
     coalesce(c.handling_org_id, c.intake_org_id), o.county, c.mediator_account_id,
     coalesce(c.priority_groups, '[]'::jsonb), c.status, c.received_at,
     (SELECT max((i->>'dueAt')::timestamptz)
        FROM jsonb_array_elements(coalesce(c.workflow_state->'performance'->'instalments', '[]'::jsonb)) i),
     ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()
   FROM cases c LEFT JOIN organizations o ON o.org_id = coalesce(c.handling_org_id, c.intake_org_id)
   WHERE c.case_id = ?
   ON CONFLICT (case_id) DO UPDATE SET ${FACT_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
   RETURNING to_jsonb(case_facts.*) AS written_row`;

const REBUILD_PAGE = 500;

/**
 * Rebuilds every case's facts from its chain, a page of cases at a time. Each page's case rows are locked (as
 * appendCaseEvents locks them), so an event recorded meanwhile waits and is then folded into the rebuilt row.
 */
export async function rebuildCaseFacts(db: Knex, cal: HolidayCalendar): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  for (;;) {
    const done = await db.transaction((trx) => rebuildPage(trx, after, cal));
    if (done.length === 0) break;
    total += done.length;
    after = done[done.length - 1]!;
  }
  // The pages rewrote the rows without their rollup: the rollup is written again from all of them.
  await rebuildMonthlyRollup(db);
  return total;
}

async function rebuildPage(trx: Knex.Transaction, after: string, cal: HolidayCalendar): Promise<string[]> {
  const cases = await trx('cases')
    .where('case_id', '>', after)
    .orderBy('case_id')
    .limit(REBUILD_PAGE)
    .forUpdate()
    .select('case_id', 'last_seq');
  if (cases.length === 0) return [];
  const byCase = new Map<string, RecordedEvent[]>();
  for (const e of await milestoneEvents(
    trx,
    cases.map((c) => c.case_id),
  )) {
    byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  }
  for (const c of cases) {
    const m = foldMilestones(NO_MILESTONES, byCase.get(c.case_id) ?? []);
    await writeCaseFacts(trx, c.case_id, { ...m, lastSeq: c.last_seq }, cal);
  }
  return cases.map((c) => c.case_id);
}

// Aggregates -------------------------------------------------------------------------------------------------

/** Whose cases a principal's figures count (domain/access-policy.ts statisticsScope). */
export type StatisticsScope = 'all' | 'none' | { orgId: string } | { mediatorId: string };

/** China dates, both included; `now` dates the figures as they stand, `nearBy` ends 临期. */
export type StatisticsWindow = { from: string; to: string; now: Date; nearBy: Date };

export type MetricRow = {
  key: string;
  numerator: number;
  denominator: number;
  calendarDays?: DurationSummary;
  workingDays?: DurationSummary;
};

const DATED_COLUMN: Record<Milestone, string | null> = {
  received: 'f.received_at',
  accepted: 'f.accepted_at',
  concluded: 'f.concluded_at',
  agreement_effective: 'f.agreement_effective_at',
  confirmation_ruled: 'f.confirmation_ruled_at',
  certificate_issued: 'f.certificate_issued_at',
  last_instalment_due: 'f.last_instalment_due_at',
  deadline_due: 'd.due_at',
  rated: 'r.rated_at',
  now: null,
};

const CONDITION_SQL: Record<FactCondition, string> = {
  all: 'TRUE',
  mediated: "f.outcome IN ('agreement', 'failed')",
  agreement: "f.outcome = 'agreement'",
  confirmation_applied: 'f.confirmation_applied_at IS NOT NULL',
  confirmed: "f.confirmation_outcome = 'confirmed'",
  notarization_applied: 'f.notarization_applied_at IS NOT NULL',
  performed: 'f.performed_at IS NOT NULL',
  open: 'f.concluded_at IS NULL',
  // The supervisor's SLA-breach list's definition (db/queues.ts slaBreaches).
  overdue_deadline: "(d.status = 'expired' OR (d.status = 'open' AND d.due_at < :now))",
  // The work queue's 临期 (api/routes/queues.ts): open, due after now and by the end of the 3rd working day.
  near_due_deadline: "(d.status = 'open' AND d.due_at > :now AND d.due_at <= :nearBy)",
  // 参评率: a case with at least one rating that counts (db/ratings.ts ratingSummary's ratedCases).
  rated: `EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = f.case_id AND ${COUNTED_RATING})`,
  // 满意率: (非常满意 + 满意) ÷ the ratings that count.
  counted_rating: COUNTED_RATING,
  satisfied_rating: `(${COUNTED_RATING} AND ${SATISFIED_LEVEL})`,
};

const AGE_SQL = `CASE WHEN CAST(:today AS date) - (f.received_at AT TIME ZONE 'Asia/Shanghai')::date <= 30 THEN '0-30'
  WHEN CAST(:today AS date) - (f.received_at AT TIME ZONE 'Asia/Shanghai')::date <= 60 THEN '31-60'
  WHEN CAST(:today AS date) - (f.received_at AT TIME ZONE 'Asia/Shanghai')::date <= 90 THEN '61-90' ELSE '91+' END`;

/** The SQL of a group's key; the month is the dating milestone's month in Beijing time (the intake's for figures as they stand). */
function groupKeySql(g: Grouping | null, metric: Metric): string {
  const dated = DATED_COLUMN[metric.datedBy] ?? 'f.received_at';
  const keys: Record<Grouping, string> = {
    // The month as a timestamp (cheaper to group by than text); named YYYY-MM once per month below.
    month: `date_trunc('month', ${dated} AT TIME ZONE 'Asia/Shanghai')`,
    disputeType: 'f.dispute_type',
    organization: "coalesce(f.org_id, '')",
    mediator: "coalesce(f.mediator_account_id::text, '')",
    channel: 'f.channel',
    county: "coalesce(f.county, '')",
    priorityGroup: 'pg.g',
    status: 'f.status',
    ageBucket: AGE_SQL,
    rule: 'd.rule_id',
  };
  return g ? keys[g] : "'total'";
}

function scopeSql(scope: Exclude<StatisticsScope, 'none'>): string {
  if (scope === 'all') return 'TRUE';
  if ('orgId' in scope) return '(f.intake_org_id = :scopeId OR f.handling_org_id = :scopeId)';
  return 'f.mediator_account_id = CAST(:scopeId AS uuid)';
}

/** What each group counts: cases (and, for a ratio, its cases meeting the numerator), or durations. */
function aggregatesSql(metric: Metric): string {
  if (metric.kind === 'duration') {
    const [cal, work] = durationColumns(metric);
    const stats = (col: string, p: string) =>
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${col}) AS ${p}_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY ${col}) AS ${p}_p90, avg(${col}) AS ${p}_mean`;
    return `count(${cal}) AS numerator, count(*) AS denominator, ${stats(cal, 'cal')}, ${stats(work, 'work')}`;
  }
  return `count(*) FILTER (WHERE ${CONDITION_SQL[metric.numerator]}) AS numerator, count(*) AS denominator`;
}

/** Only the cases of one dispute type or county (a forecast of that group): the key as the series groups it. */
export type GroupFilter = { groupBy: 'disputeType' | 'county'; key: string };

const FILTER_SQL: Record<GroupFilter['groupBy'], string> = {
  disputeType: 'f.dispute_type = :filterKey',
  county: "coalesce(f.county, '') = :filterKey",
};

/** The cases (or deadlines) a metric counts in the window and scope. */
function fromWhereSql(
  metric: Metric,
  g: Grouping | null,
  scope: Exclude<StatisticsScope, 'none'>,
  only?: GroupFilter,
  excludingRollup = false,
): string {
  const deadlines = metric.kind === 'deadline';
  const dated = DATED_COLUMN[metric.datedBy];
  const base = deadlines ? CONDITION_SQL[metric.numerator] : CONDITION_SQL[metric.denominator ?? metric.numerator];
  const where = [scopeSql(scope), base];
  if (only) where.push(FILTER_SQL[only.groupBy]);
  // Beside the rollup, only the period's ends outside its whole months: two short ranges of the milestone's index.
  if (dated && excludingRollup)
    where.push(
      `((${dated} >= :fromAt AND ${dated} < :rollupFromAt) OR (${dated} >= :rollupToAt AND ${dated} < :toAt))`,
    );
  else if (dated) where.push(`${dated} >= :fromAt`, `${dated} < :toAt`);
  if (metric.datedBy === 'last_instalment_due') where.push('f.last_instalment_due_at <= :now');
  const pg =
    g === 'priorityGroup'
      ? ` CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN f.priority_groups = '[]'::jsonb THEN '[""]'::jsonb ELSE f.priority_groups END) pg(g)`
      : '';
  // Deadlines and ratings are counted with the facts of their case (its group and scope).
  const from = deadlines
    ? 'case_deadlines d JOIN case_facts f ON f.case_id = d.case_id'
    : (metric.denominator ?? metric.numerator) === 'counted_rating'
      ? 'ratings r JOIN case_facts f ON f.case_id = r.case_id'
      : 'case_facts f';
  return `FROM ${from}${pg} WHERE ${where.join(' AND ')}`;
}

/**
 * One metric's figures in the window and scope, grouped (or one 'total' row): SQL GROUP BY over the facts
 * table, and for months every month of the window from generate_series, a month without a case as 0. A count or a
 * ratio reads its whole months before the current one from the monthly rollup and only the rest from the facts rows
 * (`direct`: the facts rows alone, to check the rollup against).
 */
export async function metricRows(
  db: Knex,
  metric: Metric,
  g: Grouping | null,
  w: StatisticsWindow,
  scope: StatisticsScope,
  only?: GroupFilter,
  opts: { direct?: boolean } = {},
): Promise<MetricRow[]> {
  const months = opts.direct ? null : await rollupMonthsToDate(db, metric, g, w, only);
  const bindings = {
    filterKey: only?.key ?? null,
    fromAt: chinaMidnight(w.from),
    toAt: chinaMidnight(addDays(w.to, 1)),
    from: w.from,
    to: w.to,
    now: w.now,
    nearBy: w.nearBy,
    today: chinaDateOf(w.now),
    scopeId: scopeIdOf(scope),
    rollupFrom: months?.from ?? null,
    rollupTo: months?.to ?? null,
    rollupFromAt: months ? chinaMidnight(months.from) : null,
    rollupToAt: months ? chinaMidnight(months.to) : null,
  };
  if (months && metric.kind === 'duration' && scope !== 'none') return durationRows(db, metric, g, scope, bindings);
  // A group appears as it does from the facts: when one of its cases meets the metric's (denominator's) condition.
  const facts = (excluding: boolean) =>
    `SELECT ${groupKeySql(g, metric)} AS key, ${aggregatesSql(metric)} ${fromWhereSql(metric, g, scope as Exclude<StatisticsScope, 'none'>, only, excluding)} GROUP BY 1`;
  const grouped =
    scope === 'none'
      ? `SELECT NULL::timestamp AS key, 0::bigint AS numerator, 0::bigint AS denominator WHERE FALSE`
      : !opts.direct && openInRollup(metric, g, only)
        ? `SELECT * FROM (${groupRollupSql(metric, g, scope, true)}) open WHERE denominator > 0`
        : months
          ? `SELECT key, sum(numerator)::bigint AS numerator, sum(denominator)::bigint AS denominator
           FROM (${rollupSql(metric, g, scope, only)} UNION ALL ${facts(true)}) parts
           GROUP BY key HAVING sum(denominator) > 0`
          : facts(false);
  const sql =
    g === 'month'
      ? `WITH grouped AS (${grouped})
         SELECT grouped.*, to_char(m.d, 'YYYY-MM') AS key
         FROM generate_series(date_trunc('month', CAST(:from AS timestamp)), CAST(:to AS timestamp), interval '1 month') m(d)
         LEFT JOIN grouped ON grouped.key = m.d ORDER BY m.d`
      : `SELECT * FROM (${grouped}) grouped ORDER BY key`;
  const { rows } = await db.raw(sql, bindings);
  return (rows as Record<string, unknown>[]).map((r) => metricRowOf(metric, r, g ? String(r.key) : 'total'));
}

/** A group's durations: the mediations concluded, and their calendar and working days as histograms. */
type DurationGroup = { mediated: number; cal: DayHistogram; work: DayHistogram };

/**
 * A duration metric's figures from its rollup's whole months (db/case-facts-durations.ts) and the period's ends from
 * the facts rows (their values, as a histogram), merged per group, summarised as percentile_cont and avg summarise the
 * facts (domain/statistics.ts summarizeHistogram). Groups come in the database's order of their keys, as from the facts.
 */
async function durationRows(
  db: Knex,
  metric: Metric,
  g: Grouping | null,
  scope: Exclude<StatisticsScope, 'none'>,
  bindings: Record<string, unknown> & { from: string; to: string },
): Promise<MetricRow[]> {
  const [cal, work] = durationColumns(metric);
  const key = g === 'month' ? `to_char(${groupKeySql(g, metric)}, 'YYYY-MM')` : groupKeySql(g, metric);
  const ends = `SELECT ${key} AS key, count(*) AS mediated, NULL::int[] AS cal, NULL::int[] AS work,
      array_agg(${cal}) FILTER (WHERE ${cal} IS NOT NULL) AS cal_values,
      array_agg(${work}) FILTER (WHERE ${work} IS NOT NULL) AS work_values
    ${fromWhereSql(metric, g, scope, undefined, true)} GROUP BY 1`;
  const rollup = durationRollupSql(metric.from ?? 'acceptance', g);
  const { rows } = await db.raw(`SELECT * FROM (${rollup} UNION ALL ${ends}) parts ORDER BY key`, {
    ...bindings,
    scopeKind: scope === 'all' ? 'all' : 'orgId' in scope ? 'org' : 'mediator',
    scopeId: scopeIdOf(scope) ?? '',
  });
  const groups = new Map<string, DurationGroup>();
  for (const r of rows as { key: string; mediated: string; [list: string]: number[] | string | null }[]) {
    const group = groups.get(r.key) ?? { mediated: 0, cal: [], work: [] };
    group.mediated += Number(r.mediated);
    addHistograms(group.cal, (r.cal as number[] | null) ?? histogramOf((r.cal_values as number[] | null) ?? []));
    addHistograms(group.work, (r.work as number[] | null) ?? histogramOf((r.work_values as number[] | null) ?? []));
    groups.set(r.key, group);
  }
  const figures = (k: string, d?: DurationGroup): MetricRow => ({
    key: k,
    numerator: d ? d.cal.reduce((n, c) => n + (c ?? 0), 0) : 0,
    denominator: d?.mediated ?? 0,
    calendarDays: summarizeHistogram(d?.cal ?? []),
    workingDays: summarizeHistogram(d?.work ?? []),
  });
  // Every month of the window, one without a mediation empty; other groups as they have mediations (as from the facts).
  if (g === 'month') return monthsBetween(bindings.from, bindings.to).map((m) => figures(m, groups.get(m)));
  return [...groups.entries()].filter(([, d]) => d.mediated > 0).map(([k, d]) => figures(k, d));
}

/** A duration metric's facts columns: calendar and working days. */
const durationColumns = (metric: Metric): [string, string] =>
  metric.from === 'mediator_acceptance'
    ? ['f.days_from_mediator_acceptance', 'f.working_days_from_mediator_acceptance']
    : ['f.days_from_acceptance', 'f.working_days_from_acceptance'];

/** A database row as figures: counts as numbers, an empty group as 0. */
function metricRowOf(metric: Metric, r: Record<string, unknown>, key: string): MetricRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const row: MetricRow = { key, numerator: n(r.numerator) ?? 0, denominator: n(r.denominator) ?? 0 };
  if (metric.kind !== 'duration') return row;
  const summary = (p: string): DurationSummary => ({
    median: roundOrNull(n(r[`${p}_median`])),
    p90: roundOrNull(n(r[`${p}_p90`])),
    mean: roundOrNull(n(r[`${p}_mean`])),
  });
  return { ...row, calendarDays: summary('cal'), workingDays: summary('work') };
}

const roundOrNull = (v: number | null) => (v === null ? null : round2(v));

/** 00:00 China Standard Time of a date (UTC+8, no daylight saving). */
const chinaMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`);

/** The names groups are labelled with: organizations' and mediators' (ids the facts hold). */
export async function groupNames(db: Knex, g: Grouping, keys: readonly string[]): Promise<Map<string, string>> {
  const ids = keys.filter(Boolean);
  if (ids.length === 0 || (g !== 'organization' && g !== 'mediator')) return new Map();
  const rows =
    g === 'organization'
      ? await db('organizations').whereIn('org_id', ids).select('org_id as id', 'name')
      : await db('staff_accounts')
          .whereIn(
            'account_id',
            ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)),
          )
          .select('account_id as id', 'display_name as name');
  return new Map(rows.map((r: { id: string; name: string }) => [r.id, r.name]));
}

// The monthly rollup's part -----------------------------------------------------------------------------------

/** The rollup's key of each grouping it holds (status, age and rule are figures as they stand: never in it). */
const ROLLUP_KEYS: Partial<Record<Grouping, string>> = {
  month: 'm.month::timestamp',
  disputeType: 'm.dispute_type',
  organization: 'm.org_id',
  mediator: 'm.mediator_account_id',
  channel: 'm.channel',
  county: 'm.county',
  priorityGroup: 'pg.g',
};

/** Whether a rollup holds the metric so grouped: a count or a ratio in the monthly one, durations in theirs. */
function inRollup(metric: Metric, g: Grouping | null, only?: GroupFilter): boolean {
  // The durations' rollup is kept per group, not per combination: one dispute type's or county's months read the facts.
  if (metric.kind === 'duration') return !only && (!g || DURATION_GROUP_KINDS[g] !== undefined);
  const counted = metric.kind === 'count' || metric.kind === 'ratio';
  if (!counted || (g && !ROLLUP_KEYS[g])) return false;
  return (
    rollupHolds(metric.datedBy, metric.numerator) && rollupHolds(metric.datedBy, metric.denominator ?? metric.numerator)
  );
}

/**
 * The whole months of the window (first days, the end excluded) a rollup can answer for: a metric it holds, grouped as
 * it holds, and months that ended before the current one began; null for none.
 */
function rollupMonths(
  metric: Metric,
  g: Grouping | null,
  w: StatisticsWindow,
  only?: GroupFilter,
): { from: string; to: string } | null {
  if (!inRollup(metric, g, only)) return null;
  const first = w.from.endsWith('-01') ? w.from : `${nextMonth(w.from.slice(0, 7))}-01`;
  const afterLast = `${addDays(w.to, 1).slice(0, 7)}-01`;
  const current = `${chinaDateOf(w.now).slice(0, 7)}-01`;
  const to = afterLast < current ? afterLast : current;
  return first < to ? { from: first, to } : null;
}

/**
 * The rollup's months (rollupMonths), and the window's last month too when no case is dated after the window's end (the
 * milestone's latest time, one step down its index, is before it): that month's rollup rows then count exactly the
 * window's days, so a period up to today reads no facts rows after the current month began. Not for the last
 * instalment's due time, which is dated ahead and counted only once due.
 */
async function rollupMonthsToDate(
  db: Knex,
  metric: Metric,
  g: Grouping | null,
  w: StatisticsWindow,
  only?: GroupFilter,
): Promise<{ from: string; to: string } | null> {
  const months = rollupMonths(metric, g, w, only);
  // Ratings are dated by when they were given (their own index), the rest by a facts column.
  const latest =
    metric.datedBy === RATED_DATED
      ? 'SELECT max(rated_at) AS last FROM ratings'
      : ROLLUP_DATED[metric.datedBy] && `SELECT max(${ROLLUP_DATED[metric.datedBy]}) AS last FROM case_facts`;
  if (!inRollup(metric, g, only) || !latest || metric.datedBy === 'last_instalment_due') return months;
  const first = w.from.endsWith('-01') ? w.from : `${nextMonth(w.from.slice(0, 7))}-01`;
  const to = `${nextMonth(w.to.slice(0, 7))}-01`;
  if (first >= to || (months && months.to >= to)) return months;
  const { rows } = await db.raw(latest);
  const last = (rows as { last: Date | null }[])[0]?.last;
  // No case dated so at all: nothing to gain, and the facts rows alone say so (as right after they are cleared).
  return last && last < chinaMidnight(addDays(w.to, 1)) ? { from: first, to } : months;
}

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * The rollup's rows of the whole months, in the scope, summed by the group's key: from the counts by scope and group (a
 * dozen rows a group for a year), or for one dispute type's or county's cases from the combinations'.
 */
function rollupSql(metric: Metric, g: Grouping | null, scope: StatisticsScope, only?: GroupFilter): string {
  if (!only && scope !== 'none') return groupRollupSql(metric, g, scope);
  const key = g ? ROLLUP_KEYS[g]! : "'total'";
  const scoped =
    scope === 'all'
      ? 'TRUE'
      : typeof scope === 'object' && 'orgId' in scope
        ? '(m.intake_org_id = :scopeId OR m.handling_org_id = :scopeId)'
        : 'm.mediator_account_id = :scopeId';
  const filter = only
    ? only.groupBy === 'disputeType'
      ? 'm.dispute_type = :filterKey'
      : 'm.county = :filterKey'
    : 'TRUE';
  const pg =
    g === 'priorityGroup'
      ? ` CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN m.priority_groups = '[]'::jsonb THEN '[""]'::jsonb ELSE m.priority_groups END) pg(g)`
      : '';
  return `SELECT ${key} AS key, sum(m.n_${metric.numerator})::bigint AS numerator,
      sum(m.n_${metric.denominator ?? metric.numerator})::bigint AS denominator
    FROM case_facts_monthly m${pg}
    WHERE m.dated = '${metric.datedBy}' AND m.month >= CAST(:rollupFrom AS date) AND m.month < CAST(:rollupTo AS date)
      AND ${scoped} AND ${filter}
    GROUP BY 1`;
}

/** 在办 (cases open now) from the rollup: every grouping it holds but one dispute type's or county's cases. */
const openInRollup = (metric: Metric, g: Grouping | null, only?: GroupFilter) =>
  metric.numerator === 'open' && metric.kind === 'count' && !only && (!g || ROLLUP_KEYS[g] !== undefined);

/**
 * The counts by scope and group (db/case-facts-monthly.ts) of the whole months, the scope's id bound as :scopeId; or
 * (`open`) the cases open now, in every month of intake.
 */
function groupRollupSql(
  metric: Metric,
  g: Grouping | null,
  scope: Exclude<StatisticsScope, 'none'>,
  open = false,
): string {
  const kind = g ? DURATION_GROUP_KINDS[g]! : 'total';
  const key = g === 'month' ? 'm.month::timestamp' : g ? 'm.group_key' : "'total'";
  const scopeKind = scope === 'all' ? 'all' : 'orgId' in scope ? 'org' : 'mediator';
  const [numerator, denominator] = open ? ['all', 'all'] : [metric.numerator, metric.denominator ?? metric.numerator];
  const months = open ? 'TRUE' : 'm.month >= CAST(:rollupFrom AS date) AND m.month < CAST(:rollupTo AS date)';
  return `SELECT ${key} AS key, sum(m.n_${numerator})::bigint AS numerator, sum(m.n_${denominator})::bigint AS denominator
    FROM case_facts_monthly_groups m
    WHERE m.scope_kind = '${scopeKind}' AND m.scope_id = coalesce(CAST(:scopeId AS text), '')
      AND m.group_kind = '${kind}' AND m.dated = '${open ? OPEN_DATED : metric.datedBy}' AND ${months}
    GROUP BY 1`;
}

// Risk alerts ------------------------------------------------------------------------------------------------

/**
 * Cases received per month (Beijing time) and per dispute type or county, in the scope, over whole months that ended
 * before the current one (`first` to `last`, YYYY-MM, both included): read from the monthly rollup.
 */
export async function receivedByGroupAndMonth(
  db: Knex,
  g: GroupFilter['groupBy'],
  months: { first: string; last: string },
  scope: StatisticsScope,
): Promise<{ key: string; month: string; count: number }[]> {
  if (scope === 'none') return [];
  const scoped =
    scope === 'all'
      ? 'TRUE'
      : 'orgId' in scope
        ? '(m.intake_org_id = :scopeId OR m.handling_org_id = :scopeId)'
        : 'm.mediator_account_id = :scopeId';
  const { rows } = await db.raw(
    `SELECT ${g === 'disputeType' ? 'm.dispute_type' : 'm.county'} AS key, to_char(m.month, 'YYYY-MM') AS month,
            sum(m.n_all)::bigint AS count
     FROM case_facts_monthly m
     WHERE m.dated = 'received' AND m.month >= CAST(:first AS date) AND m.month <= CAST(:last AS date) AND ${scoped}
     GROUP BY 1, 2 HAVING sum(m.n_all) > 0`,
    { first: `${months.first}-01`, last: `${months.last}-01`, scopeId: scopeIdOf(scope) },
  );
  return (rows as { key: string; month: string; count: number }[]).map((r) => ({ ...r, count: Number(r.count) }));
}

/** The ids of the cases of one dispute type or county received in one month, in the scope, oldest first. */
export async function receivedCaseIds(
  db: Knex,
  only: GroupFilter,
  range: { fromAt: Date; toAt: Date },
  scope: StatisticsScope,
  limit: number,
): Promise<string[]> {
  if (scope === 'none') return [];
  const { rows } = await db.raw(
    `SELECT f.case_id FROM case_facts f
     WHERE ${scopeSql(scope)} AND ${FILTER_SQL[only.groupBy]} AND f.received_at >= :fromAt AND f.received_at < :toAt
     ORDER BY f.received_at, f.case_id LIMIT :limit`,
    { ...range, scopeId: scopeIdOf(scope), filterKey: only.key, limit },
  );
  return (rows as { case_id: string }[]).map((r) => r.case_id);
}

const scopeIdOf = (scope: StatisticsScope) =>
  typeof scope === 'object' ? ('orgId' in scope ? scope.orgId : scope.mediatorId) : null;

/** 00:00 Beijing time on the first of a month (YYYY-MM). */
export const chinaMonthStart = (month: string): Date => chinaMidnight(`${month}-01`);
