/**
 * What a principal can do on a case now, and why not where they cannot: computed by the same access policy
 * the API applies and by dry runs of the same guards the actions go through (`decide`, and for a securing
 * process `decideConfirmation` / `decideNotarization`), so the console and the portal never restate a rule
 * (docs/screens.md#principles: every action button exists only when the case's possible actions say so). Pure: no I/O, no clock.
 *
 * Which actions are listed:
 * - nothing at all on a case the principal may not see (the API answers 404 there);
 * - omitted: what the principal's role can never do (`roleMay`, or a process's role list), and actions on a
 *   securing process that is not there for them: none of that kind, a concluded one, or, for a court or a
 *   notary office, one not sent to it (not naming it, or still being signed by the parties);
 * - listed with `refusal.kind 'policy'`: what the role may do but the policy refuses on this case
 *   (`canAct`, which today decides by role alone, so none yet);
 * - every other action is dry-run: `allowed`, or refused with the rule's kind, code, message and article.
 *
 * A dry run needs a command, so each action has a representative probe: the principal's own party where
 * the action is taken for a party, a choice that fits the case where the person chooses (the venue for
 * judicial confirmation), and neutral placeholders for what the person writes (notes, records, the draft's
 * content). Input-dependent checks (which party, which mediator from the roster, the draft's terms, the
 * court by its code, the creditor and debtor) still run when the action is sent, and may refuse it then.
 */
import { actorOf, canAct, canView, roleMay, type CaseAccess, type Principal } from './access-policy.js';
import type { Actor } from './case.js';
import { PRINCIPAL_ROLES, decide, type CaseCommand, type CaseState, type Refusal } from './case-rules.js';
import {
  CONFIRMATION_ROLES,
  NOTARIZATION_ROLES,
  decideConfirmation,
  decideNotarization,
  type ConfirmationCommand,
  type ConfirmationState,
  type NotarizationCommand,
  type NotarizationState,
  type SecuringKind,
} from './securing.js';
import {
  CASE_ACTION_PATHS,
  CASE_PARTY_FIELD,
  OWN_ROUTE_ACTION_PATHS,
  PROCESS_ACTION_PATHS,
  PROCESS_PARTY_FIELD,
  type PersonCommandType,
  type PersonProcessType,
} from './action-paths.js';

/** A securing process as the record keeps it (a `case_processes` row, as `readProcesses` returns it). */
export type RecordedProcess = {
  kind: SecuringKind;
  n: number;
  state: ConfirmationState | NotarizationState;
  final: boolean;
};

export type PossibleActionsInput = {
  /** The case's state: the recorded one, or the workflow's own. */
  state: CaseState;
  processes: readonly RecordedProcess[];
  principal: Principal;
  access: CaseAccess;
  now: Date;
};

export type ActionRefusal = { kind: 'policy' | Refusal['kind']; code: string; message: string; article?: string };

export type PossibleAction = {
  /** The command it becomes, e.g. `accept`, `sign_application`. */
  action: string;
  /** Under `/cases/{id}/`, e.g. `accept`, `judicial-confirmation/signatures`. */
  path: string;
  method: 'POST';
  allowed: boolean;
  /** An action on a securing process: the one it acts on (the latest of its kind). */
  process?: { kind: SecuringKind; n: number };
  /** Staff acting for a party: the field that names them, and the parties (or signers) it is possible for now. */
  forParty?: { field: 'partyId' | 'signer'; possibleFor: string[] };
  /**
   * Fields that are optional in the request but that this action needs on this case (the dry run had to fill
   * them in), for at least one of the parties or signers it is possible for: a party signing a family
   * agreement needs the scan (`scanMaterialId`), the organization's seal does not.
   */
  needsInput?: string[];
  refusal?: ActionRefusal;
};

export function possibleActions(input: PossibleActionsInput): PossibleAction[] {
  if (!canView(input.principal, input.access)) return [];
  return [...caseActions(input), ...processActions(input)];
}

// Probes ----------------------------------------------------------------------------------------------------

/** A command to dry-run, and the optional fields it had to fill for the action to pass. */
type Variant<C> = { command: C; needs?: string[] };
/** `party`: the party the action is for (or, for `sign`, the signer); otherwise the principal's own party or the first. */
type Probe = { state: CaseState; actor: Actor; now: Date; party: string };

/** Stands for what a person writes (a note, a record, a number): the rules check only that it is there. */
const WRITTEN = '…';
const one = <C>(command: C): Variant<C>[] => [{ command }];
const principalIds = (s: CaseState) => s.parties.filter((p) => PRINCIPAL_ROLES.includes(p.role)).map((p) => p.partyId);

const CASE_PROBES: { [T in PersonCommandType]: (x: Probe) => Variant<Extract<CaseCommand, { type: T }>>[] } = {
  accept: ({ actor }) => one({ type: 'accept', actor }),
  decline: ({ actor }) => one({ type: 'decline', actor, reason: 'outside_scope' }),
  log_contact: ({ actor }) => one({ type: 'log_contact', actor, channel: 'phone_call', result: 'no_answer' }),
  counterparty_consents: ({ actor, party }) => one({ type: 'counterparty_consents', actor, partyId: party }),
  counterparty_refuses: ({ actor, party }) => one({ type: 'counterparty_refuses', actor, partyId: party }),
  close_unreachable: ({ actor }) => one({ type: 'close_unreachable', actor }),
  record_screening: ({ actor }) => one({ type: 'record_screening', actor, priorityGroups: [] }),
  apply_legal_aid: ({ actor, party }) =>
    one({ type: 'apply_legal_aid', actor, partyId: party, basis: 'national_hero_relatives', selfDeclaration: false }),
  decide_legal_aid: ({ actor }) => one({ type: 'decide_legal_aid', actor, granted: true, reason: WRITTEN }),
  assign_legal_aid_staff: ({ actor }) =>
    one({ type: 'assign_legal_aid_staff', actor, staffName: WRITTEN, organization: WRITTEN }),
  // As the workflow's validator probes it: the roster proposes the mediator when the action is sent.
  assign_mediator: ({ actor }) =>
    one({
      type: 'assign_mediator',
      actor,
      proposal: { mediatorId: '(by rule)', orgId: '', mode: 'by_rule', reasoning: {} },
    }),
  confirm_service_address: ({ actor, party }) =>
    one({ type: 'confirm_service_address', actor, partyId: party, changed: ['address'] }),
  choose_mediator: ({ actor, party }) =>
    one({
      type: 'choose_mediator',
      actor,
      partyId: party,
      proposal: { mediatorId: '(chosen)', orgId: '', mode: 'party_choice', reasoning: {} },
    }),
  mediator_accepts: ({ actor }) => one({ type: 'mediator_accepts', actor, conflict: 'none' }),
  mediator_declines: ({ actor }) => one({ type: 'mediator_declines', actor, reason: WRITTEN }),
  request_recusal: ({ actor, party }) =>
    one({ type: 'request_recusal', actor, partyId: party, ground: 'other_relationship' }),
  decide_recusal: ({ actor }) => one({ type: 'decide_recusal', actor, granted: false, reason: WRITTEN }),
  record_session: ({ actor, now }) =>
    one({ type: 'record_session', actor, at: now.toISOString(), place: WRITTEN, mode: 'in_person', record: WRITTEN }),
  suspend: ({ actor }) => one({ type: 'suspend', actor, reason: 'appraisal' }),
  resume: ({ actor }) => one({ type: 'resume', actor }),
  // One day: refused only when no day of extension is left; a longer one is checked when sent.
  consent_to_extension: ({ actor, party }) => one({ type: 'consent_to_extension', actor, partyId: party, days: 1 }),
  // A court's case ends with a failure report: possible with one when no facts are on record.
  terminate: ({ actor }) => [
    { command: { type: 'terminate', actor, reason: 'positions_too_far_apart' } },
    {
      command: {
        type: 'terminate',
        actor,
        reason: 'positions_too_far_apart',
        failureReport: { basicFacts: WRITTEN, undisputedFacts: WRITTEN, whyFailed: WRITTEN },
      },
      needs: ['failureReport'],
    },
  ],
  // As the validator probes a draft; its content's rules run when it is sent.
  save_draft: ({ actor, state }) =>
    one({ type: 'save_draft', actor, version: (state.agreement?.version ?? 0) + 1, hash: '' }),
  circulate_for_signature: ({ actor }) => one({ type: 'circulate_for_signature', actor }),
  sign: ({ actor, state, party }) => signProbes(actor, state, party),
  refuse_to_sign: ({ actor, party }) => one({ type: 'refuse_to_sign', actor, partyId: party }),
  record_oral_agreement: ({ actor, state }) =>
    one({ type: 'record_oral_agreement', actor, version: (state.agreement?.version ?? 0) + 1, hash: '' }),
  // The venue that fits the case (a delegated case goes back to its court); the court itself is checked when sent.
  apply_judicial_confirmation: ({ actor, state }) =>
    one({
      type: 'apply_judicial_confirmation',
      actor,
      court: { institutionId: '', name: '' },
      venueGround: state.channel === 'court_pre_filing' ? 'delegating_court' : 'party_domicile',
    }),
  request_notarization: ({ actor, state, party }) => notarizationProbes(actor, state, party),
  remediate: ({ actor }) => one({ type: 'remediate', actor }),
  confirm_payment: ({ actor, state, party }) => {
    const instalments = state.performance?.instalments ?? [];
    const unpaid = instalments.filter((i) => i.status !== 'paid').map((i) => i.n);
    return (unpaid.length ? unpaid : [instalments.at(-1)?.n ?? 1]).map((instalment) => ({
      command: { type: 'confirm_payment', actor, instalment, partyId: party },
    }));
  },
  record_follow_up: ({ actor, now }) =>
    one({ type: 'record_follow_up', actor, at: now.toISOString(), mode: 'phone', note: WRITTEN }),
  record_material: ({ actor }) =>
    one({
      type: 'record_material',
      actor,
      material: { materialId: '', kind: 'other', sha256: '', sizeBytes: 0, mediaType: 'application/pdf' },
    }),
  archive: ({ actor }) => one({ type: 'archive', actor }),
  record_case_facts: ({ actor }) =>
    one({ type: 'record_case_facts', actor, basicFacts: WRITTEN, undisputedFacts: WRITTEN }),
};

/**
 * A party signs electronically, staff record a handwritten signature; where the rules want the scan of the
 * signed page (a family matter), the latest file received for the case stands in for it.
 */
function signProbes(actor: Actor, state: CaseState, signer: string): Variant<Extract<CaseCommand, { type: 'sign' }>>[] {
  const command = {
    type: 'sign',
    actor,
    signer,
    method: actor.role === 'party' ? 'electronic' : 'handwritten',
    draftVersion: state.agreement?.version ?? 1,
  } as const;
  const scan = state.materials?.at(-1);
  return [{ command }, ...(scan ? [{ command: { ...command, scanMaterialId: scan }, needs: ['scanMaterialId'] }] : [])];
}

/** `party` as creditor and the next party as debtor, for each kind of obligation the law lets a notary enforce. */
function notarizationProbes(
  actor: Actor,
  state: CaseState,
  party: string,
): Variant<Extract<CaseCommand, { type: 'request_notarization' }>>[] {
  const debtor = principalIds(state).find((id) => id !== party) ?? '';
  return (['money', 'goods', 'securities'] as const).map((obligation) => ({
    command: {
      type: 'request_notarization',
      actor,
      notary: { institutionId: '', name: '' },
      creditorPartyId: party,
      debtorPartyId: debtor,
      obligation,
    },
  }));
}

type ProcessCommand = ConfirmationCommand | NotarizationCommand;
const PROCESS_PROBES: { [T in PersonProcessType]: (x: Probe) => Variant<Extract<ProcessCommand, { type: T }>>[] } = {
  sign_application: ({ actor, party }) =>
    one({
      type: 'sign_application',
      actor,
      partyId: party,
      method: actor.role === 'party' ? 'electronic' : 'handwritten',
    }),
  withdraw: ({ actor, party }) => one({ type: 'withdraw', actor, partyId: party }),
  court_accepts: ({ actor }) => one({ type: 'court_accepts', actor, courtCaseNumber: WRITTEN }),
  court_does_not_accept: ({ actor }) => one({ type: 'court_does_not_accept', actor, ground: 'not_this_court' }),
  request_correction: ({ actor }) => one({ type: 'request_correction', actor, items: [WRITTEN], days: 1 }),
  submit_correction: ({ actor }) => one({ type: 'submit_correction', actor }),
  extend_review: ({ actor }) => one({ type: 'extend_review', actor, approvedBy: WRITTEN }),
  court_rules: ({ actor }) => one({ type: 'court_rules', actor, outcome: 'confirmed' }),
  court_finds_dispute: ({ actor }) => one({ type: 'court_finds_dispute', actor }),
  notary_accepts: ({ actor }) => one({ type: 'notary_accepts', actor }),
  request_supplement: ({ actor }) => one({ type: 'request_supplement', actor, items: [WRITTEN] }),
  submit_supplement: ({ actor }) => one({ type: 'submit_supplement', actor }),
  pause_period: ({ actor }) => one({ type: 'pause_period', actor, reason: 'verification' }),
  resume_period: ({ actor }) => one({ type: 'resume_period', actor }),
  issue_certificate: ({ actor }) => one({ type: 'issue_certificate', actor, certificateNumber: WRITTEN }),
  refuse_notarization: ({ actor }) => one({ type: 'refuse_notarization', actor, ground: 'disputed' }),
};

// Dry runs --------------------------------------------------------------------------------------------------

type Outcome = { ok: true; needs: string[] } | { ok: false; refusal: Refusal };
type Trial = { subject: string; outcome: Outcome };

/** The first variant that passes; otherwise the most telling refusal. */
function dryRun<C>(
  variants: Variant<C>[],
  run: (command: C) => { ok: true } | { ok: false; refusal: Refusal },
): Outcome {
  const refusals: Refusal[] = [];
  for (const v of variants) {
    const d = run(v.command);
    if (d.ok) return { ok: true, needs: v.needs ?? [] };
    refusals.push(d.refusal);
  }
  return { ok: false, refusal: mostTelling(refusals) };
}

/**
 * When the choices the dry run tried (signers, parties, variants) are refused differently, the one shown is
 * the one that says most about the action itself: a rule of law (what it takes: a scan, a written agreement)
 * before a state (this signer has signed already), before a `forbidden` about a choice the probe made for
 * the person (that signer is not theirs). Among equals, the first.
 */
const TELLING: Record<Refusal['kind'], number> = { rule: 0, wrong_state: 1, forbidden: 2 };
function mostTelling(refusals: Refusal[]): Refusal {
  const best = refusals.reduce<Refusal | undefined>(
    (b, r) => (!b || TELLING[r.kind] < TELLING[b.kind] ? r : b),
    undefined,
  );
  return best ?? { kind: 'wrong_state', code: 'nothing_to_do', message: 'there is nothing to do this for' };
}

/**
 * Who the action is tried for. A party acts for itself, or a guardian or agent for the party they represent.
 * Staff recording an action for a party are tried for every party (and for `sign`, as mediator and as the
 * organization's seal): the answer lists those it is possible for. Other actions use the principal's own
 * party, or the first party.
 */
function subjects(input: PossibleActionsInput, field: 'partyId' | 'signer' | undefined, parties: string[]): string[] {
  const { principal, access } = input;
  if (principal.kind === 'party') return [access.represents[principal.id] ?? principal.id];
  if (!field) return [parties[0] ?? ''];
  const all = field === 'signer' ? ['mediator', 'organization_seal', ...parties] : parties;
  return all.length ? all : [''];
}

function summarize(
  base: Omit<PossibleAction, 'allowed'>,
  field: 'partyId' | 'signer' | undefined,
  party: boolean,
  trials: Trial[],
): PossibleAction {
  const passing = trials.flatMap((t) => (t.outcome.ok ? [{ subject: t.subject, needs: t.outcome.needs }] : []));
  if (passing.length > 0) {
    const choose = field && !party;
    const needsInput = [...new Set([...(choose ? [field] : []), ...passing.flatMap((t) => t.needs)])];
    return {
      ...base,
      allowed: true,
      ...(choose ? { forParty: { field, possibleFor: passing.map((t) => t.subject) } } : {}),
      ...(needsInput.length ? { needsInput } : {}),
    };
  }
  const refusal = mostTelling(trials.flatMap((t) => (t.outcome.ok ? [] : [t.outcome.refusal])));
  return { ...base, allowed: false, refusal: refusalOf(refusal) };
}

function refusalOf(r: Refusal): ActionRefusal {
  return { kind: r.kind, code: r.code, message: r.message, ...(r.kind === 'rule' ? { article: r.article } : {}) };
}

// Case actions ----------------------------------------------------------------------------------------------

const CASE_PATHS = Object.entries({ ...CASE_ACTION_PATHS, ...OWN_ROUTE_ACTION_PATHS }) as [string, PersonCommandType][];

function caseActions(input: PossibleActionsInput): PossibleAction[] {
  const { state, principal, access, now } = input;
  const actor = actorOf(principal);
  const parties = principalIds(state);
  return CASE_PATHS.filter(([, type]) => roleMay(principal.role, type)).map(([path, type]) => {
    const base = { action: type, path, method: 'POST' as const };
    if (!canAct(principal, type, access)) {
      return {
        ...base,
        allowed: false,
        refusal: {
          kind: 'policy' as const,
          code: 'not_permitted',
          message: `a ${principal.role} may not ${type.replace(/_/g, ' ')} on this case`,
        },
      };
    }
    const field: 'partyId' | 'signer' | undefined = (
      CASE_PARTY_FIELD as Partial<Record<PersonCommandType, 'partyId' | 'signer'>>
    )[type];
    const probe = CASE_PROBES[type] as (x: Probe) => Variant<CaseCommand>[];
    const trials = subjects(input, field, parties).map((subject) => ({
      subject,
      outcome: dryRun(probe({ state, actor, now, party: subject }), (c) => decide(state, c, now)),
    }));
    return summarize(base, field, principal.kind === 'party', trials);
  });
}

// Process actions -------------------------------------------------------------------------------------------

/** The latest process of a kind, as the case knows it, with its recorded state when the record has it. */
function currentProcess(input: PossibleActionsInput, kind: SecuringKind) {
  const summary = input.state.securing?.processes.filter((p) => p.kind === kind).at(-1);
  const rows = input.processes.filter((p) => p.kind === kind).sort((a, b) => a.n - b.n);
  const row = summary ? rows.find((p) => p.n === summary.n) : rows.at(-1);
  if (!summary && !row) return undefined;
  const institutionId = row
    ? row.state.kind === 'judicial_confirmation'
      ? row.state.court.institutionId
      : row.state.notary.institutionId
    : summary!.institutionId;
  return {
    n: row?.n ?? summary!.n,
    institutionId,
    status: row?.state.status ?? summary!.status,
    final: row ? row.final : summary!.final,
    row,
  };
}

const PROCESS_PATHS = Object.entries(PROCESS_ACTION_PATHS) as [
  string,
  { process: SecuringKind; type: PersonProcessType },
][];

function processActions(input: PossibleActionsInput): PossibleAction[] {
  const { principal } = input;
  const out: PossibleAction[] = [];
  for (const kind of ['judicial_confirmation', 'notarization'] as const) {
    const current = currentProcess(input, kind);
    if (!current || current.final) continue;
    // A court or notary office acts on an application sent to it: naming it does not open it to them.
    if (
      principal.kind === 'institution' &&
      (principal.institutionId !== current.institutionId || current.status === 'PREPARING')
    )
      continue;
    for (const [path, spec] of PROCESS_PATHS.filter(([, s]) => s.process === kind)) {
      const roles: readonly string[] =
        kind === 'judicial_confirmation'
          ? CONFIRMATION_ROLES[spec.type as ConfirmationCommand['type']]
          : NOTARIZATION_ROLES[spec.type as NotarizationCommand['type']];
      if (!roles.includes(principal.role)) continue;
      out.push(
        processAction(input, { action: spec.type, path, method: 'POST', process: { kind, n: current.n } }, current.row),
      );
    }
  }
  return out;
}

function processAction(
  input: PossibleActionsInput,
  base: Omit<PossibleAction, 'allowed'> & { action: PersonProcessType },
  row: RecordedProcess | undefined,
): PossibleAction {
  if (!row) {
    // Started, but its state is not on record yet (or it reported before processes sent their state).
    return {
      ...base,
      allowed: false,
      refusal: {
        kind: 'wrong_state',
        code: 'process_state_unavailable',
        message: "the application's state is not on record yet; ask again shortly",
      },
    };
  }
  const { principal, access, now, state } = input;
  const actor = actorOf(principal);
  const process = row.state;
  const run = (c: ProcessCommand) =>
    process.kind === 'judicial_confirmation'
      ? decideConfirmation(process, c as ConfirmationCommand, now, access.represents)
      : decideNotarization(process, c as NotarizationCommand, now, access.represents);
  const field: 'partyId' | undefined = (PROCESS_PARTY_FIELD as Partial<Record<PersonProcessType, 'partyId'>>)[
    base.action
  ];
  const applicants =
    process.kind === 'judicial_confirmation' ? process.applicants : [process.creditorPartyId, process.debtorPartyId];
  const probe = PROCESS_PROBES[base.action] as (x: Probe) => Variant<ProcessCommand>[];
  const trials = subjects(input, field, applicants).map((subject) => ({
    subject,
    outcome: dryRun(probe({ state, actor, now, party: subject }), run),
  }));
  return summarize(base, field, principal.kind === 'party', trials);
}
