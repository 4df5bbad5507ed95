/**
 * Identity and access: organizations, courts and notary offices, staff accounts, institution API keys,
 * sessions, party access codes and one-time codes, the SMS outbox, and the security and personal-data
 * read logs. Cases learn who may see them (organization, mediator, court, notary).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.text('org_id').primary();
    t.text('name').notNullable().unique();
    // center | people_mediation | industry_mediation | labour_mediation | lawyer_mediation | justice_bureau | legal_aid
    t.text('kind').notNullable();
    t.text('abbreviation');
    t.jsonb('dispute_types').notNullable().defaultTo('[]');
    t.text('case_number_pattern');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('institutions', (t) => {
    t.text('institution_id').primary();
    t.text('kind').notNullable(); // court | notary_office
    t.text('name').notNullable().unique();
    t.text('code').unique(); // courts: 粤5202
    t.text('level');
    // 委派 (pre-filing delegation) is switchable per court (2025 SPC opinion).
    t.boolean('pre_filing_delegation').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('staff_accounts', (t) => {
    t.uuid('account_id').primary();
    t.text('username').notNullable().unique();
    t.text('display_name').notNullable();
    // clerk | mediator | supervisor | legal_aid_officer | court | notary
    t.text('role').notNullable();
    t.text('org_id').references('organizations.org_id');
    t.text('institution_id').references('institutions.institution_id');
    t.text('password_hash').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.jsonb('specialties').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('institution_api_keys', (t) => {
    t.uuid('key_id').primary();
    t.text('institution_id').notNullable().references('institutions.institution_id');
    t.text('key_prefix').notNullable().unique();
    t.text('key_hash').notNullable();
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('last_used_at', { useTz: true });
  });

  await knex.schema.createTable('sessions', (t) => {
    t.text('token_hash').primary();
    t.text('subject_kind').notNullable(); // staff | party
    t.uuid('account_id').references('staff_accounts.account_id');
    t.uuid('party_id').references('case_parties.party_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
  });

  await knex.schema.createTable('party_access_codes', (t) => {
    t.uuid('party_id').primary().references('case_parties.party_id');
    t.text('code_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('issued_by').notNullable();
  });

  await knex.schema.createTable('one_time_codes', (t) => {
    t.uuid('challenge_id').primary();
    t.uuid('party_id').notNullable().references('case_parties.party_id');
    t.text('code_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('consumed_at', { useTz: true });
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.index(['party_id', 'created_at']);
  });

  await knex.schema.createTable('sms_outbox', (t) => {
    t.uuid('message_id').primary();
    t.text('to_phone_enc').notNullable();
    t.text('body_enc').notNullable();
    t.text('purpose').notNullable();
    t.uuid('case_id');
    t.uuid('party_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('security_events', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // login_failed | login_succeeded | logout | token_refused | api_key_refused | access_code_refused |
    // otp_refused | rate_limited | authorization_denied | api_key_created | api_key_revoked
    t.text('kind').notNullable();
    t.text('principal');
    t.text('role');
    t.text('subject'); // username, key prefix or party id the attempt was about (never a secret)
    t.uuid('case_id');
    t.text('ip');
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.index(['kind', 'subject', 'at']);
    t.index(['kind', 'ip', 'at']);
  });

  await knex.schema.createTable('personal_data_reads', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('principal').notNullable();
    t.text('role').notNullable();
    t.uuid('case_id').notNullable();
    t.uuid('party_id').notNullable();
    t.text('field').notNullable();
    t.index(['case_id', 'at']);
  });

  await knex.schema.alterTable('cases', (t) => {
    t.text('intake_org_id').references('organizations.org_id');
    t.text('handling_org_id').references('organizations.org_id');
    t.uuid('mediator_account_id').references('staff_accounts.account_id');
    t.text('court_institution_id').references('institutions.institution_id');
    t.text('confirming_court_id').references('institutions.institution_id');
    t.text('notary_institution_id').references('institutions.institution_id');
    t.boolean('legal_aid_requested').notNullable().defaultTo(false);
    t.index(['intake_org_id']);
    t.index(['handling_org_id']);
    t.index(['mediator_account_id']);
    t.index(['court_institution_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    for (const c of [
      'intake_org_id',
      'handling_org_id',
      'mediator_account_id',
      'court_institution_id',
      'confirming_court_id',
      'notary_institution_id',
      'legal_aid_requested',
    ])
      t.dropColumn(c);
  });
  for (const table of [
    'personal_data_reads',
    'security_events',
    'sms_outbox',
    'one_time_codes',
    'party_access_codes',
    'sessions',
    'institution_api_keys',
    'staff_accounts',
    'institutions',
    'organizations',
  ]) {
    await knex.schema.dropTable(table);
  }
}
