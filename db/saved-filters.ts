/**
 * Saved queue filters, one list per person (docs/screens.md#the-clerks-workbench: saved filters kept on the server per person). A
 * filter is the query of GET /queues/cases as strings; every read and write is keyed by the owner's account,
 * so another person's filter is indistinguishable from one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** How many filters one person keeps. */
export const SAVED_FILTERS_PER_ACCOUNT = 50;
export const SAVED_FILTER_NAME_MAX = 50;

export type SavedFilter = {
  filterId: string;
  name: string;
  filter: Record<string, string>;
  createdAt: string;
  updatedAt: string;
};

export type SaveResult = { ok: true; filter: SavedFilter } | { ok: false; reason: 'name_taken' | 'full' | 'not_found' };

type Row = { filter_id: string; name: string; filter: Record<string, string>; created_at: Date; updated_at: Date };

const COLUMNS = ['filter_id', 'name', 'filter', 'created_at', 'updated_at'];

function toFilter(r: Row): SavedFilter {
  return {
    filterId: r.filter_id,
    name: r.name,
    filter: r.filter,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A unique-name violation, whether the check before it lost a race or not. */
function isNameTaken(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

export async function listSavedFilters(db: Knex, accountId: string): Promise<SavedFilter[]> {
  const rows = (await db('saved_queue_filters')
    .where({ account_id: accountId })
    .orderBy([{ column: 'name' }, { column: 'filter_id' }])
    .select(COLUMNS)) as Row[];
  return rows.map(toFilter);
}

export async function createSavedFilter(
  db: Knex,
  accountId: string,
  input: { name: string; filter: Record<string, string> },
  now: Date,
): Promise<SaveResult> {
  try {
    return await db.transaction(async (tx) => {
      // One writer per account at a time, so two requests at once cannot both take the 50th place.
      await tx('staff_accounts').where({ account_id: accountId }).forUpdate().first('account_id');
      const [{ n }] = (await tx('saved_queue_filters').where({ account_id: accountId }).count({ n: '*' })) as [
        { n: number | string },
      ];
      if (Number(n) >= SAVED_FILTERS_PER_ACCOUNT) return { ok: false, reason: 'full' } as const;
      if (await tx('saved_queue_filters').where({ account_id: accountId, name: input.name }).first('filter_id'))
        return { ok: false, reason: 'name_taken' } as const;
      const [row] = (await tx('saved_queue_filters')
        .insert({
          filter_id: randomUUID(),
          account_id: accountId,
          name: input.name,
          filter: JSON.stringify(input.filter),
          created_at: now,
          updated_at: now,
        })
        .returning(COLUMNS)) as Row[];
      return { ok: true, filter: toFilter(row!) } as const;
    });
  } catch (err) {
    if (isNameTaken(err)) return { ok: false, reason: 'name_taken' };
    throw err;
  }
}

/** Renames and/or replaces the filter; only its owner's, else not_found. */
export async function updateSavedFilter(
  db: Knex,
  accountId: string,
  filterId: string,
  change: { name?: string | undefined; filter?: Record<string, string> | undefined },
  now: Date,
): Promise<SaveResult> {
  if (!UUID.test(filterId)) return { ok: false, reason: 'not_found' };
  try {
    const [row] = (await db('saved_queue_filters')
      .where({ filter_id: filterId, account_id: accountId })
      .update({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.filter !== undefined ? { filter: JSON.stringify(change.filter) } : {}),
        updated_at: now,
      })
      .returning(COLUMNS)) as Row[];
    return row ? { ok: true, filter: toFilter(row) } : { ok: false, reason: 'not_found' };
  } catch (err) {
    if (isNameTaken(err)) return { ok: false, reason: 'name_taken' };
    throw err;
  }
}

export async function deleteSavedFilter(db: Knex, accountId: string, filterId: string): Promise<boolean> {
  if (!UUID.test(filterId)) return false;
  return (await db('saved_queue_filters').where({ filter_id: filterId, account_id: accountId }).delete()) > 0;
}
