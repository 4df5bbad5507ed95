/**
 * The complaint workflow's public contract (as workflows/messages.ts is the case's): its type, its id, its input
 * and its messages. The API and the tests import these constants; no message name is written anywhere else.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ComplaintCommand, ComplaintFiling, ComplaintState } from '../domain/complaints.js';

export const COMPLAINT_WORKFLOW_TYPE = 'complaint';

/** One workflow per complaint: starting the same complaint twice finds the first. */
export function complaintWorkflowId(complaintId: string): string {
  return `complaint-${complaintId}`;
}

/** A new complaint carries its filing; one that continued as new also carries its state. */
export type ComplaintInput = { filing: ComplaintFiling; carried?: { state: ComplaintState } };

/** What people ask of a complaint: every command but the workflow's own timers. */
export type ComplaintAction = Exclude<ComplaintCommand, { type: 'clock_expired' }>;

/** Answers once the complaint is recorded and numbered (what POST …/complaints waits for). */
export const awaitComplaintRegistrationUpdate = defineUpdate<ComplaintState, []>('awaitComplaintRegistration');
/** A person's action; the validator refuses with the rule's reason (never entering history). */
export const complaintActionUpdate = defineUpdate<ComplaintState, [ComplaintAction]>('complaintAction');
export const complaintStateQuery = defineQuery<ComplaintState>('complaintState');
