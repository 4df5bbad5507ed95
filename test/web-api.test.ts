/**
 * The console's generated files match the API they were generated from: a change to a route's schema, a
 * response or a domain label without `npm run web:api` fails here (and so in CI), not in a clerk's browser.
 * Also the one place that turns the API's problem details into Chinese (web/src/api/problems.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ACTION_FORMS_FILE,
  generateActionFormsFile,
  generateSchema,
  generateVocabulary,
  SCHEMA_FILE,
  VOCABULARY_FILE,
} from '../scripts/web-api.js';
import { actionForms } from '../scripts/web-action-forms.js';
import { ACTION_BODIES } from '../web/src/api/vocabulary.js';
import { ApiError, explain } from '../web/src/api/problems.js';

/** Where two texts first differ, as a short message (the schema is too long to diff in a test report). */
function firstDifference(onDisk: string, fresh: string): string | undefined {
  if (onDisk === fresh) return undefined;
  const a = onDisk.split('\n');
  const b = fresh.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: on disk ${JSON.stringify(a[at] ?? '(end)')}, generated ${JSON.stringify(b[at] ?? '(end)')}`;
}

describe('the web client generated from the API', () => {
  it('when the OpenAPI document is generated again, then web/src/api/schema.d.ts is the same (else run npm run web:api)', async () => {
    const difference = firstDifference(readFileSync(SCHEMA_FILE, 'utf8'), await generateSchema());
    expect(difference, 'web/src/api/schema.d.ts is stale: run `npm run web:api` and commit it').toBeUndefined();
  });

  it("when the domain's labels and the actions' bodies are read again, then web/src/api/vocabulary.ts is the same (else run npm run web:api)", () => {
    const difference = firstDifference(readFileSync(VOCABULARY_FILE, 'utf8'), generateVocabulary());
    expect(difference, 'web/src/api/vocabulary.ts is stale: run `npm run web:api` and commit it').toBeUndefined();
  });

  it("when the actions' zod schemas are read again, then web/src/api/action-forms.ts is the same (else run npm run web:api)", () => {
    const difference = firstDifference(readFileSync(ACTION_FORMS_FILE, 'utf8'), generateActionFormsFile());
    expect(difference, 'web/src/api/action-forms.ts is stale: run `npm run web:api` and commit it').toBeUndefined();
  });

  it("when the forms are read from the zod schemas, then they cover every action the OpenAPI document has, with the same fields, and the domain's labels", () => {
    const forms = actionForms();
    expect(Object.keys(forms).sort()).toEqual(Object.keys(ACTION_BODIES).sort());
    for (const [path, body] of Object.entries(ACTION_BODIES)) {
      expect(forms[path]!.map((f) => f.name).sort(), path).toEqual([...body.fields]);
      expect(
        forms[path]!.filter((f) => f.required)
          .map((f) => f.name)
          .sort(),
        path,
      ).toEqual([...body.required]);
    }
    const sessions = Object.fromEntries(forms.sessions!.map((f) => [f.name, f]));
    expect(sessions.at).toMatchObject({ kind: 'datetime', required: true });
    expect(sessions.record).toMatchObject({ kind: 'textarea', maxLength: 20_000 });
    expect(sessions.mode).toMatchObject({
      kind: 'enum',
      options: [{ value: 'in_person' }, { value: 'video' }, { value: 'phone' }],
    });
    const reason = forms.termination!.find((f) => f.name === 'reason')!;
    expect(reason.options).toContainEqual({
      value: 'positions_too_far_apart',
      label: '当事人分歧较大且难以达成调解协议',
    });
    expect(forms.termination!.find((f) => f.name === 'failureReport')).toMatchObject({
      kind: 'object',
      required: false,
    });
    const content = forms['agreement/drafts']![0]!;
    expect(content.fields!.find((f) => f.name === 'terms')).toMatchObject({ kind: 'array-of-object', minItems: 1 });
    expect(forms['agreement/signatures']!.find((f) => f.name === 'signer')).toMatchObject({
      kind: 'uuid',
      alsoOptions: [{ value: 'mediator' }, { value: 'organization_seal' }],
    });
    expect(forms.screening![0]).toMatchObject({ kind: 'array-of-enum', maxItems: 10 });
  });
});

describe('the API refusals as a person reads them', () => {
  it('when a rule refuses an action (422), then the message is Chinese and names the rule and its article', () => {
    const e = new ApiError(422, {
      type: '/problems/rule-violation',
      title: 'A rule forbids this action',
      status: 422,
      detail: 'the dispute is already before a court',
      rule: 'already_before_authority',
      article: '人民调解法第十八条',
      requestId: 'r-1',
    });
    expect(e.message).toBe('依照规定，此操作现在不能办理。');
    expect(e.explained).toMatchObject({
      rule: 'already_before_authority',
      article: '人民调解法第十八条',
      requestId: 'r-1',
    });
  });

  it('when a login is refused (401), then it is the credentials; when a session is refused, then it has expired', () => {
    expect(explain(401, { type: '/problems/unauthenticated' }, { login: true }).message).toBe('用户名或密码错误。');
    expect(explain(401, { type: '/problems/unauthenticated' }).message).toBe('登录已过期，请重新登录。');
  });

  it('when fields are not valid (400), then each is listed; when the case moved on (409), then the person is told to refresh', () => {
    expect(
      explain(400, { type: '/problems/validation-error', errors: [{ field: 'note', message: 'too long' }] }).fields,
    ).toEqual([{ field: 'note', message: 'too long' }]);
    expect(explain(409, { type: '/problems/wrong-state' }).message).toContain('刷新');
    expect(explain(0, undefined).message).toContain('无法连接');
    expect(explain(429, { type: '/problems/too-many-attempts', retryAfterSeconds: 900 }).message).toContain('15 分钟');
  });
});
