/**
 * Who may see and do what: one pure policy for every route and every object (docs/access.md).
 * A party sees only their own case; a court only cases it delegated or was asked to confirm; a notary only
 * cases sent to it; a mediator only cases assigned to them; a clerk the cases of their organization; a
 * supervisor everything, read-only. Callers answer 404 when `canView` is false, so a refusal never
 * reveals that a foreign case exists, and 403 when the case is visible but the role may not act.
 */
import { DOCUMENT_KINDS, isDocumentKind } from './documents.js';
import { COURT_CHANNELS, INTAKE_CHANNELS, type Actor, type IntakeChannel } from './case.js';
import { ALLOWED_ROLES, type CaseCommand } from './case-rules.js';

/** The center's own staff: they sign in with a password and belong to an organization (the supervisor to none). */
export const STAFF_ROLES = ['clerk', 'mediator', 'supervisor', 'legal_aid_officer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Courts and notary offices: their systems call with an API key, their clerks and notaries log in. */
export const INSTITUTION_ROLES = ['court', 'notary'] as const;
export type InstitutionRole = (typeof INSTITUTION_ROLES)[number];

export type Principal =
  | { kind: 'staff'; id: string; role: StaffRole; orgId: string | null; name: string }
  | {
      kind: 'institution';
      id: string;
      role: InstitutionRole;
      institutionId: string;
      name: string;
      via: 'api_key' | 'login';
    }
  | { kind: 'party'; id: string; role: 'party'; caseId: string; name: string };

/** The columns of a case that decide who may see it. */
export type CaseAccess = {
  caseId: string;
  intakeOrgId: string | null;
  handlingOrgId: string | null;
  mediatorAccountId: string | null;
  courtInstitutionId: string | null;
  confirmingCourtId: string | null;
  notaryInstitutionId: string | null;
  legalAidRequested: boolean;
  partyIds: string[];
  /** Guardian or agent party id → the party they act for. */
  represents: Record<string, string>;
};

export function actorOf(p: Principal): Actor {
  return { id: p.id, role: p.role };
}

export function canView(p: Principal, c: CaseAccess): boolean {
  switch (p.role) {
    case 'party':
      return p.kind === 'party' && p.caseId === c.caseId && c.partyIds.includes(p.id);
    case 'court':
      return (
        p.kind === 'institution' &&
        (c.courtInstitutionId === p.institutionId || c.confirmingCourtId === p.institutionId)
      );
    case 'notary':
      return p.kind === 'institution' && c.notaryInstitutionId === p.institutionId;
    case 'mediator':
      return c.mediatorAccountId === p.id;
    case 'clerk':
      return p.kind === 'staff' && p.orgId !== null && (c.intakeOrgId === p.orgId || c.handlingOrgId === p.orgId);
    case 'supervisor':
      return true;
    case 'legal_aid_officer':
      return c.legalAidRequested;
  }
}

/** Actions outside the workflow; workflow actions take their roles from the rules (ALLOWED_ROLES). */
export const CASE_ACTIONS = {
  issueAccessCode: ['clerk'],
  // Documents carry full personal data: the supervisor, who sees everything masked, does not download them.
  downloadDocument: ['clerk', 'mediator', 'court', 'notary', 'legal_aid_officer', 'party'],
  // Files received (a court's file, evidence) name third parties: those handling the case and the court; a
  // party only the files they handed in themselves (the routes filter by uploader: ownMaterialsOnly).
  readMaterials: ['clerk', 'mediator', 'court', 'party'],
  // Full personal data: only the people who must contact or identify the parties.
  revealPersonalData: ['clerk', 'mediator', 'court', 'notary', 'legal_aid_officer', 'party'],
  // What the case sent and whether it arrived (texts, court and notary notifications): the staff who handle
  // the case and follow up a failed delivery, and the supervisor who oversees it. Phones masked, no text.
  readDeliveries: ['clerk', 'mediator', 'supervisor'],
  // A complaint about the service on the case (seed Art 59): a party (or their guardian or agent) in the portal,
  // a clerk recording one received by phone, letter or in person (docs/supervision.md#complaints).
  fileComplaint: ['party', 'clerk'],
  // A party rates their concluded case once (docs/supervision.md#ratings); real-name, so only the party themselves
  // (or their guardian or agent for them): staff record what a party says on the phone as a 回访, not as a rating.
  rateCase: ['party'],
} as const satisfies Record<string, readonly Principal['role'][]>;
export type CaseAction = keyof typeof CASE_ACTIONS | CaseCommand['type'];

/** Actions on no one case: the center's lists and settings, and a staff member's own. */
export const CENTER_ACTIONS = {
  // The work queue and its counters (GET /queues/cases, /queues/cases/counts), each in its own scope (queueScope:
  // a clerk's organization, a mediator's cases, a court's, a notary's, legal aid's; all for the supervisor).
  readQueue: ['clerk', 'mediator', 'supervisor', 'legal_aid_officer', 'court', 'notary'],
  readSlaBreaches: ['supervisor', 'clerk'],
  readCalendar: ['supervisor', 'clerk'],
  // A year's holiday notice moves every running clock: the justice bureau's supervisor loads it.
  loadCalendar: ['supervisor'],
  // A clerk reads only their own organization's (see canReadClockSettings).
  readClockSettings: ['supervisor', 'clerk'],
  setClockSettings: ['supervisor'],
  setReminderPhone: ['mediator', 'clerk'],
  // The mediation organizations: anyone who works with cases (the public directory will show them to all).
  readRosterOrganizations: ['clerk', 'mediator', 'supervisor', 'legal_aid_officer', 'court', 'notary'],
  // Mediators, each role in its own scope (mediatorRosterView): clerks and supervisors to assign and oversee,
  // a mediator their colleagues, a court those it may delegate to, a party to choose (在线调解规则 Arts 5, 10).
  readRosterMediators: ['clerk', 'supervisor', 'mediator', 'court', 'party'],
  // Courts, notary offices and legal aid: names and codes everyone deals with.
  readRosterInstitutions: ['clerk', 'mediator', 'supervisor', 'legal_aid_officer', 'court', 'notary', 'party'],
  // A person's own saved queue filters (see canKeepSavedFilters: never an API key).
  keepSavedFilters: ['clerk', 'mediator', 'supervisor', 'legal_aid_officer', 'court', 'notary'],
  // Texts and court or notary notifications that could not be delivered, to follow up (通知失败): the clerks
  // who handle the cases of their organization, and the supervisor who oversees all (failedDeliveryScope).
  readFailedDeliveries: ['clerk', 'supervisor'],
  // The statistics (seed Art 15; docs/supervision.md#statistics), each in its scope (statisticsScope).
  readStatistics: ['supervisor', 'clerk', 'mediator'],
  // Credit files (诚信档案, seed Art 57), each reader in its scope (canReadCreditFile); the justice bureau records.
  readCreditFiles: ['supervisor', 'clerk', 'mediator'],
  recordCreditEntries: ['supervisor'],
} as const satisfies Record<string, readonly Principal['role'][]>;
export type CenterAction = keyof typeof CENTER_ACTIONS;

export function mayCenter(p: Principal, action: CenterAction): boolean {
  const roles: readonly string[] = CENTER_ACTIONS[action];
  return roles.includes(p.role);
}

/** An organization's clock settings: the supervisor, or a clerk of that organization. */
export function canReadClockSettings(p: Principal, orgId: string): boolean {
  return mayCenter(p, 'readClockSettings') && (p.role === 'supervisor' || (p.kind === 'staff' && p.orgId === orgId));
}

/**
 * Which mediators a principal sees on the roster, and how much of each. `work`: the figures staff assign
 * and oversee by (current load, capacity, active); `choice`: what a party needs to choose (在线调解规则 Art 5
 * ¶2: profile, scope, specialties), with whether the mediator is accepting but never their load. Personal
 * data (phones, ID numbers) is in neither. Rows `active`: active mediators of active organizations;
 * `{ orgId }`: that organization's, active or not.
 */
export type MediatorRosterView = { rows: 'all' | 'active' | { orgId: string }; fields: 'work' | 'choice' };

export function mediatorRosterView(p: Principal): MediatorRosterView | undefined {
  if (!mayCenter(p, 'readRosterMediators')) return undefined;
  switch (p.role) {
    case 'clerk':
    case 'supervisor':
      return { rows: 'all', fields: 'work' };
    case 'mediator':
      return p.kind === 'staff' && p.orgId ? { rows: { orgId: p.orgId }, fields: 'work' } : undefined;
    // No court keeps its own 特邀调解名册 in the data yet (特邀调解规定 Art 5), and a court's cases are
    // 特邀调解 whichever organization mediates them: a court sees every active mediator.
    case 'court':
      return { rows: 'active', fields: 'work' };
    case 'party':
      return { rows: 'active', fields: 'choice' };
    default:
      return undefined;
  }
}

/**
 * Whose failed deliveries a principal follows up: a clerk those of the cases of their organization (taken in
 * or handled there, as `canView`), the supervisor every case's; nobody else. A clerk of no organization sees none.
 */
export function failedDeliveryScope(p: Principal): { orgId: string } | 'all' | 'none' | undefined {
  if (!mayCenter(p, 'readFailedDeliveries')) return undefined;
  if (p.role === 'supervisor') return 'all';
  return p.kind === 'staff' && p.orgId ? { orgId: p.orgId } : 'none';
}

/**
 * Whose SLA breaches a principal reads: a clerk those of the cases of their organization (taken in or handled
 * there), none for a clerk of no organization (as failed deliveries), the supervisor every case's; undefined
 * for anyone else.
 */
export function slaBreachScope(p: Principal): { orgId: string } | 'all' | 'none' | undefined {
  if (!mayCenter(p, 'readSlaBreaches')) return undefined;
  if (p.kind === 'staff' && p.role === 'clerk') return p.orgId ? { orgId: p.orgId } : 'none';
  return 'all';
}

/**
 * Whose figures a principal's statistics count: the supervisor (司法行政部门) every case's; an organization's
 * clerk the cases taken in or handled there (as `canView`), none without an organization; a mediator the cases
 * assigned to them; undefined for anyone else.
 */
export function statisticsScope(p: Principal): 'all' | 'none' | { orgId: string } | { mediatorId: string } | undefined {
  if (!mayCenter(p, 'readStatistics')) return undefined;
  if (p.role === 'supervisor') return 'all';
  if (p.role === 'mediator') return { mediatorId: p.id };
  return p.kind === 'staff' && p.orgId ? { orgId: p.orgId } : 'none';
}

/** A court's queue may be narrowed to the cases it delegated (委派/委托) or was asked to confirm. */
export const COURT_SCOPES = ['delegated', 'confirmation'] as const;
export type CourtScope = (typeof COURT_SCOPES)[number];

/** Whether the queue's `courtScope` filter is for this principal: only a court's own queue has those scopes. */
export function mayNarrowToCourtScope(p: Principal): boolean {
  return p.role === 'court';
}

/** The columns of a case a queue is scoped by: each is one indexed column of the projection. */
export type QueueScopeField = Exclude<keyof CaseAccess, 'caseId' | 'partyIds' | 'represents'>;
/** A case is in the scope when that field holds that value. */
export type QueueScopeCondition = {
  [K in QueueScopeField]: { field: K; equals: NonNullable<CaseAccess[K]> };
}[QueueScopeField];

/**
 * The cases a principal's work queue lists (GET /queues/cases and its counters): every case, none, or those that
 * meet any of the conditions, in this order (db/queues.ts reads each as one ordered index scan and merges them).
 * The same cases `canView` lets them see, a court's narrowed by `courtScope`; a party follows their own case.
 */
export type QueueScope = 'all' | 'none' | readonly QueueScopeCondition[];

export function queueScope(p: Principal, courtScope?: CourtScope): QueueScope {
  switch (p.role) {
    case 'supervisor':
      return 'all';
    case 'clerk':
      return p.kind === 'staff' && p.orgId
        ? [
            { field: 'intakeOrgId', equals: p.orgId },
            { field: 'handlingOrgId', equals: p.orgId },
          ]
        : 'none';
    case 'mediator':
      return [{ field: 'mediatorAccountId', equals: p.id }];
    case 'legal_aid_officer':
      return [{ field: 'legalAidRequested', equals: true }];
    case 'court':
      if (p.kind !== 'institution') return 'none';
      return [
        ...(courtScope !== 'confirmation' ? [{ field: 'courtInstitutionId' as const, equals: p.institutionId }] : []),
        ...(courtScope !== 'delegated' ? [{ field: 'confirmingCourtId' as const, equals: p.institutionId }] : []),
      ];
    case 'notary':
      return p.kind === 'institution' ? [{ field: 'notaryInstitutionId', equals: p.institutionId }] : 'none';
    case 'party':
      return 'none';
  }
}

/** Whether a case is in a queue scope (what the SQL of db/queues.ts selects, for one case). */
export function inQueueScope(scope: QueueScope, c: CaseAccess): boolean {
  if (scope === 'all' || scope === 'none') return scope === 'all';
  return scope.some((s) => c[s.field] === s.equals);
}

/** An organization's own configuration (its case-number pattern): its own staff and the supervisor. */
export function canReadOrganizationConfiguration(p: Principal, orgId: string): boolean {
  return p.role === 'supervisor' || (p.kind === 'staff' && p.orgId === orgId);
}

/**
 * A credit file: the supervisor every one; an organization's staff their organization's and its mediators'; a
 * mediator their own. `orgId`: the organization the file is of, or the mediator's.
 */
export function canReadCreditFile(
  p: Principal,
  file: { kind: 'mediator' | 'organization'; id: string; orgId: string },
) {
  if (!mayCenter(p, 'readCreditFiles')) return false;
  if (p.role === 'supervisor') return true;
  if (p.role === 'mediator') return file.kind === 'mediator' && file.id === p.id;
  return p.kind === 'staff' && p.orgId !== null && p.orgId === file.orgId;
}

/** Saved filters belong to a person who logs in: staff, or a court's or notary's staff, never an API key. */
export function canKeepSavedFilters(p: Principal): boolean {
  return mayCenter(p, 'keepSavedFilters') && !(p.kind === 'institution' && p.via === 'api_key');
}

/** Assumes `canView` already holds. */
export function canAct(p: Principal, action: CaseAction, _c: CaseAccess): boolean {
  return roleMay(p.role, action);
}

/** Whether a role may ever take the action, whatever the case (a cheap check before reading a request's body). */
export function roleMay(role: Principal['role'], action: CaseAction): boolean {
  const roles: readonly string[] =
    action in CASE_ACTIONS
      ? CASE_ACTIONS[action as keyof typeof CASE_ACTIONS]
      : ALLOWED_ROLES[action as CaseCommand['type']];
  return roles.includes(role);
}

/**
 * Whose uploads a principal reads among a case's materials (with `readMaterials`): staff and the court all of
 * them; a party only those they handed in, since the others' evidence names third parties.
 */
export function ownMaterialsOnly(p: Principal): string | undefined {
  return p.kind === 'party' ? p.id : undefined;
}

/** A party may read their own full details, and a guardian or agent those of the party they act for. */
export function canRevealParty(p: Principal, c: CaseAccess, partyId: string): boolean {
  if (!canView(p, c) || !canAct(p, 'revealPersonalData', c)) return false;
  return p.kind !== 'party' || p.id === partyId || c.represents[p.id] === partyId;
}

/**
 * Whether a principal may issue a party of the case a new access code (POST …/access-code): the role's
 * `issueAccessCode` on a case it sees, for a party of that case. The case view's `mayIssueAccessCode` comes from here.
 */
export function canIssueAccessCode(p: Principal, c: CaseAccess, partyId: string): boolean {
  return canView(p, c) && canAct(p, 'issueAccessCode', c) && c.partyIds.includes(partyId);
}

/** Who registers cases (POST /cases), and through which intake channels; a party applies online instead. */
export const REGISTRATION_CHANNELS = {
  clerk: INTAKE_CHANNELS, // walk-in, phone, referral, and court letters received on paper
  court: COURT_CHANNELS, // 委派 or 委托, as itself
} as const satisfies Partial<Record<Principal['role'], readonly IntakeChannel[]>>;
export const REGISTERING_ROLES = Object.keys(REGISTRATION_CHANNELS) as readonly (keyof typeof REGISTRATION_CHANNELS)[];

/** Whether a principal may register cases through some channel (a cheap check before reading the body). */
export function mayRegister(p: Principal): boolean {
  return Object.hasOwn(REGISTRATION_CHANNELS, p.role);
}

/** Which intake channels each kind of principal may use. */
export function canRegister(p: Principal, channel: IntakeChannel): boolean {
  if (!mayRegister(p)) return false;
  const channels: readonly IntakeChannel[] = REGISTRATION_CHANNELS[p.role as keyof typeof REGISTRATION_CHANNELS];
  return channels.includes(channel);
}

/**
 * The roles that see screening on every case they see: priority groups, and legal aid at least as a status
 * (screeningVisibility). Their queues list priority groups first, show both and may filter by them; a court or
 * notary's may not, and does not show legal aid's clocks.
 */
export const SCREENING_ROLES: readonly Principal['role'][] = ['clerk', 'mediator', 'supervisor', 'legal_aid_officer'];
/** Of those, the roles that see a legal-aid application in full (as the applicant does). */
const LEGAL_AID_IN_FULL_ROLES: readonly Principal['role'][] = ['clerk', 'legal_aid_officer'];

export function seesScreening(p: Pick<Principal, 'role'>): boolean {
  return SCREENING_ROLES.includes(p.role);
}

/**
 * Screening is sensitive personal data: a legal-aid basis is often poverty, abuse or disability, and a
 * priority group is age, disability or income (个人信息保护法 Art 28). Who sees how much of it:
 * - the legal-aid application in full (basis, reasons, its events and periods): the clerk, the legal-aid
 *   officer, and the party it is for (or their guardian or agent);
 * - that there is one and where it stands (status, whether a lawyer is assigned, its periods): the
 *   mediator, who must know who represents a party, and the supervisor, who answers for late decisions;
 * - priority groups: staff who serve the parties and the supervisor who oversees priority service
 *   (seed Art 30); never the other party, a court or a notary.
 */
export type ScreeningVisibility = { legalAid: 'full' | 'status' | 'none'; priorityGroups: boolean };

export function screeningVisibility(
  p: Principal,
  c: CaseAccess,
  legalAidPartyId: string | undefined,
): ScreeningVisibility {
  const ownAid =
    p.kind === 'party' &&
    legalAidPartyId !== undefined &&
    (p.id === legalAidPartyId || c.represents[p.id] === legalAidPartyId);
  const legalAid = LEGAL_AID_IN_FULL_ROLES.includes(p.role) || ownAid ? 'full' : seesScreening(p) ? 'status' : 'none';
  return { legalAid, priorityGroups: seesScreening(p) };
}

/** Legal aid's own periods (法律援助法 Art 43): only for those who see legal aid (a queue's SQL leaves them out). */
export const LEGAL_AID_RULES: readonly string[] = ['legal_aid_decision', 'legal_aid_assignment'];
const LEGAL_AID_EVENTS = new Set(['LegalAidApplied', 'LegalAidGranted', 'LegalAidRefused', 'LegalAidStaffAssigned']);

/** Whether a deadline of this rule may be shown. */
export function deadlineVisible(v: ScreeningVisibility, ruleId: string): boolean {
  return !LEGAL_AID_RULES.includes(ruleId) || v.legalAid !== 'none';
}

/**
 * Whether a document of this kind may be listed and downloaded (given `downloadDocument` and `canView`): its
 * row in domain/documents.ts says who reads it. A refusal of legal aid states the applicant's circumstances
 * and the reasons: only those who see legal aid in full (the applicant, their guardian or agent, the clerk, the
 * legal-aid officer), never the other side, the mediator or a court.
 */
export function documentVisible(v: ScreeningVisibility, kind: string): boolean {
  return !isDocumentKind(kind) || DOCUMENT_KINDS[kind].readers === 'case' || v.legalAid === 'full';
}

/** Whether an event of the case's record may be shown. */
export function eventVisible(v: ScreeningVisibility, e: { type: string; payload: unknown }): boolean {
  if (LEGAL_AID_EVENTS.has(e.type)) return v.legalAid === 'full';
  if (e.type === 'ScreeningRecorded') return v.priorityGroups;
  const ruleId = (e.payload as { ruleId?: unknown } | null)?.ruleId;
  return typeof ruleId !== 'string' || deadlineVisible(v, ruleId);
}
