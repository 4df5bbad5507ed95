/**
 * How the case applies a command: `decide` gives the new state, the events and the effects; the events are
 * recorded, then each effect is run in order by its runner below. Several runners are guarded by a
 * `patched` marker: they were added after histories were recorded that must replay as they ran (the plan
 * for retiring each marker is at the top of `mediation-case.ts`).
 */
import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  decide,
  withFailureFactsDue,
  withInstalments,
  withProcessWorkflow,
  type CaseCommand,
  type Effect,
} from '../domain/case-rules.js';
import type { Activities } from '../activities/index.js';
import { ACTIVITY_OPTIONS, refusalFailure } from './common.js';
import { SYSTEM_ACTOR } from './messages.js';
import { flushRecord, inOneRecord, nextEvent, record, representation, type CaseRun } from './case-run.js';
import { countingOf, haltDeadline, setDeadline } from './case-clocks.js';
import { renderDocument } from './case-documents.js';
import { startDelivery, startSecuringProcess, startSmsDelivery } from './children.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/**
 * Applies one domain command: decide, record, run its effects. Throws the refusal. What the command and its
 * effects record is written in one call at the end (`record-batch-v1`), before the caller is answered.
 */
export async function applyCommand(run: CaseRun, command: CaseCommand): Promise<void> {
  const decision = decide(run.state, command, new Date());
  if (!decision.ok) throw refusalFailure(decision.refusal);
  run.state = decision.state;
  await inOneRecord(run, async () => {
    await record(run, decision.events);
    await runEffects(run, decision.effects);
  });
}

export async function runEffects(run: CaseRun, effects: Effect[]): Promise<void> {
  for (const effect of effects) {
    // An activity that reads the case's record (a document, a message, a process, the roster's workload) finds
    // every event before it written; a clock is counted on the calendar alone and joins the batch.
    if (!RECORD_FREE_EFFECTS.has(effect.kind)) await flushRecord(run);
    await (EFFECT_RUNNERS[effect.kind] as EffectRunner<Effect>)(run, effect);
  }
}

/** Effects whose activities read only the calendar (deadlines.ts), never the case's record. */
const RECORD_FREE_EFFECTS: ReadonlySet<Effect['kind']> = new Set([
  'start_deadline',
  'recompute_deadline',
  'stop_deadline',
  'pause_deadline',
  'schedule_performance',
  'request_failure_facts',
]);

type EffectRunner<E extends Effect> = (run: CaseRun, effect: E) => Promise<void>;

const EFFECT_RUNNERS: { [K in Effect['kind']]: EffectRunner<Extract<Effect, { kind: K }>> } = {
  start_deadline: (run, effect) =>
    setDeadline(run, effect.ruleId, effect.startedAt, effect.length !== undefined ? { length: effect.length } : {}),
  recompute_deadline: async (run, effect) => {
    const d = run.state.deadlines[effect.ruleId];
    // The length recorded when it started (an organization's own, a court's) stays.
    if (d) await setDeadline(run, effect.ruleId, d.startedAt, countingOf(run.state, d));
  },
  stop_deadline: haltDeadline,
  pause_deadline: haltDeadline,
  auto_assign: autoAssign,
  render_document: async (run, effect) => {
    // The written notices (not accepted, the other side, legal aid refused) came later still.
    if (
      effect.document === 'not_accepted_notice' ||
      effect.document === 'counterparty_notice' ||
      effect.document === 'legal_aid_refusal'
    ) {
      if (patched('notices-v1')) await renderDocument(run, effect);
    } else if (patched('documents-v1')) await renderDocument(run, effect); // added after the first recorded histories: older runs replay without it
  },
  start_process: async (run, { process }) => {
    const workflowId = await startSecuringProcess(run.state.caseId, process, representation(run.state));
    run.state = withProcessWorkflow(run.state, process.kind, process.n, workflowId);
  },
  notify_parties: remindOfInstalment,
  notify_staff: remindStaff,
  report_to_court: reportToCourt,
  request_failure_facts: requestFailureFacts,
  schedule_performance: async (run) => {
    // Added after the first recorded histories: an agreement that took effect before has no schedule.
    if (patched('performance-v1')) await schedulePerformance(run);
  },
};

/** The organization designates by its documented rule; if nobody remains, a clerk must find one. */
async function autoAssign(run: CaseRun): Promise<void> {
  const { state } = run;
  if (state.status !== 'PENDING_ASSIGNMENT') return;
  const result = await acts.proposeMediator({
    caseId: state.caseId,
    disputeType: state.disputeType,
    mode: 'by_rule',
    exclude: state.assignment.excluded,
  });
  if (result.ok) return applyCommand(run, { type: 'assign_mediator', actor: SYSTEM_ACTOR, proposal: result.proposal });
  await record(run, [nextEvent(run, 'NoMediatorAvailable', { reason: result.message })]);
}

/** An instalment falls due soon: the parties are texted. */
async function remindOfInstalment(run: CaseRun, effect: Extract<Effect, { kind: 'notify_parties' }>): Promise<void> {
  const inst = run.state.performance?.instalments.find((i) => i.n === effect.instalment);
  if (!inst) return;
  const queued = await acts.notifyParties({
    caseId: run.state.caseId,
    key: `${workflowInfo().workflowId}/instalment-${inst.n}/reminder`,
    notice: { kind: 'instalment_reminder', instalment: inst.n, lastDay: inst.lastDay, amountFen: inst.amountFen },
  });
  // Each text goes to the gateway by its own workflow (older histories recorded no message ids).
  const messageIds = (queued as { messageIds?: string[] } | undefined)?.messageIds ?? [];
  if (messageIds.length > 0 && patched('sms-delivery-v1'))
    for (const messageId of messageIds) await startSmsDelivery(messageId);
}

/** A clock's reminder: the mediator and clerks are texted. */
async function remindStaff(run: CaseRun, effect: Extract<Effect, { kind: 'notify_staff' }>): Promise<void> {
  // Reminders by text to the mediator and clerks came after the first reminders: older runs replay without.
  const d = run.state.deadlines[effect.ruleId];
  if (!d || !patched('staff-reminder-sms-v1')) return;
  const { messageIds } = await acts.notifyStaff({
    caseId: run.state.caseId,
    key: `${workflowInfo().workflowId}/reminder/${effect.ruleId}/${d.dueAt}`,
    notice: { kind: 'deadline_reminder', ruleId: effect.ruleId, lastDay: d.lastDay },
  });
  for (const messageId of messageIds) await startSmsDelivery(messageId);
}

/** A report to the delegating court (特邀调解规定 Arts 19-21, 26), pushed to its webhook by its own workflow. */
async function reportToCourt(run: CaseRun, effect: Extract<Effect, { kind: 'report_to_court' }>): Promise<void> {
  // Added after the first recorded histories: older runs replay without it.
  // The sham-mediation report (特邀调解规定 Art 18) came later still: older suspensions sent nothing.
  if (effect.message === 'sham_mediation_suspected' && !patched('sham-mediation-report-v1')) return;
  if (!patched('court-report-v1')) return;
  const key = `${workflowInfo().workflowId}/court/${effect.message}${effect.keySuffix ? `/${effect.keySuffix}` : ''}`;
  const queued = await acts.reportToCourt({
    caseId: run.state.caseId,
    key,
    message: effect.message,
    payload: effect.payload,
  });
  // Histories from before deliveries recorded no result here.
  const deliveryId = (queued as { deliveryId?: string | null } | undefined)?.deliveryId;
  // Pushed to the court's webhook by its own workflow (retries never hold up the case).
  if (deliveryId && patched('delivery-v1')) await startDelivery(deliveryId);
}

/** The mediator's own clock for a court's failure-report facts (only runs that asked for them reach here). */
async function requestFailureFacts(run: CaseRun): Promise<void> {
  const pending = run.state.failureReportPending;
  if (!pending) return;
  const { dueAt } = await acts.failureFactsDue({ askedAt: pending.askedAt });
  run.state = withFailureFactsDue(run.state, dueAt);
  await record(run, [
    nextEvent(run, 'FailureFactsRequested', {
      askedOf: pending.askedOf ?? null,
      dueAt,
      article: '人民法院在线调解规则第二十一条',
    }),
  ]);
}

/** Each dated term becomes an instalment, due at the end of its day (rolled past rest days). */
async function schedulePerformance(run: CaseRun): Promise<void> {
  const items = (run.state.agreement?.schedule ?? []).flatMap((t, i) =>
    t.dueDate
      ? [
          {
            n: i + 1,
            amountFen: t.amountFen ?? null,
            dueDate: t.dueDate,
            ...(t.payeePartyId ? { payeePartyId: t.payeePartyId } : {}),
          },
        ]
      : [],
  );
  const instalments = await acts.schedulePerformance({ items });
  run.state = withInstalments(run.state, instalments);
  const e = nextEvent(run, 'PerformanceScheduled', {
    instalments: instalments.map((i) => ({
      n: i.n,
      amountFen: i.amountFen,
      dueDate: i.dueDate,
      lastDay: i.lastDay,
      dueAt: i.dueAt,
    })),
    article: '人民调解法第三十一条；民法典第二百零三条',
  });
  await record(run, [e]);
}
