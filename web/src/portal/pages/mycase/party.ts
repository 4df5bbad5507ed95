/**
 * Who "I" am on this case: the signed-in party (the session principal's id), and the party they act for when
 * they are a guardian or agent. The events name parties by id; this tells mine from the other side's.
 */
import type { CaseView } from '../../../api/client';
import { useSession } from '../../session';

export type CaseEvent = CaseView['events'][number];

export function useMyPartyIds(c: CaseView): { myId: string | null; mine: (partyId: unknown) => boolean } {
  const { principal } = useSession();
  const myId = principal?.kind === 'party' ? principal.id : null;
  const me = c.parties.find((p) => p.partyId === myId);
  const ids = new Set([myId, me?.representsPartyId].filter((id): id is string => typeof id === 'string'));
  return { myId, mine: (partyId) => typeof partyId === 'string' && ids.has(partyId) };
}

/** The open period of a rule (the API lists only what this party may see), if any. */
export function openDeadline(c: CaseView, ruleId: string) {
  return (c.deadlines ?? []).find((d) => d.ruleId === ruleId && d.status === 'open' && d.dueAt);
}
