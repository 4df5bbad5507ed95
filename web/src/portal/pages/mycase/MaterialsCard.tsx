/**
 * 补充材料: a party adds evidence or proof of identity to the case (人民调解法第二十三条: to state the facts), when
 * the server offers them `materials`; and lists what they uploaded themselves (a party reads only their own), each
 * downloadable. The file's type and size are checked here as the API checks them, and the size is shown before
 * anything is sent; a confirmation step lists what will be sent. One Idempotency-Key per upload: a retry after a
 * lost answer is recorded once.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { idempotencyKey, ok, api, type CaseView } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { announce } from '../../../shared/a11y';
import { formatBytes } from '../../../shared/files';
import { formatDateTime } from '../../../shared/format';
import { MATERIAL_KIND_LABELS, label } from '../../../shared/labels';
import { offers } from '../SignPage';
import { ConfirmButtons } from '../ConfirmButtons';
import {
  MATERIAL_ACCEPT,
  MATERIAL_FORMATS,
  MATERIAL_MAX_BYTES,
  MATERIAL_TITLE_MAX,
  downloadMaterial,
  materialsKey,
  mediaTypeOf,
  titleFromFileName,
  uploadMaterial,
  type Material,
  type MaterialKind,
} from './materials';

const KINDS: { value: MaterialKind; hint: string }[] = [
  { value: 'evidence', hint: '如借条、合同、转账记录、照片、聊天记录截图' },
  { value: 'identity', hint: '如身份证、户口簿、营业执照、授权委托书' },
];

/** Refusals that the same request would meet again: the next attempt is another request, with another key. */
const definite = (e: unknown) => e instanceof ApiError && [400, 403, 404, 413, 415, 422].includes(e.status);

export function MaterialsCard({ c }: { c: CaseView }) {
  const mayUpload = offers(c, 'materials');
  const materials = useQuery({
    queryKey: materialsKey(c.caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/materials', { params: { path: { caseId: c.caseId } } })),
  });
  const headingId = useId();
  // Nothing to add and nothing added: the card would only be noise.
  if (!mayUpload && !materials.data?.materials.length) return null;
  return (
    <section className="card materials-card" aria-labelledby={headingId}>
      <h2 id={headingId}>补充材料</h2>
      {mayUpload ? <UploadForm caseId={c.caseId} /> : null}
      <MyMaterials
        caseId={c.caseId}
        materials={materials.data?.materials}
        error={materials.isError ? materials.error : null}
        retry={() => void materials.refetch()}
      />
    </section>
  );
}

type Errors = { file?: string; title?: string; general?: string };

function UploadForm({ caseId }: { caseId: string }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<MaterialKind>('evidence');
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const key = useRef(idempotencyKey());
  const fileInput = useRef<HTMLInputElement>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const ids = {
    file: useId(),
    fileHint: useId(),
    fileError: useId(),
    title: useId(),
    titleError: useId(),
    kind: useId(),
  };

  const doneRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (step === 'confirm') confirmHeading.current?.focus();
  }, [step]);
  // After an upload the confirmation is gone: reading goes on at what happened, not at the top of the page.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  function pick(f: File | null) {
    setDone(null);
    setErrors({});
    setFile(f);
    if (f) setTitle(titleFromFileName(f.name));
  }

  function check(): boolean {
    const next: Errors = {};
    if (!file) next.file = '请选择要上传的文件。';
    else if (!mediaTypeOf(file)) next.file = '只能上传 PDF、JPEG 或 PNG 格式的文件。';
    else if (file.size === 0) next.file = '这个文件是空的，请重新选择。';
    else if (file.size > MATERIAL_MAX_BYTES)
      next.file = `文件太大（${formatBytes(file.size)}），不能超过 ${formatBytes(MATERIAL_MAX_BYTES)}。可以分成几份上传，或拍照时降低清晰度。`;
    if (!title.trim()) next.title = '请填写材料名称。';
    else if (title.trim().length > MATERIAL_TITLE_MAX) next.title = `材料名称不能超过 ${MATERIAL_TITLE_MAX} 个字。`;
    setErrors(next);
    if (next.file) fileInput.current?.focus();
    else if (next.title) titleInput.current?.focus();
    if (next.file || next.title) announce([next.file, next.title].filter(Boolean).join(' '));
    return !next.file && !next.title;
  }

  async function send() {
    if (!file) return;
    const mediaType = mediaTypeOf(file);
    if (!mediaType) return;
    setBusy(true);
    setErrors({});
    const sentTitle = title.trim();
    try {
      await uploadMaterial(caseId, { kind, title: sentTitle, file, mediaType, idempotencyKey: key.current });
      key.current = idempotencyKey();
      setFile(null);
      setTitle('');
      setKind('evidence');
      setStep('form');
      setDone(`已上传：${sentTitle}`);
      announce(`材料已上传：${sentTitle}`);
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      if (definite(e)) key.current = idempotencyKey();
      const text = errorText(e, '上传未成功，请重试。');
      // A refusal about the title goes back to that field; any other is said next to the button.
      const titleField = e instanceof ApiError && e.explained.fields?.some((f) => f.field.includes('title'));
      if (titleField) {
        setStep('form');
        setErrors({ title: `材料名称有误：${text}` });
      } else if (e instanceof ApiError && (e.status === 413 || e.status === 415)) {
        setStep('form');
        setErrors({
          file:
            e.status === 413
              ? `文件太大，不能超过 ${formatBytes(MATERIAL_MAX_BYTES)}。`
              : '文件格式不受支持，只能上传 PDF、JPEG 或 PNG。',
        });
      } else {
        setErrors({ general: text });
      }
      announce(`上传未成功：${text}`);
    } finally {
      setBusy(false);
    }
  }

  if (step === 'confirm' && file) {
    return (
      <div className="confirm-step">
        <h3 ref={confirmHeading} tabIndex={-1}>
          确认上传以下材料？
        </h3>
        <dl className="facts">
          <dt>材料名称</dt>
          <dd>{title.trim()}</dd>
          <dt>类别</dt>
          <dd>{label(MATERIAL_KIND_LABELS, kind)}</dd>
          <dt>文件</dt>
          <dd>
            {file.name}（{formatBytes(file.size)}）
          </dd>
        </dl>
        <p>上传后，中心和调解员可以看到这份材料。</p>
        <ConfirmButtons
          busy={busy}
          confirm="确认上传"
          busyText="正在上传…"
          onConfirm={() => void send()}
          back="返回修改"
          onBack={() => setStep('form')}
          error={errors.general ?? null}
        />
      </div>
    );
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setDone(null);
        if (check()) {
          key.current = idempotencyKey();
          setStep('confirm');
        }
      }}
    >
      <p>可以上传证据、身份证明等材料，供中心和调解员查看。</p>
      <label htmlFor={ids.file}>选择文件</label>
      <p className="hint" id={ids.fileHint}>
        PDF、JPEG 或 PNG 格式，每份不超过 {formatBytes(MATERIAL_MAX_BYTES)}。可用手机拍照上传。
      </p>
      <input
        id={ids.file}
        ref={fileInput}
        type="file"
        accept={MATERIAL_ACCEPT}
        aria-describedby={errors.file ? `${ids.fileHint} ${ids.fileError}` : ids.fileHint}
        aria-invalid={errors.file ? true : undefined}
        onChange={(e) => pick(e.target.files?.[0] ?? null)}
      />
      {errors.file ? (
        <p className="error" id={ids.fileError} role="alert">
          {errors.file}
        </p>
      ) : null}
      {file && !errors.file ? (
        <p className="selected-file" data-testid="selected-file">
          已选择：{file.name}，大小 {formatBytes(file.size)}
          {MATERIAL_FORMATS[mediaTypeOf(file) ?? ''] ? `（${MATERIAL_FORMATS[mediaTypeOf(file)!]!.name}）` : ''}
        </p>
      ) : null}

      <label htmlFor={ids.title}>材料名称</label>
      <input
        id={ids.title}
        ref={titleInput}
        type="text"
        autoComplete="off"
        maxLength={MATERIAL_TITLE_MAX}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        aria-describedby={errors.title ? ids.titleError : undefined}
        aria-invalid={errors.title ? true : undefined}
      />
      {errors.title ? (
        <p className="error" id={ids.titleError} role="alert">
          {errors.title}
        </p>
      ) : null}

      <fieldset className="choices">
        <legend>材料类别</legend>
        {KINDS.map((k) => (
          <div className="choice" key={k.value}>
            <input
              type="radio"
              id={`${ids.kind}-${k.value}`}
              name={ids.kind}
              value={k.value}
              checked={kind === k.value}
              onChange={() => setKind(k.value)}
              aria-describedby={`${ids.kind}-${k.value}-hint`}
            />
            <div>
              <label htmlFor={`${ids.kind}-${k.value}`}>{label(MATERIAL_KIND_LABELS, k.value)}</label>
              <p className="hint" id={`${ids.kind}-${k.value}-hint`}>
                {k.hint}
              </p>
            </div>
          </div>
        ))}
      </fieldset>
      <button type="submit" className="primary">
        下一步：核对后上传
      </button>
      {done ? (
        <p role="status" className="done" ref={doneRef} tabIndex={-1}>
          {done}
        </p>
      ) : null}
    </form>
  );
}

function MyMaterials({
  caseId,
  materials,
  error,
  retry,
}: {
  caseId: string;
  materials: Material[] | undefined;
  error: unknown;
  retry: () => void;
}) {
  const [failure, setFailure] = useState<string | null>(null);
  const headingId = useId();

  async function download(m: Material) {
    setFailure(null);
    try {
      await downloadMaterial(caseId, m);
    } catch (e) {
      setFailure(errorText(e, '下载失败，请重试。'));
    }
  }

  return (
    <>
      <h3 id={headingId}>我提交的材料</h3>
      {error ? (
        <div className="error" role="alert">
          <p>材料清单未能加载：{errorText(error, '请检查网络后重试。')}</p>
          <button type="button" className="secondary" onClick={retry}>
            重试
          </button>
        </div>
      ) : !materials ? (
        <p role="status">正在加载…</p>
      ) : materials.length === 0 ? (
        <p>您还没有提交材料。</p>
      ) : (
        <ul className="material-list" aria-labelledby={headingId}>
          {materials.map((m) => (
            <li key={m.materialId}>
              <strong>{m.title}</strong>
              <span className="detail">
                {label(MATERIAL_KIND_LABELS, m.kind)} · {MATERIAL_FORMATS[m.mediaType]?.name ?? m.mediaType} ·{' '}
                {formatBytes(m.sizeBytes)}
              </span>
              <span className="detail">
                提交于 <time dateTime={m.uploadedAt}>{formatDateTime(m.uploadedAt)}</time>
              </span>
              <button type="button" className="link-button inline" onClick={() => void download(m)}>
                下载 {m.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div role="alert" className={failure ? 'error' : undefined}>
        {failure}
      </div>
    </>
  );
}
