/**
 * The pipeline's record: open deadlines for clerks and SLA lists, agreement drafts (every version with its
 * hash), the mediators' conflict register, and screening flags on the case row.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_deadlines', (t) => {
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.text('rule_id').notNullable();
    t.text('status').notNullable(); // open | paused | met | expired | cancelled | uncomputable
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.date('last_day');
    t.timestamp('reminder_at', { useTz: true });
    t.text('calendar_version');
    t.jsonb('explanation').notNullable().defaultTo('[]');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['case_id', 'rule_id']);
    t.index(['status', 'due_at']);
  });

  await knex.schema.createTable('agreement_drafts', (t) => {
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.integer('version').notNullable();
    t.text('form').notNullable(); // written | oral
    t.jsonb('content').notNullable();
    t.text('sha256').notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['case_id', 'version']);
  });

  // 特邀调解规定 Art 15: close relative, interest in the dispute, other relationship.
  await knex.schema.createTable('mediator_conflicts', (t) => {
    t.bigIncrements('id');
    t.uuid('mediator_account_id').notNullable().references('staff_accounts.account_id');
    t.text('party_name').notNullable();
    t.text('relation').notNullable();
    t.unique(['mediator_account_id', 'party_name']);
  });

  await knex.schema.alterTable('cases', (t) => {
    t.jsonb('priority_groups').notNullable().defaultTo('[]');
    t.text('termination_reason');
    t.timestamp('agreement_effective_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('priority_groups');
    t.dropColumn('termination_reason');
    t.dropColumn('agreement_effective_at');
  });
  await knex.schema.dropTable('mediator_conflicts');
  await knex.schema.dropTable('agreement_drafts');
  await knex.schema.dropTable('case_deadlines');
}
