/**
 * 材料: the files received for the case (GET /cases/{id}/materials), each downloadable (every download is
 * recorded), and the upload of a scan where the case offers this person 上传材料 now (its `actions`, decided
 * by the server). Someone whose role may not read the files is told so, from the server's 403.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Spin, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, type CaseView } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { errorText } from '../../../api/problems';
import { formatDateTime } from '../../format';
import { label, MATERIAL_KIND_LABELS, ROLE_LABELS } from '../../labels';
import { formatBytes, isForbidden, saveBlob } from './files';
import { materialsKey } from './keys';
import { UploadMaterial } from './UploadMaterial';

type Material =
  paths['/cases/{caseId}/materials']['get']['responses'][200]['content']['application/json']['materials'][number];

const FORMATS: Record<string, { name: string; ext: string }> = {
  'application/pdf': { name: 'PDF', ext: 'pdf' },
  'image/jpeg': { name: 'JPEG 图片', ext: 'jpg' },
  'image/png': { name: 'PNG 图片', ext: 'png' },
};

export function MaterialsTab({ view, focusUpload }: { view: CaseView; focusUpload: number }) {
  const caseId = view.caseId;
  const materials = useQuery({
    queryKey: materialsKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/materials', { params: { path: { caseId } } })),
  });
  const [failure, setFailure] = useState<string | null>(null);
  const mayUpload = (view.actions ?? []).some((a) => a.path === 'materials' && a.allowed);

  const download = async (m: Material) => {
    setFailure(null);
    try {
      const blob = await ok(
        api.GET('/cases/{caseId}/materials/{materialId}', {
          params: { path: { caseId, materialId: m.materialId } },
          parseAs: 'blob',
        }),
      );
      saveBlob(blob as Blob, `${m.title}.${FORMATS[m.mediaType]?.ext ?? 'bin'}`);
    } catch (e) {
      setFailure(errorText(e, '下载失败，请重试。'));
    }
  };

  let list;
  if (materials.isError) {
    list = isForbidden(materials.error) ? (
      <Alert type="info" showIcon title="您的角色不能查看本案的材料。" />
    ) : (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={errorText(materials.error, '材料加载失败，请重试。')}
        action={<Button onClick={() => void materials.refetch()}>重试</Button>}
      />
    );
  } else if (!materials.data) {
    list = (
      <Spin tip="正在加载材料…">
        <div style={{ minHeight: 80 }} />
      </Spin>
    );
  } else {
    list = (
      <Table<Material>
        rowKey="materialId"
        pagination={false}
        dataSource={materials.data.materials}
        locale={{ emptyText: <Typography.Text type="secondary">本案暂无材料</Typography.Text> }}
        columns={[
          { title: '材料名称', dataIndex: 'title' },
          { title: '类别', key: 'kind', render: (_v, m) => label(MATERIAL_KIND_LABELS, m.kind) },
          { title: '格式', key: 'format', render: (_v, m) => FORMATS[m.mediaType]?.name ?? m.mediaType },
          { title: '大小', key: 'size', render: (_v, m) => formatBytes(m.sizeBytes) },
          { title: '提交人', key: 'by', render: (_v, m) => label(ROLE_LABELS, m.uploadedBy) },
          { title: '收到时间', key: 'at', render: (_v, m) => formatDateTime(m.uploadedAt) },
          {
            title: '下载',
            key: 'download',
            render: (_v, m) => (
              <Button type="link" onClick={() => void download(m)} aria-label={`下载 ${m.title}`}>
                下载
              </Button>
            ),
          },
        ]}
      />
    );
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {mayUpload ? <UploadMaterial caseId={caseId} focusSignal={focusUpload} /> : null}
      <section aria-labelledby="materials-heading">
        <h3 id="materials-heading" style={{ fontSize: 16 }}>
          已收到的材料
        </h3>
        {failure ? <Alert type="error" showIcon role="alert" title={failure} style={{ marginBottom: 12 }} /> : null}
        {list}
      </section>
    </Space>
  );
}
