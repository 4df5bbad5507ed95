/**
 * The intake form's side of the API's field errors: where a problem's `errors[].field` (`parties[0].idNumber`)
 * sits in the form, what the field is called in Chinese, and the API's English sentences in Chinese. The
 * ID-number check is the domain's own pure function (GB 11643), so the browser refuses exactly what the
 * server refuses.
 */
import type { NamePath } from 'antd/es/form/interface';
import { idNumberProblem as domainIdNumberProblem } from '../../../../domain/id-number';
import { PARTY_ROLE_LABELS } from '../labels';

/** The API's sentences (api/schemas.ts, domain/id-number.ts) in Chinese; anything else is shown as sent. */
const SENTENCES: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/^must not be empty$/, '不能为空'],
  [/^must be at most (\d+) characters$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^must be 18 characters: 17 digits and a digit or X$/, '应为 18 位：17 位数字，末位为数字或 X'],
  [/^contains an impossible birth date$/, '其中的出生日期不存在'],
  [/^has a wrong check digit \(GB 11643\)$/, '校验位不正确（GB 11643），请核对号码'],
  [/^must be an 11-digit mainland mobile number$/, '应为 11 位手机号码'],
  [/^must be an 18-character unified social credit code$/, '应为 18 位统一社会信用代码'],
  [/^must not be in the future$/, '不能晚于今天'],
  [/^must be a date as YYYY-MM-DD$/, '请填写日期'],
  [/^must be a court code such as/, '应为法院代码，如 粤5202'],
  [/^must be a court case number such as/, '应为法院案号，如 (2026)粤5202民初123号'],
  [/^is required after filing \(委托\)$/, '法院委托调解须填写'],
  [/^is required after filing \(委托\): ordinary or summary$/, '法院委托调解须选择审理程序'],
  [/^is required for channel/, '法院委派、委托的案件须填写法院信息'],
  [/^a dispute needs at least two parties$/, '至少需要两方当事人'],
  [/^needs at least one applicant$/, '至少需要一名申请人'],
  [/^needs at least one respondent$/, '至少需要一名被申请人'],
  [
    /^a party under 18 takes part through a guardian/,
    '未满 18 周岁的当事人须由监护人作为法定代理人代为参加（民法典第十九条至第二十三条）：请在该当事人下按“添加代理人”，填写法定代理人',
  ],
  [/^a legal person has a creditCode/, '组织填写统一社会信用代码，不填身份证号'],
  [/^is not a recognised field$/, '不是可提交的项目'],
];

export function inChinese(message: string): string {
  for (const [pattern, text] of SENTENCES) {
    const m = pattern.exec(message);
    if (m) return typeof text === 'string' ? text : text(m);
  }
  return message;
}

/** GB 11643 as the server checks it (upper-cased and trimmed first), in Chinese; undefined when valid. */
export function idNumberProblem(value: string): string | undefined {
  const problem = domainIdNumberProblem(value.trim().toUpperCase());
  return problem ? inChinese(problem) : undefined;
}

const FIELD_NAMES: Record<string, string> = {
  channel: '登记渠道',
  disputeType: '纠纷类型',
  summary: '纠纷简要情况',
  claimantLearnedOfHarmOn: '知道权利受到侵害的日期',
  learnedOn: '知道权利受到侵害的日期',
  claimAmountYuan: '标的金额',
  claimAmountFen: '标的金额',
  'court.courtCode': '法院代码',
  'court.courtName': '法院名称',
  'court.courtCaseNumber': '法院案号',
  'court.letterNumber': '委派（委托）函号',
  'court.procedure': '审理程序',
  'court.deadline': '法院函定期限',
  court: '法院信息',
  parties: '当事人',
};
const PARTY_FIELD_NAMES: Record<string, string> = {
  role: '身份',
  kind: '类型',
  name: '姓名或名称',
  idNumber: '身份证号',
  creditCode: '统一社会信用代码',
  phone: '手机号码',
  address: '地址',
  representatives: '法定代理人',
};
const REPRESENTATIVE_FIELD_NAMES: Record<string, string> = {
  kind: '类型',
  name: '姓名',
  idNumber: '身份证号',
  phone: '手机号码',
  address: '地址',
};

/** The form's own names for what the body calls otherwise (the amount is typed in yuan, sent in fen). */
const FORM_NAMES: Record<string, NamePath> = {
  claimAmountFen: 'claimAmountYuan',
  claimantLearnedOfHarmOn: 'learnedOn',
};
/** Party fields the form has; a problem about the party's age (its representatives) is shown at its ID number. */
const PARTY_FORM_FIELDS: Record<string, string> = {
  role: 'role',
  kind: 'kind',
  name: 'name',
  idNumber: 'idNumber',
  creditCode: 'creditCode',
  phone: 'phone',
  address: 'address',
  representatives: 'idNumber',
  minorUnder14: 'idNumber',
};

export type FieldProblem = { field: string; name?: NamePath; label: string; message: string };

/** A problem's field error, placed in the form (when the form has that field) and named in Chinese. */
export function placeFieldError(
  e: { field: string; message: string },
  roleOf: (index: number) => string | undefined,
): FieldProblem {
  const message = inChinese(e.message);
  const whoOf = (index: number) => {
    const role = roleOf(index);
    return `当事人 ${index + 1}${role ? `（${PARTY_ROLE_LABELS[role as keyof typeof PARTY_ROLE_LABELS] ?? role}）` : ''}`;
  };
  // A guardian's or agent's own field: parties[1].representatives[0].idNumber.
  const rep = /^parties\[(\d+)\]\.representatives\[(\d+)\](?:\.(\w+))?$/.exec(e.field);
  if (rep) {
    const [index, n, sub] = [Number(rep[1]), Number(rep[2]), rep[3]];
    const known = sub !== undefined && sub in REPRESENTATIVE_FIELD_NAMES;
    return {
      field: e.field,
      ...(known ? { name: ['parties', index, 'representatives', n, sub] } : {}),
      label: `${whoOf(index)}的代理人 ${n + 1}${sub ? ` · ${REPRESENTATIVE_FIELD_NAMES[sub] ?? sub}` : ''}`,
      message,
    };
  }
  const party = /^parties\[(\d+)\](?:\.(\w+))?/.exec(e.field);
  if (party) {
    const index = Number(party[1]);
    const who = whoOf(index);
    const sub = party[2] ? PARTY_FORM_FIELDS[party[2]] : undefined;
    return {
      field: e.field,
      ...(sub ? { name: ['parties', index, sub] } : {}),
      label: `${who}${party[2] ? ` · ${PARTY_FIELD_NAMES[party[2]] ?? party[2]}` : ''}`,
      message,
    };
  }
  // An attached scan's kind or title (checked in the browser only: files go up after registration).
  const material = /^materials\[(\d+)\]\.(kind|title)$/.exec(e.field);
  if (material)
    return {
      field: e.field,
      name: ['materials', Number(material[1]), material[2]!],
      label: `材料 ${Number(material[1]) + 1} · ${material[2] === 'kind' ? '材料类别' : '材料名称'}`,
      message,
    };
  const court = /^court\.(\w+)$/.exec(e.field);
  if (court) return { field: e.field, name: ['court', court[1]!], label: FIELD_NAMES[e.field] ?? e.field, message };
  const top = /^(\w+)$/.exec(e.field);
  if (top && top[1] !== 'parties' && top[1] !== 'court' && top[1] !== '(body)')
    return { field: e.field, name: FORM_NAMES[top[1]!] ?? top[1]!, label: FIELD_NAMES[e.field] ?? e.field, message };
  return { field: e.field, label: FIELD_NAMES[e.field] ?? e.field, message };
}
