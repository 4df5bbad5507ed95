/**
 * The facts the queue SQL, supervision, intake and the OpenAPI document read from domain/access-policy.ts agree
 * with the policy itself: a queue lists exactly the cases `canView` lets its principal see, the roles that see
 * screening in a queue are those the case view shows it to, and the registering roles are those `canRegister`
 * lets through some channel.
 */
import { describe, expect, it } from 'vitest';
import {
  CENTER_ACTIONS,
  INSTITUTION_ROLES,
  REGISTERING_ROLES,
  STAFF_ROLES,
  canRegister,
  canView,
  inQueueScope,
  mayCenter,
  mayNarrowToCourtScope,
  queueScope,
  screeningVisibility,
  seesScreening,
  slaBreachScope,
  type CaseAccess,
  type Principal,
} from '../../domain/access-policy.js';
import { INTAKE_CHANNELS, ROLES } from '../../domain/case.js';

const staff = (role: (typeof STAFF_ROLES)[number], orgId: string | null = 'org-a'): Principal => ({
  kind: 'staff',
  id: `${role}-1`,
  role,
  orgId,
  name: role,
});
const institution = (role: (typeof INSTITUTION_ROLES)[number], institutionId = 'inst-a'): Principal => ({
  kind: 'institution',
  id: `${role}-key`,
  role,
  institutionId,
  name: role,
  via: 'api_key',
});
const party: Principal = { kind: 'party', id: 'party-1', role: 'party', caseId: 'case-1', name: '张*' };

/** One principal of every role, and the variants a scope depends on. */
const principals: Principal[] = [
  ...STAFF_ROLES.map((r) => staff(r)),
  staff('clerk', null),
  staff('mediator', null),
  ...INSTITUTION_ROLES.map((r) => institution(r)),
  party,
];

const none: CaseAccess = {
  caseId: 'case-1',
  intakeOrgId: null,
  handlingOrgId: null,
  mediatorAccountId: null,
  courtInstitutionId: null,
  confirmingCourtId: null,
  notaryInstitutionId: null,
  legalAidRequested: false,
  partyIds: [],
  represents: {},
};
/** Cases each tied to someone through one column, to someone else, or to no one. */
const cases: [string, CaseAccess][] = [
  ['tied to no one', none],
  ['taken in by org-a', { ...none, intakeOrgId: 'org-a' }],
  ['handled by org-a', { ...none, intakeOrgId: 'org-b', handlingOrgId: 'org-a' }],
  ["org-b's", { ...none, intakeOrgId: 'org-b', handlingOrgId: 'org-b' }],
  ["mediator-1's", { ...none, mediatorAccountId: 'mediator-1' }],
  ["another mediator's", { ...none, mediatorAccountId: 'mediator-2' }],
  ['with legal aid requested', { ...none, legalAidRequested: true }],
  ['delegated by inst-a', { ...none, courtInstitutionId: 'inst-a' }],
  ['sent to inst-a for confirmation', { ...none, confirmingCourtId: 'inst-a' }],
  ['sent to inst-a for notarization', { ...none, notaryInstitutionId: 'inst-a' }],
  ['delegated by inst-b', { ...none, courtInstitutionId: 'inst-b', confirmingCourtId: 'inst-b' }],
  ["party-1's", { ...none, partyIds: ['party-1'] }],
];

describe('the roles', () => {
  it('when the policy names its principals, then they are every role of the domain but the workflow itself', () => {
    expect(new Set([...STAFF_ROLES, ...INSTITUTION_ROLES, 'party'])).toEqual(
      new Set(ROLES.filter((r) => r !== 'system')),
    );
  });
});

describe('the work queue', () => {
  const queued = principals.filter((p) => mayCenter(p, 'readQueue'));

  it('when a role may read a queue, then it is every role but a party', () => {
    expect(new Set(CENTER_ACTIONS.readQueue)).toEqual(new Set([...STAFF_ROLES, ...INSTITUTION_ROLES]));
    expect(queueScope(party)).toBe('none');
  });

  for (const p of queued)
    it(`when a ${p.role}${p.kind === 'staff' && !p.orgId ? ' of no organization' : ''} reads the queue, then it lists exactly the cases they may see`, () => {
      for (const [, c] of cases) expect(inQueueScope(queueScope(p), c)).toBe(canView(p, c));
    });

  it('when a court narrows its queue, then each scope lists its part of the cases it sees, and only a court may', () => {
    const court = institution('court');
    for (const [name, c] of cases) {
      const delegated = inQueueScope(queueScope(court, 'delegated'), c);
      const confirmation = inQueueScope(queueScope(court, 'confirmation'), c);
      expect({ name, delegated, confirmation }).toEqual({
        name,
        delegated: c.courtInstitutionId === 'inst-a',
        confirmation: c.confirmingCourtId === 'inst-a',
      });
      expect(delegated || confirmation).toBe(canView(court, c));
    }
    expect(principals.filter(mayNarrowToCourtScope).map((p) => p.role)).toEqual(['court']);
  });

  it('when a queue shows screening, then the case view shows that role priority groups and legal aid', () => {
    const c: CaseAccess = { ...none, legalAidRequested: true, partyIds: ['party-1'] };
    for (const p of principals) {
      const v = screeningVisibility(p, c, undefined);
      expect({ role: p.role, seesScreening: seesScreening(p) }).toEqual({
        role: p.role,
        seesScreening: v.priorityGroups && v.legalAid !== 'none',
      });
    }
  });
});

describe('registration', () => {
  it('when a role may register through some channel, then it is a registering role, and only then', () => {
    const registers = principals.filter((p) => INTAKE_CHANNELS.some((ch) => canRegister(p, ch))).map((p) => p.role);
    expect(new Set(registers)).toEqual(new Set(REGISTERING_ROLES));
  });

  it('when a court registers, then only through 委派 or 委托; a clerk through every channel', () => {
    expect(INTAKE_CHANNELS.filter((ch) => canRegister(institution('court'), ch))).toEqual([
      'court_pre_filing',
      'court_post_filing',
    ]);
    expect(INTAKE_CHANNELS.filter((ch) => canRegister(staff('clerk'), ch))).toEqual([...INTAKE_CHANNELS]);
  });
});

describe('SLA breaches', () => {
  it('when a role reads SLA breaches, then a clerk reads their organization’s and the supervisor every case’s', () => {
    for (const p of principals) expect(slaBreachScope(p) !== undefined).toBe(mayCenter(p, 'readSlaBreaches'));
    expect(slaBreachScope(staff('clerk'))).toEqual({ orgId: 'org-a' });
    expect(slaBreachScope(staff('clerk', null))).toBe('none'); // a clerk of no organization reads none, as failed deliveries
    expect(slaBreachScope(staff('supervisor', null))).toBe('all');
  });
});
