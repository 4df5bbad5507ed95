/** What a person sees for a case they may not see, or a page that does not exist: a plain explanation and a way back. */
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { PageHeading } from '../a11y';

export function NotFoundPage({ what = '页面' }: { what?: string }) {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={<PageHeading title={`未找到该${what}`} />}
      // The same words whether the case does not exist or is someone else's: the API tells them apart to no one.
      subTitle={
        what === '案件'
          ? '该案件不存在，或不在您的办理范围内。如需查看，请联系案件的承办人员。'
          : '地址可能有误，或页面已不存在。'
      }
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          返回工作台
        </Button>
      }
    />
  );
}
