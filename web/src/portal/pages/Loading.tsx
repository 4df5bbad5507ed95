/** A screen still loading, or one that failed: both said in words, the failure read out (role="alert"). */
import { errorText } from '../../api/problems';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="card">
      正在加载{what}…
    </p>
  );
}

export function LoadFailed({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="card">
      <p role="alert" className="error">
        <strong>未能加载：</strong>
        {errorText(error, '请检查网络后重试。')}
      </p>
      <button type="button" className="secondary" onClick={retry}>
        重试
      </button>
    </div>
  );
}
