/**
 * What a case document is made from, read from the record: the case row, its organization, its parties
 * (personal data still sealed: the activity opens it), the people and institutions a document names, and the
 * events a notice recounts (as the chain recorded them).
 */
import type { Knex } from 'knex';
import type { LegalRepresentative } from '../domain/case.js';

type Tx = Knex | Knex.Transaction;

export type DocumentCase = {
  caseNumber: string;
  channel: string;
  disputeType: string;
  summary: string;
  receivedAt: Date;
  /** The delegating court's references as registered (court name, its case number, its letter). */
  court: Record<string, unknown> | null;
  courtInstitutionId: string | null;
  handlingOrgId: string | null;
  intakeOrgId: string | null;
  agreementEffectiveAt: Date | null;
};

/** A party with its personal data sealed (`…Enc`); `name` is the masked name when `nameEnc` holds the real one. */
export type DocumentParty = {
  partyId: string;
  role: string;
  kind: string;
  name: string;
  nameEnc: string | null;
  idNumberEnc: string | null;
  phoneEnc: string | null;
  addressEnc: string | null;
  creditCode: string | null;
  representsPartyId: string | null;
  legalRepresentative: LegalRepresentative | null;
};

export async function caseForDocuments(db: Tx, caseId: string): Promise<DocumentCase | undefined> {
  const c = await db('cases').where({ case_id: caseId }).first();
  if (!c) return undefined;
  return {
    caseNumber: c.case_number,
    channel: c.channel,
    disputeType: c.dispute_type,
    summary: c.summary,
    receivedAt: c.received_at,
    court: c.court,
    courtInstitutionId: c.court_institution_id,
    handlingOrgId: c.handling_org_id,
    intakeOrgId: c.intake_org_id,
    agreementEffectiveAt: c.agreement_effective_at,
  };
}

/** The case's parties in the order they were registered. */
export async function documentParties(db: Tx, caseId: string): Promise<DocumentParty[]> {
  const rows = await db('case_parties').where({ case_id: caseId }).orderBy('position');
  return rows.map((p) => ({
    partyId: p.party_id,
    role: p.role,
    kind: p.kind,
    name: p.name,
    nameEnc: p.name_enc,
    idNumberEnc: p.id_number_enc,
    phoneEnc: p.phone_enc,
    addressEnc: p.address_enc,
    creditCode: p.credit_code,
    representsPartyId: p.represents_party_id,
    legalRepresentative: p.legal_representative ?? null,
  }));
}

export async function organizationNameAndKind(
  db: Tx,
  orgId: string,
): Promise<{ name: string; kind: string | null } | undefined> {
  const org = await db('organizations').where({ org_id: orgId }).first('name', 'kind');
  return org ? { name: org.name as string, kind: org.kind as string | null } : undefined;
}

export async function institutionName(db: Tx, institutionId: string): Promise<string | undefined> {
  return (
    (await db('institutions').where({ institution_id: institutionId }).first('name')) as { name: string } | undefined
  )?.name;
}

export async function staffDisplayName(db: Tx, accountId: string): Promise<string | undefined> {
  return (
    (await db('staff_accounts').where({ account_id: accountId }).first('display_name')) as
      { display_name: string } | undefined
  )?.display_name;
}

/** The payloads of the case's events of one type, in the chain's order. */
export async function eventPayloads(db: Tx, caseId: string, type: string): Promise<unknown[]> {
  return (await db('case_events').where({ case_id: caseId, type }).orderBy('seq').select('payload')).map(
    (e) => e.payload,
  );
}

/** Every type of event the case's chain holds. */
export async function eventTypesOf(db: Tx, caseId: string): Promise<string[]> {
  return (await db('case_events').where({ case_id: caseId }).distinct('type')).map((e) => e.type);
}

/**
 * The n-th legal-aid refusal as the chain recorded it: when the application it answered was made, and the
 * legal-aid organization of the officer who decided (each undefined when the record does not say).
 */
export async function legalAidRefusal(
  db: Tx,
  caseId: string,
  n: number,
): Promise<{ appliedAt: Date | undefined; aidOrganizationName: string | undefined }> {
  const refused = await db('case_events')
    .where({ case_id: caseId, type: 'LegalAidRefused' })
    .orderBy('seq')
    .offset(n - 1)
    .first('seq', 'actor_id');
  const applied = refused
    ? await db('case_events')
        .where({ case_id: caseId, type: 'LegalAidApplied' })
        .where('seq', '<', refused.seq)
        .orderBy('seq', 'desc')
        .first('at')
    : undefined;
  const officer = refused
    ? ((await db('staff_accounts').where({ account_id: refused.actor_id }).first('org_id')) as
        { org_id: string | null } | undefined)
    : undefined;
  const aidOrg = officer?.org_id
    ? ((await db('organizations').where({ org_id: officer.org_id }).first('name')) as { name: string } | undefined)
    : undefined;
  return { appliedAt: applied?.at, aidOrganizationName: aidOrg?.name };
}
