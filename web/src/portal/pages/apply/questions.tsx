/**
 * The answers each step asks for: small components over the draft (`set` changes one answer, which is saved on
 * this device at once). A refusal is shown under its own field; the frame (StepFrame) holds the buttons.
 */
import { useEffect, useState } from 'react';
import { DISPUTE_TYPE_LABELS } from '../../../shared/labels';
import { formatDateTime } from '../../../shared/format';
import { DISPUTE_TYPE_CHOICES } from './dispute-types';
import { dayParts, type Draft } from './draft';
import { TextField as TextFieldOf } from './StepFrame';
import { MAX, type Errors } from './steps';

export type BodyProps = { draft: Draft; set(patch: Partial<Draft>): void; errors: Errors };

export function PhoneBody({ draft, set, errors }: BodyProps) {
  return (
    <TextFieldOf
      id="apply-phone"
      label="手机号码"
      hint="11 位手机号码。中心会发短信验证码到这个号码，以后的通知也发到这里。"
      value={draft.phone}
      onChange={(phone) => set({ phone })}
      error={errors.phone}
      inputMode="tel"
      autoComplete="tel"
      maxLength={11}
    />
  );
}

/** The code typed from the SMS; a new one may be asked once the last one has run out. */
export function CodeBody({
  draft,
  set,
  errors,
  onResend,
  onChangePhone,
  resending,
}: BodyProps & { onResend(): void; onChangePhone(): void; resending: boolean }) {
  const expired = useExpired(draft.challenge?.expiresAt);
  // Refused by the server (wrong five times, or used): a new code may be needed before the old one runs out.
  const mayResend = expired || Boolean(errors.code);
  return (
    <>
      {draft.challenge ? (
        <p className="notice" role="status">
          验证码已发送到 {draft.challenge.sentTo}，
          {expired ? '已经过期' : `在 ${formatDateTime(draft.challenge.expiresAt)} 前有效`}。
        </p>
      ) : null}
      <TextFieldOf
        id="apply-code"
        label="短信验证码"
        hint="短信里的 6 位数字。提交申请时才会核对。"
        value={draft.code}
        onChange={(code) => set({ code })}
        error={errors.code}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
      />
      {mayResend ? (
        <button type="button" className="secondary" onClick={onResend} disabled={resending}>
          {resending ? '正在发送…' : '重新获取验证码'}
        </button>
      ) : (
        <p className="hint">没有收到短信？请稍等一会儿；验证码过期后，这里会出现“重新获取验证码”。</p>
      )}
      <button type="button" className="link-button inline" onClick={onChangePhone}>
        手机号码填错了？返回修改
      </button>
    </>
  );
}

/** Whether an instant has passed, re-rendered at that moment (so 重新获取 appears without a tap). */
export function useExpired(iso: string | undefined): boolean {
  const [now, setNow] = useState(() => Date.now());
  const at = iso ? Date.parse(iso) : NaN;
  useEffect(() => {
    if (Number.isNaN(at) || at <= now) return;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.min(at - now + 500, 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [at, now]);
  return !Number.isNaN(at) && at <= now;
}

export function TypeBody({ draft, set, errors }: BodyProps) {
  const errorId = 'apply-disputeType-error';
  return (
    <fieldset className="choices" aria-describedby={errors.disputeType ? errorId : undefined}>
      <legend>纠纷类型（选一项）</legend>
      {DISPUTE_TYPE_CHOICES.map(({ type, explanation }, i) => (
        <div key={type} className="choice">
          <input
            type="radio"
            id={i === 0 ? 'apply-disputeType' : `apply-disputeType-${type}`}
            name="disputeType"
            value={type}
            checked={draft.disputeType === type}
            onChange={() => set({ disputeType: type })}
            aria-describedby={`apply-type-${type}-explained`}
          />
          <label htmlFor={i === 0 ? 'apply-disputeType' : `apply-disputeType-${type}`}>
            {DISPUTE_TYPE_LABELS[type]}
            <span className="choice-explained" id={`apply-type-${type}-explained`}>
              {explanation}
            </span>
          </label>
        </div>
      ))}
      {errors.disputeType ? (
        <p id={errorId} className="error field-error">
          纠纷类型：{errors.disputeType}
        </p>
      ) : null}
    </fieldset>
  );
}

export function NameBody({ draft, set, errors }: BodyProps) {
  return (
    <TextFieldOf
      id="apply-name"
      label="姓名"
      hint="与身份证上的一致。"
      value={draft.name}
      onChange={(name) => set({ name })}
      error={errors.name}
      maxLength={MAX.name}
      autoComplete="name"
    />
  );
}

export function IdBody({ draft, set, errors }: BodyProps) {
  return (
    <TextFieldOf
      id="apply-idNumber"
      label="身份证号码"
      hint="18 位，最后一位可能是 X。用来核实您的身份，只有办案人员能看到完整号码。"
      value={draft.idNumber}
      onChange={(idNumber) => set({ idNumber })}
      error={errors.idNumber}
      maxLength={18}
    />
  );
}

export function AddressBody({ draft, set, errors }: BodyProps) {
  return (
    <TextFieldOf
      id="apply-address"
      label="住址"
      hint="现在住的地方，写到门牌号，如 揭阳市榕城区某某路 1 号。中心会按这个地址寄送文书。"
      value={draft.address}
      onChange={(address) => set({ address })}
      error={errors.address}
      maxLength={MAX.address}
      autoComplete="street-address"
    />
  );
}

export function OtherBody({ draft, set, errors }: BodyProps) {
  const legal = draft.otherKind === 'legal';
  return (
    <>
      <fieldset className="choices">
        <legend>对方是</legend>
        <div className="choice">
          <input
            type="radio"
            id="apply-otherKind"
            name="otherKind"
            checked={!legal}
            onChange={() => set({ otherKind: 'natural' })}
          />
          <label htmlFor="apply-otherKind">个人（如邻居、亲戚、借款人）</label>
        </div>
        <div className="choice">
          <input
            type="radio"
            id="apply-otherKind-legal"
            name="otherKind"
            checked={legal}
            onChange={() => set({ otherKind: 'legal' })}
          />
          <label htmlFor="apply-otherKind-legal">单位（如公司、商店、物业、医院）</label>
        </div>
      </fieldset>
      <TextFieldOf
        id="apply-otherName"
        label={legal ? '对方单位的名称' : '对方的姓名'}
        hint={legal ? '写全称，如 揭阳市某某物业管理有限公司。' : '不知道全名的，写您知道的称呼。'}
        value={draft.otherName}
        onChange={(otherName) => set({ otherName })}
        error={errors.otherName}
        maxLength={MAX.name}
      />
    </>
  );
}

export function ContactBody({ draft, set, errors }: BodyProps) {
  return (
    <>
      <TextFieldOf
        id="apply-otherPhone"
        label="对方的手机号码"
        hint="11 位手机号码；不知道的可以不填。"
        value={draft.otherPhone}
        onChange={(otherPhone) => set({ otherPhone })}
        error={errors.otherPhone}
        inputMode="tel"
        maxLength={11}
      />
      <TextFieldOf
        id="apply-otherAddress"
        label="对方的地址"
        hint="住址或单位地址；不知道的可以不填。手机号码和地址至少填一项。"
        value={draft.otherAddress}
        onChange={(otherAddress) => set({ otherAddress })}
        error={errors.otherAddress}
        maxLength={MAX.address}
      />
    </>
  );
}

export function StoryBody({ draft, set, errors }: BodyProps) {
  return (
    <TextFieldOf
      id="apply-story"
      label="事情经过"
      hint="用自己的话写：什么时候、在哪里、发生了什么、现在怎么样了。写清楚就好，不用写得很长。"
      value={draft.story}
      onChange={(story) => set({ story })}
      error={errors.story}
      multiline
      maxLength={MAX.story}
    />
  );
}

/**
 * A day as three plain number fields, 年 月 日, in that order whatever the phone's language (a native date field
 * follows the browser's own order and words, which may not be Chinese).
 */
export function WhenBody({ draft, set, errors }: BodyProps) {
  const parts = dayParts(draft.learnedOn);
  const error = errors.learnedOn;
  const change = (part: 'year' | 'month' | 'day', value: string) => {
    const next = { ...parts, [part]: value.replace(/\D/g, '') };
    set({ learnedOn: `${next.year}-${next.month}-${next.day}` });
  };
  const describedBy = ['apply-learnedOn-hint', error ? 'apply-learnedOn-error' : null].filter(Boolean).join(' ');
  const field = (part: 'year' | 'month' | 'day', id: string, unit: string, maxLength: number) => (
    <div className="date-part">
      <input
        id={id}
        name={id}
        inputMode="numeric"
        autoComplete="off"
        maxLength={maxLength}
        value={parts[part]}
        onChange={(e) => change(part, e.target.value)}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      />
      <label htmlFor={id}>{unit}</label>
    </div>
  );
  return (
    <fieldset className="choices">
      <legend>知道受到损害的日期</legend>
      <p className="hint" id="apply-learnedOn-hint">
        依次填年、月、日，如 2026 年 3 月 1 日。记不清具体哪天的，填大概的日子。
      </p>
      <div className="date-parts">
        {field('year', 'apply-learnedOn', '年', 4)}
        {field('month', 'apply-learnedOn-month', '月', 2)}
        {field('day', 'apply-learnedOn-day', '日', 2)}
      </div>
      {error ? (
        <p id="apply-learnedOn-error" className="error field-error">
          日期：{error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function AskBody({ draft, set, errors }: BodyProps) {
  return (
    <>
      <TextFieldOf
        id="apply-ask"
        label="您的请求"
        hint="如：要求对方归还借款 12000 元；要求对方修好漏水的水管。"
        value={draft.ask}
        onChange={(ask) => set({ ask })}
        error={errors.ask}
        multiline
        maxLength={MAX.ask}
      />
      <TextFieldOf
        id="apply-amountYuan"
        label="涉及的金额（元，可不填）"
        hint="只写数字，如 12000。不涉及钱的不用填。"
        value={draft.amountYuan}
        onChange={(amountYuan) => set({ amountYuan })}
        error={errors.amountYuan}
        inputMode="decimal"
        maxLength={20}
      />
    </>
  );
}
