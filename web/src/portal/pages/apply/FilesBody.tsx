/**
 * 材料: the applicant's files, chosen now and uploaded right after the application is registered (the case must
 * exist first). Each chosen file shows its name, format and size before anything is sent; a file of another
 * format, or larger than the API takes, is refused here with the reason. A reload loses the files themselves
 * (a browser keeps no file between visits): their names are shown, with a request to choose them again.
 */
import { useRef, useState } from 'react';
import { formatBytes } from '../../../shared/files';
import { announce } from '../../../shared/a11y';
import type { Draft, MaterialKind } from './draft';
import { ACCEPT, KIND_CHOICES, MAX_BYTES, MAX_FILES, examine, type PickedFile } from './files';

type Props = {
  picked: PickedFile[];
  setPicked(next: PickedFile[]): void;
  /** Names of files chosen before a reload, not chosen again yet. */
  lost: Draft['files'];
  forgetLost(): void;
};

export function FilesBody({ picked, setPicked, lost, forgetLost }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<string[]>([]);

  async function choose(list: FileList | null) {
    const files = Array.from(list ?? []);
    if (input.current) input.current.value = '';
    if (files.length === 0) return;
    const taken: PickedFile[] = [];
    const reasons: string[] = [];
    for (const file of files) {
      const found = await examine(file);
      if (!found.ok) reasons.push(found.reason);
      else if (picked.some((p) => p.file.name === file.name && p.file.size === file.size))
        reasons.push(`“${file.name}”已经选过了。`);
      else if (picked.length + taken.length >= MAX_FILES)
        reasons.push(`最多选 ${MAX_FILES} 个文件；“${file.name}”没有加入，其余材料可以在申请后补充。`);
      else
        taken.push({
          id: crypto.randomUUID(),
          file,
          mediaType: found.mediaType,
          formatLabel: found.formatLabel,
          kind: 'evidence',
        });
    }
    setRefused(reasons);
    if (taken.length > 0) {
      setPicked([...picked, ...taken]);
      forgetLost();
    }
    announce(
      [
        taken.length > 0
          ? `已选择 ${taken.length} 个文件：${taken.map((t) => `${t.file.name}，${formatBytes(t.file.size)}`).join('；')}。`
          : '',
        reasons.join(' '),
      ]
        .join(' ')
        .trim(),
    );
  }

  const setKind = (id: string, kind: MaterialKind) => setPicked(picked.map((p) => (p.id === id ? { ...p, kind } : p)));

  return (
    <>
      {lost.length > 0 && picked.length === 0 ? (
        <div className="notice" role="status">
          <p>
            <strong>请重新选择文件：</strong>页面刷新后，手机不会替您保留已选的文件，只记得它们的名字：
          </p>
          <ul>
            {lost.map((f) => (
              <li key={`${f.name}-${f.sizeBytes}`}>
                {f.name}（{formatBytes(f.sizeBytes)}）
              </li>
            ))}
          </ul>
          <button type="button" className="link-button inline" onClick={forgetLost}>
            不需要这些文件了
          </button>
        </div>
      ) : null}
      <p className="hint" id="apply-files-hint">
        可以上传照片（JPG、PNG）或 PDF 文件，每个不超过 {formatBytes(MAX_BYTES)}，最多 {MAX_FILES}{' '}
        个。如借条、合同、收据、照片、聊天记录截图、身份证正反面。没有材料也可以先申请，以后再补。
      </p>
      {/* The native input keeps the keyboard and the phone's own chooser; its label is the big button people see. */}
      <input
        ref={input}
        id="apply-files"
        className="file-input"
        type="file"
        multiple
        accept={ACCEPT}
        aria-describedby={refused.length > 0 ? 'apply-files-hint apply-files-refused' : 'apply-files-hint'}
        aria-invalid={refused.length > 0 ? true : undefined}
        onChange={(e) => void choose(e.target.files)}
      />
      <label htmlFor="apply-files" className="file-button">
        {picked.length > 0 ? '再选择文件' : '选择文件'}
      </label>
      {refused.length > 0 ? (
        <div id="apply-files-refused" className="error field-error">
          <strong>以下文件不能上传：</strong>
          <ul>
            {refused.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {picked.length > 0 ? (
        <>
          <h2 className="apply-subtitle">已选择的文件（{picked.length} 个，提交申请后上传）</h2>
          <ul className="picked">
            {picked.map((p) => (
              <li key={p.id}>
                <p className="picked-name">{p.file.name}</p>
                <p className="hint">
                  {p.formatLabel}，大小 {formatBytes(p.file.size)}
                </p>
                <label htmlFor={`apply-kind-${p.id}`}>
                  这是什么材料<span className="sr-only">：{p.file.name}</span>
                </label>
                <p className="hint" id={`apply-kind-${p.id}-hint`}>
                  借条、合同、照片、聊天记录等选“证据材料”；身份证正反面选“身份证件”。
                </p>
                <select
                  id={`apply-kind-${p.id}`}
                  aria-describedby={`apply-kind-${p.id}-hint`}
                  value={p.kind}
                  onChange={(e) => setKind(p.id, e.target.value as MaterialKind)}
                >
                  {KIND_CHOICES.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`移除 ${p.file.name}`}
                  onClick={() => {
                    setPicked(picked.filter((q) => q.id !== p.id));
                    announce(`已移除 ${p.file.name}`);
                  }}
                >
                  移除
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
