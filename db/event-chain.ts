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
  const rows = await db('case_events').where({ case_id: caseId }).orderBy('seq');
  let prev: string | null = null;
  for (const [i, row] of rows.entries()) {
    if (row.seq !== i + 1) return { ok: false, events: rows.length, brokenAt: row.seq, why: `expected event ${i + 1}` };
    if (row.prev_hash !== prev)
      return { ok: false, events: rows.length, brokenAt: row.seq, why: 'previous hash does not match' };
    const expected = eventHash({
      caseId,
      seq: row.seq,
      type: row.type,
      at: row.at.toISOString(),
      actorId: row.actor_id,
      actorRole: row.actor_role,
      payload: row.payload,
      prevHash: row.prev_hash,
    });
    if (expected !== row.hash)
      return { ok: false, events: rows.length, brokenAt: row.seq, why: 'content does not match its hash' };
    prev = row.hash;
  }
  return { ok: true, events: rows.length };
}
