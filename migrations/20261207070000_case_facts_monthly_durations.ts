/**
 * The monthly rollup of the mediations' durations (docs/supervision.md#statistics; db/case-facts-durations.ts says
 * why it is keyed so): per scope (every case; an organization, the one that took a case in or the one handling it; a
 * mediator), group kind and key (the total, a dispute type, organization, mediator, channel, county, priority group)
 * and month (Beijing time) of the conclusion, the mediations concluded and four histograms of their durations in
 * whole days (element i + 1 counts i days): from acceptance and from the mediator's acceptance, in calendar and in
 * working days. Kept in the transaction that moves a facts row, rebuilt with the counts' rollup
 * (`npm run stats:rebuild`), so a year of durations reads a dozen rows per group instead of every mediation.
 */
import type { Knex } from 'knex';

const MEASURES = [
  ['cal_from_acceptance', 'days_from_acceptance'],
  ['work_from_acceptance', 'working_days_from_acceptance'],
  ['cal_from_mediator_acceptance', 'days_from_mediator_acceptance'],
  ['work_from_mediator_acceptance', 'working_days_from_mediator_acceptance'],
] as const;
const KEY = 'scope_kind, scope_id, group_kind, month, group_key';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_facts_monthly_durations', (t) => {
    // all | org | mediator, and the organization's or the mediator's id ('' for all).
    t.text('scope_kind').notNullable();
    t.text('scope_id').notNullable();
    // total | disputeType | organization | mediator | channel | county | priorityGroup, and the group's key ('' for none).
    t.text('group_kind').notNullable();
    t.date('month').notNullable();
    t.text('group_key').notNullable();
    t.bigInteger('n_mediated').notNullable().defaultTo(0);
    for (const [m] of MEASURES) t.specificType(m, 'integer[]').notNullable().defaultTo('{}');
    // What every read asks: one scope, one group kind, a range of months.
    t.primary(['scope_kind', 'scope_id', 'group_kind', 'month', 'group_key']);
  });
  // The facts there already, a month at a time: the rows `npm run stats:rebuild` writes (db/case-facts-durations.ts).
  const { rows: months } = await knex.raw(`SELECT DISTINCT ${MONTH} AS month FROM case_facts f WHERE ${MEDIATED}`);
  for (const { month } of months as { month: string }[]) await fillMonth(knex, month);
}

const MONTH = `to_char(date_trunc('month', f.concluded_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`;
const MEDIATED = `f.outcome IN ('agreement', 'failed') AND f.concluded_at IS NOT NULL`;

type Facts = Record<string, string | null> & { priority_groups: string[] } & Record<string, unknown>;

/** One month's rows: each concluded mediation in every scope and group that counts it. */
async function fillMonth(knex: Knex, month: string): Promise<void> {
  const { rows } = await knex.raw(
    `SELECT f.intake_org_id, f.handling_org_id, coalesce(f.org_id, '') AS org_id,
       coalesce(f.mediator_account_id::text, '') AS mediator, f.dispute_type, f.channel, coalesce(f.county, '') AS county,
       f.priority_groups, ${MEASURES.map(([m, col]) => `f.${col} AS ${m}`).join(', ')}
     FROM case_facts f WHERE ${MEDIATED} AND ${MONTH} = ?`,
    [month],
  );
  const sums = new Map<string, Record<string, unknown> & { n_mediated: number }>();
  for (const f of rows as Facts[]) {
    const scopes = [['all', '']];
    if (f.intake_org_id) scopes.push(['org', f.intake_org_id]);
    if (f.handling_org_id && f.handling_org_id !== f.intake_org_id) scopes.push(['org', f.handling_org_id]);
    if (f.mediator) scopes.push(['mediator', f.mediator]);
    const groups = [
      ['total', ''],
      ['disputeType', f.dispute_type],
      ['organization', f.org_id],
      ['mediator', f.mediator],
      ['channel', f.channel],
      ['county', f.county],
      ...(f.priority_groups.length ? f.priority_groups : ['']).map((g) => ['priorityGroup', g]),
    ];
    for (const [scope_kind, scope_id] of scopes)
      for (const [group_kind, group_key] of groups) {
        const k = JSON.stringify([scope_kind, scope_id, group_kind, group_key]);
        const empty = Object.fromEntries(MEASURES.map(([m]) => [m, [] as number[]]));
        const row = sums.get(k) ?? { scope_kind, scope_id, group_kind, month, group_key, n_mediated: 0, ...empty };
        row.n_mediated += 1;
        for (const [m] of MEASURES) {
          const days = f[m] as number | null;
          const counts = row[m] as number[];
          if (days !== null) counts[days] = (counts[days] ?? 0) + 1;
        }
        sums.set(k, row);
      }
  }
  const all = [...sums.values()].map((r) => ({
    ...r,
    ...Object.fromEntries(MEASURES.map(([m]) => [m, `{${Array.from(r[m] as number[], (n) => n ?? 0).join(',')}}`])),
  }));
  for (let i = 0; i < all.length; i += 2000)
    await knex.raw(
      `INSERT INTO case_facts_monthly_durations (${KEY}, n_mediated, ${MEASURES.map(([m]) => m).join(', ')})
       SELECT r.scope_kind, r.scope_id, r.group_kind, r.month::date, r.group_key, r.n_mediated,
         ${MEASURES.map(([m]) => `r.${m}::int[]`).join(', ')}
       FROM jsonb_to_recordset(?::jsonb) AS r(scope_kind text, scope_id text, group_kind text, month text,
         group_key text, n_mediated bigint, ${MEASURES.map(([m]) => `${m} text`).join(', ')})`,
      [JSON.stringify(all.slice(i, i + 2000))],
    );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_facts_monthly_durations');
}
