/**
 * Work queues from the projection (issue 7): each case's next open deadline, and indexes for the queries
 * clerks, mediators, courts and supervisors run, chosen from their plans. Every queue is ordered by
 * (due_sort, case_id), so each scope has an index in that order and pages by keyset, never by offset.
 */
import type { Knex } from 'knex';

/** A case with no open deadline sorts last (db/queues.ts NO_DEADLINE; fixed here as migrations are). */
const NO_DEADLINE = '9999-12-31T00:00:00Z';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.timestamp('next_due_at', { useTz: true });
    t.text('next_due_rule');
    t.timestamp('due_sort', { useTz: true }).notNullable().defaultTo(NO_DEADLINE);
  });
  await knex.raw(`
    UPDATE cases c SET next_due_at = d.due_at, next_due_rule = d.rule_id, due_sort = d.due_at
    FROM (SELECT DISTINCT ON (case_id) case_id, due_at, rule_id FROM case_deadlines
          WHERE status = 'open' AND due_at IS NOT NULL ORDER BY case_id, due_at) d
    WHERE d.case_id = c.case_id;
    CREATE INDEX cases_queue_all ON cases (due_sort, case_id);
    CREATE INDEX cases_queue_intake_org ON cases (intake_org_id, due_sort, case_id);
    CREATE INDEX cases_queue_handling_org ON cases (handling_org_id, due_sort, case_id);
    CREATE INDEX cases_queue_mediator ON cases (mediator_account_id, due_sort, case_id) WHERE mediator_account_id IS NOT NULL;
    CREATE INDEX cases_queue_court ON cases (court_institution_id, due_sort, case_id) WHERE court_institution_id IS NOT NULL;
    CREATE INDEX cases_queue_confirming_court ON cases (confirming_court_id, due_sort, case_id) WHERE confirming_court_id IS NOT NULL;
    CREATE INDEX cases_queue_notary ON cases (notary_institution_id, due_sort, case_id) WHERE notary_institution_id IS NOT NULL;
    CREATE INDEX cases_queue_legal_aid ON cases (due_sort, case_id) WHERE legal_aid_requested;
    CREATE INDEX cases_priority_groups ON cases USING gin (priority_groups jsonb_path_ops);
    CREATE INDEX cases_case_number_prefix ON cases (case_number text_pattern_ops);
    CREATE INDEX case_parties_name_prefix ON case_parties (name text_pattern_ops);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX IF EXISTS case_parties_name_prefix;
    DROP INDEX IF EXISTS cases_case_number_prefix;
    DROP INDEX IF EXISTS cases_priority_groups;
    DROP INDEX IF EXISTS cases_queue_legal_aid;
    DROP INDEX IF EXISTS cases_queue_notary;
    DROP INDEX IF EXISTS cases_queue_confirming_court;
    DROP INDEX IF EXISTS cases_queue_court;
    DROP INDEX IF EXISTS cases_queue_mediator;
    DROP INDEX IF EXISTS cases_queue_handling_org;
    DROP INDEX IF EXISTS cases_queue_intake_org;
    DROP INDEX IF EXISTS cases_queue_all;
  `);
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('due_sort');
    t.dropColumn('next_due_rule');
    t.dropColumn('next_due_at');
  });
}
