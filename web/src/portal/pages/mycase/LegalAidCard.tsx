/**
 * 申请法律援助: when the server offers this party `legal-aid`, they choose the basis (each explained in one
 * sentence), may declare their hardship in writing instead of documents (告知承诺, 法律援助法第四十一条) or describe
 * what shows they belong to a group, confirm, and apply. The legal-aid body decides within 7 days (第四十三条);
 * afterwards the card shows where the application stands, from the case view's screening.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { api, idempotencyKey, ok, type CaseView } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { announce } from '../../../shared/a11y';
import { formatDue } from '../../../shared/format';
import { LEGAL_AID_BASIS_LABELS, LEGAL_AID_STATUS_LABELS, label } from '../../../shared/labels';
import { offers } from '../SignPage';
import { openDeadline, useMyPartyIds } from './party';
import { ConfirmButtons } from '../ConfirmButtons';

type LegalAid = NonNullable<NonNullable<CaseView['screening']>['legalAid']>;
type Basis = keyof typeof LEGAL_AID_BASIS_LABELS;

/** The common case first (economic hardship), then no hardship condition (第三十二条), then hardship not verified. */
const BASES: Basis[] = [
  'economic_hardship',
  'national_abuse_victim',
  'national_good_samaritan',
  'national_hero_relatives',
  'local_aged_75',
  'verification_exempt_dependent_group',
  'verification_exempt_assistance',
  'verification_exempt_migrant_wages',
  'local_death_or_serious_injury',
  'local_minor_guardian_harm',
  'local_student_injury',
  'local_vagrant_beggar',
];
const PROOF_MAX = 500;

export function LegalAidCard({ c }: { c: CaseView }) {
  const { mine } = useMyPartyIds(c);
  const headingId = useId();
  const aid = c.screening?.legalAid;
  const mayApply = offers(c, 'legal-aid');
  const myApplication = aid && aid.status !== 'none' && (aid.partyId === undefined || mine(aid.partyId)) ? aid : null;
  if (!mayApply && !myApplication) return null;
  return (
    <section className={`card legal-aid${mayApply ? ' next' : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1}>
        法律援助
      </h2>
      {myApplication ? <Status c={c} aid={myApplication} /> : null}
      {mayApply ? (
        <Apply
          caseId={c.caseId}
          again={myApplication?.status === 'refused'}
          onApplied={() => document.getElementById(headingId)?.focus()}
        />
      ) : null}
    </section>
  );
}

function Status({ c, aid }: { c: CaseView; aid: LegalAid }) {
  const decision = openDeadline(c, 'legal_aid_decision');
  const assignment = openDeadline(c, 'legal_aid_assignment');
  return (
    <div className="legal-aid-status" data-testid="legal-aid-status">
      <p>
        <strong>您的申请：</strong>
        {label(LEGAL_AID_STATUS_LABELS, aid.status)}
      </p>
      {aid.basis ? <p>申请理由：{LEGAL_AID_BASIS_LABELS[aid.basis].label}</p> : null}
      {aid.status === 'applied' ? (
        <p>
          法律援助机构自收到申请之日起 7 日内作出是否给予法律援助的决定（《法律援助法》第四十三条）
          {decision ? (
            <>
              ，截止到 <time dateTime={decision.dueAt}>{formatDue(decision.dueAt)}</time>
            </>
          ) : null}
          。决定后会通知您。
        </p>
      ) : null}
      {aid.status === 'granted' ? (
        <p>
          {aid.staffAssigned
            ? '已为您指派法律援助人员，他们会与您联系。'
            : '法律援助机构将在 3 日内为您指派法律援助人员（《法律援助法》第四十三条）'}
          {!aid.staffAssigned && assignment ? (
            <>
              ，截止到 <time dateTime={assignment.dueAt}>{formatDue(assignment.dueAt)}</time>。
            </>
          ) : aid.staffAssigned ? null : (
            '。'
          )}
        </p>
      ) : null}
      {aid.status === 'refused' ? (
        <p>{aid.reason ? `理由：${aid.reason}。` : ''}不予法律援助决定书可在“文书”中查看。您可以补充情况后重新申请。</p>
      ) : null}
    </div>
  );
}

function Apply({ caseId, again, onApplied }: { caseId: string; again: boolean; onApplied: () => void }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [basis, setBasis] = useState<Basis | null>(null);
  const [selfDeclaration, setSelfDeclaration] = useState(false);
  const [proof, setProof] = useState('');
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [errors, setErrors] = useState<{ basis?: string; proof?: string; general?: string }>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());
  const formHeading = useRef<HTMLHeadingElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const firstBasis = useRef<HTMLInputElement>(null);
  const ids = {
    basis: useId(),
    basisError: useId(),
    declaration: useId(),
    proof: useId(),
    proofHint: useId(),
    proofError: useId(),
  };

  useEffect(() => {
    if (step === 'confirm') confirmHeading.current?.focus();
    else if (open) formHeading.current?.focus();
  }, [step, open]);

  function check(): boolean {
    const next: typeof errors = {};
    if (!basis) next.basis = '请选择申请理由。';
    if (proof.trim().length > PROOF_MAX) next.proof = `情况说明不能超过 ${PROOF_MAX} 个字。`;
    setErrors(next);
    if (next.basis) firstBasis.current?.focus();
    if (next.basis || next.proof) announce([next.basis, next.proof].filter(Boolean).join(' '));
    return !next.basis && !next.proof;
  }

  async function send() {
    if (!basis) return;
    setBusy(true);
    setErrors({});
    const description = proof.trim();
    try {
      await ok(
        api.POST('/cases/{caseId}/legal-aid', {
          params: { path: { caseId } },
          body: {
            basis,
            selfDeclaration: basis === 'economic_hardship' && selfDeclaration,
            ...(description ? { proof: { description } } : {}),
          },
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      announce('法律援助申请已提交，法律援助机构将在 7 日内作出决定。');
      setOpen(false);
      setStep('form');
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
      // The form is gone: reading goes on at the card, where the application's status now stands.
      onApplied();
    } catch (e) {
      const text = errorText(e, '未能提交，请稍后重试。');
      const field =
        e instanceof ApiError
          ? e.explained.fields?.find((f) => f.field.includes('proof') || f.field.includes('basis'))
          : undefined;
      if (field?.field.includes('proof')) {
        setStep('form');
        setErrors({ proof: `情况说明有误：${text}` });
      } else if (field) {
        setStep('form');
        setErrors({ basis: `申请理由有误：${text}` });
      } else setErrors({ general: text });
      announce(`申请未成功：${text}`);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <>
        <p>
          经济困难或属于法律规定情形的，可以申请法律援助，由法律援助机构免费为您提供法律咨询、代理等服务。
          {again ? '' : '法律援助机构在 7 日内作出决定（《法律援助法》第四十三条）。'}
        </p>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {again ? '重新申请法律援助' : '申请法律援助'}
        </button>
      </>
    );
  }

  if (step === 'confirm' && basis) {
    return (
      <div className="confirm-step">
        <h3 ref={confirmHeading} tabIndex={-1}>
          确认提交法律援助申请？
        </h3>
        <dl className="facts">
          <dt>申请理由</dt>
          <dd>{LEGAL_AID_BASIS_LABELS[basis].label}</dd>
          {basis === 'economic_hardship' ? (
            <>
              <dt>告知承诺</dt>
              <dd>{selfDeclaration ? '本人承诺经济困难情况属实' : '未作承诺（可能需要提交证明材料）'}</dd>
            </>
          ) : null}
          <dt>情况说明</dt>
          <dd>{proof.trim() || '未填写'}</dd>
        </dl>
        <p>提交后，法律援助机构在 7 日内作出是否给予法律援助的决定（《法律援助法》第四十三条），并通知您。</p>
        <ConfirmButtons
          busy={busy}
          confirm="确认提交申请"
          onConfirm={() => void send()}
          back="返回修改"
          onBack={() => setStep('form')}
          error={errors.general ?? null}
        />
      </div>
    );
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (check()) {
          key.current = idempotencyKey();
          setStep('confirm');
        }
      }}
    >
      <h3 ref={formHeading} tabIndex={-1}>
        申请法律援助
      </h3>
      <fieldset className="choices" aria-describedby={errors.basis ? ids.basisError : undefined}>
        <legend>申请理由（选一项最符合的）</legend>
        {BASES.map((b, i) => (
          <div className="choice" key={b}>
            <input
              ref={i === 0 ? firstBasis : undefined}
              type="radio"
              id={`${ids.basis}-${b}`}
              name={ids.basis}
              value={b}
              checked={basis === b}
              onChange={() => setBasis(b)}
              aria-describedby={`${ids.basis}-${b}-hint`}
            />
            <div>
              <label htmlFor={`${ids.basis}-${b}`}>{LEGAL_AID_BASIS_LABELS[b].label}</label>
              <p className="hint" id={`${ids.basis}-${b}-hint`}>
                {LEGAL_AID_BASIS_LABELS[b].explanation}
              </p>
            </div>
          </div>
        ))}
      </fieldset>
      {errors.basis ? (
        <p className="error" id={ids.basisError} role="alert">
          {errors.basis}
        </p>
      ) : null}

      {basis === 'economic_hardship' ? (
        <div className="check">
          <input
            type="checkbox"
            id={ids.declaration}
            checked={selfDeclaration}
            onChange={(e) => setSelfDeclaration(e.target.checked)}
          />
          <label htmlFor={ids.declaration}>
            我承诺：本人经济困难的情况属实（告知承诺，可代替提交经济困难证明，《法律援助法》第四十一条）。
          </label>
        </div>
      ) : null}

      <label htmlFor={ids.proof}>情况说明（可不填）</label>
      <p className="hint" id={ids.proofHint}>
        简要说明您的情况，如“本人年满 75 周岁”“家庭领取低保”。最多 {PROOF_MAX} 字。证明材料可在“补充材料”中上传。
      </p>
      <textarea
        id={ids.proof}
        rows={3}
        maxLength={PROOF_MAX}
        value={proof}
        onChange={(e) => setProof(e.target.value)}
        aria-describedby={errors.proof ? `${ids.proofHint} ${ids.proofError}` : ids.proofHint}
        aria-invalid={errors.proof ? true : undefined}
      />
      {errors.proof ? (
        <p className="error" id={ids.proofError} role="alert">
          {errors.proof}
        </p>
      ) : null}
      <button type="submit" className="primary">
        下一步：核对申请
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        取消
      </button>
    </form>
  );
}
