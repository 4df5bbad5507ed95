/**
 * A complaint (/console/complaints/:complaintId): what is alleged, against whom, by which channel; its clocks, each
 * with its rule, source and how it was counted (the server's own explanation); what was done so far; and the
 * actions the server offers this person now (ComplaintActions). The target reads it only after acceptance and
 * without the complainant; the server decides what each reader gets, and a complaint not theirs is a 404.
 */
import { useQuery } from '@tanstack/react-query';
import { Descriptions, Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../../api/client';
import {
  CLOCK_STATUS_LABELS,
  COMPLAINT_CHANNEL_LABELS,
  REPLY_CHANNEL_LABELS,
  TARGET_KIND_LABELS,
  type ComplaintView,
} from '../../../shared/complaint-labels';
import { formatDateTime, formatDue } from '../../format';
import { label } from '../../labels';
import { ComplaintActions } from './ComplaintActions';
import { ClockSection, notLoaded, ProcessHeader, ProgressSection, type ProgressStep } from './ProcessSections';
import './supervision.css';

export default function ComplaintDetail() {
  const { complaintId = '' } = useParams();
  const view = useQuery({
    queryKey: ['complaint', complaintId],
    queryFn: () => ok(api.GET('/complaints/{complaintId}', { params: { path: { complaintId } } })),
  });
  const pending = notLoaded(view, '投诉加载失败。');
  if (pending || !view.data) return pending ?? null;
  const c = view.data;
  return (
    <>
      <ProcessHeader
        title={`投诉 ${c.trackingNumber ?? ''}`}
        back={{ to: '/complaints', text: '返回投诉清单' }}
        statusId="complaint-status"
        status={
          <>
            当前状态：<Tag>{c.statusLabel}</Tag>
          </>
        }
      >
        <ComplaintActions c={c} />
      </ProcessHeader>
      <Facts c={c} />
      <ClockSection id="complaint-clocks" clocks={c.clocks} line={clockLine} />
      <ProgressSection id="complaint-progress" steps={progressOf(c)} />
    </>
  );
}

function Facts({ c }: { c: ComplaintView }) {
  return (
    <section aria-labelledby="complaint-facts" className="panel">
      <h2 id="complaint-facts">投诉内容</h2>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="投诉事由">{c.groundLabel}</Descriptions.Item>
        <Descriptions.Item label="投诉对象">
          {label(TARGET_KIND_LABELS, c.target.kind)}：{c.target.name}
        </Descriptions.Item>
        <Descriptions.Item label="投诉渠道">{label(COMPLAINT_CHANNEL_LABELS, c.channel)}</Descriptions.Item>
        <Descriptions.Item label="收到时间">{formatDateTime(c.receivedAt)}</Descriptions.Item>
        <Descriptions.Item label="事实与理由">
          <span className="complaint-text">{c.facts}</span>
        </Descriptions.Item>
        <Descriptions.Item label="投诉请求">
          <span className="complaint-text">{c.request}</span>
        </Descriptions.Item>
        {c.replyChannel ? (
          <Descriptions.Item label="希望的答复方式">{label(REPLY_CHANNEL_LABELS, c.replyChannel)}</Descriptions.Item>
        ) : null}
        {c.caseNumber ? (
          <Descriptions.Item label="案件">
            <Link to={`/cases/${c.caseId}`}>{c.caseNumber}</Link>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </section>
  );
}

type Clock = NonNullable<ComplaintView['clocks']>[number];

/** A clock: its due time (or none), its status, and the days an approved extension added. */
function clockLine(k: Clock) {
  return (
    <>
      <strong>{k.label}</strong>：{k.dueAt ? <>截止到 {formatDue(k.dueAt)}</> : '无截止时间'}{' '}
      <Tag color={k.status === 'expired' ? 'error' : undefined}>{label(CLOCK_STATUS_LABELS, k.status)}</Tag>
      {k.extensionDays ? `（已延长 ${k.extensionDays} 日）` : null}
    </>
  );
}

function progressOf(c: ComplaintView): ProgressStep[] {
  return [
    ['一次性告知', c.notice?.issuedAt, c.notice?.missing.join('；')],
    ...(c.supplements ?? []).map((s) => ['补正', s.at, s.text] as [string, string, string]),
    ['受理', c.acceptedAt, null],
    ['调查人', null, c.investigator?.name],
    ['调查结论', null, c.findings],
    [
      '延长处理期限',
      null,
      c.extension ? `${c.extension.days} 日（${c.extension.approvedBy} 批准）：${c.extension.reason}` : null,
    ],
    [
      '处理决定',
      c.decision?.at,
      c.decision
        ? `${c.decision.upheld ? '投诉成立' : '投诉不成立'}${c.decision.outcomeLabel ? `，${c.decision.outcomeLabel}` : ''}：${c.decision.reasons}`
        : null,
    ],
    ['答复', c.answer?.at, c.answer?.text],
    [
      '投诉人评价',
      c.feedback?.at,
      c.feedback
        ? (c.feedback.satisfied ? '满意' : '不满意') + (c.feedback.comment ? `：${c.feedback.comment}` : '')
        : null,
    ],
  ];
}
