/**
 * What every step of the application shares: where the applicant is (第 3 步，共 12 步), the question as the
 * page's heading (read first after each step: PageHeading takes focus), one form whose main button goes on
 * (Enter in a field does the same), a way back, the refusals read out (role="alert"), and the note that the
 * answers stay on this phone with the button that clears them.
 */
import { useId, type FormEvent, type ReactNode } from 'react';
import { PageHeading } from '../../../shared/a11y';
import { STEPS, stepIndex, type StepName } from './steps';

type Props = {
  step: StepName;
  question: string;
  /** One sentence under the question: why it is asked, or what to have at hand. */
  intro?: ReactNode;
  children: ReactNode;
  onNext(): void;
  nextLabel: string;
  busy?: boolean;
  onBack?: () => void;
  /** Said at the bottom and read out: what stops the step (the fields say their own part too). */
  error?: string | null;
  onClearDraft(): void;
};

/** The numbered steps the applicant answers (the review is the last). */
const COUNTED = STEPS.length;

export function StepFrame({
  step,
  question,
  intro,
  children,
  onNext,
  nextLabel,
  busy,
  onBack,
  error,
  onClearDraft,
}: Props) {
  const errorId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onNext();
  };
  return (
    <section className="card apply">
      <p className="apply-progress">
        申请调解 · 第 {stepIndex(step) + 1} 步，共 {COUNTED} 步
      </p>
      <PageHeading title={question} />
      {intro ? <div className="hint apply-intro">{intro}</div> : null}
      <form onSubmit={submit} noValidate aria-describedby={error ? errorId : undefined}>
        {children}
        <button type="submit" className="primary" disabled={busy}>
          {nextLabel}
        </button>
        {onBack ? (
          <button type="button" className="secondary" onClick={onBack}>
            上一步
          </button>
        ) : null}
      </form>
      <div id={errorId} role="alert" className={error ? 'error' : undefined}>
        {error ? (
          <>
            <strong>未能继续：</strong>
            {error}
          </>
        ) : null}
      </div>
      <DraftNote onClear={onClearDraft} />
    </section>
  );
}

export function DraftNote({ onClear }: { onClear(): void }) {
  return (
    <div className="draft-note">
      <p className="hint">
        您填写的内容会暂存在这部手机上，刷新或关闭页面后可以接着填；提交后自动删除。用别人的手机或公用电脑的，填完或不填了请按“清除草稿”。
      </p>
      <button type="button" className="link-button inline" onClick={onClear}>
        清除草稿
      </button>
    </div>
  );
}

type FieldProps = {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  multiline?: boolean;
  maxLength?: number;
  inputMode?: 'text' | 'tel' | 'numeric' | 'decimal';
  autoComplete?: string;
  type?: 'text' | 'date';
  max?: string;
};

/** One labelled answer with its hint and, when refused, the reason right under it (tied by aria-describedby). */
export function TextField({
  id,
  label,
  hint,
  value,
  onChange,
  error,
  multiline,
  maxLength,
  inputMode,
  autoComplete,
  type = 'text',
  max,
}: FieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: id,
    value,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    maxLength,
  } as const;
  return (
    <div className="apply-field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {multiline ? (
        <textarea {...common} rows={6} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={type}
          max={max}
          inputMode={inputMode}
          autoComplete={autoComplete ?? 'off'}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {multiline && maxLength ? (
        <p className="hint counter" aria-live="off">
          已写 {value.length} 字，最多 {maxLength} 字
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="error field-error">
          {label}：{error}
        </p>
      ) : null}
    </div>
  );
}
