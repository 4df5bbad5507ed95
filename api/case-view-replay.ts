/**
 * What an action's answer keeps for its Idempotency-Key's replay (api/idempotency.ts): the case view without its
 * events, and which events it showed, by reference: the chain's events up to the last one it read, less those
 * this principal was not shown. The chain is append-only and hash-linked (db/event-chain.ts), so a replay reads
 * the same events again and answers the same view. Kept whole, the answer's events made every keyed action (the
 * console keys them all) write more the longer the case: about 160 kB of JSON a time on a case of 500 events
 * (issue 18 item 4, an action's cost no longer grows with the case's length).
 */
import type { Knex } from 'knex';
import type { CaseRecord } from '../db/cases.js';
import { caseEventsThrough } from '../db/case-view-read.js';

type RecordedEvent = CaseRecord['events'][number];

/** The events an answer showed, as a reference into the case's chain. */
type ShownEvents = { caseId: string; throughSeq: number; hiddenSeqs: number[] };

/** The form kept for replay; `caseViewReplay` marks it (no answer has that field). */
type StoredCaseView = { caseViewReplay: 1; events: ShownEvents; view: Record<string, unknown> };

/** Each case view presented, with the events it was presented from (until the answer is gone). */
const presentedFrom = new WeakMap<object, { caseId: string; events: readonly RecordedEvent[] }>();

/** Notes the events a case view was presented from, so that its replay can keep them by reference. */
export function notePresentedFrom(view: object, record: Pick<CaseRecord, 'caseId' | 'events'>): void {
  presentedFrom.set(view, { caseId: record.caseId, events: record.events });
}

/**
 * The answer as kept for replay: a case view presented here by reference to its events, anything else as it is
 * (for `redactForReplay`).
 */
export function caseViewForReplay(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const from = presentedFrom.get(body);
  const { events, ...view } = body as { events?: { seq: number }[] } & Record<string, unknown>;
  if (!from || !Array.isArray(events)) return body;
  const shown = new Set(events.map((e) => e.seq));
  return {
    caseViewReplay: 1,
    events: {
      caseId: from.caseId,
      throughSeq: from.events.at(-1)?.seq ?? 0,
      hiddenSeqs: from.events.filter((e) => !shown.has(e.seq)).map((e) => e.seq),
    },
    view,
  } satisfies StoredCaseView;
}

/** A kept answer as it was first given: a case view kept by reference gets its events back from the chain. */
export async function replayedBody(db: Knex, stored: unknown): Promise<unknown> {
  if (!isStoredCaseView(stored)) return stored;
  const { caseId, throughSeq, hiddenSeqs } = stored.events;
  const hidden = new Set(hiddenSeqs);
  const events = await caseEventsThrough(db, caseId, throughSeq);
  return { ...stored.view, events: events.filter((e) => !hidden.has(e.seq)) };
}

function isStoredCaseView(body: unknown): body is StoredCaseView {
  return typeof body === 'object' && body !== null && (body as { caseViewReplay?: unknown }).caseViewReplay === 1;
}
