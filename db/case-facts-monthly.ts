/**
 * The monthly rollup of the per-case facts (migration 20261206020000; docs/supervision.md#statistics): per milestone,
 * month (Beijing time) and combination of the attributes the figures group and scope by, how many cases meet each
 * condition. Moved with the facts row in the same transaction (the old row's contribution off, the new one's on, in
 * one statement in key order, so two cases' transactions never wait on each other crosswise), rebuilt with the facts,
 * and read by db/case-facts.ts metricRows for every whole month of a period that ended before now. Durations have a
 * rollup of their own, keyed otherwise (db/case-facts-durations.ts), rebuilt here with this one.
 *
 * Every combination is about 560 rows a month at 150,000 cases (1,600 at a million): a year's count read them all,
 * about 15 ms a metric at 150,000 cases, most of it a parallel plan's start. So the same counts are kept summed by
 * scope and group as well (case_facts_monthly_groups, migration 20261207100000; the scopes and groups of a row worked
 * out by db/case-facts-durations.ts scopeGroupKeys, as for the durations): a year's count in a scope, grouped, reads
 * a dozen rows per group. The combinations stay for a series of one dispute type or county (a forecast's) and the
 * risk alerts, which filter by one attribute and group by another.
 *
 * The ratings (满意率, 参评率) are counted here too (migration 20261207130000), by the rated case's attributes: a case's
 * contribution holds them, so they move with its facts; a rating written, or excluded or kept by 申诉复核, moves the
 * case's contribution in the same transaction, under the case row's lock (db/rating-facts.ts).
 */
import type { Knex } from 'knex';
import { prepared } from './knex.js';
import { SATISFIED_LEVELS } from '../domain/ratings.js';
import type { FactCondition, Milestone } from '../domain/statistics.js';
import {
  SCOPE_GROUP_JOIN,
  SCOPE_GROUP_WHERE,
  STORED_ROW,
  rebuildDurationRollup,
  rowsBeforeAndAfter,
  scopeGroupKeys,
  type ScopedAttributes,
  type StoredFactsRow,
} from './case-facts-durations.js';

type Tx = Knex | Knex.Transaction;

/** The milestones the rollup dates by, with their facts column. */
export const ROLLUP_DATED: Partial<Record<Milestone, string>> = {
  received: 'received_at',
  accepted: 'accepted_at',
  concluded: 'concluded_at',
  agreement_effective: 'agreement_effective_at',
  confirmation_ruled: 'confirmation_ruled_at',
  certificate_issued: 'certificate_issued_at',
  last_instalment_due: 'last_instalment_due_at',
};

/**
 * Beside the milestones, the cases open now (not concluded) dated by their intake, as the 'open' metric (在办) groups
 * them by month: all of their rows, whatever the period, are the figure as it stands (db/case-facts.ts metricRows).
 */
export const OPEN_DATED = 'open';
const OPEN_VALUES = `('${OPEN_DATED}', CASE WHEN f.concluded_at IS NULL THEN f.received_at END)`;

/** The conditions the rollup counts (a count's or a ratio's numerator and denominator), with their SQL over the facts. */
export const ROLLUP_COUNTS: Partial<Record<FactCondition, string>> = {
  all: 'TRUE',
  mediated: "f.outcome IN ('agreement', 'failed')",
  agreement: "f.outcome = 'agreement'",
  confirmation_applied: 'f.confirmation_applied_at IS NOT NULL',
  confirmed: "f.confirmation_outcome = 'confirmed'",
  notarization_applied: 'f.notarization_applied_at IS NOT NULL',
  performed: 'f.performed_at IS NOT NULL',
};

/** A rating `r` that counts: not excluded by 申诉复核 as mistaken or malicious (docs/supervision.md#ratings). */
export const COUNTED_RATING = "(r.review_outcome IS NULL OR r.review_outcome = 'kept')";
/** A rating `r` of 非常满意 or 满意 (满意率's numerator). */
export const SATISFIED_LEVEL = `r.level IN (${SATISFIED_LEVELS.map((l) => `'${l}'`).join(', ')})`;

/**
 * The ratings (migration 20261207130000): a case's ratings that count, on rows dated 'rated' by the month each was given
 * (满意率's denominator and numerator), and, on the case's 'concluded' row only, whether it has one (参评率's numerator,
 * dated by the conclusion): a rating moves two rows, not one per milestone of its case.
 */
export const RATED_DATED = 'rated';
export const ROLLUP_RATING_COUNTS: Partial<Record<FactCondition, string>> = {
  counted_rating: 'TRUE',
  satisfied_rating: SATISFIED_LEVEL,
};
const RATED_SQL = `d.dated = 'concluded' AND EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = f.case_id AND ${COUNTED_RATING})`;

/** Whether the rollup counts a condition on its rows dated by a milestone. */
export function rollupHolds(dated: Milestone, condition: FactCondition): boolean {
  if (dated === RATED_DATED) return ROLLUP_RATING_COUNTS[condition] !== undefined;
  if (!ROLLUP_DATED[dated]) return false;
  return condition === 'rated' ? dated === 'concluded' : ROLLUP_COUNTS[condition] !== undefined;
}

/** The key's attributes: each as the facts hold it, '' for none. */
const KEY = [
  'dated',
  'month',
  'dispute_type',
  'channel',
  'intake_org_id',
  'handling_org_id',
  'org_id',
  'county',
  'mediator_account_id',
  'priority_groups',
] as const;
const FACT_COUNTS = [...Object.keys(ROLLUP_COUNTS), 'rated'];
const RATING_COUNTS = Object.keys(ROLLUP_RATING_COUNTS);
const COUNTS = [...FACT_COUNTS, ...RATING_COUNTS].map((c) => `n_${c}`);

/** The key's attributes of a facts row `f` dated `at`. */
const keySql = (at: string) => `to_char(date_trunc('month', ${at} AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS month,
      f.dispute_type, f.channel, coalesce(f.intake_org_id, '') AS intake_org_id,
      coalesce(f.handling_org_id, '') AS handling_org_id, coalesce(f.org_id, '') AS org_id,
      coalesce(f.county, '') AS county, coalesce(f.mediator_account_id::text, '') AS mediator_account_id,
      f.priority_groups`;

/**
 * Each facts row's contribution: one row per milestone it has reached, its conditions counted; and one per month its
 * ratings that count were given in, counted by the rated case's attributes. `source` (the facts rows `f`) and `where`
 * (over them) are used twice each: their bindings are passed twice, in that order.
 */
function contributionSql(where: string, source = 'case_facts'): string {
  const dated = [...Object.entries(ROLLUP_DATED).map(([m, col]) => `('${m}', f.${col})`), OPEN_VALUES].join(', ');
  const counts = [...Object.entries(ROLLUP_COUNTS), ['rated', RATED_SQL]]
    .map(([c, sql]) => `count(*) FILTER (WHERE ${sql}) AS n_${c}`)
    .join(', ');
  const ratingCounts = Object.entries(ROLLUP_RATING_COUNTS)
    .map(([c, sql]) => `count(*) FILTER (WHERE ${sql}) AS n_${c}`)
    .join(', ');
  const groupBy = `GROUP BY ${KEY.map((_, i) => i + 1).join(', ')}`;
  return `SELECT * FROM (SELECT d.dated, ${keySql('d.at')}, ${counts}, ${RATING_COUNTS.map((c) => `0::bigint AS n_${c}`).join(', ')}
    FROM ${source} f CROSS JOIN LATERAL (VALUES ${dated}) d(dated, at)
    WHERE d.at IS NOT NULL AND ${where}
    ${groupBy}
    UNION ALL
    SELECT '${RATED_DATED}', ${keySql('r.rated_at')}, ${FACT_COUNTS.map((c) => `0::bigint AS n_${c}`).join(', ')}, ${ratingCounts}
    FROM ratings r JOIN ${source} f ON f.case_id = r.case_id
    WHERE ${COUNTED_RATING} AND ${where}
    ${groupBy}) contribution`;
}

type Contribution = Record<(typeof KEY)[number], unknown> & Record<string, unknown>;

/** A case's contribution now (bindings: its id twice), and as a stored facts row gives it (the row's JSON twice). */
const CASE_CONTRIBUTION = contributionSql('f.case_id = ?');
const STORED_CONTRIBUTION = contributionSql('TRUE', STORED_ROW);

/** What one case's facts row adds to the rollup now (nothing when it has no row). */
export async function caseContribution(trx: Tx, caseId: string): Promise<Contribution[]> {
  const { rows } = await trx.raw(CASE_CONTRIBUTION, [caseId, caseId]);
  return rows as Contribution[];
}

/** A case's contribution as its facts row stood (`asStored`, none when it had no row) and as it stands now. */
export function contributionBeforeAndAfter(
  trx: Tx,
  caseId: string,
  asStored: StoredFactsRow | undefined,
): Promise<{ before: Contribution[]; after: Contribution[] }> {
  const stored = JSON.stringify(asStored);
  return rowsBeforeAndAfter<Contribution>(
    trx,
    { sql: CASE_CONTRIBUTION, bindings: [caseId, caseId] },
    asStored && { sql: STORED_CONTRIBUTION, bindings: [stored, stored] },
  );
}

const keyOf = (r: Contribution) => JSON.stringify(KEY.map((k) => r[k]));

/**
 * Moves the rollup from a case's old contribution to its new one: the difference per key, rows that did not change
 * left alone, the rest added in one statement in key order (concurrent cases lock shared rows in the same order).
 */
export async function moveContribution(trx: Tx, before: Contribution[], after: Contribution[]): Promise<void> {
  const delta = new Map<string, Contribution>();
  const add = (r: Contribution, sign: number) => {
    const k = keyOf(r);
    const d = delta.get(k) ?? { ...r, ...Object.fromEntries(COUNTS.map((c) => [c, 0])) };
    for (const c of COUNTS) d[c] = Number(d[c]) + sign * Number(r[c]);
    delta.set(k, d);
  };
  for (const r of before) add(r, -1);
  for (const r of after) add(r, 1);
  const rows = [...delta.entries()]
    .filter(([, d]) => COUNTS.some((c) => d[c] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => ({ ...d, priority_groups: JSON.stringify(d.priority_groups) }));
  if (rows.length === 0) return;
  const changed = JSON.stringify(rows);
  // The counts by scope and group first (the order the rebuild locks them in), expanded from the same rows.
  await prepared(trx, ADD_GROUP_CHANGE, [changed]);
  await prepared(trx, ADD_CHANGE, [changed]);
}

/** A change's rows (moveContribution), given as one JSON array: its key's attributes as text, its counts. */
const DELTA_ROWS = `jsonb_to_recordset(?::jsonb) AS r(${KEY.map((k) => `${k} text`).join(', ')}, ${COUNTS.map((c) => `${c} bigint`).join(', ')})`;

const GROUP_KEY = ['scope_kind', 'scope_id', 'group_kind', 'dated', 'month', 'group_key'] as const;
type GroupRow = Record<(typeof GROUP_KEY)[number], string> & Record<string, number | string>;

/** moveContribution's statements, given a change's rows: the counts by scope and group, and the combinations. */
const ADD_GROUP_CHANGE = `INSERT INTO case_facts_monthly_groups AS m (${[...GROUP_KEY, ...COUNTS].join(', ')})
     SELECT s.kind, s.id, g.kind, r.dated, r.month::date, g.key, ${COUNTS.map((c) => `sum(r.${c})`).join(', ')}
     FROM ${DELTA_ROWS} ${SCOPE_GROUP_JOIN}
     WHERE ${SCOPE_GROUP_WHERE}
     GROUP BY 1, 2, 3, 4, 5, 6
     HAVING ${COUNTS.map((c) => `sum(r.${c}) <> 0`).join(' OR ')}
     ORDER BY 1, 2, 3, 4, 5, 6
     ON CONFLICT (${GROUP_KEY.join(', ')}) DO UPDATE SET ${COUNTS.map((c) => `${c} = m.${c} + EXCLUDED.${c}`).join(', ')}`;
const ADD_CHANGE = `INSERT INTO case_facts_monthly AS m (${[...KEY, ...COUNTS].join(', ')})
     SELECT ${KEY.map((k) => (k === 'month' ? 'r.month::date' : k === 'priority_groups' ? 'r.priority_groups::jsonb' : `r.${k}`)).join(', ')},
       ${COUNTS.map((c) => `r.${c}`).join(', ')}
     FROM ${DELTA_ROWS}
     ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET ${COUNTS.map((c) => `${c} = m.${c} + EXCLUDED.${c}`).join(', ')}`;

/** The combinations' rows summed per scope and group they count in (scopeGroupKeys), in key order, zeros left out. */
function groupRowsOf(rows: Contribution[]): GroupRow[] {
  const sums = new Map<string, GroupRow>();
  for (const r of rows) {
    const attributes = { ...r, priority_groups: parseGroups(r.priority_groups) } as unknown as ScopedAttributes;
    for (const [scope_kind, scope_id, group_kind, group_key] of scopeGroupKeys(attributes)) {
      const key = { scope_kind, scope_id, group_kind, dated: String(r.dated), month: String(r.month), group_key };
      const k = JSON.stringify(GROUP_KEY.map((c) => key[c]));
      const sum = sums.get(k) ?? { ...key, ...Object.fromEntries(COUNTS.map((c) => [c, 0])) };
      for (const c of COUNTS) sum[c] = Number(sum[c]) + Number(r[c]);
      sums.set(k, sum);
    }
  }
  return [...sums.entries()]
    .filter(([, d]) => COUNTS.some((c) => d[c] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/** Priority groups as a contribution row holds them: parsed, or as JSON text (a delta row about to be written). */
const parseGroups = (v: unknown): string[] => (typeof v === 'string' ? JSON.parse(v) : (v as string[]));

/** Adds rows to the counts by scope and group (a new row as it is, an existing one summed), in the order given. */
async function addGroupRows(trx: Tx, rows: GroupRow[]): Promise<void> {
  if (rows.length === 0) return;
  await prepared(
    trx,
    `INSERT INTO case_facts_monthly_groups AS m (${[...GROUP_KEY, ...COUNTS].join(', ')})
     SELECT ${GROUP_KEY.map((k) => (k === 'month' ? 'r.month::date' : `r.${k}`)).join(', ')}, ${COUNTS.map((c) => `r.${c}`).join(', ')}
     FROM jsonb_to_recordset(?::jsonb) AS r(${GROUP_KEY.map((k) => `${k} text`).join(', ')}, ${COUNTS.map((c) => `${c} bigint`).join(', ')})
     ON CONFLICT (${GROUP_KEY.join(', ')}) DO UPDATE SET ${COUNTS.map((c) => `${c} = m.${c} + EXCLUDED.${c}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}

/** The counts by scope and group of one month's combinations, from the combinations' rollup as it stands. */
async function groupRowsOfMonth(db: Tx, month: string): Promise<GroupRow[]> {
  const { rows } = await db.raw(
    `SELECT ${KEY.map((k) => (k === 'month' ? "to_char(month, 'YYYY-MM-DD') AS month" : k)).join(', ')}, ${COUNTS.join(', ')}
     FROM case_facts_monthly WHERE month = CAST(? AS date)`,
    [month],
  );
  return groupRowsOf(rows as Contribution[]);
}

const rollupMonthsHeld = async (db: Tx): Promise<string[]> =>
  (
    (await db.raw(`SELECT DISTINCT to_char(month, 'YYYY-MM-DD') AS month FROM case_facts_monthly ORDER BY 1`)).rows as {
      month: string;
    }[]
  ).map((r) => r.month);

/** Rewrites the counts by scope and group from the combinations' rollup, a month at a time. */
async function rebuildGroupRollup(trx: Knex.Transaction): Promise<void> {
  await trx.raw('DELETE FROM case_facts_monthly_groups');
  for (const month of await rollupMonthsHeld(trx)) {
    const rows = await groupRowsOfMonth(trx, month);
    for (let i = 0; i < rows.length; i += 2000) await addGroupRows(trx, rows.slice(i, i + 2000));
  }
}

/**
 * Rewrites the whole rollup from the facts, and the durations' rollup with it (db/case-facts-durations.ts). The tables
 * are locked first, in the order the upkeep writes them (moveContribution: the groups, the combinations, then
 * moveDurationFacts: the durations), so neither waits on the other crosswise: a case's upkeep meanwhile waits, then adds its difference to
 * the rebuilt rows (its new facts row, not yet committed, was not counted; its old one was).
 */
export async function rebuildMonthlyRollup(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw(
      'LOCK TABLE case_facts_monthly_groups, case_facts_monthly, case_facts_monthly_durations IN EXCLUSIVE MODE',
    );
    await trx.raw('DELETE FROM case_facts_monthly');
    await trx.raw(
      `INSERT INTO case_facts_monthly (${[...KEY, ...COUNTS].join(', ')})
       SELECT ${KEY.map((k) => (k === 'month' ? 'c.month::date' : `c.${k}`)).join(', ')}, ${COUNTS.map((c) => `c.${c}`).join(', ')}
       FROM (${contributionSql('TRUE')}) c`,
    );
    await rebuildGroupRollup(trx);
    await rebuildDurationRollup(trx);
  });
  await db.raw('ANALYZE case_facts_monthly');
  await db.raw('ANALYZE case_facts_monthly_groups');
  await db.raw('ANALYZE case_facts_monthly_durations');
}

/**
 * The rows where the rollup and the facts disagree (each key's counts both ways; rows at 0 count as absent): empty
 * when the upkeep kept it right. For tests and for checking a database by hand.
 */
export async function monthlyRollupDrift(db: Knex): Promise<Record<string, unknown>[]> {
  const stored = `SELECT ${KEY.map((k) => (k === 'month' ? "to_char(month, 'YYYY-MM-DD') AS month" : k)).join(', ')}, ${COUNTS.join(', ')}
    FROM case_facts_monthly WHERE ${COUNTS.map((c) => `${c} <> 0`).join(' OR ')}`;
  const { rows } = await db.raw(
    `(${stored} EXCEPT ${contributionSql('TRUE')}) UNION ALL (${contributionSql('TRUE')} EXCEPT ${stored})`,
  );
  return rows;
}

/**
 * The rows where the counts by scope and group and the combinations' rollup disagree (rows at 0 count as absent): empty
 * when the upkeep kept them right (monthlyRollupDrift checks the combinations against the facts). For tests and by hand.
 */
export async function groupRollupDrift(db: Knex): Promise<string[]> {
  const { rows } = await db.raw(
    `SELECT ${GROUP_KEY.map((k) => (k === 'month' ? "to_char(month, 'YYYY-MM-DD') AS month" : k)).join(', ')},
       ${COUNTS.map((c) => `${c}::int AS ${c}`).join(', ')}
     FROM case_facts_monthly_groups WHERE ${COUNTS.map((c) => `${c} <> 0`).join(' OR ')}`,
  );
  const line = (r: GroupRow) => JSON.stringify([...GROUP_KEY, ...COUNTS].map((c) => r[c]));
  const stored = new Set((rows as GroupRow[]).map(line));
  const fresh = new Set<string>();
  for (const month of await rollupMonthsHeld(db)) for (const r of await groupRowsOfMonth(db, month)) fresh.add(line(r));
  return [...[...stored].filter((e) => !fresh.has(e)), ...[...fresh].filter((e) => !stored.has(e))];
}
