/**
 * What each principal sees of a case: plain functions of the records and the principal, by the access policy.
 * Screening, legal aid and their events by `screeningVisibility`; the routes gather the records and answer.
 */
import {
  canIssueAccessCode,
  canRevealParty,
  deadlineVisible,
  eventVisible,
  screeningVisibility,
  type CaseAccess,
  type Principal,
  type ScreeningVisibility,
} from '../domain/access-policy.js';
import { CASE_STATUSES, type CaseStatus } from '../domain/case.js';
import { DEADLINE_RULES, type DeadlineRuleId } from '../domain/deadlines.js';
import { compareCourtDate } from '../domain/court-date.js';
import { possibleActions } from '../domain/possible-actions.js';
import { isProvisional } from '../domain/recount.js';
import type { CaseDeadlineRecord, CaseRecord, PartyView } from '../db/cases.js';
import type { ProcessRecord, RecordedState } from '../db/workflow-state.js';
import { caseSnapshot } from '../workflows/snapshot.js';
import { caseWorkflowId, type CaseSnapshot } from '../workflows/messages.js';

export type CaseViewRecords = {
  record: CaseRecord;
  access: CaseAccess;
  /** The state stored with the last recorded event, and whether it is current. */
  recorded: RecordedState | undefined;
  processes: ProcessRecord[];
  /** The workflow's own snapshot, when it answered (or an action just returned it). */
  live?: CaseSnapshot | undefined;
  /** Why the workflow was asked and did not answer. */
  liveUnavailable?: string | undefined;
  /** When each party's current access code was issued, for the parties this principal may issue one to. */
  accessCodesIssuedAt: Map<string, string>;
  now: Date;
  /** When the workflow answered (a workflow's answer is as of now). */
  readAt: Date;
};

/** The parties this principal may issue an access code to: only they learn when the current one was issued. */
export function partiesMayIssueAccessCode(parties: PartyView[], principal: Principal, access: CaseAccess): string[] {
  return parties.filter((p) => canIssueAccessCode(principal, access, p.partyId)).map((p) => p.partyId);
}

/** The case as this principal may see it; `view` says where the state shown comes from. */
export function presentCase(r: CaseViewRecords, principal: Principal) {
  const source = r.live ? 'workflow' : r.recorded ? 'record' : 'events';
  const live = r.live ?? (r.recorded ? caseSnapshot(r.recorded.state, true) : undefined);
  const status = live?.status ?? (r.record.status as CaseStatus);
  const { events, parties: _parties, ...rest } = r.record;
  const visible = screeningVisibility(principal, r.access, live?.screening.legalAid.partyId ?? legalAidPartyOf(events));
  return {
    ...rest,
    parties: partiesFor(r, principal),
    status,
    statusLabel: CASE_STATUSES[status],
    // Closed when its state says so: the process ends with it (Temporal keeps the rest).
    workflow: {
      workflowId: caseWorkflowId(r.record.caseId),
      status: live ? (live.closedAt ? 'COMPLETED' : 'RUNNING') : null,
    },
    view: freshnessOf(r, source, live),
    // What this principal can do now, and why not, by the same policy and rules the actions meet; from the
    // recorded state, so only when the record is current (an action's answer comes once it is recorded).
    ...(r.recorded?.current
      ? {
          actions: possibleActions({
            state: r.recorded.state,
            processes: r.processes,
            principal,
            access: r.access,
            now: r.now,
          }),
        }
      : {}),
    ...(live ? processSections(live, visible, principal) : {}),
    events: events.filter((e) => eventVisible(visible, e)),
  };
}

function freshnessOf(r: CaseViewRecords, source: 'workflow' | 'record' | 'events', live: CaseSnapshot | undefined) {
  const lastEvent = r.record.events.at(-1);
  return {
    source,
    // The state shown is as of this event; a workflow's answer is as of now.
    lastSeq: live?.lastSeq ?? r.record.lastSeq,
    asOf:
      source === 'workflow'
        ? r.readAt.toISOString()
        : (r.record.events.find((e) => e.seq === live?.lastSeq)?.at ?? lastEvent?.at ?? null),
    ...(r.liveUnavailable ? { liveUnavailable: r.liveUnavailable } : {}),
  };
}

/**
 * Whether this principal may read each party in full (GET …/personal-data), or issue them an access code
 * (POST …/access-code), by the policy those routes apply: the console offers 查看完整信息 and 签发访问码
 * from these and never restates the rule.
 */
function partiesFor(r: CaseViewRecords, principal: Principal) {
  const mayIssue = new Set(partiesMayIssueAccessCode(r.record.parties, principal, r.access));
  return r.record.parties.map((p) => ({
    ...p,
    mayRevealPersonalData: canRevealParty(principal, r.access, p.partyId),
    mayIssueAccessCode: mayIssue.has(p.partyId),
    // When the party's current code was issued (签发 or 重新签发): for who may issue one, nobody else.
    ...(mayIssue.has(p.partyId) ? { accessCodeIssuedAt: r.accessCodesIssuedAt.get(p.partyId) ?? null } : {}),
  }));
}

/** What the case's process holds: assignment, screening, agreement, securing, deadlines. */
function processSections(live: CaseSnapshot, visible: ScreeningVisibility, principal: Principal) {
  return {
    assignment: {
      mediatorId: live.assignment.mediatorId ?? null,
      orgId: live.assignment.orgId ?? null,
      mode: live.assignment.mode ?? null,
      // A request for recusal awaiting the organization's (or the court's) decision.
      recusal: live.assignment.recusal
        ? {
            partyId: live.assignment.recusal.partyId,
            ground: live.assignment.recusal.ground,
            requestedAt: live.assignment.recusal.requestedAt,
          }
        : null,
      choices: live.assignment.choices ?? {},
    },
    screening: screeningFor(visible, live.screening),
    agreement: live.agreement,
    termination: live.termination,
    // The facts for a court's failure report, and whether the report waits for them (在线调解规则 Art 21).
    caseFacts: live.caseFacts ?? null,
    failureReportPending: live.failureReportPending ?? null,
    securing: live.securing ? securingFor(live.securing, visible, principal) : null,
    performance: live.performance,
    notAccepted: live.notAccepted,
    deadlines: live.deadlines
      .filter((d) => deadlineVisible(visible, d.ruleId))
      // provisional: counted without that year's holiday notice (recounted when it is loaded).
      .map((d) => ({
        ...d,
        label: DEADLINE_RULES[d.ruleId].label,
        citation: DEADLINE_RULES[d.ruleId].citation,
        provisional: isProvisional(d),
      })),
  };
}

/** The fee reduction: for those who see legal aid in full, and the notary who charges the fee. */
function securingFor(
  securing: NonNullable<CaseSnapshot['securing']>,
  visible: ScreeningVisibility,
  principal: Principal,
) {
  return {
    ...securing,
    processes: securing.processes.map(({ feeReduction, ...p }) => ({
      ...p,
      ...(feeReduction !== undefined &&
      (visible.legalAid === 'full' || (principal.kind === 'institution' && principal.institutionId === p.institutionId))
        ? { feeReduction }
        : {}),
    })),
  };
}

function screeningFor(v: ScreeningVisibility, s: CaseSnapshot['screening']) {
  const { legalAid, priorityGroups, ...rest } = s;
  return {
    ...rest,
    ...(v.priorityGroups ? { priorityGroups } : {}),
    ...(v.legalAid === 'full'
      ? { legalAid }
      : v.legalAid === 'status'
        ? { legalAid: { status: legalAid.status, staffAssigned: legalAid.staffAssigned ?? false } }
        : {}),
  };
}

/** The party the latest legal-aid application is for, from the record (when the workflow has closed). */
function legalAidPartyOf(events: { type: string; payload: unknown }[]): string | undefined {
  const applied = events.filter((e) => e.type === 'LegalAidApplied').at(-1);
  return (applied?.payload as { partyId?: string } | undefined)?.partyId;
}

/** Every deadline of the case this principal may see: due time, the rule and its citation, how it was computed. */
export function presentDeadlines(rows: CaseDeadlineRecord[], visible: ScreeningVisibility) {
  // The court's own date from its letter, set against the statutory period (特邀调解规定 Art 27).
  const courtDate = compareCourtDate(
    Object.fromEntries(
      rows
        .filter((r) => r.status !== 'cancelled')
        .map((r) => [r.ruleId, { lastDay: r.lastDay ?? '', status: r.status }]),
    ),
  );
  return rows
    .filter((r) => deadlineVisible(visible, r.ruleId))
    .map((r) => {
      const rule = DEADLINE_RULES[r.ruleId as DeadlineRuleId];
      return {
        ruleId: r.ruleId,
        label: rule.label,
        status: r.status,
        startedAt: r.startedAt.toISOString(),
        dueAt: r.dueAt ? r.dueAt.toISOString() : null,
        lastDay: r.lastDay,
        reminderAt: r.reminderAt ? r.reminderAt.toISOString() : null,
        rule: {
          length: rule.length,
          unit: rule.unit,
          startsAt: rule.startsAt,
          pauses: rule.pauses,
          extension: rule.extension,
          onExpiry: rule.onExpiry,
          citation: rule.citation,
        },
        calendarVersion: r.calendarVersion,
        // Counted without that year's State Council notice: recounted when it is loaded.
        provisional: isProvisional({ calendarVersion: r.calendarVersion ?? '' }),
        explanation: r.explanation,
        ...(r.ruleId === 'court_letter_deadline' && courtDate ? { comparedWithStatutory: courtDate } : {}),
      };
    });
}
