/** Whether PostgreSQL answers: for the readiness probe. */
import type { Knex } from 'knex';

/**
 * Rejects unless PostgreSQL answers within `ms`: the query is cancelled on the server when it runs too long,
 * and a connection the pool cannot hand out in time (PostgreSQL down, every connection busy) counts as no answer.
 */
export async function pingDatabase(db: Knex, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('PostgreSQL did not answer in time')), ms);
  });
  try {
    await Promise.race([db.raw('SELECT 1').timeout(ms, { cancel: true }), late]);
  } finally {
    clearTimeout(timer);
  }
}
