/**
 * 核对: every answer as the center will read it, in plain HTML, each with 修改 to go back to its step (and from
 * there straight back here). What is still missing is said at its item, so the applicant is never sent
 * through all the steps again. The SMS code is checked only now, by the API: when it has run out meanwhile
 * (it lasts a few minutes), a new one is asked for here.
 */
import { DISPUTE_TYPE_LABELS } from '../../../shared/labels';
import { formatBytes } from '../../../shared/files';
import { formatDay, formatFen } from '../../../shared/format';
import { fenOf, isoDay, type Draft } from './draft';
import type { PickedFile } from './files';
import { KIND_CHOICES } from './files';
import { useExpired } from './questions';
import { STEPS, check, type Errors, type StepName } from './steps';

type Props = {
  draft: Draft;
  picked: PickedFile[];
  lost: Draft['files'];
  errors: Errors;
  edit(step: StepName): void;
  onResend(): void;
  resending: boolean;
};

const none = <span className="missing">（未填写）</span>;

function answerOf(step: StepName, d: Draft, picked: PickedFile[], lost: Draft['files'], expired: boolean) {
  switch (step) {
    case 'phone':
      return d.phone || none;
    case 'code':
      if (expired) return <span className="missing">已过期，需要重新获取</span>;
      return d.code ? `已填写（${d.code.length} 位数字）` : none;
    case 'type':
      return d.disputeType ? DISPUTE_TYPE_LABELS[d.disputeType] : none;
    case 'name':
      return d.name || none;
    case 'id':
      return d.idNumber.toUpperCase() || none;
    case 'address':
      return d.address || none;
    case 'other':
      return d.otherName ? `${d.otherName}（${d.otherKind === 'legal' ? '单位' : '个人'}）` : none;
    case 'contact':
      return (
        <>
          手机：{d.otherPhone || '未填'}
          <br />
          地址：{d.otherAddress || '未填'}
        </>
      );
    case 'story':
      return d.story ? <span className="prewrap">{d.story}</span> : none;
    case 'when':
      return isoDay(d.learnedOn) ? formatDay(isoDay(d.learnedOn)) : none;
    case 'ask': {
      const fen = fenOf(d.amountYuan);
      return (
        <>
          {d.ask ? <span className="prewrap">{d.ask}</span> : none}
          <br />
          涉及金额：{fen !== undefined ? formatFen(fen) : '未填'}
        </>
      );
    }
    case 'files':
      if (picked.length === 0)
        return lost.length > 0 ? (
          <span className="missing">
            刷新后需要重新选择文件（{lost.map((f) => f.name).join('、')}）；不选也可以提交，以后再补。
          </span>
        ) : (
          '没有选择文件（以后可以补充）'
        );
      return (
        <ul>
          {picked.map((p) => (
            <li key={p.id}>
              {p.file.name}（{KIND_CHOICES.find((k) => k.kind === p.kind)?.label}，{formatBytes(p.file.size)}）
            </li>
          ))}
        </ul>
      );
    default:
      return null;
  }
}

export function ReviewBody({ draft, picked, lost, errors, edit, onResend, resending }: Props) {
  const expired = useExpired(draft.challenge?.expiresAt);
  return (
    <>
      {expired ? (
        <div className="notice code-expired">
          <p>
            <strong>验证码已过期：</strong>
            短信验证码只在几分钟内有效。请按下面的按钮重新获取，收到短信后填入新的验证码，再回来提交。
          </p>
          <button type="button" className="secondary" onClick={onResend} disabled={resending}>
            {resending ? '正在发送…' : '重新获取验证码'}
          </button>
        </div>
      ) : null}
      <ul className="review">
        {STEPS.filter((s) => s.name !== 'review').map((s) => {
          const problem = s.fields.map((f) => errors[f]).find(Boolean) ?? Object.values(check(s.name, draft))[0];
          return (
            <li key={s.name} className={problem ? 'review-item has-problem' : 'review-item'}>
              <h2>{s.title}</h2>
              <div className="review-answer">{answerOf(s.name, draft, picked, lost, expired)}</div>
              {problem ? <p className="error field-error">需要修改：{problem}</p> : null}
              <button type="button" className="secondary review-edit" onClick={() => edit(s.name)}>
                修改<span className="sr-only">{s.title}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className="hint">
        请核对以上内容。按“提交申请”即表示您确认内容真实；提交后不能在网上修改，需要更正的请联系中心。
      </p>
    </>
  );
}
