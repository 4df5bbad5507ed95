/**
 * The monthly rollup of the mediations' durations (migration 20261207070000; docs/supervision.md#statistics): for each
 * month (Beijing time) a mediation concluded in, each scope that counts it (every case; the organization that took it
 * in and the one handling it; its mediator) and each group a series shows it in (the total, its dispute type,
 * organization, mediator, channel, county, each priority group), how many mediations concluded and a histogram of
 * their durations per measure (from acceptance and from the mediator's acceptance, in calendar and in working days).
 *
 * Why this shape. Durations are whole days, so a histogram (`counts[d]` mediations took d days) is exact: the median
 * and P90 are percentile_cont's interpolation over the sorted values it holds, the mean its sum over its count
 * (domain/statistics.ts summarizeHistogram). The counts' rollup (db/case-facts-monthly.ts) keys every combination of
 * the attributes, about 1,600 rows a month at a million cases with a score of mediations each: a histogram per
 * such row, or a row per (row, measure, day), would hold about as many entries as there are mediations, and read no
 * less than the facts. Keyed by (scope, group) instead, a month holds one row per group a reader can ask for: the
 * summary reads one row a month, a series one per group a month, each with its four histograms as int arrays
 * (element i + 1 counts i days), merged in TypeScript with the period's ends read from the facts rows. A case
 * touches about thirty rows when it concludes (or when its facts move after that), in one statement in key order.
 * Which rows a mediation counts in is worked out in one place, `rowKeysOf`, for the upkeep, the rebuild (a month of
 * facts at a time) and the drift check alike.
 */
import type { Knex } from 'knex';
import { prepared } from './knex.js';
import type { Grouping } from '../domain/statistics.js';

type Tx = Knex | Knex.Transaction;

/** The four histograms: the facts column each counts. */
export const DURATION_MEASURES = {
  cal_from_acceptance: 'days_from_acceptance',
  work_from_acceptance: 'working_days_from_acceptance',
  cal_from_mediator_acceptance: 'days_from_mediator_acceptance',
  work_from_mediator_acceptance: 'working_days_from_mediator_acceptance',
} as const;
type Measure = keyof typeof DURATION_MEASURES;
const MEASURES = Object.keys(DURATION_MEASURES) as Measure[];

/** The groupings the rollup holds, with the group kind it stores them under (a month is the total of that month). */
export const DURATION_GROUP_KINDS: Partial<Record<Grouping, string>> = {
  month: 'total',
  disputeType: 'disputeType',
  organization: 'organization',
  mediator: 'mediator',
  channel: 'channel',
  county: 'county',
  priorityGroup: 'priorityGroup',
};

const KEY = ['scope_kind', 'scope_id', 'group_kind', 'month', 'group_key'] as const;
type RowKey = Record<(typeof KEY)[number], string>;
/** A rollup row: its key, its mediations, and a histogram per measure (index: days). */
type RollupRow = RowKey & { n_mediated: number } & Record<Measure, number[]>;

/** What a concluded mediation's facts row brings to the rollup: its month, its attributes and its four durations. */
type MediationFacts = {
  month: string;
  intake_org_id: string | null;
  handling_org_id: string | null;
  org_id: string;
  mediator_account_id: string;
  dispute_type: string;
  channel: string;
  county: string;
  priority_groups: string[];
} & Record<Measure, number | null>;

/** The facts rows the rollups count: the table's, or (STORED_ROW) one row as it stood, bound as its to_jsonb. */
const factsSql = (
  source = 'case_facts',
) => `SELECT to_char(date_trunc('month', f.concluded_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS month,
    f.intake_org_id, f.handling_org_id, coalesce(f.org_id, '') AS org_id,
    coalesce(f.mediator_account_id::text, '') AS mediator_account_id, f.dispute_type, f.channel,
    coalesce(f.county, '') AS county, f.priority_groups,
    ${MEASURES.map((m) => `f.${DURATION_MEASURES[m]} AS ${m}`).join(', ')}
  FROM ${source} f WHERE f.outcome IN ('agreement', 'failed') AND f.concluded_at IS NOT NULL`;
const FACTS_SQL = factsSql();

/**
 * A facts row as it stood before a write (`to_jsonb` of it, read in the same transaction), and the source that
 * reads it back as a row of the table: the old contribution is worked out by the same SQL after the row has moved.
 */
export type StoredFactsRow = Record<string, unknown>;
export const STORED_ROW = 'jsonb_populate_record(NULL::case_facts, CAST(? AS jsonb))';
/** The facts as a stored facts row gives them (binding: the row's JSON). */
const STORED_FACTS_SQL = factsSql(STORED_ROW);

type Query = { sql: string; bindings: Knex.RawBinding[] };

/**
 * A case's rows for a rollup as its facts row stood (`stored`, reading STORED_ROW) and as it stands now (`current`),
 * in one statement; without `stored` (the case had no facts row), only the current ones.
 */
export async function rowsBeforeAndAfter<T extends object>(
  trx: Tx,
  current: Query,
  stored?: Query,
): Promise<{ before: T[]; after: T[] }> {
  if (!stored) return { before: [], after: (await prepared(trx, current.sql, current.bindings)).rows as T[] };
  const { rows } = await prepared(
    trx,
    `SELECT false AS now, b.* FROM (${stored.sql}) b UNION ALL SELECT true, a.* FROM (${current.sql}) a`,
    [...stored.bindings, ...current.bindings],
  );
  const before: T[] = [];
  const after: T[] = [];
  for (const { now, ...row } of rows as (T & { now: boolean })[]) (now ? after : before).push(row as unknown as T);
  return { before, after };
}

/**
 * The rows a concluded mediation counts in: each scope that counts it, as db/case-facts.ts scopes the facts (every
 * case; an organization, the one that took it in or the one handling it, once when both; its mediator), times each
 * group it is shown in (a case in no priority group is in the group '', 非优先服务对象; one in two groups in each).
 */
function rowKeysOf(f: MediationFacts): RowKey[] {
  return scopeGroupKeys(f).map(([scope_kind, scope_id, group_kind, group_key]) => ({
    scope_kind,
    scope_id,
    group_kind,
    month: f.month,
    group_key,
  }));
}

/** The attributes a case is scoped and grouped by, as its facts row holds them ('' or null for none). */
export type ScopedAttributes = Pick<
  MediationFacts,
  'intake_org_id' | 'handling_org_id' | 'org_id' | 'mediator_account_id' | 'dispute_type' | 'channel' | 'county'
> & { priority_groups: string[] };

/**
 * Each (scope kind, scope id, group kind, group key) a case counts in, for this rollup and the counts' one by scope
 * and group (db/case-facts-monthly.ts): every scope that counts it times every group it is shown in.
 */
export function scopeGroupKeys(f: ScopedAttributes): [string, string, string, string][] {
  const scopes: [string, string][] = [['all', '']];
  if (f.intake_org_id) scopes.push(['org', f.intake_org_id]);
  if (f.handling_org_id && f.handling_org_id !== f.intake_org_id) scopes.push(['org', f.handling_org_id]);
  if (f.mediator_account_id) scopes.push(['mediator', f.mediator_account_id]);
  const groups: [string, string][] = [
    ['total', ''],
    ['disputeType', f.dispute_type],
    ['organization', f.org_id],
    ['mediator', f.mediator_account_id],
    ['channel', f.channel],
    ['county', f.county],
    ...(f.priority_groups.length ? f.priority_groups : ['']).map((g): [string, string] => ['priorityGroup', g]),
  ];
  return scopes.flatMap(([scopeKind, scopeId]) =>
    groups.map(([groupKind, groupKey]): [string, string, string, string] => [scopeKind, scopeId, groupKind, groupKey]),
  );
}

/**
 * scopeGroupKeys in SQL, for a row `r` holding the attributes as text ('' for none; `priority_groups` a JSON array):
 * joined after it, it gives one row per (s.kind, s.id, g.kind, g.key) the row counts in. The upkeep expands a case's
 * change this way in the statement that adds it up (db/case-facts-monthly.ts); the rebuild and the drift check use
 * scopeGroupKeys, so a difference between the two shows as drift (test/db/statistics-rollup.test.ts).
 */
export const SCOPE_GROUP_JOIN = `CROSS JOIN LATERAL (VALUES ('all', ''), ('org', nullif(r.intake_org_id, '')),
    ('org', CASE WHEN nullif(r.handling_org_id, '') IS DISTINCT FROM nullif(r.intake_org_id, '')
      THEN nullif(r.handling_org_id, '') END),
    ('mediator', nullif(r.mediator_account_id, ''))) s(kind, id)
  CROSS JOIN LATERAL (VALUES ('total', ''), ('disputeType', r.dispute_type), ('organization', r.org_id),
    ('mediator', r.mediator_account_id), ('channel', r.channel), ('county', r.county)
    UNION ALL SELECT 'priorityGroup', p FROM jsonb_array_elements_text(
      CASE WHEN jsonb_array_length(r.priority_groups::jsonb) = 0 THEN '[""]'::jsonb ELSE r.priority_groups::jsonb END) p
  ) g(kind, key)`;
/** The scopes SCOPE_GROUP_JOIN leaves out: an organization or a mediator the row has none of. */
export const SCOPE_GROUP_WHERE = 's.id IS NOT NULL';

const keyOf = (r: RowKey) => JSON.stringify(KEY.map((k) => r[k]));

/** Rollup rows being added up: mediations counted in (sign 1) or taken off (sign -1). */
class RollupSums {
  readonly rows = new Map<string, RollupRow>();

  add(f: MediationFacts, sign: 1 | -1): void {
    for (const key of rowKeysOf(f)) {
      const k = keyOf(key);
      const empty = Object.fromEntries(MEASURES.map((m) => [m, [] as number[]])) as Record<Measure, number[]>;
      const row = this.rows.get(k) ?? { ...key, n_mediated: 0, ...empty };
      row.n_mediated += sign;
      for (const m of MEASURES) {
        const days = f[m];
        if (days !== null) row[m][days] = (row[m][days] ?? 0) + sign;
      }
      this.rows.set(k, row);
    }
  }

  /** The rows that hold anything, in key order, their histograms without holes. */
  sorted(): RollupRow[] {
    return [...this.rows.entries()]
      .filter(([, r]) => r.n_mediated !== 0 || MEASURES.some((m) => r[m].some((n) => n)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => ({ ...r, ...Object.fromEntries(MEASURES.map((m) => [m, Array.from(r[m], (n) => n ?? 0)])) }));
  }
}

/**
 * A case's facts as the rollup counts them (nothing unless it is a concluded mediation), as its facts row stood
 * (`asStored`, none when it had no row) and as it stands now.
 */
export function durationFactsBeforeAndAfter(
  trx: Tx,
  caseId: string,
  asStored: StoredFactsRow | undefined,
): Promise<{ before: MediationFacts[]; after: MediationFacts[] }> {
  return rowsBeforeAndAfter<MediationFacts>(
    trx,
    { sql: `${FACTS_SQL} AND f.case_id = ?`, bindings: [caseId] },
    asStored && { sql: STORED_FACTS_SQL, bindings: [JSON.stringify(asStored)] },
  );
}

/** Element by element: a histogram plus a difference (the shorter one padded with zeros). */
const addArrays = (a: string, b: string) =>
  `ARRAY(SELECT coalesce(u.a, 0) + coalesce(u.b, 0) FROM unnest(${a}, ${b}) WITH ORDINALITY u(a, b, i) ORDER BY u.i)`;

/** Adds rows to the rollup (a new row as it is, an existing one summed), in the order given. */
async function addRows(trx: Tx, rows: RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  await prepared(
    trx,
    `INSERT INTO case_facts_monthly_durations AS m (${[...KEY, 'n_mediated', ...MEASURES].join(', ')})
     SELECT ${KEY.map((k) => (k === 'month' ? 'r.month::date' : `r.${k}`)).join(', ')}, r.n_mediated,
       ${MEASURES.map((m) => `r.${m}::int[]`).join(', ')}
     FROM jsonb_to_recordset(?::jsonb) AS r(${KEY.map((k) => `${k} text`).join(', ')}, n_mediated bigint,
       ${MEASURES.map((m) => `${m} text`).join(', ')})
     ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET n_mediated = m.n_mediated + EXCLUDED.n_mediated,
       ${MEASURES.map((m) => `${m} = ${addArrays(`m.${m}`, `EXCLUDED.${m}`)}`).join(', ')}`,
    // Histograms as array literals: PostgreSQL reads them several times faster than JSON arrays.
    [
      JSON.stringify(
        rows.map((r) => ({ ...r, ...Object.fromEntries(MEASURES.map((m) => [m, `{${r[m].join(',')}}`])) })),
      ),
    ],
  );
}

/**
 * Moves the durations' rollup from a case's old facts to its new ones: the difference per row, rows that come out
 * unchanged left alone, the rest in one statement in key order (two cases' transactions lock shared rows in the same
 * order, as db/case-facts-monthly.ts moveContribution does).
 */
export async function moveDurationFacts(trx: Tx, before: MediationFacts[], after: MediationFacts[]): Promise<void> {
  const sums = new RollupSums();
  for (const f of before) sums.add(f, -1);
  for (const f of after) sums.add(f, 1);
  await addRows(trx, sums.sorted());
}

/** The months (first days) that hold a concluded mediation. */
async function monthsConcluded(db: Tx): Promise<string[]> {
  const { rows } = await db.raw(`SELECT DISTINCT month FROM (${FACTS_SQL}) f ORDER BY month`);
  return (rows as { month: string }[]).map((r) => r.month);
}

/** The rollup's rows of one month computed from the facts (a month's mediations at a time: memory stays small). */
async function freshRows(db: Tx, month: string): Promise<RollupRow[]> {
  const { rows } = await db.raw(
    `${FACTS_SQL} AND f.concluded_at >= (CAST(:month AS timestamp) AT TIME ZONE 'Asia/Shanghai')
       AND f.concluded_at < ((CAST(:month AS timestamp) + interval '1 month') AT TIME ZONE 'Asia/Shanghai')`,
    { month },
  );
  const sums = new RollupSums();
  for (const f of rows as MediationFacts[]) sums.add(f, 1);
  return sums.sorted();
}

const CHUNK = 2000;

/**
 * Rewrites the durations' rollup from the facts, a month at a time, in the caller's transaction
 * (db/case-facts-monthly.ts rebuildMonthlyRollup, which has locked both rollups' tables: a case's upkeep meanwhile
 * waits, then adds its difference to the rebuilt rows).
 */
export async function rebuildDurationRollup(trx: Knex.Transaction): Promise<void> {
  await trx.raw('DELETE FROM case_facts_monthly_durations');
  for (const month of await monthsConcluded(trx)) {
    const rows = await freshRows(trx, month);
    for (let i = 0; i < rows.length; i += CHUNK) await addRows(trx, rows.slice(i, i + CHUNK));
  }
}

/** A row's entries: its mediations and each measure's non-zero counts by day. */
function entriesOf(r: RollupRow): string[] {
  const k = keyOf(r);
  const out = r.n_mediated ? [`${k} mediated ${r.n_mediated}`] : [];
  for (const m of MEASURES) (r[m] ?? []).forEach((n, d) => n && out.push(`${k} ${m}[${d}] ${n}`));
  return out;
}

/**
 * The entries (a row's mediations, or one day's count of one measure) where the durations' rollup and the facts
 * disagree, both ways: empty when the upkeep kept it right. For tests and for checking a database by hand.
 */
export async function durationRollupDrift(db: Tx): Promise<string[]> {
  const { rows } = await db.raw(
    `SELECT ${KEY.map((k) => (k === 'month' ? "to_char(month, 'YYYY-MM-DD') AS month" : k)).join(', ')},
       n_mediated::int AS n_mediated, ${MEASURES.join(', ')} FROM case_facts_monthly_durations`,
  );
  const stored = new Set((rows as RollupRow[]).flatMap(entriesOf));
  const fresh = new Set<string>();
  for (const month of await monthsConcluded(db))
    for (const r of await freshRows(db, month)) entriesOf(r).forEach((e) => fresh.add(e));
  return [...[...stored].filter((e) => !fresh.has(e)), ...[...fresh].filter((e) => !stored.has(e))];
}

/**
 * The rollup's rows of a period's whole months for one duration metric, in a scope, grouped (`group` from
 * DURATION_GROUP_KINDS; the month's rows keyed YYYY-MM): each row's mediations and its two histograms (calendar and
 * working days). Bindings: scopeKind, scopeId, rollupFrom, rollupTo (first days, the end excluded).
 */
export function durationRollupSql(from: 'acceptance' | 'mediator_acceptance', g: Grouping | null): string {
  const kind = g ? DURATION_GROUP_KINDS[g]! : 'total';
  const key = g === 'month' ? "to_char(m.month, 'YYYY-MM')" : g ? 'm.group_key' : "'total'";
  return `SELECT ${key} AS key, m.n_mediated AS mediated, m.cal_from_${from} AS cal, m.work_from_${from} AS work,
      NULL::int[] AS cal_values, NULL::int[] AS work_values
    FROM case_facts_monthly_durations m
    WHERE m.scope_kind = :scopeKind AND m.scope_id = :scopeId AND m.group_kind = '${kind}'
      AND m.month >= CAST(:rollupFrom AS date) AND m.month < CAST(:rollupTo AS date)`;
}
