/**
 * The API's refusals of an application, placed at the step and the answer they are about: a problem's
 * `errors[].field` (`application.parties[0].idNumber`) becomes the draft's `idNumber` on the step that asked for
 * it, in plain Chinese. The sentences are the console's (console/intake/messages.ts), with the few an applicant
 * reads differently from a clerk.
 */
import { inChinese as clerkChinese } from '../../../console/intake/messages';
import type { Errors, Field } from './steps';

const APPLICANT_SENTENCES: [RegExp, string][] = [
  [
    /^a party under 18 takes part through a guardian/,
    '未满 18 周岁的，须由监护人（如父母）代为申请调解。请监护人到中心服务窗口办理，或拨打 12348 咨询。',
  ],
  [/^the applicant must give the phone number that received the code$/, '须与接收验证码的手机号码一致。'],
  [/^must be the 6-digit code from the SMS$/, '应为短信里的 6 位数字。'],
];

export function inChinese(message: string): string {
  const own = APPLICANT_SENTENCES.find(([pattern]) => pattern.test(message));
  if (own) return own[1];
  const said = clerkChinese(message);
  return /[。；]$/.test(said) || !/[\u4e00-\u9fff]/.test(said) ? said : `${said}。`;
}

/** Which answer of the draft an API field names (applicant first, respondent second: draft.ts toApplication). */
function fieldOf(apiField: string): Field | undefined {
  const f = apiField.replace(/^application\./, '');
  if (f === 'code' || f === 'challengeId') return 'code';
  if (f === 'disputeType') return 'disputeType';
  if (f === 'summary') return 'story';
  if (f === 'claimantLearnedOfHarmOn') return 'learnedOn';
  if (f === 'claimAmountFen') return 'amountYuan';
  // "the applicant must give the phone…" is said about the parties as a whole.
  if (f === 'parties') return 'phone';
  const party = /^parties\[(\d+)\](?:\.(\w+))?/.exec(f);
  if (!party) return undefined;
  const [index, sub] = [Number(party[1]), party[2]];
  if (index === 0)
    return sub === 'name' ? 'name' : sub === 'address' ? 'address' : sub === 'phone' ? 'phone' : 'idNumber';
  return sub === 'phone' ? 'otherPhone' : sub === 'address' ? 'otherAddress' : 'otherName';
}

/** A 400's field errors as the draft's answers; what has no place of its own is returned apart. */
export function placeErrors(errors: { field: string; message: string }[]): { placed: Errors; unplaced: string[] } {
  const placed: Errors = {};
  const unplaced: string[] = [];
  for (const e of errors) {
    const field = fieldOf(e.field);
    if (field && !placed[field]) placed[field] = inChinese(e.message);
    else if (!field) unplaced.push(`${e.field}：${inChinese(e.message)}`);
  }
  return { placed, unplaced };
}
