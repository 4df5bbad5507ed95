/** The actions possible now, for a principal, with why not: the policy and the rules' dry runs, without Temporal. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CaseAccess, Principal } from '../../domain/access-policy.js';
import type { Actor, CaseIntake } from '../../domain/case.js';
import {
  ALLOWED_ROLES,
  decide,
  initialState,
  withDeadline,
  type CaseCommand,
  type CaseState,
  type Effect,
} from '../../domain/case-rules.js';
import { decideConfirmation, type ConfirmationState } from '../../domain/securing.js';
import {
  CASE_ACTION_PATHS,
  CASE_PARTY_FIELD,
  OWN_ROUTE_ACTION_PATHS,
  PROCESS_ACTION_PATHS,
  PROCESS_PARTY_FIELD,
} from '../../domain/action-paths.js';
import { possibleActions, type PossibleAction, type RecordedProcess } from '../../domain/possible-actions.js';
import { CASE_ACTION_ROUTES, PROCESS_ACTION_ROUTES } from '../../api/schemas.js';
import { ruleIntake } from '../support/fixtures.js';

// A fixed instant: every date below is counted from the intake fixture, never from today.
const now = new Date('2026-11-25T02:00:00Z');
const DAY = 86_400_000;
const caseId = ruleIntake().caseId;

const clerkActor: Actor = { id: 'clerk-1', role: 'clerk' };
const mediatorActor: Actor = { id: 'mediator-1', role: 'mediator' };
const partyActor = (id: string): Actor => ({ id, role: 'party' });

const clerk: Principal = { kind: 'staff', id: 'clerk-1', role: 'clerk', orgId: 'center', name: '陈' };
const mediator = (id = 'mediator-1'): Principal => ({
  kind: 'staff',
  id,
  role: 'mediator',
  orgId: 'org-1',
  name: '吴',
});
const supervisor: Principal = { kind: 'staff', id: 'sup-1', role: 'supervisor', orgId: null, name: '林' };
const party = (id: string): Principal => ({ kind: 'party', id, role: 'party', caseId, name: '' });
const court = (institutionId: string): Principal => ({
  kind: 'institution',
  id: `${institutionId}-key`,
  role: 'court',
  institutionId,
  name: '',
  via: 'api_key',
});

/** The access columns as the projection writes them for this state. */
const accessOf = (state: CaseState, o: Partial<CaseAccess> = {}): CaseAccess => ({
  caseId,
  intakeOrgId: 'center',
  handlingOrgId: state.assignment.orgId ?? null,
  mediatorAccountId: state.assignment.mediatorId ?? null,
  courtInstitutionId: null,
  confirmingCourtId: null,
  notaryInstitutionId: null,
  legalAidRequested: false,
  partyIds: state.parties.map((p) => p.partyId),
  represents: Object.fromEntries(
    state.parties.filter((p) => p.representsPartyId).map((p) => [p.partyId, p.representsPartyId!]),
  ),
  ...o,
});

/** Applies commands through `decide`, as the workflow does; a started clock runs 30 days from its start. */
function run(state: CaseState, ...commands: CaseCommand[]): { state: CaseState; effects: Effect[] } {
  let effects: Effect[] = [];
  for (const command of commands) {
    const d = decide(state, command, now);
    if (!d.ok) throw new Error(`${command.type} refused: ${d.refusal.code}`);
    state = d.state;
    effects = d.effects;
    for (const e of d.effects) {
      if (e.kind !== 'start_deadline') continue;
      const dueAt = new Date(Date.parse(e.startedAt) + 30 * DAY).toISOString();
      state = withDeadline(
        state,
        {
          ruleId: e.ruleId,
          startedAt: e.startedAt,
          dueAt,
          lastDay: dueAt.slice(0, 10),
          calendarVersion: 'test',
          extensionDays: 0,
          pausedDays: 0,
          explanation: [],
        },
        null,
      );
    }
  }
  return { state, effects };
}

const registered = (o: Partial<CaseIntake> = {}): CaseState => ({
  ...initialState(ruleIntake(o)),
  caseNumber: 'X',
  lastSeq: 1,
});
const inMediation = (o: Partial<CaseIntake> = {}) =>
  run(
    registered(o),
    { type: 'accept', actor: clerkActor },
    {
      type: 'assign_mediator',
      actor: clerkActor,
      proposal: { mediatorId: 'mediator-1', orgId: 'org-1', mode: 'designated', reasoning: {} },
    },
    { type: 'mediator_accepts', actor: mediatorActor, conflict: 'none' },
  ).state;
const circulating = (o: Partial<CaseIntake> = {}) =>
  run(
    inMediation(o),
    { type: 'save_draft', actor: mediatorActor, version: 1, hash: 'h1' },
    { type: 'circulate_for_signature', actor: mediatorActor },
  ).state;
const signBy = (id: string): CaseCommand => ({
  type: 'sign',
  actor: partyActor(id),
  signer: id,
  method: 'electronic',
  draftVersion: 1,
});

const courtCase: Partial<CaseIntake> = {
  channel: 'court_pre_filing',
  court: { courtCode: '粤5202' },
  routing: { intakeOrgId: 'center', courtInstitutionId: 'court-A' },
};

const find = (list: PossibleAction[], path: string) => list.find((a) => a.path === path);
const actionsFor = (
  principal: Principal,
  state: CaseState,
  o: { access?: Partial<CaseAccess>; processes?: RecordedProcess[] } = {},
) => possibleActions({ state, processes: o.processes ?? [], principal, access: accessOf(state, o.access), now });

describe('the action paths', () => {
  it('when the domain table is set against the API routes, then every path names the same command', () => {
    expect(Object.fromEntries(Object.entries(CASE_ACTION_ROUTES).map(([path, r]) => [path, r.type]))).toEqual(
      CASE_ACTION_PATHS,
    );
    expect(
      Object.fromEntries(
        Object.entries(PROCESS_ACTION_ROUTES).map(([path, r]) => [path, { process: r.process, type: r.type }]),
      ),
    ).toEqual(PROCESS_ACTION_PATHS);
  });

  it("when a route has its own handler, then the API serves that path with that command's policy", () => {
    const source = readFileSync(new URL('../../api/routes/cases.ts', import.meta.url), 'utf8');
    for (const [path, type] of Object.entries(OWN_ROUTE_ACTION_PATHS)) {
      expect(source).toMatch(new RegExp(`router\\.post\\('/:caseId/${path}',[^]{0,200}?loadCase\\(req, '${type}'\\)`));
    }
  });

  it('when a body names a party, then the domain knows that field (a party may leave it out to mean themselves)', () => {
    const fieldOf = (body: unknown) =>
      ['partyId', 'signer'].find((f) => f in ((body as { shape?: object }).shape ?? {}));
    for (const r of Object.values(CASE_ACTION_ROUTES))
      expect([r.type, fieldOf(r.body)]).toEqual([r.type, (CASE_PARTY_FIELD as Record<string, string>)[r.type]]);
    for (const r of Object.values(PROCESS_ACTION_ROUTES))
      expect([r.type, fieldOf(r.body)]).toEqual([r.type, (PROCESS_PARTY_FIELD as Record<string, string>)[r.type]]);
  });

  it("when a command is one a person gives, then it has a path; the workflow's own commands have none", () => {
    const withPath = new Set<string>([...Object.values(CASE_ACTION_PATHS), ...Object.values(OWN_ROUTE_ACTION_PATHS)]);
    for (const [type, roles] of Object.entries(ALLOWED_ROLES))
      expect([type, withPath.has(type)]).toEqual([type, roles.some((r) => r !== 'system')]);
  });
});

describe('possible actions', () => {
  it("when a clerk looks at a registered case, then they may accept and decline, not sign, and mediators' actions are not listed", () => {
    const list = actionsFor(clerk, registered());
    expect(find(list, 'accept')).toEqual({ action: 'accept', path: 'accept', method: 'POST', allowed: true });
    expect(find(list, 'decline')).toMatchObject({ allowed: true });
    expect(find(list, 'agreement/signatures')).toMatchObject({
      action: 'sign',
      allowed: false,
      refusal: { kind: 'wrong_state', code: 'wrong_state' },
    });
    expect(find(list, 'sessions')).toBeUndefined();
    expect(find(list, 'mediator/accept')).toBeUndefined();
    expect(list.every((a) => a.method === 'POST' && a.allowed === (a.refusal === undefined))).toBe(true);
  });

  it('when a rule refuses, then the refusal carries the article decide gives', () => {
    const list = actionsFor(clerk, registered({ priorProceedings: { before: 'police' } }));
    expect(find(list, 'accept')).toMatchObject({
      allowed: false,
      refusal: { kind: 'rule', code: 'already_before_authority', article: expect.stringContaining('第二十二条') },
    });
    const pending = run(registered({ oneSided: true }), { type: 'accept', actor: clerkActor }).state;
    expect(find(actionsFor(clerk, pending), 'close-unreachable')).toMatchObject({
      allowed: false,
      refusal: { kind: 'rule', code: 'contact_log_required', article: '人民法院在线调解规则第十五条' },
    });
    // A refusal that is not the law's carries no article.
    expect(find(actionsFor(clerk, registered()), 'archive')?.refusal).not.toHaveProperty('article');
  });

  it('when a mediator is not assigned, then there is nothing to do: the case is not theirs to see, or every action is refused', () => {
    const state = inMediation();
    expect(actionsFor(mediator('mediator-2'), state)).toEqual([]);
    // The record says the case is theirs, the case's state says otherwise: decide refuses each action.
    const list = actionsFor(mediator('mediator-2'), state, { access: { mediatorAccountId: 'mediator-2' } });
    expect(list.length).toBeGreaterThan(0);
    expect(list.filter((a) => a.allowed)).toEqual([]);
    expect(find(list, 'sessions')?.refusal).toMatchObject({ kind: 'forbidden', code: 'not_the_assigned_mediator' });
  });

  it('when the assigned mediator looks at a case in mediation, then they may record a session, not accept the case', () => {
    const list = actionsFor(mediator(), inMediation());
    expect(find(list, 'sessions')).toMatchObject({ action: 'record_session', allowed: true });
    expect(find(list, 'agreement/drafts')).toMatchObject({ allowed: true });
    expect(find(list, 'accept')).toBeUndefined();
    expect(find(list, 'archive')).toBeUndefined();
  });

  it('when a supervisor looks at a case, then nothing is listed (read-only)', () => {
    expect(actionsFor(supervisor, inMediation())).toEqual([]);
  });

  it('when a party looks at the case, then only actions a party takes are listed, and sign is possible only once the agreement circulates', () => {
    const before = actionsFor(party('p1'), inMediation());
    expect(before.every((a) => ALLOWED_ROLES[a.action as CaseCommand['type']]?.includes('party') ?? true)).toBe(true);
    expect(find(before, 'agreement/signatures')).toMatchObject({ allowed: false, refusal: { kind: 'wrong_state' } });
    expect(find(before, 'extension-consents')).toMatchObject({ allowed: true });
    expect(find(before, 'extension-consents')).not.toHaveProperty('forParty');
    const during = actionsFor(party('p1'), circulating());
    expect(find(during, 'agreement/signatures')).toEqual({
      action: 'sign',
      path: 'agreement/signatures',
      method: 'POST',
      allowed: true,
    });
    expect(find(during, 'agreement/refusals')).toMatchObject({ allowed: true });
  });

  it('when a party has signed, then a second signature by them is refused with its code, and the other party may still sign', () => {
    const signed = run(circulating(), signBy('p1')).state;
    expect(find(actionsFor(party('p1'), signed), 'agreement/signatures')).toMatchObject({
      allowed: false,
      refusal: { kind: 'wrong_state', code: 'already_signed' },
    });
    expect(find(actionsFor(party('p2'), signed), 'agreement/signatures')).toMatchObject({ allowed: true });
  });

  it('when a guardian acts, then they act for the party they represent', () => {
    const withGuardian = ruleIntake().parties.concat({
      partyId: 'g2',
      role: 'guardian',
      kind: 'natural',
      name: '王五',
      representsPartyId: 'p2',
    });
    const state = run(circulating({ parties: withGuardian }), signBy('p2')).state;
    expect(find(actionsFor(party('g2'), state), 'agreement/signatures')).toMatchObject({
      allowed: false,
      refusal: { code: 'already_signed' },
    });
    expect(find(actionsFor(party('g2'), circulating({ parties: withGuardian })), 'agreement/signatures')).toMatchObject(
      { allowed: true },
    );
  });

  it('when staff record an action for a party, then it says for whom it is possible and that the party must be named', () => {
    const signed = run(circulating(), signBy('p1')).state;
    expect(find(actionsFor(clerk, signed), 'agreement/signatures')).toMatchObject({
      allowed: true,
      forParty: { field: 'signer', possibleFor: ['organization_seal', 'p2'] },
      needsInput: ['signer'],
    });
    expect(find(actionsFor(mediator(), signed), 'agreement/signatures')).toMatchObject({
      allowed: true,
      forParty: { field: 'signer', possibleFor: ['mediator'] },
    });
    const pending = run(registered({ oneSided: true }), { type: 'accept', actor: clerkActor }).state;
    expect(find(actionsFor(clerk, pending), 'counterparty-consent')).toMatchObject({
      allowed: true,
      forParty: { field: 'partyId', possibleFor: ['p2'] },
      needsInput: ['partyId'],
    });
    // The applicant is not the other side: decide says so.
    expect(find(actionsFor(party('p1'), pending), 'counterparty-consent')).toMatchObject({
      allowed: false,
      refusal: { code: 'not_a_counterparty' },
    });
  });

  it('when a family agreement is signed, then a party is told it is signed in ink, and a clerk needs the scan on file', () => {
    const family = circulating({ disputeType: 'family_property' });
    expect(find(actionsFor(party('p1'), family), 'agreement/signatures')?.refusal).toMatchObject({
      kind: 'rule',
      code: 'electronic_signature_excluded',
      article: '电子签名法第三条第二款第一项',
    });
    // Without a scan on file the clerk may apply the seal, and record no party's signature yet.
    expect(find(actionsFor(clerk, family), 'agreement/signatures')).toMatchObject({
      allowed: true,
      forParty: { field: 'signer', possibleFor: ['organization_seal'] },
      needsInput: ['signer'],
    });
    const sealed = run(family, {
      type: 'sign',
      actor: clerkActor,
      signer: 'organization_seal',
      method: 'seal',
      draftVersion: 1,
    }).state;
    expect(find(actionsFor(clerk, sealed), 'agreement/signatures')).toMatchObject({
      allowed: false,
      refusal: { kind: 'rule', code: 'signature_scan_required', article: '电子签名法第三条第二款第一项' },
    });
    const material = {
      materialId: 'scan-1',
      kind: 'other' as const,
      sha256: 'a'.repeat(64),
      sizeBytes: 1,
      mediaType: 'application/pdf',
    };
    const scanned = run(family, { type: 'record_material', actor: clerkActor, material }).state;
    expect(find(actionsFor(clerk, scanned), 'agreement/signatures')).toMatchObject({
      allowed: true,
      forParty: { possibleFor: ['organization_seal', 'p1', 'p2'] },
      needsInput: ['signer', 'scanMaterialId'],
    });
  });

  it('when a court case ends without facts on record, then termination is possible with a failure report', () => {
    expect(find(actionsFor(mediator(), inMediation(courtCase)), 'termination')).toMatchObject({
      allowed: true,
      needsInput: ['failureReport'],
    });
    expect(find(actionsFor(mediator(), inMediation()), 'termination')).toEqual({
      action: 'terminate',
      path: 'termination',
      method: 'POST',
      allowed: true,
    });
  });
});

describe('possible actions on a securing process', () => {
  /** A delegated case whose agreement took effect, with the application for confirmation to its court started. */
  function confirming() {
    const effective = run(circulating(courtCase), signBy('p1'), signBy('p2')).state;
    const started = run(effective, {
      type: 'apply_judicial_confirmation',
      actor: clerkActor,
      court: { institutionId: 'court-A', name: '揭阳市榕城区人民法院' },
      venueGround: 'delegating_court',
    });
    const effect = started.effects.find((e) => e.kind === 'start_process');
    if (effect?.kind !== 'start_process' || effect.process.kind !== 'judicial_confirmation')
      throw new Error('no process started');
    return { state: started.state, process: effect.process };
  }
  const recorded = (process: ConfirmationState): RecordedProcess[] => [
    { kind: 'judicial_confirmation', n: process.n, state: process, final: false },
  ];
  const sign = (process: ConfirmationState, id: string) => {
    const d = decideConfirmation(
      process,
      { type: 'sign_application', actor: partyActor(id), partyId: id, method: 'electronic' },
      now,
    );
    if (!d.ok) throw new Error(d.refusal.code);
    return d.state;
  };
  const courtAccess = { courtInstitutionId: 'court-A' };

  it('when the parties are still signing, then each party may sign once and the court sees no process action', () => {
    const { state, process } = confirming();
    const p1 = actionsFor(party('p1'), state, { processes: recorded(process) });
    expect(find(p1, 'judicial-confirmation/signatures')).toEqual({
      action: 'sign_application',
      path: 'judicial-confirmation/signatures',
      method: 'POST',
      allowed: true,
      process: { kind: 'judicial_confirmation', n: 1 },
    });
    expect(find(p1, 'judicial-confirmation/acceptance')).toBeUndefined();
    const once = sign(process, 'p1');
    expect(
      find(actionsFor(party('p1'), state, { processes: recorded(once) }), 'judicial-confirmation/signatures'),
    ).toMatchObject({ allowed: false, refusal: { kind: 'wrong_state', code: 'already_signed' } });
    expect(
      find(actionsFor(clerk, state, { processes: recorded(once) }), 'judicial-confirmation/signatures'),
    ).toMatchObject({ allowed: true, forParty: { field: 'partyId', possibleFor: ['p2'] } });
    expect(
      actionsFor(court('court-A'), state, { access: courtAccess, processes: recorded(once) }).filter((a) => a.process),
    ).toEqual([]);
  });

  it('when the application was sent to a court, then that court may accept it and not yet rule; another court sees none of it', () => {
    const { state, process } = confirming();
    const sent = sign(sign(process, 'p1'), 'p2');
    expect(sent.status).toBe('SUBMITTED');
    const mine = actionsFor(court('court-A'), state, { access: courtAccess, processes: recorded(sent) });
    expect(find(mine, 'judicial-confirmation/acceptance')).toMatchObject({
      allowed: true,
      process: { kind: 'judicial_confirmation', n: 1 },
    });
    expect(find(mine, 'judicial-confirmation/ruling')).toMatchObject({
      allowed: false,
      refusal: { kind: 'wrong_state', code: 'wrong_state' },
    });
    expect(find(mine, 'judicial-confirmation/signatures')).toBeUndefined();
    const other = actionsFor(court('court-B'), state, {
      access: { courtInstitutionId: 'court-B' },
      processes: recorded(sent),
    });
    expect(other.filter((a) => a.process)).toEqual([]);
  });

  it('when the review was already extended, then a second extension is refused with its article', () => {
    const { state, process } = confirming();
    const accepted: ConfirmationState = { ...sign(sign(process, 'p1'), 'p2'), status: 'ACCEPTED', extensionDays: 10 };
    const list = actionsFor(court('court-A'), state, { access: courtAccess, processes: recorded(accepted) });
    expect(find(list, 'judicial-confirmation/extension')?.refusal).toMatchObject({
      kind: 'rule',
      code: 'already_extended',
      article: expect.stringContaining('第五条'),
    });
    expect(find(list, 'judicial-confirmation/ruling')).toMatchObject({ allowed: true });
  });

  it('when the process has concluded or is not on record, then its actions are not offered', () => {
    const { state, process } = confirming();
    expect(
      actionsFor(party('p1'), state, {
        processes: [{ kind: 'judicial_confirmation', n: 1, state: { ...process, status: 'WITHDRAWN' }, final: true }],
      }).filter((a) => a.process),
    ).toEqual([]);
    expect(find(actionsFor(party('p1'), state), 'judicial-confirmation/signatures')).toMatchObject({
      allowed: false,
      refusal: { code: 'process_state_unavailable' },
    });
    // With no application at all, only starting one is offered.
    const effective = run(circulating(courtCase), signBy('p1'), signBy('p2')).state;
    const list = actionsFor(party('p1'), effective);
    expect(list.filter((a) => a.process)).toEqual([]);
    expect(find(list, 'judicial-confirmation')).toMatchObject({ action: 'apply_judicial_confirmation', allowed: true });
  });
});
