/**
 * SMS delivery through a gateway, at least once: each outbox message records when the gateway took it
 * (and the gateway's id for it); delivery attempts are logged for SMS as for court webhooks.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.timestamp('sent_at', { useTz: true });
    t.text('gateway_message_id');
  });
  // Everything recorded before a gateway existed was only ever kept in the outbox.
  await knex.schema.alterTable('delivery_attempts', (t) => {
    t.text('channel').notNullable().defaultTo('institution'); // institution | sms
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('delivery_attempts', (t) => {
    t.dropColumn('channel');
  });
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.dropColumn('gateway_message_id');
    t.dropColumn('sent_at');
  });
}
