/**
 * Fixed-window request counters (db/rate-limits.ts `countRequest`), for limits on requests that carry no guess, such
 * as the public directory's per address: one row per key and window, incremented in place, kept in PostgreSQL so that
 * every API instance counts the same requests. Rows outlive their window by a day at most.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_windows', (t) => {
    t.text('key').notNullable();
    t.timestamp('window_start', { useTz: true }).notNullable();
    t.integer('count').notNullable();
    t.primary(['key', 'window_start']);
    t.index(['window_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_windows');
}
