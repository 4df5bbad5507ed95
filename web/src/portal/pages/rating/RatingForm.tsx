/**
 * The rating form (docs/supervision.md#ratings): the level (five, best first; the last two are 差评, and what
 * follows a 差评 is said before choosing), the aspects it is about, and the party's own words. A missing level is
 * said at the level; a refusal naming a field (RFC 9457 `errors`) is said at that field; a refusal the caller
 * explains itself (a used or expired link, a case rated already) goes to `onRefused`; anything else above the
 * button. Used in the portal (signed in) and by the texted link (no login): only `submit` differs.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { idempotencyKey } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { announce } from '../../../shared/a11y';
import { Choices } from '../complaint/ComplaintForm';
import {
  NEGATIVE_FOLLOW_UP,
  RATING_LEVEL_LABELS,
  RATING_TAG_LABELS,
  type RateBody,
  type RatingLevel,
  type RatingTag,
  type RatingView,
} from './labels';
import './rating.css';

type Field = 'level' | 'tags' | 'text' | 'general';
type Errors = Partial<Record<Field, string>>;

/** What a party reads when the server refuses a field (its own words are for operators, in English). */
const FIELD_TEXT: Record<Exclude<Field, 'general'>, string> = {
  level: '请选择满意程度。',
  tags: '评价的方面有误，请重新勾选。',
  text: '具体意见请不超过 2000 字（可以不填）。',
};

/** The fields a 400 names, in the form's words; a refusal naming none is for the whole form. */
function fieldErrors(e: unknown): Errors {
  const named = e instanceof ApiError ? (e.explained.fields ?? []) : [];
  const found: Errors = {};
  for (const { field } of named) {
    const f = (['level', 'tags', 'text'] as const).find((k) => field === k || field.startsWith(`${k}.`));
    if (f) found[f] = FIELD_TEXT[f];
  }
  return Object.keys(found).length ? found : { general: errorText(e, '未能提交，请稍后重试。') };
}

export function RatingForm({
  submit,
  onRated,
  onRefused,
}: {
  submit: (body: RateBody, idempotencyKey: string) => Promise<RatingView>;
  onRated: (r: RatingView) => void;
  /** A refusal the page explains in its place (returns true when it did). */
  onRefused?: (e: unknown) => boolean;
}) {
  const [level, setLevel] = useState<RatingLevel | ''>('');
  const [tags, setTags] = useState<RatingTag[]>([]);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());
  const id = useId();

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!level) {
      setErrors({ level: FIELD_TEXT.level });
      announce(`未能提交：${FIELD_TEXT.level}`);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const body: RateBody = { level, tags, ...(text.trim() ? { text: text.trim() } : {}) };
      const rated = await submit(body, key.current);
      announce(`评价已提交：${RATING_LEVEL_LABELS[rated.level]}。感谢您的评价。`);
      onRated(rated);
    } catch (err) {
      // A refusal changed nothing and the server keeps its answer under the key: the corrected form is a new
      // intent. A lost connection keeps the key, so sending again cannot rate twice.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) key.current = idempotencyKey();
      if (onRefused?.(err)) return;
      const found = fieldErrors(err);
      setErrors(found);
      announce(`未能提交：${Object.values(found).join('')}`);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (t: RatingTag, on: boolean) =>
    setTags((was) => (on ? [...was.filter((x) => x !== t), t] : was.filter((x) => x !== t)));

  return (
    <form className="card rating-form" aria-labelledby={`${id}-heading`} onSubmit={(e) => void send(e)} noValidate>
      <h2 id={`${id}-heading`}>评价本次服务</h2>
      <p className="hint">评价实名记录，只有中心和司法行政部门能看到您是谁；调解员只能看到评价内容。</p>
      <Choices
        name={`${id}-level`}
        legend="您对本次服务是否满意？"
        options={RATING_LEVEL_LABELS}
        value={level}
        onChange={setLevel}
        error={errors.level}
      />
      <p className="hint">{NEGATIVE_FOLLOW_UP}</p>
      <TagChoices name={`${id}-tags`} value={tags} onToggle={toggle} error={errors.tags} />
      <TextField id={`${id}-text`} value={text} onChange={setText} error={errors.text} />
      {errors.general ? (
        <p className="error" role="alert">
          {errors.general}
        </p>
      ) : null}
      <p className="hint">每件案件您只能评价一次，提交后不能修改。</p>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? '正在提交…' : '提交评价'}
      </button>
    </form>
  );
}

function TagChoices({
  name,
  value,
  onToggle,
  error,
}: {
  name: string;
  value: RatingTag[];
  onToggle: (t: RatingTag, on: boolean) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="choices" aria-describedby={error ? `${name}-error` : undefined}>
      <legend>您的评价主要针对哪些方面？（可多选，也可不选）</legend>
      {error ? (
        <p className="error" id={`${name}-error`}>
          {error}
        </p>
      ) : null}
      <div className="tag-choices">
        {(Object.entries(RATING_TAG_LABELS) as [RatingTag, string][]).map(([t, text]) => (
          <div className="check tag-choice" key={t}>
            <input
              type="checkbox"
              id={`${name}-${t}`}
              checked={value.includes(t)}
              onChange={(e) => onToggle(t, e.target.checked)}
            />
            <label htmlFor={`${name}-${t}`}>{text}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function TextField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  return (
    <>
      <label htmlFor={id}>具体意见（可不填）</label>
      <p className="hint" id={`${id}-hint`}>
        写下您的感受或建议，不超过 2000 字。已写 {value.trim().length} 字。
      </p>
      <textarea
        id={id}
        rows={5}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      />
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}
