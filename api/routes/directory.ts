/**
 * The public directory (seed Art 21; docs/supervision.md#credit-files-and-the-public-directory), with no login:
 * the mediation organizations and their mediators with profile, specialties, languages, current level and the
 * bad records still inside their disclosure window; the legal-aid and notary offices and the courts with their
 * addresses and hours. Never a mediator's phone or ID number, never who complained. What a party browses when
 * choosing a mediator (在线调解规则 Art 5 ¶2). Answers may be cached for a minute; each address is rate-limited.
 */
import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { DISPUTE_TYPES, ORGANIZATION_KINDS } from '../../domain/case.js';
import { chinaDateOf } from '../../domain/calendar.js';
import { CREDIT_ENTRY_KINDS, lastDayShown, outcomeLabel } from '../../domain/credit.js';
import { directoryListings, directoryMediators, publicCredit, type PublicCredit } from '../../db/credit.js';
import {
  INSTITUTION_KINDS,
  MEDIATION_ORGANIZATION_KINDS,
  MEDIATOR_LANGUAGES,
  MEDIATOR_QUALIFICATIONS,
  mediationOrganizations,
  qualificationOf,
  rosterInstitutions,
  type MediatorLanguage,
  type RosterMediator,
} from '../../db/roster.js';
import { recordSecurityEvent } from '../../db/identity.js';
import { countRequest, forgetWindowsBefore } from '../../db/rate-limits.js';
import { parseOrThrow, problems } from '../problem.js';
import { creditLevelSchema } from './credit.js';

const languageCodes = Object.keys(MEDIATOR_LANGUAGES) as [MediatorLanguage, ...MediatorLanguage[]];

// Requests ------------------------------------------------------------------------------------------------

export const directoryMediatorsQuery = z.strictObject({
  orgId: z.string().trim().min(1).max(60).optional(),
  /** A specialty. */
  disputeType: z.enum(DISPUTE_TYPES).optional(),
  language: z.enum(languageCodes).optional(),
});
export const directoryOfficesQuery = z.strictObject({ kind: z.enum(INSTITUTION_KINDS).optional() });

// Responses (registered in api/responses.ts) --------------------------------------------------------------

const isoDate = z.iso.date();
/** A bad record as the public sees it: what, who decided it, when, on which document, shown until when. */
export const publicRecordSchema = z.object({
  kind: z.enum(['sanction', 'complaint_upheld']),
  kindLabel: z.string(),
  title: z.string(),
  authority: z.string(),
  decidedOn: isoDate,
  document: z.string().nullable(),
  outcomeLabel: z.string().nullable(),
  lastDayShown: isoDate.nullable(),
});
const creditFields = {
  level: creditLevelSchema.nullable(),
  sanctions: z.array(publicRecordSchema).describe('bad records (sanctions, upheld complaints) inside their window'),
};
const listingFields = {
  address: z.string().nullable(),
  hours: z.string().nullable(),
  officePhone: z.string().nullable().describe("the office's public service line, never a person's"),
};

export const directoryOrganizationSchema = z.object({
  orgId: z.string(),
  name: z.string(),
  kind: z.enum(MEDIATION_ORGANIZATION_KINDS),
  kindLabel: z.string(),
  county: z.string().nullable(),
  disputeTypes: z.array(z.enum(DISPUTE_TYPES)),
  ...listingFields,
  ...creditFields,
});

export const directoryMediatorSchema = z.object({
  mediatorId: z.uuid(),
  displayName: z.string(),
  organization: z.object({ orgId: z.string(), name: z.string(), kind: z.enum(MEDIATION_ORGANIZATION_KINDS) }),
  qualification: z.object({ code: z.string(), label: z.string() }).nullable(),
  specialties: z.array(z.enum(DISPUTE_TYPES)),
  languages: z.array(z.enum(languageCodes)),
  accepting: z.boolean().describe('takes new cases now (never their load)'),
  ...creditFields,
});

export const directoryOfficeSchema = z.object({
  officeId: z.string(),
  name: z.string(),
  kind: z.enum(INSTITUTION_KINDS),
  code: z.string().nullable(),
  ...listingFields,
});

export const DIRECTORY_RESPONSES: Record<string, z.ZodType> = {
  'get /directory/organizations': z.object({ organizations: z.array(directoryOrganizationSchema) }),
  'get /directory/mediators': z.object({ mediators: z.array(directoryMediatorSchema) }),
  'get /directory/mediators/{mediatorId}': directoryMediatorSchema,
  'get /directory/offices': z.object({ offices: z.array(directoryOfficeSchema) }),
};

// Views ---------------------------------------------------------------------------------------------------

/** The level and the bad records inside their window, as the public may see them (domain/credit.ts publicView). */
export function publicCreditView(c: PublicCredit | undefined): {
  level: PublicCredit['level'];
  sanctions: z.output<typeof publicRecordSchema>[];
} {
  return {
    level: c?.level ?? null,
    sanctions: (c?.records ?? []).map((r) => ({
      kind: r.kind as 'sanction' | 'complaint_upheld',
      kindLabel: CREDIT_ENTRY_KINDS[r.kind],
      title: r.title,
      authority: r.authority,
      decidedOn: r.decidedOn,
      document: r.document,
      outcomeLabel: outcomeLabel(r.outcome),
      lastDayShown: lastDayShown(r.disclosure),
    })),
  };
}

function mediatorView(m: RosterMediator, credit: PublicCredit | undefined) {
  const q = qualificationOf(m.organization.kind);
  return {
    mediatorId: m.mediatorId,
    displayName: m.displayName,
    organization: { orgId: m.organization.orgId, name: m.organization.name, kind: m.organization.kind },
    qualification: q ? { code: q, label: MEDIATOR_QUALIFICATIONS[q].label } : null,
    specialties: m.specialties,
    languages: m.languages,
    accepting: m.accepting,
    ...publicCreditView(credit),
  };
}

// Routes --------------------------------------------------------------------------------------------------

/** Requests per address per minute: generous for a person browsing, a stop for a scraper. */
export const DIRECTORY_REQUESTS_PER_MINUTE = 120;

/** Request counters are kept a day at most, longer than the window. */
const WINDOW_RETENTION_MS = 24 * 3600_000;

/**
 * No login, so each address is held to a rate, shared by every instance: counted in PostgreSQL, one upsert a request
 * into one row per address and minute (db/rate-limits.ts `countRequest`), not a row per request. The first refusal
 * of a window is recorded for operators (not every one: a scraper would write a row per request again); answers
 * cache briefly.
 */
function publicEdge(db: Knex): RequestHandler {
  return async (req, res, next) => {
    const ip = req.ip ?? 'unknown';
    // Now and then, forget the windows long past.
    if (Math.random() < 0.01) await forgetWindowsBefore(db, new Date(Date.now() - WINDOW_RETENTION_MS));
    const counted = await countRequest(db, `directory:${ip}`, {
      limit: DIRECTORY_REQUESTS_PER_MINUTE,
      windowMs: 60_000,
    });
    if (!counted.allowed) {
      if (counted.count === DIRECTORY_REQUESTS_PER_MINUTE + 1)
        await recordSecurityEvent(db, { kind: 'rate_limited', ip, detail: { what: 'directory' } });
      throw problems.tooManyAttempts(counted.retryAfterSeconds);
    }
    res.setHeader('Cache-Control', 'public, max-age=60');
    next();
  };
}

export function directoryRouter(deps: { db: Knex; now: () => Date }): Router {
  const router = Router();
  router.use(publicEdge(deps.db));
  const today = () => chinaDateOf(deps.now());

  router.get('/organizations', async (_req, res) => {
    const orgs = (await mediationOrganizations(deps.db)).filter((o) => o.active);
    const listings = await directoryListings(
      deps.db,
      orgs.map((o) => o.orgId),
    );
    const credit = await publicCredit(
      deps.db,
      orgs.map((o) => ({ kind: 'organization', id: o.orgId })),
      today(),
    );
    res.json({
      organizations: orgs.map((o) => ({
        orgId: o.orgId,
        name: o.name,
        kind: o.kind,
        kindLabel: ORGANIZATION_KINDS[o.kind as keyof typeof ORGANIZATION_KINDS] ?? o.kind,
        county: o.county,
        disputeTypes: o.disputeTypes,
        ...listingView(listings.get(o.orgId)),
        ...publicCreditView(credit.get(`organization:${o.orgId}`)),
      })),
    });
  });

  router.get('/mediators', async (req, res) => {
    const query = parseOrThrow(directoryMediatorsQuery, req.query);
    const mediators = await directoryMediators(deps.db, query);
    const credit = await publicCredit(
      deps.db,
      mediators.map((m) => ({ kind: 'mediator', id: m.mediatorId })),
      today(),
    );
    res.json({ mediators: mediators.map((m) => mediatorView(m, credit.get(`mediator:${m.mediatorId}`))) });
  });

  router.get('/mediators/:mediatorId', async (req, res) => {
    const id = String(req.params.mediatorId);
    const m = /^[0-9a-f-]{36}$/.test(id)
      ? (await directoryMediators(deps.db, {})).find((x) => x.mediatorId === id)
      : undefined;
    if (!m) throw problems.notFound('The mediator');
    const credit = await publicCredit(deps.db, [{ kind: 'mediator', id }], today());
    res.json(mediatorView(m, credit.get(`mediator:${id}`)));
  });

  router.get('/offices', async (req, res) => {
    const { kind } = parseOrThrow(directoryOfficesQuery, req.query);
    const offices = await rosterInstitutions(deps.db, kind);
    const listings = await directoryListings(
      deps.db,
      offices.map((o) => o.institutionId),
    );
    res.json({
      offices: offices.map((o) => ({
        officeId: o.institutionId,
        name: o.name,
        kind: o.kind,
        code: o.code,
        ...listingView(listings.get(o.institutionId)),
      })),
    });
  });
  return router;
}

function listingView(l: { address: string; hours: string; officePhone: string | null } | undefined) {
  return { address: l?.address ?? null, hours: l?.hours ?? null, officePhone: l?.officePhone ?? null };
}
