/**
 * 送达地址确认 (人民法院在线调解规则第十七条: 送达地址确认书): where the center's documents and notices reach this
 * party, and the phone its texts go to. Shown while the server offers `parties/contact`. The current details are
 * masked, as the case view gives them; the party may ask to see them in full (each read is recorded with the reason
 * 确认送达地址). They confirm them as they are, or change the address, the phone (proved by a code sent to the new
 * phone) or both, and confirm once more before anything is sent. The case's events then record the confirmation and
 * what changed, never the details.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, idempotencyKey, ok, type CaseView } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { announce } from '../../../shared/a11y';
import { formatDateTime } from '../../../shared/format';
import { offers } from '../SignPage';
import { useMyPartyIds } from './party';
import { ConfirmButtons } from '../ConfirmButtons';

/** As the API bounds an address (api/schemas.ts contactBody). */
const ADDRESS_MAX = 500;
const REVEAL_REASON = '确认送达地址';
const MOBILE = /^1\d{10}$/;

type Full = { address?: string; phone?: string };
type Challenge = { challengeId: string; sentTo: string; expiresAt: string; phone: string };
type Field = 'address' | 'phone' | 'code' | 'general';
type Errors = Partial<Record<Field, string>>;

export function ServiceAddressCard({ c }: { c: CaseView }) {
  if (!offers(c, 'parties/contact')) return null;
  return <ServiceAddress c={c} />;
}

/** The field a 400 names, as this form calls it. */
function fieldOf(e: unknown): Field {
  const named = e instanceof ApiError ? e.explained.fields?.[0]?.field : undefined;
  if (named?.includes('code') || named?.includes('challengeId')) return 'code';
  if (named?.includes('phone')) return 'phone';
  if (named?.includes('address')) return 'address';
  return 'general';
}

/** What a refusal at one field means, in plain words. */
function fieldText(field: Field, e: unknown): string {
  if (e instanceof ApiError && e.status === 400) {
    if (field === 'code') return '验证码不正确或已过期，请重新获取验证码。';
    if (field === 'phone') return '手机号码有误，应为 11 位手机号码。';
    if (field === 'address') return `地址有误，请填写地址（不超过 ${ADDRESS_MAX} 个字）。`;
  }
  return errorText(e, '未能提交，请稍后重试。');
}

function ServiceAddress({ c }: { c: CaseView }) {
  const queryClient = useQueryClient();
  const { myId } = useMyPartyIds(c);
  const me = c.parties.find((p) => p.partyId === myId);
  // A guardian or agent confirms the address of the party they act for (the server reads it the same way).
  const target = c.parties.find((p) => p.partyId === (me?.representsPartyId ?? myId));
  const [full, setFull] = useState<Full | null>(null);
  const [revealing, setRevealing] = useState(false);
  const [step, setStep] = useState<'view' | 'edit' | 'confirm'>('view');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [sending, setSending] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<string | null>(null);
  /** `asIs`: the details on record confirmed unchanged (the address shown, nothing sent but the confirmation). */
  const [toSend, setToSend] = useState<{ address?: string; phone?: string; asIs?: boolean } | null>(null);
  const key = useRef(idempotencyKey());
  const headingId = useId();
  const editHeading = useRef<HTMLHeadingElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const viewHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const ids = {
    address: useId(),
    addressHint: useId(),
    addressError: useId(),
    phone: useId(),
    phoneHint: useId(),
    phoneError: useId(),
    code: useId(),
    codeHint: useId(),
    codeError: useId(),
  };

  useEffect(() => {
    if (!moved.current) return;
    (step === 'edit' ? editHeading : step === 'confirm' ? confirmHeading : viewHeading).current?.focus();
  }, [step]);

  function go(next: typeof step) {
    moved.current = true;
    setErrors({});
    setStep(next);
  }

  const lastConfirmed = [...c.events]
    .reverse()
    .find((e) => e.type === 'ServiceAddressConfirmed' && e.payload.partyId === target?.partyId);

  async function readFull(): Promise<Full | null> {
    if (!target) return null;
    setRevealing(true);
    try {
      const data = await ok(
        api.GET('/cases/{caseId}/parties/{partyId}/personal-data', {
          params: { path: { caseId: c.caseId, partyId: target.partyId }, query: { reason: REVEAL_REASON } },
        }),
      );
      const next = { ...(data.address ? { address: data.address } : {}), ...(data.phone ? { phone: data.phone } : {}) };
      setFull(next);
      return next;
    } catch (e) {
      setErrors({ general: errorText(e, '未能显示，请稍后重试。') });
      return null;
    } finally {
      setRevealing(false);
    }
  }

  /** 地址无误: the details as they are on record, confirmed (the chain records a confirmation that changed nothing). */
  async function confirmAsIs() {
    setDone(null);
    const details = full ?? (await readFull());
    if (!details?.address) {
      setErrors({ general: '您还没有登记送达地址，请先填写。' });
      go('edit');
      return;
    }
    key.current = idempotencyKey();
    setToSend({ address: details.address, asIs: true });
    go('confirm');
  }

  async function sendCode() {
    const p = phone.trim();
    if (!MOBILE.test(p)) {
      setErrors({ phone: '请填写 11 位手机号码。' });
      document.getElementById(ids.phone)?.focus();
      announce('请填写 11 位手机号码。');
      return;
    }
    setSending(true);
    setErrors({});
    try {
      const sent = await ok(
        api.POST('/cases/{caseId}/parties/contact/phone-challenge', {
          params: { path: { caseId: c.caseId } },
          body: { phone: p },
          headers: { 'Idempotency-Key': idempotencyKey() },
        }),
      );
      setChallenge({ ...sent, phone: p });
      setCode('');
      announce(`验证码已发送到 ${sent.sentTo}`);
      window.setTimeout(() => document.getElementById(ids.code)?.focus(), 0);
    } catch (e) {
      const text =
        e instanceof ApiError && e.status === 400
          ? '手机号码有误，应为 11 位手机号码。'
          : errorText(e, '验证码未能发送，请稍后重试。');
      setErrors({ phone: text });
      announce(text);
    } finally {
      setSending(false);
    }
  }

  function review(e: FormEvent) {
    e.preventDefault();
    const next: Errors = {};
    const a = address.trim();
    const p = phone.trim();
    if (a.length > ADDRESS_MAX) next.address = `地址不能超过 ${ADDRESS_MAX} 个字。`;
    if (p) {
      if (!MOBILE.test(p)) next.phone = '请填写 11 位手机号码。';
      else if (!challenge || challenge.phone !== p) next.code = '请先点“发送验证码”，再填写收到的验证码。';
      else if (!/^\d{6}$/.test(code.trim())) next.code = '请填写短信里的 6 位验证码。';
    }
    if (!a && !p) next.address = '请填写新的地址或新的手机号码；不需要修改的，请返回后点“地址和手机号无误，确认”。';
    setErrors(next);
    const first = (['address', 'phone', 'code'] as const).find((f) => next[f]);
    if (first) {
      document.getElementById(ids[first])?.focus();
      announce(Object.values(next).join(' '));
      return;
    }
    key.current = idempotencyKey();
    setToSend({ ...(a ? { address: a } : {}), ...(p ? { phone: p } : {}) });
    go('confirm');
  }

  async function send() {
    if (!toSend) return;
    setBusy(true);
    setErrors({});
    try {
      const { asIs, ...changes } = toSend;
      const body = asIs
        ? {}
        : {
            ...changes,
            ...(changes.phone && challenge ? { challengeId: challenge.challengeId, code: code.trim() } : {}),
          };
      await ok(
        api.POST('/cases/{caseId}/parties/contact', {
          params: { path: { caseId: c.caseId } },
          body,
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      const what =
        toSend.phone && address.trim()
          ? '送达地址和手机号码已更新并确认'
          : toSend.phone
            ? '手机号码已更新并确认'
            : address.trim()
              ? '送达地址已更新并确认'
              : '送达地址已确认';
      setDone(`${what}。`);
      announce(`${what}。`);
      setAddress('');
      setPhone('');
      setCode('');
      setChallenge(null);
      setFull(null);
      setToSend(null);
      go('view');
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      const field = fieldOf(e);
      const text = fieldText(field, e);
      if (field !== 'general' && step === 'confirm') {
        // Back to the field it is about.
        moved.current = true;
        setStep('edit');
      }
      setErrors({ [field]: text });
      announce(`未能确认：${text}`);
      // A definite refusal: the corrected request is another one.
      if (e instanceof ApiError && [400, 403, 404, 422].includes(e.status)) key.current = idempotencyKey();
    } finally {
      setBusy(false);
    }
  }

  const general = (
    <div role="alert" className={errors.general ? 'error' : undefined}>
      {errors.general}
    </div>
  );

  return (
    <section className="card service-address" aria-labelledby={headingId}>
      <h2 id={headingId}>送达地址确认</h2>
      <p>
        送达地址是中心寄送文书、发送通知的地址，手机号码用于接收短信通知。请保持准确；地址或手机号有变化的，请及时在这里更新（《人民法院在线调解规则》第十七条）。
      </p>

      {step === 'view' ? (
        <>
          <h3 ref={viewHeading} tabIndex={-1}>
            目前登记的送达信息
          </h3>
          <dl className="facts" data-testid="service-address">
            <dt>送达地址</dt>
            <dd>{full ? (full.address ?? '未登记') : (target?.address ?? '未登记')}</dd>
            <dt>手机号码</dt>
            <dd>{full ? (full.phone ?? '未登记') : (target?.phone ?? '未登记')}</dd>
          </dl>
          {full ? (
            <button type="button" className="link-button inline" onClick={() => setFull(null)}>
              隐藏完整信息
            </button>
          ) : (
            <button type="button" className="link-button inline" disabled={revealing} onClick={() => void readFull()}>
              {revealing ? '正在读取…' : '显示完整地址和手机号'}
            </button>
          )}
          {lastConfirmed ? <p className="hint">您最近一次确认：{formatDateTime(lastConfirmed.at)}</p> : null}
          {done ? (
            <p role="status" className="done">
              {done}
            </p>
          ) : null}
          <button type="button" className="primary" onClick={() => go('edit')}>
            修改地址或手机号
          </button>
          {target?.address ? (
            <button type="button" className="secondary" disabled={revealing} onClick={() => void confirmAsIs()}>
              地址和手机号无误，确认
            </button>
          ) : null}
          {general}
        </>
      ) : step === 'edit' ? (
        <form noValidate onSubmit={review}>
          <h3 ref={editHeading} tabIndex={-1}>
            修改送达信息
          </h3>
          <p className="hint">只填需要修改的项目，不改的留空。</p>
          <label htmlFor={ids.address}>新的送达地址</label>
          <p className="hint" id={ids.addressHint}>
            写到门牌号，如：广东省揭阳市榕城区某某街道某某路 1 号 2 栋 301 房。
          </p>
          <textarea
            id={ids.address}
            rows={3}
            maxLength={ADDRESS_MAX}
            autoComplete="street-address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            aria-describedby={errors.address ? `${ids.addressHint} ${ids.addressError}` : ids.addressHint}
            aria-invalid={errors.address ? true : undefined}
          />
          {errors.address ? (
            <p className="error" id={ids.addressError} role="alert">
              {errors.address}
            </p>
          ) : null}

          <label htmlFor={ids.phone}>新的手机号码</label>
          <p className="hint" id={ids.phoneHint}>
            我们会向新号码发送验证码，以确认号码是您本人在用。
          </p>
          <input
            id={ids.phone}
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            value={phone}
            onChange={(e) => setPhone(e.target.value.replace(/\s/g, ''))}
            aria-describedby={errors.phone ? `${ids.phoneHint} ${ids.phoneError}` : ids.phoneHint}
            aria-invalid={errors.phone ? true : undefined}
          />
          {errors.phone ? (
            <p className="error" id={ids.phoneError} role="alert">
              {errors.phone}
            </p>
          ) : null}
          {phone.trim() ? (
            <button type="button" className="secondary" disabled={sending} onClick={() => void sendCode()}>
              {sending ? '正在发送…' : challenge?.phone === phone.trim() ? '重新发送验证码' : '发送验证码'}
            </button>
          ) : null}
          {challenge && challenge.phone === phone.trim() ? (
            <>
              <label htmlFor={ids.code}>短信验证码</label>
              <p className="hint" id={ids.codeHint}>
                已发送到 {challenge.sentTo}，{formatDateTime(challenge.expiresAt)} 前有效。
              </p>
              <input
                id={ids.code}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                aria-describedby={errors.code ? `${ids.codeHint} ${ids.codeError}` : ids.codeHint}
                aria-invalid={errors.code ? true : undefined}
              />
            </>
          ) : null}
          {errors.code ? (
            <p className="error" id={ids.codeError} role="alert">
              {errors.code}
            </p>
          ) : null}
          <button type="submit" className="primary">
            下一步：核对
          </button>
          <button type="button" className="secondary" onClick={() => go('view')}>
            返回
          </button>
          {general}
        </form>
      ) : (
        <div className="confirm-step">
          <h3 ref={confirmHeading} tabIndex={-1}>
            确认送达信息
          </h3>
          <dl className="facts">
            {toSend?.address !== undefined ? (
              <>
                <dt>送达地址</dt>
                <dd>{toSend.address}</dd>
              </>
            ) : null}
            {toSend?.phone ? (
              <>
                <dt>手机号码</dt>
                <dd>{toSend.phone}</dd>
              </>
            ) : null}
          </dl>
          <p>确认后，中心的文书将寄送到以上地址，短信通知发送到登记的手机号码。</p>
          <ConfirmButtons
            busy={busy}
            confirm="确认"
            onConfirm={() => void send()}
            back="返回修改"
            onBack={() => go(address.trim() || phone.trim() ? 'edit' : 'view')}
          />
          {general}
        </div>
      )}
    </section>
  );
}
