/**
 * Queries of the operator scripts, the demo and the bench that no route or activity makes: the institutions an
 * API key is issued for and the keys issued, the portal demo's case, and what the bench reads back to check
 * itself (a demo account, events written, a text sent, a query's plan) or to seed around.
 */
import type { Knex } from 'knex';
import { createDb } from './knex.js';

type Tx = Knex | Knex.Transaction;

export async function findInstitution(
  db: Tx,
  institutionId: string,
): Promise<{ institutionId: string; name: string } | undefined> {
  const r = (await db('institutions').where({ institution_id: institutionId }).first('institution_id', 'name')) as
    { institution_id: string; name: string } | undefined;
  return r ? { institutionId: r.institution_id, name: r.name } : undefined;
}

export async function institutionIds(db: Tx): Promise<string[]> {
  return (await db('institutions').pluck('institution_id')) as string[];
}

/** Every API key issued, the oldest first: never the key, only its prefix. */
export async function listApiKeys(
  db: Tx,
): Promise<{ prefix: string; institutionId: string; label: string; revoked: boolean }[]> {
  const rows = (await db('institution_api_keys')
    .orderBy('created_at')
    .select('key_prefix', 'institution_id', 'label', 'revoked_at')) as {
    key_prefix: string;
    institution_id: string;
    label: string;
    revoked_at: Date | null;
  }[];
  return rows.map((r) => ({
    prefix: r.key_prefix,
    institutionId: r.institution_id,
    label: r.label,
    revoked: r.revoked_at !== null,
  }));
}

/** The latest case with this summary in this status (the portal demo finds its case by its marker summary). */
export async function latestCaseWithSummary(
  db: Tx,
  summary: string,
  status: string,
): Promise<{ caseId: string; caseNumber: string } | undefined> {
  const c = await db('cases').where({ summary, status }).orderBy('received_at', 'desc').first('case_id', 'case_number');
  return c ? { caseId: c.case_id, caseNumber: c.case_number } : undefined;
}

/** How many events of this type the case's chain holds. */
export async function countCaseEvents(db: Tx, caseId: string, type: string): Promise<number> {
  return Number((await db('case_events').where({ case_id: caseId, type }).count({ n: '*' }).first())?.n ?? 0);
}

/** The sealed text of the latest message of this purpose to a party (the bench reads a one-time code back). */
export async function latestSmsBody(db: Tx, partyId: string, purpose: string): Promise<string | undefined> {
  return (
    (await db('sms_outbox').where({ party_id: partyId, purpose }).orderBy('created_at', 'desc').first('body_enc')) as
      { body_enc: string } | undefined
  )?.body_enc;
}

/** PostgreSQL's plan of a statement, run for real (EXPLAIN ANALYZE, BUFFERS): the JSON it answers. */
export async function explainAnalyze<Plan>(db: Knex, sql: string, bindings: readonly unknown[]): Promise<Plan> {
  const result = await db.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, bindings as Knex.RawBinding[]);
  return result.rows[0]['QUERY PLAN'] as Plan;
}

/** Drops a database made for one run, connections and all. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const admin = createDb(adminUrl, { max: 1 });
  await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.destroy());
}

/** Cases whose workflow id starts with the prefix (a seeder's) and the others; none when there is no case table yet. */
export async function countCasesByWorkflowPrefix(
  db: Knex,
  prefix: string,
): Promise<{ matching: number; others: number }> {
  if (!(await db.schema.hasTable('cases'))) return { matching: 0, others: 0 };
  const { rows } = await db.raw(
    'SELECT count(*) FILTER (WHERE workflow_id LIKE ?) AS seeded, count(*) FILTER (WHERE workflow_id NOT LIKE ?) AS others FROM cases',
    [`${prefix}%`, `${prefix}%`],
  );
  return { matching: Number(rows[0].seeded), others: Number(rows[0].others) };
}

/** The mediation organizations with the disputes they take, and every mediator with their organization. */
export async function mediationRoster(db: Tx): Promise<{
  organizations: { orgId: string; abbreviation: string | null; disputeTypes: string[] }[];
  mediators: { accountId: string; orgId: string | null }[];
}> {
  const orgs = (await db('organizations').select('org_id', 'abbreviation', 'dispute_types')) as {
    org_id: string;
    abbreviation: string | null;
    dispute_types: string[];
  }[];
  const mediators = (await db('staff_accounts').where({ role: 'mediator' }).select('account_id', 'org_id')) as {
    account_id: string;
    org_id: string | null;
  }[];
  return {
    organizations: orgs.map((o) => ({ orgId: o.org_id, abbreviation: o.abbreviation, disputeTypes: o.dispute_types })),
    mediators: mediators.map((m) => ({ accountId: m.account_id, orgId: m.org_id })),
  };
}
