/**
 * 差评回访 (/console/ratings; docs/supervision.md#ratings, seed Art 59): the 差评 this person may read
 * (GET /rating-follow-ups: every one for the supervisor, newest first; a clerk their organization's; a mediator those
 * about them, without who rated), each with its stage and its running clocks: call back within 1 working day, fix or
 * explain and answer within 15 (揭阳市政务服务"好差评"实施细则), the 追评 window, a 申诉复核 awaiting decision. Each
 * clock shows its due time and how long is left or overdue, in words. The date opens the rating and its actions.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { api, ok } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { PageHeading } from '../../a11y';
import { formatDateTime, formatDay, formatDue } from '../../format';
import { label } from '../../labels';
import { useSession } from '../../session';
import { isForbidden } from '../case/files';
import { NotFoundPage } from '../NotFoundPage';
import { CaseNumberLink } from './CaseNumberLink';
import { RATING_TAG_LABELS, timeLeft, type RatingClock, type RatingView } from './rating-labels';
import './supervision.css';
import './ratings.css';

/** One clock: its name, due time and what is left, or that it ran out (in words and colour). */
export function RatingClockLine({ clock, now }: { clock: RatingClock; now?: number }) {
  if (!clock.dueAt) return <span>{clock.label}：无法计算期限</span>;
  const left = timeLeft(clock.dueAt, now);
  const expired = clock.status === 'expired' || left.overdue;
  return (
    <span className="rating-clock">
      <strong>{clock.label}</strong>：截止 <time dateTime={clock.dueAt}>{formatDue(clock.dueAt)}</time>{' '}
      {expired ? (
        <Tag color="error">{left.overdue ? left.text : '已超期'}</Tag>
      ) : (
        <Tag color="processing">{left.text}</Tag>
      )}
    </span>
  );
}

/**
 * The clocks still counting, and those the server lists as overdue (run out while the follow-up is still open): what
 * the list asks someone to act on. A closed or excluded 差评 has none, whatever ran out on the way.
 */
const pendingClocks = (r: RatingView): RatingClock[] =>
  (r.followUp?.clocks ?? []).filter((c) => c.status === 'uncomputable' || isLive(c, r.followUp?.overdue ?? []));

/** A clock counting now, or one the server lists as overdue: shown with its time left or overdue in words. */
export const isLive = (c: RatingClock, overdue: readonly string[]): boolean =>
  c.status === 'open' || overdue.includes(c.clockId);

/** The stage in words: the follow-up's status, and a 申诉复核 awaiting its decision. */
export function Stage({ r }: { r: RatingView }) {
  const f = r.followUp;
  if (!f) return <span>—</span>;
  const reviewing = f.review && !f.review.outcome;
  return (
    <span className="clock-cell">
      <Tag>{f.statusLabel}</Tag>
      {reviewing ? <Tag color="warning">申诉复核待决定</Tag> : null}
      {f.review?.outcomeLabel ? <Tag>复核：{f.review.outcomeLabel}</Tag> : null}
    </span>
  );
}

function ClocksCell({ r }: { r: RatingView }) {
  const clocks = pendingClocks(r);
  if (!r.followUp?.clocks) return <span>—</span>;
  if (clocks.length === 0) return <span>无计时期限</span>;
  return (
    <ul className="rating-clock-list">
      {clocks.map((c) => (
        <li key={c.clockId}>
          <RatingClockLine clock={c} />
        </li>
      ))}
    </ul>
  );
}

const ratedWhen = (r: RatingView) => (r.ratedAt ? formatDateTime(r.ratedAt) : formatDay(r.ratedOn));

const columns: ColumnsType<RatingView> = [
  {
    title: '评价时间',
    key: 'ratedAt',
    render: (_v, r) => (
      <Link to={`/ratings/${r.ratingId}`}>
        {ratedWhen(r)}
        <span className="sr-only">（{r.levelLabel}，查看并办理）</span>
      </Link>
    ),
  },
  {
    title: '评价',
    key: 'level',
    render: (_v, r) => (
      <span className="clock-cell">
        <Tag color="error">{r.levelLabel}</Tag>
        {r.tags.map((t) => label(RATING_TAG_LABELS, t)).join('、')}
      </span>
    ),
  },
  { title: '评价人', key: 'rater', render: (_v, r) => r.rater?.name ?? '—' },
  { title: '办理阶段', key: 'stage', render: (_v, r) => <Stage r={r} /> },
  { title: '期限', key: 'clocks', render: (_v, r) => <ClocksCell r={r} /> },
  {
    // 案号, as the queues show it; the rated mediator is never told the case (the server leaves it out).
    title: '案号',
    key: 'case',
    render: (_v, r) =>
      r.caseId && r.caseNumber ? (
        <CaseNumberLink caseId={r.caseId} caseNumber={r.caseNumber} about={`${ratedWhen(r)} 的差评所涉案件`} />
      ) : (
        '—'
      ),
  },
];

export default function RatingFollowUps() {
  const { principal } = useSession();
  // The rated mediator reads the 差评 about them, never who gave it, and may ask for its review.
  const title = principal?.role === 'mediator' ? '关于我的差评' : '差评回访';
  const list = useQuery({ queryKey: ['rating-follow-ups'], queryFn: () => ok(api.GET('/rating-follow-ups')) });
  if (list.isError && isForbidden(list.error)) return <NotFoundPage />;
  const rows = list.data?.ratings ?? [];
  const late = rows.filter((r) => (r.followUp?.overdue?.length ?? 0) > 0).length;
  const open = rows.filter((r) => r.followUp && !['CLOSED', 'EXCLUDED'].includes(r.followUp.status)).length;
  return (
    <>
      <PageHeading title={title} />
      <Typography.Paragraph>
        当事人给出的差评（不满意、非常不满意），最新的在前：1 个工作日内回访核实，15
        个工作日内整改或解释说明并反馈当事人，反馈后当事人可追评一次；调解员可对误评、恶意差评申请申诉复核。依据揭阳市政务服务“好差评”实施细则（2026年1月20日修订）。
      </Typography.Paragraph>
      {list.isError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={errorText(list.error, '差评清单加载失败，请重试。')}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
        />
      ) : null}
      <section aria-labelledby="ratings-heading" className="panel">
        <div className="panel-heading">
          <h2 id="ratings-heading">
            {list.data
              ? `差评（${rows.length} 件，办理中 ${open} 件${late ? `，其中 ${late} 件有期限已超期` : ''}）`
              : '差评'}
          </h2>
          <Button onClick={() => void list.refetch()} loading={list.isFetching}>
            刷新
          </Button>
        </div>
        <Table<RatingView>
          rowKey="ratingId"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无差评' }}
        />
      </section>
    </>
  );
}
