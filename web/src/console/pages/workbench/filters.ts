/**
 * A queue's filters, kept in the URL (so the back button and a shared link keep them) under the very names
 * GET /queues/cases takes: a saved filter (GET /me/saved-filters) is the same strings, so applying one is
 * writing it into the URL, and saving one is reading them out of it (without the search text).
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { QueueQuery } from '../../../api/client';
import { CASE_STATUS_LABELS, DISPUTE_TYPE_LABELS, PRIORITY_GROUP_LABELS } from '../../labels';

export type Status = NonNullable<QueueQuery['status']>[number];
type DisputeType = NonNullable<QueueQuery['disputeType']>;
type PriorityGroup = NonNullable<QueueQuery['priorityGroup']>;

export type Filters = {
  status: Status[];
  disputeType?: DisputeType;
  priorityGroup?: PriorityGroup;
  legalAid?: boolean;
  /** Calendar days ahead (or passed). */
  dueWithinDays?: number;
  /** Working days ahead on the holiday calendar (or passed): the server counts them. */
  dueWithinWorkingDays?: number;
  overdue?: boolean;
  q?: string;
};

const bool = (v: string | null) => (v === 'true' ? true : v === 'false' ? false : undefined);
const whole = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : undefined);

export function readFilters(params: URLSearchParams): Filters {
  const status = (params.get('status') ?? '').split(',').filter((s): s is Status => s in CASE_STATUS_LABELS);
  const disputeType = params.get('disputeType');
  const priorityGroup = params.get('priorityGroup');
  const q = params.get('q')?.trim();
  const f: Filters = { status };
  if (disputeType && disputeType in DISPUTE_TYPE_LABELS) f.disputeType = disputeType as DisputeType;
  if (priorityGroup && priorityGroup in PRIORITY_GROUP_LABELS) f.priorityGroup = priorityGroup as PriorityGroup;
  const legalAid = bool(params.get('legalAid'));
  if (legalAid !== undefined) f.legalAid = legalAid;
  const days = whole(params.get('dueWithinDays'));
  if (days !== undefined) f.dueWithinDays = days;
  const workingDays = whole(params.get('dueWithinWorkingDays'));
  if (workingDays !== undefined) f.dueWithinWorkingDays = workingDays;
  const overdue = bool(params.get('overdue'));
  if (overdue !== undefined) f.overdue = overdue;
  if (q) f.q = q;
  return f;
}

export function writeFilters(f: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.status.length) params.set('status', f.status.join(','));
  if (f.disputeType) params.set('disputeType', f.disputeType);
  if (f.priorityGroup) params.set('priorityGroup', f.priorityGroup);
  if (f.legalAid !== undefined) params.set('legalAid', String(f.legalAid));
  if (f.dueWithinDays !== undefined) params.set('dueWithinDays', String(f.dueWithinDays));
  if (f.dueWithinWorkingDays !== undefined) params.set('dueWithinWorkingDays', String(f.dueWithinWorkingDays));
  if (f.overdue !== undefined) params.set('overdue', String(f.overdue));
  if (f.q) params.set('q', f.q);
  return params;
}

export const sameFilters = (a: Filters, b: Filters) => writeFilters(a).toString() === writeFilters(b).toString();

/**
 * The query for GET /queues/cases. Statuses this list never shows (the mediator's pending ones, listed above
 * it) are left out; null when nothing is left to list.
 */
export function toQuery(f: Filters, excludeStatus: readonly Status[] = []): QueueQuery | null {
  const all = Object.keys(CASE_STATUS_LABELS) as Status[];
  const status = excludeStatus.length
    ? (f.status.length ? f.status : all).filter((s) => !excludeStatus.includes(s))
    : f.status;
  if (excludeStatus.length && !status.length) return null;
  return {
    ...(status.length ? { status } : {}),
    ...(f.disputeType ? { disputeType: f.disputeType } : {}),
    ...(f.priorityGroup ? { priorityGroup: f.priorityGroup } : {}),
    // Booleans go into the query as the strings the API takes.
    ...(f.legalAid !== undefined ? { legalAid: f.legalAid ? 'true' : 'false' } : {}),
    ...(f.dueWithinDays !== undefined ? { dueWithinDays: f.dueWithinDays } : {}),
    ...(f.dueWithinWorkingDays !== undefined ? { dueWithinWorkingDays: f.dueWithinWorkingDays } : {}),
    ...(f.overdue !== undefined ? { overdue: f.overdue ? 'true' : 'false' } : {}),
    ...(f.q ? { q: f.q } : {}),
  };
}

/** What a saved filter keeps: the queue's fields as the URL has them, without the search text (the API keeps none). */
export function savable(f: Filters): Record<string, string> {
  const params = writeFilters({ ...f, q: undefined });
  return Object.fromEntries(params.entries());
}

/** 临期 as the server counts it: within 3 working days, not passed. */
export const NEAR_DUE: Filters = { status: [], dueWithinWorkingDays: 3, overdue: false };
export const OVERDUE: Filters = { status: [], overdue: true };

/** The 期限 choices of the filter form, each a combination of the queue's due-time fields. */
export const DUE_CHOICES: {
  value: string;
  label: string;
  filters: Pick<Filters, 'dueWithinDays' | 'dueWithinWorkingDays' | 'overdue'>;
}[] = [
  { value: 'overdue', label: '已超期', filters: { overdue: true } },
  {
    value: 'near',
    label: '临期（3 个工作日内到期，不含已超期）',
    filters: { dueWithinWorkingDays: 3, overdue: false },
  },
  { value: 'd3', label: '3 日内到期（含已超期）', filters: { dueWithinDays: 3 } },
  { value: 'd7', label: '7 日内到期（含已超期）', filters: { dueWithinDays: 7 } },
  { value: 'd30', label: '30 日内到期（含已超期）', filters: { dueWithinDays: 30 } },
];

const dueKey = (f: Pick<Filters, 'dueWithinDays' | 'dueWithinWorkingDays' | 'overdue'>) =>
  `${f.dueWithinDays ?? ''}/${f.dueWithinWorkingDays ?? ''}/${f.overdue ?? ''}`;

/** The 期限 choice the filters amount to; `custom` for a combination the form does not offer (from a saved filter). */
export function dueChoice(f: Filters): string | undefined {
  if (f.dueWithinDays === undefined && f.dueWithinWorkingDays === undefined && f.overdue === undefined)
    return undefined;
  return DUE_CHOICES.find((c) => dueKey(c.filters) === dueKey(f))?.value ?? 'custom';
}

/** The filters with the due-time fields of a 期限 choice (none: no condition on the due time). */
export function withDueChoice(f: Filters, choice: string | undefined): Filters {
  const { dueWithinDays: _d, dueWithinWorkingDays: _w, overdue: _o, ...rest } = f;
  if (choice === 'custom') return f;
  return { ...rest, ...(DUE_CHOICES.find((c) => c.value === choice)?.filters ?? {}) };
}

/** The filters in this page's URL, and how to change them (a new history entry, so Back undoes a filter). */
export function useUrlFilters(): [Filters, (next: Filters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const apply = useCallback((next: Filters) => setParams(writeFilters(next)), [setParams]);
  return [filters, apply];
}
