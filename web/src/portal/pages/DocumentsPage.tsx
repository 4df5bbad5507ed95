/**
 * 文书: every document of the case this party may read (the API decides which), each with its version, date,
 * verify code and the QR code of its public check (<origin>/verify/<code>, as the PDF prints it: anyone holding
 * the paper can check it; 核验真伪 asks it here and says the answer in words) and a download. The download goes
 * through the API with the session's token and is saved under the name the API gives it (its Content-Disposition:
 * the Chinese title, the case number and the version).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type DocumentRow } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import { announce, PageHeading } from '../../shared/a11y';
import { formatBytes, saveBlob } from '../../shared/files';
import { formatDateTime } from '../../shared/format';
import { LoadFailed, Loading } from './Loading';
import { NotFoundPage } from './NotFoundPage';
import { isNotFound } from './useCase';
import { dispositionName } from './disposition';
import { VerifyQr } from './VerifyQr';

/**
 * Fetches a document with the session's token and hands it to the browser's download under the API's own
 * name for it (《title》, case number, version), or the Chinese title when the answer gives none.
 */
export async function downloadDocument(
  caseId: string,
  d: Pick<DocumentRow, 'documentId' | 'title' | 'docVersion'>,
): Promise<void> {
  const call = api.GET('/cases/{caseId}/documents/{documentId}', {
    params: { path: { caseId, documentId: d.documentId } },
    parseAs: 'blob',
  });
  const blob = await ok(call);
  const { response } = await call;
  const name = dispositionName(response.headers.get('Content-Disposition'));
  // The API's ASCII fallback (agreement-v1.pdf) is for old clients: a party gets the Chinese title.
  saveBlob(blob as Blob, name && /[^ -~]/.test(name) ? name : `${d.title}-第${d.docVersion}版.pdf`);
  announce(`已开始下载《${d.title}》`);
}

export function DocumentsPage({ caseId }: { caseId: string }) {
  const list = useQuery({
    queryKey: ['portal', 'documents', caseId],
    queryFn: () => ok(api.GET('/cases/{caseId}/documents', { params: { path: { caseId } } })),
  });
  if (list.isPending) return <Loading what="文书" />;
  if (list.isError)
    return isNotFound(list.error) ? (
      <NotFoundPage what="案件" />
    ) : (
      <LoadFailed error={list.error} retry={() => void list.refetch()} />
    );
  const documents = [...list.data.documents].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <PageHeading title="文书" />
      {documents.length ? (
        <ul className="documents">
          {documents.map((d) => (
            <DocumentItem key={d.documentId} caseId={caseId} document={d} />
          ))}
        </ul>
      ) : (
        <p className="card">中心还没有为本案出具文书。出具后会短信通知您。</p>
      )}
    </>
  );
}

function DocumentItem({ caseId, document: d }: { caseId: string; document: DocumentRow }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const [verified, setVerified] = useState<string | null>(null);
  async function verify() {
    try {
      const v = await ok(api.GET('/verify/{code}', { params: { path: { code: d.verificationCode } } }));
      setVerified(
        `核验结果：真实。这是本中心于 ${formatDateTime(v.issuedAt)} 出具的《${v.title}》第 ${v.version} 版，文件指纹（SHA-256）${v.sha256.slice(0, 16)}…`,
      );
    } catch (e) {
      setVerified(
        e instanceof ApiError && e.status === 404
          ? '核验结果：未找到这个核验码对应的文书。'
          : `未能核验：${errorText(e, '请稍后重试。')}`,
      );
    }
  }
  async function download() {
    setState({ busy: true, error: null });
    try {
      await downloadDocument(caseId, d);
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: errorText(e, '下载未能完成，请重试。') });
    }
  }
  return (
    <li className="card">
      <h2>{d.title}</h2>
      <dl className="facts">
        <dt>版本</dt>
        <dd>第 {d.docVersion} 版</dd>
        <dt>出具时间</dt>
        <dd>{formatDateTime(d.createdAt)}</dd>
        <dt>核验码</dt>
        <dd>
          <code>{d.verificationCode}</code>
          <button type="button" className="link-button inline" onClick={() => void verify()}>
            核验真伪<span className="sr-only">：《{d.title}》</span>
          </button>
        </dd>
        <dt>文件大小</dt>
        <dd>{formatBytes(d.sizeBytes)}（PDF）</dd>
      </dl>
      <VerifyQr code={d.verificationCode} title={d.title} />
      <p role="status" className={verified ? 'verified' : undefined}>
        {verified}
      </p>
      <button type="button" className="primary" disabled={state.busy} onClick={() => void download()}>
        {state.busy ? '正在下载…' : `下载《${d.title}》`}
      </button>
      {state.error ? (
        <p role="alert" className="error">
          <strong>未能下载：</strong>
          {state.error}
        </p>
      ) : null}
    </li>
  );
}
