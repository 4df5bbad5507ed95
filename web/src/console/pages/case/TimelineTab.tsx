/** 时间线: the case's chain of events as this person may see it, in Chinese, oldest first. */
import { Empty, Timeline, Typography } from 'antd';
import { useMemo } from 'react';
import type { CaseView } from '../../../api/client';
import { formatDateTime } from '../../format';
import { DEADLINE_RULES, DOCUMENT_LABELS, EVENT_LABELS, label, ROLE_LABELS } from '../../labels';

type CaseEvent = CaseView['events'][number];

const ASSIGNMENT_MODES: Record<string, string> = {
  party_choice: '当事人选定',
  designated: '组织指定',
  by_rule: '按规则分派',
};

type Reasoning = {
  ruleVersion?: string;
  candidates?: { mediatorId: string; specialtyMatch: boolean; load: number; conflict: string | null }[];
  conflictCheck?: { conflicted?: string[] };
  chosen?: string;
};

/** Why this mediator, from the reasoning the assignment recorded (the roster rule's candidates and the conflict check). */
function assignmentDetail(p: Record<string, unknown>): string {
  const r = (p.reasoning ?? {}) as Reasoning;
  const chosen = r.candidates?.find((c) => c.mediatorId === r.chosen);
  const parts = [`分派方式：${ASSIGNMENT_MODES[String(p.mode)] ?? String(p.mode)}`];
  if (r.candidates) parts.push(`名册候选 ${r.candidates.length} 人`);
  if (chosen)
    parts.push(
      `所选调解员${chosen.specialtyMatch ? '专长与纠纷类型相符' : '专长与纠纷类型不符'}，分派时在办 ${chosen.load} 件`,
    );
  if (r.conflictCheck)
    parts.push(
      r.conflictCheck.conflicted?.length
        ? `利益冲突核查：${r.conflictCheck.conflicted.length} 名候选人与当事人有登记的利益冲突，不予分派`
        : '利益冲突核查：未发现冲突',
    );
  // The version's name only (roster-rule@2026-11-25); what follows it is the rule's description for operators.
  if (r.ruleVersion) parts.push(`分派规则版本 ${r.ruleVersion.split(':')[0]}`);
  return parts.join('；');
}

/** A line about the event from its payload, where it names something a clerk recognises. */
function eventDetail(e: CaseEvent): string | null {
  const p = e.payload as Record<string, unknown>;
  if (e.type === 'MediatorAssigned') return assignmentDetail(p);
  if (typeof p.ruleId === 'string' && p.ruleId in DEADLINE_RULES)
    return DEADLINE_RULES[p.ruleId as keyof typeof DEADLINE_RULES].label;
  if (typeof p.document === 'string')
    return `${label(DOCUMENT_LABELS, p.document)}${typeof p.version === 'number' ? `（第 ${p.version} 版）` : ''}`;
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
