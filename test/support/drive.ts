/** Drives a case over HTTP as the clerk and mediator would, for tests that need one at a later step. */
import { loanAgreement } from './fixtures.js';
import type { Credentials, Stack } from './stack.js';

/** Apologies only: an agreement with nothing to perform, so the case may be archived at once. */
export const apologyAgreement = { facts: '双方因邻里噪音发生纠纷。', terms: [{ text: '被申请人向申请人赔礼道歉。' }] };

/** Registers the case (as `registrant`) and brings it to an effective written agreement. */
export async function effectiveAgreement(
  stack: Stack,
  opts: {
    intake: Record<string, unknown>;
    registrant?: Credentials;
    content?: unknown;
    beforeAccept?: (caseId: string) => Promise<void>;
  },
) {
  const { who, accountId } = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  const clerk = who['clerk.chen']!;
  const mediator = who['mediator.wu']!;
  const created = await stack.send(opts.registrant ?? clerk, 'POST', '/cases', opts.intake);
  if (created.status !== 201) throw new Error(`register: ${created.status} ${created.text}`);
  const caseId = created.body.caseId as string;
  const [applicant, respondent] = created.body.parties.map((p: { partyId: string }) => p.partyId) as [string, string];
  await opts.beforeAccept?.(caseId);
  const act = async (as: Credentials, path: string, body: unknown = {}) => {
    const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res;
  };
  await act(clerk, 'accept');
  await act(clerk, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  await act(mediator, 'mediator/accept');
  await act(mediator, 'agreement/drafts', { content: opts.content ?? loanAgreement });
  await act(mediator, 'agreement/circulation');
  await act(clerk, 'agreement/signatures', { signer: applicant, method: 'handwritten', draftVersion: 1 });
  let signed = await act(clerk, 'agreement/signatures', { signer: respondent, method: 'handwritten', draftVersion: 1 });
  if (signed.body.status !== 'AGREEMENT_EFFECTIVE') {
    await act(mediator, 'agreement/signatures', { signer: 'mediator', method: 'handwritten', draftVersion: 1 });
    signed = await act(clerk, 'agreement/signatures', { signer: 'organization_seal', method: 'seal', draftVersion: 1 });
  }
  if (signed.body.status !== 'AGREEMENT_EFFECTIVE') throw new Error(`not effective: ${signed.text}`);
  return { caseId, applicant, respondent, clerk, mediator, act };
}
