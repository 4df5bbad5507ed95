/**
 * The agreement's versions as drafted: the content each was rendered from, for the mediator revising it and for
 * the comparison of two versions. Only versions the case's chain recorded (by version and hash, in its
 * AgreementDrafted or, for an oral agreement, AgreementEffective event): a row a retried activity stored for a
 * draft the case then refused is not one of them.
 */
import type { AgreementContent } from '../domain/case-rules.js';
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

export type AgreementDraft = {
  version: number;
  form: 'written' | 'oral';
  content: AgreementContent;
  sha256: string;
  createdAt: string;
};

export async function recordedAgreementDrafts(db: Tx, caseId: string): Promise<AgreementDraft[]> {
  const rows = await db('agreement_drafts as d')
    .where('d.case_id', caseId)
    .whereExists((q) =>
      q
        .select(db.raw('1'))
        .from('case_events as e')
        .whereRaw('e.case_id = d.case_id')
        .whereIn('e.type', ['AgreementDrafted', 'AgreementEffective'])
        .whereRaw("(e.payload->>'version')::int = d.version and e.payload->>'sha256' = d.sha256"),
    )
    .orderBy('d.version')
    .select('d.version', 'd.form', 'd.content', 'd.sha256', 'd.created_at');
  return rows.map((r) => ({
    version: r.version,
    form: r.form,
    content: r.content as AgreementContent,
    sha256: r.sha256,
    createdAt: (r.created_at as Date).toISOString(),
  }));
}
