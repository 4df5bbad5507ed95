/**
 * Complaints (docs/supervision.md#complaints): a projection for lists and access (one row per complaint, its
 * clocks and its outcome, which a credit file reads), and one append-only hash chain per complaint, hashed as the
 * case's is (db/event-chain.ts) with the complaint's id in place of the case's.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('complaints', (t) => {
    t.uuid('complaint_id').primary();
    t.text('workflow_id').notNullable().unique();
    t.text('tracking_number').notNullable().unique();
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.text('status').notNullable();
    t.text('channel').notNullable();
    t.text('ground').notNullable();
    // mediator (an account), organization (an org id) or staff (an account)
    t.text('target_kind').notNullable();
    t.text('target_id').notNullable();
    // people | court_invited, for a mediator: which sanctions are open (人民调解法 Art 15; 特邀调解规定 Art 28)
    t.text('target_mediator_kind');
    t.uuid('complainant_party_id').notNullable().references('case_parties.party_id');
    t.text('filed_by_id').notNullable();
    t.text('filed_by_role').notNullable();
    t.text('investigator_id');
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.timestamp('decided_at', { useTz: true });
    // The outcome a credit file reads (诚信档案, seed Art 57): upheld, and the sanction.
    t.boolean('upheld');
    t.text('outcome');
    t.timestamp('closed_at', { useTz: true });
    // The complaint as the workflow last recorded it (its text, notice, findings, answer, feedback, clocks).
    t.jsonb('state').notNullable();
    t.timestamp('next_due_at', { useTz: true });
    t.integer('last_seq').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['case_id']);
    t.index(['target_kind', 'target_id']);
    t.index(['status', 'received_at']);
  });

  await knex.schema.createTable('complaint_events', (t) => {
    t.uuid('complaint_id').notNullable().references('complaints.complaint_id');
    t.integer('seq').notNullable();
    t.text('type').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor_id').notNullable();
    t.text('actor_role').notNullable();
    t.jsonb('payload').notNullable();
    t.text('prev_hash');
    t.text('hash').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['complaint_id', 'seq']);
  });

  await knex.raw(`
    CREATE FUNCTION forbid_complaint_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'complaint_events is append-only'; END $$;
    CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON complaint_events
      FOR EACH ROW EXECUTE FUNCTION forbid_complaint_event_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS complaint_events_append_only ON complaint_events');
  await knex.schema.dropTable('complaint_events');
  await knex.schema.dropTable('complaints');
  await knex.raw('DROP FUNCTION IF EXISTS forbid_complaint_event_change()');
}
