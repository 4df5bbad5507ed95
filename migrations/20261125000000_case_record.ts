/**
 * The case record: the projection for lists and search, the parties (personal data encrypted), the
 * append-only hash-chained event log, case-number sequences and idempotency keys.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cases', (t) => {
    t.uuid('case_id').primary();
    t.text('workflow_id').notNullable().unique();
    t.text('case_number').notNullable().unique();
    t.text('status').notNullable();
    t.text('channel').notNullable();
    t.text('dispute_type').notNullable();
    t.text('summary').notNullable();
    t.date('claimant_learned_of_harm_on').notNullable();
    t.bigInteger('claim_amount_fen');
    t.jsonb('court');
    t.jsonb('referral');
    t.jsonb('prior_proceedings');
    // 登记受理时间: interrupts the limitation period; a trigger below keeps it immutable.
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.text('registered_by_id').notNullable();
    t.text('registered_by_role').notNullable();
    t.integer('last_seq').notNullable();
    t.timestamp('status_changed_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['status', 'received_at']);
  });

  await knex.schema.createTable('case_parties', (t) => {
    t.uuid('party_id').primary();
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.integer('position').notNullable();
    t.text('role').notNullable();
    t.text('kind').notNullable();
    t.text('name').notNullable();
    // Personal data, AES-256-GCM with a key outside the database (infra/crypto.ts).
    t.text('id_number_enc');
    t.text('phone_enc');
    t.text('address_enc');
    t.text('credit_code');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['case_id', 'position']);
  });

  await knex.schema.createTable('case_events', (t) => {
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.integer('seq').notNullable();
    t.text('type').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor_id').notNullable();
    t.text('actor_role').notNullable();
    t.jsonb('payload').notNullable();
    t.text('prev_hash');
    t.text('hash').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['case_id', 'seq']);
  });

  await knex.schema.createTable('case_number_sequences', (t) => {
    t.text('scope').notNullable();
    t.integer('year').notNullable();
    t.integer('last_value').notNullable();
    t.primary(['scope', 'year']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('scope').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.integer('status_code');
    t.jsonb('response_body');
    t.jsonb('response_headers');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['scope', 'key']);
  });

  // The event log is append-only, and the intake time never changes.
  await knex.raw(`
    CREATE FUNCTION forbid_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'case_events is append-only'; END $$;
    CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION forbid_event_change();
    CREATE FUNCTION keep_received_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.received_at IS DISTINCT FROM OLD.received_at THEN
        RAISE EXCEPTION 'cases.received_at is immutable';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER cases_received_at_immutable BEFORE UPDATE ON cases
      FOR EACH ROW EXECUTE FUNCTION keep_received_at();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS cases_received_at_immutable ON cases');
  await knex.raw('DROP TRIGGER IF EXISTS case_events_append_only ON case_events');
  await knex.schema.dropTable('idempotency_keys');
  await knex.schema.dropTable('case_number_sequences');
  await knex.schema.dropTable('case_events');
  await knex.schema.dropTable('case_parties');
  await knex.schema.dropTable('cases');
  await knex.raw('DROP FUNCTION IF EXISTS keep_received_at()');
  await knex.raw('DROP FUNCTION IF EXISTS forbid_event_change()');
}
