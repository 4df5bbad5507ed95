/**
 * The mediator roster and its documented rule (domain.md step 4): mediators of an organization that
 * handles the dispute type, active, with a matching specialty, no recorded conflict with a party, lowest
 * current load first. Every proposal says why: candidates, inputs, rule version, conflict check.
 */
import type { Knex } from 'knex';
import type { MediatorProposal } from '../domain/case-rules.js';
import type { FieldCipher } from '../infra/crypto.js';

export const ROSTER_RULE_VERSION = 'roster-rule@2026-11-25: specialty match, no conflict, lowest load, then username';
const OPEN_STATUSES = ['PENDING_MEDIATOR_ACCEPT', 'IN_MEDIATION', 'SUSPENDED', 'AGREEMENT_DRAFTING', 'PENDING_SIGNATURE'];

export type ProposalRequest = {
  caseId: string;
  disputeType: string;
  mode: MediatorProposal['mode'];
  /** Named by the parties (party_choice) or by the organization (designated). */
  mediatorId?: string | undefined;
  exclude: string[];
};

export type ProposalResult = { ok: true; proposal: MediatorProposal } | { ok: false; code: 'no_candidate' | 'not_eligible' | 'conflict'; message: string };

export async function proposeMediator(db: Knex, cipher: FieldCipher, req: ProposalRequest): Promise<ProposalResult> {
  const orgs = (await db('organizations').select('org_id', 'dispute_types')).filter((o) => (o.dispute_types as string[]).includes(req.disputeType)).map((o) => o.org_id as string);
  // A child's name is stored masked (张*): the conflict check compares the real name.
  const partyRows = await db('case_parties').where({ case_id: req.caseId }).select('name', 'name_enc');
  const partyNames = partyRows.map((p) => (p.name_enc ? cipher.decrypt(p.name_enc) : (p.name as string)));
  const mediators = await db('staff_accounts').where({ role: 'mediator', active: true }).whereIn('org_id', orgs.length ? orgs : ['-']).select('account_id', 'username', 'org_id', 'specialties');
  const conflicts = await db('mediator_conflicts').whereIn('party_name', partyNames).select('mediator_account_id', 'relation');
  const loads = await db('cases').whereIn('status', OPEN_STATUSES).whereNotNull('mediator_account_id').groupBy('mediator_account_id').select('mediator_account_id').count({ n: '*' });
  const loadOf = new Map(loads.map((l) => [l.mediator_account_id as string, Number(l.n)]));

  const candidates = mediators
    .map((m) => ({
      mediatorId: m.account_id as string,
      username: m.username as string,
      orgId: m.org_id as string,
      specialtyMatch: (m.specialties as string[]).includes(req.disputeType),
      load: loadOf.get(m.account_id) ?? 0,
      conflict: conflicts.find((c) => c.mediator_account_id === m.account_id)?.relation ?? null,
      excluded: req.exclude.includes(m.account_id),
    }))
    .sort((a, b) => Number(b.specialtyMatch) - Number(a.specialtyMatch) || a.load - b.load || a.username.localeCompare(b.username));
  const eligible = candidates.filter((c) => c.specialtyMatch && !c.conflict && !c.excluded);
  const reasoning = (chosen: string) => ({
    ruleVersion: ROSTER_RULE_VERSION,
    inputs: { disputeType: req.disputeType, organizations: orgs, excluded: req.exclude, mode: req.mode },
    candidates: candidates.map(({ username: _u, ...c }) => c),
    conflictCheck: { checkedAgainst: 'mediator_conflicts register, by party name', conflicted: candidates.filter((c) => c.conflict).map((c) => c.mediatorId) },
    chosen,
  });

  if (req.mediatorId) {
    const named = candidates.find((c) => c.mediatorId === req.mediatorId);
    if (!named || named.excluded) return { ok: false, code: 'not_eligible', message: 'that mediator is not on the roster for this dispute type, or was excluded in this case' };
    if (named.conflict) return { ok: false, code: 'conflict', message: `that mediator has a recorded conflict with a party (${named.conflict})` };
    return { ok: true, proposal: { mediatorId: named.mediatorId, orgId: named.orgId, mode: req.mode, reasoning: reasoning(named.mediatorId) } };
  }
  const first = eligible[0];
  if (!first) return { ok: false, code: 'no_candidate', message: 'no eligible mediator remains on the roster for this dispute type' };
  return { ok: true, proposal: { mediatorId: first.mediatorId, orgId: first.orgId, mode: 'by_rule', reasoning: reasoning(first.mediatorId) } };
}
