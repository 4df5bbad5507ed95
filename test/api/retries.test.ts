/**
 * A client that lost the answer retries with the same Idempotency-Key. When the action it sent had already
 * ended the workflow it went to (an archive closes the case, a ruling concludes the court's process), the
 * retry gets that action's answer, not a conflict saying the case is closed.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseActionUpdate,
  caseWorkflowId,
  processActionUpdate,
  processWorkflowId,
  type CaseAction,
} from '../../workflows/messages.js';
import { apologyAgreement, effectiveAgreement } from '../support/drive.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** The update id the API gives an action sent with this key (api/idempotency.ts). */
const updateIdFor = (owner: string, path: string, key: string) =>
  createHash('sha256').update(`${owner} POST ${path}\n${key}`).digest('hex');
const me = async (as: Credentials) => (await stack.send(as, 'GET', '/auth/me')).body.principal.id as string;

describe('a retried action that ended its workflow', () => {
  it('when an archive reached the case but its answer was lost, then the retry answers with the archived case', async () => {
    const { caseId, clerk } = await effectiveAgreement(stack, {
      intake: partyApplication(),
      content: apologyAgreement,
    });
    const key = `archive-${caseId}`;
    // What the API had sent before it went down: the archive, under the update id this key gives.
    const updateId = updateIdFor(await me(clerk), `/cases/${caseId}/archive`, key);
    const action = { type: 'archive', actor: { id: await me(clerk), role: 'clerk' } } as CaseAction;
    await stack.client.workflow
      .getHandle(caseWorkflowId(caseId))
      .executeUpdate(caseActionUpdate, { args: [action], updateId });
    await stack.client.workflow.getHandle(caseWorkflowId(caseId)).result();

    const retry = await stack.send(clerk, 'POST', `/cases/${caseId}/archive`, {}, { 'idempotency-key': key });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body.status).toBe('CLOSED_ARCHIVED');
    expect(await stack.db('case_events').where({ case_id: caseId, type: 'CaseArchived' })).toHaveLength(1);
    // Another key is another action: on a closed case, a conflict.
    expect(
      (await stack.send(clerk, 'POST', `/cases/${caseId}/archive`, {}, { 'idempotency-key': `${key}-2` })).status,
    ).toBe(409);
  });

  it("when a court's ruling reached the process but its answer was lost, then the retry answers with the confirmed case", async () => {
    const court = { apiKey: stack.apiKeys['court-5203']! };
    const { caseId, applicant, respondent, clerk, act } = await effectiveAgreement(stack, {
      intake: partyApplication(),
    });
    await act(clerk, 'judicial-confirmation', { venueGround: 'party_domicile', courtCode: '粤5203' });
    await act(clerk, 'judicial-confirmation/signatures', { partyId: applicant, method: 'handwritten' });
    await act(clerk, 'judicial-confirmation/signatures', { partyId: respondent, method: 'handwritten' });
    expect(
      (
        await stack.send(court, 'POST', `/cases/${caseId}/judicial-confirmation/acceptance`, {
          courtCaseNumber: '(2026)粤5203民特7号',
        })
      ).status,
    ).toBe(200);

    const key = `ruling-${caseId}`;
    const updateId = updateIdFor('institution:court-5203', `/cases/${caseId}/judicial-confirmation/ruling`, key);
    const ruling = { type: 'court_rules', actor: { id: 'court-5203', role: 'court' }, outcome: 'confirmed' };
    await stack.client.workflow
      .getHandle(processWorkflowId(caseId, 'judicial_confirmation', 1))
      .executeUpdate(processActionUpdate, { args: [ruling as never], updateId });
    // The case has recorded the ruling: the process shows as concluded when the retry comes.
    await expect
      .poll(async () => (await stack.send(clerk, 'GET', `/cases/${caseId}`)).body.securing.processes.at(-1).final, {
        timeout: 15_000,
        interval: 200,
      })
      .toBe(true);

    const retry = await stack.send(
      court,
      'POST',
      `/cases/${caseId}/judicial-confirmation/ruling`,
      { outcome: 'confirmed' },
      { 'idempotency-key': key },
    );
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body.securing.processes.at(-1)).toMatchObject({
      kind: 'judicial_confirmation',
      status: 'CONFIRMED',
      final: true,
    });
    expect(await stack.db('case_events').where({ case_id: caseId, type: 'ConfirmationRuled' })).toHaveLength(1);
    expect(
      (
        await stack.send(
          court,
          'POST',
          `/cases/${caseId}/judicial-confirmation/ruling`,
          { outcome: 'confirmed' },
          { 'idempotency-key': `${key}-2` },
        )
      ).status,
    ).toBe(409);
  });
});
