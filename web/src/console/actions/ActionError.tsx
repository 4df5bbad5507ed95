/** Why an action was not taken, in Chinese, announced: the rule and its article for a refusal, and the request id. */
import { Alert } from 'antd';
import { ApiError } from '../../api/problems';

export function ActionError({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return <Alert type="error" showIcon role="alert" title="办理失败，请重试。" />;
  const e = error.explained;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={e.message}
      description={
        <>
          {e.article || e.rule ? (
            <div>
              依据：{e.article ?? '—'}
              {e.rule ? `（规则 ${e.rule}）` : ''}
            </div>
          ) : null}
          {e.fields?.length ? (
            <div>请修改标出的项后再提交，已填写的内容均已保留。</div>
          ) : e.detail ? (
            <div>说明：{e.detail}</div>
          ) : null}
          {e.requestId ? <div>请求编号：{e.requestId}</div> : null}
        </>
      }
    />
  );
}
