/** A long case continues as new (here after 60 history events) and carries everything with it. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import { partyApplication } from '../support/fixtures.js';
import { expectCountedAsRecorded } from '../support/deadlines.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};

beforeAll(async () => {
  stack = await startStack({ maxHistoryEvents: 60 });
  for (const u of ['clerk.chen', 'mediator.wu']) who[u] = await stack.login(u);
});
afterAll(async () => {
  await stack?.close();
});

it('when a case outgrows its history limit, then it continues as new with its state, deadlines and chain intact', async () => {
  const clerk = who['clerk.chen'];
  const wu = who['mediator.wu'];
  const act = (as: Credentials, caseId: string, path: string, body: unknown = {}) =>
    stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  const caseId = created.body.caseId;
  const mediatorId = (await stack.send(wu, 'GET', '/auth/me')).body.principal.id;
  await act(clerk, caseId, 'accept');
  await act(clerk, caseId, 'mediator', { mode: 'designated', mediatorId });
  await act(wu, caseId, 'mediator/accept');
  const handle = stack.client.workflow.getHandle(caseWorkflowId(caseId));
  const firstRun = (await handle.describe()).runId;
  for (let i = 1; i <= 12; i++) {
    const res = await act(wu, caseId, 'sessions', {
      at: '2026-11-26T10:00:00+08:00',
      place: '调解室',
      mode: 'phone',
      record: `第${i}次电话调解`,
    });
    expect(res.status, res.text).toBe(200);
  }
  const description = await handle.describe();
  expect(description.runId).not.toBe(firstRun);
  const view = await stack.send(clerk, 'GET', `/cases/${caseId}`);
  expect(view.body.status).toBe('IN_MEDIATION');
  expect(view.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'general_mediation')).toMatchObject({
    status: 'open',
  });
  // Carried across continue-as-new as counted: the calculator's due time for its start and version.
  await expectCountedAsRecorded(
    stack.db,
    view.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'general_mediation'),
    { reminder: true },
  );
  expect(view.body.events.filter((e: { type: string }) => e.type === 'SessionRecorded')).toHaveLength(12);
  // The continued run still takes actions and keeps the chain.
  expect((await act(wu, caseId, 'termination', { reason: 'positions_too_far_apart' })).body.status).toBe('TERMINATED');
  expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
});
