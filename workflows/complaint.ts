/**
 * One workflow per complaint (docs/supervision.md#complaints): a clocked process (workflows/clocked-process.ts) over
 * `decideComplaint`. Filed, it is recorded and numbered and its acceptance clock starts; then it takes the
 * supervisor's and the complainant's actions, and its clocks (acceptance in 5 working days, decision in 45 days with
 * one approved extension, answer, feedback) each run out as a command of its own, until it is closed, not accepted or
 * withdrawn. Each event goes to the complaint's own hash chain. Deterministic: no I/O, no Node built-ins.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  complaintFiled,
  decideComplaint,
  isFinalComplaint,
  withClock,
  type ComplaintClockId,
  type ComplaintCommand,
  type ComplaintState,
} from '../domain/complaints.js';
import { nextClockTimer, withClockStopped } from '../domain/process-clocks.js';
import type { ComplaintActivities, CountedComplaintClock } from '../activities/complaints.js';
import { processRun, recordStep, runProcess, type ClockedProcess, type ProcessRun } from './clocked-process.js';
import { ACTIVITY_OPTIONS } from './common.js';
import {
  awaitComplaintRegistrationUpdate,
  complaintActionUpdate,
  complaintStateQuery,
  type ComplaintInput,
} from './complaint-messages.js';

const acts = proxyActivities<ComplaintActivities>(ACTIVITY_OPTIONS);

type Complaint = {
  state: ComplaintState;
  command: ComplaintCommand;
  clockId: ComplaintClockId;
  counted: CountedComplaintClock;
};

const complaintProcess: ClockedProcess<Complaint> = {
  decide: decideComplaint,
  isFinal: isFinalComplaint,
  nextTimer: nextClockTimer,
  // An extension counts the decision clock again from its start, with the days approved.
  countClock: ({ clockId, startedAt, extensionDays }) =>
    acts.computeComplaintClock({ clockId, startedAt, ...(extensionDays ? { extensionDays } : {}) }),
  withClock,
  withClockStopped,
  clockEvents: {
    set: 'ComplaintClockSet',
    stopped: 'ComplaintClockStopped',
    uncomputable: 'ComplaintClockUncomputable',
  },
  clockSet: ({ clockId, startedAt, dueAt, lastDay, calendarVersion, extensionDays, explanation }) => ({
    clockId,
    startedAt,
    dueAt,
    lastDay,
    calendarVersion,
    extensionDays,
    explanation,
  }),
  record: (state, events) => acts.recordComplaintEvents({ complaintId: state.complaintId, events, state }),
};

export async function complaint(input: ComplaintInput): Promise<ComplaintState> {
  const filed = complaintFiled(input.filing);
  // One that continued as new is registered already.
  const run = processRun(complaintProcess, input.carried?.state ?? filed.state, input.carried !== undefined);
  const messages = {
    state: complaintStateQuery,
    ready: awaitComplaintRegistrationUpdate,
    action: complaintActionUpdate,
  };
  return runProcess(run, messages, input.carried ? undefined : () => register(run, filed));
}

/** The complaint is recorded and numbered, then its acceptance clock starts: what the filer is answered with. */
async function register(run: ProcessRun<Complaint>, filed: ReturnType<typeof complaintFiled>): Promise<void> {
  const { trackingNumber } = await acts.registerComplaint({
    state: filed.state,
    event: filed.event,
    workflowId: workflowInfo().workflowId,
  });
  run.state = { ...run.state, trackingNumber };
  await recordStep(run, [], filed.effects);
}
