/**
 * The case row and its deadlines as lists, queues and the access policy read them: a projection of the
 * workflow's state, moved in the same transaction as the events that changed it (activities' recordCaseEvents).
 */
import type { Knex } from 'knex';
import type { CaseStatus } from '../domain/case.js';
import type { CaseState, DeadlineState } from '../domain/case-rules.js';
import type { DeadlineRuleId } from '../domain/deadlines.js';
import { isProvisional } from '../domain/recount.js';
import { NO_DEADLINE } from './queues.js';
import { stateColumns, type ProcessRecord } from './workflow-state.js';

type Tx = Knex | Knex.Transaction;

/** What the case row shows for lists, queues and the access policy. */
export type CaseProjection = {
  status: CaseStatus;
  mediatorAccountId: string | null;
  handlingOrgId: string | null;
  legalAidRequested: boolean;
  priorityGroups: string[];
  terminationReason: string | null;
  agreementEffectiveAt: string | null;
  deadlines: (DeadlineState & { ruleId: DeadlineRuleId })[];
  /** The calendar the pending instalments were counted on ('' when one predates versions; absent: none pending). */
  instalmentsCalendarVersion?: string | null;
  /** The court asked to confirm, the notary asked to notarize: they may see the case. */
  confirmingCourtId?: string | null;
  notaryInstitutionId?: string | null;
  /** The case's whole state after these events (histories recorded before it sent none). */
  state?: CaseState;
  /** The securing process whose report these events are, as it reported itself. */
  process?: ProcessRecord;
};

/**
 * The case row's columns as the projection moves them: set by the same statement that moves the row to the events
 * (db/cases.ts appendCaseEvents), one update of the row a batch. The deadlines go with saveCaseDeadlines.
 */
export function caseProjectionColumns(p: CaseProjection): Record<string, unknown> {
  return {
    mediator_account_id: p.mediatorAccountId,
    ...(p.handlingOrgId ? { handling_org_id: p.handlingOrgId } : {}),
    legal_aid_requested: p.legalAidRequested,
    priority_groups: JSON.stringify(p.priorityGroups),
    termination_reason: p.terminationReason,
    agreement_effective_at: p.agreementEffectiveAt ? new Date(p.agreementEffectiveAt) : null,
    ...(p.confirmingCourtId !== undefined ? { confirming_court_id: p.confirmingCourtId } : {}),
    // The queues' order: the earliest open deadline, or last when there is none.
    ...nextDue(p.deadlines),
    ...(p.notaryInstitutionId !== undefined ? { notary_institution_id: p.notaryInstitutionId } : {}),
    ...(p.instalmentsCalendarVersion !== undefined
      ? { instalments_calendar_version: p.instalmentsCalendarVersion }
      : {}),
    // The state these events produced (newly written, so the newest): what reads and a rebuild use.
    ...(p.state ? stateColumns(p.state) : {}),
  };
}

/** Every deadline of the case in one statement (upserted by case and rule). */
export async function saveCaseDeadlines(
  trx: Tx,
  caseId: string,
  deadlines: CaseProjection['deadlines'],
): Promise<void> {
  if (deadlines.length === 0) return;
  await trx('case_deadlines')
    .insert(
      deadlines.map((d) => ({
        case_id: caseId,
        rule_id: d.ruleId,
        status: d.status,
        started_at: new Date(d.startedAt),
        due_at: d.dueAt ? new Date(d.dueAt) : null,
        last_day: d.lastDay || null,
        reminder_at: d.reminderAt ? new Date(d.reminderAt) : null,
        calendar_version: d.calendarVersion || null,
        reminded: d.reminded,
        explanation: JSON.stringify(d.explanation),
        updated_at: new Date(),
      })),
    )
    .onConflict(['case_id', 'rule_id'])
    .merge()
    // A deadline as it was (most of them, at most updates) is left alone: no new row version, no index entries.
    .whereRaw(
      `(${DEADLINE_STATE.map((c) => `case_deadlines.${c}`).join(', ')}) IS DISTINCT FROM (${DEADLINE_STATE.map((c) => `excluded.${c}`).join(', ')})`,
    );
}

/** What a deadline's row says, beside its key and when it was written. */
const DEADLINE_STATE = [
  'status',
  'started_at',
  'due_at',
  'last_day',
  'reminder_at',
  'calendar_version',
  'reminded',
  'explanation',
] as const;

function nextDue(deadlines: CaseProjection['deadlines']) {
  const open = deadlines
    .filter((d) => d.status === 'open' && d.dueAt)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  return {
    next_due_at: open ? new Date(open.dueAt) : null,
    next_due_rule: open?.ruleId ?? null,
    next_due_provisional: open ? isProvisional(open) : false,
    due_sort: new Date(open?.dueAt ?? NO_DEADLINE),
  };
}
