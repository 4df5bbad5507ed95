/**
 * A rating as the party who gave it reads it (api/routes/rating-view.ts, reader `rater`): the level, the aspects,
 * their words and the day; for a 差评, where its follow-up stands and the center's answer once given. Never the
 * internal call-back notes: the API does not send them to the party.
 */
import { formatDateTime, formatDay } from '../../../shared/format';
import { RATING_LEVEL_LABELS, RATING_TAG_LABELS, type RatingView } from './labels';
import './rating.css';

export function RatingSummary({ r }: { r: RatingView }) {
  return (
    <>
      <dl className="facts" data-testid="my-rating">
        <dt>满意程度</dt>
        <dd>
          <strong>{r.levelLabel || RATING_LEVEL_LABELS[r.level]}</strong>
          {r.negative ? '（差评）' : ''}
        </dd>
        <dt>评价方面</dt>
        <dd>{r.tags.length ? r.tags.map((t) => RATING_TAG_LABELS[t]).join('、') : '未选'}</dd>
        <dt>具体意见</dt>
        <dd className="rating-text">{r.text ?? '未填写'}</dd>
        <dt>评价日期</dt>
        <dd>{formatDay(r.ratedOn)}</dd>
      </dl>
      {r.followUp ? <FollowUp f={r.followUp} /> : null}
    </>
  );
}

function FollowUp({ f }: { f: NonNullable<RatingView['followUp']> }) {
  return (
    <div className="rating-follow-up">
      <h3>差评处理进度</h3>
      <p data-testid="rating-follow-up-status">
        当前：<strong>{f.statusLabel}</strong>
      </p>
      {f.answer ? (
        <>
          <p>
            中心的答复（<time dateTime={f.answer.at}>{formatDateTime(f.answer.at)}</time>）：
          </p>
          <p className="rating-text">{f.answer.text}</p>
        </>
      ) : (
        <p>中心会在 1 个工作日内回访核实，15 个工作日内整改或说明并答复您。</p>
      )}
      {f.followUp ? (
        <p>
          您的追加评价：<strong>{RATING_LEVEL_LABELS[f.followUp.level]}</strong>
          {f.followUp.text ? `，${f.followUp.text}` : ''}
        </p>
      ) : null}
    </div>
  );
}
