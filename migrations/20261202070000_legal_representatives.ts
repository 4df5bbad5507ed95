/**
 * An organization that is a party acts through its 法定代表人 or 主要负责人 (民事诉讼法 Art 51 ¶2): their
 * kind, name and title, as the business register shows them. Rows from before have none; documents then
 * print a line to fill in by hand.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_parties', (t) => {
    t.jsonb('legal_representative');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_parties', (t) => {
    t.dropColumn('legal_representative');
  });
}
