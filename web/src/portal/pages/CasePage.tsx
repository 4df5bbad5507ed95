/**
 * 我的案件: where the case stands (status in words, never a colour alone), what comes next and by when (the
 * open periods with their articles), who handles it, and what has happened so far, oldest first. Between them, the
 * cards for what this party may do now, each shown only when the server offers it (pages/mycase/): choosing a
 * mediator, adding material, the service address, legal aid; once the case has concluded, rating the service.
 */
import { Link } from 'react-router';
import { PageHeading } from '../../shared/a11y';
import { formatDateTime, formatDue } from '../../shared/format';
import { DISPUTE_TYPE_LABELS, label } from '../../shared/labels';
import { handledBy, nextStep, openDeadlines, pastSteps } from '../progress';
import { ConsentCard } from './ConsentCard';
import { LoadFailed, Loading } from './Loading';
import { LegalAidCard } from './mycase/LegalAidCard';
import { MaterialsCard } from './mycase/MaterialsCard';
import { MediatorChoiceCard } from './mycase/MediatorChoiceCard';
import { ServiceAddressCard } from './mycase/ServiceAddressCard';
import { NotFoundPage } from './NotFoundPage';
import { RatingCard } from './rating/RatingCard';
import { signCall } from './SignPage';
import { isNotFound, useCase } from './useCase';

export function CasePage({ caseId }: { caseId: string }) {
  const view = useCase(caseId);
  if (view.isPending) return <Loading what="案件" />;
  if (view.isError)
    return isNotFound(view.error) ? (
      <NotFoundPage what="案件" />
    ) : (
      <LoadFailed error={view.error} retry={() => void view.refetch()} />
    );
  const c = view.data;
  const deadlines = openDeadlines(c.deadlines);
  const steps = pastSteps(c.events);
  return (
    <>
      <PageHeading title="我的案件" />
      <section className="card" aria-labelledby="case-summary">
        <h2 id="case-summary">案件概况</h2>
        <dl className="facts">
          <dt>案件编号</dt>
          <dd>{c.caseNumber}</dd>
          <dt>纠纷类型</dt>
          <dd>{label(DISPUTE_TYPE_LABELS, c.disputeType)}</dd>
          <dt>当前状态</dt>
          <dd data-testid="case-status">
            <strong>{c.statusLabel}</strong>（{formatDateTime(c.statusChangedAt)} 起）
          </dd>
          <dt>承办</dt>
          <dd>{handledBy(c)}</dd>
        </dl>
      </section>

      {signCall(c) ? (
        <section className="card next sign-call" aria-labelledby="sign-call">
          <h2 id="sign-call">待您签署</h2>
          <p>{signCall(c)}</p>
          <p>
            <Link to={`/cases/${caseId}/sign`}>阅读并签署</Link>
          </p>
        </section>
      ) : null}
      <ConsentCard c={c} />
      <MediatorChoiceCard c={c} />
      <section className="card next" aria-labelledby="next-step">
        <h2 id="next-step">下一步</h2>
        <p data-testid="next-step">{nextStep(c.status)}</p>
        {deadlines.length ? (
          <>
            <h3>期限</h3>
            <ul className="deadlines">
              {deadlines.map((d) => (
                <li key={`${d.ruleId}-${d.startedAt}`}>
                  <strong>{d.label}</strong>：截止到 <time dateTime={d.dueAt}>{formatDue(d.dueAt)}</time>
                  <span className="basis">（依据：{d.citation}）</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          <Link to={`/cases/${caseId}/documents`}>查看和下载本案文书</Link>
        </p>
      </section>

      <MaterialsCard c={c} />
      <LegalAidCard c={c} />
      <ServiceAddressCard c={c} />

      <RatingCard c={c} />

      <section className="card" aria-labelledby="complaint-call">
        <h2 id="complaint-call">意见与投诉</h2>
        <p>对调解员或调解组织的服务不满意，可以投诉；提交后会得到投诉编号，并可在此查看办理进度。</p>
        <p>
          <Link to={`/cases/${caseId}/complaints`}>我要投诉或查看投诉进度</Link>
        </p>
      </section>

      <section className="card" aria-labelledby="progress">
        <h2 id="progress">办理进度</h2>
        {steps.length ? (
          <ol className="timeline">
            {steps.map((s, i) => (
              <li key={s.seq}>
                <span className="sr-only">第 {i + 1} 步：</span>
                <strong>{s.what}</strong>
                {s.detail ? <span className="detail">{s.detail}</span> : null}
                <time dateTime={s.at}>{formatDateTime(s.at)}</time>
              </li>
            ))}
          </ol>
        ) : (
          <p>暂无记录。</p>
        )}
      </section>
    </>
  );
}
