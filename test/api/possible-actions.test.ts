/**
 * The case view lists what this person can do now, and why not, by the same policy and rules the actions
 * meet: a console shows a button only when the list allows it, and the action then succeeds.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  Object.assign(who, staff.who);
  Object.assign(ids, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

type Action = {
  action: string;
  path: string;
  allowed: boolean;
  refusal?: { kind: string; code: string; article?: string };
};
const actionsOf = async (as: Credentials, caseId: string): Promise<Action[]> =>
  (await stack.send(as, 'GET', `/cases/${caseId}`)).body.actions;
const find = (list: Action[], action: string) => list.find((a) => a.action === action);

it('when a clerk, a mediator and a party open the same case, then each sees what they can do now, and an allowed action succeeds', async () => {
  const created = await stack.send(who['clerk.chen'], 'POST', '/cases', partyApplication());
  const caseId = created.body.caseId as string;
  const [applicant] = created.body.parties.map((p: { partyId: string }) => p.partyId) as string[];

  const registered = await actionsOf(who['clerk.chen'], caseId);
  expect(find(registered, 'accept')).toMatchObject({ path: 'accept', allowed: true });
  expect(find(registered, 'decline')).toMatchObject({ allowed: true });
  expect(find(registered, 'archive')).toMatchObject({ allowed: false, refusal: { kind: 'wrong_state' } });
  // What only a mediator does is not in a clerk's list.
  expect(find(registered, 'record_session')).toBeUndefined();
  // Every allowed action's path is one the API serves.
  for (const a of registered.filter((x) => x.allowed)) expect(a.path).toMatch(/^[a-z-]+(\/[a-z-]+)?$/);

  expect((await stack.send(who['clerk.chen'], 'POST', `/cases/${caseId}/accept`, {})).status).toBe(200);
  expect(find(await actionsOf(who['clerk.chen'], caseId), 'accept')).toMatchObject({
    allowed: false,
    refusal: { kind: 'wrong_state' },
  });

  await stack.send(who['clerk.chen'], 'POST', `/cases/${caseId}/mediator`, {
    mode: 'designated',
    mediatorId: ids['mediator.wu'],
  });
  const mediator = await actionsOf(who['mediator.wu'], caseId);
  expect(find(mediator, 'mediator_accepts')).toMatchObject({ allowed: true });
  // A mediator never registers or accepts cases: those are not listed at all.
  expect(find(mediator, 'accept')).toBeUndefined();

  // A party's list is short: only what a party may ever do, here nothing to sign yet.
  const party = await stack.partyLogin(who['clerk.chen'], caseId, applicant!);
  const partyActions = await actionsOf(party, caseId);
  expect(find(partyActions, 'accept')).toBeUndefined();
  expect(find(partyActions, 'sign')).toMatchObject({ allowed: false });
});
