/**
 * The OpenAPI document as a client generator and an API gateway read it: two independent linters (Redocly's
 * recommended rules, Spectral's OpenAPI ruleset) report no error, and every request field is bounded
 * (OWASP API4: unrestricted resource consumption). Built directly, without a server.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';
import { describe, expect, it } from 'vitest';
import { fixedWidth, openApiDocument } from '../../api/openapi.js';

type Schema = Record<string, unknown>;
type Operation = {
  tags?: string[];
  description?: string;
  parameters?: Schema[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, Schema>;
};
type Doc = {
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, Schema>>;
};

const doc = openApiDocument({ version: '1.0.0' }) as unknown as Doc;
const source = JSON.stringify(doc, null, 2);
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, method, path, op })),
);
const deref = <T>(node: T): T => {
  const ref = (node as { $ref?: string }).$ref;
  if (!ref) return node;
  const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref)!;
  return doc.components[section!]![name!] as T;
};

describe('the OpenAPI document, linted', () => {
  it("when Redocly's recommended rules check it, then none reports an error", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`)).toEqual([]);
  });

  it("when Spectral's OpenAPI ruleset checks it, then none reports an error", async () => {
    const spectral = new spectralCore.Spectral();
    spectral.setRuleset(spectralRulesets.oas as never);
    const results = await spectral.run(new spectralCore.Document(source, spectralParsers.Json, 'openapi.json'));
    // Severity 0 is an error (1 a warning, 2 information, 3 a hint).
    const errors = results.filter((r) => r.severity === 0);
    expect(errors.map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`)).toEqual([]);
  });
});

/** Every schema node of a request (parameters and bodies), with where it is. */
function requestSchemas(): { where: string; schema: Schema }[] {
  const out: { where: string; schema: Schema }[] = [];
  const walk = (schema: unknown, where: string): void => {
    if (typeof schema !== 'object' || schema === null) return;
    const s = schema as Schema;
    out.push({ where, schema: s });
    for (const key of ['items', 'additionalProperties', 'not']) walk(s[key], `${where}.${key}`);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'])
      (s[key] as unknown[] | undefined)?.forEach((sub, i) => walk(sub, `${where}.${key}[${i}]`));
    for (const [name, sub] of Object.entries((s.properties as Schema | undefined) ?? {})) walk(sub, `${where}.${name}`);
  };
  for (const { id, op } of operations) {
    for (const p of op.parameters ?? []) {
      const param = deref(p) as { name: string; schema: Schema };
      walk(param.schema, `${id} ${param.name}`);
    }
    for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
      if (type === 'application/json') walk(media.schema, `${id} body`);
  }
  return out;
}

describe('the OpenAPI document, read by a gateway', () => {
  it('when every request field is read, then each string has a length limit, each array a size limit and each integer a format and bounds', () => {
    const unbounded: string[] = [];
    for (const { where, schema } of requestSchemas()) {
      const types = [schema.type].flat();
      if (
        types.includes('string') &&
        schema.maxLength === undefined &&
        schema.enum === undefined &&
        schema.const === undefined
      )
        unbounded.push(`${where}: string without maxLength`);
      if (types.includes('array') && schema.maxItems === undefined) unbounded.push(`${where}: array without maxItems`);
      if (
        types.includes('integer') &&
        (schema.format === undefined || schema.minimum === undefined || schema.maximum === undefined)
      )
        unbounded.push(`${where}: integer without format and bounds`);
      if (types.includes('number') && (schema.minimum === undefined || schema.maximum === undefined))
        unbounded.push(`${where}: number without bounds`);
      // A field of any type (the schema says nothing) would take anything.
      if (Object.keys(schema).filter((k) => k !== 'description').length === 0) unbounded.push(`${where}: any value`);
    }
    expect(unbounded).toEqual([]);
  });

  it('when it is read, then it names its servers, and every operation has a described tag, a description, and problem details for its refusals', () => {
    expect(doc.servers?.[0]?.url).toBe('/');
    expect((openApiDocument({ version: '1', serverUrl: 'https://odr.example.org' }) as unknown as Doc).servers).toEqual(
      [expect.objectContaining({ url: 'https://odr.example.org' })],
    );
    const tags = new Map((doc.tags ?? []).map((t) => [t.name, t.description ?? '']));
    for (const { id, op } of operations) {
      expect(op.tags, id).toHaveLength(1);
      expect(tags.get(op.tags![0]!), `${id}: tag ${op.tags![0]} is listed with a description`).toBeTruthy();
      expect(op.description, id).toMatch(/\n\nWho may: /);
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^4|^5|^default$/.test(status) || id === 'GET /readyz' || (id === 'GET /metrics' && status === '401'))
          continue;
        const r = deref(response) as { content: Record<string, { schema: Schema }>; headers?: Record<string, unknown> };
        expect(r.content['application/problem+json']?.schema, `${id} ${status}`).toEqual({
          $ref: '#/components/schemas/Problem',
        });
        if (status === '429' || status === '503') expect(r.headers?.['Retry-After'], `${id} ${status}`).toBeDefined();
      }
    }
  });

  it('when its refusals are read, then they follow what each operation takes and does', () => {
    const statuses = (id: string) => {
      const found = operations.find((o) => o.id === id);
      if (!found) throw new Error(`${id} is not documented`);
      return Object.keys(found.op.responses).filter((s) => s !== 'default' && !s.startsWith('2'));
    };
    expect(statuses('GET /healthz')).toEqual([]);
    expect(statuses('POST /auth/login')).toEqual(['400', '401', '403', '409', '413', '429', '503']);
    expect(statuses('POST /auth/party/challenge')).toContain('429');
    expect(statuses('POST /applications/phone-challenge')).toContain('429');
    expect(statuses('GET /cases/{caseId}/deadlines')).toEqual(['400', '401', '404', '503']);
    expect(statuses('POST /cases/{caseId}/accept')).toEqual(['400', '401', '403', '404', '409', '413', '422', '503']);
    expect(statuses('POST /cases/{caseId}/materials')).toEqual([
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '422',
      '503',
    ]);
    // A case action's 503 includes the action no worker took up in time.
    const accept = doc.paths['/cases/{caseId}/accept']!.post!;
    expect(JSON.stringify(deref(accept.responses['503']!))).toContain('/problems/action-not-taken-up');
  });

  it('when the Idempotency-Key and the downloads are read, then they say what the server does', () => {
    const key = doc.components.parameters!.IdempotencyKey as { schema: Schema };
    expect(key.schema).toEqual({ type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]{1,200}$' });
    const material = doc.paths['/cases/{caseId}/materials/{materialId}']!.get!.responses['200'] as {
      content: Record<string, unknown>;
    };
    expect(Object.keys(material.content).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    const document = doc.paths['/cases/{caseId}/documents/{documentId}']!.get!.responses['200'] as {
      content: Record<string, unknown>;
    };
    expect(Object.keys(document.content)).toEqual(['application/pdf']);
    const status = doc.paths['/queues/cases']!.get!.parameters!.map(deref).find((p) => p.name === 'status') as {
      schema: Schema;
      style: string;
      explode: boolean;
    };
    expect(status).toMatchObject({ style: 'form', explode: false, schema: { type: 'array', minItems: 1 } });
  });

  it.each([
    ['^\\d{6}$', 6],
    ['^1[3-9]\\d{9}$', 11],
    ['^[\\u4e00-\\u9fff]\\d{2,6}$', 7],
    ['^\\d{4}-\\d{2}-\\d{2}$', 10],
    ['^\\d+$', undefined],
    ['^(a|b)$', undefined],
    ['\\d{6}', undefined],
  ])('when the pattern %s bounds a string, then its implied maximum length is %s', (pattern, width) => {
    expect(fixedWidth(pattern)).toBe(width);
  });
});
