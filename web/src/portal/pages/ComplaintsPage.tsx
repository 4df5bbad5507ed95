/**
 * 投诉 (/portal/cases/:caseId/complaints; docs/supervision.md#complaints, seed Art 59): a party complains about the
 * service on their case (the mediator or the mediation organization), with the ground, what happened, what they
 * ask for and how they want the answer; the receipt gives the tracking number. Below, the complaints this party
 * filed, each with its status and its next date in words. What may be filed and who reads it is the server's.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { errorText } from '../../api/problems';
import { PageHeading } from '../../shared/a11y';
import { formatDateTime, formatDue } from '../../shared/format';
import { COMPLAINT_GROUND_LABELS, label, type ComplaintView } from './complaint/labels';
import { ComplaintForm } from './complaint/ComplaintForm';
import { LoadFailed, Loading } from './Loading';

export function ComplaintsPage({ caseId }: { caseId: string }) {
  const [filed, setFiled] = useState<ComplaintView | null>(null);
  const list = useQuery({ queryKey: ['complaints'], queryFn: () => ok(api.GET('/complaints')) });
  const mine = (list.data?.complaints ?? []).filter((c) => c.caseId === caseId);
  return (
    <>
      <PageHeading title="投诉" />
      <p>
        对调解员或调解组织的服务不满意，可以在这里投诉。司法行政部门会在 5 个工作日内决定是否受理，受理后 45
        日内作出处理决定，并在决定后 5 个工作日内按您选择的方式答复。您的投诉不会向被投诉人透露您的联系方式。
      </p>
      {filed ? (
        <section className="card done" aria-labelledby="complaint-filed" role="status">
          <h2 id="complaint-filed">投诉已提交</h2>
          <p>
            投诉编号：<strong data-testid="tracking-number">{filed.trackingNumber}</strong>
          </p>
          <p>请记下投诉编号，以便查询或电话询问。当前状态：{filed.statusLabel}。</p>
        </section>
      ) : (
        <ComplaintForm
          caseId={caseId}
          onFiled={(c) => {
            setFiled(c);
            void list.refetch();
          }}
        />
      )}
      <section className="card" aria-labelledby="my-complaints">
        <h2 id="my-complaints">我的投诉</h2>
        {list.isPending ? (
          <Loading what="投诉" />
        ) : list.isError ? (
          <LoadFailed error={list.error} retry={() => void list.refetch()} />
        ) : mine.length === 0 ? (
          <p>您还没有投诉。</p>
        ) : (
          <ul className="timeline">
            {mine.map((c) => (
              <li key={c.complaintId}>
                <strong>投诉编号 {c.trackingNumber}</strong>
                <span className="detail">
                  {label(COMPLAINT_GROUND_LABELS, c.ground)}；当前状态：{c.statusLabel}
                  {c.nextDueAt ? `；下一步期限：${formatDue(c.nextDueAt)}` : ''}
                </span>
                <time dateTime={c.receivedAt}>提交于 {formatDateTime(c.receivedAt)}</time>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p>
        <Link to={`/cases/${caseId}`}>返回我的案件</Link>
      </p>
      {list.isError ? <p className="error">{errorText(list.error, '投诉记录加载失败。')}</p> : null}
    </>
  );
}
