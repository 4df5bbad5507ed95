/**
 * The process's state in the record: the case's state after each recorded batch, and each securing
 * process's latest reported state. Written in the same transaction as the events they follow, so the state
 * at `state_seq` is exactly what the chain up to that event produced. No personal data: parties by id only.
 */
import type { Knex } from 'knex';
import type { CaseState } from '../domain/case-rules.js';
import type { ConfirmationState, NotarizationState, Representation } from '../domain/securing.js';

type Tx = Knex | Knex.Transaction;

export type ProcessRecord = {
  kind: 'judicial_confirmation' | 'notarization';
  n: number;
  workflowId: string;
  state: ConfirmationState | NotarizationState;
  reportSeq: number;
  final: boolean;
  represents: Representation;
};

/** The columns that hold a case's state, for an update that writes them with the events they follow. */
export function stateColumns(state: CaseState) {
  return { workflow_state: JSON.stringify(state), state_seq: state.lastSeq };
}

/** Never moves back: a state older than the stored one (a late retry) is ignored. */
export async function saveCaseState(tx: Tx, caseId: string, state: CaseState): Promise<void> {
  await tx('cases')
    .where({ case_id: caseId })
    .andWhere((q) => q.whereNull('state_seq').orWhere('state_seq', '<=', state.lastSeq))
    .update(stateColumns(state) as never);
}

export async function saveProcessState(tx: Tx, caseId: string, p: ProcessRecord): Promise<void> {
  await tx('case_processes')
    .insert({
      case_id: caseId,
      kind: p.kind,
      n: p.n,
      workflow_id: p.workflowId,
      state: JSON.stringify(p.state),
      report_seq: p.reportSeq,
      final: p.final,
      represents: JSON.stringify(p.represents),
      updated_at: new Date(),
    })
    .onConflict(['case_id', 'kind', 'n'])
    .merge()
    .where('case_processes.report_seq', '<', p.reportSeq);
}

/** `current`: the state is as of the chain's last event (not behind a version that stored none). */
export type RecordedState = { state: CaseState; seq: number; current: boolean };

export async function readCaseState(db: Tx, caseId: string): Promise<RecordedState | undefined> {
  const row = await db('cases').where({ case_id: caseId }).first('workflow_state', 'state_seq', 'last_seq');
  return row?.workflow_state
    ? { state: row.workflow_state as CaseState, seq: row.state_seq as number, current: row.state_seq >= row.last_seq }
    : undefined;
}

export async function readProcesses(db: Tx, caseId: string): Promise<ProcessRecord[]> {
  const rows = await db('case_processes').where({ case_id: caseId }).orderBy(['kind', 'n']);
  return rows.map((r) => ({
    kind: r.kind,
    n: r.n,
    workflowId: r.workflow_id,
    state: r.state,
    reportSeq: r.report_seq,
    final: r.final,
    represents: r.represents,
  }));
}

/** Cases whose recorded state is not closed, oldest first; and those with no state recorded at all. */
export async function openCases(
  db: Tx,
  after = '',
  limit = 500,
): Promise<
  { caseId: string; workflowId: string; state: CaseState | null; lastSeq: number; stateSeq: number | null }[]
> {
  const rows = await db('cases')
    .where('case_id', '>', after || '00000000-0000-0000-0000-000000000000')
    .andWhere((q) => q.whereNull('workflow_state').orWhereRaw("workflow_state->>'closedAt' IS NULL"))
    .orderBy('case_id')
    .limit(limit)
    .select('case_id', 'workflow_id', 'workflow_state', 'last_seq', 'state_seq');
  return rows.map((r) => ({
    caseId: r.case_id,
    workflowId: r.workflow_id,
    state: r.workflow_state,
    lastSeq: r.last_seq,
    stateSeq: r.state_seq,
  }));
}

/** Court and notary messages that never reached their receiver (no delivery recorded as done). */
export async function undeliveredInstitutionMessages(db: Tx): Promise<string[]> {
  return (await db('institution_messages as m')
    .whereNotExists((e) =>
      e
        .select(db.raw('1'))
        .from('delivery_attempts as a')
        .whereRaw('a.delivery_id = m.delivery_id')
        .whereIn('a.outcome', ['delivered', 'no_webhook']),
    )
    .orderBy('m.delivery_id')
    .pluck('m.delivery_id')) as string[];
}
