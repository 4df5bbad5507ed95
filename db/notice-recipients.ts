/**
 * Who a case's notices go to: its parties with a phone on record, the staff who follow it, the court that
 * delegated it. Phones stay sealed here; the activity that texts them opens them.
 */
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

/** The parties a reminder is texted to: the principals and third parties who gave a phone. */
export async function partiesToText(
  db: Tx,
  caseId: string,
): Promise<{ caseNumber: string | undefined; parties: { partyId: string; phoneEnc: string }[] }> {
  const c = await db('cases').where({ case_id: caseId }).first('case_number');
  const parties = await db('case_parties')
    .where({ case_id: caseId })
    .whereIn('role', ['applicant', 'respondent', 'third_party'])
    .whereNotNull('phone_enc')
    .select('party_id', 'phone_enc');
  return { caseNumber: c?.case_number, parties: parties.map((p) => ({ partyId: p.party_id, phoneEnc: p.phone_enc! })) };
}

/** The case's mediator and the organizations it was taken in and is handled by (whose clerks are reminded). */
export async function caseStaffing(
  db: Tx,
  caseId: string,
): Promise<
  | { caseNumber: string; mediatorAccountId: string | null; handlingOrgId: string | null; intakeOrgId: string | null }
  | undefined
> {
  const c = await db('cases')
    .where({ case_id: caseId })
    .first('case_number', 'mediator_account_id', 'handling_org_id', 'intake_org_id');
  return c
    ? {
        caseNumber: c.case_number,
        mediatorAccountId: c.mediator_account_id,
        handlingOrgId: c.handling_org_id,
        intakeOrgId: c.intake_org_id,
      }
    : undefined;
}

/** The court that delegated the case and its references; undefined for a case no court delegated. */
export async function delegatingCourtOf(
  db: Tx,
  caseId: string,
): Promise<
  { institutionId: string; caseNumber: string; courtCaseNumber: string | null; letterNumber: string | null } | undefined
> {
  const c = await db('cases').where({ case_id: caseId }).first('court_institution_id', 'case_number', 'court');
  if (!c?.court_institution_id) return undefined;
  const court = (c.court ?? {}) as { courtCaseNumber?: string; letterNumber?: string };
  return {
    institutionId: c.court_institution_id,
    caseNumber: c.case_number,
    courtCaseNumber: court.courtCaseNumber ?? null,
    letterNumber: court.letterNumber ?? null,
  };
}
