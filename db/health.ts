/** Whether PostgreSQL answers: for the readiness probe. */
import type { Knex } from 'knex';

export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('SELECT 1');
}
