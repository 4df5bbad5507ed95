/**
 * The complaint form: one question a group, each choice with its plain words; a refusal that names a field is
 * shown at that field (the case has no mediator yet: choose the organization), anything else above the button.
 */
import { useRef, useState, type FormEvent } from 'react';
import { api, idempotencyKey, ok } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { announce } from '../../../shared/a11y';
import {
  COMPLAINT_GROUND_LABELS,
  GROUND_EXPLANATIONS,
  REPLY_CHANNEL_LABELS,
  type ComplaintGround,
  type ComplaintView,
  type ReplyChannel,
} from './labels';

type Field = 'ground' | 'target' | 'facts' | 'request' | 'replyChannel' | 'general';
const TARGETS = { mediator: '承办本案的调解员', organization: '承办本案的调解组织' } as const;
type Target = keyof typeof TARGETS;

function fieldOf(e: unknown): Field {
  const named = e instanceof ApiError ? (e.explained.fields?.[0]?.field ?? '') : '';
  if (named.startsWith('target')) return 'target';
  return (['ground', 'facts', 'request', 'replyChannel'] as const).find((f) => named.startsWith(f)) ?? 'general';
}

/** One choice of several as radios, with its error above them and each option's hint below it (also the rating form's). */
export function Choices<K extends string>({
  name,
  legend,
  options,
  value,
  onChange,
  error,
  hints,
}: {
  name: string;
  legend: string;
  options: Record<K, string>;
  value: K | '';
  onChange: (v: K) => void;
  error?: string | undefined;
  hints?: Record<string, string>;
}) {
  return (
    <fieldset className="choices" aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p className="error" id={`${name}-error`}>
          {error}
        </p>
      ) : null}
      {(Object.entries(options) as [K, string][]).map(([k, text]) => (
        <div className="choice" key={k}>
          <input
            type="radio"
            id={`${name}-${k}`}
            name={name}
            value={k}
            checked={value === k}
            onChange={() => onChange(k)}
            aria-describedby={hints?.[k] ? `${name}-${k}-hint` : undefined}
          />
          <div>
            <label htmlFor={`${name}-${k}`}>{text}</label>
            {hints?.[k] ? (
              <p className="hint" id={`${name}-${k}-hint`}>
                {hints[k]}
              </p>
            ) : null}
          </div>
        </div>
      ))}
    </fieldset>
  );
}

export function ComplaintForm({ caseId, onFiled }: { caseId: string; onFiled: (c: ComplaintView) => void }) {
  const [ground, setGround] = useState<ComplaintGround | ''>('');
  const [target, setTarget] = useState<Target | ''>('');
  const [facts, setFacts] = useState('');
  const [request, setRequest] = useState('');
  const [reply, setReply] = useState<ReplyChannel | ''>('portal');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());

  const missing = (): Partial<Record<Field, string>> => ({
    ...(ground ? {} : { ground: '请选择投诉事由。' }),
    ...(target ? {} : { target: '请选择投诉对象。' }),
    ...(facts.trim() ? {} : { facts: '请写明发生了什么。' }),
    ...(request.trim() ? {} : { request: '请写明您的请求。' }),
    ...(reply ? {} : { replyChannel: '请选择答复方式。' }),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = missing();
    setErrors(found);
    if (Object.keys(found).length) {
      announce(`有 ${Object.keys(found).length} 处需要填写：${Object.values(found).join('')}`);
      return;
    }
    setBusy(true);
    try {
      const answer = await ok(
        api.POST('/cases/{caseId}/complaints', {
          params: { path: { caseId } },
          body: {
            ground: ground as ComplaintGround,
            facts: facts.trim(),
            request: request.trim(),
            replyChannel: reply as ReplyChannel,
            target: { kind: target as Target },
          },
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      announce(`投诉已提交，投诉编号 ${answer.complaint.trackingNumber ?? ''}`);
      onFiled(answer.complaint);
    } catch (err) {
      // The server keeps a refusal under its key: the corrected form is a new request with a key of its own.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) key.current = idempotencyKey();
      const field = fieldOf(err);
      const text =
        field === 'target'
          ? '本案还没有这个投诉对象（例如尚未指派调解员），请选择其他对象。'
          : errorText(err, '未能提交，请稍后重试。');
      setErrors({ [field]: text });
      announce(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" aria-labelledby="complaint-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="complaint-form">我要投诉</h2>
      <Choices
        name="complaint-ground"
        legend="投诉事由（选一项最符合的）"
        options={COMPLAINT_GROUND_LABELS}
        hints={GROUND_EXPLANATIONS}
        value={ground}
        onChange={setGround}
        error={errors.ground}
      />
      <Choices
        name="complaint-target"
        legend="投诉对象"
        options={TARGETS}
        value={target}
        onChange={setTarget}
        error={errors.target}
      />
      <label htmlFor="complaint-facts">发生了什么（事实与理由）</label>
      <p className="hint" id="complaint-facts-hint">
        请写明时间、地点、经过；不超过 5000 字。
      </p>
      <textarea
        id="complaint-facts"
        rows={6}
        maxLength={5000}
        value={facts}
        onChange={(e) => setFacts(e.target.value)}
        aria-invalid={errors.facts ? true : undefined}
        aria-describedby={`complaint-facts-hint${errors.facts ? ' complaint-facts-error' : ''}`}
      />
      {errors.facts ? (
        <p className="error" id="complaint-facts-error">
          {errors.facts}
        </p>
      ) : null}
      <label htmlFor="complaint-request">您的请求</label>
      <textarea
        id="complaint-request"
        rows={3}
        maxLength={2000}
        value={request}
        onChange={(e) => setRequest(e.target.value)}
        aria-invalid={errors.request ? true : undefined}
        aria-describedby={errors.request ? 'complaint-request-error' : undefined}
      />
      {errors.request ? (
        <p className="error" id="complaint-request-error">
          {errors.request}
        </p>
      ) : null}
      <Choices
        name="complaint-reply"
        legend="希望以何种方式答复您"
        options={REPLY_CHANNEL_LABELS}
        value={reply}
        onChange={setReply}
        error={errors.replyChannel}
      />
      {errors.general ? (
        <p className="error" role="alert">
          {errors.general}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? '正在提交…' : '提交投诉'}
      </button>
    </form>
  );
}
