/**
 * Guardians and agents act for a party; a child under 14 is sensitive as a whole (个人信息保护法 Art 28),
 * so the child's name is kept encrypted and only a masked form is stored in the clear.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_parties', (t) => {
    t.uuid('represents_party_id').references('case_parties.party_id');
    t.boolean('minor_under_14').notNullable().defaultTo(false);
    t.text('name_enc');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_parties', (t) => {
    t.dropColumn('represents_party_id');
    t.dropColumn('minor_under_14');
    t.dropColumn('name_enc');
  });
}
