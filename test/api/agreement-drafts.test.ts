/**
 * GET /cases/:id/agreement/drafts over HTTP on the real Temporal dev server and PostgreSQL: the versions the
 * case's chain recorded, with the content each was drafted with, for those who may read the agreement; a
 * mediator of another case gets 404, as for the case itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loanAgreement, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let who: Record<string, Credentials>;
let accountId: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  ({ who, accountId } = await stack.loginAll(['clerk.chen', 'mediator.wu', 'mediator.zhou']));
});
afterAll(async () => {
  await stack?.close();
});

async function act(as: Credentials, caseId: string, path: string, body: unknown = {}) {
  const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res;
}

describe('the agreement versions', () => {
  it('when a draft is revised, then both versions come back in order with their content, and a mediator of another case is told it does not exist', async () => {
    const clerk = who['clerk.chen']!;
    const mediator = who['mediator.wu']!;
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    expect(created.status, created.text).toBe(201);
    const caseId = created.body.caseId as string;

    // Before any draft: an empty list, not an error.
    const none = await stack.send(clerk, 'GET', `/cases/${caseId}/agreement/drafts`);
    expect(none.status, none.text).toBe(200);
    expect(none.body.drafts).toEqual([]);

    await act(clerk, caseId, 'accept');
    await act(clerk, caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    await act(mediator, caseId, 'mediator/accept');
    await act(mediator, caseId, 'agreement/drafts', { content: loanAgreement });
    const revised = { ...loanAgreement, terms: [...loanAgreement.terms, { text: '申请人放弃其余利息请求。' }] };
    await act(mediator, caseId, 'agreement/drafts', { content: revised });

    const drafts = await stack.send(mediator, 'GET', `/cases/${caseId}/agreement/drafts`);
    expect(drafts.status, drafts.text).toBe(200);
    expect(drafts.headers.get('cache-control')).toBe('no-store');
    expect(drafts.body.drafts.map((d: { version: number }) => d.version)).toEqual([1, 2]);
    expect(drafts.body.drafts[0].content).toEqual(loanAgreement);
    expect(drafts.body.drafts[1].content.terms.at(-1)).toEqual({ text: '申请人放弃其余利息请求。' });
    // The hash the case's chain recorded for the version now circulating.
    const view = await stack.send(mediator, 'GET', `/cases/${caseId}`);
    expect(drafts.body.drafts[1].sha256).toBe(view.body.agreement.hash);

    const stranger = await stack.send(who['mediator.zhou']!, 'GET', `/cases/${caseId}/agreement/drafts`);
    expect(stranger.status).toBe(404);
    expect(stranger.headers.get('content-type')).toContain('application/problem+json');
  });
});
