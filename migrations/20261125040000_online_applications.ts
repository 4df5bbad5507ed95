/** A party applying online first proves the phone number: one-time codes keyed by a blind index of it. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('phone_challenges', (t) => {
    t.uuid('challenge_id').primary();
    t.text('phone_index').notNullable();
    t.text('code_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('consumed_at', { useTz: true });
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.index(['phone_index', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('phone_challenges');
}
