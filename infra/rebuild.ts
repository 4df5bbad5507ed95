/**
 * Recovery from the record alone: after Temporal's own state is lost (a new cluster, a deleted namespace,
 * histories past retention), every open case's workflow is started again from the state PostgreSQL stored
 * with its last recorded event, and so is each of its open securing processes; undelivered court and notary
 * messages are handed to new delivery workflows. A case whose workflow still runs is left alone, so running
 * it twice, or on a healthy system, changes nothing. The case records that it was rebuilt and recounts its
 * clocks from their recorded starts (see `mediationCase`); nothing already recorded is recorded again,
 * because the chain goes on from the stored state's last sequence number.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { CaseState } from '../domain/case-rules.js';
import { openCases, readProcesses, undeliveredInstitutionMessages, type ProcessRecord } from '../db/workflow-state.js';
import {
  CONFIRMATION_WORKFLOW_TYPE,
  DELIVERY_WORKFLOW_TYPE,
  NOTARIZATION_WORKFLOW_TYPE,
  WORKFLOW_TYPE,
  caseWorkflowId,
  deliveryWorkflowId,
  type MediationCaseInput,
  type ProcessInput,
} from '../workflows/messages.js';

export type RebuildReport = {
  /** Open cases in the record. */
  open: number;
  /** Cases whose workflow was started again, and processes. */
  rebuiltCases: string[];
  rebuiltProcesses: string[];
  /** Cases whose workflow was found running: nothing to do. */
  running: number;
  deliveriesRestarted: number;
  /** Cases the record cannot rebuild exactly, and why: an operator looks at each. */
  needsAttention: { caseId: string; why: string }[];
};

/** RUNNING, another status, or absent. */
async function workflowStatus(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Starts a workflow unless one with its id runs; true when this call started it. */
async function startUnlessRunning(
  client: Client,
  type: string,
  workflowId: string,
  taskQueue: string,
  args: unknown[],
): Promise<boolean> {
  if ((await workflowStatus(client, workflowId)) === 'RUNNING') return false;
  try {
    // A closed run with this id (terminated by hand, say) does not stand in the way: the record decides.
    await client.workflow.start(type, { workflowId, taskQueue, args, workflowIdReusePolicy: 'ALLOW_DUPLICATE' });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false; // another rebuild got there first
    throw err;
  }
}

export async function rebuildFromRecord(opts: {
  db: Knex;
  client: Client;
  taskQueue: string;
  by: string;
  reason: string;
  log?: (line: string) => void;
}): Promise<RebuildReport> {
  const { db, client, taskQueue } = opts;
  const log = opts.log ?? (() => undefined);
  const report: RebuildReport = {
    open: 0,
    rebuiltCases: [],
    rebuiltProcesses: [],
    running: 0,
    deliveriesRestarted: 0,
    needsAttention: [],
  };
  const rebuildProcesses = async (caseId: string, state: CaseState) => {
    for (const p of await readProcesses(db, caseId)) {
      if (!openInCase(p, state)) continue;
      const args: ProcessInput = {
        parentWorkflowId: caseWorkflowId(caseId),
        state: p.state,
        represents: p.represents,
        reportSeq: p.reportSeq,
      };
      if (
        await startUnlessRunning(
          client,
          p.kind === 'judicial_confirmation' ? CONFIRMATION_WORKFLOW_TYPE : NOTARIZATION_WORKFLOW_TYPE,
          p.workflowId,
          taskQueue,
          [args],
        )
      ) {
        report.rebuiltProcesses.push(p.workflowId);
        log(`rebuilt   ${state.caseNumber ?? caseId}  ${p.kind} ${p.n} (${p.state.status}) at report ${p.reportSeq}`);
      }
    }
  };
  for (let after = ''; ;) {
    const page = await openCases(db, after);
    if (page.length === 0) break;
    after = page.at(-1)!.caseId;
    for (const c of page) {
      report.open += 1;
      const workflowId = caseWorkflowId(c.caseId);
      if ((await workflowStatus(client, workflowId)) === 'RUNNING') {
        report.running += 1;
        if (c.state) await rebuildProcesses(c.caseId, c.state);
        continue;
      }
      if (!c.state || c.stateSeq === null) {
        report.needsAttention.push({
          caseId: c.caseId,
          why: 'no state recorded (its last event was recorded by a version before states were kept)',
        });
        continue;
      }
      if (c.stateSeq < c.lastSeq) {
        report.needsAttention.push({
          caseId: c.caseId,
          why: `the stored state is at event ${c.stateSeq}, the chain at ${c.lastSeq}`,
        });
        continue;
      }
      const input: MediationCaseInput = { carried: { state: c.state }, rebuilt: { by: opts.by, reason: opts.reason } };
      if (await startUnlessRunning(client, WORKFLOW_TYPE, workflowId, taskQueue, [input])) {
        report.rebuiltCases.push(c.caseId);
        log(`rebuilt   ${c.state.caseNumber ?? c.caseId}  ${c.state.status} at event ${c.stateSeq}`);
      } else report.running += 1;
      await rebuildProcesses(c.caseId, c.state);
      // A process the case started whose first report never reached the record: its start is not recoverable here.
      for (const s of c.state.securing?.processes ?? []) {
        if (!s.final && s.reportSeq === 0)
          report.needsAttention.push({
            caseId: c.caseId,
            why: `${s.kind} ${s.n} was started but never reported; ask the parties to apply again`,
          });
      }
    }
  }
  for (const deliveryId of await undeliveredInstitutionMessages(db)) {
    if (
      await startUnlessRunning(client, DELIVERY_WORKFLOW_TYPE, deliveryWorkflowId(deliveryId), taskQueue, [
        { deliveryId },
      ])
    )
      report.deliveriesRestarted += 1;
  }
  return report;
}

/** Open by its own last report and by what the case recorded of it. */
function openInCase(p: ProcessRecord, state: CaseState): boolean {
  const summary = state.securing?.processes.find((s) => s.kind === p.kind && s.n === p.n);
  return !p.final && summary?.final !== true;
}
