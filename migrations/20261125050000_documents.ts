/** Generated documents (every version kept, with its SHA-256 and verification code) and their downloads. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('documents', (t) => {
    t.uuid('document_id').primary();
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.text('kind').notNullable(); // agreement | termination_notice | …
    t.integer('doc_version').notNullable();
    t.text('template_id').notNullable();
    t.text('template_version').notNullable();
    t.text('title').notNullable();
    t.text('sha256').notNullable();
    t.text('verification_code').notNullable().unique();
    t.integer('size_bytes').notNullable();
    t.text('storage').notNullable(); // postgres | filesystem | s3
    t.binary('bytes');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['case_id', 'kind', 'doc_version']);
    t.index(['sha256']);
  });
  await knex.schema.createTable('document_downloads', (t) => {
    t.bigIncrements('id');
    t.uuid('document_id').notNullable().references('documents.document_id');
    t.text('principal').notNullable();
    t.text('role').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('document_downloads');
  await knex.schema.dropTable('documents');
}
