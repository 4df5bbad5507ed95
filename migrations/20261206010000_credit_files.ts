/**
 * Credit files (诚信档案, seed Arts 56–57; docs/supervision.md#credit-files-and-the-public-directory): one
 * append-only hash chain per mediator and per organization, hashed as a case's is (db/event-chain.ts, with
 * `<kind>:<id>` in place of the case's id), each entry keyed by where it came from so a retried write lands once;
 * and the public directory's addresses and office hours of the offices a party deals with (seed Art 58).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('credit_files', (t) => {
    // mediator (a staff account id) or organization (an org id)
    t.text('subject_kind').notNullable();
    t.text('subject_id').notNullable();
    t.integer('last_seq').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['subject_kind', 'subject_id']);
  });

  await knex.schema.createTable('credit_entries', (t) => {
    t.text('subject_kind').notNullable();
    t.text('subject_id').notNullable();
    t.integer('seq').notNullable();
    // The entry's kind (domain/credit.ts CREDIT_ENTRY_KINDS): the chain's event type.
    t.text('type').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor_id').notNullable();
    t.text('actor_role').notNullable();
    // Authority, document, disclosure window, outcome or evaluation: never a complainant, a phone or an ID number.
    t.jsonb('payload').notNullable();
    t.text('prev_hash');
    t.text('hash').notNullable();
    // Where it came from (complaint:<id>, rating:<id>, an Idempotency-Key …): one entry per source.
    t.text('source_key').notNullable().unique();
    // For the directory's query: the decision's date and the first day it is no longer shown (null: never public).
    t.date('decided_on').notNullable();
    t.date('public_until');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['subject_kind', 'subject_id', 'seq']);
    t.foreign(['subject_kind', 'subject_id']).references(['subject_kind', 'subject_id']).inTable('credit_files');
    t.index(['type', 'public_until']);
  });

  await knex.raw(`
    CREATE FUNCTION forbid_credit_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'credit_entries is append-only'; END $$;
    CREATE TRIGGER credit_entries_append_only BEFORE UPDATE OR DELETE ON credit_entries
      FOR EACH ROW EXECUTE FUNCTION forbid_credit_entry_change();
  `);

  await knex.schema.createTable('directory_listings', (t) => {
    // An organization's org_id or an institution's institution_id (courts, notary offices).
    t.text('holder_id').primary();
    t.text('address').notNullable();
    t.text('hours').notNullable();
    // The office's public service line (never a person's).
    t.text('office_phone');
    t.text('source').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('directory_listings');
  await knex.raw('DROP TRIGGER IF EXISTS credit_entries_append_only ON credit_entries');
  await knex.schema.dropTable('credit_entries');
  await knex.schema.dropTable('credit_files');
  await knex.raw('DROP FUNCTION IF EXISTS forbid_credit_entry_change()');
}
