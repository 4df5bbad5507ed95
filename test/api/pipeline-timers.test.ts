/**
 * Statutory periods that run out, on the real Temporal dev server with short configured durations (the
 * real lengths and calendar are table-tested in test/domain/deadlines.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { courtDelegation, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({
    deadlineOverridesMs: {
      court_pre_filing_mediation: 2500,
      mediator_acceptance: 2500,
      party_mediator_choice: 1500,
      // Nothing recorded for the failure report: the mediator's clock to supply the facts (issue 13 item 6).
      failure_report_facts: 1000,
    },
  });
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu', 'mediator.he', 'mediator.luo']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const act = (as: Credentials, caseId: string, path: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
const clerk = () => who['clerk.chen'];

/** Polls the case as a clerk would refresh the page, until it reaches a status. */
async function until(caseId: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The record in PostgreSQL follows the workflow; wait until it too has the status.
    const row = await stack.db('cases').where({ case_id: caseId }).first('status');
    const res = await stack.send(clerk(), 'GET', `/cases/${caseId}`);
    if (res.body.status === status && row?.status === status) return res;
    if (Date.now() > deadline) throw new Error(`case ${caseId} stayed ${res.body.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('expiry', () => {
  it('when a court-delegated period runs out, then mediation ends, a failure report is made and the case goes back to the court', async () => {
    const created = await stack.send({ apiKey: stack.apiKeys['court-5202']! }, 'POST', '/cases', courtDelegation());
    const caseId = created.body.caseId;
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    expect((await act(who['mediator.wu'], caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
    const back = await until(caseId, 'RETURNED_TO_COURT');
    const t = back.body.events.map((e: { type: string }) => e.type);
    expect(t).toEqual(expect.arrayContaining(['DeadlineExpired', 'MediationTerminated', 'ReturnedToCourt']));
    expect(back.body.termination).toMatchObject({ reason: 'period_expired', returnedToCourt: true });
    const expired = back.body.events.find((e: { type: string }) => e.type === 'DeadlineExpired').payload;
    expect(expired).toMatchObject({
      ruleId: 'court_pre_filing_mediation',
      citation: expect.stringContaining('特邀调解规定第二十七条'),
    });
    expect(
      back.body.events.find((e: { type: string }) => e.type === 'ReturnedToCourt').payload.failureReport.whyFailed,
    ).toContain('调解期限届满');
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
    expect((await stack.send({ apiKey: stack.apiKeys['court-5202']! }, 'GET', `/cases/${caseId}`)).body.status).toBe(
      'RETURNED_TO_COURT',
    );
    // The missed period shows in the supervisor's SLA-breach list, with its rule.
    const sla = await stack.send(await stack.login('supervisor.zheng'), 'GET', '/supervision/sla-breaches');
    expect(sla.body.breaches).toContainEqual(
      expect.objectContaining({
        caseId,
        ruleId: 'court_pre_filing_mediation',
        deadlineStatus: 'expired',
        citation: expect.stringContaining('第二十七条'),
      }),
    );
    expect((await stack.send(await stack.login('mediator.wu'), 'GET', '/supervision/sla-breaches')).status).toBe(403);
  });

  it('when the designated mediator does not accept in time, then the case is reassigned by the roster rule to someone else', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication({ disputeType: 'medical' }));
    const caseId = created.body.caseId;
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.he'] });
    // 何建华 lets the 3 working days pass; the parties do not choose within their 2; the committee designates.
    const deadline = Date.now() + 20_000;
    let res;
    for (;;) {
      res = await stack.send(clerk(), 'GET', `/cases/${caseId}`);
      const t = res.body.events.map((e: { type: string }) => e.type);
      if (t.filter((x: string) => x === 'MediatorAssigned').length >= 2) break;
      if (Date.now() > deadline) throw new Error(`no reassignment: ${t.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const assigned = res.body.events.filter((e: { type: string }) => e.type === 'MediatorAssigned');
    expect(assigned[1].payload).toMatchObject({ mediatorId: accountId['mediator.luo'], mode: 'by_rule' });
    expect(assigned[1].payload.reasoning).toMatchObject({
      ruleVersion: expect.stringContaining('roster-rule'),
      inputs: { excluded: [accountId['mediator.he']] },
    });
    expect(res.body.events.map((e: { type: string }) => e.type)).toContain('MediatorAcceptanceTimedOut');
    expect((await act(who['mediator.luo'], caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
  });

  it('when the worker is down while a period runs out, then the expiry is applied once it is back', async () => {
    const created = await stack.send({ apiKey: stack.apiKeys['court-5202']! }, 'POST', '/cases', courtDelegation());
    const caseId = created.body.caseId;
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    await act(who['mediator.wu'], caseId, 'mediator/accept');
    await stack.stopWorker();
    await new Promise((r) => setTimeout(r, 3000)); // the period ends while nobody runs the workflow
    await stack.startWorker();
    const back = await until(caseId, 'RETURNED_TO_COURT');
    expect(back.body.events.filter((e: { type: string }) => e.type === 'DeadlineExpired')).toHaveLength(1);
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
  });
});
