/**
 * 追评: once the center has answered a 差评, the party who gave it may add one follow-up rating on the answer
 * (docs/supervision.md#ratings; POST /ratings/{ratingId}/follow-up), which closes the follow-up. Shown only while
 * the server lists `add_follow_up` among this party's actions on the rating.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { api, idempotencyKey, ok } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { announce } from '../../../shared/a11y';
import { Choices } from '../complaint/ComplaintForm';
import { RATING_LEVEL_LABELS, type RatingLevel, type RatingView } from './labels';

export function FollowUpForm({ r, onDone }: { r: RatingView; onDone: (r: RatingView) => void }) {
  const [level, setLevel] = useState<RatingLevel | ''>('');
  const [text, setText] = useState('');
  const [error, setError] = useState<{ field: 'level' | 'text' | 'general'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());
  const id = useId();

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!level) {
      setError({ field: 'level', text: '请选择您对答复的满意程度。' });
      announce('未能提交：请选择您对答复的满意程度。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await ok(
        api.POST('/ratings/{ratingId}/follow-up', {
          params: { path: { ratingId: r.ratingId } },
          body: { level, ...(text.trim() ? { text: text.trim() } : {}) },
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      announce(`追加评价已提交：${RATING_LEVEL_LABELS[level]}。`);
      onDone(answer);
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) key.current = idempotencyKey();
      const onText = err instanceof ApiError && err.explained.fields?.some((f) => f.field === 'text');
      const shown = onText
        ? { field: 'text' as const, text: '追加意见请不超过 2000 字（可以不填）。' }
        : { field: 'general' as const, text: errorText(err, '未能提交，请稍后重试。') };
      setError(shown);
      announce(`未能提交：${shown.text}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="rating-follow-up" aria-labelledby={`${id}-heading`} onSubmit={(e) => void send(e)} noValidate>
      <h3 id={`${id}-heading`}>追加评价</h3>
      <p>中心已答复您的评价。您可以对答复追加一次评价，提交后差评处理即告办结。</p>
      <Choices
        name={`${id}-level`}
        legend="您对中心的答复是否满意？"
        options={RATING_LEVEL_LABELS}
        value={level}
        onChange={setLevel}
        error={error?.field === 'level' ? error.text : undefined}
      />
      <label htmlFor={`${id}-text`}>追加意见（可不填）</label>
      <textarea
        id={`${id}-text`}
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={error?.field === 'text' ? true : undefined}
        aria-describedby={error?.field === 'text' ? `${id}-text-error` : undefined}
      />
      {error?.field === 'text' ? (
        <p className="error" id={`${id}-text-error`}>
          {error.text}
        </p>
      ) : null}
      {error?.field === 'general' ? (
        <p className="error" role="alert">
          {error.text}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? '正在提交…' : '提交追加评价'}
      </button>
    </form>
  );
}
