/**
 * The mediation case workflow's public contract: task queue, workflow id, and every message. The API,
 * the worker and the tests import these constants; no message name is written anywhere else.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, CaseStatus, NotAcceptedReason } from '../domain/case.js';

export const DEFAULT_TASK_QUEUE = 'mediation-cases';
export const WORKFLOW_TYPE = 'mediationCase';

/** Deterministic: one workflow per case, so starting the same case twice finds the first. */
export function caseWorkflowId(caseId: string): string {
  return `mediation-case-${caseId}`;
}

/** What the workflow knows; the API joins it with the PostgreSQL record. */
export type CaseSnapshot = {
  caseId: string;
  caseNumber: string | null;
  status: CaseStatus;
  registered: boolean;
  lastSeq: number;
  notAccepted: { reason: NotAcceptedReason; note?: string } | null;
  closedAt: string | null;
};

/** Resolves once the intake is recorded in PostgreSQL and the case has its number. */
export const awaitRegistrationUpdate = defineUpdate<CaseSnapshot, []>('awaitRegistration');
/** 受理: the clerk's acceptance review accepts the case. */
export const acceptCaseUpdate = defineUpdate<CaseSnapshot, [{ actor: Actor; note?: string }]>('acceptCase');
/** 不予受理: the acceptance review refuses, with a reason and notice of the other routes. */
export const declineCaseUpdate = defineUpdate<
  CaseSnapshot,
  [{ actor: Actor; reason: NotAcceptedReason; note?: string }]
>('declineCase');
export const snapshotQuery = defineQuery<CaseSnapshot>('snapshot');

/** ApplicationFailure types the workflow uses to refuse a command; the API maps them to HTTP. */
export const REFUSAL_FAILURE_TYPE = {
  wrong_state: 'CaseWrongState',
  forbidden: 'CaseActionForbidden',
  rule: 'CaseRuleRefusal',
} as const;
