/**
 * The applicant's files: PDF, JPEG or PNG, recognised by their first bytes as the API recognises them
 * (api/schemas.ts MATERIAL_MEDIA_TYPES), and at most as large as the API takes (MATERIAL_MAX_BYTES). A file the
 * API would refuse is refused here, with the reason, before anything is sent.
 */
import { formatBytes } from '../../../shared/files';
import type { MaterialKind } from './draft';

export const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';
export const MAX_BYTES = 20 * 1024 * 1024;
/** A handful is what a first application needs; more can follow from 我的案件. */
export const MAX_FILES = 10;

const FORMATS: { mediaType: string; label: string; magic: number[] }[] = [
  { mediaType: 'application/pdf', label: 'PDF 文件', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mediaType: 'image/jpeg', label: 'JPEG 图片', magic: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/png', label: 'PNG 图片', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** A file chosen for upload after the application is registered. */
export type PickedFile = { id: string; file: File; mediaType: string; formatLabel: string; kind: MaterialKind };

export const KIND_CHOICES: { kind: MaterialKind; label: string }[] = [
  { kind: 'evidence', label: '证据材料' },
  { kind: 'identity', label: '身份证件' },
  { kind: 'other', label: '其他材料' },
];

/** The file's format by its first bytes, or why it cannot be taken. */
export async function examine(
  file: File,
): Promise<{ ok: true; mediaType: string; formatLabel: string } | { ok: false; reason: string }> {
  if (file.size === 0) return { ok: false, reason: `“${file.name}”是空文件，请重新选择。` };
  if (file.size > MAX_BYTES) {
    return {
      ok: false,
      reason: `“${file.name}”有 ${formatBytes(file.size)}，超过了 ${formatBytes(MAX_BYTES)} 的上限。请拍得小一些，或分成几份。`,
    };
  }
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const format = FORMATS.find((f) => f.magic.every((b, i) => head[i] === b));
  if (!format)
    return {
      ok: false,
      reason: `“${file.name}”不是 PDF、JPEG 或 PNG 格式，不能上传。请选择照片（JPG、PNG）或 PDF 文件。`,
    };
  return { ok: true, mediaType: format.mediaType, formatLabel: format.label };
}
