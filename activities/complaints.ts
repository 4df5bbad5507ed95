/**
 * A complaint's activities: its record (the projection and its hash chain, each write keyed by complaint id and
 * event sequence, so a retry writes once) and its clocks, counted here on the holiday calendar and recorded by
 * the workflow with the calendar's version, so later calendar data never changes a running complaint on replay.
 */
import type { Knex } from 'knex';
import type { CaseEvent } from '../domain/case.js';
import { CalendarYearMissing } from '../domain/calendar.js';
import {
  computeComplaintClock,
  type ComplaintClockId,
  type ComplaintState,
  type ComputedComplaintClock,
} from '../domain/complaints.js';
import { appendComplaintEvents, registerComplaintRecord } from '../db/complaints.js';
import { appendCreditEntry } from '../db/credit.js';
import { upheldComplaintEntry } from '../domain/credit.js';
import type { CalendarSource } from '../infra/calendar.js';

export type CountedComplaintClock =
  ComputedComplaintClock | { clockId: ComplaintClockId; startedAt: string; problem: string };

export function complaintActivities({
  db,
  calendars,
  dayLengthMs,
}: {
  db: Knex;
  calendars: CalendarSource;
  /** Tests only: the clock counted on the real calendar, then run on a clock whose day lasts this long. */
  dayLengthMs?: number | undefined;
}) {
  return {
    /** Writes the complaint's row and its first event, and gives it its tracking number (once). */
    async registerComplaint(input: {
      state: ComplaintState;
      event: CaseEvent;
      workflowId: string;
    }): Promise<{ trackingNumber: string }> {
      return registerComplaintRecord(db, input);
    },

    /** Appends events to the complaint's chain and moves its projection, in one transaction. */
    async recordComplaintEvents(input: {
      complaintId: string;
      events: CaseEvent[];
      state: ComplaintState;
    }): Promise<void> {
      await db.transaction(async (trx) => {
        await appendComplaintEvents(trx, input.complaintId, input.events, input.state);
        await fileUpheldComplaints(trx, input);
      });
    },

    /**
     * A complaint clock's due time from its data row and the calendar in force; a year the calendar does not
     * cover comes back as a problem (the clock is shown, never timed), not as a failure.
     */
    async computeComplaintClock(input: {
      clockId: ComplaintClockId;
      startedAt: string;
      extensionDays?: number;
    }): Promise<CountedComplaintClock> {
      const calendar = await calendars.current();
      try {
        const counted = computeComplaintClock(input.clockId, input.startedAt, calendar, input.extensionDays ?? 0);
        return dayLengthMs === undefined ? counted : compressed(counted, dayLengthMs);
      } catch (err) {
        if (!(err instanceof CalendarYearMissing)) throw err;
        return { clockId: input.clockId, startedAt: input.startedAt, problem: err.message };
      }
    },
  };
}

/**
 * An upheld complaint is written to its target's credit file in the transaction that records the decision
 * (docs/supervision.md#complaints), once: keyed by the complaint, so a retried activity appends nothing more.
 */
async function fileUpheldComplaints(
  trx: Knex.Transaction,
  input: { complaintId: string; events: CaseEvent[]; state: ComplaintState },
): Promise<void> {
  for (const e of input.events.filter((x) => x.type === 'ComplaintUpheld')) {
    const p = e.payload as { targetKind: string; targetId: string; outcome: string | null; citation: string };
    const filed = upheldComplaintEntry({ ...p, trackingNumber: input.state.trackingNumber, decidedAt: e.at });
    if (!filed) continue;
    await appendCreditEntry(trx, {
      ...filed,
      actor: e.actor,
      at: new Date(e.at),
      sourceKey: `complaint:${input.complaintId}`,
    });
  }
}

/** The due time moved onto a clock whose day lasts `dayMs` from the start (as activities/deadlines.ts does). */
function compressed(counted: ComputedComplaintClock, dayMs: number): ComputedComplaintClock {
  const start = Date.parse(counted.startedAt);
  const dueAt = new Date(start + ((Date.parse(counted.dueAt) - start) * dayMs) / 86_400_000).toISOString();
  return { ...counted, dueAt };
}

export type ComplaintActivities = ReturnType<typeof complaintActivities>;
