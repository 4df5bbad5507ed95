/**
 * The record holds the process's state, not only its history: each recorded batch of events stores the
 * case's state as it stands after them (`workflow_state`, at `state_seq`), and each securing process's
 * latest state as it reported it. Reads answer from here while no worker runs, and an operator can rebuild
 * every open case's workflow from here after Temporal's own state is lost (`npm run rebuild`). Neither holds
 * personal data: the state names parties by id only.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.jsonb('workflow_state');
    t.integer('state_seq');
  });
  await knex.schema.createTable('case_processes', (t) => {
    t.uuid('case_id').notNullable().references('case_id').inTable('cases');
    t.text('kind').notNullable();
    t.integer('n').notNullable();
    t.text('workflow_id').notNullable();
    t.jsonb('state').notNullable();
    t.integer('report_seq').notNullable();
    t.boolean('final').notNullable();
    t.jsonb('represents').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['case_id', 'kind', 'n']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_processes');
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('workflow_state');
    t.dropColumn('state_seq');
  });
}
