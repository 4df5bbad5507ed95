/**
 * An action's answer retried with its Idempotency-Key (api/case-view-replay.ts): the replay is the first answer,
 * events and all, while what is kept for it does not grow with the case (issue 18 item 4).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findIdempotencyKey } from '../../db/idempotency.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let who: Record<string, Credentials>;
let accountId: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  ({ who, accountId } = await stack.loginAll(['clerk.chen', 'mediator.wu']));
});
afterAll(async () => {
  await stack?.close();
});

const LEGAL_AID_EVENTS = ['LegalAidApplied', 'LegalAidGranted', 'LegalAidRefused', 'LegalAidStaffAssigned'];
const session = (i: number) => ({
  at: new Date().toISOString(),
  place: '中心调解室',
  mode: 'in_person',
  record: `第${i}次调解：双方就还款期限交换意见。`,
});

it('when a session is recorded again with its Idempotency-Key after the case has grown, then the replay is the first answer, and what is kept for it stays the same size', async () => {
  const clerk = who['clerk.chen'];
  const wu = who['mediator.wu'];
  const act = (
    as: Credentials,
    caseId: string,
    path: string,
    body: unknown = {},
    headers: Record<string, string> = {},
  ) => stack.send(as, 'POST', `/cases/${caseId}/${path}`, body, headers);
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  const caseId = created.body.caseId as string;
  // Legal aid for the applicant: the mediator sees where it stands, not its events (domain/access-policy.ts).
  const aid = await act(clerk, caseId, 'legal-aid', {
    partyId: created.body.parties[0].partyId,
    basis: 'local_aged_75',
    selfDeclaration: true,
  });
  expect(aid.status, aid.text).toBe(200);
  await act(clerk, caseId, 'accept');
  await act(clerk, caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  expect((await act(wu, caseId, 'mediator/accept')).status).toBe(200);

  const firstKey = randomUUID();
  const firstBody = session(0);
  const first = await act(wu, caseId, 'sessions', firstBody, { 'Idempotency-Key': firstKey });
  expect(first.status, first.text).toBe(200);
  for (let i = 1; i <= 20; i++) expect((await act(wu, caseId, 'sessions', session(i))).status).toBe(200);
  const laterKey = randomUUID();
  const laterBody = session(21);
  const later = await act(wu, caseId, 'sessions', laterBody, { 'Idempotency-Key': laterKey });
  expect(later.status, later.text).toBe(200);
  expect(later.body.events.length).toBeGreaterThanOrEqual(first.body.events.length + 20);

  // Each replay is its own first answer: the events it showed then, and none the mediator may not see.
  const firstAgain = await act(wu, caseId, 'sessions', firstBody, { 'Idempotency-Key': firstKey });
  expect(firstAgain.headers.get('idempotent-replayed')).toBe('true');
  expect(firstAgain.status).toBe(200);
  expect(firstAgain.body).toEqual(first.body);
  const laterAgain = await act(wu, caseId, 'sessions', laterBody, { 'Idempotency-Key': laterKey });
  expect(laterAgain.headers.get('idempotent-replayed')).toBe('true');
  expect(laterAgain.body).toEqual(later.body);
  expect(laterAgain.body.events.map((e: { type: string }) => e.type)).not.toContain('LegalAidApplied');
  const clerkView = await stack.send(clerk, 'GET', `/cases/${caseId}`);
  expect(clerkView.body.events.map((e: { type: string }) => e.type)).toContain('LegalAidApplied');
  expect(LEGAL_AID_EVENTS.some((t) => first.body.events.some((e: { type: string }) => e.type === t))).toBe(false);

  // What the key keeps for its replay does not grow with the case's events.
  const kept = async (key: string) => {
    const scope = `${accountId['mediator.wu']} POST /cases/${caseId}/sessions`;
    const row = await findIdempotencyKey(stack.db, { scope, key });
    return JSON.stringify(row?.responseBody ?? null).length;
  };
  expect(later.text.length - first.text.length).toBeGreaterThan(3_000);
  expect(Math.abs((await kept(laterKey)) - (await kept(firstKey)))).toBeLessThan(1_000);
});
