/**
 * Data access for credit files (诚信档案, seed Arts 56–57) and the public directory (seed Art 21): one hash chain
 * per mediator and per organization, hashed as a case's (db/event-chain.ts) with `<kind>:<id>` in place of the
 * case's id. Entries are only ever appended (a trigger refuses UPDATE and DELETE), each keyed by its source so
 * a retried write (an activity, a repeated request) lands once. The directory reads profiles, levels and the
 * bad records inside their window; never a phone, an ID number or a complainant.
 */
import type { Knex } from 'knex';
import { addDays, chinaDateOf, endOfChinaDay } from '../domain/calendar.js';
import {
  ADVERSE_KINDS,
  currentLevel,
  publicView,
  type CreditEntry,
  type CreditEntryKind,
  type CreditSubjectKind,
  type Evaluation,
  type LevelInputs,
} from '../domain/credit.js';
import { metricOf, ratio } from '../domain/statistics.js';
import { metricRows, type StatisticsScope } from './case-facts.js';
import { chainLinks, verifyChainRows, type ChainVerdict } from './event-chain.js';
import { ratingSummary } from './ratings.js';
import { MEDIATION_ORGANIZATION_KINDS, rosterMediators, type RosterMediator } from './roster.js';
import type { CreditEntryRow } from './tables.js';

type Tx = Knex | Knex.Transaction;

export type CreditSubject = { kind: CreditSubjectKind; id: string };
/** The chain's id: the subject's kind and id (a mediator's account id and an org id never collide across kinds). */
export const creditChainId = (s: CreditSubject) => `${s.kind}:${s.id}`;

/** An entry as a reader gets it back: the entry, its place in the chain, and when it was recorded by whom. */
export type StoredCreditEntry = CreditEntry & {
  seq: number;
  hash: string;
  recordedAt: string;
  recordedBy: { id: string; role: string };
};

export type AppendInput = {
  subject: CreditSubject;
  entry: CreditEntry;
  actor: { id: string; role: string };
  at: Date;
  /** One entry per source: complaint:<id>, rating:<id>, a request's Idempotency-Key … */
  sourceKey: string;
};

/**
 * Appends an entry to the subject's file in the caller's transaction, once per source key: a second call with
 * the same key returns the entry already written. One writer per file: its row is locked.
 */
export async function appendCreditEntry(
  trx: Knex.Transaction,
  input: AppendInput,
): Promise<{ seq: number; created: boolean }> {
  const { subject } = input;
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`credit:${input.sourceKey}`]);
  const existing = await trx('credit_entries').where({ source_key: input.sourceKey }).first('seq');
  if (existing) return { seq: existing.seq, created: false };
  await trx('credit_files')
    .insert({ subject_kind: subject.kind, subject_id: subject.id, last_seq: 0 })
    .onConflict(['subject_kind', 'subject_id'])
    .ignore();
  const file = await trx('credit_files')
    .where({ subject_kind: subject.kind, subject_id: subject.id })
    .forUpdate()
    .first('last_seq');
  const last = file?.last_seq ?? 0;
  const prev = last === 0 ? null : await trx('credit_entries').where(keyOf(subject)).where({ seq: last }).first('hash');
  const event = {
    seq: last + 1,
    type: input.entry.kind,
    at: input.at.toISOString(),
    actor: input.actor,
    payload: payloadOf(input.entry),
  };
  const [link] = chainLinks(creditChainId(subject), [event], last, prev?.hash ?? null);
  await trx('credit_entries').insert({
    ...keyOf(subject),
    ...link!,
    source_key: input.sourceKey,
    decided_on: input.entry.decidedOn,
    public_until: publicUntil(input.entry),
  });
  await trx('credit_files')
    .where(keyOf(subject))
    .update({ last_seq: last + 1 });
  return { seq: last + 1, created: true };
}

/** `appendCreditEntry` in a transaction of its own. */
export async function appendCreditEntryOnce(db: Knex, input: AppendInput): Promise<{ seq: number; created: boolean }> {
  return db.transaction((trx) => appendCreditEntry(trx, input));
}

const keyOf = (s: CreditSubject) => ({ subject_kind: s.kind, subject_id: s.id });

/** The chained payload: the entry without its kind (the chain's type), as JSON (undefined fields left out). */
function payloadOf(entry: CreditEntry): Record<string, unknown> {
  const { kind: _kind, ...rest } = entry;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** The directory's prefilter: a bad record's end of window (null: the public never sees it). */
function publicUntil(entry: CreditEntry): string | null {
  return ADVERSE_KINDS.includes(entry.kind) ? entry.disclosure.until : null;
}

function entryOf(row: CreditEntryRow): StoredCreditEntry {
  const payload = row.payload as Omit<CreditEntry, 'kind'>;
  return {
    ...payload,
    kind: row.type as CreditEntryKind,
    seq: row.seq,
    hash: row.hash,
    recordedAt: row.at.toISOString(),
    recordedBy: { id: row.actor_id, role: row.actor_role },
  };
}

/** A subject's whole file, in order. */
export async function creditFile(db: Tx, subject: CreditSubject): Promise<StoredCreditEntry[]> {
  const rows = await db('credit_entries').where(keyOf(subject)).orderBy('seq');
  return rows.map(entryOf);
}

/** Checks a file's chain as `verifyCaseChain` checks a case's: numbering, links and every hash. */
export async function verifyCreditChain(db: Tx, subject: CreditSubject): Promise<ChainVerdict> {
  const rows = await db('credit_entries').where(keyOf(subject)).orderBy('seq');
  return verifyChainRows(creditChainId(subject), rows);
}

/** Whose file it is: the mediator's name and organization, or the mediation organization's name; undefined if none. */
export async function creditSubject(
  db: Tx,
  subject: CreditSubject,
): Promise<{ name: string; orgId: string } | undefined> {
  if (subject.kind === 'organization') {
    const org = await db('organizations')
      .where({ org_id: subject.id })
      .whereIn('kind', [...MEDIATION_ORGANIZATION_KINDS])
      .first('name');
    return org ? { name: org.name, orgId: subject.id } : undefined;
  }
  if (!/^[0-9a-f-]{36}$/.test(subject.id)) return undefined;
  const m = await db('staff_accounts')
    .where({ account_id: subject.id, role: 'mediator' })
    .first('display_name', 'org_id');
  return m?.org_id ? { name: m.display_name, orgId: m.org_id } : undefined;
}

// The computed evaluation ------------------------------------------------------------------------------------

/**
 * The figures an evaluation levels (seed Art 57 综合评价) for a subject over a period of China dates, from the
 * per-case facts projection as the statistics count them, and 满意率 from the ratings summary (db/ratings.ts).
 */
export async function evaluationInputs(
  db: Knex,
  subject: CreditSubject,
  period: Evaluation['period'],
  now: Date,
): Promise<LevelInputs> {
  const scope: StatisticsScope = subject.kind === 'mediator' ? { mediatorId: subject.id } : { orgId: subject.id };
  // 满意率 over the same China dates, from the counted ratings (not those excluded on 申诉复核).
  const { satisfactionRate } = await ratingSummary(db, {
    from: new Date(`${period.from}T00:00:00+08:00`),
    to: new Date(endOfChinaDay(period.to)),
    ...(subject.kind === 'mediator' ? { mediatorAccountId: subject.id } : { orgId: subject.id }),
  });
  const w = { ...period, now, nearBy: now };
  const total = async (id: Parameters<typeof metricOf>[0]) => (await metricRows(db, metricOf(id), null, w, scope))[0];
  const rate = await total('success_rate');
  const durations = await total('duration_from_acceptance');
  const today = chinaDateOf(now);
  const file = await creditFile(db, subject);
  return {
    concluded: rate?.denominator ?? 0,
    agreementRate: rate ? ratio(rate.numerator, rate.denominator) : null,
    medianDays: durations?.calendarDays?.median ?? null,
    onTimeRate: await onTimeRate(db, scope, period),
    satisfactionRate,
    complaintsUpheld: file.filter(
      (e) => e.kind === 'complaint_upheld' && e.decidedOn >= period.from && e.decidedOn <= period.to,
    ).length,
    adverseInWindow: publicView(file, today).length,
  };
}

/** Deadlines that fell due in the period (China dates) on the subject's cases: met ÷ met or expired. */
async function onTimeRate(db: Knex, scope: StatisticsScope, period: Evaluation['period']): Promise<number | null> {
  const q = db('case_deadlines as d')
    .join('case_facts as f', 'f.case_id', 'd.case_id')
    .whereIn('d.status', ['met', 'expired'])
    .where('d.due_at', '>=', new Date(`${period.from}T00:00:00+08:00`))
    .where('d.due_at', '<', new Date(`${addDays(period.to, 1)}T00:00:00+08:00`));
  if (typeof scope === 'object' && 'mediatorId' in scope) q.where('f.mediator_account_id', scope.mediatorId);
  else if (typeof scope === 'object' && 'orgId' in scope)
    q.where((w) => w.where('f.intake_org_id', scope.orgId).orWhere('f.handling_org_id', scope.orgId));
  const [row] = await q.select(db.raw("count(*) FILTER (WHERE d.status = 'met') AS met"), db.raw('count(*) AS due'));
  return ratio(Number(row?.met ?? 0), Number(row?.due ?? 0));
}

// The public directory -----------------------------------------------------------------------------------------

/** What the public sees of a file on a date: its current level and the bad records inside their window. */
export type PublicCredit = {
  level: ReturnType<typeof currentLevel>;
  records: StoredCreditEntry[];
};

/** The public part of many files at once (evaluations and bad records only; the rest is never read). */
export async function publicCredit(db: Tx, subjects: CreditSubject[], on: string): Promise<Map<string, PublicCredit>> {
  const out = new Map<string, PublicCredit>(subjects.map((s) => [creditChainId(s), { level: null, records: [] }]));
  if (subjects.length === 0) return out;
  const rows = await db('credit_entries')
    .whereIn(
      ['subject_kind', 'subject_id'],
      subjects.map((s) => [s.kind, s.id]),
    )
    .where((w) =>
      w
        .where('type', 'evaluation')
        .orWhere((b) => b.whereIn('type', [...ADVERSE_KINDS]).where('public_until', '>', on)),
    )
    .orderBy('seq');
  const bySubject = new Map<string, StoredCreditEntry[]>();
  for (const r of rows) {
    const id = creditChainId({ kind: r.subject_kind as CreditSubjectKind, id: r.subject_id });
    bySubject.set(id, [...(bySubject.get(id) ?? []), entryOf(r)]);
  }
  for (const [id, entries] of bySubject)
    out.set(id, { level: currentLevel(entries), records: publicView(entries, on) });
  return out;
}

export type DirectoryListing = { address: string; hours: string; officePhone: string | null; source: string };

/** Addresses and office hours by holder id (organizations' and institutions'). */
export async function directoryListings(db: Tx, holderIds: string[]): Promise<Map<string, DirectoryListing>> {
  const rows = holderIds.length ? await db('directory_listings').whereIn('holder_id', holderIds) : [];
  return new Map(
    rows.map((r) => [
      r.holder_id,
      { address: r.address, hours: r.hours, officePhone: r.office_phone, source: r.source },
    ]),
  );
}

/** Active mediators of active organizations, as the roster lists them for a party (no load, no contact data). */
export async function directoryMediators(
  db: Knex,
  f: { orgId?: string | undefined; disputeType?: string | undefined; language?: string | undefined },
): Promise<RosterMediator[]> {
  return rosterMediators(db, { scope: 'active', ...f });
}

/** Office hours most offices keep (国务院 working hours, Beijing time), unless a listing says otherwise. */
const OFFICE_HOURS = '周一至周五 8:30–12:00，14:30–17:30（法定节假日除外）';
const LISTING_SOURCE = '演示数据（上线前由司法局核对各单位公布的地址和办公时间）';

/**
 * The demo center's offices with their addresses and hours (reference rows, seeded with the organizations and
 * institutions: db/demo-seed.ts seedReferenceData). Rows an administrator has changed stay as they are.
 */
export const DEMO_DIRECTORY_LISTINGS: { holder_id: string; address: string; office_phone: string | null }[] = [
  { holder_id: 'center', address: '揭阳市榕城区临江北路揭阳市公共法律服务中心一楼', office_phone: '12348' },
  { holder_id: 'rongcheng-pmc', address: '揭阳市榕城区公共法律服务中心二楼', office_phone: null },
  { holder_id: 'legal-aid-office', address: '揭阳市公共法律服务中心一楼法律援助窗口', office_phone: '12348' },
  { holder_id: 'court-52', address: '揭阳市榕城区揭阳市中级人民法院诉讼服务中心', office_phone: '12368' },
  { holder_id: 'court-5202', address: '揭阳市榕城区人民法院诉讼服务中心', office_phone: '12368' },
  { holder_id: 'court-5203', address: '揭阳市揭东区人民法院诉讼服务中心', office_phone: '12368' },
  { holder_id: 'court-5222', address: '揭西县人民法院诉讼服务中心', office_phone: '12368' },
  { holder_id: 'court-5224', address: '惠来县人民法院诉讼服务中心', office_phone: '12368' },
  { holder_id: 'court-5281', address: '普宁市人民法院诉讼服务中心', office_phone: '12368' },
  { holder_id: 'notary-jieyang', address: '揭阳市公共法律服务中心公证服务窗口', office_phone: null },
  { holder_id: 'notary-puning', address: '普宁市公共法律服务中心公证服务窗口', office_phone: null },
];

export async function seedDirectoryListings(db: Tx): Promise<void> {
  await db('directory_listings')
    .insert(DEMO_DIRECTORY_LISTINGS.map((l) => ({ ...l, hours: OFFICE_HOURS, source: LISTING_SOURCE })))
    .onConflict('holder_id')
    .ignore();
}
