/**
 * One hash chain per case: each event's hash covers its content and the previous event's hash, so any
 * change to a stored event breaks every later link. Personal data never enters the chain (parties appear
 * by id), so a deletion the law requires never breaks it. Each hash is SHA-256 over the UTF-8 bytes of the
 * event's canonical JSON (db/canonical-json.ts: RFC 8785 on I-JSON data).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { canonicalJson } from './canonical-json.js';

/** Re-exported for the callers that hash other JSON the same way (idempotency keys, agreement drafts). */
export { canonicalJson };

export type ChainedEvent = {
  caseId: string;
  seq: number;
  type: string;
  at: string;
  actorId: string;
  actorRole: string;
  payload: unknown;
  prevHash: string | null;
};

export function eventHash(e: ChainedEvent): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        caseId: e.caseId,
        seq: e.seq,
        type: e.type,
        at: new Date(e.at).toISOString(),
        actorId: e.actorId,
        actorRole: e.actorRole,
        payload: e.payload,
        prevHash: e.prevHash,
      }),
    )
    .digest('hex');
}

export type ChainVerdict = { ok: true; events: number } | { ok: false; events: number; brokenAt: number; why: string };

export async function verifyCaseChain(db: Knex, caseId: string): Promise<ChainVerdict> {
  return verifyChainRows(caseId, await db('case_events').where({ case_id: caseId }).orderBy('seq'));
}

/** A stored link of a chain (case_events, complaint_events), without the column naming its chain. */
export type ChainLink = {
  seq: number;
  type: string;
  at: Date;
  actor_id: string;
  actor_role: string;
  payload: Record<string, unknown>;
  prev_hash: string | null;
  hash: string;
};

type LinkableEvent = {
  seq: number;
  type: string;
  at: string;
  actor: { id: string; role: string };
  payload: Record<string, unknown>;
};

/**
 * The links that extend the chain `chainId`, stored up to event `last` whose hash is `prevHash`, by the events
 * not stored yet: an event at or below `last` is skipped (recorded by an earlier attempt), a gap is refused.
 */
export function chainLinks(
  chainId: string,
  events: LinkableEvent[],
  last: number,
  prevHash: string | null,
): ChainLink[] {
  if (last > 0 && prevHash === null)
    throw new Error(`chain ${chainId}: event ${last} is missing; the chain cannot go on`);
  const links: ChainLink[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.seq <= last) continue;
    if (e.seq !== last + 1) throw new Error(`chain ${chainId}: event ${e.seq} would leave a gap after ${last}`);
    const chained = { seq: e.seq, type: e.type, at: e.at, actorId: e.actor.id, actorRole: e.actor.role };
    const hash = eventHash({ caseId: chainId, ...chained, payload: e.payload, prevHash });
    links.push({
      seq: e.seq,
      type: e.type,
      at: new Date(e.at),
      actor_id: e.actor.id,
      actor_role: e.actor.role,
      payload: e.payload,
      prev_hash: prevHash,
      hash,
    });
    prevHash = hash;
    last = e.seq;
  }
  return links;
}

/** Checks a chain's stored links in order: numbering, each link to the previous hash, and every hash. */
export function verifyChainRows(chainId: string, rows: ChainLink[]): ChainVerdict {
  let prev: string | null = null;
  for (const [i, row] of rows.entries()) {
    const broken = (why: string): ChainVerdict => ({ ok: false, events: rows.length, brokenAt: row.seq, why });
    if (row.seq !== i + 1) return broken(`expected event ${i + 1}`);
    if (row.prev_hash !== prev) return broken('previous hash does not match');
    const expected = eventHash({
      caseId: chainId,
      seq: row.seq,
      type: row.type,
      at: row.at.toISOString(),
      actorId: row.actor_id,
      actorRole: row.actor_role,
      payload: row.payload,
      prevHash: row.prev_hash,
    });
    if (expected !== row.hash) return broken('content does not match its hash');
    prev = row.hash;
  }
  return { ok: true, events: rows.length };
}
