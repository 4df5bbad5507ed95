/**
 * 评价本次服务 on 我的案件, once the case has concluded (不予受理 and 终止 included; docs/supervision.md#ratings):
 * the rating this party gave, or the way to give it (pages/rating/RatingPage.tsx). Nothing while the case is open.
 */
import { Link } from 'react-router';
import type { CaseView } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { isConcluded, offersFollowUp } from './labels';
import { RatingSummary } from './RatingSummary';
import { useMyRating } from './useMyRating';

export function RatingCard({ c }: { c: CaseView }) {
  const concluded = isConcluded(c.status);
  const mine = useMyRating(c.caseId, concluded);
  if (!concluded) return null;
  return (
    <section className="card next" aria-labelledby="rating-call">
      <h2 id="rating-call">评价本次服务</h2>
      {mine.isPending ? (
        <p role="status">正在查询您的评价…</p>
      ) : mine.isError ? (
        <p className="error" role="alert">
          未能查询您的评价：{errorText(mine.error, '请检查网络后重试。')}
        </p>
      ) : mine.rating ? (
        <>
          <p>您已评价，感谢您的反馈。每件案件只能评价一次。</p>
          <RatingSummary r={mine.rating} />
          {offersFollowUp(mine.rating) ? (
            <p>
              <Link to={`/cases/${c.caseId}/rating`}>中心已答复，去追加评价</Link>
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p>
            案件已办结，欢迎对调解员和中心的服务作出评价。每位当事人可评价一次，在这里或通过中心短信中的评价链接都可以。
          </p>
          <p>
            <Link to={`/cases/${c.caseId}/rating`}>去评价</Link>
          </p>
        </>
      )}
    </section>
  );
}
