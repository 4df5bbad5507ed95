/**
 * Agreement drafts as the activities store and print them: one row per case and version, whatever the chain
 * later recorded of it (db/agreement-drafts.ts reads only the versions the chain recorded).
 */
import type { Knex } from 'knex';
import type { AgreementContent } from '../domain/case-rules.js';

type Tx = Knex | Knex.Transaction;

export async function storeAgreementDraft(
  db: Tx,
  d: {
    caseId: string;
    version: number;
    form: 'written' | 'oral';
    content: AgreementContent;
    sha256: string;
    createdBy: string;
  },
): Promise<void> {
  await db('agreement_drafts')
    .insert({
      case_id: d.caseId,
      version: d.version,
      form: d.form,
      content: JSON.stringify(d.content),
      sha256: d.sha256,
      created_by: d.createdBy,
    })
    .onConflict(['case_id', 'version'])
    // The workflow stores only the version after its last recorded one: a row already there is a
    // retry of this call, or a draft no event ever recorded, so this content replaces it.
    .merge(['form', 'content', 'sha256', 'created_by']);
}

/** The content of one stored version, as the agreement and the documents that follow it print it. */
export async function storedDraftContent(
  db: Tx,
  caseId: string,
  version: number,
): Promise<AgreementContent | undefined> {
  const draft = await db('agreement_drafts').where({ case_id: caseId, version }).first('content');
  return draft ? (draft.content as AgreementContent) : undefined;
}
