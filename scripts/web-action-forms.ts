/**
 * Part of `npm run web:api` (scripts/web-api.ts): `web/src/api/action-forms.ts`, what the console's generic
 * action form needs to know of each case action's request body, read from the zod schemas the API parses it
 * with (api/schemas.ts, the input shape): per path under /cases/{caseId}/, its fields with their kind, whether
 * the schema requires them, their bounds, and for an enum its values with the Chinese label where the domain
 * has one. Nested objects (the failure report, the agreement's content) and lists of objects (its terms) keep
 * their own fields, so the form shows them as a fieldset.
 */
import { z } from 'zod';
import {
  CASE_ACTION_ROUTES,
  contactBody,
  contactPhoneChallengeBody,
  judicialConfirmationBody,
  notarizationBody,
  PROCESS_ACTION_ROUTES,
} from '../api/schemas.js';
import { LEGAL_REPRESENTATIVE_LABELS, NOT_ACCEPTED_REASONS, TERMINATION_REASONS } from '../domain/case.js';
import { LEGAL_AID_BASES, PRIORITY_GROUPS } from '../domain/screening.js';
import {
  NOT_ACCEPTED_GROUNDS,
  NOTARY_PAUSE_REASONS,
  NOTARY_REFUSAL_GROUNDS,
  REJECTION_GROUNDS,
  VENUE_GROUNDS,
} from '../domain/securing.js';

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'enum'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'uuid'
  | 'array-of-enum'
  | 'array-of-text'
  | 'array-of-uuid'
  | 'array-of-object'
  | 'object';

export type FieldDescriptor = {
  name: string;
  kind: FieldKind;
  required: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  /** An enum's values (for array-of-enum: its items'), with the domain's Chinese label where it has one. */
  options?: { value: string; label?: string }[];
  /** A uuid that may also be one of these words (`signer`: a party, or `mediator`, `organization_seal`). */
  alsoOptions?: { value: string; label?: string }[];
  /** object, array-of-object: the fields inside. */
  fields?: FieldDescriptor[];
};

/** The bodies, by path under /cases/{caseId}/, as the API parses them (api/openapi.ts documents the same). */
export function actionBodies(): Record<string, z.ZodType> {
  return {
    ...Object.fromEntries(Object.entries(CASE_ACTION_ROUTES).map(([path, spec]) => [path, spec.body as z.ZodType])),
    'judicial-confirmation': judicialConfirmationBody,
    notarization: notarizationBody,
    'parties/contact': contactBody,
    'parties/contact/phone-challenge': contactPhoneChallengeBody,
    ...Object.fromEntries(Object.entries(PROCESS_ACTION_ROUTES).map(([path, spec]) => [path, spec.body as z.ZodType])),
  };
}

const labelsOf = (table: Record<string, string | { label: string }>): Record<string, string> =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [k, typeof v === 'string' ? v : v.label]));

/**
 * The domain's Chinese labels for the enums it names, by `path.field` (or `*.field` for every path). An enum
 * without one here keeps its codes; the console labels those (web/src/console/actions/labels.ts).
 */
const DOMAIN_LABELS: Record<string, Record<string, string>> = {
  'decline.reason': labelsOf(NOT_ACCEPTED_REASONS),
  'termination.reason': labelsOf(TERMINATION_REASONS),
  'legal-aid.basis': labelsOf(LEGAL_AID_BASES),
  'screening.priorityGroups': labelsOf(PRIORITY_GROUPS),
  'judicial-confirmation.venueGround': labelsOf(VENUE_GROUNDS),
  'judicial-confirmation/non-acceptance.ground': labelsOf(NOT_ACCEPTED_GROUNDS),
  'judicial-confirmation/ruling.ground': labelsOf(REJECTION_GROUNDS),
  'notarization/refusal.ground': labelsOf(NOTARY_REFUSAL_GROUNDS),
  'notarization/period-pause.reason': labelsOf(NOTARY_PAUSE_REASONS),
  '*.legalRepresentative': labelsOf(LEGAL_REPRESENTATIVE_LABELS),
};

type Js = {
  type?: string;
  format?: string;
  enum?: string[];
  anyOf?: Js[];
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

function options(values: string[], labels: Record<string, string> | undefined) {
  return values.map((value) => (labels?.[value] ? { value, label: labels[value] } : { value }));
}

function describe(path: string, name: string, s: Js, required: boolean): FieldDescriptor {
  const labels = DOMAIN_LABELS[`${path}.${name}`] ?? DOMAIN_LABELS[`*.${name}`];
  const d: FieldDescriptor = { name, kind: 'text', required };
  if (s.default !== undefined) d.default = s.default;
  const uuidOr = s.anyOf?.find((a) => a.format === 'uuid');
  const enumOr = s.anyOf?.find((a) => a.enum);
  if (uuidOr && enumOr) {
    d.kind = 'uuid';
    d.alsoOptions = options(enumOr.enum!, labels);
    return d;
  }
  if (s.enum) {
    d.kind = 'enum';
    d.options = options(s.enum, labels);
    return d;
  }
  switch (s.type) {
    case 'boolean':
      d.kind = 'boolean';
      return d;
    case 'integer':
    case 'number':
      d.kind = s.type;
      if (s.minimum !== undefined) d.min = s.minimum;
      if (s.maximum !== undefined) d.max = s.maximum;
      return d;
    case 'object':
      d.kind = 'object';
      d.fields = fieldsOf(path, s);
      return d;
    case 'array': {
      const items = s.items ?? {};
      if (s.minItems !== undefined) d.minItems = s.minItems;
      if (s.maxItems !== undefined) d.maxItems = s.maxItems;
      if (items.enum) {
        d.kind = 'array-of-enum';
        d.options = options(items.enum, labels);
      } else if (items.type === 'object') {
        d.kind = 'array-of-object';
        d.fields = fieldsOf(path, items);
      } else if (items.format === 'uuid') {
        d.kind = 'array-of-uuid';
      } else {
        d.kind = 'array-of-text';
        if (items.maxLength !== undefined) d.maxLength = items.maxLength;
      }
      return d;
    }
    default:
      if (s.format === 'date') d.kind = 'date';
      else if (s.format === 'date-time') d.kind = 'datetime';
      else if (s.format === 'uuid') d.kind = 'uuid';
      else {
        // Long text gets a text area: a record, the facts, a reason; a name or a number a line.
        d.kind = (s.maxLength ?? 0) > 200 ? 'textarea' : 'text';
        if (s.minLength !== undefined) d.minLength = s.minLength;
        if (s.maxLength !== undefined) d.maxLength = s.maxLength;
      }
      return d;
  }
}

function fieldsOf(path: string, s: Js): FieldDescriptor[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([name, p]) => describe(path, name, p, required.has(name)));
}

/** Every action's fields, in the schema's own order (the order a person fills them in). */
export function actionForms(): Record<string, FieldDescriptor[]> {
  const out: Record<string, FieldDescriptor[]> = {};
  for (const [path, schema] of Object.entries(actionBodies()).sort(([a], [b]) => a.localeCompare(b))) {
    const js = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Js;
    out[path] = fieldsOf(path, js);
  }
  return out;
}

export function generateActionForms(header: string): string {
  const kinds: FieldKind[] = [
    'text',
    'textarea',
    'enum',
    'integer',
    'number',
    'boolean',
    'date',
    'datetime',
    'uuid',
    'array-of-enum',
    'array-of-text',
    'array-of-uuid',
    'array-of-object',
    'object',
  ];
  return [
    header,
    '/** How a field is entered: the kind of its schema (a string over 200 characters is a textarea). */',
    `export type FieldKind = ${kinds.map((k) => `'${k}'`).join(' | ')};\n`,
    "/** One field of an action's request body, from the zod schema the API parses it with (api/schemas.ts). */",
    'export type FieldDescriptor = {',
    '  readonly name: string;',
    '  readonly kind: FieldKind;',
    '  readonly required: boolean;',
    '  readonly minLength?: number;',
    '  readonly maxLength?: number;',
    '  readonly min?: number;',
    '  readonly max?: number;',
    '  readonly minItems?: number;',
    '  readonly maxItems?: number;',
    '  readonly default?: unknown;',
    '  readonly options?: readonly { readonly value: string; readonly label?: string }[];',
    '  readonly alsoOptions?: readonly { readonly value: string; readonly label?: string }[];',
    '  readonly fields?: readonly FieldDescriptor[];',
    '};\n',
    "/** Each case action's body fields, by its path under /cases/{caseId}/, with the domain's Chinese labels for its enums. */",
    `export const ACTION_FORMS: Readonly<Record<string, readonly FieldDescriptor[]>> = ${JSON.stringify(actionForms(), null, 2)};\n`,
  ].join('\n');
}
