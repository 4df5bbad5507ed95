/**
 * Each workflow on the run's real Temporal dev server, with the run's prebuilt workflow bundle, and in-memory
 * activities instead of PostgreSQL, the calendar, the document store and the outbox: what the workflow asks
 * of the world, in which order, and what it makes of the answers. The journeys through the API, with the
 * real activities, are the HTTP tests'.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { CaseEvent } from '../../domain/case.js';
import type { DeadlineRuleId } from '../../domain/deadlines.js';
import {
  DELIVERY_WORKFLOW_TYPE,
  SMS_DELIVERY_WORKFLOW_TYPE,
  SMS_SWEEP_BATCH,
  SMS_SWEEP_WORKFLOW_TYPE,
  WORKFLOW_TYPE,
  awaitProcessReportUpdate,
  awaitRegistrationUpdate,
  caseActionUpdate,
  caseWorkflowId,
  deliveryWorkflowId,
  processActionUpdate,
  processWorkflowId,
  smsDeliveryWorkflowId,
  snapshotQuery,
  type ProcessCommand,
} from '../../workflows/messages.js';
import type {
  deliverMessage,
  deliverSms,
  judicialConfirmation,
  mediationCase,
  smsSweep,
} from '../../workflows/index.js';
import { documentsTaskQueue } from '../../workflows/task-queues.js';
import { effectiveAgreement, openDeadline } from '../domain/support/rule-states.js';
import { ruleIntake } from '../support/fixtures.js';

const taskQueue = `stubbed-activities-${randomUUID()}`;
const clerk = { id: 'clerk-1', role: 'clerk' } as const;
const court = { id: 'court-5202', role: 'court' } as const;
const notary = { id: 'notary-jieyang', role: 'notary' } as const;
const party = (id: string) => ({ id, role: 'party' }) as const;
const DAY_MS = 86_400_000;

// What the stub activities were asked, in order, and what they hold --------------------------------------

type Call = { name: keyof Activities; input: Record<string, unknown> };
const calls: Call[] = [];
/** Each case's record as the workflow wrote it: the registration's event, then every recorded batch. */
const recorded = new Map<string, CaseEvent[]>();
/** How many more attempts of a delivery (by delivery or message id) fail before one succeeds. */
const failuresLeft = new Map<string, number>();
/** Periods that run out this many milliseconds after they start (others run 30 days). */
const shortPeriods = new Map<DeadlineRuleId, number>();

const callsOf = (name: keyof Activities, where: (input: Record<string, unknown>) => boolean = () => true) =>
  calls.filter((c) => c.name === name && where(c.input)).map((c) => c.input);
const eventsOf = (caseId: string) => recorded.get(caseId) ?? [];
const typesOf = (caseId: string) => eventsOf(caseId).map((e) => e.type);

function attempt(id: string): void {
  const left = failuresLeft.get(id) ?? 0;
  if (left > 0) {
    failuresLeft.set(id, left - 1);
    throw new Error(`the receiver is down (${left} more failures planned)`);
  }
}

const activities: Activities = {
  async registerCase(input) {
    calls.push({ name: 'registerCase', input });
    recorded.set(input.intake.caseId, [input.event]);
    return { caseNumber: `（2026）揭调字第${input.intake.caseId.slice(0, 4)}号` };
  },
  async recordCaseEvents(input) {
    calls.push({ name: 'recordCaseEvents', input });
    recorded.set(input.caseId, [...eventsOf(input.caseId), ...input.events]);
  },
  async proposeMediator(input) {
    calls.push({ name: 'proposeMediator', input });
    return {
      ok: true,
      proposal: { mediatorId: input.mediatorId ?? 'mediator-1', orgId: 'center', mode: input.mode, reasoning: {} },
    };
  },
  async storeAgreementDraft(input) {
    calls.push({ name: 'storeAgreementDraft', input });
    return { sha256: `sha-${input.version}` };
  },
  async computeDeadline(input) {
    calls.push({ name: 'computeDeadline', input });
    const length = shortPeriods.get(input.ruleId) ?? 30 * DAY_MS;
    const dueAt = new Date(Date.parse(input.startedAt) + length).toISOString();
    return {
      deadline: {
        ruleId: input.ruleId,
        startedAt: input.startedAt,
        dueAt,
        lastDay: dueAt.slice(0, 10),
        calendarVersion: 'stub',
        extensionDays: input.extensionDays ?? 0,
        pausedDays: 0,
        explanation: ['stub'],
      },
      reminderAt: null,
    };
  },
  async failureFactsDue(input) {
    calls.push({ name: 'failureFactsDue', input });
    return { dueAt: new Date(Date.parse(input.askedAt) + 30 * DAY_MS).toISOString() };
  },
  async schedulePerformance(input) {
    calls.push({ name: 'schedulePerformance', input });
    return [];
  },
  async notifyInstitution(input) {
    calls.push({ name: 'notifyInstitution', input });
    return { deliveryId: `${input.key.replace(/\W+/g, '-')}` };
  },
  async deliverInstitutionMessage(input) {
    calls.push({ name: 'deliverInstitutionMessage', input });
    attempt(input.deliveryId);
    return { outcome: 'delivered' };
  },
  async handSmsToGateway(input) {
    calls.push({ name: 'handSmsToGateway', input });
    attempt(input.messageId);
    return { outcome: 'delivered' };
  },
  async startUndeliveredSms(input) {
    calls.push({ name: 'startUndeliveredSms', input });
    return { started: 2 };
  },
  async notifyParties(input) {
    calls.push({ name: 'notifyParties', input });
    return { sent: 0, messageIds: [] };
  },
  async notifyStaff(input) {
    calls.push({ name: 'notifyStaff', input });
    return { messageIds: [] };
  },
  async reportToCourt(input) {
    calls.push({ name: 'reportToCourt', input });
    return { deliveryId: null };
  },
  async renderCaseDocument(input) {
    calls.push({ name: 'renderCaseDocument', input });
    documentQueues.add(Context.current().info.taskQueue);
    return { documentId: randomUUID(), sha256: 'stub-sha256', verificationCode: 'STUB' };
  },
};

// One worker on this file's own task queue ---------------------------------------------------------------

let worker: Worker;
let documentsWorker: Worker;
let running: Promise<void>;
/** The queues documents were rendered from: only the documents queue next to the case's. */
const documentQueues = new Set<string>();
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  // Each test file runs in its own process (pool: forks); the failing deliveries below are planned, not news.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: inject('temporalNamespace'),
    taskQueue,
    // The run's bundle (its source map is inline in the code).
    workflowBundle: { code: readFileSync(inject('workflowBundleFile'), 'utf8'), sourceMap: '' },
    activities,
  });
  // Documents render on their own queue (workflows/task-queues.ts), as a documents worker polls it.
  documentsWorker = await Worker.create({
    connection: nativeConnection,
    namespace: inject('temporalNamespace'),
    taskQueue: documentsTaskQueue(taskQueue),
    activities: { renderCaseDocument: activities.renderCaseDocument },
  });
  running = Promise.all([worker.run(), documentsWorker.run()]).then(() => undefined);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: inject('temporalNamespace') });
});

afterAll(async () => {
  worker?.shutdown();
  documentsWorker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
});

/** Asks again (no fixed sleep) until `read` gives what `done` wants, or fails after `ms`. */
async function until<T>(read: () => Promise<T> | T, done: (v: T) => boolean, ms = 8_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startCase(caseId: string) {
  return client.workflow.start<typeof mediationCase>(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: caseWorkflowId(caseId),
    args: [{ intake: ruleIntake({ caseId, receivedAt: new Date().toISOString() }) }],
  });
}

/** A case whose written agreement took effect, with the 30 days to apply for judicial confirmation running. */
function startEffectiveCase(caseId: string) {
  const applyBy = new Date(Date.now() + 30 * DAY_MS).toISOString();
  const state = effectiveAgreement({
    caseId,
    deadlines: { judicial_confirmation_application: openDeadline('judicial_confirmation_application', applyBy) },
  });
  return client.workflow.start<typeof mediationCase>(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: caseWorkflowId(caseId),
    args: [{ carried: { state } }],
  });
}

// The case ------------------------------------------------------------------------------------------------

describe('mediationCase', () => {
  it('when a case is registered, accepted and then withdrawn, then its record holds each step in order and the termination notice is rendered', async () => {
    const caseId = randomUUID();
    const handle = await startCase(caseId);
    const registered = await handle.executeUpdate(awaitRegistrationUpdate);
    expect(registered).toMatchObject({ status: 'REGISTERED', registered: true, lastSeq: 1 });
    expect(registered.caseNumber).toMatch(/^（2026）揭调字第/);

    const accepted = await handle.executeUpdate(caseActionUpdate, { args: [{ type: 'accept', actor: clerk }] });
    expect(accepted.status).toBe('PENDING_ASSIGNMENT');
    await handle.executeUpdate(caseActionUpdate, {
      args: [{ type: 'terminate', actor: clerk, reason: 'settled_and_withdrew', note: '双方已自行和解' }],
    });

    // The case ends on its own once mediation is over: its result is the closed case.
    const closed = await handle.result();
    expect(closed).toMatchObject({ status: 'TERMINATED', termination: { reason: 'settled_and_withdrew' } });
    expect(closed.closedAt).not.toBeNull();

    const events = eventsOf(caseId);
    // One chain, numbered without gaps in the order written.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const steps = ['CaseRegistered', 'CaseAccepted', 'MediationTerminated'];
    expect(typesOf(caseId).filter((t) => steps.includes(t))).toEqual(steps);
    // Acceptance tells the parties their rights and starts the mediation period and the parties' choice.
    const afterAccept = typesOf(caseId).slice(typesOf(caseId).indexOf('CaseAccepted'));
    expect(afterAccept.slice(0, 4)).toEqual(['CaseAccepted', 'DocumentGenerated', 'DeadlineSet', 'DeadlineSet']);
    expect(callsOf('computeDeadline', (i) => i.caseId === caseId).map((i) => i.ruleId)).toEqual([
      'general_mediation',
      'party_mediator_choice',
    ]);
    // 终止调解告知书 (人民调解法 Art 26) is asked for and recorded last.
    const documents = callsOf('renderCaseDocument', (i) => i.caseId === caseId).map((i) => i.kind);
    expect(documents).toEqual(['rights_notice', 'termination_notice']);
    expect([...documentQueues]).toEqual([documentsTaskQueue(taskQueue)]);
    expect(events.at(-1)).toMatchObject({ type: 'DocumentGenerated', payload: { document: 'termination_notice' } });
    // Both periods stopped with the case: nothing is left running.
    expect(closed.deadlines).toHaveLength(2);
    expect(closed.deadlines.every((d) => d.status !== 'open')).toBe(true);
  });

  it('when an action starts clocks, then its events are written in one call after the document that reads the record, with the case as it stands after them', async () => {
    const caseId = randomUUID();
    const handle = await startCase(caseId);
    await handle.executeUpdate(awaitRegistrationUpdate);
    const before = callsOf('recordCaseEvents', (i) => i.caseId === caseId).length;
    const accepted = await handle.executeUpdate(caseActionUpdate, { args: [{ type: 'accept', actor: clerk }] });
    const batches = callsOf('recordCaseEvents', (i) => i.caseId === caseId).slice(before) as {
      events: CaseEvent[];
      projection: { state: { lastSeq: number; status: string }; deadlines: { ruleId: string }[] };
    }[];
    // The acceptance is written before the rights notice is rendered from the record; the notice and both
    // clocks then go in one call (before record-batch-v1: one call each), answered only once written.
    expect(batches.map((b) => b.events.map((e) => e.type))).toEqual([
      ['CaseAccepted'],
      ['DocumentGenerated', 'DeadlineSet', 'DeadlineSet'],
    ]);
    const last = batches.at(-1)!;
    expect(last.projection.state.lastSeq).toBe(accepted.lastSeq);
    expect(last.projection.state.status).toBe('PENDING_ASSIGNMENT');
    expect(last.projection.deadlines.map((d) => d.ruleId).sort()).toEqual([
      'general_mediation',
      'party_mediator_choice',
    ]);
    expect(eventsOf(caseId).map((e) => e.seq)).toEqual(eventsOf(caseId).map((_, i) => i + 1));
    await handle.terminate('test over');
  });

  it('when the designated mediator does not accept in time, then the case records the timeout and goes back to assignment without them', async () => {
    shortPeriods.set('mediator_acceptance', 1_500);
    const caseId = randomUUID();
    const handle = await startCase(caseId);
    await handle.executeUpdate(awaitRegistrationUpdate);
    await handle.executeUpdate(caseActionUpdate, { args: [{ type: 'accept', actor: clerk }] });
    const assigned = await handle.executeUpdate(caseActionUpdate, {
      args: [{ type: 'assign_mediator', actor: clerk, mode: 'designated', mediatorId: 'mediator-1' }],
    });
    expect(assigned).toMatchObject({ status: 'PENDING_MEDIATOR_ACCEPT', assignment: { mediatorId: 'mediator-1' } });
    expect(callsOf('proposeMediator', (i) => i.caseId === caseId)).toEqual([
      expect.objectContaining({ mode: 'designated', mediatorId: 'mediator-1', exclude: [] }),
    ]);

    // Nobody acts: the durable timer fires at the due time the activity computed. The expiry is done when
    // its last effect is written (the parties' choice started again after the timeout).
    await until(
      () => typesOf(caseId),
      (types) => types.includes('MediatorAcceptanceTimedOut') && types.at(-1) === 'DeadlineSet',
    );
    shortPeriods.delete('mediator_acceptance');
    const after = await handle.query(snapshotQuery);
    expect(after.status).toBe('PENDING_ASSIGNMENT');
    expect(after.assignment.excluded).toEqual(['mediator-1']);
    expect(after.assignment.mediatorId).toBeUndefined();
    expect(after.deadlines.find((d) => d.ruleId === 'mediator_acceptance')?.status).toBe('expired');
    const expired = eventsOf(caseId).find((e) => e.type === 'DeadlineExpired');
    expect(expired?.payload).toMatchObject({ ruleId: 'mediator_acceptance' });
    expect(Date.parse(expired!.at)).toBeGreaterThanOrEqual(
      Date.parse(after.deadlines.find((d) => d.ruleId === 'mediator_acceptance')!.dueAt),
    );
    const timedOut = typesOf(caseId).slice(typesOf(caseId).indexOf('DeadlineExpired'));
    expect(timedOut.slice(0, 2)).toEqual(['DeadlineExpired', 'MediatorAcceptanceTimedOut']);
    // The parties may choose again (在线调解规则 Art 12): their choice's period starts over.
    expect(callsOf('computeDeadline', (i) => i.caseId === caseId).map((i) => i.ruleId)).toEqual([
      'general_mediation',
      'party_mediator_choice',
      'mediator_acceptance',
      'party_mediator_choice',
    ]);
    await handle.terminate('test over');
  });
});

// The securing processes ----------------------------------------------------------------------------------

describe('judicialConfirmation', () => {
  it('when both parties sign and the court confirms, then the case records the ruling and the agreement is enforceable', async () => {
    const caseId = randomUUID();
    const handle = await startEffectiveCase(caseId);
    const applied = await handle.executeUpdate(caseActionUpdate, {
      args: [
        {
          type: 'apply_judicial_confirmation',
          actor: clerk,
          court: { institutionId: 'court-5202', name: '揭阳市榕城区人民法院' },
          venueGround: 'party_domicile',
        },
      ],
    });
    const workflowId = processWorkflowId(caseId, 'judicial_confirmation', 1);
    expect(applied.securing?.processes).toEqual([
      expect.objectContaining({ kind: 'judicial_confirmation', n: 1, workflowId, status: 'PREPARING' }),
    ]);

    const process = client.workflow.getHandle<typeof judicialConfirmation>(workflowId);
    const act = (command: ProcessCommand) => process.executeUpdate(processActionUpdate, { args: [command] });
    for (const p of ['p1', 'p2'])
      await act({ type: 'sign_application', actor: party(p), partyId: p, method: 'electronic' });
    await act({ type: 'court_accepts', actor: court, courtCaseNumber: '（2026）粤5202民特1号' });
    const ruled = await act({ type: 'court_rules', actor: court, outcome: 'confirmed' });
    expect(ruled.state).toMatchObject({ status: 'CONFIRMED', outcome: { status: 'CONFIRMED' } });
    // The process ends with the ruling.
    expect((await process.result()).state.status).toBe('CONFIRMED');

    const snapshot = await handle.executeUpdate(awaitProcessReportUpdate, {
      args: [{ kind: 'judicial_confirmation', n: 1, reportSeq: ruled.reportSeq }],
    });
    expect(snapshot.securing).toMatchObject({
      enforceableBy: 'judicial_confirmation',
      processes: [
        {
          kind: 'judicial_confirmation',
          status: 'CONFIRMED',
          final: true,
          courtCaseNumber: '（2026）粤5202民特1号',
          outcome: { status: 'CONFIRMED' },
        },
      ],
    });
    // The process's steps join the case's chain in the order they happened.
    const steps = [
      'JudicialConfirmationStarted',
      'ProcessStarted',
      'ConfirmationApplicationSigned',
      'ConfirmationApplicationSigned',
      'ConfirmationApplicationSubmitted',
      'ConfirmationAccepted',
      'ConfirmationRuled',
    ];
    expect(typesOf(caseId).filter((t) => steps.includes(t))).toEqual(steps);
    expect(eventsOf(caseId).find((e) => e.type === 'ConfirmationRuled')?.payload).toMatchObject({
      process: 'judicial_confirmation',
      outcome: 'confirmed',
    });
    // The application was rendered, and the court's copy of the news was handed to a delivery of its own.
    expect(callsOf('renderCaseDocument', (i) => i.caseId === caseId).map((i) => i.kind)).toEqual([
      'judicial_confirmation_application',
    ]);
    const [notice] = callsOf('notifyInstitution', (i) => i.caseId === caseId);
    expect(notice).toMatchObject({ institutionId: 'court-5202', message: 'application_submitted' });
    const deliveryId = String(notice!.key).replace(/\W+/g, '-');
    const delivered = await until(
      () => callsOf('deliverInstitutionMessage', (i) => i.deliveryId === deliveryId),
      (c) => c.length > 0,
    );
    expect(delivered).toHaveLength(1);
    await handle.terminate('test over');
  });
});

describe('notarization', () => {
  it('when both parties sign and the notary issues the certificate, then the case records it and the agreement is enforceable', async () => {
    const caseId = randomUUID();
    const handle = await startEffectiveCase(caseId);
    await handle.executeUpdate(caseActionUpdate, {
      args: [
        {
          type: 'request_notarization',
          actor: clerk,
          notary: { institutionId: 'notary-jieyang', name: '揭阳市公证处' },
          creditorPartyId: 'p1',
          debtorPartyId: 'p2',
          obligation: 'money',
        },
      ],
    });
    const process = client.workflow.getHandle(processWorkflowId(caseId, 'notarization', 1));
    const act = (command: ProcessCommand) => process.executeUpdate(processActionUpdate, { args: [command] });
    for (const p of ['p1', 'p2'])
      await act({ type: 'sign_application', actor: party(p), partyId: p, method: 'electronic' });
    await act({ type: 'notary_accepts', actor: notary });
    const issued = await act({ type: 'issue_certificate', actor: notary, certificateNumber: '（2026）粤揭证字第1号' });
    expect(issued.state.status).toBe('ISSUED');

    const snapshot = await handle.executeUpdate(awaitProcessReportUpdate, {
      args: [{ kind: 'notarization', n: 1, reportSeq: issued.reportSeq }],
    });
    expect(snapshot.securing).toMatchObject({
      enforceableBy: 'notarization',
      processes: [{ kind: 'notarization', status: 'ISSUED', final: true, certificateNumber: '（2026）粤揭证字第1号' }],
    });
    expect(callsOf('renderCaseDocument', (i) => i.caseId === caseId).map((i) => i.kind)).toEqual([
      'notarization_request',
    ]);
    await handle.terminate('test over');
  });
});

// The deliveries ------------------------------------------------------------------------------------------

describe('deliverMessage', () => {
  it('when the institution is down for two attempts, then the delivery retries with backoff and stops at the first success', async () => {
    const deliveryId = randomUUID();
    failuresLeft.set(deliveryId, 2);
    const result = await client.workflow.execute<typeof deliverMessage>(DELIVERY_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: deliveryWorkflowId(deliveryId),
      args: [{ deliveryId }],
    });
    expect(result).toEqual({ outcome: 'delivered' });
    // The same message each time (the receiver deduplicates by its id), and nothing after the success.
    expect(callsOf('deliverInstitutionMessage', (i) => i.deliveryId === deliveryId)).toEqual([
      { deliveryId },
      { deliveryId },
      { deliveryId },
    ]);
  });
});

describe('deliverSms', () => {
  it('when the gateway fails once, then the text is handed to it again and the delivery stops once it is taken', async () => {
    const messageId = randomUUID();
    failuresLeft.set(messageId, 1);
    const result = await client.workflow.execute<typeof deliverSms>(SMS_DELIVERY_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: smsDeliveryWorkflowId(messageId),
      args: [{ messageId, urgent: true }],
    });
    expect(result).toEqual({ outcome: 'delivered' });
    expect(callsOf('handSmsToGateway', (i) => i.messageId === messageId)).toEqual([{ messageId }, { messageId }]);
  });
});

describe('smsSweep', () => {
  it("when the schedule runs the sweep, then one activity starts the unstarted deliveries on the run's own task queue, at most a batch", async () => {
    const before = callsOf('startUndeliveredSms').length;
    const result = await client.workflow.execute<typeof smsSweep>(SMS_SWEEP_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: `sms-sweep-${randomUUID()}`,
      args: [],
    });
    expect(result).toEqual({ started: 2 });
    expect(callsOf('startUndeliveredSms').slice(before)).toEqual([{ taskQueue, limit: SMS_SWEEP_BATCH }]);
  });
});
