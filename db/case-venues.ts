/**
 * The courts and notary offices a case can be sent to (institutions the center knows): the court that delegates
 * a case, the court that confirms an agreement, the notary office that notarizes it.
 * Functions take `db: Knex | Knex.Transaction` and return plain objects.
 */
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

export type Venue = { institutionId: string; name: string };
/** A court and whether it delegates disputes before filing (委派), switchable per court. */
export type Court = Venue & { preFilingDelegation: boolean };

const venue = (row: { institution_id: string; name: string } | undefined): Venue | undefined =>
  row ? { institutionId: row.institution_id, name: row.name } : undefined;

/** A court by its code (粤5202). */
export async function courtByCode(db: Tx, courtCode: string): Promise<Court | undefined> {
  const row = await db('institutions').where({ kind: 'court', code: courtCode }).first();
  return row
    ? { institutionId: row.institution_id, name: row.name, preFilingDelegation: row.pre_filing_delegation }
    : undefined;
}

/** A basic-level court by its code: the venue of an application for judicial confirmation. */
export async function basicCourtByCode(db: Tx, courtCode: string): Promise<Venue | undefined> {
  return venue(
    await db('institutions').where({ kind: 'court', code: courtCode, level: 'basic' }).first('institution_id', 'name'),
  );
}

/** Any institution the center knows, by id. */
export async function institutionById(db: Tx, institutionId: string): Promise<Venue | undefined> {
  return venue(await db('institutions').where({ institution_id: institutionId }).first('institution_id', 'name'));
}

/** A notary office by id. */
export async function notaryOfficeById(db: Tx, institutionId: string): Promise<Venue | undefined> {
  return venue(
    await db('institutions')
      .where({ kind: 'notary_office', institution_id: institutionId })
      .first('institution_id', 'name'),
  );
}
