/**
 * Securing, performance and closure over HTTP on the real Temporal dev server and PostgreSQL (docs/securing.md;
 * docs/case-path.md#performance-and-follow-up): judicial confirmation and notarization as child workflows with their own clocks, the court
 * and notary acting through their API keys, instalments, enforcement advice, and the archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { courtDelegation, loanAgreement, partyApplication } from '../support/fixtures.js';
import { chinaDateOf } from '../../domain/calendar.js';
import { addYears } from '../../domain/deadlines.js';
import { expectCountedAsRecorded } from '../support/deadlines.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  // A court's period for supplements and each instalment's due time, shortened so the tests can see them pass.
  stack = await startStack({
    deadlineOverridesMs: { court_confirmation_correction: 1_500, performance_instalment: 2_500 },
  });
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const clerk = () => who['clerk.chen']!;
const mediator = () => who['mediator.wu']!;
const court = () => ({ apiKey: stack.apiKeys['court-5202']! });
// (court-5281's key is rotated by the access tests, which may run first)
const otherCourt = () => ({ apiKey: stack.apiKeys['court-5203']! });
const notary = () => ({ apiKey: stack.apiKeys['notary-jieyang']! });
const act = (as: Credentials, caseId: string, path: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
const types = (body: { events: { type: string }[] }) => body.events.map((e) => e.type);
const get = (as: Credentials, caseId: string) => stack.send(as, 'GET', `/cases/${caseId}`);

/** Registers the case and brings it to an effective written agreement. */
async function effectiveAgreement(
  body: Record<string, unknown>,
  content: unknown = loanAgreement,
  registrant: Credentials = clerk(),
) {
  const created = await stack.send(registrant, 'POST', '/cases', body);
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  const [applicant, respondent] = created.body.parties.map((p: { partyId: string }) => p.partyId) as string[];
  await act(clerk(), caseId, 'accept');
  await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  expect((await act(mediator(), caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
  // Payments go to the applicant, who confirms them.
  const withPayee = {
    ...(content as typeof loanAgreement),
    terms: (content as typeof loanAgreement).terms.map((t) =>
      'amountFen' in t ? { ...t, payeePartyId: applicant } : t,
    ),
  };
  const drafted = await act(mediator(), caseId, 'agreement/drafts', { content: withPayee });
  expect(drafted.status, drafted.text).toBe(200);
  await act(mediator(), caseId, 'agreement/circulation');
  await act(clerk(), caseId, 'agreement/signatures', { signer: applicant, method: 'handwritten', draftVersion: 1 });
  let signed = await act(clerk(), caseId, 'agreement/signatures', {
    signer: respondent,
    method: 'handwritten',
    draftVersion: 1,
  });
  if (signed.body.status !== 'AGREEMENT_EFFECTIVE') {
    await act(mediator(), caseId, 'agreement/signatures', {
      signer: 'mediator',
      method: 'handwritten',
      draftVersion: 1,
    });
    signed = await act(clerk(), caseId, 'agreement/signatures', {
      signer: 'organization_seal',
      method: 'seal',
      draftVersion: 1,
    });
  }
  expect(signed.body.status, signed.text).toBe('AGREEMENT_EFFECTIVE');
  return { caseId, applicant: applicant!, respondent: respondent! };
}

/** Both parties sign the joint application: the applicant online, the respondent's wet ink recorded by the clerk. */
async function applyJointly(
  caseId: string,
  applicant: string,
  respondent: string,
  venue: Record<string, unknown>,
  beforeSigning?: () => Promise<void>,
) {
  const started = await act(clerk(), caseId, 'judicial-confirmation', venue);
  expect(started.status, started.text).toBe(200);
  await beforeSigning?.();
  const asApplicant = await stack.partyLogin(clerk(), caseId, applicant);
  const first = await act(asApplicant, caseId, 'judicial-confirmation/signatures', { method: 'electronic' });
  expect(first.status, first.text).toBe(200);
  const second = await act(clerk(), caseId, 'judicial-confirmation/signatures', {
    partyId: respondent,
    method: 'handwritten',
  });
  expect(second.status, second.text).toBe(200);
  return second;
}

const process = (body: { securing: { processes: { kind: string; status: string }[] } }, kind: string) =>
  body.securing.processes.filter((p) => p.kind === kind).at(-1);

describe('judicial confirmation', () => {
  it('when both parties apply and the court confirms, then the agreement is enforceable, performed, followed up and archived', async () => {
    const { caseId, applicant, respondent } = await effectiveAgreement(partyApplication());
    expect((await stack.send(court(), 'GET', `/cases/${caseId}`)).status).toBe(404); // not sent to it yet

    const submitted = await applyJointly(
      caseId,
      applicant,
      respondent,
      { venueGround: 'party_domicile', courtCode: '粤5202' },
      async () => {
        // Named but not yet sent: the court does not see the file until both parties have signed.
        expect((await stack.send(court(), 'GET', `/cases/${caseId}`)).status).toBe(404);
      },
    );
    expect(process(submitted.body, 'judicial_confirmation')).toMatchObject({ status: 'SUBMITTED' });
    expect(
      submitted.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'judicial_confirmation_application').status,
    ).toBe('met');
    expect(
      submitted.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'court_confirmation_acceptance'),
    ).toMatchObject({ status: 'open', citation: expect.stringContaining('第四条') });
    expect(
      await stack
        .db('institution_messages')
        .where({ case_id: caseId, institution_id: 'court-5202', message: 'application_submitted' }),
    ).toHaveLength(1);

    // Only the court it was sent to acts on it.
    expect(
      (await act(otherCourt(), caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: '(2026)粤5281民特1号' }))
        .status,
    ).toBe(404);
    expect((await act(clerk(), caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: 'x' })).status).toBe(403);
    const accepted = await act(court(), caseId, 'judicial-confirmation/acceptance', {
      courtCaseNumber: '(2026)粤5202民特88号',
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.deadlines.map((d: { ruleId: string }) => d.ruleId)).toEqual(
      expect.arrayContaining(['court_confirmation_decision', 'court_confirmation_ceiling']),
    );
    const ruled = await act(court(), caseId, 'judicial-confirmation/ruling', { outcome: 'confirmed' });
    expect(ruled.status, ruled.text).toBe(200);
    expect(process(ruled.body, 'judicial_confirmation')).toMatchObject({
      status: 'CONFIRMED',
      final: true,
      courtCaseNumber: '(2026)粤5202民特88号',
    });
    expect(ruled.body.securing.enforceableBy).toBe('judicial_confirmation');
    expect(types(ruled.body)).toEqual(
      expect.arrayContaining([
        'JudicialConfirmationStarted',
        'ConfirmationApplicationSigned',
        'ConfirmationApplicationSubmitted',
        'ConfirmationAccepted',
        'ConfirmationRuled',
      ]),
    );

    // Performance: every instalment confirmed by the creditor.
    const asCreditor = await stack.partyLogin(clerk(), caseId, applicant);
    const asDebtor = await stack.partyLogin(clerk(), caseId, respondent);
    expect((await act(asDebtor, caseId, 'payments', { instalment: 1 })).status).toBe(403); // only the payee confirms
    for (const n of [1, 2]) expect((await act(asCreditor, caseId, 'payments', { instalment: n })).status).toBe(200);
    const performed = await get(clerk(), caseId);
    expect(performed.body.status).toBe('PERFORMED');
    expect(
      (
        await act(mediator(), caseId, 'follow-ups', {
          at: '2027-04-05T10:00:00+08:00',
          mode: 'phone',
          note: '双方确认已履行完毕，无异议。',
        })
      ).status,
    ).toBe(200);
    const archived = await act(clerk(), caseId, 'archive');
    expect(archived.status, archived.text).toBe(200);
    expect(archived.body.status).toBe('CLOSED_ARCHIVED');

    const docs = (await stack.send(clerk(), 'GET', `/cases/${caseId}/documents`)).body.documents.map(
      (d: { kind: string }) => d.kind,
    );
    expect(docs).toEqual(expect.arrayContaining(['agreement', 'judicial_confirmation_application', 'archive_summary']));
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
  });

  it('when a 委派 case is confirmed, then it goes back to the delegating court, which rules on it', async () => {
    const { caseId, applicant, respondent } = await effectiveAgreement(courtDelegation(), loanAgreement, court());
    // The agreement is filed with the delegating court (特邀调解规定 Art 19).
    const filed = await stack.db('institution_messages').where({ case_id: caseId, message: 'agreement_filed' });
    expect(filed).toEqual([
      expect.objectContaining({
        institution_id: 'court-5202',
        payload: expect.objectContaining({ agreementVersion: 1, basis: '特邀调解规定第十九条' }),
      }),
    ]);
    expect(
      (await act(clerk(), caseId, 'judicial-confirmation', { venueGround: 'party_domicile', courtCode: '粤5281' }))
        .status,
    ).toBe(422);
    await applyJointly(caseId, applicant, respondent, { venueGround: 'delegating_court' });
    await act(court(), caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: '(2026)粤5202诉前调确9号' });
    const ruled = await act(court(), caseId, 'judicial-confirmation/ruling', { outcome: 'confirmed' });
    expect(process(ruled.body, 'judicial_confirmation')).toMatchObject({
      status: 'CONFIRMED',
      institutionId: 'court-5202',
    });
  });

  it('when the court rejects the application, then the parties may mediate again and reach a new agreement', async () => {
    const { caseId, applicant, respondent } = await effectiveAgreement(partyApplication());
    await applyJointly(caseId, applicant, respondent, { venueGround: 'organization_seat', courtCode: '粤5202' });
    await act(court(), caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: '(2026)粤5202民特90号' });
    expect((await act(court(), caseId, 'judicial-confirmation/ruling', { outcome: 'rejected' })).status).toBe(400); // a rejection names its ground
    const rejected = await act(court(), caseId, 'judicial-confirmation/ruling', {
      outcome: 'rejected',
      ground: 'indefinite',
      note: '还款账户不明确',
    });
    expect(process(rejected.body, 'judicial_confirmation')).toMatchObject({
      status: 'REJECTED',
      outcome: { ground: 'indefinite' },
    });
    const again = await act(clerk(), caseId, 'remediation', { note: '双方同意重新调解，明确还款账户' });
    expect(again.status, again.text).toBe(200);
    expect(again.body.status).toBe('IN_MEDIATION');
    const draft = await act(mediator(), caseId, 'agreement/drafts', {
      content: { ...loanAgreement, performance: '银行转账至申请人尾号1234的账户' },
    });
    expect(draft.body.agreement.version).toBe(2);
  });

  it("when the parties miss the court's date for supplements, then the application is treated as withdrawn", async () => {
    const { caseId, applicant, respondent } = await effectiveAgreement(partyApplication());
    await applyJointly(caseId, applicant, respondent, { venueGround: 'party_domicile', courtCode: '粤5202' });
    await act(court(), caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: '(2026)粤5202民特91号' });
    const asked = await act(court(), caseId, 'judicial-confirmation/corrections', { items: ['借款合同原件'], days: 5 });
    expect(process(asked.body, 'judicial_confirmation')).toMatchObject({ status: 'CORRECTION' });
    expect(
      asked.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'court_confirmation_decision').status,
    ).toBe('paused');
    await expect
      .poll(async () => process((await get(clerk(), caseId)).body, 'judicial_confirmation')?.status, {
        timeout: 15_000,
        interval: 300,
      })
      .toBe('WITHDRAWN');
    const after = await get(clerk(), caseId);
    expect(after.body.events.find((e: { type: string }) => e.type === 'ConfirmationWithdrawn').payload).toMatchObject({
      treatedAsWithdrawn: true,
      article: '民诉法解释第三百五十七条',
    });
  });
});

describe('reporting back to the court', () => {
  it('when a 委派 mediation fails, then the failure report goes back to the delegating court', async () => {
    const created = await stack.send(court(), 'POST', '/cases', courtDelegation());
    const caseId = created.body.caseId as string;
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    await act(mediator(), caseId, 'mediator/accept');
    const ended = await act(mediator(), caseId, 'termination', {
      reason: 'positions_too_far_apart',
      failureReport: {
        basicFacts: '借款纠纷，本金12000元。',
        undisputedFacts: '借款事实及金额无争议。',
        whyFailed: '还款期限分歧过大。',
      },
    });
    expect(ended.body.status).toBe('RETURNED_TO_COURT');
    const sent = await stack.db('institution_messages').where({ case_id: caseId, message: 'failure_report' });
    expect(sent).toEqual([
      expect.objectContaining({
        institution_id: 'court-5202',
        payload: expect.objectContaining({ reason: 'positions_too_far_apart', letterNumber: '榕法委派〔2026〕12号' }),
      }),
    ]);
  });
});

describe('a 委托 case', () => {
  it('when its agreement is signed, then it goes back to the court for a 调解书 and cannot be confirmed here', async () => {
    const body = courtDelegation({
      channel: 'court_post_filing',
      court: { courtCode: '粤5202', courtCaseNumber: '(2026)粤5202民初777号', procedure: 'summary' },
    });
    const created = await stack.send(court(), 'POST', '/cases', body);
    const caseId = created.body.caseId as string;
    const [a, b] = created.body.parties.map((p: { partyId: string }) => p.partyId) as string[];
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    await act(mediator(), caseId, 'mediator/accept');
    await act(mediator(), caseId, 'agreement/drafts', { content: loanAgreement });
    await act(mediator(), caseId, 'agreement/circulation');
    await act(clerk(), caseId, 'agreement/signatures', { signer: a, method: 'handwritten', draftVersion: 1 });
    const signed = await act(clerk(), caseId, 'agreement/signatures', {
      signer: b,
      method: 'handwritten',
      draftVersion: 1,
    });
    expect(signed.body.status).toBe('RETURNED_TO_COURT');
    const sent = await stack
      .db('institution_messages')
      .where({ case_id: caseId, message: 'agreement_for_court_document' });
    expect(sent).toEqual([
      expect.objectContaining({
        institution_id: 'court-5202',
        payload: expect.objectContaining({ courtCaseNumber: '(2026)粤5202民初777号' }),
      }),
    ]);
    expect((await act(clerk(), caseId, 'judicial-confirmation', { venueGround: 'delegating_court' })).status).toBe(409);
  });
});

describe('notarization with enforcement effect', () => {
  it('when a loan repayment is notarized, then the notary accepts, asks for a supplement and issues the certificate', async () => {
    const { caseId, applicant, respondent } = await effectiveAgreement(partyApplication());
    const request = {
      notaryId: 'notary-jieyang',
      creditorPartyId: applicant,
      debtorPartyId: respondent,
      obligation: 'money',
    };
    const requested = await act(clerk(), caseId, 'notarization', request);
    expect(requested.status, requested.text).toBe(200);
    // The creditor alone cannot send it: the debtor's own signature carries the commitment to enforcement.
    await act(clerk(), caseId, 'notarization/signatures', { partyId: applicant, method: 'handwritten' });
    expect((await stack.send(notary(), 'GET', `/cases/${caseId}`)).status).toBe(404);
    const asDebtor = await stack.partyLogin(clerk(), caseId, respondent);
    const signed = await act(asDebtor, caseId, 'notarization/signatures', { method: 'electronic' });
    expect(process(signed.body, 'notarization')).toMatchObject({ status: 'REQUESTED' });
    expect(
      signed.body.events.find(
        (e: { type: string; payload: { as?: string } }) =>
          e.type === 'NotarizationApplicationSigned' && e.payload.as === 'debtor',
      ).payload,
    ).toMatchObject({ enforcementCommitment: true });
    expect((await act(notary(), caseId, 'notarization/acceptance')).status).toBe(200);
    const supplement = await act(notary(), caseId, 'notarization/supplements', { items: ['债务人身份证明复印件'] });
    expect(supplement.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'notarization').status).toBe(
      'paused',
    );
    const back = await act(clerk(), caseId, 'notarization/supplements/submission', { note: '已补交' });
    expect(back.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'notarization')).toMatchObject({
      status: 'open',
      citation: '公证法第三十条',
    });
    const issued = await act(notary(), caseId, 'notarization/certificate', {
      certificateNumber: '(2026)粤揭阳证字第1234号',
    });
    expect(issued.status, issued.text).toBe(200);
    expect(process(issued.body, 'notarization')).toMatchObject({
      status: 'ISSUED',
      certificateNumber: '(2026)粤揭阳证字第1234号',
    });
    expect(issued.body.securing.enforceableBy).toBe('notarization');
    const docs = (await stack.send(clerk(), 'GET', `/cases/${caseId}/documents`)).body.documents.map(
      (d: { kind: string }) => d.kind,
    );
    expect(docs).toContain('notarization_request');
  });

  it('when the agreement pays nothing, then notarization with enforcement effect is refused with its article', async () => {
    const apology = {
      facts: '双方因邻里噪音发生纠纷。',
      terms: [{ text: '被申请人向申请人赔礼道歉，并保证晚间十时后不再装修。' }],
    };
    const { caseId, applicant, respondent } = await effectiveAgreement(
      partyApplication({ disputeType: 'general_civil' }),
      apology,
    );
    const res = await act(clerk(), caseId, 'notarization', {
      notaryId: 'notary-jieyang',
      creditorPartyId: applicant,
      debtorPartyId: respondent,
      obligation: 'other',
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      rule: 'not_a_payment',
      article: expect.stringContaining('公证程序规则第三十九条'),
    });
  });
});

describe('performance', () => {
  it('when an instalment is missed and the agreement is then confirmed, then the creditor is advised to apply for enforcement within two years', async () => {
    const { caseId, applicant, respondent } = await effectiveAgreement(partyApplication());
    await expect
      .poll(async () => types((await get(clerk(), caseId)).body), { timeout: 15_000, interval: 300 })
      .toContain('PerformanceDefaulted');
    // Both parties were reminded by text before the first instalment fell due.
    for (const party of [applicant, respondent]) {
      const texts = (await stack.outbox(party)).filter((m) => m.body.includes('第1期履行期限'));
      expect(texts).toHaveLength(1);
      // Each text is handed to the gateway by its own delivery workflow, and the attempt is logged.
      await expect
        .poll(async () => (await stack.outbox(party)).find((m) => m.messageId === texts[0]!.messageId)?.sentAt, {
          timeout: 15_000,
          interval: 300,
        })
        .toBeTruthy();
      expect(
        await stack.db('delivery_attempts').where({ delivery_id: texts[0]!.messageId }).select('channel', 'outcome'),
      ).toEqual([{ channel: 'sms', outcome: 'delivered' }]);
    }
    const defaulted = await get(clerk(), caseId);
    expect(defaulted.body.performance.instalments[0]).toMatchObject({ status: 'overdue' });
    expect(
      defaulted.body.events.find((e: { type: string }) => e.type === 'PerformanceDefaulted').payload,
    ).toMatchObject({ routes: ['judicial_confirmation', 'litigation'], article: '人民调解法第三十二条' });

    await applyJointly(caseId, applicant, respondent, { venueGround: 'party_domicile', courtCode: '粤5202' });
    await act(court(), caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: '(2026)粤5202民特92号' });
    const ruled = await act(court(), caseId, 'judicial-confirmation/ruling', { outcome: 'confirmed' });
    expect(ruled.body.status).toBe('ENFORCEMENT_ADVISED');
    const advice = ruled.body.events.find((e: { type: string }) => e.type === 'EnforcementAdvised').payload;
    expect(advice).toMatchObject({ title: 'judicial_confirmation', article: '民事诉讼法第二百五十条' });
    // Two years from the last day of performance (民事诉讼法 Art 250), counted (provisionally where that year has
    // no notice yet) with a reminder: a real date, whatever the day the suite runs.
    const enforcement = ruled.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'enforcement_application');
    expect(enforcement).toMatchObject({ status: 'open', citation: expect.stringContaining('第二百五十条') });
    await expectCountedAsRecorded(stack.db, enforcement, { reminder: true });
    expect(enforcement.lastDay >= addYears(chinaDateOf(enforcement.startedAt), 2)).toBe(true);
    const rows = (await stack.send(clerk(), 'GET', `/cases/${caseId}/deadlines`)).body.deadlines;
    expect(rows.find((d: { ruleId: string }) => d.ruleId === 'enforcement_application')).toMatchObject({
      dueAt: enforcement.dueAt,
      provisional: enforcement.provisional,
      explanation: expect.arrayContaining([expect.stringContaining('民法典第二百零二条')]),
    });
  });
});
