/**
 * Starting texts' deliveries: one text's (the API, as it records it), the sweep's batch (the `smsSweep`
 * workflow's activity, for texts whose delivery could not be started when they were recorded), and the Temporal
 * Schedule that runs that sweep once a minute, one per namespace.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Knex } from 'knex';
import { undeliveredSms } from '../db/sms-outbox.js';
import {
  SMS_DELIVERY_WORKFLOW_TYPE,
  SMS_SWEEP_BATCH,
  SMS_SWEEP_SCHEDULE_ID,
  SMS_SWEEP_WORKFLOW_TYPE,
  smsDeliveryWorkflowId,
  type SmsDeliveryInput,
} from '../workflows/messages.js';

/** Starts a message's delivery once: never again after a delivery of it has run (delivered or given up). */
export async function startSmsDelivery(temporal: Client, taskQueue: string, input: SmsDeliveryInput): Promise<void> {
  await temporal.workflow
    .start(SMS_DELIVERY_WORKFLOW_TYPE, {
      workflowId: smsDeliveryWorkflowId(input.messageId),
      taskQueue,
      args: [input],
      // Running: that delivery goes on; ended (delivered or given up): refused, and that is the answer.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    })
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
}

/**
 * Starts the deliveries nobody started: texts still unsent after `graceMs` (30 s), while they are of use (a
 * one-time code until it expires, any other text for three days), not refused by the gateway, and never
 * delivered by a workflow before; at most `limit` (500) of them, oldest first. Returns how many it asked to
 * start. Safe to run again at any time: a delivery that runs or ran is not started twice.
 */
export async function sweepUndelivered(
  db: Knex,
  temporal: Client,
  taskQueue: string,
  opts: { oneTimeCodeMs: number; graceMs?: number; now?: Date; limit?: number },
): Promise<number> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - (opts.graceMs ?? 30_000));
  const rows = await undeliveredSms(db, {
    now,
    before,
    oneTimeCodeMs: opts.oneTimeCodeMs,
    limit: opts.limit ?? SMS_SWEEP_BATCH,
  });
  for (const r of rows)
    await startSmsDelivery(temporal, taskQueue, { messageId: r.messageId, urgent: r.purpose === 'one_time_code' });
  return rows.length;
}

const SWEEP_EVERY_MS = 60_000;
/** A run that no worker took up (none polls its task queue) ends, so the next one is not skipped for ever. */
const SWEEP_RUN_TIMEOUT_MS = 10 * 60_000;
const SWEEP_NOTE =
  'Starts the delivery (deliverSms) of texts recorded in the outbox whose delivery could not be started when ' +
  `they were recorded (Temporal down): every minute, at most ${SMS_SWEEP_BATCH} per run; a run still going is ` +
  'not doubled.';

function sweepSchedule(scheduleId: string, taskQueue: string): ScheduleOptions {
  return {
    scheduleId,
    spec: { intervals: [{ every: SWEEP_EVERY_MS }] },
    action: {
      type: 'startWorkflow',
      workflowType: SMS_SWEEP_WORKFLOW_TYPE,
      // Temporal appends each run's scheduled time to this id.
      workflowId: scheduleId,
      taskQueue,
      args: [],
      workflowExecutionTimeout: SWEEP_RUN_TIMEOUT_MS,
    },
    // Runs missed while Temporal was down are not made up one by one: the next run sweeps them all.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: SWEEP_EVERY_MS },
    // The note, not a memo: a memo is sealed by the payload codec and the Temporal UI would show ciphertext.
    state: { note: SWEEP_NOTE },
  };
}

/** Whether a schedule as it stands does what `wanted` says (the parts this module sets). */
function matches(current: ScheduleDescription, wanted: ScheduleOptions): boolean {
  const intervals = current.spec.intervals ?? [];
  return (
    intervals.length === 1 &&
    intervals[0]!.every === SWEEP_EVERY_MS &&
    // (described without an offset when it has none, whatever the type says)
    (intervals[0]!.offset ?? 0) === 0 &&
    (current.spec.calendars ?? []).length === 0 &&
    current.action.workflowType === wanted.action.workflowType &&
    current.action.taskQueue === wanted.action.taskQueue &&
    current.action.workflowId === wanted.action.workflowId &&
    (current.action.args ?? []).length === 0 &&
    current.action.workflowExecutionTimeout === SWEEP_RUN_TIMEOUT_MS &&
    current.policies.overlap === ScheduleOverlapPolicy.SKIP &&
    current.policies.catchupWindow === SWEEP_EVERY_MS
  );
}

/**
 * Makes sure the SMS sweep's Temporal Schedule (`sms-sweep`) exists, once per namespace, and runs `smsSweep` on
 * `taskQueue` every minute: created when absent, brought back to this spec, action and policy when they
 * differ (a pause and its note, set by an operator, are kept), left alone otherwise. Every API and worker
 * instance may call it at start-up. Rejects when Temporal cannot be reached: retrying later is the caller's.
 */
export async function ensureSmsSweepSchedule(
  client: Client,
  opts: { taskQueue: string; scheduleId?: string },
): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = sweepSchedule(opts.scheduleId ?? SMS_SWEEP_SCHEDULE_ID, opts.taskQueue);
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(wanted.scheduleId);
  if (matches(await handle.describe(), wanted)) return 'unchanged';
  await handle.update((previous) => ({
    spec: wanted.spec,
    action: wanted.action,
    ...(wanted.policies ? { policies: wanted.policies } : {}),
    state: previous.state.paused ? { paused: true, note: previous.state.note } : { paused: false, note: SWEEP_NOTE },
  }));
  return 'updated';
}
