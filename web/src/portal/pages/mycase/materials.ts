/**
 * A case's files as the portal sends and fetches them. openapi-fetch serializes a body as JSON; a material is the
 * file itself as the body, with its own media type (the server checks the first bytes too), so the body is
 * passed through as it is, as the console's UploadMaterial does. Downloads carry the session's token, so they
 * are fetched and handed to the browser as a blob (shared/files.ts).
 */
import { api, ok } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { saveBlob } from '../../../shared/files';

export type MaterialKind = NonNullable<paths['/cases/{caseId}/materials']['post']['parameters']['query']>['kind'];
export type Material =
  paths['/cases/{caseId}/materials']['get']['responses'][200]['content']['application/json']['materials'][number];

/** The media types the API takes, with the extension a saved copy gets (api/schemas.ts MATERIAL_MEDIA_TYPES). */
export const MATERIAL_FORMATS: Record<string, { name: string; ext: string }> = {
  'application/pdf': { name: 'PDF', ext: 'pdf' },
  'image/jpeg': { name: 'JPEG 图片', ext: 'jpg' },
  'image/png': { name: 'PNG 图片', ext: 'png' },
};
export const MATERIAL_ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';
/** As the API bounds an upload (api/schemas.ts MATERIAL_MAX_BYTES): a larger file is refused with a 413. */
export const MATERIAL_MAX_BYTES = 20 * 1024 * 1024;
/** As the API bounds a material's title. */
export const MATERIAL_TITLE_MAX = 200;

export const materialsKey = (caseId: string) => ['portal', 'materials', caseId] as const;

/** The file's media type as the API knows it: from the browser, or from the extension when the browser gives none. */
export function mediaTypeOf(file: File): string | undefined {
  if (MATERIAL_FORMATS[file.type]) return file.type;
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return ext === 'pdf'
    ? 'application/pdf'
    : ext === 'png'
      ? 'image/png'
      : ext === 'jpg' || ext === 'jpeg'
        ? 'image/jpeg'
        : undefined;
}

/** A title from the file's name: without its extension, within the API's bound. */
export const titleFromFileName = (name: string): string =>
  name
    .replace(/\.[^.]+$/, '')
    .trim()
    .slice(0, MATERIAL_TITLE_MAX);

export function uploadMaterial(
  caseId: string,
  upload: { kind: MaterialKind; title: string; file: File; mediaType: string; idempotencyKey: string },
) {
  return ok(
    api.POST('/cases/{caseId}/materials', {
      params: {
        path: { caseId },
        query: { kind: upload.kind, title: upload.title },
        header: { 'Idempotency-Key': upload.idempotencyKey },
      },
      body: upload.file as unknown as string,
      bodySerializer: (b) => b as unknown as BodyInit,
      headers: { 'Content-Type': upload.mediaType },
    }),
  );
}

export async function downloadMaterial(caseId: string, m: Material): Promise<void> {
  const blob = await ok(
    api.GET('/cases/{caseId}/materials/{materialId}', {
      params: { path: { caseId, materialId: m.materialId } },
      parseAs: 'blob',
    }),
  );
  saveBlob(blob as Blob, `${m.title}.${MATERIAL_FORMATS[m.mediaType]?.ext ?? 'bin'}`);
}
