/**
 * A 400's field errors (RFC 9457 problem details, api/problems.ts) shown at the fields they name, in Chinese, so
 * the person corrects the field and what they typed stays; anything else is shown above the buttons.
 */
import type { FormInstance } from 'antd';
import { ApiError, errorText } from '../../../api/problems';

/** The server's English sentence for a field, as a person reads it. */
export function fieldMessage(message: string): string {
  const max = /at most (\d+) characters/.exec(message);
  if (max) return `不能超过 ${max[1]} 个字`;
  if (/must not be empty/.test(message)) return '不能为空';
  if (/must not be in the future/.test(message)) return '不能晚于今天';
  if (/YYYY-MM-DD|date/.test(message)) return '请按 年-月-日 填写日期';
  if (/control characters/.test(message)) return '不能含有控制字符';
  if (/is required|Required/.test(message)) return '此项必填';
  return `填写有误（${message}）`;
}

/** Puts each named field's error on that field; true when every error had a field of the form to go to. */
export function showFieldErrors(form: FormInstance, error: unknown, known: readonly string[]): boolean {
  if (!(error instanceof ApiError) || !error.explained.fields?.length) return false;
  const fields = error.explained.fields.filter((f) => known.includes(f.field));
  form.setFields(fields.map((f) => ({ name: f.field, errors: [fieldMessage(f.message)] })));
  return fields.length === error.explained.fields.length;
}

/** What a failed form says above its buttons: for a 400 the fields say the rest, anything else in full. */
export function formErrorText(error: unknown, fallback: string): string {
  if (error instanceof ApiError && error.explained.fields?.length) return error.explained.message;
  return errorText(error, fallback);
}
