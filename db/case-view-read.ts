/**
 * What the case view reads (GET /cases/:id and every action's answer), in as few statements as it needs and
 * without a cost that grows with the case's length: the case row once (the record, the access policy's columns
 * and the state stored with the last event), its parties once, and its events incrementally. The chain is
 * append-only (db/event-chain.ts), so the events read before are kept per case and only those after them are
 * read; the last kept event is read again and its hash compared, so a chain that is not the one kept (a
 * database restored from a backup) is read again in full. The shapes are those of `getCaseRecord`,
 * `getCaseAccess` and `readCaseState` (db/cases.ts, db/workflow-state.ts), which test/db/case-view-read.test.ts
 * compares.
 */
import type { Knex } from 'knex';
import type { CaseAccess } from '../domain/access-policy.js';
import type { CaseState } from '../domain/case-rules.js';
import type { FieldCipher } from '../infra/crypto.js';
import { CASE_ACCESS_COLUMNS, caseAccessOf, caseRecordOf, recordedEventOf, type CaseRecord } from './cases.js';
import type { RecordedState } from './workflow-state.js';

export type CaseViewRead = { record: CaseRecord; access: CaseAccess; recorded: RecordedState | undefined };

type RecordedEvent = CaseRecord['events'][number];

/** The case row's columns the view reads (not `*`: the row also holds search and queue columns). */
const CASE_COLUMNS = [
  'case_number',
  'status',
  'channel',
  'dispute_type',
  'summary',
  'claimant_learned_of_harm_on',
  'claim_amount_fen',
  'court',
  'referral',
  'prior_proceedings',
  'received_at',
  'last_seq',
  'status_changed_at',
  // case_id among them
  ...CASE_ACCESS_COLUMNS,
  'workflow_state',
  'state_seq',
] as const;

/** The case as the view shows it, who may see it, and its recorded state; undefined when there is no such case. */
export async function readCaseView(db: Knex, cipher: FieldCipher, caseId: string): Promise<CaseViewRead | undefined> {
  const [row, parties] = await Promise.all([
    db('cases')
      .where({ case_id: caseId })
      .first(...CASE_COLUMNS),
    db('case_parties').where({ case_id: caseId }).orderBy('position'),
  ]);
  if (!row) return undefined;
  const events = await recordedEvents(db, caseId);
  const record = caseRecordOf(cipher, row, parties, events);
  const access = caseAccessOf(row, parties);
  const recorded: RecordedState | undefined = row.workflow_state
    ? { state: row.workflow_state as CaseState, seq: row.state_seq as number, current: row.state_seq >= row.last_seq }
    : undefined;
  return { record, access, recorded };
}

/** Events kept per case, with the hash of the last one; at most KEPT_EVENTS in all, the least recently read dropped first. */
type Kept = { events: readonly RecordedEvent[]; lastHash: string };
const KEPT_EVENTS = 50_000;
const keptByDb = new WeakMap<Knex, { cases: Map<string, Kept>; events: number }>();

/** The case's events in chain order: those kept, and those recorded since, read from the last kept one on. */
async function recordedEvents(db: Knex, caseId: string): Promise<RecordedEvent[]> {
  const kept = keptOf(db);
  const before = kept.cases.get(caseId);
  const from = before?.events.at(-1)?.seq ?? 0;
  const rows = await db('case_events')
    .where({ case_id: caseId })
    .andWhere('seq', '>=', from)
    .orderBy('seq')
    .select('seq', 'type', 'at', 'actor_id', 'actor_role', 'payload', 'hash');
  // The last kept event is still the chain's: go on from it. Otherwise the chain is not the one kept: read it all.
  if (before && rows[0]?.seq === from && rows[0].hash === before.lastHash) {
    const events = rows.length > 1 ? [...before.events, ...rows.slice(1).map(recordedEventOf)] : before.events;
    keep(kept, caseId, { events, lastHash: rows.at(-1)!.hash }, before);
    return [...events];
  }
  if (before) return readAll(db, caseId, kept, before);
  const events = rows.map(recordedEventOf);
  if (rows.length > 0) keep(kept, caseId, { events, lastHash: rows.at(-1)!.hash }, undefined);
  return [...events];
}

async function readAll(
  db: Knex,
  caseId: string,
  kept: { cases: Map<string, Kept>; events: number },
  before: Kept,
): Promise<RecordedEvent[]> {
  const rows = await db('case_events')
    .where({ case_id: caseId })
    .orderBy('seq')
    .select('seq', 'type', 'at', 'actor_id', 'actor_role', 'payload', 'hash');
  const events = rows.map(recordedEventOf);
  if (rows.length > 0) keep(kept, caseId, { events, lastHash: rows.at(-1)!.hash }, before);
  else forget(kept, caseId, before);
  return [...events];
}

function keptOf(db: Knex) {
  let kept = keptByDb.get(db);
  if (!kept) keptByDb.set(db, (kept = { cases: new Map(), events: 0 }));
  return kept;
}

/** Keeps a case's events as the most recently read (a longer chain read meanwhile by another request wins). */
function keep(
  kept: { cases: Map<string, Kept>; events: number },
  caseId: string,
  next: Kept,
  before: Kept | undefined,
) {
  const current = kept.cases.get(caseId);
  if (current && current !== before && (current.events.at(-1)?.seq ?? 0) >= (next.events.at(-1)?.seq ?? 0)) return;
  if (current) forget(kept, caseId, current);
  kept.cases.set(caseId, next);
  kept.events += next.events.length;
  for (const [id, k] of kept.cases) {
    if (kept.events <= KEPT_EVENTS || id === caseId) break;
    forget(kept, id, k);
  }
}

function forget(kept: { cases: Map<string, Kept>; events: number }, caseId: string, k: Kept) {
  if (kept.cases.get(caseId) !== k) return;
  kept.cases.delete(caseId);
  kept.events -= k.events.length;
}

/**
 * The case's events up to and including `throughSeq`, in chain order: the events an earlier answer showed, read
 * again for its Idempotency-Key's replay (api/case-view-replay.ts). The chain is append-only, so they are the same.
 */
export async function caseEventsThrough(db: Knex, caseId: string, throughSeq: number): Promise<RecordedEvent[]> {
  const rows = await db('case_events')
    .where({ case_id: caseId })
    .andWhere('seq', '<=', throughSeq)
    .orderBy('seq')
    .select('seq', 'type', 'at', 'actor_id', 'actor_role', 'payload');
  return rows.map(recordedEventOf);
}
