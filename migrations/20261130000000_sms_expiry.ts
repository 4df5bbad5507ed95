/**
 * A text that is of no use after a moment (a one-time code) records that moment: its delivery stops
 * there instead of handing the gateway a code the party can no longer enter.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.timestamp('expires_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.dropColumn('expires_at');
  });
}
