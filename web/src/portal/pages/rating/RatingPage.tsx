/**
 * 评价 (/portal/cases/:caseId/rating; docs/supervision.md#ratings, seed Art 59): the signed-in party rates their
 * concluded case once (POST /cases/{caseId}/ratings). Once rated, the rating shows instead of the form, with a
 * 差评's follow-up and, once the center has answered, the one 追评; a case still open says when it can be rated. Whether a rating is taken is the server's to say.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../../api/client';
import { ApiError } from '../../../api/problems';
import { PageHeading } from '../../../shared/a11y';
import { LoadFailed, Loading } from '../Loading';
import { NotFoundPage } from '../NotFoundPage';
import { isNotFound, useCase } from '../useCase';
import { isConcluded, offersFollowUp, type RateBody, type RatingView } from './labels';
import { FollowUpForm } from './FollowUpForm';
import { RatingForm } from './RatingForm';
import { RatingSummary } from './RatingSummary';
import { myRatingsKey, useMyRating } from './useMyRating';

const alreadyRated = (e: unknown) => e instanceof ApiError && e.problem?.rule === 'already_rated';

export function RatingPage({ caseId }: { caseId: string }) {
  const view = useCase(caseId);
  const mine = useMyRating(caseId, view.isSuccess && isConcluded(view.data.status));
  const queryClient = useQueryClient();
  const [rated, setRated] = useState<RatingView | null>(null);
  const [followedUp, setFollowedUp] = useState<RatingView | null>(null);

  if (view.isPending) return <Loading what="案件" />;
  if (view.isError)
    return isNotFound(view.error) ? (
      <NotFoundPage what="案件" />
    ) : (
      <LoadFailed error={view.error} retry={() => void view.refetch()} />
    );
  const c = view.data;
  const given = followedUp ?? rated ?? mine.rating;
  const back = (
    <p>
      <Link to={`/cases/${caseId}`}>返回我的案件</Link>
    </p>
  );
  if (!isConcluded(c.status))
    return (
      <>
        <PageHeading title="评价本次服务" />
        <p className="card">本案还在办理中（{c.statusLabel}），办结后（包括不予受理、调解终止）即可评价。</p>
        {back}
      </>
    );
  const submit = (body: RateBody, key: string) =>
    ok(
      api.POST('/cases/{caseId}/ratings', {
        params: { path: { caseId } },
        body,
        headers: { 'Idempotency-Key': key },
      }),
    );
  const done = (r: RatingView) => {
    setRated(r);
    void queryClient.invalidateQueries({ queryKey: myRatingsKey });
  };
  return (
    <>
      <PageHeading title="评价本次服务" />
      <p>
        案件编号 {c.caseNumber}，{c.statusLabel}。
      </p>
      {mine.isPending && !rated ? (
        <Loading what="您的评价" />
      ) : mine.isError && !rated ? (
        <LoadFailed error={mine.error} retry={() => void mine.refetch()} />
      ) : given ? (
        <section className="card done" aria-labelledby="rating-given" role={rated ? 'status' : undefined}>
          <h2 id="rating-given">{rated && !followedUp ? '评价已提交，感谢您的评价' : '您已评价过本案'}</h2>
          <RatingSummary r={given} />
          {followedUp ? <p role="status">追加评价已提交，本次差评处理已办结。感谢您的反馈。</p> : null}
          {offersFollowUp(given) ? (
            <FollowUpForm
              r={given}
              onDone={(r) => {
                setFollowedUp(r);
                void queryClient.invalidateQueries({ queryKey: myRatingsKey });
              }}
            />
          ) : null}
        </section>
      ) : (
        <RatingForm
          submit={submit}
          onRated={done}
          onRefused={(e) => {
            // Rated meanwhile (on another phone, or by the texted link): show that rating instead.
            if (!alreadyRated(e)) return false;
            void mine.refetch();
            return true;
          }}
        />
      )}
      {back}
    </>
  );
}
