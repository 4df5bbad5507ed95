/**
 * The hash of a case's last event, kept on its row beside `last_seq`: the record's append (db/cases.ts) reads both with
 * the row's lock, in one statement, instead of reading the event again after the lock is held. Filled for the cases
 * already recorded; a row without it (written by other means) is still appended to correctly: the event is read then.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.text('last_hash');
  });
  await knex.raw(
    `UPDATE cases c SET last_hash = e.hash FROM case_events e WHERE e.case_id = c.case_id AND e.seq = c.last_seq`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('last_hash');
  });
}
