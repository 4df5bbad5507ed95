/**
 * 找回查询码: a party who lost the access code gives the case number, their ID number and the phone on record
 * (POST /auth/party/recovery). The browser checks the fields as the server does (api/routes/auth.ts: the ID
 * number by GB 11643, a mainland mobile number); a field the server still refuses (400) is shown at that field.
 * The answer is the same whether anything matched or not, so it never tells whether a case or a person exists;
 * a new code goes only by SMS to the phone on record, and the old code stops working. Too many attempts (429)
 * say when to try again. Errors are read out by a screen reader (role="alert") and focus goes to the first
 * field in error.
 */
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { idNumberProblem } from '../../../../domain/id-number';
import { api, ok } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import { PageHeading } from '../../shared/a11y';

type Field = 'caseNumber' | 'idNumber' | 'phone';
type Errors = Partial<Record<Field, string>>;

const FIELDS: Field[] = ['caseNumber', 'idNumber', 'phone'];

/** The server's sentences (api/schemas.ts, domain/id-number.ts) in Chinese; anything else as sent. */
function inChinese(message: string): string {
  if (/must not be empty/.test(message)) return '不能为空。';
  if (/at most 60 characters/.test(message)) return '不能超过 60 个字。';
  if (/18 characters/.test(message)) return '应为 18 位：17 位数字，末位为数字或 X。';
  if (/impossible birth date/.test(message)) return '其中的出生日期不存在，请核对号码。';
  if (/check digit/.test(message)) return '校验位不正确，请核对号码（GB 11643）。';
  if (/mobile number/.test(message)) return '应为 11 位手机号码。';
  return message;
}

/** As the server reads the fields (api/routes/auth.ts recoveryBody): trimmed, the ID number in capitals. */
function normalized(values: Record<Field, string>): Record<Field, string> {
  return {
    caseNumber: values.caseNumber.trim(),
    idNumber: values.idNumber.trim().toUpperCase(),
    phone: values.phone.trim(),
  };
}

function check(values: Record<Field, string>): Errors {
  const errors: Errors = {};
  if (!values.caseNumber) errors.caseNumber = '请输入案号。';
  else if (values.caseNumber.length > 60) errors.caseNumber = '案号不能超过 60 个字。';
  if (!values.idNumber) errors.idNumber = '请输入身份证号码。';
  else {
    const problem = idNumberProblem(values.idNumber);
    if (problem) errors.idNumber = inChinese(problem);
  }
  if (!values.phone) errors.phone = '请输入手机号码。';
  else if (!/^1[3-9]\d{9}$/.test(values.phone)) errors.phone = '应为 11 位手机号码。';
  return errors;
}

const LABELS: Record<Field, string> = { caseNumber: '案号', idNumber: '身份证号码', phone: '登记的手机号码' };

export function RecoverPage() {
  const [values, setValues] = useState<Record<Field, string>>({ caseNumber: '', idNumber: '', phone: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const refs = {
    caseNumber: useRef<HTMLInputElement>(null),
    idNumber: useRef<HTMLInputElement>(null),
    phone: useRef<HTMLInputElement>(null),
  };

  function focusFirst(found: Errors) {
    const first = FIELDS.find((f) => found[f]);
    if (first) refs[first].current?.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = normalized(values);
    const found = check(body);
    setErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      setError('请按提示修改标出的项目。');
      focusFirst(found);
      return;
    }
    setBusy(true);
    try {
      // The same answer whatever matched: the screen says the fixed sentence, not what the server found.
      await ok(api.POST('/auth/party/recovery', { body }), { login: true });
      setSent(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.explained.fields?.length) {
        const atFields: Errors = {};
        for (const f of err.explained.fields) {
          const name = FIELDS.find((n) => f.field === n || f.field.endsWith(`.${n}`));
          if (name) atFields[name] = inChinese(f.message);
        }
        setErrors(atFields);
        setError('请按提示修改标出的项目。');
        focusFirst(atFields);
      } else if (err instanceof ApiError && err.status === 429) {
        const seconds = err.problem?.retryAfterSeconds;
        setError(
          typeof seconds === 'number'
            ? `尝试次数过多，为保护您的信息暂停找回。请 ${Math.ceil(seconds / 60)} 分钟后再试，或到中心服务窗口办理。`
            : '尝试次数过多，为保护您的信息暂停找回。请稍后再试，或到中心服务窗口办理。',
        );
      } else {
        setError(errorText(err, '未能提交，请稍后重试。'));
      }
    } finally {
      setBusy(false);
    }
  }

  if (sent) {
    return (
      <section className="card">
        <PageHeading title="找回查询码" />
        <p role="status" className="notice">
          如信息与登记一致，新的查询码已发送到登记的手机，原查询码随即失效。请查看短信后用新的查询码登录。
        </p>
        <p className="hint">几分钟内没有收到短信的，请联系中心，或到中心服务窗口办理。</p>
        <p>
          <Link to="/">返回登录</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="card">
      <PageHeading title="找回查询码" />
      <p className="hint">
        查询码就是登录时输入的那串字母和数字。请填写案号、您的身份证号码和在中心登记的手机号码。新的查询码只通过短信发送到登记的手机，原查询码随即失效。
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {FIELDS.map((name) => {
          const hintId = `recover-${name}-hint`;
          const errorId = `recover-${name}-error`;
          const fieldError = errors[name];
          return (
            <div key={name}>
              <label htmlFor={`recover-${name}`}>{LABELS[name]}</label>
              <p className="hint" id={hintId}>
                {name === 'caseNumber'
                  ? '如（2026）揭榕人调字第0001号，在受理通知或短信里。'
                  : name === 'idNumber'
                    ? '18 位，末位可能是 X。'
                    : '11 位手机号码，须与在中心登记的一致。'}
              </p>
              <input
                id={`recover-${name}`}
                ref={refs[name]}
                name={name}
                autoComplete={name === 'phone' ? 'tel' : 'off'}
                inputMode={name === 'phone' ? 'tel' : undefined}
                spellCheck={false}
                maxLength={name === 'caseNumber' ? 60 : name === 'idNumber' ? 18 : 11}
                value={values[name]}
                onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
                aria-describedby={fieldError ? `${hintId} ${errorId}` : hintId}
                aria-invalid={fieldError ? true : undefined}
              />
              {fieldError ? (
                <p id={errorId} className="error">
                  {LABELS[name]}：{fieldError}
                </p>
              ) : null}
            </div>
          );
        })}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '正在提交…' : '找回查询码'}
        </button>
      </form>
      <div role="alert" className={error ? 'error' : undefined}>
        {error ? (
          <>
            <strong>未能继续：</strong>
            {error}
            {Object.keys(errors).length > 0
              ? ` ${FIELDS.filter((f) => errors[f])
                  .map((f) => `${LABELS[f]}：${errors[f]}`)
                  .join(' ')}`
              : null}
          </>
        ) : null}
      </div>
      <p>
        <Link to="/">返回登录</Link>
      </p>
    </section>
  );
}
