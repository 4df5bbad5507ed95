/**
 * The mediator roster and its documented rule (docs/case-path.md#assignment): mediators of an organization that
 * handles the dispute type, active, with a matching specialty, no recorded conflict with a party, lowest
 * current load first. Every proposal says why: candidates, inputs, rule version, conflict check.
 */
import type { Knex } from 'knex';
import type { MediatorProposal } from '../domain/case-rules.js';
import type { FieldCipher } from '../infra/crypto.js';

export const ROSTER_RULE_VERSION = 'roster-rule@2026-11-25: specialty match, no conflict, lowest load, then username';
const OPEN_STATUSES = [
  'PENDING_MEDIATOR_ACCEPT',
  'IN_MEDIATION',
  'SUSPENDED',
  'AGREEMENT_DRAFTING',
  'PENDING_SIGNATURE',
];

export type ProposalRequest = {
  caseId: string;
  disputeType: string;
  mode: MediatorProposal['mode'];
  /** Named by the parties (party_choice) or by the organization (designated). */
  mediatorId?: string | undefined;
  exclude: string[];
};

export type ProposalResult =
  | { ok: true; proposal: MediatorProposal }
  | { ok: false; code: 'no_candidate' | 'not_eligible' | 'conflict'; message: string };

export async function proposeMediator(db: Knex, cipher: FieldCipher, req: ProposalRequest): Promise<ProposalResult> {
  const orgs = (await db('organizations').select('org_id', 'dispute_types'))
    .filter((o) => (o.dispute_types as string[]).includes(req.disputeType))
    .map((o) => o.org_id as string);
  // A child's name is stored masked (张*): the conflict check compares the real name.
  const partyRows = await db('case_parties').where({ case_id: req.caseId }).select('name', 'name_enc');
  const partyNames = partyRows.map((p) => (p.name_enc ? cipher.decrypt(p.name_enc) : (p.name as string)));
  const mediators = await db('staff_accounts')
    .where({ role: 'mediator', active: true })
    .whereIn('org_id', orgs.length ? orgs : ['-'])
    .select('account_id', 'username', 'org_id', 'specialties');
  const conflicts = await db('mediator_conflicts')
    .whereIn('party_name', partyNames)
    .select('mediator_account_id', 'relation');
  const loads = await db('cases')
    .whereIn('status', OPEN_STATUSES)
    .whereNotNull('mediator_account_id')
    .groupBy('mediator_account_id')
    .select('mediator_account_id')
    .count({ n: '*' });
  const loadOf = new Map(loads.map((l) => [l.mediator_account_id as string, Number(l.n)]));

  const candidates = mediators
    .map((m) => ({
      mediatorId: m.account_id as string,
      username: m.username as string,
      orgId: m.org_id as string,
      specialtyMatch: (m.specialties as string[]).includes(req.disputeType),
      load: loadOf.get(m.account_id) ?? 0,
      conflict: conflicts.find((c) => c.mediator_account_id === m.account_id)?.relation ?? null,
      excluded: req.exclude.includes(m.account_id),
    }))
    .sort(
      (a, b) =>
        Number(b.specialtyMatch) - Number(a.specialtyMatch) || a.load - b.load || a.username.localeCompare(b.username),
    );
  const eligible = candidates.filter((c) => c.specialtyMatch && !c.conflict && !c.excluded);
  const reasoning = (chosen: string) => ({
    ruleVersion: ROSTER_RULE_VERSION,
    inputs: { disputeType: req.disputeType, organizations: orgs, excluded: req.exclude, mode: req.mode },
    candidates: candidates.map(({ username: _u, ...c }) => c),
    conflictCheck: {
      checkedAgainst: 'mediator_conflicts register, by party name',
      conflicted: candidates.filter((c) => c.conflict).map((c) => c.mediatorId),
    },
    chosen,
  });

  if (req.mediatorId) {
    const named = candidates.find((c) => c.mediatorId === req.mediatorId);
    if (!named || named.excluded)
      return {
        ok: false,
        code: 'not_eligible',
        message: 'that mediator is not on the roster for this dispute type, or was excluded in this case',
      };
    if (named.conflict)
      return {
        ok: false,
        code: 'conflict',
        message: `that mediator has a recorded conflict with a party (${named.conflict})`,
      };
    return {
      ok: true,
      proposal: {
        mediatorId: named.mediatorId,
        orgId: named.orgId,
        mode: req.mode,
        reasoning: reasoning(named.mediatorId),
      },
    };
  }
  const first = eligible[0];
  if (!first)
    return {
      ok: false,
      code: 'no_candidate',
      message: 'no eligible mediator remains on the roster for this dispute type',
    };
  return {
    ok: true,
    proposal: {
      mediatorId: first.mediatorId,
      orgId: first.orgId,
      mode: 'by_rule',
      reasoning: reasoning(first.mediatorId),
    },
  };
}

// The roster as the console and the portal read it (issue 15) ------------------------------------------------

/** The languages a mediator mediates in (Jieyang: 潮汕话 everywhere, 客家话 in 揭西, 粤语 and 普通话 for outsiders). */
export const MEDIATOR_LANGUAGES = {
  mandarin: '普通话',
  chaoshan: '潮汕话',
  cantonese: '粤语',
  hakka: '客家话',
  english: '英语',
} as const;
export type MediatorLanguage = keyof typeof MEDIATOR_LANGUAGES;

/** The organizations that mediate (the center, the justice bureau and legal aid do not). */
export const MEDIATION_ORGANIZATION_KINDS = [
  'people_mediation',
  'industry_mediation',
  'labour_mediation',
  'lawyer_mediation',
  'court_invited_mediation',
] as const;

/**
 * What a mediator is, as the data has it: from the kind of organization they mediate for. A mediator listed
 * by an invited organization is the court's invited mediator (特邀调解规定 Art 6).
 */
export const MEDIATOR_QUALIFICATIONS = {
  people_mediator: { label: '人民调解员', orgKinds: ['people_mediation', 'industry_mediation'] },
  labour_mediator: { label: '劳动争议调解员', orgKinds: ['labour_mediation'] },
  lawyer_mediator: { label: '律师调解员', orgKinds: ['lawyer_mediation'] },
  court_invited_mediator: { label: '特邀调解员', orgKinds: ['court_invited_mediation'] },
} as const satisfies Record<string, { label: string; orgKinds: readonly string[] }>;
export type MediatorQualification = keyof typeof MEDIATOR_QUALIFICATIONS;

export function qualificationOf(orgKind: string): MediatorQualification | null {
  for (const [code, q] of Object.entries(MEDIATOR_QUALIFICATIONS))
    if ((q.orgKinds as readonly string[]).includes(orgKind)) return code as MediatorQualification;
  return null;
}

export type RosterOrganization = {
  orgId: string;
  name: string;
  kind: string;
  abbreviation: string | null;
  county: string | null;
  disputeTypes: string[];
  active: boolean;
  caseNumberPattern: string | null;
};

/** The mediation organizations, by name; `disputeType`: only those that take it. */
export async function mediationOrganizations(
  db: Knex,
  f: { disputeType?: string | undefined } = {},
): Promise<RosterOrganization[]> {
  const q = db('organizations')
    .whereIn('kind', [...MEDIATION_ORGANIZATION_KINDS])
    .orderBy([{ column: 'name' }, { column: 'org_id' }])
    .select('org_id', 'name', 'kind', 'abbreviation', 'county', 'dispute_types', 'active', 'case_number_pattern');
  if (f.disputeType) q.whereRaw('dispute_types @> ?::jsonb', [JSON.stringify([f.disputeType])]);
  return (await q).map((o) => ({
    orgId: o.org_id as string,
    name: o.name as string,
    kind: o.kind as string,
    abbreviation: (o.abbreviation as string | null) ?? null,
    county: (o.county as string | null) ?? null,
    disputeTypes: o.dispute_types as string[],
    active: o.active as boolean,
    caseNumberPattern: (o.case_number_pattern as string | null) ?? null,
  }));
}

export type RosterMediator = {
  mediatorId: string;
  displayName: string;
  organization: { orgId: string; name: string; kind: string; disputeTypes: string[]; active: boolean };
  specialties: string[];
  languages: string[];
  active: boolean;
  /** Open cases assigned to them, counted as the roster rule counts load. */
  openCases: number;
  /** null: no limit. */
  maxOpenCases: number | null;
  /** Takes new cases: active, in an active organization, below their limit. */
  accepting: boolean;
};

export type RosterMediatorFilter = {
  /** Rows: all, only active mediators of active organizations, or one organization's. */
  scope: 'all' | 'active' | { orgId: string };
  orgId?: string | undefined;
  /** A specialty (a dispute type). */
  disputeType?: string | undefined;
  language?: string | undefined;
  /** true: only those accepting; false: only those not. */
  available?: boolean | undefined;
};

/** Mediators (staff accounts with the mediator role) with their organization and current load, never a phone or a password. */
export async function rosterMediators(db: Knex, f: RosterMediatorFilter): Promise<RosterMediator[]> {
  const q = db('staff_accounts as s')
    .join('organizations as o', 'o.org_id', 's.org_id')
    .where('s.role', 'mediator')
    .orderBy([{ column: 'o.name' }, { column: 's.display_name' }, { column: 's.account_id' }])
    // Named columns only: the account also holds a password hash and an encrypted reminder phone.
    .select(
      's.account_id',
      's.display_name',
      's.specialties',
      's.languages',
      's.active',
      's.max_open_cases',
      'o.org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.dispute_types as org_dispute_types',
      'o.active as org_active',
    );
  if (f.scope === 'active') q.where('s.active', true).where('o.active', true);
  else if (f.scope !== 'all') q.where('s.org_id', f.scope.orgId);
  if (f.orgId) q.where('s.org_id', f.orgId);
  if (f.disputeType) q.whereRaw('s.specialties @> ?::jsonb', [JSON.stringify([f.disputeType])]);
  if (f.language) q.whereRaw('s.languages @> ?::jsonb', [JSON.stringify([f.language])]);
  const rows = await q;
  const loads = await openCaseLoads(
    db,
    rows.map((r) => r.account_id as string),
  );
  const mediators = rows.map((r): RosterMediator => {
    const openCases = loads.get(r.account_id as string) ?? 0;
    const maxOpenCases = (r.max_open_cases as number | null) ?? null;
    return {
      mediatorId: r.account_id as string,
      displayName: r.display_name as string,
      organization: {
        orgId: r.org_id as string,
        name: r.org_name as string,
        kind: r.org_kind as string,
        disputeTypes: r.org_dispute_types as string[],
        active: r.org_active as boolean,
      },
      specialties: r.specialties as string[],
      languages: r.languages as string[],
      active: r.active as boolean,
      openCases,
      maxOpenCases,
      accepting:
        (r.active as boolean) && (r.org_active as boolean) && (maxOpenCases === null || openCases < maxOpenCases),
    };
  });
  // Accepting depends on the load, counted after the query: filtered here (a roster is tens of rows).
  return f.available === undefined ? mediators : mediators.filter((m) => m.accepting === f.available);
}

/** Open cases assigned to each of these mediators (the statuses the roster rule counts as load). */
export async function openCaseLoads(db: Knex, mediatorIds: string[]): Promise<Map<string, number>> {
  if (mediatorIds.length === 0) return new Map();
  const loads = await db('cases')
    .whereIn('status', OPEN_STATUSES)
    .whereIn('mediator_account_id', mediatorIds)
    .groupBy('mediator_account_id')
    .select('mediator_account_id')
    .count({ n: '*' });
  return new Map(loads.map((l) => [l.mediator_account_id as string, Number(l.n)]));
}

export const INSTITUTION_KINDS = ['court', 'notary_office', 'legal_aid_office'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export type RosterInstitution = {
  institutionId: string;
  name: string;
  code: string | null;
  kind: InstitutionKind;
  /** Courts only: whether it still delegates before filing (委派, switchable per court: 2025 SPC opinion). */
  preFilingDelegation?: boolean;
};

/** Courts and notary offices (the institutions table) and legal-aid offices (organizations of kind legal_aid). */
export async function rosterInstitutions(db: Knex, kind?: InstitutionKind): Promise<RosterInstitution[]> {
  const out: RosterInstitution[] = [];
  if (kind !== 'legal_aid_office') {
    const q = db('institutions')
      .orderBy([{ column: 'kind' }, { column: 'code' }, { column: 'name' }])
      .select('institution_id', 'name', 'code', 'kind', 'pre_filing_delegation');
    if (kind) q.where({ kind });
    for (const r of await q) {
      out.push({
        institutionId: r.institution_id as string,
        name: r.name as string,
        code: (r.code as string | null) ?? null,
        kind: r.kind as InstitutionKind,
        ...(r.kind === 'court' ? { preFilingDelegation: r.pre_filing_delegation as boolean } : {}),
      });
    }
  }
  if (kind === undefined || kind === 'legal_aid_office') {
    for (const r of await db('organizations').where({ kind: 'legal_aid' }).orderBy('name').select('org_id', 'name')) {
      out.push({ institutionId: r.org_id as string, name: r.name as string, code: null, kind: 'legal_aid_office' });
    }
  }
  return out;
}
