/**
 * Priority groups move a case up in the staff's work queues (seed Art 30: 基本公共法律服务应当优先向…提供;
 * docs/legal-aid.md#priority-groups). The rank is derived from the projection's priority groups
 * (0: in a group, 1: not), so it never disagrees with them, and each staff scope gets its index in the new
 * order (priority_rank, due_sort, case_id). Courts and notaries are not told who is in a priority group: their
 * queues stay in deadline order, on their own indexes (migration 08).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cases ADD COLUMN priority_rank smallint NOT NULL
      GENERATED ALWAYS AS (CASE WHEN priority_groups <> '[]'::jsonb THEN 0 ELSE 1 END) STORED;
    DROP INDEX IF EXISTS cases_queue_all;
    DROP INDEX IF EXISTS cases_queue_intake_org;
    DROP INDEX IF EXISTS cases_queue_handling_org;
    DROP INDEX IF EXISTS cases_queue_mediator;
    DROP INDEX IF EXISTS cases_queue_legal_aid;
    CREATE INDEX cases_queue_all ON cases (priority_rank, due_sort, case_id);
    CREATE INDEX cases_queue_intake_org ON cases (intake_org_id, priority_rank, due_sort, case_id);
    CREATE INDEX cases_queue_handling_org ON cases (handling_org_id, priority_rank, due_sort, case_id);
    CREATE INDEX cases_queue_mediator ON cases (mediator_account_id, priority_rank, due_sort, case_id) WHERE mediator_account_id IS NOT NULL;
    CREATE INDEX cases_queue_legal_aid ON cases (priority_rank, due_sort, case_id) WHERE legal_aid_requested;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX IF EXISTS cases_queue_legal_aid;
    DROP INDEX IF EXISTS cases_queue_mediator;
    DROP INDEX IF EXISTS cases_queue_handling_org;
    DROP INDEX IF EXISTS cases_queue_intake_org;
    DROP INDEX IF EXISTS cases_queue_all;
    ALTER TABLE cases DROP COLUMN priority_rank;
    CREATE INDEX cases_queue_all ON cases (due_sort, case_id);
    CREATE INDEX cases_queue_intake_org ON cases (intake_org_id, due_sort, case_id);
    CREATE INDEX cases_queue_handling_org ON cases (handling_org_id, due_sort, case_id);
    CREATE INDEX cases_queue_mediator ON cases (mediator_account_id, due_sort, case_id) WHERE mediator_account_id IS NOT NULL;
    CREATE INDEX cases_queue_legal_aid ON cases (due_sort, case_id) WHERE legal_aid_requested;
  `);
}
