/**
 * The case's own statutory clocks: started, halted and counted again by the shared deadline module, each
 * change recorded in the case's chain. A clock owned by a securing process is that process's to keep.
 */
import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { CaseState, DeadlineState, Effect } from '../domain/case-rules.js';
import type { CaseEvent } from '../domain/case.js';
import { mediationPeriodRule, type DeadlineRuleId } from '../domain/deadlines.js';
import { instalmentNeedsRecount, needsRecount, recordedLength } from '../domain/recount.js';
import { compareCourtDate } from '../domain/court-date.js';
import type { Activities } from '../activities/index.js';
import { ACTIVITY_OPTIONS } from './common.js';
import { haltClock, recountClock, startClock, type ClockFact, type Counting } from './deadline-timers.js';
import { calendarLoadedSignal, type CalendarLoaded, type RebuiltFromRecord } from './messages.js';
import { nextEvent, record, type CaseRun } from './case-run.js';
import { deadlineList } from './snapshot.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

const stamp = (run: CaseRun, fact: ClockFact) => nextEvent(run, fact.type, fact.payload);

/** Starts a clock and records it; a court's date earlier than the law's is flagged with it. */
export async function setDeadline(
  run: CaseRun,
  ruleId: DeadlineRuleId,
  startedAt: string,
  counting: Counting = {},
): Promise<void> {
  const { clocks, fact, counted } = await startClock(
    run.state.caseId,
    run.state.deadlines,
    ruleId,
    startedAt,
    counting,
  );
  run.state = { ...run.state, deadlines: clocks };
  const e = stamp(run, fact);
  await record(run, counted ? [e, ...courtDateAlert(run)] : [e]);
}

/** Stops or pauses a running clock and records it. */
export async function haltDeadline(
  run: CaseRun,
  effect: Extract<Effect, { kind: 'stop_deadline' | 'pause_deadline' }>,
): Promise<void> {
  const halted = haltClock(run.state.deadlines, effect);
  if (!halted) return;
  run.state = { ...run.state, deadlines: halted.clocks };
  await record(run, [stamp(run, halted.fact)]);
}

/** How a running clock is counted again: from its start, with its length and, for the mediation period, its pauses and extensions. */
export function countingOf(state: CaseState, d: DeadlineState): Counting {
  return {
    ...(d.ruleId === mediationPeriodRule(state)
      ? { extensionDays: state.mediation.extensionDays, pauses: state.mediation.pauses }
      : {}),
    ...recordedLength(d),
  };
}

/** The court asked for less time than the law gives: the clerk and mediator are told once per statutory last day. */
function courtDateAlert(run: CaseRun): CaseEvent[] {
  const cmp = run.state.courtClocks ? compareCourtDate(run.state.deadlines) : undefined;
  if (!cmp?.courtDateEarlier || run.state.courtDateAlertedFor === cmp.statutoryLastDay) return [];
  const e = nextEvent(run, 'CourtDateEarlierThanStatutory', {
    ...cmp,
    to: ['mediator', 'clerk'],
    article: '最高人民法院关于人民法院特邀调解的规定第二十七条',
  });
  run.state = { ...run.state, courtDateAlertedFor: cmp.statutoryLastDay };
  return [e];
}

/** Counts a clock again and keeps the recount in the state; the event that records it is returned. */
async function recountInto(run: CaseRun, d: DeadlineState, calendarVersion?: string): Promise<CaseEvent | undefined> {
  const { clock, fact, moved } = await recountClock(
    run.state.caseId,
    d.ruleId,
    d,
    countingOf(run.state, d),
    calendarVersion,
  );
  // On a loaded calendar every recount is recorded; a rebuild records only a clock that moved (one that
  // comes out the same keeps its timer).
  if (calendarVersion === undefined && !moved) return undefined;
  run.state = { ...run.state, deadlines: { ...run.state.deadlines, [d.ruleId]: clock } };
  return stamp(run, fact);
}

/**
 * A calendar was loaded: every running clock counted on another version is counted again from its own
 * start (the mediation period with its pauses and extensions), its timer re-armed by the main loop, and
 * the recount recorded with both due times and versions. The processes recount their own clocks.
 */
export async function recountDeadlines(run: CaseRun, { version }: CalendarLoaded): Promise<void> {
  const events: CaseEvent[] = [];
  for (const d of deadlineList(run.state)) {
    if (d.owner || !needsRecount(d, version)) continue;
    events.push((await recountInto(run, d, version))!);
  }
  events.push(...(await recountInstalments(run, version)));
  await record(run, [...events, ...(events.length ? courtDateAlert(run) : [])]);
  await forwardCalendar(run, version);
}

/** Pending instalments: each due date rolled past rest days again on the new calendar (民法典 Art 203). */
async function recountInstalments(run: CaseRun, version: string): Promise<CaseEvent[]> {
  const stale = (run.state.performance?.instalments ?? []).filter((i) => instalmentNeedsRecount(i, version));
  if (stale.length === 0) return [];
  const fresh = await acts.schedulePerformance({
    items: stale.map((i) => ({
      n: i.n,
      amountFen: i.amountFen,
      dueDate: i.dueDate,
      ...(i.payeePartyId ? { payeePartyId: i.payeePartyId } : {}),
    })),
    calendarVersion: version,
  });
  const byN = new Map(fresh.map((i) => [i.n, i]));
  const events: CaseEvent[] = [];
  const instalments = run.state.performance!.instalments.map((i) => {
    const next = byN.get(i.n);
    if (!next) return i;
    events.push(
      nextEvent(run, 'InstalmentRecomputed', {
        n: i.n,
        dueDate: i.dueDate,
        oldLastDay: i.lastDay,
        newLastDay: next.lastDay,
        oldDueAt: i.dueAt,
        newDueAt: next.dueAt,
        oldCalendarVersion: i.calendarVersion ?? null,
        newCalendarVersion: next.calendarVersion ?? null,
        article: '民法典第二百零三条',
      }),
    );
    return {
      ...i,
      lastDay: next.lastDay,
      dueAt: next.dueAt,
      reminderAt: i.reminded ? i.reminderAt : next.reminderAt,
      ...(next.calendarVersion ? { calendarVersion: next.calendarVersion } : {}),
    };
  });
  run.state = { ...run.state, performance: { ...run.state.performance!, instalments } };
  return events;
}

/** Each running process recounts its own clocks; a confirmation is told the 30 days to apply as the case now counts them. */
async function forwardCalendar(run: CaseRun, version: string): Promise<void> {
  const applyBy = run.state.deadlines.judicial_confirmation_application?.dueAt;
  for (const p of run.state.securing?.processes ?? []) {
    if (p.final || !p.workflowId) continue;
    try {
      await getExternalWorkflowHandle(p.workflowId).signal(calendarLoadedSignal, {
        version,
        ...(p.kind === 'judicial_confirmation' && applyBy ? { applyBy } : {}),
      });
    } catch {
      // The process ended (its final report may still be queued behind this recount): no clock left to move.
    }
  }
}

/**
 * Rebuilt from the record after Temporal's state was lost: the chain says so, and every running clock of
 * the case is counted again from its recorded start (with its pauses and extensions) on the calendar in
 * force; a clock that comes out the same keeps its timer, one that moved is recorded. Timers are then
 * armed by the main loop; one already past fires at once. The processes keep their own clocks.
 */
export async function rebuildClocks(run: CaseRun, rebuilt: RebuiltFromRecord): Promise<void> {
  const events: CaseEvent[] = [nextEvent(run, 'ProcessRebuiltFromRecord', { ...rebuilt, fromSeq: run.state.lastSeq })];
  for (const d of deadlineList(run.state)) {
    if (d.owner || (d.status !== 'open' && d.status !== 'paused')) continue;
    const e = await recountInto(run, d);
    if (e) events.push(e);
  }
  await record(run, events);
}
