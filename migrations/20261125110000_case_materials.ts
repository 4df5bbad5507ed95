/**
 * Files received for a case (a court's 委派/委托 file: letter, complaint, evidence): bytes and title kept
 * here, the title encrypted (it may name a person); the chain records each by id, kind and SHA-256.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_materials', (t) => {
    t.uuid('material_id').primary();
    t.uuid('case_id').notNullable().references('cases.case_id');
    t.text('kind').notNullable();
    t.text('title_enc').notNullable();
    t.text('media_type').notNullable();
    t.text('sha256').notNullable();
    t.integer('size_bytes').notNullable();
    t.binary('bytes').notNullable();
    t.text('uploaded_by').notNullable();
    t.text('uploaded_role').notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // The same file sent twice for one case is one material.
    t.unique(['case_id', 'sha256']);
  });
  await knex.schema.createTable('material_downloads', (t) => {
    t.bigIncrements('id');
    t.uuid('material_id').notNullable().references('case_materials.material_id');
    t.text('principal').notNullable();
    t.text('role').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('material_downloads');
  await knex.schema.dropTable('case_materials');
}
