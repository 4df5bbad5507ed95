/** Data access for the case record. Functions take `db: Knex | Knex.Transaction` and return plain objects. */
import type { Knex } from 'knex';
import type { CaseAccess } from '../domain/access-policy.js';
import type { CaseEvent, CaseIntake, CaseStatus, LegalRepresentative } from '../domain/case.js';
import { DEFAULT_CASE_NUMBER_PATTERN, chinaYear, formatCaseNumber } from '../domain/case-number.js';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../domain/masking.js';
import type { FieldCipher } from '../infra/crypto.js';
import { chainLinks } from './event-chain.js';
import type { CaseEventRow, CasePartyRow, CaseRow } from './tables.js';
import { saveCaseState } from './workflow-state.js';
import type { CaseState } from '../domain/case-rules.js';

type Tx = Knex | Knex.Transaction;

async function allocateSequence(tx: Tx, scope: string, year: number): Promise<number> {
  const { rows } = await tx.raw(
    `INSERT INTO case_number_sequences (scope, year, last_value) VALUES (?, ?, 1)
     ON CONFLICT (scope, year) DO UPDATE SET last_value = case_number_sequences.last_value + 1
     RETURNING last_value`,
    [scope, year],
  );
  return rows[0].last_value as number;
}

/**
 * Records a new case with its parties and its first event, once: a retry finds the row and returns the
 * number it was given. The sequence increment is in the same transaction, so a failed attempt uses none.
 * `alongside` writes what moves with the record (the statistics' facts) in the same transaction, under the same
 * lock, on every attempt (it must be idempotent): a failed attempt leaves neither, and attempts never race.
 */
export async function registerCaseRecord(
  db: Knex,
  cipher: FieldCipher,
  input: {
    intake: CaseIntake;
    event: CaseEvent;
    workflowId: string;
    stateAfter?: (caseNumber: string) => CaseState;
    alongside?: (tx: Knex.Transaction) => Promise<void>;
  },
): Promise<{ caseNumber: string; created: boolean }> {
  const { intake, event, workflowId, stateAfter, alongside } = input;
  return db.transaction(async (tx) => {
    // Serialise concurrent attempts for the same case on the case id.
    await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [intake.caseId]);
    const existing = await tx('cases').where({ case_id: intake.caseId }).first('case_number');
    if (existing) {
      await alongside?.(tx);
      return { caseNumber: existing.case_number, created: false };
    }

    const org = await tx('organizations')
      .where({ org_id: intake.routing.intakeOrgId })
      .first('abbreviation', 'case_number_pattern');
    if (!org?.abbreviation)
      throw new Error(`organization ${intake.routing.intakeOrgId} has no case-number abbreviation`);
    const year = chinaYear(intake.receivedAt);
    // One sequence per number prefix and year: the abbreviation is what makes numbers distinct.
    const sequence = await allocateSequence(tx, org.abbreviation, year);
    const caseNumber = formatCaseNumber(org.case_number_pattern ?? DEFAULT_CASE_NUMBER_PATTERN, {
      year,
      abbreviation: org.abbreviation,
      sequence,
    });
    const receivedAt = new Date(intake.receivedAt);
    await tx('cases').insert({
      case_id: intake.caseId,
      workflow_id: workflowId,
      case_number: caseNumber,
      status: 'REGISTERED',
      channel: intake.channel,
      dispute_type: intake.disputeType,
      summary: intake.summary,
      claimant_learned_of_harm_on: intake.claimantLearnedOfHarmOn,
      claim_amount_fen: intake.claimAmountFen ?? null,
      court: intake.court ?? null,
      referral: intake.referral ?? null,
      prior_proceedings: intake.priorProceedings ?? null,
      received_at: receivedAt,
      registered_by_id: intake.registeredBy.id,
      registered_by_role: intake.registeredBy.role,
      last_seq: 0,
      status_changed_at: receivedAt,
      intake_org_id: intake.routing.intakeOrgId,
      handling_org_id: intake.routing.intakeOrgId,
      court_institution_id: intake.routing.courtInstitutionId ?? null,
    });
    await tx('case_parties').insert(
      intake.parties.map((p, position) => ({
        party_id: p.partyId,
        case_id: intake.caseId,
        position,
        role: p.role,
        kind: p.kind,
        name: p.minorUnder14 ? maskName(p.name) : p.name,
        name_enc: p.minorUnder14 ? cipher.encrypt(p.name) : null,
        minor_under_14: p.minorUnder14 ?? false,
        represents_party_id: p.representsPartyId ?? null,
        id_number_enc: p.idNumber ? cipher.encrypt(p.idNumber) : null,
        phone_enc: p.phone ? cipher.encrypt(p.phone) : null,
        address_enc: p.address ? cipher.encrypt(p.address) : null,
        credit_code: p.creditCode ?? null,
        legal_representative: p.legalRepresentative ?? null,
      })),
    );
    await appendCaseEvents(tx, intake.caseId, [event], 'REGISTERED');
    if (stateAfter) await saveCaseState(tx, intake.caseId, stateAfter(caseNumber));
    await alongside?.(tx);
    return { caseNumber, created: true };
  });
}

/**
 * Appends events to the case's chain and moves the projection, idempotently: an event whose sequence
 * number is already stored is skipped, so a retried activity never writes twice. `alsoSet`: more of the case
 * row's columns that move with these events (db/case-projection.ts caseProjectionColumns), in the same update.
 */
export async function appendCaseEvents(
  trx: Knex.Transaction,
  caseId: string,
  events: CaseEvent[],
  status: CaseStatus,
  alsoSet: Record<string, unknown> = {},
): Promise<number> {
  // The case row locked: one writer per chain at a time. The last hash is on the row, so the locking read answers
  // it as the writer it may have waited for left it (a join to the events would still see them as they were before).
  // It counts only while it is the hash of `last_seq`: else (older code appended since) the event is read.
  const current = await trx('cases')
    .where({ case_id: caseId })
    .forUpdate()
    .first('last_seq', 'last_hash', 'last_hash_seq');
  if (!current) throw new Error(`case ${caseId} has no record`);
  const prevHash: string | null =
    current.last_seq === 0
      ? null
      : current.last_hash !== null && current.last_hash_seq === current.last_seq
        ? current.last_hash
        : ((await trx('case_events').where({ case_id: caseId, seq: current.last_seq }).first('hash'))?.hash ?? null);
  const rows = chainLinks(caseId, events, current.last_seq, prevHash).map((l) => ({ case_id: caseId, ...l }));
  const last = rows.at(-1)?.seq ?? current.last_seq;
  const written = rows.length;
  if (written > 0) {
    const lastEvent = events.find((e) => e.seq === last)!;
    // One statement for the decision's events and the case row they move.
    await trx('cases')
      .with('appended', trx('case_events').insert(rows))
      .where({ case_id: caseId })
      .update({
        ...alsoSet,
        status,
        last_seq: last,
        last_hash: rows.at(-1)!.hash,
        last_hash_seq: last,
        status_changed_at: new Date(lastEvent.at),
        updated_at: new Date(),
      } as never);
  }
  return written;
}

export type PartyView = {
  partyId: string;
  role: string;
  representsPartyId: string | null;
  minorUnder14: boolean;
  kind: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  creditCode: string | null;
  /** 法定代表人 or 主要负责人 (name, title) of an organization party (民事诉讼法 Art 51 ¶2). */
  legalRepresentative: LegalRepresentative | null;
};

export type CaseRecord = {
  caseId: string;
  caseNumber: string;
  status: string;
  channel: string;
  disputeType: string;
  summary: string;
  claimantLearnedOfHarmOn: string;
  claimAmountFen: number | null;
  court: Record<string, unknown> | null;
  referral: Record<string, unknown> | null;
  priorProceedings: Record<string, unknown> | null;
  receivedAt: string;
  lastSeq: number;
  statusChangedAt: string;
  parties: PartyView[];
  events: { seq: number; type: string; at: string; actorId: string; actorRole: string; payload: unknown }[];
};

/** The columns the access policy needs, or undefined when there is no such case. */
export async function getCaseAccess(db: Tx, caseId: string): Promise<CaseAccess | undefined> {
  const row = await db('cases').where({ case_id: caseId }).first();
  if (!row) return undefined;
  const parties = await db('case_parties').where({ case_id: caseId }).select('party_id', 'represents_party_id');
  return caseAccessOf(row, parties);
}

/** The case's columns caseAccessOf reads (for a query that reads them beside something else). */
export const CASE_ACCESS_COLUMNS = [
  'case_id',
  'intake_org_id',
  'handling_org_id',
  'mediator_account_id',
  'court_institution_id',
  'confirming_court_id',
  'notary_institution_id',
  'legal_aid_requested',
] as const satisfies readonly (keyof CaseRow)[];

/** Who may see a case, from its row and its parties' rows (getCaseAccess, db/case-view-read.ts). */
export function caseAccessOf(
  row: Pick<CaseRow, (typeof CASE_ACCESS_COLUMNS)[number]>,
  parties: readonly Pick<CasePartyRow, 'party_id' | 'represents_party_id'>[],
): CaseAccess {
  return {
    caseId: row.case_id,
    intakeOrgId: row.intake_org_id,
    handlingOrgId: row.handling_org_id,
    mediatorAccountId: row.mediator_account_id,
    courtInstitutionId: row.court_institution_id,
    confirmingCourtId: row.confirming_court_id,
    notaryInstitutionId: row.notary_institution_id,
    legalAidRequested: row.legal_aid_requested,
    partyIds: parties.map((p) => p.party_id),
    represents: Object.fromEntries(
      parties.filter((p) => p.represents_party_id).map((p) => [p.party_id, p.represents_party_id!]),
    ),
  };
}

export const PERSONAL_FIELDS = { idNumber: 'id_number_enc', phone: 'phone_enc', address: 'address_enc' } as const;
export type PersonalField = keyof typeof PERSONAL_FIELDS;

/**
 * The full values of one party's personal data, for a principal the policy allows; every field returned
 * is recorded as read (who, when, which field, which case, and why: 个人信息保护法 Art 6, a stated purpose).
 */
export async function readPersonalData(
  db: Knex,
  cipher: FieldCipher,
  input: { caseId: string; partyId: string; reader: { id: string; role: string }; reason: string },
) {
  const row = await db('case_parties').where({ case_id: input.caseId, party_id: input.partyId }).first();
  if (!row) return undefined;
  const out: Partial<Record<PersonalField, string>> = {};
  for (const [field, column] of Object.entries(PERSONAL_FIELDS) as [
    PersonalField,
    (typeof PERSONAL_FIELDS)[PersonalField],
  ][]) {
    const sealed = row[column];
    if (sealed) out[field] = cipher.decrypt(sealed);
  }
  const fields = Object.keys(out);
  if (fields.length > 0) {
    await db('personal_data_reads').insert(
      fields.map((field) => ({
        principal: input.reader.id,
        role: input.reader.role,
        case_id: input.caseId,
        party_id: input.partyId,
        field,
        reason: input.reason,
      })),
    );
  }
  if (row.name_enc) {
    await db('personal_data_reads').insert({
      principal: input.reader.id,
      role: input.reader.role,
      case_id: input.caseId,
      party_id: input.partyId,
      field: 'name',
      reason: input.reason,
    });
  }
  return {
    partyId: row.party_id as string,
    name: row.name_enc ? cipher.decrypt(row.name_enc) : (row.name as string),
    ...out,
  };
}

/**
 * A party's new service address or phone (送达地址确认), sealed as at intake; texts and documents use them from
 * now on. Answers the values as the case view shows them (masked).
 */
export async function updateContact(
  db: Knex,
  cipher: FieldCipher,
  input: { caseId: string; partyId: string; address?: string | undefined; phone?: string | undefined },
) {
  const changes = {
    ...(input.address !== undefined ? { address_enc: cipher.encrypt(input.address) } : {}),
    ...(input.phone !== undefined ? { phone_enc: cipher.encrypt(input.phone) } : {}),
  };
  // Nothing new (the details confirmed as they are): the record stays as it is.
  if (Object.keys(changes).length > 0)
    await db('case_parties').where({ case_id: input.caseId, party_id: input.partyId }).update(changes);
  const row = await db('case_parties')
    .where({ case_id: input.caseId, party_id: input.partyId })
    .first('phone_enc', 'address_enc');
  const shown = (sealed: string | null | undefined, mask: (v: string) => string) =>
    sealed ? mask(cipher.decrypt(sealed)) : null;
  return {
    partyId: input.partyId,
    phone: shown(row?.phone_enc, maskPhone),
    address: shown(row?.address_enc, maskAddress),
  };
}

/** The case as stored, with personal data masked (full values are for roles that need them, with an audit). */
export async function getCaseRecord(db: Tx, cipher: FieldCipher, caseId: string): Promise<CaseRecord | undefined> {
  const row = await db('cases').where({ case_id: caseId }).first();
  if (!row) return undefined;
  const parties = await db('case_parties').where({ case_id: caseId }).orderBy('position');
  const events = await db('case_events').where({ case_id: caseId }).orderBy('seq');
  return caseRecordOf(cipher, row, parties, events.map(recordedEventOf));
}

/** A recorded event as the record shows it. */
export const recordedEventOf = (
  e: Pick<CaseEventRow, 'seq' | 'type' | 'at' | 'actor_id' | 'actor_role' | 'payload'>,
): CaseRecord['events'][number] => ({
  seq: e.seq,
  type: e.type,
  at: e.at.toISOString(),
  actorId: e.actor_id,
  actorRole: e.actor_role,
  payload: e.payload,
});

/** The record from a case's row, its parties' rows (personal data masked) and its events (db/case-view-read.ts too). */
type CaseRecordRow = Pick<
  CaseRow,
  | 'case_id'
  | 'case_number'
  | 'status'
  | 'channel'
  | 'dispute_type'
  | 'summary'
  | 'claimant_learned_of_harm_on'
  | 'claim_amount_fen'
  | 'court'
  | 'referral'
  | 'prior_proceedings'
  | 'received_at'
  | 'last_seq'
  | 'status_changed_at'
>;

export function caseRecordOf(
  cipher: FieldCipher,
  row: CaseRecordRow,
  parties: readonly CasePartyRow[],
  events: CaseRecord['events'],
): CaseRecord {
  const masked = (sealed: string | null, mask: (v: string) => string) => (sealed ? mask(cipher.decrypt(sealed)) : null);
  return {
    caseId: row.case_id,
    caseNumber: row.case_number,
    status: row.status,
    channel: row.channel,
    disputeType: row.dispute_type,
    summary: row.summary,
    claimantLearnedOfHarmOn: row.claimant_learned_of_harm_on,
    claimAmountFen: row.claim_amount_fen,
    court: row.court,
    referral: row.referral,
    priorProceedings: row.prior_proceedings,
    receivedAt: row.received_at.toISOString(),
    lastSeq: row.last_seq,
    statusChangedAt: row.status_changed_at.toISOString(),
    parties: parties.map((p) => ({
      partyId: p.party_id,
      role: p.role,
      representsPartyId: p.represents_party_id,
      minorUnder14: p.minor_under_14,
      kind: p.kind,
      name: p.name,
      idNumber: masked(p.id_number_enc, maskIdNumber),
      phone: masked(p.phone_enc, maskPhone),
      address: masked(p.address_enc, maskAddress),
      creditCode: p.credit_code,
      legalRepresentative: p.legal_representative ?? null,
    })),
    events,
  };
}

/** The case's number, or undefined when there is no such case. */
export async function caseNumberOf(db: Tx, caseId: string): Promise<string | undefined> {
  return (await db('cases').where({ case_id: caseId }).first('case_number'))?.case_number;
}

/** The case's recorded status, or undefined when there is no such case. */
export async function caseStatusOf(db: Tx, caseId: string): Promise<string | undefined> {
  return (await db('cases').where({ case_id: caseId }).first('status'))?.status;
}

/** A party's phone on record, unsealed, or undefined when none is on record. */
export async function partyPhoneOf(db: Tx, cipher: FieldCipher, partyId: string): Promise<string | undefined> {
  const row = await db('case_parties').where({ party_id: partyId }).first('phone_enc');
  return row?.phone_enc ? cipher.decrypt(row.phone_enc) : undefined;
}

/** The party the case's latest legal-aid application is for, from its recorded events. */
export async function legalAidApplicantOf(db: Tx, caseId: string): Promise<string | undefined> {
  const applied = await db('case_events')
    .where({ case_id: caseId, type: 'LegalAidApplied' })
    .orderBy('seq', 'desc')
    .first('payload');
  return (applied?.payload as { partyId?: string } | undefined)?.partyId;
}

export type CaseDeadlineRecord = {
  ruleId: string;
  status: string;
  startedAt: Date;
  dueAt: Date | null;
  lastDay: string | null;
  reminderAt: Date | null;
  calendarVersion: string | null;
  explanation: unknown;
};

/** Every deadline of the case, in the order they started. */
export async function caseDeadlines(db: Tx, caseId: string): Promise<CaseDeadlineRecord[]> {
  const rows = await db('case_deadlines').where({ case_id: caseId }).orderBy('started_at');
  return rows.map((r) => ({
    ruleId: r.rule_id,
    status: r.status,
    startedAt: r.started_at,
    dueAt: r.due_at,
    lastDay: r.last_day,
    reminderAt: r.reminder_at,
    calendarVersion: r.calendar_version,
    explanation: r.explanation,
  }));
}
