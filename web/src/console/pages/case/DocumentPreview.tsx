/**
 * A document shown in the page: the PDF fetched with the session's token (a frame's own request would carry
 * none), held as a blob: URL for as long as the dialog is open and released when it closes. The console's
 * Content-Security-Policy lets frames load blob: URLs only (api/web.ts). Not cached by the query cache: the
 * document carries the parties' full personal data.
 */
import { Alert, Button, Modal, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ok, type DocumentRow } from '../../../api/client';
import { errorText } from '../../../api/problems';

type Loaded = { url: string } | { error: unknown } | null;

export function DocumentPreview({
  caseId,
  doc,
  open,
  onClose,
  afterClose,
  onDownload,
}: {
  caseId: string;
  doc: DocumentRow;
  open: boolean;
  onClose(): void;
  afterClose(): void;
  onDownload(): void;
}) {
  const [loaded, setLoaded] = useState<Loaded>(null);
  const name = `${doc.title} 第 ${doc.docVersion} 版`;

  useEffect(() => {
    let cancelled = false;
    let url: string | undefined;
    ok(
      api.GET('/cases/{caseId}/documents/{documentId}', {
        params: { path: { caseId, documentId: doc.documentId } },
        parseAs: 'blob',
      }),
    ).then(
      (blob) => {
        if (cancelled) return;
        // Typed as a PDF whatever the answer said, so the browser's own viewer shows it.
        url = URL.createObjectURL(new Blob([blob as Blob], { type: 'application/pdf' }));
        setLoaded({ url });
      },
      (error: unknown) => {
        if (!cancelled) setLoaded({ error });
      },
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [caseId, doc.documentId]);

  return (
    <Modal
      open={open}
      title={`预览：${name}`}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
      width="min(1100px, 94vw)"
      footer={[
        <Button key="download" onClick={onDownload}>
          下载 PDF
        </Button>,
        <Button key="close" type="primary" onClick={onClose}>
          关闭预览
        </Button>,
      ]}
    >
      {loaded === null ? (
        <Spin tip="正在加载文书…">
          <div style={{ minHeight: 200 }} />
        </Spin>
      ) : 'error' in loaded ? (
        <Alert type="error" showIcon role="alert" title={errorText(loaded.error, '文书加载失败，请关闭后重试。')} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            核验码 {doc.verificationCode}。若预览无法显示，请下载 PDF 后查看。
          </Typography.Paragraph>
          <iframe
            src={loaded.url}
            title={`${name}（PDF）`}
            style={{ width: '100%', height: '70vh', border: '1px solid #d9d9d9' }}
          />
        </>
      )}
    </Modal>
  );
}
