/**
 * The hash of a case's last event, kept on its row with the seq it belongs to: the record's append (db/cases.ts) reads
 * them with the row's lock, in one statement, instead of reading the event again after the lock is held. The hash is
 * used only while its seq is the row's `last_seq`: a row appended to by code older than this migration (a worker
 * not yet upgraded, or a rollback) or never appended to since (nothing is filled here, so upgrading a large database
 * rewrites no row) has its last event read from the chain, as before.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.text('last_hash');
    t.integer('last_hash_seq');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('last_hash');
    t.dropColumn('last_hash_seq');
  });
}
