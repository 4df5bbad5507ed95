/**
 * 文书: every version of every document the case issued, with its verification code linked to the public
 * check (/verify/{code}: genuine or not, no personal data), an inline preview and the download. Both fetch
 * the PDF with the session's token (each is a recorded download).
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Spin, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, type DocumentRow } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { formatDateTime } from '../../format';
import { DocumentPreview } from './DocumentPreview';
import { isForbidden, saveBlob } from './files';
import { documentsKey } from './keys';

export const documentName = (d: DocumentRow) => `${d.title}-第${d.docVersion}版.pdf`;

export function DocumentsTab({ caseId }: { caseId: string }) {
  const docs = useQuery({
    queryKey: documentsKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/documents', { params: { path: { caseId } } })),
  });
  const [failure, setFailure] = useState<string | null>(null);
  // The document whose preview is mounted, and whether it is open (closing hands focus back, then unmounts).
  const [previewing, setPreviewing] = useState<DocumentRow | null>(null);
  const [open, setOpen] = useState(false);
  if (docs.isError) {
    if (isForbidden(docs.error)) return <Alert type="info" showIcon title="您的角色不能查看本案的文书。" />;
    return <Alert type="error" showIcon role="alert" title={errorText(docs.error, '文书加载失败，请重试。')} />;
  }
  if (!docs.data)
    return (
      <Spin tip="正在加载文书…">
        <div style={{ minHeight: 80 }} />
      </Spin>
    );
  const download = async (d: DocumentRow) => {
    setFailure(null);
    try {
      const blob = await ok(
        api.GET('/cases/{caseId}/documents/{documentId}', {
          params: { path: { caseId, documentId: d.documentId } },
          parseAs: 'blob',
        }),
      );
      saveBlob(blob as Blob, documentName(d));
    } catch (e) {
      setFailure(errorText(e, '下载失败，请重试。'));
    }
  };
  return (
    <>
      {failure ? <Alert type="error" showIcon role="alert" title={failure} style={{ marginBottom: 12 }} /> : null}
      <Table<DocumentRow>
        rowKey="documentId"
        pagination={false}
        dataSource={docs.data.documents}
        locale={{ emptyText: <Typography.Text type="secondary">本案暂无文书</Typography.Text> }}
        columns={[
          { title: '文书', dataIndex: 'title' },
          { title: '版本', key: 'version', render: (_v, d) => `第 ${d.docVersion} 版` },
          { title: '生成时间', key: 'created', render: (_v, d) => formatDateTime(d.createdAt) },
          {
            title: '核验码',
            key: 'code',
            // The public check anyone holding the paper can make; it opens beside the case, not over it.
            render: (_v, d) => (
              <a href={`/verify/${encodeURIComponent(d.verificationCode)}`} target="_blank" rel="noopener noreferrer">
                {d.verificationCode}
                <span className="sr-only">（在新窗口打开核验结果）</span>
              </a>
            ),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_v, d) => (
              <Space size={0} wrap>
                <Button
                  type="link"
                  onClick={() => {
                    setPreviewing(d);
                    setOpen(true);
                  }}
                  aria-label={`预览：${d.title} 第 ${d.docVersion} 版`}
                >
                  预览
                </Button>
                <Button
                  type="link"
                  onClick={() => void download(d)}
                  aria-label={`下载 PDF：${d.title} 第 ${d.docVersion} 版`}
                >
                  下载 PDF
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {previewing ? (
        <DocumentPreview
          caseId={caseId}
          doc={previewing}
          open={open}
          onClose={() => setOpen(false)}
          afterClose={() => setPreviewing(null)}
          onDownload={() => void download(previewing)}
        />
      ) : null}
    </>
  );
}
