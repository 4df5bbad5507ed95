/**
 * Explicit migration source: knex cannot `require` .ts migrations under vitest or tsx, so each migration
 * is imported here, in order.
 */
import type { Knex } from 'knex';
import * as caseRecord from './20261125000000_case_record.js';
import * as identity from './20261125010000_identity.js';
import * as representatives from './20261125020000_representatives_and_minors.js';
import * as pipeline from './20261125030000_pipeline.js';
import * as onlineApplications from './20261125040000_online_applications.js';
import * as documents from './20261125050000_documents.js';
import * as institutionAccounts from './20261125060000_institution_accounts_and_key_leases.js';
import * as securing from './20261125070000_securing.js';
import * as workQueues from './20261125080000_work_queues.js';
import * as deliveries from './20261125090000_deliveries.js';
import * as smsDelivery from './20261125100000_sms_delivery.js';
import * as caseMaterials from './20261125110000_case_materials.js';
import * as smsExpiry from './20261130000000_sms_expiry.js';
import * as holidayCalendars from './20261202000000_holiday_calendars.js';
import * as priorityQueues from './20261202010000_priority_queues.js';
import * as legalRepresentatives from './20261202070000_legal_representatives.js';
import * as workflowState from './20261203000000_workflow_state.js';
import * as rosterDetails from './20261203010000_roster_details.js';
import * as personalDataReadReason from './20261204000000_personal_data_read_reason.js';
import * as queueCountIndexes from './20261204010000_queue_count_indexes.js';
import * as rateLimits from './20261205000000_rate_limits.js';
import * as caseFacts from './20261205010000_case_facts.js';
import * as complaints from './20261205020000_complaints.js';
import * as ratings from './20261206000000_ratings.js';
import * as creditFiles from './20261206010000_credit_files.js';
import * as caseFactsMonthly from './20261206020000_case_facts_monthly.js';
import * as idempotencyClaims from './20261207040000_idempotency_claims.js';
import * as caseFactsMonthlyDurations from './20261207070000_case_facts_monthly_durations.js';
import * as rateLimitWindows from './20261207090000_rate_limit_windows.js';
import * as caseFactsMonthlyGroups from './20261207100000_case_facts_monthly_groups.js';
import * as caseFactsMonthlyRatings from './20261207130000_case_facts_monthly_ratings.js';
import * as caseLastHash from './20261208000000_case_last_hash.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };
const migrations: [string, Migration][] = [
  ['20261125000000_case_record', caseRecord],
  ['20261125010000_identity', identity],
  ['20261125020000_representatives_and_minors', representatives],
  ['20261125030000_pipeline', pipeline],
  ['20261125040000_online_applications', onlineApplications],
  ['20261125050000_documents', documents],
  ['20261125060000_institution_accounts_and_key_leases', institutionAccounts],
  ['20261125070000_securing', securing],
  ['20261125080000_work_queues', workQueues],
  ['20261125090000_deliveries', deliveries],
  ['20261125100000_sms_delivery', smsDelivery],
  ['20261125110000_case_materials', caseMaterials],
  ['20261130000000_sms_expiry', smsExpiry],
  ['20261202000000_holiday_calendars', holidayCalendars],
  ['20261202010000_priority_queues', priorityQueues],
  ['20261202070000_legal_representatives', legalRepresentatives],
  ['20261203000000_workflow_state', workflowState],
  ['20261203010000_roster_details', rosterDetails],
  ['20261204000000_personal_data_read_reason', personalDataReadReason],
  ['20261204010000_queue_count_indexes', queueCountIndexes],
  ['20261205000000_rate_limits', rateLimits],
  ['20261205010000_case_facts', caseFacts],
  ['20261205020000_complaints', complaints],
  ['20261206000000_ratings', ratings],
  ['20261206010000_credit_files', creditFiles],
  ['20261206020000_case_facts_monthly', caseFactsMonthly],
  ['20261207040000_idempotency_claims', idempotencyClaims],
  ['20261207070000_case_facts_monthly_durations', caseFactsMonthlyDurations],
  ['20261207090000_rate_limit_windows', rateLimitWindows],
  ['20261207100000_case_facts_monthly_groups', caseFactsMonthlyGroups],
  ['20261207130000_case_facts_monthly_ratings', caseFactsMonthlyRatings],
  ['20261208000000_case_last_hash', caseLastHash],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
