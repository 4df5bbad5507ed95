/**
 * 登录: step 1 the case's access code (on the paper the center handed over, or in its text message), step 2 the
 * six-digit code texted to the phone on record. Every refusal is written next to the form and read out by a
 * screen reader (role="alert"); focus moves to the next field when the step changes.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, errorText } from '../../api/problems';
import { PageHeading } from '../../shared/a11y';
import { formatDateTime } from '../../shared/format';
import { useSession, type Challenge } from '../session';

function challengeError(e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return '查询码不正确。请核对中心交给您的查询码（字母和数字）后重试。';
  if (e instanceof ApiError && e.problem?.type === '/problems/no-phone-on-record')
    return '本案没有登记您的手机号码，无法发送验证码。请联系中心登记手机号码后再试。';
  return errorText(e, '未能发送验证码，请稍后重试。');
}

function verifyError(e: unknown): string {
  if (e instanceof ApiError && e.status === 401)
    return '验证码不正确或已失效。请核对短信中的 6 位数字；多次不对的，请点“重新获取验证码”。';
  return errorText(e, '登录未能完成，请稍后重试。');
}

export function LoginPage() {
  const { ended, challenge, verify } = useSession();
  const [step, setStep] = useState<Challenge | null>(null);
  const [accessCode, setAccessCode] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  useEffect(() => {
    if (step) codeRef.current?.focus();
  }, [step]);

  async function sendCode(e: FormEvent) {
    e.preventDefault();
    if (!accessCode.trim()) return setError('请输入查询码。');
    setBusy(true);
    setError(null);
    try {
      setStep(await challenge(accessCode.trim()));
      setCode('');
    } catch (err) {
      setError(challengeError(err));
    } finally {
      setBusy(false);
    }
  }

  async function signIn(e: FormEvent) {
    e.preventDefault();
    if (!step) return;
    if (!/^\d{6}$/.test(code.trim())) return setError('请输入短信中的 6 位数字验证码。');
    setBusy(true);
    setError(null);
    try {
      await verify(step.challengeId, code.trim());
    } catch (err) {
      setError(verifyError(err));
      setBusy(false);
    }
  }

  const described = error ? errorId : undefined;
  return (
    <section className="card">
      <PageHeading title="当事人登录" />
      {ended ? (
        <p className="notice" role="status">
          <strong>提示：</strong>
          {ended}
        </p>
      ) : null}
      <ol className="steps" aria-label="登录步骤">
        <li aria-current={step ? undefined : 'step'}>第 1 步：输入查询码{step ? '（已完成）' : '（当前）'}</li>
        <li aria-current={step ? 'step' : undefined}>第 2 步：输入短信验证码{step ? '（当前）' : ''}</li>
      </ol>
      {!step ? (
        <form onSubmit={(e) => void sendCode(e)} noValidate>
          <label htmlFor="access-code">查询码</label>
          <p className="hint" id="access-code-hint">
            查询码在中心交给您的受理通知或短信里。
          </p>
          <input
            id="access-code"
            name="accessCode"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            value={accessCode}
            onChange={(e) => setAccessCode(e.target.value)}
            aria-describedby={described ? `access-code-hint ${described}` : 'access-code-hint'}
            aria-invalid={error ? true : undefined}
          />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? '正在发送…' : '获取短信验证码'}
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void signIn(e)} noValidate>
          <p role="status">
            验证码已发送到 {step.sentTo}，在 {formatDateTime(step.expiresAt)} 前有效。
          </p>
          <label htmlFor="sms-code">短信验证码</label>
          <input
            id="sms-code"
            ref={codeRef}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-describedby={described}
            aria-invalid={error ? true : undefined}
          />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? '正在登录…' : '登录'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setStep(null);
              setError(null);
            }}
          >
            重新获取验证码
          </button>
        </form>
      )}
      <div id={errorId} role="alert" className={error ? 'error' : undefined}>
        {error ? (
          <>
            <strong>未能继续：</strong>
            {error}
          </>
        ) : null}
      </div>
      <p>
        <Link to="/recover">忘记查询码？点此找回</Link>
      </p>
      <h2>还没有案件？</h2>
      <p>可以在网上向中心申请调解，一步一步填写即可。</p>
      <p>
        <Link to="/apply">申请调解</Link>
      </p>
      <h2>查询调解组织和调解员</h2>
      <p>
        调解组织、调解员（含等级和公示期内的处分）、法律援助机构、公证机构和法院的公开信息，无需登录：
        <Link to="/directory">公开名录</Link>
      </p>
    </section>
  );
}
