/**
 * Why each full read of a party's personal data was made (送达文书, 联系当事人, …), kept with the read:
 * personal data is processed for a clear purpose and no further than it needs (个人信息保护法 Art 6), by
 * staff with set permissions under set procedures (Art 51), and the log shows the purpose of each read.
 * Reads recorded before carry none (null).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('personal_data_reads', (t) => {
    t.text('reason');
  });
  await knex.raw(
    'ALTER TABLE personal_data_reads ADD CONSTRAINT personal_data_reads_reason_length CHECK (reason IS NULL OR char_length(reason) BETWEEN 1 AND 200)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE personal_data_reads DROP CONSTRAINT personal_data_reads_reason_length');
  await knex.schema.alterTable('personal_data_reads', (t) => {
    t.dropColumn('reason');
  });
}
