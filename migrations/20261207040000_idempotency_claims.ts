/**
 * Each hold on an `Idempotency-Key` carries a token of its own (api/idempotency.ts): a request cut before its
 * answer (its client went away, or a stopping instance closed its connection) frees the key at once, a retry
 * takes it over under a new token, and whatever the cut request's handler writes later (its answer, a release)
 * matches no longer and changes nothing.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.uuid('claim_token');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('claim_token');
  });
}
