/** 期限: every deadline of the case, with its rule, article, calendar and how its due time was computed. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, Space, Spin, Tag, Typography } from 'antd';
import { api, ok, type DeadlineRow } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { formatDateTime, formatDue } from '../../format';
import { DEADLINE_STATUS_LABELS, label } from '../../labels';
import { deadlinesKey } from './keys';

const UNIT_LABELS: Record<string, string> = { calendar_days: '日', working_days: '个工作日', years: '年' };

export function DeadlinesTab({ caseId }: { caseId: string }) {
  const deadlines = useQuery({
    queryKey: deadlinesKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/deadlines', { params: { path: { caseId } } })),
  });
  if (deadlines.isError)
    return <Alert type="error" showIcon role="alert" title={errorText(deadlines.error, '期限加载失败，请重试。')} />;
  if (!deadlines.data)
    return (
      <Spin tip="正在加载期限…">
        <div style={{ minHeight: 80 }} />
      </Spin>
    );
  if (!deadlines.data.deadlines.length) return <Empty description="本案暂无期限" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {deadlines.data.deadlines.map((d: DeadlineRow) => (
        <Card
          key={`${d.ruleId}-${d.startedAt}`}
          size="small"
          title={
            <h3 style={{ margin: 0, fontSize: 15 }}>
              {d.label}{' '}
              <Tag color={d.status === 'open' ? 'processing' : d.status === 'expired' ? 'error' : 'default'}>
                {label(DEADLINE_STATUS_LABELS, d.status)}
              </Tag>
            </h3>
          }
        >
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'start', label: '起算', children: formatDateTime(d.startedAt) },
              { key: 'due', label: '届满', children: d.dueAt ? formatDue(d.dueAt) : '无法计算' },
              { key: 'length', label: '期间', children: `${d.rule.length} ${label(UNIT_LABELS, d.rule.unit)}` },
              { key: 'citation', label: '依据', children: d.rule.citation },
              ...(d.calendarVersion
                ? [
                    {
                      key: 'calendar',
                      label: '节假日日历',
                      children: `${d.calendarVersion}${d.provisional ? '（暂按法定节假日计算）' : ''}`,
                    },
                  ]
                : []),
            ]}
          />
          {d.explanation.length ? (
            <>
              <Typography.Text strong>计算过程</Typography.Text>
              <ol className="explanation">
                {d.explanation.map((step, i) => (
                  <li key={i}>{step}</li>
                ))}
              </ol>
            </>
          ) : null}
        </Card>
      ))}
    </Space>
  );
}
