/**
 * 待签: the agreement the case circulates, to read in full (facts, each term with its amount, due date and
 * manner, performance, the version and its SHA-256), with the PDF of that version; then 签署 (a confirmation,
 * then an electronic signature on exactly the version read) or 拒绝签署 (a reason, and a warning that refusing
 * ends the mediation, 在线调解规则 Art 25(7)). The buttons show only when the server offers the action. A newer
 * draft than the one read is refused by the server: the screen says so and shows the new version. Joint
 * applications for judicial confirmation or notarization, when offered, are a confirm-and-sign card.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, idempotencyKey, ok, type CaseView } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import type { paths } from '../../api/schema';
import { announce, PageHeading } from '../../shared/a11y';
import { saveBlob } from '../../shared/files';
import { formatDay, formatFen } from '../../shared/format';
import { PARTY_ROLE_LABELS, label } from '../../shared/labels';
import { LoadFailed, Loading } from './Loading';
import { NotFoundPage } from './NotFoundPage';
import { caseKey, isNotFound, useCase } from './useCase';

type Outcome = { kind: 'signed'; view: CaseView } | { kind: 'refused' } | null;

/** Whether the server offers this principal the action now (only then is its button shown). */
export const offers = (c: CaseView, path: string): boolean => (c.actions ?? []).some((a) => a.path === path && a.allowed);

/**
 * A family or inheritance agreement is not signed electronically (电子签名法 Art 3): the server lists the
 * signature with that refusal, and the party signs in ink at the center.
 */
export const wetInkOnly = (c: CaseView): boolean =>
  (c.actions ?? []).some((a) => a.path === 'agreement/signatures' && !a.allowed && a.refusal?.code === 'electronic_signature_excluded');

/** What 我的案件 calls the party to sign now, if anything. */
export function signCall(c: CaseView): string | null {
  if (offers(c, 'agreement/signatures')) return `调解协议（第 ${c.agreement?.version ?? ''} 版）已送达，请阅读后签署。`;
  if (wetInkOnly(c)) return '调解协议已拟好。本类协议不能在网上签名，请阅读后到中心当面签署。';
  if (offers(c, 'judicial-confirmation/signatures') || offers(c, 'notarization/signatures')) return '有一份共同申请等待您签署。';
  return null;
}

export function SignPage({ caseId }: { caseId: string }) {
  const view = useCase(caseId);
  const [outcome, setOutcome] = useState<Outcome>(null);
  // Kept here: the actions below start afresh (a new key) for the new version.
  const [stale, setStale] = useState(false);
  const drafts = useQuery({
    queryKey: ['portal', 'drafts', caseId],
    queryFn: () => ok(api.GET('/cases/{caseId}/agreement/drafts', { params: { path: { caseId } } })),
  });
  if (view.isPending || drafts.isPending) return <Loading what="调解协议" />;
  if (view.isError) return isNotFound(view.error) ? <NotFoundPage what="案件" /> : <LoadFailed error={view.error} retry={() => void view.refetch()} />;
  if (drafts.isError) return isNotFound(drafts.error) ? <NotFoundPage what="调解协议" /> : <LoadFailed error={drafts.error} retry={() => void drafts.refetch()} />;
  const c = view.data;
  if (outcome?.kind === 'signed') return <Signed view={outcome.view} caseId={caseId} />;
  if (outcome?.kind === 'refused') {
    return (
      <>
        <PageHeading title="已拒绝签署" />
        <p className="card" role="status">
          您已拒绝在调解协议上签署，本次调解终止（人民法院在线调解规则第二十五条第（七）项）。中心会把终止调解的文书发给您。
        </p>
        <p>
          <Link to={`/cases/${caseId}`}>返回我的案件</Link>
        </p>
      </>
    );
  }
  const version = c.agreement?.version;
  const draft = drafts.data.drafts.find((d) => d.version === version);
  const canSign = offers(c, 'agreement/signatures');
  const canRefuse = offers(c, 'agreement/refusals');
  const joint = (['judicial-confirmation/signatures', 'notarization/signatures'] as const).filter((p) => offers(c, p));
  return (
    <>
      <PageHeading title="待签：调解协议" />
      {stale ? (
        <p role="alert" className="error" data-testid="stale-draft">
          <strong>协议已更新，请重新阅读。</strong>调解员修改了协议内容，下面是最新版本；请阅读后再签署。
        </p>
      ) : null}
      {draft && version !== undefined ? (
        <>
          <Agreement c={c} draft={draft} caseId={caseId} />
          {wetInkOnly(c) ? (
            <section className="card warning" aria-labelledby="wet-ink" data-testid="wet-ink">
              <h2 id="wet-ink">请到中心当面签署</h2>
              <p>
                <strong>婚姻家庭、继承类调解协议不能在网上电子签名</strong>（电子签名法第三条第二款第一项）。请带身份证件到中心服务窗口，当面签字、盖章或按指印。
              </p>
            </section>
          ) : null}
          {canSign || canRefuse ? (
            <SignActions
              key={version}
              caseId={caseId}
              version={version}
              canSign={canSign}
              canRefuse={canRefuse}
              onSigned={(v) => setOutcome({ kind: 'signed', view: v })}
              onRefused={() => setOutcome({ kind: 'refused' })}
              reload={async () => {
                setStale(true);
                await Promise.all([view.refetch(), drafts.refetch()]);
              }}
            />
          ) : wetInkOnly(c) ? null : (
            <p className="card">目前没有需要您签署的内容。</p>
          )}
        </>
      ) : (
        <p className="card">本案目前没有待签署的调解协议。</p>
      )}
      {joint.map((p) => (
        <JointApplication key={p} caseId={caseId} path={p} />
      ))}
      <p>
        <Link to={`/cases/${caseId}`}>返回我的案件</Link>
      </p>
    </>
  );
}

type Draft = paths['/cases/{caseId}/agreement/drafts']['get']['responses'][200]['content']['application/json']['drafts'][number];

function Agreement({ c, draft, caseId }: { c: CaseView; draft: Draft; caseId: string }) {
  const { content } = draft;
  return (
    <article className="card agreement" aria-labelledby="agreement-title">
      <h2 id="agreement-title">人民调解协议书</h2>
      <dl className="facts">
        <dt>案件编号</dt>
        <dd>{c.caseNumber}</dd>
        <dt>协议版本</dt>
        <dd data-testid="agreement-version">第 {draft.version} 版</dd>
        <dt>文件指纹</dt>
        <dd>
          SHA-256 <code>{draft.sha256.slice(0, 16)}</code>…
        </dd>
      </dl>
      <h3>纠纷事实</h3>
      <p className="agreement-text">{content.facts}</p>
      <h3>协议条款</h3>
      <ol className="agreement-terms">
        {content.terms.map((t, i) => (
          <li key={i}>
            <p className="agreement-text">{t.text}</p>
            {t.amountFen !== undefined || t.dueDate || t.manner ? (
              <dl className="facts">
                {t.amountFen !== undefined ? (
                  <>
                    <dt>金额</dt>
                    <dd>{formatFen(t.amountFen)}</dd>
                  </>
                ) : null}
                {t.dueDate ? (
                  <>
                    <dt>履行期限</dt>
                    <dd>{formatDay(t.dueDate)}前</dd>
                  </>
                ) : null}
                {t.manner ? (
                  <>
                    <dt>履行方式</dt>
                    <dd>{t.manner}</dd>
                  </>
                ) : null}
              </dl>
            ) : null}
          </li>
        ))}
      </ol>
      {content.performance ? (
        <>
          <h3>履行方式和期限</h3>
          <p className="agreement-text">{content.performance}</p>
        </>
      ) : null}
      <AgreementPdf caseId={caseId} version={draft.version} />
    </article>
  );
}

/** The PDF of the version read, downloaded with the session's token as 文书 does. */
function AgreementPdf({ caseId, version }: { caseId: string; version: number }) {
  const list = useQuery({
    queryKey: ['portal', 'documents', caseId],
    queryFn: () => ok(api.GET('/cases/{caseId}/documents', { params: { path: { caseId } } })),
  });
  const [error, setError] = useState<string | null>(null);
  const agreements = (list.data?.documents ?? []).filter((d) => d.kind === 'agreement').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const doc = agreements.find((d) => d.docVersion === version) ?? agreements[0];
  if (!doc) return null;
  async function download() {
    if (!doc) return;
    setError(null);
    try {
      const blob = await ok(api.GET('/cases/{caseId}/documents/{documentId}', { params: { path: { caseId, documentId: doc.documentId } }, parseAs: 'blob' }));
      saveBlob(blob as Blob, `${doc.title}.pdf`);
      announce(`已开始下载《${doc.title}》`);
    } catch (e) {
      setError(errorText(e, '下载未能完成，请重试。'));
    }
  }
  return (
    <>
      <button type="button" className="link-button" onClick={() => void download()}>
        下载协议 PDF（第 {doc.docVersion} 版）
      </button>
      {error ? (
        <p role="alert" className="error">
          <strong>未能下载：</strong>
          {error}
        </p>
      ) : null}
    </>
  );
}

function SignActions(props: {
  caseId: string;
  version: number;
  canSign: boolean;
  canRefuse: boolean;
  onSigned: (view: CaseView) => void;
  onRefused: () => void;
  reload: () => Promise<void>;
}) {
  const { caseId, version } = props;
  const queryClient = useQueryClient();
  const [step, setStep] = useState<'choose' | 'sign' | 'refuse'>('choose');
  const [agreed, setAgreed] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string } | null>(null);
  // One key per intent: a retry after a lost answer reuses it; a new intent (another step) gets a new one.
  const key = useRef<string>(idempotencyKey());
  const ids = { agree: useId(), reason: useId(), reasonError: useId() };

  function go(next: 'choose' | 'sign' | 'refuse') {
    key.current = idempotencyKey();
    setError(null);
    setStep(next);
  }

  async function failed(e: unknown) {
    if (e instanceof ApiError && e.status === 409) {
      // A newer draft than the one read (stale_draft): reread the case and the drafts, and say so.
      const fresh = await queryClient.fetchQuery({ queryKey: caseKey(caseId), queryFn: () => ok(api.GET('/cases/{caseId}', { params: { path: { caseId } } })) }).catch(() => undefined);
      if (fresh?.agreement && fresh.agreement.version !== version) {
        await props.reload();
        return;
      }
    }
    if (e instanceof ApiError && e.status === 422 && e.problem?.rule === 'electronic_signature_excluded') {
      setError({ text: '婚姻家庭、继承类调解协议不能在网上电子签名（电子签名法第三条）。请到中心服务窗口当面签字、盖章或按指印。' });
      return;
    }
    setError({ text: errorText(e) });
  }

  async function sign() {
    if (!agreed) {
      setError({ text: '请先勾选"我已阅读并同意以上协议内容"。' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await ok(
        api.POST('/cases/{caseId}/agreement/signatures', {
          params: { path: { caseId } },
          body: { method: 'electronic', draftVersion: version },
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      announce('签署成功');
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
      props.onSigned(answer as CaseView);
    } catch (e) {
      await failed(e);
    } finally {
      setBusy(false);
    }
  }

  async function refuse() {
    if (!reason.trim()) {
      setError({ text: '请填写拒绝签署的理由。' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await ok(
        api.POST('/cases/{caseId}/agreement/refusals', {
          params: { path: { caseId } },
          body: { note: reason.trim() },
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      announce('已拒绝签署，调解终止');
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
      props.onRefused();
    } catch (e) {
      await failed(e);
    } finally {
      setBusy(false);
    }
  }

  const alert = error ? (
    <p role="alert" className="error" id={step === 'refuse' ? ids.reasonError : undefined}>
      {error.text}
    </p>
  ) : null;

  if (step === 'sign') {
    return (
      <section className="card next" aria-labelledby="sign-confirm">
        <h2 id="sign-confirm">确认签署</h2>
        <p>您将以电子签名方式签署第 {version} 版调解协议。签署后，您的签名会记入案件。</p>
        <div className="check">
          <input id={ids.agree} type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />
          <label htmlFor={ids.agree}>我已阅读并同意以上协议内容</label>
        </div>
        {alert}
        <div className="button-row">
          <button type="button" className="primary" disabled={busy} onClick={() => void sign()}>
            {busy ? '正在签署…' : '确认签署'}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => go('choose')}>
            返回
          </button>
        </div>
      </section>
    );
  }
  if (step === 'refuse') {
    return (
      <section className="card warning" aria-labelledby="refuse-confirm">
        <h2 id="refuse-confirm">拒绝签署</h2>
        <p>
          <strong>请注意：拒绝签署将终止本次调解</strong>（人民法院在线调解规则第二十五条第（七）项）。终止后，您可以另行通过诉讼等途径解决纠纷。
        </p>
        <label htmlFor={ids.reason}>拒绝理由（必填）</label>
        <textarea
          id={ids.reason}
          rows={4}
          maxLength={2000}
          required
          aria-invalid={error && !reason.trim() ? true : undefined}
          aria-describedby={error ? ids.reasonError : undefined}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setError(null);
          }}
        />
        {alert}
        <div className="button-row">
          <button type="button" className="primary danger" disabled={busy} onClick={() => void refuse()}>
            {busy ? '正在提交…' : '确认拒绝签署'}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => go('choose')}>
            返回
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="card next" aria-labelledby="sign-choose">
      <h2 id="sign-choose">请选择</h2>
      {alert}
      <div className="button-row">
        {props.canSign ? (
          <button type="button" className="primary" onClick={() => go('sign')}>
            签署
          </button>
        ) : null}
        {props.canRefuse ? (
          <button type="button" className="secondary" onClick={() => go('refuse')}>
            拒绝签署
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** After signing: whose signatures the agreement still needs. */
function Signed({ view: c, caseId }: { view: CaseView; caseId: string }) {
  const signed = new Set(c.agreement?.signatures ?? []);
  const waiting = c.parties.filter((p) => !p.representsPartyId && !signed.has(p.partyId));
  const effective = c.status === 'AGREEMENT_EFFECTIVE';
  return (
    <>
      <PageHeading title="签署成功" />
      <section className="card" aria-labelledby="signed-summary">
        <h2 id="signed-summary">您已签署第 {c.agreement?.version} 版调解协议</h2>
        {effective ? (
          <p data-testid="still-to-sign">各方均已签署，调解协议已生效。</p>
        ) : waiting.length ? (
          <p data-testid="still-to-sign">还需签署：{waiting.map((p) => `${label(PARTY_ROLE_LABELS, p.role)}${p.name}`).join('、')}；当事人签署后，由调解员签名并加盖调解组织印章。</p>
        ) : (
          <p data-testid="still-to-sign">当事人均已签署，还需调解员签名并加盖调解组织印章，协议即生效。</p>
        )}
      </section>
      <p>
        <Link to={`/cases/${caseId}`}>返回我的案件</Link>
      </p>
    </>
  );
}

const JOINT_TITLES: Record<string, string> = {
  'judicial-confirmation/signatures': '共同申请司法确认',
  'notarization/signatures': '共同申请办理公证',
};

function JointApplication({ caseId, path }: { caseId: string; path: 'judicial-confirmation/signatures' | 'notarization/signatures' }) {
  const queryClient = useQueryClient();
  const [agreed, setAgreed] = useState(false);
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const key = useRef(idempotencyKey());
  const id = useId();
  const title = JOINT_TITLES[path]!;
  async function sign() {
    if (!agreed) {
      setState((s) => ({ ...s, error: '请先勾选确认。' }));
      return;
    }
    setState({ busy: true, error: null, done: false });
    try {
      const url = path === 'judicial-confirmation/signatures' ? '/cases/{caseId}/judicial-confirmation/signatures' : '/cases/{caseId}/notarization/signatures';
      await ok(api.POST(url as '/cases/{caseId}/notarization/signatures', { params: { path: { caseId } }, body: { method: 'electronic' }, headers: { 'Idempotency-Key': key.current } }));
      announce(`已签署${title}`);
      setState({ busy: false, error: null, done: true });
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      setState({ busy: false, error: errorText(e), done: false });
    }
  }
  return (
    <section className="card next" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {state.done ? (
        <p role="status">您已签署{title}申请。</p>
      ) : (
        <>
          <p>调解协议生效后，双方可以共同申请{path === 'notarization/signatures' ? '公证机构办理公证' : '人民法院确认其效力'}。请确认后签署申请。</p>
          <div className="check">
            <input id={id} type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />
            <label htmlFor={id}>我同意{title}</label>
          </div>
          {state.error ? (
            <p role="alert" className="error">
              {state.error}
            </p>
          ) : null}
          <button type="button" className="primary" disabled={state.busy} onClick={() => void sign()}>
            {state.busy ? '正在签署…' : `签署${title}申请`}
          </button>
        </>
      )}
    </section>
  );
}
