/**
 * A 差评 (/console/ratings/:ratingId): what the party said and how it came in; its clocks, each with its rule,
 * source and how it was counted (the server's own explanation), with the time left or overdue; what was done so
 * far (回访核实, 整改或说明, 反馈, 追评, 申诉复核 and its outcome); and the actions the server offers this person now
 * (RatingActions). The rated mediator reads it without who rated; a rating not theirs is a 404.
 */
import { useQuery } from '@tanstack/react-query';
import { Descriptions, Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../../api/client';
import { formatDateTime, formatDay } from '../../format';
import { label, PARTY_ROLE_LABELS } from '../../labels';
import { ClockSection, notLoaded, ProcessHeader, ProgressSection, type ProgressStep } from './ProcessSections';
import { RatingActions } from './RatingActions';
import { RatingClockLine, Stage, isLive } from './RatingFollowUps';
import {
  FIX_KIND_LABELS,
  RATING_CHANNEL_LABELS,
  RATING_LEVEL_LABELS,
  RATING_TAG_LABELS,
  type RatingClock,
  type RatingFollowUp,
  type RatingView,
} from './rating-labels';
import { CLOCK_STATUS_LABELS } from '../../../shared/complaint-labels';
import './supervision.css';
import './ratings.css';

export default function RatingDetail() {
  const { ratingId = '' } = useParams();
  const view = useQuery({
    queryKey: ['rating', ratingId],
    queryFn: () => ok(api.GET('/ratings/{ratingId}', { params: { path: { ratingId } } })),
  });
  const pending = notLoaded(view, '差评加载失败。');
  if (pending || !view.data) return pending ?? null;
  const r = view.data;
  return (
    <>
      <ProcessHeader
        title={`差评（${formatDay(r.ratedOn)}）`}
        back={{ to: '/ratings', text: '返回差评回访清单' }}
        statusId="rating-stage"
        status={
          <>
            办理阶段：
            <Stage r={r} />
          </>
        }
      >
        <RatingActions r={r} />
      </ProcessHeader>
      <Facts r={r} />
      <ClockSection
        id="rating-clocks"
        clocks={r.followUp?.clocks}
        line={(k) => clockLine(k, r.followUp?.overdue ?? [])}
      />
      {r.followUp ? <ProgressSection id="rating-progress" steps={progressOf(r.followUp)} /> : null}
    </>
  );
}

function Facts({ r }: { r: RatingView }) {
  return (
    <section aria-labelledby="rating-facts" className="panel">
      <h2 id="rating-facts">评价内容</h2>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="评价等级">{r.levelLabel}</Descriptions.Item>
        <Descriptions.Item label="评价项目">
          {r.tags.length ? r.tags.map((t) => label(RATING_TAG_LABELS, t)).join('、') : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="评价内容">
          <span className="complaint-text">{r.text ?? '（未填写）'}</span>
        </Descriptions.Item>
        <Descriptions.Item label="评价时间">
          {r.ratedAt ? formatDateTime(r.ratedAt) : formatDay(r.ratedOn)}
        </Descriptions.Item>
        {r.channel ? (
          <Descriptions.Item label="评价渠道">{label(RATING_CHANNEL_LABELS, r.channel)}</Descriptions.Item>
        ) : null}
        {r.rater?.name ? (
          <Descriptions.Item label="评价人">
            {r.rater.name}
            {r.rater.role ? `（${label(PARTY_ROLE_LABELS, r.rater.role)}）` : ''}
          </Descriptions.Item>
        ) : null}
        {r.caseId ? (
          <Descriptions.Item label="案件">
            <Link to={`/cases/${r.caseId}`}>{r.caseNumber ?? '查看被评价的案件'}</Link>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </section>
  );
}

/**
 * A running clock, or one the server lists as overdue, with its time left or overdue in words (RatingClockLine); any
 * other, its status (one that ran out before the 差评 was closed or excluded reads 已超期, as history).
 */
function clockLine(k: RatingClock, overdue: readonly string[]) {
  return k.dueAt && isLive(k, overdue) ? (
    <RatingClockLine clock={k} />
  ) : (
    <>
      <strong>{k.label}</strong> <Tag>{label(CLOCK_STATUS_LABELS, k.status)}</Tag>
    </>
  );
}

function progressOf(f: RatingFollowUp): ProgressStep[] {
  const review = f.review;
  return [
    [
      '回访核实',
      f.callback?.at,
      f.callback ? `${f.callback.reached ? '已联系上当事人' : '未能联系上当事人'}：${f.callback.note}` : null,
    ],
    ['整改或说明', f.fix?.at, f.fix ? `${label(FIX_KIND_LABELS, f.fix.kind)}：${f.fix.text}` : null],
    ['反馈当事人', f.answer?.at, f.answer?.text],
    [
      '当事人追评',
      f.followUp?.at,
      f.followUp
        ? `${label(RATING_LEVEL_LABELS, f.followUp.level)}${f.followUp.text ? `：${f.followUp.text}` : ''}`
        : null,
    ],
    ['申请申诉复核', review?.requestedAt, review ? (review.reason ?? '（调解员已申请）') : null],
    [
      '复核决定',
      review?.decidedAt,
      review?.outcome ? `${review.outcomeLabel ?? review.outcome}${review.reasons ? `：${review.reasons}` : ''}` : null,
    ],
  ];
}
