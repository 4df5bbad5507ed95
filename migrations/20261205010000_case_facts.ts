/**
 * The per-case facts the statistics count (docs/supervision.md#statistics; seed Art 15): one row per case with
 * its intake attributes (channel, dispute type, organizations, county), who handles it now, its priority groups,
 * and the time of each milestone (acceptance, the mediator's acceptance, conclusion and outcome, the agreement's
 * effect, judicial confirmation, notarization, performance). Kept by the activity that records the case's
 * events, in the same transaction, and rebuildable from the chain (`npm run stats:rebuild`): the statistics
 * never scan the event log per request. Durations are stored once counted (calendar and working days), so
 * the database takes their median and P90.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_facts', (t) => {
    t.uuid('case_id').primary().references('cases.case_id');
    // The last event folded in: an event at or below it is never counted twice.
    t.integer('last_seq').notNullable();
    t.text('channel').notNullable();
    t.text('dispute_type').notNullable();
    t.text('intake_org_id');
    t.text('handling_org_id');
    // The organization the figures are grouped by: the handling one, else the one that took the case in.
    t.text('org_id');
    t.text('county');
    t.uuid('mediator_account_id');
    t.jsonb('priority_groups').notNullable().defaultTo('[]');
    t.text('status').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.timestamp('mediator_accepted_at', { useTz: true });
    t.timestamp('concluded_at', { useTz: true });
    // agreement | failed | not_accepted
    t.text('outcome');
    t.text('termination_reason');
    t.timestamp('agreement_effective_at', { useTz: true });
    t.timestamp('confirmation_applied_at', { useTz: true });
    t.timestamp('confirmation_ruled_at', { useTz: true });
    t.text('confirmation_outcome');
    t.timestamp('notarization_applied_at', { useTz: true });
    t.timestamp('certificate_issued_at', { useTz: true });
    t.timestamp('last_instalment_due_at', { useTz: true });
    t.timestamp('performed_at', { useTz: true });
    t.timestamp('archived_at', { useTz: true });
    t.integer('days_from_acceptance');
    t.integer('working_days_from_acceptance');
    t.integer('days_from_mediator_acceptance');
    t.integer('working_days_from_mediator_acceptance');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Each metric dates its cases by one milestone; each scope is one column (a clerk's organization, a mediator).
  await knex.raw(`
    CREATE INDEX case_facts_received ON case_facts (received_at);
    CREATE INDEX case_facts_accepted ON case_facts (accepted_at) WHERE accepted_at IS NOT NULL;
    CREATE INDEX case_facts_concluded ON case_facts (concluded_at) WHERE concluded_at IS NOT NULL;
    CREATE INDEX case_facts_effective ON case_facts (agreement_effective_at) WHERE agreement_effective_at IS NOT NULL;
    CREATE INDEX case_facts_open ON case_facts (received_at) WHERE concluded_at IS NULL;
    CREATE INDEX case_facts_ruled ON case_facts (confirmation_ruled_at) WHERE confirmation_ruled_at IS NOT NULL;
    CREATE INDEX case_facts_certificate ON case_facts (certificate_issued_at) WHERE certificate_issued_at IS NOT NULL;
    CREATE INDEX case_facts_last_instalment ON case_facts (last_instalment_due_at) WHERE last_instalment_due_at IS NOT NULL;
    CREATE INDEX case_facts_org ON case_facts (org_id, received_at);
    CREATE INDEX case_facts_intake_org ON case_facts (intake_org_id, received_at);
    CREATE INDEX case_facts_mediator ON case_facts (mediator_account_id, received_at) WHERE mediator_account_id IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_facts');
}
