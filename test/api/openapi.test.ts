/**
 * The OpenAPI document: valid OpenAPI 3.1 by a third-party validator, and the same operations the app
 * really serves, each accepting what its schema describes and refusing what it does not.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let clerk: Credentials;
type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
  >;
};
let doc: Doc;

beforeAll(async () => {
  stack = await startStack();
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen']!;
  doc = (await stack.send(undefined, 'GET', '/openapi.json')).body as Doc;
});
afterAll(async () => {
  await stack?.close();
});

/** Every (method, path) the Express app routes, with `:param` written as `{param}`. */
function servedRoutes(): string[] {
  const out: string[] = [];
  const walk = (
    stack: {
      rawPath?: string;
      route?: { path: string; methods: Record<string, boolean> };
      handle: { stack?: unknown[] };
    }[],
    prefix: string,
  ) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods))
          if (m !== '_all')
            out.push(`${m} ${(prefix + layer.route.path).replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack as never, prefix + (layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : ''));
      }
    }
  };
  walk((stack.app as unknown as { router: { stack: never[] } }).router.stack, '');
  return [...new Set(out)].sort();
}

const documented = () =>
  Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path.replace(/(.)\/$/, '$1')}`))
    .sort();

describe('the OpenAPI document', () => {
  it('when it is checked by a third-party validator, then it is valid OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.valid, JSON.stringify(result.errors ?? null).slice(0, 3000)).toBe(true);
  });

  it('when it is compared with the routes the app serves, then each lists exactly the other', () => {
    // The docs page (mounted as a plain middleware) is not an API operation.
    const served = servedRoutes().filter((r) => !r.startsWith('get /docs'));
    expect(documented()).toEqual(served);
  });

  it('when an action is sent an empty body, then the fields its schema requires are named in the 400', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', {
      channel: 'walk_in',
      disputeType: 'loan_debt',
      summary: '借款纠纷',
      claimantLearnedOfHarmOn: '2026-03-01',
      parties: [
        { role: 'applicant', kind: 'natural', name: '张三' },
        { role: 'respondent', kind: 'natural', name: '李四' },
      ],
    });
    const caseId = created.body.caseId as string;
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      const required = ops.post?.requestBody?.content['application/json']?.schema.required ?? [];
      if (!path.startsWith('/cases/{caseId}/') || path.includes('{partyId}') || required.length === 0) continue;
      const res = await stack.send(clerk, 'POST', path.replace('{caseId}', caseId), {});
      // A clerk may not take every action (403), but whatever reaches the schema names what is missing.
      if (res.status === 403) continue;
      expect(res.status, `${path}: ${res.text}`).toBe(400);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      for (const f of required) expect(fields, path).toContain(f);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(10);
  });

  /** A schema, with a reference to a shared one (`#/components/schemas/…`) followed. */
  const resolve = <T>(schema: T | undefined): T | undefined => {
    const ref = (schema as { $ref?: string } | undefined)?.$ref;
    if (!ref) return schema;
    return (doc as unknown as { components: { schemas: Record<string, T> } }).components.schemas[
      ref.replace('#/components/schemas/', '')
    ];
  };

  it('when a client is generated from it, then every JSON answer has a declared shape, not just "an object"', () => {
    type Op = { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };
    const bare: string[] = [];
    let declared = 0;
    for (const [path, ops] of Object.entries(doc.paths as unknown as Record<string, Record<string, Op>>)) {
      for (const [method, op] of Object.entries(ops)) {
        // Downloads (a PDF, a file, metrics text) and 204s have no JSON body to describe.
        const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
        for (const [status, response] of success) {
          const schema = resolve(response.content?.['application/json']?.schema);
          if (!schema) continue;
          // A body is described when the schema names its members (properties), or its alternatives.
          const described = (s: Record<string, unknown>): boolean =>
            (typeof s.properties === 'object' && s.properties !== null && Object.keys(s.properties).length > 0) ||
            (['anyOf', 'oneOf', 'allOf'] as const).some(
              (k) =>
                Array.isArray(s[k]) &&
                (s[k] as Record<string, unknown>[]).length > 0 &&
                (s[k] as Record<string, unknown>[]).every((x) => described(resolve(x)!)),
            );
          if (described(schema)) declared += 1;
          else bare.push(`${method} ${path} ${status}: ${JSON.stringify(schema)}`);
        }
      }
    }
    expect(bare, 'declare these in api/responses.ts').toEqual([]);
    expect(declared).toBeGreaterThan(50);
  });

  it('when the answers of the case view are read, then each lists the same documented fields', () => {
    type Schema = { properties?: Record<string, unknown>; required?: string[]; anyOf?: Schema[] };
    const answer = (method: string, path: string) =>
      (
        doc.paths[path] as unknown as Record<
          string,
          { responses: Record<string, { content: Record<string, { schema: Schema }> }> }
        >
      )[method]!.responses;
    const json = (r: Record<string, { content: Record<string, { schema: Schema }> }>) =>
      resolve(
        Object.values(r).find((x) => x.content?.['application/json'])!.content['application/json']!.schema,
      ) as Schema;
    const view = json(answer('get', '/cases/{caseId}'));
    // The view: its freshness, its events, and (soon) the actions the case offers, which a client may not rely on yet.
    expect(view.required).toEqual(
      expect.arrayContaining(['caseId', 'caseNumber', 'status', 'statusLabel', 'view', 'events']),
    );
    expect(Object.keys(view.properties!)).toContain('actions');
    expect(view.required).not.toContain('actions');
    for (const [path, method] of [
      ['/cases/{caseId}/accept', 'post'],
      ['/cases/{caseId}/agreement/signatures', 'post'],
    ] as const)
      expect(json(answer(method, path))).toEqual(view);
    // Registration and a securing process's steps answer the view, or with 202 what is still being recorded.
    for (const path of ['/cases', '/cases/{caseId}/judicial-confirmation/acceptance']) {
      const alternatives = json(answer('post', path)).anyOf ?? [];
      expect(resolve(alternatives[0]), path).toEqual(view);
      expect(alternatives[1]?.required, path).toEqual(expect.arrayContaining(['caseId', 'recorded', 'detail']));
    }
  });

  it('when the docs page is opened, then it and its scripts come from this server only', async () => {
    const page = await fetch(`${stack.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js'])
      expect((await fetch(`${stack.url}/docs/${asset}`)).status).toBe(200);
    // Only the page's own assets: other files of the package are not served.
    for (const other of ['package.json', 'index.html', 'swagger-initializer.js'])
      expect((await fetch(`${stack.url}/docs/${other}`)).status).toBe(404);
  });
});
