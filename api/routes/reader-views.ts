/**
 * What the complaint and rating views (complaint-view.ts, rating-view.ts) present alike: a record shown to each of
 * its readers (domain/complaints.ts `complaintReader`, domain/ratings.ts `ratingReader`) as a list of parts, each
 * naming the readers who see it, so who sees what reads as one table per record; and the clocks both keep, each
 * with the label and the source of its data row (docs/supervision.md#complaints, #ratings).
 */
import { z } from 'zod';

/** The keys of a label table, as zod's enum takes them. */
export const keys = <K extends string>(table: Record<K, unknown>) => Object.keys(table) as [K, ...K[]];
/** Free text a person types: trimmed, not empty, bounded. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const instant = z.string();

/** A part of a record, the readers who see it, and its fields (computed only for them). */
export type ViewPart<R extends string, V> = { readers: readonly R[]; fields: () => Partial<V> };

/**
 * The record as `reader` sees it: what every reader sees, then the fields of each part this reader is named in, in
 * order (a later part may give a field more than an earlier one did). A reader named in no part sees only the first.
 */
export function presentTo<R extends string, V extends object>(
  reader: R,
  everyone: Partial<V>,
  parts: readonly ViewPart<R, V>[],
): V {
  const view: Partial<V> = { ...everyone };
  for (const part of parts) if (part.readers.includes(reader)) Object.assign(view, part.fields());
  // The fields every reader sees are the view's required ones (the response schemas hold this in the tests).
  return view as V;
}

/** A clock as shown: its state, and its data row's label and citation. */
export function clockSchema<Id extends string>(clockIds: [Id, ...Id[]]) {
  return z.object({
    clockId: z.enum(clockIds),
    label: z.string(),
    citation: z.string(),
    status: z.enum(['open', 'met', 'expired', 'cancelled', 'uncomputable']),
    startedAt: instant,
    dueAt: instant.nullable(),
    lastDay: z.string().nullable(),
    calendarVersion: z.string().nullable(),
    explanation: z.array(z.string()),
  });
}

/** The record's clocks, each with the label and citation of its data row. */
export function clockViews<Id extends string, C extends { clockId: Id }>(
  clocks: Partial<Record<Id, C>>,
  rows: Record<Id, { label: string; citation: string }>,
): (C & { label: string; citation: string })[] {
  return (Object.values(clocks) as C[]).map((c) => ({
    ...c,
    label: rows[c.clockId].label,
    citation: rows[c.clockId].citation,
  }));
}
