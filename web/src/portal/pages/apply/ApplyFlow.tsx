/**
 * 申请调解 (/portal/apply): a person with no case yet applies online, one question per step
 * (/portal/apply/<step>), then reviews everything as HTML, submits, and gets a receipt with the case number and
 * the access code. The answers are a draft on this device (draft.ts) until the application is registered; the
 * files stay in memory. Loaded lazily: the login's first screen does not carry it.
 */
import { useCallback, useEffect, useRef, useState, type JSX } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, idempotencyKey, ok } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { PageHeading, announce } from '../../../shared/a11y';
import { useSession } from '../../session';
import { clearDraft, EMPTY_DRAFT, hasAnswers, loadDraft, saveDraft, type Draft } from './draft';
import type { PickedFile } from './files';
import { FilesBody } from './FilesBody';
import { placeErrors } from './messages';
import {
  AddressBody,
  AskBody,
  CodeBody,
  ContactBody,
  IdBody,
  NameBody,
  OtherBody,
  PhoneBody,
  StoryBody,
  TypeBody,
  WhenBody,
  type BodyProps,
} from './questions';
import { ReceiptView } from './ReceiptView';
import { ReviewBody } from './ReviewBody';
import { StepFrame } from './StepFrame';
import { check, firstIncomplete, STEPS, stepIndex, stepOf, stepOfField, type Errors, type StepName } from './steps';
import { register, uploadAll, type Receipt } from './submit';
import './apply.css';

/**
 * The last receipt, in memory only: signing in with the answered session swaps the portal's routes, and the
 * receipt must still be there (shown once, never stored).
 */
let lastReceipt: Receipt | null = null;

const QUESTIONS: Record<Exclude<StepName, 'review'>, { question: string; intro?: string }> = {
  phone: { question: '您的手机号码是多少？', intro: '先验证手机号码：中心会发一条带 6 位数字验证码的短信。' },
  code: { question: '请输入短信验证码' },
  type: { question: '您遇到的是哪一类纠纷？', intro: '选最接近的一项；每一项下面写了它包括哪些事。' },
  name: { question: '您叫什么名字？' },
  id: { question: '您的身份证号码是多少？' },
  address: { question: '您住在哪里？' },
  other: { question: '和您发生纠纷的是谁？', intro: '“对方”就是您要和他调解的人或单位。' },
  contact: { question: '怎样联系对方？', intro: '中心会联系对方，问对方是否愿意调解。' },
  story: { question: '发生了什么事？' },
  when: {
    question: '您是哪一天知道自己的权益受到损害的？',
    intro: '如对方约定还钱却没还的那天、发现漏水的那天。这个日期关系到法律上的时效。',
  },
  ask: { question: '您希望对方怎么做？' },
  files: { question: '有没有要给中心看的材料？', intro: '可以不选，直接下一步。' },
};

const BODIES: Partial<Record<StepName, (p: BodyProps) => JSX.Element>> = {
  phone: PhoneBody,
  type: TypeBody,
  name: NameBody,
  id: IdBody,
  address: AddressBody,
  other: OtherBody,
  contact: ContactBody,
  story: StoryBody,
  when: WhenBody,
  ask: AskBody,
};

function challengeError(e: unknown): string {
  if (e instanceof ApiError && e.status === 429) {
    const seconds = e.problem?.retryAfterSeconds;
    return `验证码发送次数过多，为保护您的手机号码暂停发送。请${typeof seconds === 'number' ? ` ${Math.ceil(seconds / 60)} 分钟后` : '稍后'}再试，或到中心服务窗口办理。`;
  }
  return errorText(e, '未能发送验证码，请检查网络后重试。');
}

export default function ApplyFlow() {
  const { step: stepParam } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { principal, adopt } = useSession();
  const [draft, setDraft] = useState<Draft>(() => loadDraft() ?? EMPTY_DRAFT);
  const [picked, setPicked] = useState<PickedFile[]>([]);
  // The files chosen before a reload: only their names survived.
  const [lost, setLost] = useState<Draft['files']>(() => loadDraft()?.files ?? []);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(lastReceipt);
  const submitKey = useRef(idempotencyKey());
  const fromReview = search.get('back') === 'review';

  // The receipt is for this visit of the flow: once the applicant has left it, the access code is not shown again.
  useEffect(
    () => () => {
      lastReceipt = null;
    },
    [],
  );

  // Every change is kept on this device at once; nothing is kept before the first answer.
  useEffect(() => {
    if (!receipt && hasAnswers(draft))
      saveDraft({
        ...draft,
        files:
          picked.length > 0 ? picked.map((p) => ({ name: p.file.name, sizeBytes: p.file.size, kind: p.kind })) : lost,
      });
  }, [draft, picked, lost, receipt]);

  const set = useCallback((patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    // A corrected answer is no longer refused; the others keep their reasons until checked again.
    setErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(patch)) delete next[k as keyof Errors];
      return next;
    });
  }, []);

  const go = useCallback(
    (to: StepName | '', opts: { backToReview?: boolean } = {}) => {
      setFormError(null);
      void navigate(to ? `/apply/${to}${opts.backToReview ? '?back=review' : ''}` : '/apply');
    },
    [navigate],
  );

  const clear = useCallback(() => {
    if (!window.confirm('确定要清除草稿吗？已填写的内容会从这部手机上删除。')) return;
    clearDraft();
    setDraft(EMPTY_DRAFT);
    setPicked([]);
    setLost([]);
    setErrors({});
    announce('草稿已清除。');
    void navigate('/apply');
  }, [navigate]);

  /** Asks for a code to the draft's phone; on success the code step asks for it. */
  const sendCode = useCallback(
    async (opts: { backToReview?: boolean } = {}) => {
      setBusy(true);
      setFormError(null);
      try {
        const challenge = await ok(api.POST('/applications/phone-challenge', { body: { phone: draft.phone.trim() } }));
        setDraft((d) => ({ ...d, challenge: { ...challenge, phone: d.phone.trim() }, code: '' }));
        // The old code's refusal is about the old code.
        setErrors(({ code: _old, ...rest }) => rest);
        announce(`验证码已发送到 ${challenge.sentTo}。`);
        go('code', opts);
      } catch (e) {
        if (e instanceof ApiError && e.status === 400 && e.explained.fields?.length) {
          setErrors(placeErrors(e.explained.fields).placed);
          setFormError('请按提示修改手机号码。');
          go('phone');
        } else setFormError(challengeError(e));
      } finally {
        setBusy(false);
      }
    },
    [draft.phone, go],
  );

  const submit = useCallback(async () => {
    // Everything checked once more as the API will, and the first problem's step opened.
    for (const s of STEPS) {
      const found = check(s.name, draft);
      if (Object.keys(found).length > 0 || (s.name === 'code' && !draft.challenge)) {
        setErrors(found);
        setFormError(`“${s.title}”还需要修改，请按“修改”。`);
        return;
      }
    }
    setBusy(true);
    setFormError(null);
    try {
      const registered = await register(draft, submitKey.current);
      clearDraft();
      const token = registered.session?.token;
      const uploads =
        token && picked.length > 0
          ? await uploadAll(registered.caseId, token, picked)
          : picked.map((p) => ({ name: p.file.name, ok: false }));
      lastReceipt = { registered, phone: draft.phone.trim(), uploads };
      setReceipt(lastReceipt);
      setDraft(EMPTY_DRAFT);
      setPicked([]);
      setLost([]);
      void navigate('/apply/receipt', { replace: true });
      // Signed in as the new case's party: the navigation appears above the receipt.
      if (token && registered.session) await adopt(token, registered.session.expiresAt).catch(() => undefined);
    } catch (e) {
      // A definite answer frees the key: the corrected application is another request.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) submitKey.current = idempotencyKey();
      if (e instanceof ApiError && e.status === 401) {
        setErrors({
          code: '验证码不正确或已失效。请核对短信里的 6 位数字；还是不对的，请按“重新获取验证码”，填入新短信里的验证码后再提交。',
        });
        go('code', { backToReview: true });
      } else if (e instanceof ApiError && e.status === 400 && e.explained.fields?.length) {
        const { placed, unplaced } = placeErrors(e.explained.fields);
        setErrors(placed);
        const first = (Object.keys(placed) as (keyof Errors)[])[0];
        if (first) go(stepOfField(first).name, { backToReview: true });
        setFormError(
          unplaced.length > 0
            ? `${e.explained.message} ${unplaced.join('；')}`
            : '有内容需要修改，请按提示修改后再提交。',
        );
      } else {
        setFormError(errorText(e, '未能提交，请检查网络后重试；您填写的内容仍保存在这部手机上。'));
      }
    } finally {
      setBusy(false);
    }
  }, [adopt, draft, go, navigate, picked]);

  // Once submitted, the flow shows only the receipt (the address follows a moment later: navigations are
  // transitions, and the emptied draft must not send anyone back to the first step meanwhile).
  if (receipt) return <ReceiptView receipt={receipt} signedIn={Boolean(principal)} />;
  if (stepParam === 'receipt') return <Navigate to="/apply" replace />;
  if (!stepParam) return <Start draft={draft} onClear={clear} />;
  const step = stepOf(stepParam);
  if (!step) return <Navigate to="/apply" replace />;
  // A step after the phone needs the SMS challenge first.
  if (stepIndex(step.name) > stepIndex('code') && !draft.challenge) return <Navigate to="/apply/phone" replace />;
  if (step.name === 'code' && !draft.challenge) return <Navigate to="/apply/phone" replace />;

  const index = stepIndex(step.name);
  const previous = STEPS[index - 1]?.name;
  const following = STEPS[index + 1]?.name;
  const focusFirstError = (found: Errors) => {
    const first = step.fields.find((f) => found[f]);
    if (first) window.setTimeout(() => document.getElementById(`apply-${first}`)?.focus(), 0);
  };

  const next = () => {
    if (step.name === 'review') return void submit();
    const found = check(step.name, draft);
    setErrors((e) => {
      const kept = { ...e };
      for (const f of step.fields) delete kept[f];
      return { ...kept, ...found };
    });
    if (Object.keys(found).length > 0) {
      setFormError('请按提示修改标出的项目。');
      focusFirstError(found);
      return;
    }
    setFormError(null);
    if (step.name === 'phone') {
      // The same phone with a code still valid: no second SMS.
      const valid =
        draft.challenge &&
        Date.parse(draft.challenge.expiresAt) > Date.now() &&
        draft.challenge.phone === draft.phone.trim();
      if (!valid) return void sendCode({ backToReview: fromReview });
    }
    if (fromReview) return go('review');
    if (following) go(following);
  };

  const common = { draft, set, errors };
  const frame = {
    step: step.name,
    onNext: next,
    busy,
    error: formError,
    onClearDraft: clear,
    onBack: fromReview ? () => go('review') : previous ? () => go(previous) : () => go(''),
  };
  const nextLabel = busy ? '请稍候…' : fromReview ? '保存，回到核对' : '下一步';

  if (step.name === 'review') {
    return (
      <StepFrame
        {...frame}
        question="请核对您的申请"
        intro="下面是您填写的全部内容。哪一项不对，按它下面的“修改”。"
        nextLabel={busy ? '正在提交…' : '提交申请'}
      >
        <ReviewBody
          draft={draft}
          picked={picked}
          lost={lost}
          errors={errors}
          edit={(s) => go(s, { backToReview: true })}
          onResend={() => void sendCode({ backToReview: true })}
          resending={busy}
        />
      </StepFrame>
    );
  }
  const { question, intro } = QUESTIONS[step.name];
  const Body = BODIES[step.name];
  return (
    <StepFrame
      {...frame}
      question={question}
      intro={intro}
      nextLabel={step.name === 'phone' && !fromReview ? (busy ? '正在发送…' : '获取短信验证码') : nextLabel}
    >
      {step.name === 'code' ? (
        <CodeBody
          {...common}
          onResend={() => void sendCode({ backToReview: fromReview })}
          onChangePhone={() => go('phone')}
          resending={busy}
        />
      ) : step.name === 'files' ? (
        <FilesBody picked={picked} setPicked={setPicked} lost={lost} forgetLost={() => setLost([])} />
      ) : Body ? (
        <Body {...common} />
      ) : null}
    </StepFrame>
  );
}

/** The first screen: what the application asks for, and the draft kept on this device, if any. */
function Start({ draft, onClear }: { draft: Draft; onClear(): void }) {
  const resume = hasAnswers(draft);
  return (
    <section className="card apply">
      <PageHeading title="申请调解" />
      <p>没有案件、想请中心帮忙调解的，可以在这里申请。一共十几个问题，每页一个，大约需要 10 分钟。</p>
      <h2>请准备好</h2>
      <ul>
        <li>您的手机（接收短信验证码）</li>
        <li>您的身份证号码</li>
        <li>对方的姓名或单位名称，以及手机号码或地址</li>
        <li>有的话，借条、合同、照片等材料（拍照即可）</li>
      </ul>
      <p className="hint">申请调解不收费。提交前可以核对和修改全部内容。</p>
      {resume ? (
        <>
          <p className="notice" role="status">
            这部手机上有一份没填完的申请（草稿），可以接着填。
          </p>
          <Link className="button-link primary" to={`/apply/${firstIncomplete(draft)}`}>
            继续填写
          </Link>
          <button type="button" className="secondary" onClick={onClear}>
            清除草稿，重新开始
          </button>
        </>
      ) : (
        <Link className="button-link primary" to="/apply/phone">
          开始申请
        </Link>
      )}
      <p>
        <Link to="/">已经有查询码？去登录</Link>
      </p>
    </section>
  );
}
