/**
 * The counters a person starts the day with, counted by the server in this person's own scope (GET
 * /queues/cases/counts: 待受理, 待分派, 待调解员确认, 临期 within 3 working days on the holiday calendar, 超期).
 * Each counter is a button that filters the queue to exactly the cases it counts; the supervisor's are figures.
 */
import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import { api, ok } from '../../../api/client';
import { formatDue } from '../../format';
import { NEAR_DUE, OVERDUE, sameFilters, type Filters } from './filters';

type CountName = 'pendingAcceptance' | 'pendingAssignment' | 'pendingMediatorAcceptance' | 'nearDue' | 'overdue';
export type Counter = { name: string; count: CountName; filters: Filters; tone?: 'warn' | 'danger' };

export const COUNTERS: Record<string, Counter> = {
  pendingAcceptance: { name: '待受理', count: 'pendingAcceptance', filters: { status: ['REGISTERED'] } },
  pendingAssignment: { name: '待分派', count: 'pendingAssignment', filters: { status: ['PENDING_ASSIGNMENT'] } },
  pendingMediatorAcceptance: {
    name: '待调解员确认',
    count: 'pendingMediatorAcceptance',
    filters: { status: ['PENDING_MEDIATOR_ACCEPT'] },
  },
  nearDue: { name: '临期', count: 'nearDue', filters: NEAR_DUE, tone: 'warn' },
  overdue: { name: '超期', count: 'overdue', filters: OVERDUE, tone: 'danger' },
};

// Under 'queue-count', which the case screen invalidates after every action it takes.
export const countsKey = ['queue-count', 'server'] as const;

export function Counters({
  counters,
  filters,
  onSelect,
}: {
  counters: Counter[];
  filters?: Filters;
  onSelect?: (f: Filters) => void;
}) {
  const counted = useQuery({ queryKey: countsKey, queryFn: () => ok(api.GET('/queues/cases/counts')) });
  const value = (c: Counter) => (counted.data ? String(counted.data.counts[c.count]) : counted.isError ? '—' : '…');
  return (
    <section aria-label="统计">
      <div className="counters">
        {counters.map((c) =>
          onSelect ? (
            <button
              key={c.name}
              type="button"
              className="counter"
              aria-pressed={filters ? sameFilters(c.filters, filters) : false}
              onClick={() => onSelect(c.filters)}
            >
              <span className="counter-name">{c.name}</span>
              <span className={`counter-value${c.tone ? ` ${c.tone}` : ''}`}>{value(c)}</span>
              <span className="sr-only">件，按此筛选队列</span>
            </button>
          ) : (
            <div key={c.name} className="counter counter-static">
              <span className="counter-name">{c.name}</span>
              <span className={`counter-value${c.tone ? ` ${c.tone}` : ''}`}>
                {value(c)}
                <span className="sr-only">件</span>
              </span>
            </div>
          ),
        )}
      </div>
      {counted.data ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          临期：{counted.data.nearDueWorkingDays} 个工作日内（{formatDue(counted.data.nearDueBy)}{' '}
          前）到期且未超期，按法定节假日与调休安排计算。
        </Typography.Paragraph>
      ) : null}
    </section>
  );
}
