/** A case that is not this party's, or an address that does not exist: the same words either way (the API tells them apart to no one). */
import { Link } from 'react-router';
import { PageHeading } from '../../shared/a11y';

export function NotFoundPage({ what = '页面' }: { what?: string }) {
  return (
    <section className="card">
      <PageHeading title={`未找到该${what}`} />
      <p>
        {what === '案件'
          ? '该案件不存在，或不是您的案件。您只能查看自己参与的案件。'
          : '地址可能有误，或页面已不存在。'}
      </p>
      <p>
        <Link to="/">返回我的案件</Link>
      </p>
    </section>
  );
}
