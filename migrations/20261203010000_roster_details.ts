/**
 * The roster as the console and the portal show it (issue 15): the languages a mediator mediates in and how
 * many open cases they take at once (null: no limit), so a party sees whether they are accepting without
 * seeing their load; an organization's county and whether it is active; and each staff member's saved queue
 * filters, kept on the server (docs/screens.md#the-clerks-workbench).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_accounts', (t) => {
    // Language codes (db/roster.ts MEDIATOR_LANGUAGES): 普通话, 潮汕话, 粤语, 客家话 …
    t.jsonb('languages').notNullable().defaultTo('[]');
    t.integer('max_open_cases');
  });
  await knex.raw(
    'ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_max_open_cases_positive CHECK (max_open_cases IS NULL OR max_open_cases > 0)',
  );
  await knex.schema.alterTable('organizations', (t) => {
    // The county or district (榕城区, 普宁市) or 市本级 for the city's own; statistics group by it.
    t.text('county');
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('saved_queue_filters', (t) => {
    t.uuid('filter_id').primary();
    // Whoever logged in: staff, or a court's or notary office's staff member (never an API key).
    t.uuid('account_id').notNullable().references('staff_accounts.account_id');
    t.text('name').notNullable();
    // The query of GET /queues/cases as strings, as it goes into the URL.
    t.jsonb('filter').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['account_id', 'name']);
  });
  await knex.raw(
    'ALTER TABLE saved_queue_filters ADD CONSTRAINT saved_queue_filters_name_length CHECK (char_length(name) BETWEEN 1 AND 50)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('saved_queue_filters');
  await knex.schema.alterTable('organizations', (t) => {
    t.dropColumn('county');
    t.dropColumn('active');
  });
  await knex.raw('ALTER TABLE staff_accounts DROP CONSTRAINT staff_accounts_max_open_cases_positive');
  await knex.schema.alterTable('staff_accounts', (t) => {
    t.dropColumn('languages');
    t.dropColumn('max_open_cases');
  });
}
