/**
 * The counts' rollup by scope and group (docs/supervision.md#statistics; db/case-facts-monthly.ts says why): per scope
 * (every case; an organization, the one that took a case in or the one handling it; a mediator), group kind and key
 * (the total, a dispute type, organization, mediator, channel, county, priority group), dated milestone and month
 * (Beijing time), how many cases meet each condition a count or a ratio takes: the rows of case_facts_monthly summed as
 * a reader asks for them, so a year's count reads a dozen rows a group instead of every combination of attributes.
 * Kept in the transaction that moves a facts row, rebuilt with the other rollups (`npm run stats:rebuild`). The cases
 * open now join both rollups, dated 'open' by their intake month, so 在办 reads them instead of every open case.
 */
import type { Knex } from 'knex';

const COUNTS = [
  'all',
  'mediated',
  'agreement',
  'confirmation_applied',
  'confirmed',
  'notarization_applied',
  'performed',
];

/** The conditions after 'all', as db/case-facts-monthly.ts ROLLUP_COUNTS counts them. */
const CONDITIONS = [
  "f.outcome IN ('agreement', 'failed')",
  "f.outcome = 'agreement'",
  'f.confirmation_applied_at IS NOT NULL',
  "f.confirmation_outcome = 'confirmed'",
  'f.notarization_applied_at IS NOT NULL',
  'f.performed_at IS NOT NULL',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_facts_monthly_groups', (t) => {
    // all | org | mediator, and the organization's or the mediator's id ('' for all).
    t.text('scope_kind').notNullable();
    t.text('scope_id').notNullable();
    // total | disputeType | organization | mediator | channel | county | priorityGroup, and the group's key ('' for none).
    t.text('group_kind').notNullable();
    t.text('dated').notNullable();
    t.date('month').notNullable();
    t.text('group_key').notNullable();
    for (const c of COUNTS) t.bigInteger(`n_${c}`).notNullable().defaultTo(0);
    // What every read asks: one scope, one group kind, one milestone, a range of months.
    t.primary(['scope_kind', 'scope_id', 'group_kind', 'dated', 'month', 'group_key']);
  });
  // The cases open now, dated by their intake (the 在办 figure as it stands), joined to the combinations' rollup.
  await knex.raw(`
    INSERT INTO case_facts_monthly (dated, month, dispute_type, channel, intake_org_id, handling_org_id, org_id, county,
      mediator_account_id, priority_groups, ${COUNTS.map((c) => `n_${c}`).join(', ')})
    SELECT 'open', date_trunc('month', f.received_at AT TIME ZONE 'Asia/Shanghai')::date, f.dispute_type, f.channel,
      coalesce(f.intake_org_id, ''), coalesce(f.handling_org_id, ''), coalesce(f.org_id, ''), coalesce(f.county, ''),
      coalesce(f.mediator_account_id::text, ''), f.priority_groups, count(*), ${CONDITIONS.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')}
    FROM case_facts f WHERE f.concluded_at IS NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`);
  // The counts there already: the combinations' rows summed per scope and group, as the upkeep keys them.
  await knex.raw(`
    INSERT INTO case_facts_monthly_groups (scope_kind, scope_id, group_kind, dated, month, group_key,
      ${COUNTS.map((c) => `n_${c}`).join(', ')})
    SELECT s.kind, s.id, g.kind, m.dated, m.month, g.key, ${COUNTS.map((c) => `sum(m.n_${c})`).join(', ')}
    FROM case_facts_monthly m
    CROSS JOIN LATERAL (VALUES ('all', ''), ('org', m.intake_org_id),
      ('org', CASE WHEN m.handling_org_id <> m.intake_org_id THEN m.handling_org_id ELSE '' END),
      ('mediator', m.mediator_account_id)) s(kind, id)
    CROSS JOIN LATERAL (
      SELECT * FROM (VALUES ('total', ''), ('disputeType', m.dispute_type), ('organization', m.org_id),
        ('mediator', m.mediator_account_id), ('channel', m.channel), ('county', m.county)) v(kind, key)
      UNION ALL
      SELECT 'priorityGroup', p.key FROM jsonb_array_elements_text(
        CASE WHEN m.priority_groups = '[]'::jsonb THEN '[""]'::jsonb ELSE m.priority_groups END) p(key)) g
    WHERE s.kind = 'all' OR s.id <> ''
    GROUP BY 1, 2, 3, 4, 5, 6`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_facts_monthly_groups');
  await knex.raw(`DELETE FROM case_facts_monthly WHERE dated = 'open'`);
}
