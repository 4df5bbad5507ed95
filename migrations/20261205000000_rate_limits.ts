/**
 * The attempts each limit on guessing holds (db/rate-limits.ts): one row per attempt taken under a key (an
 * account, a party, a phone's blind index, a case and ID number), kept in PostgreSQL so that every API instance
 * counts the same attempts. A row lives only as long as its window; a successful sign-in gives its row back.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_attempts', (t) => {
    t.bigIncrements('id');
    t.text('key').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['key', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_attempts');
}
