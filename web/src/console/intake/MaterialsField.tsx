/**
 * 材料: scans (PDF, JPEG, PNG) the party hands in at the desk, attached while the form is filled in and
 * uploaded right after the case is registered (after-registration.ts). Each file becomes a fieldset with its
 * kind and title (the title starts as the file's name); a file that is not a PDF, JPEG or PNG by its first
 * bytes, or is larger than the API takes, is refused here with the reason, before anything is registered.
 * A native file input with its own label: antd's Upload wraps its button in another focusable element.
 */
import { Button, Form, Input, Select } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { idempotencyKey } from '../../api/client';
import { MATERIAL_KIND_LABELS } from '../labels';
import { formatBytes } from '../pages/case/files';
import type { Attachment } from './after-registration';
import type { MaterialKind, MaterialValues } from './form';

/** A file picked for the form, before its kind and title are known; the key is its upload's, for every retry. */
export type PickedFile = Pick<Attachment, 'uid' | 'file' | 'mediaType' | 'key'>;

const KIND_OPTIONS = Object.entries(MATERIAL_KIND_LABELS).map(([value, text]) => ({
  value: value as MaterialKind,
  label: text,
}));
const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';
/** As the API bounds a material (MATERIAL_MAX_BYTES) and its title. */
const MAX_BYTES = 20 * 1024 * 1024;
const TITLE_MAX = 200;
/** The first bytes of each format the center keeps (as the API checks them). */
const MAGIC: [string, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

async function mediaTypeOf(file: File): Promise<string | undefined> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  return MAGIC.find(([, magic]) => magic.every((b, i) => head[i] === b))?.[0];
}

/** The picked files, held beside the form (a File is not a form value), by the uid the form's entry carries. */
export function useAttachments() {
  const [files, setFiles] = useState<ReadonlyMap<string, PickedFile>>(new Map());
  const add = useCallback(
    (picked: PickedFile[]) => setFiles((m) => new Map([...m, ...picked.map((p) => [p.uid, p] as const)])),
    [],
  );
  const remove = useCallback(
    (uid: string) =>
      setFiles((m) => {
        const next = new Map(m);
        next.delete(uid);
        return next;
      }),
    [],
  );
  /** Every attachment as the upload needs it, in the form's order. */
  const collect = (entries: MaterialValues[] | undefined): Attachment[] =>
    (entries ?? []).flatMap((e) => {
      const f = files.get(e.uid);
      return f && e.kind ? [{ ...f, kind: e.kind, title: (e.title ?? '').trim() }] : [];
    });
  return { files, add, remove, collect };
}

export function MaterialsField({ attachments }: { attachments: ReturnType<typeof useAttachments> }) {
  const input = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<string[]>([]);
  return (
    <section className="intake-section" aria-labelledby="intake-materials">
      <h2 id="intake-materials">材料（扫描件）</h2>
      <Form.List name="materials">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <MaterialEntry
                key={field.key}
                index={field.name}
                picked={attachments.files}
                onRemove={(uid) => {
                  remove(field.name);
                  attachments.remove(uid);
                }}
              />
            ))}
            <Form.Item
              label="添加扫描件"
              htmlFor="intake-material-files"
              validateStatus={refused.length ? 'error' : undefined}
              help={refused.length ? <span role="alert">以下文件未添加：{refused.join('；')}</span> : undefined}
              extra="PDF、JPEG 或 PNG 格式，每份不超过 20 MB，可一次选择多份；案件登记后随即上传"
            >
              <input
                id="intake-material-files"
                ref={input}
                type="file"
                multiple
                accept={ACCEPT}
                aria-invalid={refused.length ? true : undefined}
                onChange={(e) => {
                  const chosen = [...(e.target.files ?? [])];
                  void (async () => {
                    const picked: PickedFile[] = [];
                    const problems: string[] = [];
                    for (const file of chosen) {
                      const mediaType = file.size > MAX_BYTES ? undefined : await mediaTypeOf(file);
                      if (file.size > MAX_BYTES) problems.push(`“${file.name}”超过 20 MB`);
                      else if (!mediaType) problems.push(`“${file.name}”不是 PDF、JPEG 或 PNG 文件`);
                      else {
                        const uid = idempotencyKey();
                        picked.push({ uid, file, mediaType, key: idempotencyKey() });
                        add({
                          uid,
                          title: file.name.replace(/\.[^.]+$/, '').slice(0, TITLE_MAX),
                        } satisfies MaterialValues);
                      }
                    }
                    attachments.add(picked);
                    setRefused(problems);
                    // The same file may be chosen again after it was removed.
                    if (input.current) input.current.value = '';
                  })();
                }}
              />
            </Form.Item>
          </>
        )}
      </Form.List>
    </section>
  );
}

function MaterialEntry({
  index,
  picked,
  onRemove,
}: {
  index: number;
  picked: ReadonlyMap<string, PickedFile>;
  onRemove: (uid: string) => void;
}) {
  const form = Form.useFormInstance();
  // The uid has no field of its own: watched in the form's whole store (`preserve`), not its fields.
  const uid = Form.useWatch(['materials', index, 'uid'], { form, preserve: true }) as string | undefined;
  const file = uid ? picked.get(uid)?.file : undefined;
  const legend = `材料 ${index + 1}`;
  return (
    <fieldset className="intake-party">
      <legend>
        {legend}
        {file ? `：${file.name}（${formatBytes(file.size)}）` : ''}
      </legend>
      <div className="intake-grid">
        <Form.Item label="材料类别" name={[index, 'kind']} rules={[{ required: true, message: '请选择材料类别' }]}>
          <Select
            options={KIND_OPTIONS}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="输入文字筛选，或按↓选择"
          />
        </Form.Item>
        <Form.Item
          label="材料名称"
          name={[index, 'title']}
          extra="如：借条扫描件、身份证复印件"
          rules={[
            { required: true, whitespace: true, message: '请填写材料名称' },
            { max: TITLE_MAX, message: `不能超过 ${TITLE_MAX} 个字` },
          ]}
        >
          <Input maxLength={TITLE_MAX} autoComplete="off" />
        </Form.Item>
      </div>
      <Button onClick={() => uid && onRemove(uid)}>删除{legend}</Button>
    </fieldset>
  );
}
