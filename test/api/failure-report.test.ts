/**
 * A court gets a real failure report (调解情况说明, 人民法院在线调解规则 Art 21) when a delegated case ends on
 * its own: from what the mediator recorded during mediation, or, when nothing was, after asking the mediator
 * on a clock of its own; never blank. On the real Temporal dev server and PostgreSQL, with short periods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { chineseDate } from '../../templates/format.js';
import { courtDelegation, loanAgreement } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({ deadlineOverridesMs: { court_pre_filing_mediation: 4000, failure_report_facts: 6000 } });
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const act = (as: Credentials, caseId: string, p: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${p}`, body);
const clerk = () => who['clerk.chen'];
const court = (): Credentials => ({ apiKey: stack.apiKeys['court-5202']! });
const flat = (s: string) => s.replace(/\s+/g, '').replace(/第\d+页共\d+页/g, '');
const facts = {
  basicFacts: '被申请人于2025年3月向申请人借款12000元，约定2026年6月30日前归还，至今未还。',
  undisputedFacts: '借款事实、金额及约定还款日期双方均无异议。',
  costlyConduct: '被申请人两次无正当理由缺席调解，致调解延期。',
};

/** A case the court delegated, in mediation with 吴国栋. */
async function inMediation(body = courtDelegation()) {
  const created = await stack.send(court(), 'POST', '/cases', body);
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  await act(clerk(), caseId, 'accept');
  await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  expect((await act(who['mediator.wu'], caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
  return { caseId, parties: created.body.parties.map((p: { partyId: string }) => p.partyId) as string[] };
}

/** Polls as a clerk refreshing the page until the case has the status and (the view's events lag its status) the event. */
async function until(caseId: string, status: string, event: string, timeoutMs = 30_000) {
  for (const end = Date.now() + timeoutMs; ;) {
    const res = await stack.send(clerk(), 'GET', `/cases/${caseId}`);
    if (res.body.status === status && res.body.events.some((e: { type: string }) => e.type === event)) return res;
    if (Date.now() > end) throw new Error(`case ${caseId} stayed ${res.body.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The failure report as the delegating court downloads and reads it. */
async function courtReads(caseId: string): Promise<string> {
  // Its status changes with the events; the document follows a moment later, rendered by an activity.
  let doc: { download: string } | undefined;
  for (const end = Date.now() + 15_000; !doc; await new Promise((r) => setTimeout(r, 200))) {
    const docs = await stack.send(court(), 'GET', `/cases/${caseId}/documents`);
    doc = docs.body.documents.find((d: { kind: string }) => d.kind === 'failure_report');
    if (!doc && Date.now() > end)
      throw new Error(`no failure report: ${JSON.stringify(docs.body.documents.map((d: { kind: string }) => d.kind))}`);
  }
  const read = await stack.readPdf(court(), doc.download);
  expect(read.status).toBe(200);
  return read.text;
}

describe('the failure report on an automatic ending', () => {
  it('when the mediator recorded the facts during mediation and the period runs out, then the report the court reads carries them', async () => {
    const { caseId } = await inMediation();
    const recorded = await act(who['mediator.wu'], caseId, 'facts', facts);
    expect(recorded.status, recorded.text).toBe(200);
    expect(recorded.body.caseFacts).toMatchObject(facts);
    const back = await until(caseId, 'RETURNED_TO_COURT', 'ReturnedToCourt');
    expect(back.body.termination).toMatchObject({ reason: 'period_expired', returnedToCourt: true });
    expect(back.body.events.map((e: { type: string }) => e.type)).not.toContain('FailureFactsRequested');
    const text = await courtReads(caseId);
    for (const expected of [
      '调解情况说明',
      facts.basicFacts,
      facts.undisputedFacts,
      facts.costlyConduct,
      '调解期限届满',
      '人民法院在线调解规则第二十一条',
    ])
      expect(text, expected).toContain(flat(expected));
    // The parties' termination notice: the reason in Chinese, the court rule's item, the period and its recorded last day.
    const period = back.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'court_pre_filing_mediation') as {
      lastDay: string;
    };
    const notice = (await stack.send(clerk(), 'GET', `/cases/${caseId}/documents`)).body.documents.find(
      (d: { kind: string }) => d.kind === 'termination_notice',
    );
    const noticeText = (await stack.readPdf(clerk(), notice.download)).text;
    for (const expected of [
      '终止调解告知书',
      `委派调解期限为30日，已于${chineseDate(period.lastDay)}届满`,
      '依据人民法院在线调解规则第二十五条第（六）项的规定，调解终止',
      '调解情况说明及相关材料',
    ])
      expect(noticeText, expected).toContain(expected);
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
  });

  it('when nothing was recorded and a party refuses to sign, then the mediator is asked and the report goes out with the answer', async () => {
    const { caseId, parties } = await inMediation(
      courtDelegation({
        channel: 'court_post_filing',
        court: { courtCode: '粤5202', courtCaseNumber: '(2026)粤5202民初456号', procedure: 'ordinary' },
      }),
    );
    await act(who['mediator.wu'], caseId, 'agreement/drafts', { content: loanAgreement });
    await act(who['mediator.wu'], caseId, 'agreement/circulation');
    const ended = await act(clerk(), caseId, 'agreement/refusals', { partyId: parties[1] });
    expect(ended.body.status, ended.text).toBe('TERMINATED');
    const waiting = await stack.send(clerk(), 'GET', `/cases/${caseId}`);
    expect(waiting.body.failureReportPending).toMatchObject({
      askedOf: accountId['mediator.wu'],
      dueAt: expect.any(String),
    });
    const asked = waiting.body.events.find((e: { type: string }) => e.type === 'FailureFactsRequested');
    expect(asked.payload).toMatchObject({
      askedOf: accountId['mediator.wu'],
      dueAt: waiting.body.failureReportPending.dueAt,
    });
    // Nothing has gone to the court yet.
    expect(
      (await stack.send(court(), 'GET', `/cases/${caseId}/documents`)).body.documents.map(
        (d: { kind: string }) => d.kind,
      ),
    ).not.toContain('failure_report');

    const answered = await act(who['mediator.wu'], caseId, 'facts', facts);
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body.status).toBe('RETURNED_TO_COURT');
    expect(answered.body.failureReportPending).toBeNull();
    const text = await courtReads(caseId);
    for (const expected of [
      facts.basicFacts,
      facts.undisputedFacts,
      facts.costlyConduct,
      '被申请人拒绝在调解协议上签章（人民法院在线调解规则第二十五条第（七）项）',
    ])
      expect(text, expected).toContain(flat(expected));
    // Once sent, the clock does not send a second one.
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await stack.send(court(), 'GET', `/cases/${caseId}/documents`)).body.documents.filter(
        (d: { kind: string }) => d.kind === 'failure_report',
      ),
    ).toHaveLength(1);
  });

  it('when nothing was recorded and the mediator does not answer in time, then the report still goes out, never blank, with the dispute as registered', async () => {
    const { caseId } = await inMediation();
    const waiting = await until(caseId, 'TERMINATED', 'FailureFactsRequested');
    expect(waiting.body.failureReportPending).toMatchObject({ askedOf: accountId['mediator.wu'] });
    const back = await until(caseId, 'RETURNED_TO_COURT', 'ReturnedToCourt', 40_000);
    const types = back.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['FailureFactsRequested', 'FailureFactsNotProvided', 'ReturnedToCourt']),
    );
    const asked = back.body.events.find((e: { type: string }) => e.type === 'FailureFactsRequested');
    const gaveUp = back.body.events.find((e: { type: string }) => e.type === 'FailureFactsNotProvided');
    expect(Date.parse(gaveUp.at)).toBeGreaterThanOrEqual(Date.parse(asked.payload.dueAt));
    const text = await courtReads(caseId);
    const summary = (await stack.db('cases').where({ case_id: caseId }).first('summary'))!.summary as string;
    for (const expected of [
      '调解员经要求后未在期限内补充纠纷基本事实',
      flat(summary),
      '本组织不能确认任何无争议事实',
      '调解员经要求后未在期限内补充导致其他当事人诉讼成本增加的行为',
      '调解期限届满',
    ])
      expect(text, expected).toContain(expected);
    expect(text).not.toContain('（无）');
    // The mediator can no longer change a report that has gone out.
    expect((await act(who['mediator.wu'], caseId, 'facts', facts)).status).toBe(409);
  });
});
