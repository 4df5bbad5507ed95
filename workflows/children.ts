/**
 * The child workflows a case or a securing process starts, each by its function (its workflow type is the
 * function's name: `judicialConfirmation`, `notarization`, `deliverMessage`, `deliverSms`, as recorded in
 * every history and named in `messages.ts` for the API). Every child outlives its parent's run
 * (continue-as-new, ABANDON) and its id comes from what it carries, so starting it twice finds the first.
 */
import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ConfirmationState, NotarizationState, Representation } from '../domain/securing.js';
import { deliverMessage, deliverSms } from './delivery.js';
import { deliveryWorkflowId, processWorkflowId, smsDeliveryWorkflowId } from './messages.js';
import { judicialConfirmation, notarization } from './securing-process.js';

/**
 * Starts a securing process from its initial state. It reports back to the case by signal; the case is the
 * one writer of its chain. Returns the process's workflow id.
 */
export async function startSecuringProcess(
  caseId: string,
  process: ConfirmationState | NotarizationState,
  represents: Representation,
): Promise<string> {
  const workflowId = processWorkflowId(caseId, process.kind, process.n);
  const options = { workflowId, parentClosePolicy: ParentClosePolicy.ABANDON };
  const parentWorkflowId = workflowInfo().workflowId;
  if (process.kind === 'judicial_confirmation')
    await startChild(judicialConfirmation, { ...options, args: [{ parentWorkflowId, state: process, represents }] });
  else await startChild(notarization, { ...options, args: [{ parentWorkflowId, state: process, represents }] });
  return workflowId;
}

/** Pushes a message to a court's or notary's webhook (retries never hold up the case). */
export function startDelivery(deliveryId: string): Promise<void> {
  return startOnce(() =>
    startChild(deliverMessage, {
      workflowId: deliveryWorkflowId(deliveryId),
      args: [{ deliveryId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    }),
  );
}

/** Hands a notice's text to the SMS gateway (a notice, not a one-time code: it may take days). */
export function startSmsDelivery(messageId: string): Promise<void> {
  return startOnce(() =>
    startChild(deliverSms, {
      workflowId: smsDeliveryWorkflowId(messageId),
      args: [{ messageId, urgent: false }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    }),
  );
}

async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    // Already being delivered (the same message sent again): that delivery carries it.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
