/**
 * Securing and performance (docs/securing.md): messages for courts and notaries wait in an outbox, one
 * per key, until the integration delivers them (application submitted, supplements handed in, withdrawn).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('institution_messages', (t) => {
    t.bigIncrements('id');
    t.text('message_key').notNullable().unique();
    t.text('institution_id').notNullable().references('institutions.institution_id');
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.text('message').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.index(['institution_id', 'delivered_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('institution_messages');
}
