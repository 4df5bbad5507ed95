/**
 * 对方意愿: when one side alone applied, mediation needs the other side's consent (人民调解法第十七条: 一方明确拒绝
 * 调解的，不得调解; 人民法院在线调解规则第十五条). The card shows only when the server offers this party
 * counterparty-consent or counterparty-refusal; each choice has a confirmation step, and a refusal may carry a
 * reason (at most 2000 characters, as the server takes it). The server decides who may answer: the party answers
 * for themselves, so no partyId is sent.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { api, idempotencyKey, ok, type CaseView } from '../../api/client';
import { errorText } from '../../api/problems';
import { announce } from '../../shared/a11y';
import { offers } from './SignPage';
import { ConfirmButtons } from './ConfirmButtons';

type Step = 'choose' | 'consent' | 'refuse';

export function ConsentCard({ c }: { c: CaseView }) {
  const canConsent = offers(c, 'counterparty-consent');
  const canRefuse = offers(c, 'counterparty-refusal');
  if (!canConsent && !canRefuse) return null;
  return <ConsentChoice caseId={c.caseId} canConsent={canConsent} canRefuse={canRefuse} />;
}

function ConsentChoice({ caseId, canConsent, canRefuse }: { caseId: string; canConsent: boolean; canRefuse: boolean }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('choose');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());
  const headingId = useId();
  const reasonId = useId();
  const reasonHintId = useId();

  function go(next: Step) {
    key.current = idempotencyKey();
    setError(null);
    setStep(next);
  }

  async function send(kind: 'consent' | 'refuse') {
    if (kind === 'refuse' && reason.trim().length > 2000) {
      setError('理由不能超过 2000 个字。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (kind === 'consent') {
        await ok(
          api.POST('/cases/{caseId}/counterparty-consent', {
            params: { path: { caseId } },
            body: {},
            headers: { 'Idempotency-Key': key.current },
          }),
        );
        announce('已同意调解');
      } else {
        const note = reason.trim();
        await ok(
          api.POST('/cases/{caseId}/counterparty-refusal', {
            params: { path: { caseId } },
            body: note ? { note } : {},
            headers: { 'Idempotency-Key': key.current },
          }),
        );
        announce('已表示不同意调解');
      }
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      setError(errorText(e, '未能提交，请稍后重试。'));
    } finally {
      setBusy(false);
    }
  }

  const alert = (
    <div role="alert" className={error ? 'error' : undefined}>
      {error}
    </div>
  );

  return (
    <section className="card next" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {step === 'consent' ? '确认同意调解' : step === 'refuse' ? '确认不同意调解' : '是否同意调解'}
      </h2>
      {step === 'choose' ? (
        <>
          <p>
            对方向中心申请调解。调解须双方自愿：您同意的，中心将安排调解员；您不同意的，本次调解不再进行，您和对方仍可通过诉讼等其他途径解决纠纷（《人民调解法》第十七条）。
          </p>
          <div className="actions">
            {canConsent ? (
              <button type="button" className="primary" onClick={() => go('consent')}>
                同意调解
              </button>
            ) : null}
            {canRefuse ? (
              <button type="button" className="secondary" onClick={() => go('refuse')}>
                不同意
              </button>
            ) : null}
          </div>
        </>
      ) : step === 'consent' ? (
        <>
          <p>
            您确认同意由中心调解本纠纷吗？确认后，双方可在 2
            个工作日内共同选定调解员并告知中心；未共同选定的，由调解组织指定（《人民法院在线调解规则》第十条）。
          </p>
          <ConfirmButtons
            busy={busy}
            confirm="确认同意"
            onConfirm={() => void send('consent')}
            onBack={() => go('choose')}
          />
          {alert}
        </>
      ) : (
        <>
          <p>您确认不同意调解吗？确认后，本次调解不再进行。</p>
          <label htmlFor={reasonId}>理由（可不填）</label>
          <p className="hint" id={reasonHintId}>
            最多 2000 字。
          </p>
          <textarea
            id={reasonId}
            rows={4}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby={reasonHintId}
          />
          <ConfirmButtons
            busy={busy}
            confirm="确认不同意"
            onConfirm={() => void send('refuse')}
            onBack={() => go('choose')}
          />
          {alert}
        </>
      )}
    </section>
  );
}
