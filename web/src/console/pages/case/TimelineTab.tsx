/** 时间线: the case's chain of events as this person may see it, in Chinese, oldest first. */
import { Empty, Timeline, Typography } from 'antd';
import { useMemo } from 'react';
import type { CaseView } from '../../../api/client';
import { formatDateTime } from '../../format';
import { DEADLINE_RULES, DOCUMENT_LABELS, EVENT_LABELS, label, ROLE_LABELS } from '../../labels';

type CaseEvent = CaseView['events'][number];

/** A line about the event from its payload, where it names something a clerk recognises. */
function eventDetail(e: CaseEvent): string | null {
  const p = e.payload as Record<string, unknown>;
  if (typeof p.ruleId === 'string' && p.ruleId in DEADLINE_RULES) return DEADLINE_RULES[p.ruleId as keyof typeof DEADLINE_RULES].label;
  if (typeof p.document === 'string') return `${label(DOCUMENT_LABELS, p.document)}${typeof p.version === 'number' ? `（第 ${p.version} 版）` : ''}`;
  if (typeof p.title === 'string') return p.title;
  if (typeof p.note === 'string' && p.note) return `备注：${p.note}`;
  return null;
}

export function TimelineTab({ events }: { events: CaseEvent[] }) {
  const ordered = useMemo(() => [...events].sort((a, b) => a.seq - b.seq), [events]);
  if (!ordered.length) return <Empty description="暂无记录" />;
  return (
    <Timeline
      items={ordered.map((e) => {
        const detail = eventDetail(e);
        return {
          key: e.seq,
          content: (
            <div>
              <Typography.Text strong>{label(EVENT_LABELS, e.type)}</Typography.Text>
              {detail ? <div>{detail}</div> : null}
              <div>
                <Typography.Text type="secondary">
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {label(ROLE_LABELS, e.actorRole)}
                </Typography.Text>
              </div>
            </div>
          ),
        };
      })}
    />
  );
}
