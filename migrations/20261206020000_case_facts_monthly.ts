/**
 * The monthly rollup of the per-case facts (docs/supervision.md#statistics): for each milestone a case is dated by
 * (received, accepted, concluded, the agreement's effect, the confirmation's ruling, the certificate, the last
 * instalment's due date), each month in Beijing time and each combination of the attributes the statistics group and
 * scope by, how many cases meet each condition a count or a ratio takes. Kept in the transaction that moves a facts
 * row (db/case-facts.ts: the old row's contribution taken off, the new one's added), rebuilt with the facts
 * (`npm run stats:rebuild`), so a year of figures reads a few thousand rows, not a few hundred thousand cases.
 * Durations keep reading the facts (their median and P90 need every value), through a covering index.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_facts_monthly', (t) => {
    t.text('dated').notNullable();
    t.date('month').notNullable();
    t.text('dispute_type').notNullable();
    t.text('channel').notNullable();
    // '' for none: part of the key, so never null.
    t.text('intake_org_id').notNullable();
    t.text('handling_org_id').notNullable();
    t.text('org_id').notNullable();
    t.text('county').notNullable();
    t.text('mediator_account_id').notNullable();
    t.jsonb('priority_groups').notNullable();
    for (const c of [
      'all',
      'mediated',
      'agreement',
      'confirmation_applied',
      'confirmed',
      'notarization_applied',
      'performed',
    ])
      t.bigInteger(`n_${c}`).notNullable().defaultTo(0);
  });
  await knex.raw(`
    CREATE UNIQUE INDEX case_facts_monthly_key ON case_facts_monthly (dated, month, dispute_type, channel,
      intake_org_id, handling_org_id, org_id, county, mediator_account_id, priority_groups);
    CREATE INDEX case_facts_durations ON case_facts (concluded_at) INCLUDE (outcome, days_from_acceptance,
      working_days_from_acceptance, days_from_mediator_acceptance, working_days_from_mediator_acceptance, dispute_type,
      org_id, intake_org_id, handling_org_id, mediator_account_id, channel, county, priority_groups)
      WHERE concluded_at IS NOT NULL;
  `);
  // The facts there already: the same rollup `npm run stats:rebuild` writes (db/case-facts.ts rebuildMonthlyRollup).
  await knex.raw(`
    INSERT INTO case_facts_monthly
    SELECT d.dated, date_trunc('month', d.at AT TIME ZONE 'Asia/Shanghai')::date, f.dispute_type, f.channel,
      coalesce(f.intake_org_id, ''), coalesce(f.handling_org_id, ''), coalesce(f.org_id, ''), coalesce(f.county, ''),
      coalesce(f.mediator_account_id::text, ''), f.priority_groups, count(*),
      count(*) FILTER (WHERE f.outcome IN ('agreement', 'failed')), count(*) FILTER (WHERE f.outcome = 'agreement'),
      count(*) FILTER (WHERE f.confirmation_applied_at IS NOT NULL),
      count(*) FILTER (WHERE f.confirmation_outcome = 'confirmed'),
      count(*) FILTER (WHERE f.notarization_applied_at IS NOT NULL), count(*) FILTER (WHERE f.performed_at IS NOT NULL)
    FROM case_facts f CROSS JOIN LATERAL (VALUES ('received', f.received_at), ('accepted', f.accepted_at),
      ('concluded', f.concluded_at), ('agreement_effective', f.agreement_effective_at),
      ('confirmation_ruled', f.confirmation_ruled_at), ('certificate_issued', f.certificate_issued_at),
      ('last_instalment_due', f.last_instalment_due_at)) d(dated, at)
    WHERE d.at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS case_facts_durations');
  await knex.schema.dropTable('case_facts_monthly');
}
