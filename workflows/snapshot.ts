/**
 * What a case shows of its state. Pure: the workflow answers its snapshot query with it, and the API builds
 * the same view from the state recorded in PostgreSQL when the workflow cannot be asked.
 */
import type { CaseState } from '../domain/case-rules.js';
import type { DeadlineRuleId } from '../domain/deadlines.js';
import type { CaseSnapshot } from './messages.js';

export function deadlineList(state: Pick<CaseState, 'deadlines'>): CaseSnapshot['deadlines'] {
  return Object.entries(state.deadlines).map(([ruleId, d]) => ({ ...d!, ruleId: ruleId as DeadlineRuleId }));
}

export function caseSnapshot(state: CaseState, registered: boolean): CaseSnapshot {
  return {
    caseId: state.caseId,
    caseNumber: state.caseNumber ?? null,
    status: state.status,
    registered,
    lastSeq: state.lastSeq,
    closedAt: state.closedAt ?? null,
    notAccepted: state.notAccepted ?? null,
    termination: state.termination ?? null,
    assignment: state.assignment,
    agreement: state.agreement ?? null,
    screening: state.screening,
    deadlines: deadlineList(state),
    securing: state.securing ?? null,
    performance: state.performance ?? null,
    caseFacts: state.caseFacts ?? null,
    failureReportPending: state.failureReportPending ?? null,
  };
}
