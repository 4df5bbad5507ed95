/**
 * The clerk's work queue (db/queues.ts `queue`, what GET /queues/cases runs) at two sizes of the cases
 * table in a database of its own: the default queue, a filtered one (open statuses due within 7 days),
 * the second page by cursor, and a party-name search. p50/p99 over interleaved runs after ANALYZE, and
 * each query's plan (EXPLAIN ANALYZE) at both sizes, to show how the cost grows and where. The console part
 * (bench/console.ts) then times the 工作台 in a browser over the same cases, so a run seeds them once.
 */
import type { Knex } from 'knex';
import type { Principal } from '../domain/access-policy.js';
import { findStaffByUsername } from '../db/identity.js';
import { queue, type QueueFilter } from '../db/queues.js';
import { explainAnalyze } from '../db/tooling.js';
import { pct, round } from './stats.js';
import { seedCases } from './seed.js';

export type QueryName = 'default' | 'filtered' | 'secondPage' | 'nameSearch';
export type PlanSummary = { sql: string; plan: string; executionMs: number; sharedBuffers: number };
export type QueueSize = {
  cases: number;
  seedSeconds: number;
  queries: Record<QueryName, { p50Ms: number; p99Ms: number; plans: PlanSummary[] }>;
};

export type QueueBench = {
  /** The default queue's p99 at the smaller and the larger size (10 thousand and 1 million unless limited). */
  p99Ms10k: number;
  p99Ms1m: number;
  ratio: number;
  sizes: QueueSize[];
  /** Timed runs of each query at each size. */
  runs: number;
};

const OPEN = [
  'PENDING_ASSIGNMENT',
  'PENDING_MEDIATOR_ACCEPT',
  'IN_MEDIATION',
  'AGREEMENT_DRAFTING',
  'PENDING_SIGNATURE',
];

/** `db`: a fresh database of its own (BenchStack.freshDatabase), seeded here; the console part reads the same cases after. */
export async function benchQueue(
  db: Knex,
  opts: { sizes: [number, number]; runs: number; log: (line: string) => void },
): Promise<QueueBench> {
  const clerk = await findStaffByUsername(db, 'clerk.chen');
  if (!clerk?.orgId) throw new Error('the demo account clerk.chen is missing (is the database demo-seeded?)');
  const principal: Principal = {
    kind: 'staff',
    id: clerk.accountId,
    role: 'clerk',
    orgId: clerk.orgId,
    name: clerk.displayName,
  };
  const sizes: QueueSize[] = [];
  for (const size of opts.sizes) {
    opts.log(`queue: seeding to ${size} cases`);
    const seeded = await seedCases(db, { total: size, log: opts.log });
    sizes.push({ cases: size, seedSeconds: seeded.seconds, queries: await measure(db, principal, opts.runs) });
  }
  const [small, large] = sizes.map((s) => s.queries.default.p99Ms) as [number, number];
  return { p99Ms10k: small, p99Ms1m: large, ratio: round(large / small), sizes, runs: opts.runs };
}

async function measure(db: Knex, principal: Principal, runs: number): Promise<QueueSize['queries']> {
  const now = new Date();
  const first = await queue(db, principal, { limit: 50 }, now);
  const filters: Record<QueryName, QueueFilter> = {
    default: { limit: 50 },
    filtered: { status: OPEN, dueWithinDays: 7, limit: 50 },
    secondPage: { limit: 50, cursor: first.next ?? undefined },
    nameSearch: { q: '张', limit: 50 },
  };
  const names = Object.keys(filters) as QueryName[];
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<QueryName, number[]>;
  // Warm: the indexes and the table's hot pages in PostgreSQL's buffers, as on a server in use.
  for (let i = 0; i < 10; i++) for (const n of names) await queue(db, principal, filters[n], now);
  for (let i = 0; i < runs; i++) {
    for (const n of names) {
      const t = performance.now();
      await queue(db, principal, filters[n], now);
      times[n].push(performance.now() - t);
    }
  }
  const out = {} as QueueSize['queries'];
  for (const n of names)
    out[n] = {
      p50Ms: round(pct(times[n], 50)),
      p99Ms: round(pct(times[n], 99)),
      plans: await plansOf(db, () => queue(db, principal, filters[n], now)),
    };
  return out;
}

/** The plans of every statement one call sends (the queue itself and its parties lookup). */
async function plansOf(db: Knex, call: () => Promise<unknown>): Promise<PlanSummary[]> {
  const sent: { sql: string; bindings: readonly unknown[] }[] = [];
  const listener = (q: { sql: string; bindings?: readonly unknown[] }) =>
    sent.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', listener);
  try {
    await call();
  } finally {
    db.removeListener('query', listener);
  }
  const plans: PlanSummary[] = [];
  for (const q of sent) {
    // knex reports PostgreSQL's $n placeholders; raw() takes ?, in the same order.
    const sql = q.sql.replace(/\$\d+/g, '?');
    const top = (await explainAnalyze<{ Plan: PlanNode; 'Execution Time': number }[]>(db, sql, q.bindings))[0]!;
    plans.push({
      sql: q.sql.slice(0, 160),
      plan: describePlan(top.Plan),
      executionMs: round(top['Execution Time']),
      sharedBuffers: (top.Plan['Shared Hit Blocks'] ?? 0) + (top.Plan['Shared Read Blocks'] ?? 0),
    });
  }
  return plans;
}

type PlanNode = {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
};

/** A one-line plan: node types with their index or table and actual rows, children in brackets. */
function describePlan(node: PlanNode): string {
  const target = node['Index Name']
    ? ` using ${node['Index Name']}`
    : node['Relation Name']
      ? ` on ${node['Relation Name']}`
      : '';
  const children = node.Plans?.length ? ` [${node.Plans.map(describePlan).join('; ')}]` : '';
  return `${node['Node Type']}${target} (${node['Actual Rows'] ?? 0} rows)${children}`;
}
