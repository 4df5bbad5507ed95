/**
 * 待签 for a joint application (docs/securing.md): when the case's latest judicial confirmation or notarization is
 * being prepared (PREPARING) the party reads what is applied for, to whom, for which agreement, on what legal
 * basis, by when and at what cost, and who has signed so far; then signs electronically
 * (POST …/judicial-confirmation/signatures or …/notarization/signatures, method electronic: the server knows
 * which party signs from the session). Whether this party may sign now, or has signed, is the server's offer
 * (the action's `allowed`, or its refusal `already_signed`); who else has signed is read from the case's events
 * (ConfirmationApplicationSigned, NotarizationApplicationSigned), as the case view names no signers of an
 * application.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { api, idempotencyKey, ok, type CaseView } from '../../api/client';
import { errorText } from '../../api/problems';
import { announce } from '../../shared/a11y';
import { formatDate, formatDue } from '../../shared/format';
import { PARTY_ROLE_LABELS, label } from '../../shared/labels';
import { useSession } from '../session';
import { agreementTitle, type EffectPath } from './agreement-text';
import { useInstitutions } from './roster';

export type JointPath = 'judicial-confirmation/signatures' | 'notarization/signatures';
type Kind = 'judicial_confirmation' | 'notarization';
type Process = NonNullable<CaseView['securing']>['processes'][number];

export type JointApplication = {
  kind: Kind;
  path: JointPath;
  process: Process;
  /** The server offers this party the signature now. */
  canSign: boolean;
  /** The server refuses it because this party has signed already. */
  signed: boolean;
};

const PATHS: Record<Kind, JointPath> = {
  judicial_confirmation: 'judicial-confirmation/signatures',
  notarization: 'notarization/signatures',
};

const offer = (c: CaseView, path: JointPath) => (c.actions ?? []).find((a) => a.path === path);

/** The latest application of each kind, if it is being prepared (or `also` keeps one this screen signed). */
export function jointApplications(c: CaseView, also: ReadonlySet<string> = new Set()): JointApplication[] {
  const out: JointApplication[] = [];
  for (const kind of ['judicial_confirmation', 'notarization'] as const) {
    const process = (c.securing?.processes ?? []).filter((p) => p.kind === kind).at(-1);
    if (!process || (process.status !== 'PREPARING' && !also.has(`${kind}-${process.n}`))) continue;
    const a = offer(c, PATHS[kind]);
    out.push({
      kind,
      path: PATHS[kind],
      process,
      canSign: a?.allowed === true,
      signed: a?.refusal?.code === 'already_signed',
    });
  }
  return out;
}

/** 我的案件's call to sign a joint application, or null. */
export function jointCall(c: CaseView): string | null {
  const waiting = jointApplications(c).filter((j) => j.canSign);
  if (!waiting.length) return null;
  return waiting
    .map((j) => {
      if (j.kind === 'notarization') return '办理赋予强制执行效力公证的共同申请已准备好，请阅读后签署。';
      const due = applyBy(c);
      return `司法确认的共同申请已准备好，请阅读后签署${due ? `（申请期限截止到 ${formatDue(due)}）` : ''}。`;
    })
    .join('');
}

/** The end of the 30 days to apply for judicial confirmation (民事诉讼法 Art 205), when the case gives it. */
const applyBy = (c: CaseView): string | undefined =>
  (c.deadlines ?? []).find((d) => d.ruleId === 'judicial_confirmation_application' && d.status === 'open')?.dueAt;

type Payload = { process?: string; n?: number; partyId?: string; creditorPartyId?: string; debtorPartyId?: string };
const payloadOf = (e: CaseView['events'][number]) => e.payload as Payload;

/** Who has signed this application, by the case's events. */
function signersOf(c: CaseView, kind: Kind, n: number): Set<string> {
  const type = kind === 'judicial_confirmation' ? 'ConfirmationApplicationSigned' : 'NotarizationApplicationSigned';
  return new Set(
    c.events
      .filter((e) => e.type === type && payloadOf(e).process === kind && payloadOf(e).n === n)
      .map((e) => payloadOf(e).partyId)
      .filter((p): p is string => typeof p === 'string'),
  );
}

/** A notarization's creditor and debtor, as its request named them. */
function notarizationSides(c: CaseView, n: number): { creditor?: string; debtor?: string } {
  const requested = c.events.find((e) => e.type === 'NotarizationRequested' && payloadOf(e).n === n);
  return requested
    ? { creditor: payloadOf(requested).creditorPartyId, debtor: payloadOf(requested).debtorPartyId }
    : {};
}

const TITLES: Record<Kind, string> = {
  judicial_confirmation: '共同申请司法确认',
  notarization: '共同申请办理赋予强制执行效力公证',
};

export function JointApplicationCard({
  c,
  caseId,
  item,
  onSigned,
}: {
  c: CaseView;
  caseId: string;
  item: JointApplication;
  onSigned: (key: string) => void;
}) {
  const { kind, process } = item;
  const queryClient = useQueryClient();
  const { principal } = useSession();
  const institutions = useInstitutions();
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Signed on this screen: said at once, before the case is read again.
  const [done, setDone] = useState(false);
  const key = useRef(idempotencyKey());
  const ids = { title: useId(), agree: useId(), error: useId() };
  const title = TITLES[kind];
  const me = principal?.kind === 'party' ? principal.id : undefined;
  const institution =
    institutions.data?.institutions.find((i) => i.institutionId === process.institutionId)?.name ??
    (kind === 'judicial_confirmation' ? '人民法院' : '公证机构');
  const parties = c.parties.filter((p) => !p.representsPartyId);
  const nameOf = (partyId: string | undefined) => {
    const p = parties.find((x) => x.partyId === partyId);
    return p ? `${label(PARTY_ROLE_LABELS, p.role)}${p.name}` : '当事人';
  };
  const sides = kind === 'notarization' ? notarizationSides(c, process.n) : {};
  const applicants =
    kind === 'judicial_confirmation'
      ? parties.map((p) => p.partyId)
      : [sides.creditor, sides.debtor].filter((p): p is string => p !== undefined);
  const signers = signersOf(c, kind, process.n);
  const iSigned = done || item.signed || (me !== undefined && signers.has(me));
  const waiting = applicants.filter((p) => !signers.has(p) && !(iSigned && p === me));
  const submitted = process.status !== 'PREPARING';
  const path = c.agreement?.path as EffectPath | undefined;
  const agreementName = path ? agreementTitle({ path }) : '调解协议书';
  const due = kind === 'judicial_confirmation' ? applyBy(c) : undefined;
  const debtor = kind === 'notarization' && me !== undefined && me === sides.debtor;

  async function sign() {
    if (!agreed) {
      setError('请先勾选确认，再签署申请。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const options = {
        params: { path: { caseId } },
        body: { method: 'electronic' as const },
        headers: { 'Idempotency-Key': key.current },
      };
      await ok(
        kind === 'judicial_confirmation'
          ? api.POST('/cases/{caseId}/judicial-confirmation/signatures', options)
          : api.POST('/cases/{caseId}/notarization/signatures', options),
      );
      setDone(true);
      onSigned(`${kind}-${process.n}`);
      announce(`已签署${title}的申请`);
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      setError(errorText(e, '签署未能完成，请重试。'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card next joint-application" aria-labelledby={ids.title} data-testid={`joint-${kind}`}>
      <h2 id={ids.title}>{title}</h2>
      <dl className="facts">
        <dt>申请事项</dt>
        <dd>
          {kind === 'judicial_confirmation'
            ? '请求人民法院依法确认调解协议有效（司法确认）'
            : '请求公证机构对调解协议约定的给付内容办理公证，并赋予强制执行效力'}
        </dd>
        <dt>{kind === 'judicial_confirmation' ? '受理法院' : '公证机构'}</dt>
        <dd data-testid="joint-institution">{institution}</dd>
        <dt>所涉协议</dt>
        <dd>
          《{agreementName}》{c.caseNumber}，第 {process.agreementVersion} 版
          {c.agreement?.effectiveAt ? `，${formatDate(c.agreement.effectiveAt)}生效` : ''}
        </dd>
        {kind === 'notarization' ? (
          <>
            <dt>债权人</dt>
            <dd>{nameOf(sides.creditor)}</dd>
            <dt>债务人</dt>
            <dd>{nameOf(sides.debtor)}</dd>
          </>
        ) : null}
        <dt>签署情况</dt>
        <dd>
          <ul className="signers" data-testid="joint-signers">
            {applicants.map((p) => (
              <li key={p}>
                {nameOf(p)}
                {p === me ? '（您）' : ''}：{signers.has(p) || (iSigned && p === me) ? '已签署' : '未签署'}
              </li>
            ))}
          </ul>
        </dd>
        {kind === 'judicial_confirmation' ? (
          <>
            <dt>申请期限</dt>
            <dd>
              {due ? (
                <>
                  截止到 <time dateTime={due}>{formatDue(due)}</time>（自调解协议生效之日起三十日内）
                </>
              ) : (
                '自调解协议生效之日起三十日内'
              )}
            </dd>
            <dt>费用</dt>
            <dd>司法确认不收取费用。</dd>
          </>
        ) : (
          <>
            <dt>办理期限</dt>
            <dd>
              公证机构自受理之日起十五个工作日内出具公证书；补充材料、核实有关情况的时间不计算在内（公证法第三十条）。
            </dd>
            <dt>费用</dt>
            <dd>公证机构依照规定收取公证费；符合法律援助条件的，依照规定减免（公证法第三十四条）。</dd>
          </>
        )}
      </dl>
      <h3>法律依据</h3>
      {kind === 'judicial_confirmation' ? (
        <p data-testid="joint-basis">
          经调解组织调解达成调解协议，双方当事人可以自调解协议生效之日起三十日内，共同向人民法院申请司法确认（民事诉讼法第二百零五条）。人民法院裁定调解协议有效的，一方当事人拒绝履行或者未全部履行，对方当事人可以向人民法院申请执行；裁定驳回申请的，当事人可以通过调解变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼（民事诉讼法第二百零六条）。
        </p>
      ) : (
        <p data-testid="joint-basis">
          对经公证的以给付为内容并载明债务人愿意接受强制执行承诺的债权文书，债务人不履行或者履行不适当的，债权人可以依法向有管辖权的人民法院申请执行（公证法第三十七条）。
        </p>
      )}
      {kind === 'notarization' ? (
        <p className={debtor ? 'commitment' : undefined} data-testid="joint-commitment">
          {debtor ? (
            <>
              <strong>您是债务人。您的签名即您的书面承诺：</strong>
              如不履行或者不适当履行本协议约定的给付义务，愿意接受依法强制执行；并同意公证机构对债务履行情况进行核实（公证程序规则第三十九条）。
            </>
          ) : (
            <>
              债务人签名即承诺不履行或者不适当履行给付义务时愿意接受依法强制执行；双方签名即同意公证机构对债务履行情况进行核实（公证程序规则第三十九条）。
            </>
          )}
        </p>
      ) : null}

      {submitted ? (
        <p role="status" data-testid="joint-status">
          <strong>各方均已签署，申请已提交{institution}。</strong>
          {kind === 'judicial_confirmation'
            ? '法院受理和作出裁定后，中心会短信通知您。'
            : '公证机构受理和出具公证书后，中心会短信通知您。'}
        </p>
      ) : iSigned ? (
        <p role="status" data-testid="joint-status">
          <strong>您已签署本申请。</strong>
          {waiting.length
            ? `还需${waiting.map(nameOf).join('、')}签署；各方签署后，申请提交${institution}。`
            : `各方签署后，申请提交${institution}。`}
        </p>
      ) : item.canSign ? (
        <>
          <div className="check">
            <input
              id={ids.agree}
              type="checkbox"
              checked={agreed}
              aria-describedby={error ? ids.error : undefined}
              onChange={(e) => setAgreed(e.target.checked)}
            />
            <label htmlFor={ids.agree}>
              {kind === 'judicial_confirmation'
                ? `我已阅读以上内容，同意与对方当事人共同向${institution}申请司法确认`
                : debtor
                  ? `我已阅读以上内容，同意共同申请办理公证，并承诺不履行给付义务时愿意接受依法强制执行`
                  : `我已阅读以上内容，同意共同申请办理公证`}
            </label>
          </div>
          {error ? (
            <p role="alert" className="error" id={ids.error}>
              {error}
            </p>
          ) : null}
          <button type="button" className="primary" disabled={busy} onClick={() => void sign()}>
            {busy ? '正在签署…' : '签署申请'}
          </button>
        </>
      ) : (
        <p data-testid="joint-status">本申请目前不能在网上签署。如需签署，请带身份证件到中心服务窗口办理。</p>
      )}
    </section>
  );
}
