/**
 * Clocks beyond the published calendar. Holiday calendars an operator loads after release (a State Council notice for a new year): each load is
 * a whole calendar under a new version, so a deadline's recorded version names exactly what counted it.
 * Without a row, the calendar shipped in domain/data/prc-holidays.json is current.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('holiday_calendars', (t) => {
    t.text('version').primary();
    t.jsonb('years').notNullable();
    t.text('source').notNullable();
    t.date('published_on').notNullable();
    t.text('loaded_by').notNullable();
    t.timestamp('loaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['loaded_at']);
  });
  // The queues say when the next due time is provisional (counted without that year's notice).
  await knex.schema.alterTable('cases', (t) => {
    t.boolean('next_due_provisional').notNullable().defaultTo(false);
    // The calendar the pending instalments' rollover was counted on: a load recounts them too.
    t.text('instalments_calendar_version');
  });
  // An organization's own rules: the length of people's mediation (the Ministry's 30 days are guidance) and
  // how many working days before a due time reminders go out (3 by default).
  await knex.schema.alterTable('organizations', (t) => {
    t.integer('general_mediation_days');
    t.integer('reminder_working_days');
  });
  await knex.raw(
    'ALTER TABLE organizations ADD CONSTRAINT organizations_general_mediation_days_range CHECK (general_mediation_days BETWEEN 1 AND 90)',
  );
  await knex.raw(
    'ALTER TABLE organizations ADD CONSTRAINT organizations_reminder_working_days_range CHECK (reminder_working_days BETWEEN 1 AND 10)',
  );
  // Where a mediator or clerk gives a phone (encrypted), reminders also reach them by text.
  await knex.schema.alterTable('staff_accounts', (t) => {
    t.text('reminder_phone_enc');
  });
  // A reminder that fired reaches the mediator's and the clerk's queues, not only the event log.
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.boolean('reminded').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_accounts', (t) => {
    t.dropColumn('reminder_phone_enc');
  });
  await knex.schema.alterTable('organizations', (t) => {
    t.dropColumn('general_mediation_days');
    t.dropColumn('reminder_working_days');
  });
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.dropColumn('reminded');
  });
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('next_due_provisional');
    t.dropColumn('instalments_calendar_version');
  });
  await knex.schema.dropTable('holiday_calendars');
}
