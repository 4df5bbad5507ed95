/**
 * The application's steps, one question each, in order; the step's name is the only thing in the address
 * (/portal/apply/<step>). Each step checks its own answers as the API will (api/schemas.ts intakeSchema, the
 * ID number by the domain's own GB 11643 check), so most mistakes are found on the step where they were made,
 * not after submitting.
 */
import { ageOn, birthDateOf, idNumberProblem } from '../../../../../domain/id-number';
import { fenOf, isoDay, type Draft } from './draft';
import { inChinese } from './messages';

export type StepName =
  | 'phone'
  | 'code'
  | 'type'
  | 'name'
  | 'id'
  | 'address'
  | 'other'
  | 'contact'
  | 'story'
  | 'when'
  | 'ask'
  | 'files'
  | 'review';
export type Field = Exclude<keyof Draft, 'challenge' | 'files'> | 'files';
export type Errors = Partial<Record<Field, string>>;

export type Step = {
  name: StepName;
  /** What the review and the progress line call it. */
  title: string;
  /** The draft's answers this step asks for (where a refusal about them is shown). */
  fields: Field[];
};

export const STEPS: Step[] = [
  { name: 'phone', title: '手机号码', fields: ['phone'] },
  { name: 'code', title: '短信验证码', fields: ['code'] },
  { name: 'type', title: '纠纷类型', fields: ['disputeType'] },
  { name: 'name', title: '您的姓名', fields: ['name'] },
  { name: 'id', title: '您的身份证号码', fields: ['idNumber'] },
  { name: 'address', title: '您的住址', fields: ['address'] },
  { name: 'other', title: '对方是谁', fields: ['otherKind', 'otherName'] },
  { name: 'contact', title: '怎样联系对方', fields: ['otherPhone', 'otherAddress'] },
  { name: 'story', title: '发生了什么', fields: ['story'] },
  { name: 'when', title: '什么时候知道的', fields: ['learnedOn'] },
  { name: 'ask', title: '您的请求', fields: ['ask', 'amountYuan'] },
  { name: 'files', title: '材料', fields: ['files'] },
  { name: 'review', title: '核对并提交', fields: [] },
];

export const stepOf = (name: string | undefined): Step | undefined => STEPS.find((s) => s.name === name);
export const stepIndex = (name: StepName): number => STEPS.findIndex((s) => s.name === name);
export const stepOfField = (field: Field): Step =>
  STEPS.find((s) => s.fields.includes(field)) ?? STEPS[STEPS.length - 1]!;

/** Today in China (YYYY-MM-DD), whatever the phone's own time zone. */
export const chinaToday = (now = new Date()): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);

const MOBILE = /^1[3-9]\d{9}$/;
/** As the API bounds the fields; the summary (5000) holds what happened and the request together. */
export const MAX = { name: 200, address: 500, story: 4000, ask: 900 } as const;

function text(value: string, max: number, empty: string): string | undefined {
  const v = value.trim();
  if (!v) return empty;
  if (v.length > max) return `不能超过 ${max} 个字（现在 ${v.length} 个字）。`;
  return undefined;
}

/** What is wrong with the answers of one step; empty when it may go on. */
export function check(step: StepName, d: Draft, today = chinaToday()): Errors {
  const e: Errors = {};
  const set = (field: Field, message: string | undefined) => {
    if (message) e[field] = message;
  };
  switch (step) {
    case 'phone':
      set(
        'phone',
        !d.phone.trim()
          ? '请输入您的手机号码。'
          : MOBILE.test(d.phone.trim())
            ? undefined
            : '应为 11 位手机号码，如 13812345678。',
      );
      break;
    case 'code':
      set('code', /^\d{6}$/.test(d.code.trim()) ? undefined : '请输入短信里的 6 位数字验证码。');
      break;
    case 'type':
      set('disputeType', d.disputeType ? undefined : '请选择一种纠纷类型；不确定时选最后一项“民事纠纷”。');
      break;
    case 'name':
      set('name', text(d.name, MAX.name, '请输入您的姓名。'));
      break;
    case 'id': {
      const v = d.idNumber.trim().toUpperCase();
      if (!v) set('idNumber', '请输入您的身份证号码。');
      else {
        const problem = idNumberProblem(v);
        if (problem) set('idNumber', inChinese(problem));
        // A minor applies through a guardian (民法典 Arts 19-23): online the form has no place for one.
        else if (ageOn(birthDateOf(v), today) < 18) set('idNumber', UNDER_18);
      }
      break;
    }
    case 'address':
      set('address', text(d.address, MAX.address, '请输入您的住址，中心会按这个地址寄送文书。'));
      break;
    case 'other':
      set(
        'otherName',
        text(d.otherName, MAX.name, d.otherKind === 'legal' ? '请输入对方单位的名称。' : '请输入对方的姓名。'),
      );
      break;
    case 'contact':
      if (!d.otherPhone.trim() && !d.otherAddress.trim())
        set('otherPhone', '请至少填写对方的手机号码或地址中的一项，中心才能联系对方。');
      else {
        if (d.otherPhone.trim() && !MOBILE.test(d.otherPhone.trim()))
          set('otherPhone', '应为 11 位手机号码；不知道的可以不填。');
        if (d.otherAddress.trim().length > MAX.address) set('otherAddress', `不能超过 ${MAX.address} 个字。`);
      }
      break;
    case 'story':
      set('story', text(d.story, MAX.story, '请简单写一写发生了什么事。'));
      break;
    case 'when': {
      const day = isoDay(d.learnedOn);
      if (!day)
        set(
          'learnedOn',
          '请填写完整的日期：年份 4 位数字，月份 1 到 12，日子是那个月里有的一天。记不清具体哪天的，填大概的日子。',
        );
      else if (day > today) set('learnedOn', '日期不能晚于今天。');
      break;
    }
    case 'ask':
      set('ask', text(d.ask, MAX.ask, '请写一写您希望对方怎么做。'));
      if (d.amountYuan.trim() && fenOf(d.amountYuan) === undefined)
        set('amountYuan', '请只写数字，如 12000 或 12000.50；不涉及钱的可以不填。');
      // As the API bounds an amount (at most 10^14 fen).
      else if ((fenOf(d.amountYuan) ?? 0) > 1e14) set('amountYuan', '金额太大，请核对。');
      break;
    default:
      break;
  }
  return e;
}

export const UNDER_18 =
  '未满 18 周岁的，须由监护人（如父母）代为申请调解。请监护人带上户口簿到中心服务窗口办理，或拨打 12348 咨询。';

/** The first step whose answers are not complete: where 继续填写 takes the applicant. */
export function firstIncomplete(d: Draft): StepName {
  for (const s of STEPS) {
    if (
      s.name === 'code'
        ? !d.challenge || Object.keys(check('code', d)).length > 0
        : Object.keys(check(s.name, d)).length > 0
    )
      return s.name;
  }
  return 'review';
}
