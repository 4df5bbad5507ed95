/**
 * Court integration: an institution registers a webhook (URL and a shared secret, encrypted at rest); each
 * outbox message gets a stable delivery id; every delivery attempt is logged.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('institution_webhooks', (t) => {
    t.text('institution_id').primary().references('institutions.institution_id');
    t.text('url').notNullable();
    t.text('secret_enc').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('institution_messages', (t) => {
    t.uuid('delivery_id');
  });
  await knex.raw(`UPDATE institution_messages SET delivery_id = gen_random_uuid() WHERE delivery_id IS NULL`);
  await knex.raw(`ALTER TABLE institution_messages ALTER COLUMN delivery_id SET NOT NULL`);
  await knex.raw(`CREATE UNIQUE INDEX institution_messages_delivery_id ON institution_messages (delivery_id)`);
  await knex.schema.createTable('delivery_attempts', (t) => {
    t.bigIncrements('id');
    t.uuid('delivery_id').notNullable();
    t.integer('attempt').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('outcome').notNullable(); // delivered | failed | no_webhook
    t.integer('http_status');
    t.text('error');
    t.index(['delivery_id', 'attempt']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('delivery_attempts');
  await knex.raw('DROP INDEX IF EXISTS institution_messages_delivery_id');
  await knex.schema.alterTable('institution_messages', (t) => {
    t.dropColumn('delivery_id');
  });
  await knex.schema.dropTable('institution_webhooks');
}
