/**
 * The two buttons every confirmation step of the portal ends with: do it (its words say what, and while it is
 * sent, that it is being sent) and go back; both rest while the request is on its way, so a second tap sends
 * nothing twice. `error`, when given, is the step's live region just after the buttons (always rendered, so a
 * screen reader announces the message when it appears).
 */
export function ConfirmButtons(props: {
  busy: boolean;
  confirm: string;
  busyText?: string;
  onConfirm(): void;
  back?: string;
  onBack(): void;
  danger?: boolean;
  error?: string | null | undefined;
}) {
  const { busy, confirm, busyText = '正在提交…', onConfirm, back = '返回', onBack, danger = false, error } = props;
  return (
    <>
      <button type="button" className={danger ? 'primary danger' : 'primary'} disabled={busy} onClick={onConfirm}>
        {busy ? busyText : confirm}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={onBack}>
        {back}
      </button>
      {error === undefined ? null : (
        <div role="alert" className={error ? 'error' : undefined}>
          {error}
        </div>
      )}
    </>
  );
}
