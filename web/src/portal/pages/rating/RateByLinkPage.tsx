/**
 * 评价 by the texted link (/portal/rate#t=…; activities/ratings.ts texts it to each party when the case concludes),
 * without a login (POST /rating-links/rating). The token is in the address's fragment, which the browser never
 * sends to a server. The link works once: a used, expired, replaced or incomplete link says so in words, with the
 * way to rate after signing in, rather than showing an error page.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../../api/client';
import { ApiError } from '../../../api/problems';
import { PageHeading } from '../../../shared/a11y';
import type { RateBody, RatingView } from './labels';
import { RatingForm } from './RatingForm';
import { RatingSummary } from './RatingSummary';

type LinkRefusal = 'missing' | 'unknown' | 'used' | 'expired' | 'already_rated';

const REFUSALS: Record<LinkRefusal, { title: string; text: string }> = {
  missing: {
    title: '评价链接不完整',
    text: '打开的地址缺少评价凭证。请直接点击短信中的完整链接；也可以登录当事人服务后评价。',
  },
  unknown: {
    title: '评价链接无效',
    text: '这个评价链接不存在，或已被中心发送的新短信取代。请使用最新短信中的链接，或登录当事人服务后评价。',
  },
  used: {
    title: '评价链接已使用',
    text: '这个评价链接已经用过一次。每位当事人对一件案件只能评价一次，感谢您的反馈。',
  },
  expired: {
    title: '评价链接已过期',
    text: '评价链接在短信发出后 30 日内有效，现已过期。您仍可登录当事人服务，在“我的案件”中评价。',
  },
  already_rated: {
    title: '您已评价过本案',
    text: '每位当事人对一件案件只能评价一次，感谢您的反馈。登录当事人服务可以查看您的评价。',
  },
};

/** The token the texted link carries: `#t=…` as texted, or `?token=…` if a phone moved it into the query. */
export function linkToken(location: { hash: string; search: string }): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('t');
  return fromHash || new URLSearchParams(location.search).get('token') || null;
}

function refusalOf(e: unknown): LinkRefusal | null {
  if (!(e instanceof ApiError)) return null;
  const code = e.problem?.type?.replace(/^\/problems\//, '');
  if (e.status === 404) return 'unknown';
  if (code === 'rating-link-used') return 'used';
  if (code === 'rating-link-expired') return 'expired';
  if (e.problem?.rule === 'already_rated') return 'already_rated';
  if (e.explained.fields?.some((f) => f.field === 'token')) return 'unknown';
  return null;
}

export function RateByLinkPage() {
  const [token] = useState(() => linkToken(window.location));
  const [refusal, setRefusal] = useState<LinkRefusal | null>(token ? null : 'missing');
  const [rated, setRated] = useState<RatingView | null>(null);

  const submit = (body: RateBody, key: string) =>
    ok(
      api.POST('/rating-links/rating', {
        body: { ...body, token: token ?? '' },
        headers: { 'Idempotency-Key': key },
      }),
    );

  if (refusal) {
    const r = REFUSALS[refusal];
    return (
      <>
        <PageHeading title={r.title} />
        <p className="notice" role="status" data-testid="rating-link-refused">
          {r.text}
        </p>
        <p>
          <Link to="/">登录当事人服务</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeading title="评价本次服务" />
      {rated ? (
        <section className="card done" role="status" aria-labelledby="rated-by-link">
          <h2 id="rated-by-link">评价已提交，感谢您的评价</h2>
          <RatingSummary r={rated} />
          <p>这个评价链接已经用过，不能再次使用。</p>
        </section>
      ) : (
        <>
          <p>您的案件已办结。这个链接来自中心发给您的短信，无需登录即可评价，30 日内有效，只能使用一次。</p>
          <RatingForm
            submit={submit}
            onRated={setRated}
            onRefused={(e) => {
              const found = refusalOf(e);
              if (found) setRefusal(found);
              return found !== null;
            }}
          />
        </>
      )}
    </>
  );
}
