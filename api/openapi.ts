/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses as is). One catalogue lists every operation; a test checks it against
 * the routes the app really serves.
 */
import { z } from 'zod';
import { applicationSubmitBody, phoneChallengeBody } from './routes/applications.js';
import { challengeBody, emptyBody, loginBody, reminderPhoneBody, verifyBody } from './routes/auth.js';
import { CASE_ACTION_ROUTES, MATERIAL_MAX_BYTES, MATERIAL_MEDIA_TYPES, PROCESS_ACTION_ROUTES, caseViewQuery, intakeSchema, judicialConfirmationBody, materialQuery, notarizationBody } from './schemas.js';
import { ALLOWED_ROLES } from '../domain/case-rules.js';
import { CONFIRMATION_ROLES, NOTARIZATION_ROLES } from '../domain/securing.js';
import { CASE_ACTIONS, CENTER_ACTIONS } from '../domain/access-policy.js';
import { queueQuery } from './routes/queues.js';
import { messagesQuery, webhookBody } from './routes/integration.js';
import { calendarLoadBody, clockSettingsBody } from './routes/supervision.js';

export type Operation = {
  method: 'get' | 'post' | 'put';
  /** OpenAPI style: `/cases/{caseId}`. */
  path: string;
  summary: string;
  tag: string;
  /** none: public; session: a staff or party token, or an institution's API key. */
  auth: 'none' | 'session';
  roles?: readonly string[];
  body?: z.ZodType;
  /** The body is a file, sent as it is, of one of these media types. */
  upload?: { mediaTypes: string[]; maxBytes: number };
  query?: z.ZodType;
  /** The answer on success. */
  success?: { status: number; description: string; contentType?: string };
  idempotent?: boolean;
};

const sha256Query = z.strictObject({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/) });

/** Every operation the API serves. */
export function operations(): Operation[] {
  const action = (path: string, type: string, body: z.ZodType): Operation => ({
    method: 'post',
    path: `/cases/{caseId}/${path}`,
    summary: type.replace(/_/g, ' '),
    tag: 'case actions',
    auth: 'session',
    roles: ALLOWED_ROLES[type as keyof typeof ALLOWED_ROLES],
    body,
    idempotent: true,
  });
  return [
    { method: 'get', path: '/', summary: 'entry points', tag: 'meta', auth: 'none' },
    { method: 'get', path: '/healthz', summary: 'liveness', tag: 'operations', auth: 'none' },
    { method: 'get', path: '/readyz', summary: 'readiness: PostgreSQL and Temporal', tag: 'operations', auth: 'none', success: { status: 200, description: 'ready (503 when a dependency is down)' } },
    { method: 'get', path: '/openapi.json', summary: 'this document', tag: 'meta', auth: 'none' },
    { method: 'get', path: '/metrics', summary: 'Prometheus metrics (route patterns, never personal data)', tag: 'operations', auth: 'none', success: { status: 200, description: 'Prometheus text format', contentType: 'text/plain' } },
    { method: 'post', path: '/auth/login', summary: 'staff login (username and password)', tag: 'identity', auth: 'none', body: loginBody, success: { status: 201, description: 'a session token' } },
    { method: 'post', path: '/auth/logout', summary: 'end this session', tag: 'identity', auth: 'session', body: emptyBody, success: { status: 204, description: 'logged out' } },
    { method: 'get', path: '/auth/me', summary: 'who am I', tag: 'identity', auth: 'session' },
    { method: 'put', path: '/auth/me/reminder-phone', summary: 'a mediator or clerk gives (or withdraws, with null) a phone for reminder texts', tag: 'identity', auth: 'session', roles: CENTER_ACTIONS.setReminderPhone, body: reminderPhoneBody },
    { method: 'post', path: '/auth/party/challenge', summary: "a party's access code: a one-time code goes to the phone on record", tag: 'identity', auth: 'none', body: challengeBody, success: { status: 201, description: 'the challenge' } },
    { method: 'post', path: '/auth/party/verify', summary: "a party's one-time code: a session", tag: 'identity', auth: 'none', body: verifyBody, success: { status: 201, description: 'a session token' } },
    { method: 'post', path: '/auth/api-keys/rotate', summary: "a court's or notary office's new API key (the old one stops working)", tag: 'identity', auth: 'session', roles: ['court', 'notary'], body: emptyBody, success: { status: 201, description: 'the new key, shown once' } },
    { method: 'post', path: '/applications/phone-challenge', summary: 'a party applying online proves the phone', tag: 'intake', auth: 'none', body: phoneChallengeBody, success: { status: 201, description: 'the challenge' } },
    { method: 'post', path: '/applications', summary: "a party's own application (the code from the SMS, and the intake)", tag: 'intake', auth: 'none', body: applicationSubmitBody, success: { status: 201, description: 'the case and an access code' } },
    { method: 'post', path: '/cases', summary: 'register a dispute (clerk: any channel; court: 委派 or 委托 as itself)', tag: 'intake', auth: 'session', roles: ['clerk', 'court'], body: intakeSchema(() => new Date()), success: { status: 201, description: 'the case' }, idempotent: true },
    { method: 'get', path: '/cases/{caseId}', summary: "the case as this principal may see it, from the record (`view` says which state it shows and as of which event; `live=true` asks the running process for at most a second)", tag: 'cases', auth: 'session', query: caseViewQuery },
    { method: 'get', path: '/cases/{caseId}/deadlines', summary: 'every deadline with its rule, citation and computation', tag: 'cases', auth: 'session' },
    { method: 'get', path: '/cases/{caseId}/documents', summary: "the case's documents, every version", tag: 'documents', auth: 'session', roles: CASE_ACTIONS.downloadDocument },
    { method: 'get', path: '/cases/{caseId}/documents/{documentId}', summary: 'download a document (recorded)', tag: 'documents', auth: 'session', roles: CASE_ACTIONS.downloadDocument, success: { status: 200, description: 'the PDF', contentType: 'application/pdf' } },
    { method: 'post', path: '/cases/{caseId}/materials', summary: "a file for the case (the court's 委派/委托 file, evidence), sent as it is; kept once per content and recorded by hash in the case's chain", tag: 'documents', auth: 'session', roles: ALLOWED_ROLES.record_material, query: materialQuery, upload: { mediaTypes: Object.keys(MATERIAL_MEDIA_TYPES), maxBytes: MATERIAL_MAX_BYTES }, success: { status: 201, description: 'the material (200 when this file was already received)' }, idempotent: true },
    { method: 'get', path: '/cases/{caseId}/materials', summary: "the files received for the case", tag: 'documents', auth: 'session', roles: CASE_ACTIONS.readMaterials },
    { method: 'get', path: '/cases/{caseId}/materials/{materialId}', summary: 'download a file received for the case (recorded)', tag: 'documents', auth: 'session', roles: CASE_ACTIONS.readMaterials, success: { status: 200, description: 'the file as it was received', contentType: 'application/octet-stream' } },
    { method: 'get', path: '/cases/{caseId}/parties/{partyId}/personal-data', summary: "a party's full personal data (every field read is recorded)", tag: 'cases', auth: 'session', roles: CASE_ACTIONS.revealPersonalData },
    { method: 'post', path: '/cases/{caseId}/parties/{partyId}/access-code', summary: 'a new access code for a party, shown once and sent by SMS', tag: 'identity', auth: 'session', roles: CASE_ACTIONS.issueAccessCode, body: emptyBody, success: { status: 201, description: 'the code' }, idempotent: true },
    ...Object.entries(CASE_ACTION_ROUTES).map(([path, spec]) => action(path, spec.type, spec.body as z.ZodType)),
    { ...action('judicial-confirmation', 'apply_judicial_confirmation', judicialConfirmationBody), summary: 'apply for judicial confirmation at the venue court (民事诉讼法 Art 205)' },
    { ...action('notarization', 'request_notarization', notarizationBody), summary: 'ask a notary office for notarization with enforcement effect (公证法 Art 37)' },
    ...Object.entries(PROCESS_ACTION_ROUTES).map(([path, spec]) => ({
      ...action(path, spec.type, spec.body as z.ZodType),
      tag: spec.process === 'judicial_confirmation' ? 'judicial confirmation' : 'notarization',
      roles: spec.process === 'judicial_confirmation' ? CONFIRMATION_ROLES[spec.type as keyof typeof CONFIRMATION_ROLES] : NOTARIZATION_ROLES[spec.type as keyof typeof NOTARIZATION_ROLES],
    })),
    { method: 'put', path: '/integration/webhook', summary: "register the court's or notary's webhook; answers the signing secret once", tag: 'integration', auth: 'session', roles: ['court', 'notary'], body: webhookBody },
    { method: 'get', path: '/integration/webhook', summary: 'the registered webhook', tag: 'integration', auth: 'session', roles: ['court', 'notary'] },
    { method: 'get', path: '/integration/messages', summary: 'poll the messages for this institution (deduplicate by deliveryId)', tag: 'integration', auth: 'session', roles: ['court', 'notary'], query: messagesQuery },
    { method: 'get', path: '/integration/deliveries/{deliveryId}/attempts', summary: "every attempt to deliver one message to the webhook", tag: 'integration', auth: 'session', roles: ['court', 'notary'] },
    { method: 'get', path: '/queues/cases', summary: 'the work queue: the cases this principal may see, filtered, by next deadline, with a cursor', tag: 'queues', auth: 'session', query: queueQuery },
    { method: 'get', path: '/supervision/calendar', summary: 'the holiday calendar deadlines are counted with: version, published years, the years ahead counted provisionally', tag: 'supervision', auth: 'session', roles: CENTER_ACTIONS.readCalendar },
    { method: 'post', path: '/supervision/calendar', summary: "load a year's State Council holiday notice; running clocks counted on another version are recounted (DeadlineRecomputed)", tag: 'supervision', auth: 'session', roles: CENTER_ACTIONS.loadCalendar, body: calendarLoadBody, success: { status: 201, description: 'the new calendar version and how many cases were told to recount (200 when nothing changed)' }, idempotent: true },
    { method: 'get', path: '/supervision/organizations/{orgId}/clock-settings', summary: "an organization's own length of people's mediation and reminder lead time, with the defaults", tag: 'supervision', auth: 'session', roles: CENTER_ACTIONS.readClockSettings },
    { method: 'put', path: '/supervision/organizations/{orgId}/clock-settings', summary: "set an organization's length of people's mediation (days) and reminder lead time (working days); null restores the default", tag: 'supervision', auth: 'session', roles: CENTER_ACTIONS.setClockSettings, body: clockSettingsBody },
    { method: 'get', path: '/supervision/sla-breaches', summary: 'deadlines that ran out or are open past due', tag: 'supervision', auth: 'session', roles: CENTER_ACTIONS.readSlaBreaches },
    { method: 'get', path: '/verify/{code}', summary: 'is this document genuine (by its verification code)', tag: 'documents', auth: 'none' },
    { method: 'get', path: '/verify', summary: 'is this document genuine (by its SHA-256)', tag: 'documents', auth: 'none', query: sha256Query },
  ];
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'a URI reference naming the problem, e.g. /problems/validation' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] } },
    rule: { type: 'string', description: 'for 422: the rule that forbids the action' },
    article: { type: 'string', description: 'for 422: the article it rests on' },
    requestId: { type: 'string', description: 'the id of this request in the logs (also the X-Request-Id header)' },
  },
} as const;

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // Input shape (what a client sends); refinements and transforms cannot be expressed and are described.
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

export function openApiDocument(info: { version: string; serverUrl?: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations()) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) {
      const q = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema: schema as { type: string } });
    }
    if (op.idempotent || op.method === 'post') {
      params.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string' },
        // Not in the type of path params, but a valid Parameter Object.
      } as never);
    }
    const success = op.success ?? { status: 200, description: 'OK' };
    const responses: Record<string, unknown> = {
      [String(success.status)]: {
        description: success.description,
        ...(success.status === 204
          ? {}
          : { content: { [success.contentType ?? 'application/json']: { schema: success.contentType ? { type: 'string', contentMediaType: success.contentType } : { type: 'object' } } } }),
      },
      default: { description: 'a problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    };
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: op.summary,
      tags: [op.tag],
      ...(op.roles ? { description: `Roles: ${op.roles.join(', ')}.` } : {}),
      ...(op.auth === 'none' ? { security: [] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      ...(op.upload
        ? { requestBody: { required: true, description: `at most ${op.upload.maxBytes / 2 ** 20} MiB`, content: Object.fromEntries(op.upload.mediaTypes.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }])) } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '一站式非诉讼纠纷化解中心 case workflow API',
      version: info.version,
      description: 'Cases from intake to a secured agreement. Errors are RFC 9457 problem details. Every POST takes an Idempotency-Key. Browsable at /docs/.',
      license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a staff or party session token from /auth/login or /auth/party/verify' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: "a court's or notary office's API key" },
      },
    },
  };
}
