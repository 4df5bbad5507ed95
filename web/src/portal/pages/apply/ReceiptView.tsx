/**
 * 回执: the case number, the access code shown this once (it was also sent by SMS, and the server keeps only its
 * hash), what happens next and by when, and what became of the files. The applicant is already signed in with
 * the session the application answered, so 我的案件 is one tap away.
 */
import { Link } from 'react-router';
import { PageHeading } from '../../../shared/a11y';
import { DEADLINE_RULES } from '../../../shared/labels';
import type { Receipt } from './submit';

export function ReceiptView({ receipt, signedIn }: { receipt: Receipt; signedIn: boolean }) {
  const { registered, uploads } = receipt;
  const failed = uploads.filter((u) => !u.ok);
  const contact = DEADLINE_RULES.counterparty_contact;
  return (
    <section className="card apply">
      <PageHeading title="申请已提交" />
      <p role="status" className="verified">
        您的调解申请已经登记。{registered.caseNumber ? '请记下案号和查询码。' : '案号稍后以短信告知。'}
      </p>
      <dl className="facts receipt-facts">
        <dt>案号</dt>
        <dd data-testid="receipt-case-number">{registered.caseNumber ?? '正在生成，稍后以短信告知'}</dd>
      </dl>
      {registered.accessCode ? (
        <div className="access-code-box">
          <h2>查询码（只显示这一次）</h2>
          <p className="access-code" data-testid="receipt-access-code">
            {registered.accessCode}
          </p>
          <p>
            查询码已用短信发送到您的手机 {receipt.phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2')}
            。以后查看案件，要用查询码加短信验证码登录。<strong>离开本页后不会再显示</strong>
            ，请抄下来或截图保存，不要告诉别人。
          </p>
        </div>
      ) : (
        <p className="notice">查询码会用短信发送到您的手机。</p>
      )}
      <h2>接下来会怎样</h2>
      <ol className="next-steps">
        <li>中心工作人员审查您的申请，决定是否受理，结果会短信通知您。</li>
        <li>
          受理后 3 个工作日内，中心联系对方，问对方是否愿意调解。
          <span className="basis">依据：{contact.citation}</span>
        </li>
        <li>
          对方同意后，中心安排调解员，和您约定调解的时间和方式。对方不同意或联系不上的，中心会告诉您，并说明还可以怎么办。
        </li>
      </ol>
      {uploads.length > 0 ? (
        <>
          <h2>材料</h2>
          <ul className="upload-outcomes">
            {uploads.map((u) => (
              <li key={u.name}>
                {u.name}：{u.ok ? '已上传' : '未能上传'}
              </li>
            ))}
          </ul>
          {failed.length > 0 ? (
            <p className="error" role="alert">
              <strong>材料未能上传：</strong>
              {failed.length}{' '}
              个文件没有传上去，可登录后在“我的案件”中补充，或带到中心服务窗口。您的申请已经登记，不受影响。
            </p>
          ) : null}
        </>
      ) : null}
      {signedIn ? (
        <Link className="button-link primary" to={`/cases/${registered.caseId}`}>
          查看我的案件
        </Link>
      ) : (
        <Link className="button-link primary" to="/">
          用查询码登录
        </Link>
      )}
    </section>
  );
}
