/**
 * A court or notary account must belong to its institution (it sees only that institution's cases), and
 * an `Idempotency-Key` being processed holds a lease: if the process dies mid-request, the key frees
 * itself when the lease runs out instead of answering "in progress" forever.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE staff_accounts ADD CONSTRAINT institution_accounts_have_institution
    CHECK (role NOT IN ('court', 'notary') OR institution_id IS NOT NULL)`);
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.timestamp('locked_until', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('locked_until');
  });
  await knex.raw('ALTER TABLE staff_accounts DROP CONSTRAINT institution_accounts_have_institution');
}
