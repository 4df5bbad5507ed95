/** Data access for identity: sessions, API keys, access codes, one-time codes, and the security logs. */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal, StaffRole } from '../domain/access-policy.js';
import {
  apiKeyPrefix,
  newAccessCode,
  newApiKey,
  newSessionToken,
  normalizeAccessCode,
  sha256,
} from '../identity/secrets.js';

type Tx = Knex | Knex.Transaction;

export type SecurityEvent = {
  kind: string;
  principal?: string | null;
  role?: string | null;
  subject?: string | null;
  caseId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
};

export async function recordSecurityEvent(db: Tx, e: SecurityEvent): Promise<void> {
  await db('security_events').insert({
    kind: e.kind,
    principal: e.principal ?? null,
    role: e.role ?? null,
    subject: e.subject ?? null,
    case_id: e.caseId ?? null,
    ip: e.ip ?? null,
    detail: JSON.stringify(e.detail ?? {}),
  });
}

export async function countSecurityEvents(
  db: Tx,
  kind: string,
  where: { subject?: string; ip?: string },
  sinceMs: number,
): Promise<number> {
  const q = db('security_events')
    .where({ kind })
    .where('at', '>', new Date(Date.now() - sinceMs));
  if (where.subject !== undefined) q.where({ subject: where.subject });
  if (where.ip !== undefined) q.where({ ip: where.ip });
  const [row] = await q.count<{ n: number }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}

// Staff ---------------------------------------------------------------------------------------------------

export type StaffAccount = {
  accountId: string;
  username: string;
  displayName: string;
  role: StaffRole | 'court' | 'notary';
  orgId: string | null;
  institutionId: string | null;
  passwordHash: string;
  active: boolean;
};

export async function findStaffByUsername(db: Tx, username: string): Promise<StaffAccount | undefined> {
  const r = await db('staff_accounts').where({ username }).first();
  return r ? toStaff(r) : undefined;
}

type StaffRow = {
  account_id: string;
  username: string;
  display_name: string;
  role: StaffAccount['role'];
  org_id: string | null;
  institution_id: string | null;
  password_hash: string;
  active: boolean;
};

function toStaff(r: StaffRow): StaffAccount {
  return {
    accountId: r.account_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    orgId: r.org_id,
    institutionId: r.institution_id,
    passwordHash: r.password_hash,
    active: r.active,
  };
}

/** The name of a court, notary office or other institution, or undefined when there is no such institution. */
export async function institutionName(db: Tx, institutionId: string): Promise<string | undefined> {
  const row = await db('institutions').where({ institution_id: institutionId }).first('name');
  return row?.name;
}

/** The principal an account acts as; undefined for a court or notary account not tied to its institution. */
export function staffPrincipal(a: StaffAccount, institutionName?: string): Principal | undefined {
  if (a.role === 'court' || a.role === 'notary') {
    // Such an account would see no case or, worse, be mistaken for another; the database forbids it too.
    if (!a.institutionId) return undefined;
    return {
      kind: 'institution',
      id: a.accountId,
      role: a.role,
      institutionId: a.institutionId,
      name: institutionName ?? a.displayName,
      via: 'login',
    };
  }
  return { kind: 'staff', id: a.accountId, role: a.role, orgId: a.orgId, name: a.displayName };
}

// Sessions ------------------------------------------------------------------------------------------------

export async function createSession(db: Tx, subject: { accountId: string } | { partyId: string }, ttlMs: number) {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db('sessions').insert({
    token_hash: sha256(token),
    subject_kind: 'accountId' in subject ? 'staff' : 'party',
    account_id: 'accountId' in subject ? subject.accountId : null,
    party_id: 'partyId' in subject ? subject.partyId : null,
    expires_at: expiresAt,
  });
  return { token, expiresAt };
}

export type SessionLookup =
  { ok: true; principal: Principal } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'inactive' };

export async function findSession(db: Tx, token: string): Promise<SessionLookup> {
  const s = await db('sessions')
    .where({ token_hash: sha256(token) })
    .first();
  if (!s) return { ok: false, reason: 'unknown' };
  if (s.revoked_at) return { ok: false, reason: 'revoked' };
  if (s.expires_at <= new Date()) return { ok: false, reason: 'expired' };
  if (s.subject_kind === 'staff') {
    const a = await db('staff_accounts').where({ account_id: s.account_id }).first();
    if (!a || !a.active) return { ok: false, reason: 'inactive' };
    const principal = staffPrincipal(
      toStaff(a),
      a.institution_id ? await institutionName(db, a.institution_id) : undefined,
    );
    return principal ? { ok: true, principal } : { ok: false, reason: 'inactive' };
  }
  const p = await db('case_parties').where({ party_id: s.party_id }).first('party_id', 'case_id', 'name');
  if (!p) return { ok: false, reason: 'inactive' };
  return { ok: true, principal: { kind: 'party', id: p.party_id, role: 'party', caseId: p.case_id, name: p.name } };
}

export async function revokeSession(db: Tx, token: string): Promise<boolean> {
  const n = await db('sessions')
    .where({ token_hash: sha256(token) })
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() });
  return n > 0;
}

// Institution API keys ------------------------------------------------------------------------------------

export async function createApiKey(db: Tx, institutionId: string, label: string) {
  const { key, prefix } = newApiKey();
  const keyId = randomUUID();
  await db('institution_api_keys').insert({
    key_id: keyId,
    institution_id: institutionId,
    key_prefix: prefix,
    key_hash: sha256(key),
    label,
  });
  return { key, keyId, prefix };
}

export async function revokeApiKey(db: Tx, prefix: string): Promise<boolean> {
  return (
    (await db('institution_api_keys')
      .where({ key_prefix: prefix })
      .whereNull('revoked_at')
      .update({ revoked_at: new Date() })) > 0
  );
}

export type ApiKeyLookup =
  | { ok: true; principal: Principal; prefix: string }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked'; prefix?: string };

export async function findApiKey(db: Tx, key: string): Promise<ApiKeyLookup> {
  const prefix = apiKeyPrefix(key);
  if (!prefix) return { ok: false, reason: 'malformed' };
  const row = await db('institution_api_keys').where({ key_prefix: prefix }).first();
  if (!row || row.key_hash !== sha256(key)) return { ok: false, reason: 'unknown', prefix };
  if (row.revoked_at) return { ok: false, reason: 'revoked', prefix };
  const inst = await db('institutions').where({ institution_id: row.institution_id }).first();
  await db('institution_api_keys').where({ key_id: row.key_id }).update({ last_used_at: new Date() });
  return {
    ok: true,
    prefix,
    principal: {
      kind: 'institution',
      id: `${row.institution_id}/key:${prefix}`,
      role: inst.kind === 'court' ? 'court' : 'notary',
      institutionId: row.institution_id,
      name: inst.name,
      via: 'api_key',
    },
  };
}

// Parties -------------------------------------------------------------------------------------------------

/** Issues a new access code for a party, replacing any earlier one. Returns it once. */
export async function issueAccessCode(db: Tx, partyId: string, issuedBy: string): Promise<string> {
  const code = newAccessCode();
  await db('party_access_codes')
    .insert({ party_id: partyId, code_hash: sha256(code), issued_by: issuedBy, created_at: new Date() })
    .onConflict('party_id')
    .merge(['code_hash', 'issued_by', 'created_at']);
  return code;
}

/**
 * When each party's current access code was issued (a party without one is absent). One code per party:
 * `issueAccessCode` replaces the previous one, which stops working at once.
 */
export async function accessCodesIssuedAt(db: Tx, partyIds: string[]): Promise<Map<string, string>> {
  if (partyIds.length === 0) return new Map();
  const rows = await db('party_access_codes').whereIn('party_id', partyIds).select('party_id', 'created_at');
  return new Map(rows.map((r) => [r.party_id as string, (r.created_at as Date).toISOString()]));
}

export async function findPartyByAccessCode(db: Tx, input: string) {
  const row = await db('party_access_codes')
    .where({ code_hash: sha256(normalizeAccessCode(input)) })
    .first('party_id');
  if (!row) return undefined;
  return db('case_parties').where({ party_id: row.party_id }).first('party_id', 'case_id', 'phone_enc', 'name');
}

/** The case a party belongs to, or undefined when there is no such party. */
export async function caseIdOfParty(db: Tx, partyId: string): Promise<string | undefined> {
  const row = await db('case_parties').where({ party_id: partyId }).first('case_id');
  return row?.case_id;
}

/** Ends every open session of a party (their access code was replaced). */
export async function revokePartySessions(db: Tx, partyId: string): Promise<void> {
  await db('sessions').where({ party_id: partyId }).whereNull('revoked_at').update({ revoked_at: new Date() });
}

export type RecoveryCandidates = {
  caseId: string;
  caseNumber: string;
  /** The parties with both an ID number and a phone on record (sealed), in the order of the intake. */
  parties: { partyId: string; idNumberEnc: string; phoneEnc: string }[];
};

/** The case with this number and the parties who could recover its access code, or undefined for no such case. */
export async function recoveryCandidates(db: Tx, caseNumber: string): Promise<RecoveryCandidates | undefined> {
  const caseRow = await db('cases').where({ case_number: caseNumber }).first('case_id', 'case_number');
  if (!caseRow) return undefined;
  const parties = await db('case_parties')
    .where({ case_id: caseRow.case_id })
    .whereNotNull('id_number_enc')
    .whereNotNull('phone_enc')
    .orderBy('position')
    .select('party_id', 'id_number_enc', 'phone_enc');
  return {
    caseId: caseRow.case_id,
    caseNumber: caseRow.case_number,
    parties: parties.map((p) => ({ partyId: p.party_id, idNumberEnc: p.id_number_enc!, phoneEnc: p.phone_enc! })),
  };
}
