/**
 * Every answer the end-to-end suite reads is checked against the OpenAPI document: a 2xx JSON body against its
 * operation's declared response (the zod schema in api/responses.ts the document is generated from), a
 * problem+json body against the document's Problem. Strictly: a key the document does not list fails too, so
 * the document cannot fall behind the server unnoticed. ODR_SKIP_RESPONSE_CHECK=1 turns it off while debugging.
 */
import { z } from 'zod';
import { openApiDocument } from '../../api/openapi.js';
import { RESPONSES } from '../../api/responses.js';

type Doc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: { Problem: unknown } };
};

const doc = openApiDocument({ version: 'response-check' }) as unknown as Doc;

// The test process reads its own switch (the app's config module is for the app's variables).
const skipped = () => process.env.ODR_SKIP_RESPONSE_CHECK === '1';

type Operation = { name: string; key: string; method: string; pattern: RegExp; params: number; jsonSchema: unknown };

/** The document's operations, with a pattern for their paths; literal segments win over parameters. */
const OPERATIONS: Operation[] = Object.entries(doc.paths)
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const success = Object.entries(op.responses).find(([status]) => /^2\d\d$/.test(status))?.[1];
      const pattern = new RegExp(
        `^${path
          .split(/\{\w+\}/)
          .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+')}$`,
      );
      return {
        name: `${method.toUpperCase()} ${path}`,
        key: `${method} ${path}`,
        method: method.toUpperCase(),
        pattern,
        params: (path.match(/\{/g) ?? []).length,
        jsonSchema: success?.content?.['application/json']?.schema,
      };
    }),
  )
  .sort((a, b) => a.params - b.params);

/**
 * The same schema with every object closed: unknown keys are refused. An object that is open on purpose
 * (`z.looseObject`, a catchall) stays open, unless `closeAll` (a schema converted from JSON Schema, where
 * "open" is only the default).
 */
function strict(schema: z.ZodType, closeAll: boolean, seen = new Map<z.ZodType, z.ZodType>()): z.ZodType {
  const done = seen.get(schema);
  if (done) return done;
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const deep = (s: unknown) => strict(s as z.ZodType, closeAll, seen);
  const clone = (changes: Record<string, unknown>) =>
    (schema as unknown as { clone(def: unknown): z.ZodType }).clone({ ...def, ...changes });
  let out: z.ZodType;
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(
        Object.entries(def.shape as Record<string, unknown>).map(([k, v]) => [k, deep(v)]),
      );
      const open =
        def.catchall !== undefined && (def.catchall as { _zod: { def: { type: string } } })._zod.def.type !== 'never';
      out = clone({ shape, catchall: open && !closeAll ? def.catchall : z.never() });
      break;
    }
    case 'array':
      out = clone({ element: deep(def.element) });
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      out = clone({ innerType: deep(def.innerType) });
      break;
    case 'union':
      out = clone({ options: (def.options as unknown[]).map(deep) });
      break;
    case 'intersection':
      out = clone({ left: deep(def.left), right: deep(def.right) });
      break;
    case 'record':
      out = clone({ valueType: deep(def.valueType) });
      break;
    case 'tuple':
      out = clone({ items: (def.items as unknown[]).map(deep), rest: def.rest ? deep(def.rest) : def.rest });
      break;
    case 'pipe':
      out = clone({ in: deep(def.in), out: deep(def.out) });
      break;
    case 'lazy': {
      const getter = def.getter as () => z.ZodType;
      out = clone({ getter: () => deep(getter()) });
      break;
    }
    default:
      out = schema;
  }
  seen.set(schema, out);
  return out;
}

const successSchemas = new Map<string, z.ZodType>();
function successSchema(op: Operation): z.ZodType {
  let s = successSchemas.get(op.key);
  if (!s) {
    const declared = RESPONSES[op.key];
    // Nothing declared: the document says only what its JSON Schema says (an object, today).
    s = declared ? strict(declared, false) : z.fromJSONSchema(op.jsonSchema as never);
    successSchemas.set(op.key, s);
  }
  return s;
}

let problemSchema: z.ZodType | undefined;
const problem = () => (problemSchema ??= strict(z.fromJSONSchema(doc.components.schemas.Problem as never), true));

/** Where in the body, as `a.b[0].c`. */
const at = (path: PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}${acc ? '.' : ''}${String(p)}`),
    '',
  ) || '(body)';

/** The value found at a path, shortened: what the server really sent there. */
function valueAt(body: unknown, path: PropertyKey[]): string {
  let v: unknown = body;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** Issues as lines; a union that matched no option reports the option that came closest. */
function describeIssues(issues: readonly z.core.$ZodIssue[], body: unknown, prefix: PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      return describeIssues(closest, body, path);
    }
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map(
        (k) => `at ${at([...path, k])}: a key the document does not list (value ${valueAt(body, [...path, k])})`,
      );
    return [`at ${at(path)}: ${issue.message} (value ${valueAt(body, path)})`];
  });
}

/**
 * Throws when a response does not match the document: the operation, where in the body, and what is wrong.
 * `url`: the URL that answered (a path will do).
 */
export function checkResponse(
  method: string,
  url: string,
  status: number,
  contentType: string | null,
  body: unknown,
): void {
  if (skipped() || body === undefined) return;
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  // As the server saw it: `..` resolved, no query (`url` may be the answer's own absolute URL).
  const pathname = new URL(url, 'http://response-check.invalid').pathname.replace(/(.)\/$/, '$1');
  const op = OPERATIONS.find((o) => o.method === method.toUpperCase() && o.pattern.test(pathname));
  const name = op?.name ?? `${method.toUpperCase()} ${pathname}`;
  let schema: z.ZodType;
  let what: string;
  if (mediaType === 'application/problem+json') {
    schema = problem();
    what = 'a problem (components/schemas/Problem)';
  } else if (mediaType === 'application/json' && status >= 200 && status < 300) {
    if (!op)
      throw new Error(
        `response check: ${name} answered ${status} with JSON, but the OpenAPI document has no such operation`,
      );
    if (op.jsonSchema === undefined)
      throw new Error(
        `response check: ${name} answered ${status} with JSON, but the OpenAPI document declares no JSON answer for it`,
      );
    schema = successSchema(op);
    what = 'the success answer declared for it';
  } else {
    return;
  }
  const result = schema.safeParse(body);
  if (result.success) return;
  const lines = describeIssues(result.error.issues, body);
  throw new Error(
    `response check: ${name} answered ${status} with a body that does not match ${what} in the OpenAPI document:\n  ${lines.join('\n  ')}\n` +
      `(fix api/responses.ts or the server; ODR_SKIP_RESPONSE_CHECK=1 skips this check while debugging)`,
  );
}
