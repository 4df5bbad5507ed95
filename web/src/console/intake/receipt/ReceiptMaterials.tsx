/**
 * 收到的材料 on the receipt: what the case holds (GET /cases/{id}/materials, the server's word), and the scans
 * attached at intake that are not there yet: waiting, uploading, or failed with the reason and 重试. Only
 * what was received is printed; a failure is announced and stays on screen until it is retried.
 */
import { Alert, Button } from 'antd';
import type { paths } from '../../../api/schema';
import { formatBytes } from '../../pages/case/files';
import { label, MATERIAL_KIND_LABELS } from '../../labels';
import { retryUpload, type UploadState } from '../after-registration';

type Material =
  paths['/cases/{caseId}/materials']['get']['responses'][200]['content']['application/json']['materials'][number];

const FORMATS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG 图片',
  'image/png': 'PNG 图片',
};
const STATUS: Record<UploadState['status'], string> = {
  waiting: '等待上传',
  uploading: '正在上传…',
  done: '已上传，正在刷新',
  failed: '未上传成功',
};

export function ReceiptMaterials({
  caseId,
  received,
  uploads,
  loadError,
}: {
  caseId: string;
  received: Material[] | undefined;
  uploads: UploadState[];
  loadError: string | null;
}) {
  const known = new Set((received ?? []).map((m) => m.materialId));
  // A scan still on its way (or failed), until the case's own list has it.
  const pending = uploads.filter((u) => !(u.status === 'done' && u.materialId && known.has(u.materialId)));
  const failed = pending.filter((u) => u.status === 'failed');
  return (
    <section aria-labelledby="receipt-materials">
      <h2 id="receipt-materials">收到的材料</h2>
      {failed.length ? (
        <Alert
          className="receipt-no-print receipt-alert"
          type="error"
          showIcon
          title={`有 ${failed.length} 份材料未上传成功`}
          description="案件已经登记，不受影响。请按“重试”；刷新或关闭本页前请处理，否则要在案件的“材料”页重新上传。"
        />
      ) : null}
      {loadError ? (
        <Alert
          className="receipt-no-print receipt-alert"
          type="warning"
          showIcon
          title={`材料清单未能加载：${loadError}`}
        />
      ) : null}
      {(received?.length ?? 0) + pending.length === 0 ? (
        <p>登记时未提交材料。</p>
      ) : (
        <table className="receipt-table">
          <thead>
            <tr>
              <th scope="col">序号</th>
              <th scope="col">材料名称</th>
              <th scope="col">类别</th>
              <th scope="col">格式、大小</th>
              <th scope="col">状态</th>
            </tr>
          </thead>
          <tbody>
            {(received ?? []).map((m, i) => (
              <tr key={m.materialId}>
                <td>{i + 1}</td>
                <th scope="row">{m.title}</th>
                <td>{label(MATERIAL_KIND_LABELS, m.kind)}</td>
                <td>
                  {FORMATS[m.mediaType] ?? m.mediaType}，{formatBytes(m.sizeBytes)}
                </td>
                <td>已收到</td>
              </tr>
            ))}
            {pending.map((u) => (
              <tr key={u.uid} className="receipt-no-print">
                <td>—</td>
                <th scope="row">{u.title}</th>
                <td>{label(MATERIAL_KIND_LABELS, u.kind)}</td>
                <td>
                  {FORMATS[u.mediaType] ?? u.mediaType}，{formatBytes(u.file.size)}
                </td>
                <td>
                  {u.status === 'failed' ? (
                    <>
                      <span role="alert">
                        {STATUS.failed}：{u.error}
                      </span>{' '}
                      <Button size="small" onClick={() => retryUpload(caseId, u.uid)}>
                        <span>
                          重试<span className="sr-only">上传 {u.title}</span>
                        </span>
                      </Button>
                    </>
                  ) : (
                    STATUS[u.status]
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
