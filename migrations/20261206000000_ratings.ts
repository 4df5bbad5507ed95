/**
 * Ratings (docs/supervision.md#ratings): one row per party per concluded case (the unique key is the rule), with
 * its 差评 follow-up's state and clocks; one append-only hash chain per rating, hashed as the case's is
 * (db/event-chain.ts) with the rating's id in place of the case's; the one-use links texted when a case concludes
 * (only the token's hash is kept); and the clerks' random call-backs (回访).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ratings', (t) => {
    t.uuid('rating_id').primary();
    t.uuid('case_id').notNullable().references('cases.case_id');
    // The party it is for (a guardian or agent rates for the party they act for).
    t.uuid('party_id').notNullable().references('case_parties.party_id');
    t.text('level').notNullable();
    t.boolean('negative').notNullable();
    t.jsonb('tags').notNullable().defaultTo('[]');
    t.text('text');
    t.text('channel').notNullable();
    t.text('rated_by_id').notNullable();
    // Whom it rates: the case's mediator (none for 不予受理) and organization when it was given.
    t.uuid('mediator_account_id');
    t.text('org_id');
    t.timestamp('rated_at', { useTz: true }).notNullable();
    // A 差评's follow-up (null otherwise): its workflow, status, state as last recorded, next clock.
    t.text('workflow_id').unique();
    t.text('follow_up_status');
    t.jsonb('follow_up');
    t.timestamp('next_due_at', { useTz: true });
    // 申诉复核: kept | excluded_mistaken | excluded_malicious (an excluded rating counts nowhere).
    t.text('review_outcome');
    t.integer('last_seq').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // One rating per party per case.
    t.unique(['case_id', 'party_id']);
    t.index(['mediator_account_id']);
    t.index(['org_id', 'rated_at']);
    t.index(['rated_at']);
  });

  await knex.schema.createTable('rating_events', (t) => {
    t.uuid('rating_id').notNullable().references('ratings.rating_id');
    t.integer('seq').notNullable();
    t.text('type').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor_id').notNullable();
    t.text('actor_role').notNullable();
    t.jsonb('payload').notNullable();
    t.text('prev_hash');
    t.text('hash').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['rating_id', 'seq']);
  });

  await knex.schema.createTable('rating_links', (t) => {
    t.uuid('link_id').primary();
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.uuid('party_id').notNullable().references('case_parties.party_id');
    t.text('token_hash').notNullable().unique();
    // The text that carried it (sms_outbox.message_id): a retried invitation finds it sent.
    t.uuid('message_id').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('voided_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['case_id', 'party_id']);
  });

  await knex.schema.createTable('rating_callbacks', (t) => {
    t.uuid('callback_id').primary();
    t.uuid('sample_id').notNullable();
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.text('org_id');
    t.text('drawn_by_id').notNullable();
    t.timestamp('drawn_at', { useTz: true }).notNullable();
    // reached | unreachable | declined, and the level the party gave on the phone (when reached).
    t.text('outcome');
    t.text('level');
    t.text('note');
    t.text('recorded_by_id');
    t.timestamp('recorded_at', { useTz: true });
    t.index(['drawn_by_id', 'drawn_at']);
    t.index(['case_id']);
  });

  await knex.raw(`
    CREATE FUNCTION forbid_rating_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'rating_events is append-only'; END $$;
    CREATE TRIGGER rating_events_append_only BEFORE UPDATE OR DELETE ON rating_events
      FOR EACH ROW EXECUTE FUNCTION forbid_rating_event_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS rating_events_append_only ON rating_events');
  await knex.schema.dropTable('rating_callbacks');
  await knex.schema.dropTable('rating_links');
  await knex.schema.dropTable('rating_events');
  await knex.schema.dropTable('ratings');
  await knex.raw('DROP FUNCTION IF EXISTS forbid_rating_event_change()');
}
