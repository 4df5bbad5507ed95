/**
 * A person's action as the domain command it becomes. Most are commands as they are; four need facts the
 * workflow fetches first (the roster's proposal of a mediator, the stored draft's hash), and the validator
 * checks them with placeholders for those facts.
 */
import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import {
  decide,
  type AgreementContent,
  type CaseCommand,
  type CaseState,
  type MediatorProposal,
  type ScheduleItem,
} from '../domain/case-rules.js';
import type { Activities } from '../activities/index.js';
import { ACTIVITY_OPTIONS, refusalFailure } from './common.js';
import { REFUSAL_FAILURE_TYPE, type CaseAction } from './messages.js';

const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** Turns a person's action into a domain command, fetching what it needs first. */
export async function toCommand(state: CaseState, action: CaseAction): Promise<CaseCommand> {
  switch (action.type) {
    case 'assign_mediator':
      return {
        type: 'assign_mediator',
        actor: action.actor,
        proposal: await rosterProposal(state, action.mode, action.mediatorId),
      };
    case 'choose_mediator':
      // The roster checks a party's choice as it checks a clerk's: on the roster, active, no conflict, capacity.
      return {
        type: 'choose_mediator',
        actor: action.actor,
        partyId: action.partyId,
        proposal: await rosterProposal(state, 'party_choice', action.mediatorId),
      };
    case 'save_draft':
    case 'record_oral_agreement':
      return storedDraft(state, action);
    case 'request_recusal':
      // Recusals are decided by the organization or the court (特邀调解规定 Art 15); a request recorded
      // before that was granted at once, and replays so.
      return patched('recusal-decision-v1') ? action : { ...action, grantedOnRequest: true };
    case 'sign':
      // Family agreements are signed in ink with a scan (电子签名法 Art 3); a signature taken before that replays as it was.
      return patched('wet-ink-family-v1') ? action : { ...action, beforeWetInkRule: true };
    default:
      return action;
  }
}

/** The validator's view of an action: the same checks, with placeholders for facts fetched later. */
export function probe(state: CaseState, action: CaseAction, contentRules = true): CaseCommand {
  switch (action.type) {
    case 'assign_mediator':
      return {
        type: 'assign_mediator',
        actor: action.actor,
        proposal: { mediatorId: action.mediatorId ?? '(by rule)', orgId: '', mode: action.mode, reasoning: {} },
      };
    case 'choose_mediator':
      return {
        type: 'choose_mediator',
        actor: action.actor,
        partyId: action.partyId,
        proposal: { mediatorId: action.mediatorId, orgId: '', mode: 'party_choice', reasoning: {} },
      };
    case 'save_draft':
    case 'record_oral_agreement':
      return {
        type: action.type,
        actor: action.actor,
        version: (state.agreement?.version ?? 0) + 1,
        hash: '',
        ...(contentRules ? { content: action.content } : {}),
      };
    default:
      return action;
  }
}

/** A draft (written, or an oral agreement as recorded) stored under the next version, with its hash. */
async function storedDraft(
  state: CaseState,
  action: Extract<CaseAction, { type: 'save_draft' | 'record_oral_agreement' }>,
): Promise<CaseCommand> {
  // The rules on the draft's terms (manner and time of an amount, a planned notarization) apply from this
  // change on; a draft recorded before it replays as it was taken.
  const contentRules = patched('agreement-content-rules-v1');
  // Decide before storing: a refused draft must not take the next version number.
  const pre = decide(state, probe(state, action, contentRules), new Date());
  if (!pre.ok) throw refusalFailure(pre.refusal);
  const version = (state.agreement?.version ?? 0) + 1;
  const { sha256 } = await acts.storeAgreementDraft({
    caseId: state.caseId,
    version,
    form: action.type === 'save_draft' ? 'written' : 'oral',
    content: action.content,
    createdBy: action.actor.id,
  });
  return {
    type: action.type,
    actor: action.actor,
    version,
    hash: sha256,
    schedule: scheduleOf(action.content),
    ...(contentRules ? { content: action.content } : {}),
  };
}

/** Amounts and dates of the agreed terms: what performance follows (the wording stays in the stored draft). */
function scheduleOf(content: AgreementContent): ScheduleItem[] {
  return content.terms.map((t) => ({
    ...(t.amountFen !== undefined ? { amountFen: t.amountFen } : {}),
    ...(t.dueDate !== undefined ? { dueDate: t.dueDate } : {}),
    ...(t.payeePartyId !== undefined ? { payeePartyId: t.payeePartyId } : {}),
  }));
}

/** The roster's proposal of a mediator named by a clerk or a party (or by its rule); its refusal is the action's. */
async function rosterProposal(
  state: CaseState,
  mode: MediatorProposal['mode'],
  mediatorId: string | undefined,
): Promise<MediatorProposal> {
  const result = await acts.proposeMediator({
    caseId: state.caseId,
    disputeType: state.disputeType,
    mode,
    mediatorId,
    exclude: state.assignment.excluded,
  });
  if (result.ok) return result.proposal;
  const article =
    result.code === 'conflict' ? '特邀调解规定第十五条；人民法院在线调解规则第十三条' : '人民调解法第十九条';
  throw ApplicationFailure.create({
    type: REFUSAL_FAILURE_TYPE.rule,
    message: result.message,
    details: [{ kind: 'rule', code: `mediator_${result.code}`, message: result.message, article }],
    nonRetryable: true,
  });
}
