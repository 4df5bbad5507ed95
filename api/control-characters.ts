/**
 * What text the API takes: no id, code or filter it knows holds a control character, and PostgreSQL's text and
 * jsonb cannot hold a NUL. A URL carrying a control character percent-encoded (%00–%1F, %7F), or a JSON body with a
 * NUL in any key or string, is refused with a 400 naming where, before any route reads it or starts a process with
 * it (a NUL would otherwise fail only when the record is written, after the workflow has started).
 */
import type { RequestHandler } from 'express';
import { fieldPath, problems } from './problem.js';

const CONTROL_CHARACTER = /%(?:[01][0-9a-f]|7f)/i;
const MESSAGE = 'must not contain control characters';

export const refuseControlCharacters: RequestHandler = (req, _res, next) => {
  const field = inUrl(req.originalUrl) ?? inBody(req.body, []);
  next(field === undefined ? undefined : problems.validation([{ field, message: MESSAGE }]));
};

/** `(path)`, the query parameter's name, or undefined for a clean URL. */
function inUrl(url: string): string | undefined {
  const [path = '', query = ''] = url.split('?', 2);
  if (CONTROL_CHARACTER.test(path)) return '(path)';
  const pair = query.split('&').find((p) => CONTROL_CHARACTER.test(p));
  if (pair === undefined) return undefined;
  const name = pair.split('=', 1)[0]!;
  return CONTROL_CHARACTER.test(name) ? '(query)' : decoded(name);
}

function decoded(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return '(query)';
  }
}

/** The path of the first key or string holding a NUL (`parties[0].name`), or undefined. */
function inBody(value: unknown, at: (string | number)[]): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? fieldPath(at) || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = inBody(v, [...at, i]);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = k.includes('\u0000') ? fieldPath(at) || '(body)' : inBody(v, [...at, k]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
