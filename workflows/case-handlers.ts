/**
 * The case's messages (see `messages.ts`): a snapshot query; people's actions as an update whose validator
 * refuses with the rule's reason; a securing process's reports and a loaded calendar as signals; and two
 * updates an HTTP answer waits on (the case registered, a report recorded). Every piece of work goes
 * through the case's serial queue, and each handler returns its work, so `allHandlersFinished` waits for
 * it before the case continues as new or ends.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { decide } from '../domain/case-rules.js';
import { refusalFailure, unlessRefused } from './common.js';
import {
  SYSTEM_ACTOR,
  awaitProcessReportUpdate,
  awaitRegistrationUpdate,
  calendarLoadedSignal,
  caseActionUpdate,
  processReportSignal,
  processWorkflowId,
  snapshotQuery,
  type CaseSnapshot,
} from './messages.js';
import { representation, type CaseRun } from './case-run.js';
import { recountDeadlines } from './case-clocks.js';
import { applyCommand } from './case-effects.js';
import { probe, toCommand } from './case-actions.js';
import { caseSnapshot } from './snapshot.js';

export const snapshotOf = (run: CaseRun): CaseSnapshot => caseSnapshot(run.state, run.registered);

export function registerCaseHandlers(run: CaseRun): void {
  setHandler(snapshotQuery, () => snapshotOf(run));
  registerReportHandlers(run);
  setHandler(calendarLoadedSignal, (loaded) => run.serially(() => recountDeadlines(run, loaded)));
  setHandler(awaitRegistrationUpdate, async () => {
    await condition(() => run.registered);
    return snapshotOf(run);
  });
  setHandler(
    caseActionUpdate,
    (action) =>
      run.serially(async () => {
        await condition(() => run.registered);
        await applyCommand(run, await toCommand(run.state, action)); // the state may have moved since the validator ran
        return snapshotOf(run);
      }),
    {
      validator: (action) => {
        const decision = decide(run.state, probe(run.state, action), new Date());
        if (!decision.ok) throw refusalFailure(decision.refusal);
      },
    },
  );
}

/**
 * A securing process reports each step; the case records it with the process's state. A report the rules
 * refuse (the case has moved on) is dropped; any other failure fails loudly.
 */
function registerReportHandlers(run: CaseRun): void {
  // Reports fully applied (events recorded and effects run), by process: what an HTTP answer waits for.
  const applied = new Map<string, number>();
  // After a continue-as-new the map is empty, but the state has every report recorded before it.
  const carried = new Map(
    (run.input.carried?.state.securing?.processes ?? []).map((p) => [`${p.kind}-${p.n}`, p.reportSeq]),
  );
  setHandler(processReportSignal, (report) =>
    run.serially(async () => {
      const key = `${report.kind}-${report.n}`;
      // Reports from before processes sent their state record none.
      run.reporting = report.state
        ? {
            kind: report.kind,
            n: report.n,
            workflowId: processWorkflowId(run.state.caseId, report.kind, report.n),
            state: report.state,
            reportSeq: report.reportSeq,
            final: report.final,
            represents: representation(run.state),
          }
        : undefined;
      await applyCommand(run, { type: 'process_report', actor: SYSTEM_ACTOR, report })
        .catch(unlessRefused)
        .finally(() => (run.reporting = undefined));
      applied.set(key, Math.max(applied.get(key) ?? 0, report.reportSeq));
    }),
  );
  setHandler(awaitProcessReportUpdate, async ({ kind, n, reportSeq }) => {
    const key = `${kind}-${n}`;
    await condition(() => Math.max(applied.get(key) ?? 0, carried.get(key) ?? 0) >= reportSeq);
    return snapshotOf(run);
  });
}
