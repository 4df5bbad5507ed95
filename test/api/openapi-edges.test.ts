/**
 * The OpenAPI document against the real server: every bound it documents on a request (a string's length,
 * an array's size, an integer's range) is sent on both sides, to every operation, generated from the
 * document itself. A value at the bound is not refused; one past it is refused with a 400 naming the field.
 * Each generated request also carries a field no schema knows, so none is ever carried out: whatever passes
 * is a 400 for that field alone. A few requests at the bounds are then carried out in full.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../api/openapi.js';
import { effectiveAgreement } from '../support/drive.js';
import { courtDelegation, fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type HttpResult, type Stack } from '../support/stack.js';

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
};
type Parameter = { name: string; in: string; schema: Schema; $ref?: string };
type Op = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };
type Doc = { paths: Record<string, Record<string, Op>>; components: { parameters: Record<string, Parameter> } };

let stack: Stack;
let doc: Doc;
const as: Record<string, Credentials> = {};
/** The case each role reaches its operations on (a notary sees a case only once a notarization is sent to it). */
const caseOf: Record<string, { caseId: string; partyId: string }> = {};

beforeAll(async () => {
  stack = await startStack();
  doc = (await stack.send(undefined, 'GET', '/openapi.json')).body as Doc;
  const { who } = await stack.loginAll(['clerk.chen', 'mediator.wu', 'supervisor.zheng', 'legalaid.xu']);
  Object.assign(as, {
    clerk: who['clerk.chen'],
    mediator: who['mediator.wu'],
    supervisor: who['supervisor.zheng'],
    legal_aid_officer: who['legalaid.xu'],
  });
  as.court = { apiKey: stack.apiKeys['court-5202']! };
  as.notary = { apiKey: stack.apiKeys['notary-jieyang']! };
  // A case the court delegated, with a legal-aid application and a mediator: every role but the notary sees it.
  let applicant = '';
  const { caseId, respondent, act } = await effectiveAgreement(stack, {
    intake: courtDelegation(),
    beforeAccept: async (id) => {
      const view = await stack.send(as.clerk, 'GET', `/cases/${id}`);
      applicant = view.body.parties[0].partyId;
      const aid = await stack.send(as.clerk, 'POST', `/cases/${id}/legal-aid`, {
        partyId: applicant,
        basis: 'national_good_samaritan',
      });
      expect(aid.status, aid.text).toBe(200);
    },
  });
  for (const role of ['clerk', 'mediator', 'court', 'legal_aid_officer', 'supervisor'])
    caseOf[role] = { caseId, partyId: applicant };
  // Notarization sent: the notary office sees the case.
  await act(as.clerk, 'notarization', {
    notaryId: 'notary-jieyang',
    creditorPartyId: applicant,
    debtorPartyId: respondent,
    obligation: 'money',
  });
  await act(as.clerk, 'notarization/signatures', { partyId: applicant, method: 'handwritten' });
  await act(as.clerk, 'notarization/signatures', { partyId: respondent, method: 'handwritten' });
  expect((await stack.send(as.notary, 'GET', `/cases/${caseId}`)).status).toBe(200);
  caseOf.notary = { caseId, partyId: applicant };
  // The applicant, logged in: the party's own operations (a rating, its 追评).
  as.party = await stack.partyLogin(as.clerk, caseId, applicant);
  caseOf.party = { caseId, partyId: applicant };
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

/** The first role, in this order, that may take the operation (the catalogue's roles). */
const PREFERRED = ['clerk', 'mediator', 'court', 'notary', 'legal_aid_officer', 'supervisor', 'party'];
function principalFor(method: string, path: string): string | undefined {
  const op = operations().find((o) => o.method === method && o.path === path);
  if (!op || op.auth === 'none') return undefined;
  return op.roles ? PREFERRED.find((r) => op.roles!.includes(r)) : 'clerk';
}

type Edge = { field: string; value: unknown; accepted: boolean; why: string };
const UUID = '00000000-0000-4000-8000-000000000000';
/** Values a domain rule checks beyond the pattern: a valid one of exactly this length. */
const VALID: Record<string, (length: number) => string> = {
  idNumber: () => fictionalIdNumber(),
  courtCaseNumber: (length) => `(2026)粤5202民初${'1'.repeat(length - 14)}号`,
};

/** A string the schema takes, of this length (undefined when none can be made). */
function stringOf(schema: Schema, length: number, name: string): string | undefined {
  if (VALID[name]) return VALID[name](length);
  if (schema.format === 'uuid') return length === 36 ? UUID : undefined;
  if (schema.format === 'date') return length === 10 ? '2000-01-01' : undefined;
  // A month (YYYY-MM): the pattern's alternation is more than fromPattern makes.
  if (schema.pattern === '^\\d{4}-(0[1-9]|1[0-2])$') return length === 7 ? '2000-01' : undefined;
  if (schema.format === 'date-time')
    return length >= 20 ? `2026-07-01T09:30:00.${'1'.repeat(length - 26)}+08:00` : undefined;
  if (schema.format === 'uri') return `https://example.org/${'a'.repeat(length - 20)}`;
  const plain = 'x'.repeat(length);
  if (typeof schema.pattern !== 'string') return plain;
  const candidate = fromPattern(schema.pattern, length) ?? plain;
  return new RegExp(schema.pattern, 'u').test(candidate) ? candidate : undefined;
}

/** The longest string a fixed-width pattern matches, one character of each piece (digits as 1). */
function fromPattern(pattern: string, length: number): string | undefined {
  let out = '';
  const piece =
    /^(\\d|\\u([0-9a-fA-F]{4})|\[(\\u([0-9a-fA-F]{4})|.)[^\]]*\]|[^\\[\](){}|*+?.^$])(?:\{(\d+)(?:,(\d+))?\})?/;
  for (let rest = pattern.replace(/^\^|\$$/g, ''); rest;) {
    const m = piece.exec(rest);
    if (!m) return undefined;
    const char =
      m[1] === '\\d'
        ? '1'
        : m[2]
          ? String.fromCharCode(parseInt(m[2], 16))
          : m[4]
            ? String.fromCharCode(parseInt(m[4], 16))
            : (m[3] ?? m[1]!);
    out += char.repeat(Number(m[6] ?? m[5] ?? 1));
    rest = rest.slice(m[0].length);
  }
  return out.length === length ? out : undefined;
}

/** An item the array takes (its fields may be missing: that is another field's error). */
function itemOf(schema: Schema | undefined, i: number): unknown {
  if (!schema) return 'x';
  if (schema.enum) return schema.enum[i % schema.enum.length];
  if (schema.type === 'object') return {};
  if (schema.type === 'integer') return schema.minimum ?? 1;
  if (schema.type === 'string') return stringOf(schema, Number(schema.maxLength ?? 1), '') ?? 'x';
  return 'x';
}

/** Both sides of every bound under this schema. */
function edgesOf(schema: Schema, field: string, out: Edge[]): Edge[] {
  const name = field.split(/[.[]/).at(-1)!;
  for (const branch of schema.anyOf ?? []) edgesOf(branch, field, out);
  const type = schema.type;
  if (type === 'string' && typeof schema.maxLength === 'number' && !schema.enum) {
    const max = schema.maxLength;
    const at = stringOf(schema, max, name);
    if (at === undefined)
      throw new Error(`${field}: no value of ${max} characters can be made for ${JSON.stringify(schema)}`);
    out.push(
      { field, value: at, accepted: true, why: `${max} characters` },
      {
        field,
        value: schema.format === 'date-time' ? at.replace('.', '.1') : `${at}1`,
        accepted: false,
        why: `${max + 1} characters`,
      },
    );
    const min = Number(schema.minLength ?? 0);
    if (min > 0 && min < max && !schema.pattern && !schema.format && !VALID[name]) {
      out.push(
        { field, value: 'x'.repeat(min), accepted: true, why: `${min} characters` },
        { field, value: 'x'.repeat(min - 1), accepted: false, why: `${min - 1} characters` },
      );
    }
  }
  if (type === 'array' && typeof schema.maxItems === 'number') {
    const items = (n: number) => Array.from({ length: n }, (_, i) => itemOf(schema.items, i));
    out.push(
      { field, value: items(schema.maxItems), accepted: true, why: `${schema.maxItems} items` },
      { field, value: items(schema.maxItems + 1), accepted: false, why: `${schema.maxItems + 1} items` },
    );
    const min = Number(schema.minItems ?? 0);
    if (min > 0)
      out.push(
        { field, value: items(min), accepted: true, why: `${min} items` },
        { field, value: items(min - 1), accepted: false, why: `${min - 1} items` },
      );
  }
  if (type === 'integer') {
    const { minimum, maximum } = schema as { minimum: number; maximum: number };
    out.push(
      { field, value: minimum, accepted: true, why: `the minimum ${minimum}` },
      { field, value: maximum, accepted: true, why: `the maximum ${maximum}` },
      { field, value: minimum - 1, accepted: false, why: `${minimum - 1}, below the minimum` },
      { field, value: maximum + 1, accepted: false, why: `${maximum + 1}, above the maximum` },
    );
  }
  for (const [key, sub] of Object.entries(schema.properties ?? {})) edgesOf(sub, field ? `${field}.${key}` : key, out);
  if (schema.items) edgesOf(schema.items, `${field}[0]`, out);
  return out;
}

/** `{}` with `value` at `parties[0].name`. */
function withValueAt(base: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const root = structuredClone(base);
  const keys = field
    .split(/\.|\[(\d+)\]/)
    .filter((k) => k !== undefined && k !== '')
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node: Record<string | number, unknown> = root;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else node = (node[key] ??= typeof keys[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
  });
  return root;
}

const deref = (p: Parameter) => (p.$ref ? doc.components.parameters[p.$ref.split('/').at(-1)!]! : p);
const fieldsNamed = (res: HttpResult) => ((res.body?.errors ?? []) as { field: string }[]).map((e) => e.field);

describe('the documented bounds of every request', () => {
  it('when each is sent at the bound and one past it, then the server takes the one and refuses the other with a 400 naming the field', async () => {
    const wrong: string[] = [];
    let sent = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const role = principalFor(method, path);
        const target = caseOf[role ?? 'clerk']!;
        const url = path
          .replace('{caseId}', target.caseId)
          .replace('{partyId}', target.partyId)
          .replace('{orgId}', 'center')
          .replace(/\{\w+\}/g, UUID);
        const send = (query: Record<string, unknown>, body: unknown) => {
          const qs = new URLSearchParams(
            Object.entries(query).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(',') : String(v)]),
          ).toString();
          return stack.send(role ? as[role] : undefined, method.toUpperCase(), `${url}?${qs}`, body);
        };
        // Each request also carries `__edge`, which every schema refuses: nothing is carried out.
        const cases: { where: 'query' | 'body'; edge: Edge }[] = [];
        for (const p of (op.parameters ?? []).map(deref).filter((p) => p.in === 'query'))
          for (const edge of edgesOf(p.schema, p.name, [])) cases.push({ where: 'query', edge });
        const body = op.requestBody?.content['application/json']?.schema;
        if (body) for (const edge of edgesOf(body, '', [])) cases.push({ where: 'body', edge });
        // The online application is checked as an intake only once its outer fields pass.
        const outer = { challengeId: UUID, code: '111111' };
        const baseOf = (field: string) =>
          path !== '/applications'
            ? { __edge: true }
            : field.startsWith('application.')
              ? { ...outer, application: { __edge: true } }
              : outer;
        for (const { where, edge } of cases) {
          const res =
            where === 'query'
              ? await send({ __edge: 1, [edge.field]: edge.value }, undefined)
              : await send({}, withValueAt(baseOf(edge.field), edge.field, edge.value));
          sent += 1;
          const named = fieldsNamed(res);
          const label = `${method.toUpperCase()} ${path} ${edge.field} = ${edge.why}`;
          if (res.status !== 400) wrong.push(`${label}: ${res.status} ${res.text.slice(0, 200)}`);
          // Taken: refused only for other fields (the marker, or fields left out), never for this one.
          else if (edge.accepted && (named.includes(edge.field) || named.length === 0))
            wrong.push(`${label}: refused ${res.text.slice(0, 300)}`);
          else if (!edge.accepted && !named.includes(edge.field))
            wrong.push(`${label}: not refused ${res.text.slice(0, 300)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(sent).toBeGreaterThan(300);
  });
});

describe('requests at the bounds, carried out', () => {
  const maxKey = Array.from({ length: 200 }, (_, i) => String.fromCharCode(0x21 + (i % 94))).join('');

  it('when a case is registered at the bounds with an Idempotency-Key of 200 visible characters, then it is a 201, and the key is the same case when sent again', async () => {
    const body = partyApplication({ summary: '借'.repeat(5000), claimAmountFen: 1e14 });
    (body.parties as { name: string }[])[0]!.name = '张'.repeat(200);
    const first = await stack.send(as.clerk, 'POST', '/cases', body, { 'Idempotency-Key': maxKey });
    expect(first.status, first.text).toBe(201);
    const again = await stack.send(as.clerk, 'POST', '/cases', body, { 'Idempotency-Key': maxKey });
    expect(again.body.caseId).toBe(first.body.caseId);
  });

  it.each([
    ['201 characters', `${maxKey}x`],
    ['empty', ''],
    ['a space in it', 'two words'],
    ['a character outside ASCII', 'schlüssel'],
  ])('when the Idempotency-Key is %s, then it is a 400 naming Idempotency-Key', async (_what, key) => {
    const res = await stack.send(as.clerk, 'POST', '/cases', partyApplication(), { 'Idempotency-Key': key });
    expect(res.status, res.text).toBe(400);
    expect(fieldsNamed(res)).toEqual(['Idempotency-Key']);
  });

  it('when the queue is asked with every status and the largest limit and period, then it answers; an empty status= is a 400 naming status', async () => {
    const status = (
      doc.paths['/queues/cases']!.get!.parameters!.map(deref).find((p) => p.name === 'status')!.schema.items as Schema
    ).enum!.join(',');
    const full = await stack.send(as.clerk, 'GET', `/queues/cases?status=${status}&limit=200&dueWithinDays=3650`);
    expect(full.status, full.text).toBe(200);
    const empty = await stack.send(as.clerk, 'GET', '/queues/cases?status=');
    expect(empty.status).toBe(400);
    expect(fieldsNamed(empty)).toEqual(['status']);
  });

  it('when a court polls after the largest message id with the largest page, then it answers an empty page', async () => {
    const res = await stack.send(as.court, 'GET', `/integration/messages?after=${Number.MAX_SAFE_INTEGER}&limit=200`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.messages).toEqual([]);
  });

  it('when a path id is longer than the document allows, then it is a 404 like any unknown id', async () => {
    const { caseId } = caseOf.clerk!;
    expect((await stack.send(as.clerk, 'GET', `/cases/${caseId}0`)).status).toBe(404);
    expect((await stack.send(as.clerk, 'GET', `/cases/${caseId}/materials/${UUID}0`)).status).toBe(404);
    expect((await stack.send(undefined, 'GET', '/verify/ABCDE-FGHIJK')).status).toBe(404);
  });
});
