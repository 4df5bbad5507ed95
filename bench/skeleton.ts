/**
 * The pipeline's two activity sets: the real ones, each timed, and the skeleton, where every activity
 * returns a value of the right shape without I/O. Typed as `Activities`, so an activity added to
 * `createActivities` and missing here fails the type check (and test/bench.test.ts compares the names).
 */
import type { Activities } from '../activities/index.js';
import { DEADLINE_RULES } from '../domain/deadlines.js';
import { nameBasedId } from '../identity/name-based-ids.js';

const ZERO_SHA256 = '0'.repeat(64);

/**
 * Values chosen so the workflow takes the same path as in the real run for the bench's walk-in loan case:
 * every deadline due in the future (no timer fires), no court to report to, a delivery id for each
 * institution message (so the same delivery workflows start), the named mediator proposed.
 */
export function skeletonActivities(): Activities {
  let caseNumbers = 0;
  return {
    async registerCase() {
      caseNumbers += 1;
      return { caseNumber: `（2026）揭非诉字第${String(caseNumbers).padStart(4, '0')}号` };
    },
    async recordCaseEvents() {},
    async computeDeadline({ ruleId, startedAt, extensionDays = 0 }) {
      const rule = DEADLINE_RULES[ruleId];
      const dueAt = new Date(Date.parse(startedAt) + (rule.length + extensionDays) * 86_400_000).toISOString();
      return {
        deadline: {
          ruleId,
          startedAt,
          dueAt,
          lastDay: dueAt.slice(0, 10),
          calendarVersion: 'skeleton',
          extensionDays,
          pausedDays: 0,
          explanation: [rule.label, rule.citation],
        },
        reminderAt: null,
      };
    },
    async failureFactsDue({ askedAt }) {
      return { dueAt: new Date(Date.parse(askedAt) + 3 * 86_400_000).toISOString() };
    },
    async schedulePerformance({ items }) {
      return items.map((item) => ({
        ...item,
        lastDay: item.dueDate,
        dueAt: `${item.dueDate}T16:00:00.000Z`,
        reminderAt: null,
        reminded: false,
        status: 'pending' as const,
      }));
    },
    async notifyInstitution({ key }) {
      return { deliveryId: nameBasedId(key) };
    },
    async deliverInstitutionMessage() {
      return { outcome: 'no_webhook' as const };
    },
    async handSmsToGateway() {
      return { outcome: 'delivered' as const };
    },
    async startUndeliveredSms() {
      return { started: 0 };
    },
    async notifyParties() {
      return { sent: 0, messageIds: [] };
    },
    async notifyStaff() {
      return { messageIds: [] };
    },
    async reportToCourt() {
      return { deliveryId: null };
    },
    async proposeMediator({ mode, mediatorId }) {
      return {
        ok: true as const,
        proposal: { mediatorId: mediatorId ?? 'skeleton-mediator', orgId: 'rongcheng-pmc', mode, reasoning: {} },
      };
    },
    async renderCaseDocument({ caseId, kind, docVersion }) {
      return {
        documentId: nameBasedId(`${caseId}/${kind}/${docVersion}`),
        sha256: ZERO_SHA256,
        verificationCode: 'SKELETON',
      };
    },
    async storeAgreementDraft() {
      return { sha256: ZERO_SHA256 };
    },
  };
}

export type ActivityTime = { calls: number; ms: number };

/** The real activities, each call timed into `sink` by activity name (start to finish, inside the worker). */
export function timedActivities(activities: Activities, sink: Map<string, ActivityTime>): Activities {
  const wrapped = Object.entries(activities).map(([name, fn]) => [
    name,
    async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        const t = sink.get(name) ?? { calls: 0, ms: 0 };
        sink.set(name, { calls: t.calls + 1, ms: t.ms + performance.now() - started });
      }
    },
  ]);
  return Object.fromEntries(wrapped) as Activities;
}

/** The names of an activity set, sorted: what the skeleton must cover. */
export const activityNames = (a: object): string[] => Object.keys(a).sort();
