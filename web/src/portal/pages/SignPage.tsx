/**
 * 待签: the agreement the case circulates, to read in full as its PDF says it (the title of the organization's
 * kind of agreement, facts, who presided, each term with its amount, due date and manner, performance, and
 * 其他事项: the dispute type's legal notices, judicial confirmation, the effect sentence for the agreement's path,
 * the copies; agreement-text.ts), with the version, its SHA-256 and the PDF of that version; then 签署 (a
 * confirmation, then an electronic signature on exactly the version read) or 拒绝签署 (a reason, and a warning
 * that refusing ends the mediation, 在线调解规则 Art 25(7)). The buttons show only when the server offers the
 * action. A newer draft than the one read is refused by the server: the screen says so and shows the new
 * version. Once the agreement is in effect, a joint application for judicial confirmation or notarization being
 * prepared is signed here too (JointApplicationSign.tsx), with the agreement it secures below it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, idempotencyKey, ok, type CaseView } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import { EFFECT_RULES } from '../../api/vocabulary';
import type { paths } from '../../api/schema';
import { announce, PageHeading } from '../../shared/a11y';
import { formatDay, formatFen } from '../../shared/format';
import { PARTY_ROLE_LABELS, label } from '../../shared/labels';
import {
  agreementNotices,
  agreementTitle,
  effectSentence,
  factsHeading,
  presided,
  type AgreementWording,
  type EffectPath,
} from './agreement-text';
import { downloadDocument } from './DocumentsPage';
import { JointApplicationCard, jointApplications, jointCall } from './JointApplicationSign';
import { LoadFailed, Loading } from './Loading';
import { NotFoundPage } from './NotFoundPage';
import { useInstitutions, useMediators } from './roster';
import { caseKey, isNotFound, useCase } from './useCase';
import { ConfirmButtons } from './ConfirmButtons';

type Outcome = { kind: 'signed'; view: CaseView } | { kind: 'refused' } | null;

/** Whether the server offers this principal the action now (only then is its button shown). */
export const offers = (c: CaseView, path: string): boolean =>
  (c.actions ?? []).some((a) => a.path === path && a.allowed);

/**
 * A family or inheritance agreement is not signed electronically (电子签名法 Art 3): the server lists the
 * signature with that refusal, and the party signs in ink at the center.
 */
export const wetInkOnly = (c: CaseView): boolean =>
  (c.actions ?? []).some(
    (a) => a.path === 'agreement/signatures' && !a.allowed && a.refusal?.code === 'electronic_signature_excluded',
  );

/** What 我的案件 calls the party to sign now, if anything: the agreement, or a joint application once it is in effect. */
export function signCall(c: CaseView): string | null {
  if (offers(c, 'agreement/signatures')) return `调解协议（第 ${c.agreement?.version ?? ''} 版）已送达，请阅读后签署。`;
  if (wetInkOnly(c)) return '调解协议已拟好。本类协议不能在网上签名，请阅读后到中心当面签署。';
  return jointCall(c);
}

export function SignPage({ caseId }: { caseId: string }) {
  const view = useCase(caseId);
  const [outcome, setOutcome] = useState<Outcome>(null);
  // Kept here: the actions below start afresh (a new key) for the new version.
  const [stale, setStale] = useState(false);
  // Joint applications signed on this screen stay shown (with where they went) after they leave PREPARING.
  const [jointSigned, setJointSigned] = useState<ReadonlySet<string>>(new Set());
  const drafts = useQuery({
    queryKey: ['portal', 'drafts', caseId],
    queryFn: () => ok(api.GET('/cases/{caseId}/agreement/drafts', { params: { path: { caseId } } })),
  });
  if (view.isPending || drafts.isPending) return <Loading what="调解协议" />;
  if (view.isError)
    return isNotFound(view.error) ? (
      <NotFoundPage what="案件" />
    ) : (
      <LoadFailed error={view.error} retry={() => void view.refetch()} />
    );
  if (drafts.isError)
    return isNotFound(drafts.error) ? (
      <NotFoundPage what="调解协议" />
    ) : (
      <LoadFailed error={drafts.error} retry={() => void drafts.refetch()} />
    );
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
  const joint = jointApplications(c, jointSigned);
  // The agreement itself is what is to be signed, unless it is in effect and an application secures it.
  const agreementFirst =
    canSign || canRefuse || wetInkOnly(c) || c.status === 'PENDING_SIGNATURE' || joint.length === 0;
  const jointCards = joint.map((j) => (
    <JointApplicationCard
      key={`${j.kind}-${j.process.n}`}
      c={c}
      caseId={caseId}
      item={j}
      onSigned={(k) => setJointSigned((s) => new Set([...s, k]))}
    />
  ));
  return (
    <>
      <PageHeading title={agreementFirst ? '待签：调解协议' : '待签：共同申请'} />
      {agreementFirst ? null : jointCards}
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
                <strong>婚姻家庭、继承类调解协议不能在网上电子签名</strong>
                （电子签名法第三条第二款第一项）。请带身份证件到中心服务窗口，当面签字、盖章或按指印。
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
          ) : wetInkOnly(c) || !agreementFirst ? null : (
            <p className="card">目前没有需要您签署的内容。</p>
          )}
        </>
      ) : (
        <p className="card">本案目前没有待签署的调解协议。</p>
      )}
      {agreementFirst ? jointCards : null}
      <p>
        <Link to={`/cases/${caseId}`}>返回我的案件</Link>
      </p>
    </>
  );
}

type Draft =
  paths['/cases/{caseId}/agreement/drafts']['get']['responses'][200]['content']['application/json']['drafts'][number];

/**
 * What the printed agreement is made from beyond the draft, as far as the party's view and the roster give it
 * (activities/documents.ts gathers the same for the PDF): the organization and its kind, the mediator, the court.
 */
function useWording(c: CaseView, draft: Draft): AgreementWording | null {
  const path = (c.agreement?.path ?? 'peoples_mediation') as EffectPath;
  const court = path === 'court_pre_filing' || path === 'court_post_filing';
  const mediators = useMediators(Boolean(c.assignment?.mediatorId));
  const institutions = useInstitutions(court);
  if (c.assignment?.mediatorId && mediators.isPending) return null;
  if (court && institutions.isPending) return null;
  const mediator = mediators.data?.mediators.find((m) => m.mediatorId === c.assignment?.mediatorId);
  const parties = c.parties.filter((p) => !p.representsPartyId);
  const courtName = court
    ? (institutions.data?.institutions.find(
        (i) => i.kind === 'court' && i.code !== null && i.code === c.court?.courtCode,
      )?.name ??
      c.court?.courtName ??
      null)
    : null;
  return {
    path,
    organizationKind: mediator?.organization.kind ?? null,
    organizationName: mediator?.organization.name ?? '调解组织',
    mediatorName: mediator?.displayName ?? '',
    courtName,
    disputeType: c.disputeType,
    partyCount: parties.length,
    judicialConfirmationPossible: c.screening?.judicialConfirmation.possible ?? false,
    notarizationPlanned: c.agreement?.enforcementCommitment !== undefined,
    enforcementDebtors: (draft.content.notarization?.debtorPartyIds ?? [])
      .map((id) => parties.find((p) => p.partyId === id)?.name)
      .filter((n): n is string => n !== undefined),
  };
}

function Agreement({ c, draft, caseId }: { c: CaseView; draft: Draft; caseId: string }) {
  const { content } = draft;
  const wording = useWording(c, draft);
  const path = (c.agreement?.path ?? 'peoples_mediation') as EffectPath;
  const kindOf = { path, organizationKind: wording?.organizationKind };
  const notices = wording ? agreementNotices(wording) : null;
  const effect = wording ? effectSentence(wording) : null;
  return (
    <article className="card agreement" aria-labelledby="agreement-title">
      <h2 id="agreement-title">{agreementTitle(kindOf)}</h2>
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
      <h3>{factsHeading(kindOf)}</h3>
      <p className="agreement-text">{content.facts}</p>
      <h3>协议条款</h3>
      {wording ? <p>{presided(wording)}</p> : null}
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
      <h3>其他事项</h3>
      {notices ? (
        <ol className="agreement-notices" data-testid="agreement-notices">
          {notices.map((n, i) => (
            <li key={i} data-testid={n === effect ? 'agreement-effect' : undefined}>
              {n}
            </li>
          ))}
        </ol>
      ) : (
        <p>正在加载…</p>
      )}
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
  const agreements = (list.data?.documents ?? [])
    .filter((d) => d.kind === 'agreement')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const doc = agreements.find((d) => d.docVersion === version) ?? agreements[0];
  if (!doc) return null;
  async function download() {
    if (!doc) return;
    setError(null);
    try {
      await downloadDocument(caseId, doc);
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
      const fresh = await queryClient
        .fetchQuery({
          queryKey: caseKey(caseId),
          queryFn: () => ok(api.GET('/cases/{caseId}', { params: { path: { caseId } } })),
        })
        .catch(() => undefined);
      if (fresh?.agreement && fresh.agreement.version !== version) {
        await props.reload();
        return;
      }
    }
    if (e instanceof ApiError && e.status === 422 && e.problem?.rule === 'electronic_signature_excluded') {
      setError({
        text: '婚姻家庭、继承类调解协议不能在网上电子签名（电子签名法第三条）。请到中心服务窗口当面签字、盖章或按指印。',
      });
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
          <ConfirmButtons
            busy={busy}
            confirm="确认签署"
            busyText="正在签署…"
            onConfirm={() => void sign()}
            onBack={() => go('choose')}
          />
        </div>
      </section>
    );
  }
  if (step === 'refuse') {
    return (
      <section className="card warning" aria-labelledby="refuse-confirm">
        <h2 id="refuse-confirm">拒绝签署</h2>
        <p>
          <strong>请注意：拒绝签署将终止本次调解</strong>
          （人民法院在线调解规则第二十五条第（七）项）。终止后，您可以另行通过诉讼等途径解决纠纷。
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
          <ConfirmButtons
            busy={busy}
            confirm="确认拒绝签署"
            danger
            onConfirm={() => void refuse()}
            onBack={() => go('choose')}
          />
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

/** Who must still sign before the agreement takes effect, by its path (EFFECT_RULES), in the PDF's words. */
function stillToSign(c: CaseView): string {
  const path = (c.agreement?.path ?? 'peoples_mediation') as EffectPath;
  const signed = new Set(c.agreement?.signatures ?? []);
  const waiting = c.parties.filter((p) => !p.representsPartyId && !signed.has(p.partyId));
  const needs: readonly string[] = EFFECT_RULES[path]?.needs ?? ['parties'];
  const staff = needs.includes('mediator') && !signed.has('mediator');
  const seal = needs.includes('organization_seal') && !signed.has('organization_seal');
  const rest = [staff ? '调解员签名' : '', seal ? '加盖调解组织印章' : ''].filter(Boolean).join('并');
  const basis = EFFECT_RULES[path]?.basis;
  if (c.status === 'AGREEMENT_EFFECTIVE') return `各方均已签署，调解协议已生效（${basis}）。`;
  const then =
    path === 'court_post_filing'
      ? '各方当事人签署后，协议提交人民法院依法出具调解书或者准许撤诉'
      : rest
        ? `当事人签署后，还需${rest}，协议方生效`
        : '各方当事人签署后，协议即生效';
  if (waiting.length)
    return `还需签署：${waiting.map((p) => `${label(PARTY_ROLE_LABELS, p.role)}${p.name}`).join('、')}；${then}（${basis}）。`;
  if (path === 'court_post_filing') return `当事人均已签署，协议将提交人民法院依法出具调解书或者准许撤诉（${basis}）。`;
  return rest ? `当事人均已签署，还需${rest}，协议即生效（${basis}）。` : `当事人均已签署（${basis}）。`;
}

/** After signing: whose signatures the agreement still needs, for its path. */
function Signed({ view: c, caseId }: { view: CaseView; caseId: string }) {
  return (
    <>
      <PageHeading title="签署成功" />
      <section className="card" aria-labelledby="signed-summary">
        <h2 id="signed-summary">您已签署第 {c.agreement?.version} 版调解协议</h2>
        <p data-testid="still-to-sign">{stillToSign(c)}</p>
      </section>
      <p>
        <Link to={`/cases/${caseId}`}>返回我的案件</Link>
      </p>
    </>
  );
}
