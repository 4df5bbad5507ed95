/**
 * Data access for complaints: the projection (one row per complaint, for lists, access and the credit file) and
 * one hash chain per complaint, hashed exactly as a case's (db/event-chain.ts, the complaint's id in the place
 * of the case's). Each write is keyed by complaint id and event sequence, so a retried activity writes once.
 */
import type { Knex } from 'knex';
import type { CaseEvent } from '../domain/case.js';
import { chinaYear } from '../domain/case-number.js';
import { isFinalComplaint, isSameMatter, type ComplaintState, type MediatorKind } from '../domain/complaints.js';
import { nextClockTimer } from '../domain/process-clocks.js';
import type { CaseAccess } from '../domain/access-policy.js';
import { CASE_ACCESS_COLUMNS, caseAccessOf } from './cases.js';
import { chainLinks, verifyChainRows, type ChainVerdict } from './event-chain.js';
import type { ComplaintRow } from './tables.js';

type Tx = Knex | Knex.Transaction;

/** 投诉受理编号, one sequence a year (Beijing time): （2026）揭司投字第0001号. */
export function complaintTrackingNumber(year: number, n: number): string {
  return `（${year}）揭司投字第${String(n).padStart(4, '0')}号`;
}

/** The projection's columns for a state (the chain's own columns are written by `appendComplaintEvents`). */
function projectionColumns(s: ComplaintState) {
  const next = nextClockTimer(s);
  return {
    status: s.status,
    investigator_id: s.investigator?.accountId ?? null,
    accepted_at: s.acceptedAt ? new Date(s.acceptedAt) : null,
    decided_at: s.decision ? new Date(s.decision.at) : null,
    upheld: s.decision ? s.decision.upheld : null,
    outcome: s.decision?.outcome ?? null,
    closed_at: s.closedAt ? new Date(s.closedAt) : null,
    state: JSON.stringify(s),
    next_due_at: next ? new Date(next.at) : null,
    updated_at: new Date(),
  };
}

/**
 * Records a new complaint with its first event, once: a retry finds the row and returns the number it was given.
 * The number's sequence moves in the same transaction, so a failed attempt uses none.
 */
export async function registerComplaintRecord(
  db: Knex,
  input: { state: ComplaintState; event: CaseEvent; workflowId: string },
): Promise<{ trackingNumber: string }> {
  const { state, event, workflowId } = input;
  const f = state.filing;
  return db.transaction(async (tx) => {
    await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [state.complaintId]);
    const existing = await tx('complaints').where({ complaint_id: state.complaintId }).first('tracking_number');
    if (existing) return { trackingNumber: existing.tracking_number };
    const year = chinaYear(f.receivedAt);
    const { rows } = await tx.raw(
      `INSERT INTO case_number_sequences (scope, year, last_value) VALUES ('complaint', ?, 1)
       ON CONFLICT (scope, year) DO UPDATE SET last_value = case_number_sequences.last_value + 1
       RETURNING last_value`,
      [year],
    );
    const trackingNumber = complaintTrackingNumber(year, rows[0].last_value as number);
    await tx('complaints').insert({
      complaint_id: state.complaintId,
      workflow_id: workflowId,
      tracking_number: trackingNumber,
      case_id: f.caseId,
      channel: f.channel,
      ground: f.ground,
      target_kind: f.target.kind,
      target_id: f.target.id,
      target_mediator_kind: f.target.mediatorKind ?? null,
      complainant_party_id: f.complainantPartyId,
      filed_by_id: f.filedBy.id,
      filed_by_role: f.filedBy.role,
      received_at: new Date(f.receivedAt),
      last_seq: 0,
      ...projectionColumns({ ...state, trackingNumber }),
    });
    await appendComplaintEvents(tx, state.complaintId, [event]);
    return { trackingNumber };
  });
}

/**
 * Appends events to the complaint's chain, idempotently (an event whose sequence number is stored is skipped),
 * and moves the projection to `state` when anything was written. One writer per chain: the row is locked.
 */
export async function appendComplaintEvents(
  trx: Knex.Transaction,
  complaintId: string,
  events: CaseEvent[],
  state?: ComplaintState,
): Promise<number> {
  const current = await trx('complaints').where({ complaint_id: complaintId }).forUpdate().first('last_seq');
  if (!current) throw new Error(`complaint ${complaintId} has no record`);
  const prevHash: string | null =
    current.last_seq === 0
      ? null
      : ((await trx('complaint_events').where({ complaint_id: complaintId, seq: current.last_seq }).first('hash'))
          ?.hash ?? null);
  const rows = chainLinks(complaintId, events, current.last_seq, prevHash).map((l) => ({
    complaint_id: complaintId,
    ...l,
  }));
  const last = rows.at(-1)?.seq ?? current.last_seq;
  if (rows.length === 0) return 0;
  await trx('complaint_events').insert(rows);
  await trx('complaints')
    .where({ complaint_id: complaintId })
    .update({ last_seq: last, ...(state ? projectionColumns(state) : {}) });
  return rows.length;
}

/** Checks a complaint's chain as `verifyCaseChain` checks a case's: order, links and every hash. */
export async function verifyComplaintChain(db: Tx, complaintId: string): Promise<ChainVerdict> {
  return verifyChainRows(complaintId, await db('complaint_events').where({ complaint_id: complaintId }).orderBy('seq'));
}

/**
 * A complaint's row with its case as its readers need it, from the same query: the case's number (案号) and the
 * columns and parties that say who may see the case (db/cases.ts caseAccessOf; domain/access-policy.ts canView).
 */
export type ComplaintWithCase = ComplaintRow & {
  case_number: string;
  case_access: Parameters<typeof caseAccessOf>[0];
  case_parties: Parameters<typeof caseAccessOf>[1];
};

/** Complaints joined to their case and its parties: one query for a list, never one per row. */
const complaintsWithCase = (db: Tx) =>
  db('complaints')
    .join('cases', 'cases.case_id', 'complaints.case_id')
    .select(
      'complaints.*',
      'cases.case_number',
      db.raw(`json_build_object(${CASE_ACCESS_COLUMNS.map((c) => `'${c}', cases.${c}`).join(', ')}) AS case_access`),
      db.raw(
        `(SELECT coalesce(json_agg(json_build_object('party_id', p.party_id, 'represents_party_id', p.represents_party_id)), '[]'::json)
          FROM case_parties p WHERE p.case_id = complaints.case_id) AS case_parties`,
      ),
    );

/** Who may see the complaint's case, from the columns read beside it. */
export const complaintCaseAccess = (row: ComplaintWithCase): CaseAccess =>
  caseAccessOf(row.case_access, row.case_parties);

export async function complaintById(db: Tx, complaintId: string): Promise<ComplaintWithCase | undefined> {
  return complaintsWithCase(db).where('complaints.complaint_id', complaintId).first();
}

/** The stored state of a complaint (as its workflow last recorded it). */
export function storedState(row: ComplaintRow): ComplaintState {
  return (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as ComplaintState;
}

/** The open complaint on the same matter, if any: a repeated complaint is merged into it. */
export async function openComplaintOnSameMatter(
  db: Tx,
  m: { caseId: string; complainantPartyId: string; targetKind: string; targetId: string },
): Promise<ComplaintRow | undefined> {
  const rows = await db('complaints')
    .where({ case_id: m.caseId, complainant_party_id: m.complainantPartyId })
    .orderBy('received_at');
  return rows.find(
    (r) =>
      !isFinalComplaint({ status: r.status as ComplaintState['status'] }) &&
      isSameMatter(
        {
          caseId: r.case_id,
          complainantPartyId: r.complainant_party_id,
          targetKind: r.target_kind,
          targetId: r.target_id,
        },
        m,
      ),
  );
}

/**
 * Complaints as a list: all (the supervisor), or those a person filed, is the complainant of, investigates or is the
 * target of; each with its case's number and who may see the case, in the same query.
 */
export async function listComplaints(db: Tx, scope: 'all' | { personId: string }): Promise<ComplaintWithCase[]> {
  const q = complaintsWithCase(db).orderBy('complaints.received_at', 'desc').limit(200);
  if (scope !== 'all')
    q.where((w) =>
      w
        .where('complaints.filed_by_id', scope.personId)
        .orWhere('complaints.complainant_party_id', scope.personId)
        .orWhere('complaints.investigator_id', scope.personId)
        // The target, once accepted (domain/complaints.ts complaintReader).
        .orWhere((t) => t.where('complaints.target_id', scope.personId).whereNotNull('complaints.accepted_at')),
    );
  return q;
}

/** What filing needs to know of the case: its mediator (and which kind), its organization, its parties. */
export async function complaintSubject(
  db: Tx,
  caseId: string,
): Promise<
  | {
      mediator: { id: string; name: string; kind: MediatorKind } | null;
      organization: { id: string; name: string } | null;
    }
  | undefined
> {
  const c = await db('cases').where({ case_id: caseId }).first();
  if (!c) return undefined;
  const mediator = c.mediator_account_id
    ? await db('staff_accounts').where({ account_id: c.mediator_account_id }).first('display_name')
    : undefined;
  const orgId = c.handling_org_id ?? c.intake_org_id;
  const org = orgId ? await db('organizations').where({ org_id: orgId }).first('name') : undefined;
  return {
    // A court's case is 特邀调解 (特邀调解规定 Art 2): its mediator is court-invited.
    mediator:
      c.mediator_account_id && mediator
        ? {
            id: c.mediator_account_id,
            name: mediator.display_name,
            kind: c.channel.startsWith('court_') ? 'court_invited' : 'people',
          }
        : null,
    organization: orgId && org ? { id: orgId, name: org.name } : null,
  };
}

/** A member of staff by account id: their name and role (the target or the investigator of a complaint). */
export async function staffMember(db: Tx, accountId: string): Promise<{ name: string; role: string } | undefined> {
  const row = await db('staff_accounts').where({ account_id: accountId, active: true }).first('display_name', 'role');
  return row ? { name: row.display_name, role: row.role } : undefined;
}

/** The upheld complaints against a target, for its credit file (诚信档案, seed Art 57). */
export async function upheldComplaintsAgainst(
  db: Tx,
  target: { kind: string; id: string },
): Promise<{ complaintId: string; trackingNumber: string; outcome: string | null; decidedAt: Date | null }[]> {
  const rows = await db('complaints')
    .where({ target_kind: target.kind, target_id: target.id, upheld: true })
    .orderBy('decided_at');
  return rows.map((r) => ({
    complaintId: r.complaint_id,
    trackingNumber: r.tracking_number,
    outcome: r.outcome,
    decidedAt: r.decided_at,
  }));
}
