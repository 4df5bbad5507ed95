/**
 * The roster (issue 15): the mediation organizations, the mediators each role may see (the staff console
 * assigns from it, a party chooses from it: 在线调解规则 Arts 5, 10), the courts, notary offices and legal aid;
 * and each person's saved queue filters. Who sees what is decided in domain/access-policy.ts; no answer
 * carries a phone, an ID number, a username or a password hash.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { DISPUTE_TYPES, ORGANIZATION_KINDS } from '../../domain/case.js';
import {
  canKeepSavedFilters,
  canReadOrganizationConfiguration,
  mayCenter,
  mayNarrowToCourtScope,
  mediatorRosterView,
  seesScreening,
  type Principal,
} from '../../domain/access-policy.js';
import {
  INSTITUTION_KINDS,
  MEDIATION_ORGANIZATION_KINDS,
  MEDIATOR_LANGUAGES,
  MEDIATOR_QUALIFICATIONS,
  mediationOrganizations,
  qualificationOf,
  rosterInstitutions,
  rosterMediators,
  type MediatorLanguage,
} from '../../db/roster.js';
import {
  SAVED_FILTERS_PER_ACCOUNT,
  SAVED_FILTER_NAME_MAX,
  createSavedFilter,
  deleteSavedFilter,
  listSavedFilters,
  updateSavedFilter,
  type SaveResult,
  type SavedFilter,
} from '../../db/saved-filters.js';
import { principalOf } from '../auth.js';
import { Problem, parseOrThrow, problems } from '../problem.js';
import { queueQuery } from './queues.js';
import { creditLevelSchema } from './credit.js';
import { publicCredit } from '../../db/credit.js';
import { chinaDateOf } from '../../domain/calendar.js';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const languageCodes = Object.keys(MEDIATOR_LANGUAGES) as [MediatorLanguage, ...MediatorLanguage[]];
const languagesDescribed = `a language code: ${Object.entries(MEDIATOR_LANGUAGES)
  .map(([code, label]) => `${code} ${label}`)
  .join(', ')}`;

// Requests ------------------------------------------------------------------------------------------------

export const organizationsQuery = z.strictObject({ disputeType: z.enum(DISPUTE_TYPES).optional() });

export const mediatorsQuery = z.strictObject({
  orgId: z.string().trim().min(1).max(60).optional(),
  /** A specialty. */
  disputeType: z.enum(DISPUTE_TYPES).optional(),
  language: z.enum(languageCodes).describe(languagesDescribed).optional(),
  /** true: only those accepting new cases; false: only those not. */
  available: bool.optional(),
});

export const institutionsQuery = z.strictObject({ kind: z.enum(INSTITUTION_KINDS).optional() });

/**
 * A saved filter is the query of GET /queues/cases, sent as that query's strings (`"status":
 * "REGISTERED,ACCEPTED"`) or as JSON values (a list of statuses, `true`, a number). It keeps no search
 * text and no page position.
 */
const filterInput = z.record(
  z.string().max(60),
  // Wide bounds: the queue's own schema then names what is out of its range.
  z.union([
    z.string().max(500),
    z.number().min(-1_000_000).max(1_000_000),
    z.boolean(),
    z.array(z.string().max(60)).max(20),
  ]),
);
const filterName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(SAVED_FILTER_NAME_MAX, `must be at most ${SAVED_FILTER_NAME_MAX} characters`)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const savedFilterBody = z.strictObject({ name: filterName, filter: filterInput });

export const savedFilterUpdateBody = z
  .strictObject({ name: filterName.optional(), filter: filterInput.optional() })
  .refine((b) => b.name !== undefined || b.filter !== undefined, {
    path: ['name'],
    message: 'send a new name, a new filter, or both',
  });

// Responses (to register in api/responses.ts) ---------------------------------------------------------

const organizationKind = z.enum(MEDIATION_ORGANIZATION_KINDS);
const disputeType = z.enum(DISPUTE_TYPES);
const freeOfCharge = z
  .boolean()
  .nullable()
  .describe(
    "true: people's mediation, free by law (人民调解法 Art 4); null: ask the organization (在线调解规则 Art 5 ¶2)",
  );

export const rosterOrganizationSchema = z.object({
  orgId: z.string(),
  name: z.string(),
  kind: organizationKind,
  kindLabel: z.string(),
  abbreviation: z.string().nullable(),
  county: z.string().nullable(),
  disputeTypes: z.array(disputeType),
  active: z.boolean(),
  freeOfCharge,
  caseNumberPattern: z
    .string()
    .nullable()
    .optional()
    .describe("only for the organization's own staff and the supervisor"),
});
export const rosterOrganizationsResponse = z.object({ organizations: z.array(rosterOrganizationSchema) });

export const rosterMediatorSchema = z.object({
  mediatorId: z.uuid(),
  displayName: z.string(),
  organization: z.object({
    orgId: z.string(),
    name: z.string(),
    kind: organizationKind,
    disputeTypes: z.array(disputeType),
    active: z.boolean(),
    freeOfCharge,
  }),
  qualification: z
    .object({
      code: z.enum(
        Object.keys(MEDIATOR_QUALIFICATIONS) as [
          keyof typeof MEDIATOR_QUALIFICATIONS,
          ...(keyof typeof MEDIATOR_QUALIFICATIONS)[],
        ],
      ),
      label: z.string(),
    })
    .nullable(),
  specialties: z.array(disputeType),
  languages: z.array(z.enum(languageCodes).describe(languagesDescribed)),
  accepting: z
    .boolean()
    .describe('takes new cases: active, in an active organization, below their limit of open cases'),
  level: creditLevelSchema
    .nullable()
    .describe("the credit file's current level, as the public directory shows it (GET /directory/mediators)"),
  // Staff only: a party sees whether a mediator is accepting, never their load.
  active: z.boolean().optional().describe('staff only'),
  openCases: z.number().int().optional().describe('staff only: open cases assigned (awaiting acceptance to signature)'),
  maxOpenCases: z.number().int().nullable().optional().describe('staff only: null, no limit'),
});
export const rosterMediatorsResponse = z.object({ mediators: z.array(rosterMediatorSchema) });

export const rosterInstitutionSchema = z.object({
  institutionId: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  kind: z.enum(INSTITUTION_KINDS),
  preFilingDelegation: z.boolean().optional().describe('courts only: whether it still delegates before filing (委派)'),
});
export const rosterInstitutionsResponse = z.object({ institutions: z.array(rosterInstitutionSchema) });

export const savedFilterSchema = z.object({
  filterId: z.uuid(),
  name: z.string(),
  filter: z.record(z.string(), z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const savedFiltersResponse = z.object({ filters: z.array(savedFilterSchema) });

/** Keyed as api/responses.ts keys them: `<method> <OpenAPI path>`. */
export const ROSTER_RESPONSES: Record<string, z.ZodType> = {
  'get /roster/organizations': rosterOrganizationsResponse,
  'get /roster/mediators': rosterMediatorsResponse,
  'get /roster/institutions': rosterInstitutionsResponse,
  'get /me/saved-filters': savedFiltersResponse,
  'post /me/saved-filters': savedFilterSchema,
  'put /me/saved-filters/{filterId}': savedFilterSchema,
};

// The roster --------------------------------------------------------------------------------------------

/** People's mediation committees take no fee (人民调解法 Art 4); for the others the data does not say. */
const freeOfChargeFor = (kind: string): true | null =>
  kind === 'people_mediation' || kind === 'industry_mediation' ? true : null;

export function rosterRouter(deps: { db: Knex }): Router {
  const router = Router();

  router.get('/organizations', async (req, res) => {
    const p = principalOf(req);
    if (!mayCenter(p, 'readRosterOrganizations'))
      throw problems.forbidden(`a ${p.role} chooses among mediators, not organizations`);
    const query = parseOrThrow(organizationsQuery, req.query);
    const orgs = await mediationOrganizations(deps.db, query);
    res.json({
      organizations: orgs.map(({ caseNumberPattern, ...o }) => ({
        ...o,
        kindLabel: ORGANIZATION_KINDS[o.kind as keyof typeof ORGANIZATION_KINDS] ?? o.kind,
        freeOfCharge: freeOfChargeFor(o.kind),
        ...(canReadOrganizationConfiguration(p, o.orgId) ? { caseNumberPattern } : {}),
      })),
    });
  });

  router.get('/mediators', async (req, res) => {
    const p = principalOf(req);
    const view = mediatorRosterView(p);
    if (!view) throw problems.forbidden(`a ${p.role} does not choose or assign mediators`);
    const query = parseOrThrow(mediatorsQuery, req.query);
    const mediators = await rosterMediators(deps.db, { scope: view.rows, ...query });
    const credit = await publicCredit(
      deps.db,
      mediators.map((m) => ({ kind: 'mediator', id: m.mediatorId })),
      chinaDateOf(new Date()),
    );
    res.json({
      mediators: mediators.map((m) => {
        const qualification = qualificationOf(m.organization.kind);
        const shown = {
          mediatorId: m.mediatorId,
          displayName: m.displayName,
          organization: { ...m.organization, freeOfCharge: freeOfChargeFor(m.organization.kind) },
          qualification: qualification
            ? { code: qualification, label: MEDIATOR_QUALIFICATIONS[qualification].label }
            : null,
          specialties: m.specialties,
          languages: m.languages,
          accepting: m.accepting,
          level: credit.get(`mediator:${m.mediatorId}`)?.level ?? null,
        };
        return view.fields === 'work'
          ? { ...shown, active: m.active, openCases: m.openCases, maxOpenCases: m.maxOpenCases }
          : shown;
      }),
    });
  });

  router.get('/institutions', async (req, res) => {
    const p = principalOf(req);
    if (!mayCenter(p, 'readRosterInstitutions')) throw problems.forbidden(`a ${p.role} may not read the institutions`);
    const { kind } = parseOrThrow(institutionsQuery, req.query);
    res.json({ institutions: await rosterInstitutions(deps.db, kind) });
  });

  return router;
}

// Saved queue filters -------------------------------------------------------------------------------------

/** The filter as the queue would take it, in the strings it goes into a URL as; 400 naming the field otherwise. */
function queueFilterOf(p: Principal, input: z.output<typeof filterInput>): Record<string, string> {
  const asQuery = Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
  );
  const parsed = parseOrThrow(queueQuery, asQuery, 'filter');
  const refused = [
    ...(asQuery.q !== undefined
      ? [{ field: 'filter.q', message: "is not kept in a saved filter: search text may be a party's name" }]
      : []),
    ...(asQuery.cursor !== undefined
      ? [{ field: 'filter.cursor', message: 'is not kept in a saved filter: it is a position in one listing' }]
      : []),
  ];
  if (refused.length) throw problems.validation(refused);
  // A filter the queue would refuse this person is no use to them (GET /queues/cases answers 403).
  if (
    !seesScreening(p) &&
    (parsed.priorityGroup !== undefined || parsed.priority !== undefined || parsed.legalAid !== undefined)
  ) {
    throw problems.forbidden(`a ${p.role} may not filter by priority group or legal aid`);
  }
  if (parsed.courtScope !== undefined && !mayNarrowToCourtScope(p))
    throw problems.validation([{ field: 'filter.courtScope', message: "is only for a court's own queue" }]);
  return Object.fromEntries(
    Object.keys(asQuery).map((k) => [
      k,
      k === 'status' ? parsed.status!.join(',') : String(parsed[k as keyof typeof parsed]),
    ]),
  );
}

/** The saved filter, or the problem that kept it from being saved. */
function savedOrThrow(result: SaveResult): SavedFilter {
  if (result.ok) return result.filter;
  switch (result.reason) {
    case 'not_found':
      throw problems.notFound('The saved filter');
    case 'name_taken':
      throw new Problem(
        409,
        'saved-filter-name-taken',
        'You already have a saved filter of this name',
        'choose another name, or replace that filter with PUT',
        { errors: [{ field: 'name', message: 'is already the name of one of your saved filters' }] },
      );
    case 'full':
      throw new Problem(
        409,
        'saved-filters-full',
        'You already keep the most saved filters allowed',
        `at most ${SAVED_FILTERS_PER_ACCOUNT} saved filters each: delete one first`,
      );
  }
}

export function savedFiltersRouter(deps: { db: Knex; now: () => Date }): Router {
  const router = Router();
  /** The person's account, or 403 for a party or an institution's API key. */
  const owner = (p: Principal): string => {
    if (!canKeepSavedFilters(p))
      throw problems.forbidden(
        p.kind === 'institution'
          ? 'saved filters belong to a person: log in as a court or notary staff member'
          : `a ${p.role} keeps no saved queue filters`,
      );
    return p.id;
  };

  router.get('/saved-filters', async (req, res) => {
    const accountId = owner(principalOf(req));
    res.json({ filters: await listSavedFilters(deps.db, accountId) });
  });

  router.post('/saved-filters', async (req, res) => {
    const p = principalOf(req);
    const accountId = owner(p);
    const body = parseOrThrow(savedFilterBody, req.body);
    const saved = savedOrThrow(
      await createSavedFilter(
        deps.db,
        accountId,
        { name: body.name, filter: queueFilterOf(p, body.filter) },
        deps.now(),
      ),
    );
    res.status(201).location(`/me/saved-filters/${saved.filterId}`).json(saved);
  });

  router.put('/saved-filters/:filterId', async (req, res) => {
    const p = principalOf(req);
    const accountId = owner(p);
    const body = parseOrThrow(savedFilterUpdateBody, req.body);
    const filter = body.filter === undefined ? undefined : queueFilterOf(p, body.filter);
    res.json(
      savedOrThrow(
        await updateSavedFilter(
          deps.db,
          accountId,
          String(req.params.filterId),
          { name: body.name, filter },
          deps.now(),
        ),
      ),
    );
  });

  router.delete('/saved-filters/:filterId', async (req, res) => {
    const accountId = owner(principalOf(req));
    if (!(await deleteSavedFilter(deps.db, accountId, String(req.params.filterId))))
      throw problems.notFound('The saved filter');
    res.status(204).end();
  });

  return router;
}
