/**
 * The case pipeline over HTTP on the real Temporal dev server and PostgreSQL: from intake to a signed
 * agreement, the court paths, every way mediation can end, pauses and extensions, recusal and screening.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import {
  courtDelegation,
  datesAhead,
  fictionalIdNumber,
  loanAgreement,
  partyApplication,
} from '../support/fixtures.js';
import { expectCountedAsRecorded } from '../support/deadlines.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const staff = await stack.loginAll([
    'clerk.chen',
    'mediator.wu',
    'mediator.he',
    'mediator.luo',
    'mediator.zhou',
    'mediator.liang',
    'legalaid.xu',
  ]);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const act = (as: Credentials, caseId: string, path: string, body: unknown = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
const clerk = () => who['clerk.chen'];
const types = (res: { body: { events: { type: string }[] } }) => res.body.events.map((e) => e.type);

const agreement = loanAgreement;

/** Registers (as given) and brings a case into mediation with the named mediator. */
async function inMediation(body: Record<string, unknown>, mediator = 'mediator.wu', registrant: Credentials = clerk()) {
  const created = await stack.send(registrant, 'POST', '/cases', body);
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  const parties = created.body.parties.map((p: { partyId: string }) => p.partyId) as string[];
  expect((await act(clerk(), caseId, 'accept')).status).toBe(200);
  const assigned = await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId[mediator] });
  expect(assigned.status, assigned.text).toBe(200);
  expect(assigned.body.status).toBe('PENDING_MEDIATOR_ACCEPT');
  const accepted = await act(who[mediator], caseId, 'mediator/accept');
  expect(accepted.status, accepted.text).toBe(200);
  expect(accepted.body.status).toBe('IN_MEDIATION');
  return { caseId, parties, created };
}

describe('from a party application to a signed agreement', () => {
  it('when both parties and the mediator sign and the committee seals, then the agreement takes effect and the confirmation window opens', async () => {
    const { caseId, parties } = await inMediation(partyApplication());
    const session = await act(who['mediator.wu'], caseId, 'sessions', {
      at: '2026-11-26T10:00:00+08:00',
      place: '榕城区人民调解委员会调解室',
      mode: 'in_person',
      record: '双方同意分两期还款。',
    });
    expect(session.status).toBe(200);
    const draft = await act(who['mediator.wu'], caseId, 'agreement/drafts', { content: agreement });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.agreement).toMatchObject({ version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const second = await act(who['mediator.wu'], caseId, 'agreement/drafts', {
      content: { ...agreement, performance: '银行转账至申请人账户' },
    });
    expect(second.body.agreement.version).toBe(2);
    expect(second.body.agreement.hash).not.toBe(draft.body.agreement.hash);
    expect(await stack.db('agreement_drafts').where({ case_id: caseId })).toHaveLength(2);
    expect((await act(who['mediator.wu'], caseId, 'agreement/circulation')).body.status).toBe('PENDING_SIGNATURE');

    const applicant = await stack.partyLogin(clerk(), caseId, parties[0]!);
    expect(
      (await act(applicant, caseId, 'agreement/signatures', { method: 'electronic', draftVersion: 1 })).status,
    ).toBe(409); // stale version
    const s1 = await act(applicant, caseId, 'agreement/signatures', { method: 'electronic', draftVersion: 2 });
    expect(s1.status, s1.text).toBe(200);
    expect(
      (
        await act(applicant, caseId, 'agreement/signatures', {
          signer: parties[1],
          method: 'electronic',
          draftVersion: 2,
        })
      ).status,
    ).toBe(403); // not theirs
    await act(clerk(), caseId, 'agreement/signatures', { signer: parties[1], method: 'handwritten', draftVersion: 2 });
    const mediatorSigned = await act(who['mediator.wu'], caseId, 'agreement/signatures', {
      signer: 'mediator',
      method: 'handwritten',
      draftVersion: 2,
    });
    expect(mediatorSigned.body.status).toBe('PENDING_SIGNATURE'); // the committee seal is still missing (人民调解法 Art 29)
    const sealed = await act(clerk(), caseId, 'agreement/signatures', {
      signer: 'organization_seal',
      method: 'seal',
      draftVersion: 2,
    });
    expect(sealed.status).toBe(200);
    expect(sealed.body.status).toBe('AGREEMENT_EFFECTIVE');
    expect(sealed.body.agreement.effectiveAt).toBeTruthy();
    expect(sealed.body.events.find((e: { type: string }) => e.type === 'AgreementEffective').payload.basis).toBe(
      '人民调解法第二十九条',
    );
    const window = sealed.body.deadlines.find(
      (d: { ruleId: string }) => d.ruleId === 'judicial_confirmation_application',
    );
    expect(window).toMatchObject({ status: 'open', citation: expect.stringContaining('第二百零五条') });
    // Whatever the date, the window has the due time and reminder the calculator gives, provisional or not.
    await expectCountedAsRecorded(stack.db, window, { reminder: true });
    const deadlines = await stack.send(clerk(), 'GET', `/cases/${caseId}/deadlines`);
    expect(deadlines.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'general_mediation')).toMatchObject({
      status: 'met',
    });
    expect(
      deadlines.body.deadlines
        .find((d: { ruleId: string }) => d.ruleId === 'judicial_confirmation_application')
        .explanation.join(''),
    ).toContain('当日不计入');
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
    expect((await stack.db('cases').where({ case_id: caseId }).first())!.status).toBe('AGREEMENT_EFFECTIVE');
  });

  it('when the other side is asked first, then it cannot be closed as unreachable without a contact log, and its consent moves the case on', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication({ oneSided: true }));
    const caseId = created.body.caseId;
    const respondentId = created.body.parties[1].partyId;
    expect((await act(clerk(), caseId, 'accept')).body.status).toBe('PENDING_COUNTERPARTY_CONSENT');
    const early = await act(clerk(), caseId, 'close-unreachable');
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ rule: 'contact_log_required', article: '人民法院在线调解规则第十五条' });
    expect((await act(clerk(), caseId, 'contacts', { channel: 'phone_call', result: 'no_answer' })).status).toBe(200);
    const respondent = await stack.partyLogin(clerk(), caseId, respondentId);
    const consent = await act(respondent, caseId, 'counterparty-consent');
    expect(consent.status, consent.text).toBe(200);
    expect(consent.body.status).toBe('PENDING_ASSIGNMENT');
  });

  it('when the other side cannot be reached after recorded attempts, then the case is not accepted, with the reason', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication({ oneSided: true }));
    const caseId = created.body.caseId;
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'contacts', { channel: 'sms', result: 'no_answer' });
    await act(clerk(), caseId, 'contacts', { channel: 'visit', result: 'no_answer', note: '上门未遇' });
    const closed = await act(clerk(), caseId, 'close-unreachable');
    expect(closed.body).toMatchObject({ status: 'NOT_ACCEPTED', notAccepted: { reason: 'counterparty_unreachable' } });
  });
});

describe('court delegation', () => {
  it("when a court delegates before filing (委派), then the 30-day period starts when the mediator accepts and the parties' signatures make it effective", async () => {
    const { caseId, parties } = await inMediation(courtDelegation(), 'mediator.wu', {
      apiKey: stack.apiKeys['court-5202']!,
    });
    const view = await stack.send(clerk(), 'GET', `/cases/${caseId}`);
    const period = view.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'court_pre_filing_mediation');
    expect(period).toMatchObject({ status: 'open', citation: expect.stringContaining('特邀调解规定第二十七条') });
    await expectCountedAsRecorded(stack.db, period, { reminder: true });
    // The queue shows the next due time and whether it is provisional, as the case does.
    let row: { nextDue: unknown } | undefined;
    for (let cursor = '', page = 0; !row && page < 50; page++) {
      const queue = await stack.send(
        clerk(),
        'GET',
        `/queues/cases?limit=200&status=IN_MEDIATION${cursor ? `&cursor=${cursor}` : ''}`,
      );
      row = queue.body.cases.find((c: { caseId: string }) => c.caseId === caseId);
      if (!queue.body.nextCursor) break;
      cursor = queue.body.nextCursor;
    }
    const next = view.body.deadlines
      .filter((d: { status: string }) => d.status === 'open')
      .sort((a: { dueAt: string }, b: { dueAt: string }) => a.dueAt.localeCompare(b.dueAt))[0];
    expect(row?.nextDue).toMatchObject({ ruleId: next.ruleId, dueAt: next.dueAt, provisional: next.provisional });
    await act(who['mediator.wu'], caseId, 'agreement/drafts', { content: agreement });
    await act(who['mediator.wu'], caseId, 'agreement/circulation');
    await act(clerk(), caseId, 'agreement/signatures', { signer: parties[0], method: 'handwritten', draftVersion: 1 });
    const done = await act(clerk(), caseId, 'agreement/signatures', {
      signer: parties[1],
      method: 'fingerprint',
      draftVersion: 1,
    });
    expect(done.body.status).toBe('AGREEMENT_EFFECTIVE');
    expect(done.body.events.find((e: { type: string }) => e.type === 'AgreementEffective').payload.basis).toBe(
      '特邀调解规定第二十四条',
    );
    // The delegating court follows its case.
    expect((await stack.send({ apiKey: stack.apiKeys['court-5202']! }, 'GET', `/cases/${caseId}`)).body.status).toBe(
      'AGREEMENT_EFFECTIVE',
    );
  });

  it('when a post-filing (委托) agreement is signed, then it goes back to the court for a 调解书', async () => {
    const body = courtDelegation({
      channel: 'court_post_filing',
      court: { courtCode: '粤5202', courtCaseNumber: '(2026)粤5202民初123号', procedure: 'summary' },
    });
    const { caseId, parties } = await inMediation(body);
    await act(who['mediator.wu'], caseId, 'agreement/drafts', { content: agreement });
    await act(who['mediator.wu'], caseId, 'agreement/circulation');
    await act(clerk(), caseId, 'agreement/signatures', { signer: parties[0], method: 'handwritten', draftVersion: 1 });
    const done = await act(clerk(), caseId, 'agreement/signatures', {
      signer: parties[1],
      method: 'handwritten',
      draftVersion: 1,
    });
    expect(done.body.status).toBe('RETURNED_TO_COURT');
    expect(types(done)).toContain('ReturnedToCourt');
  });

  it('when a court case ends without agreement, then a failure report is required and goes back with it', async () => {
    const { caseId } = await inMediation(courtDelegation());
    const missing = await act(who['mediator.wu'], caseId, 'termination', { reason: 'positions_too_far_apart' });
    expect(missing.status).toBe(422);
    expect(missing.body.rule).toBe('failure_report_required');
    const report = {
      basicFacts: '借款纠纷，金额12000元。',
      undisputedFacts: '借款事实及金额双方无异议。',
      whyFailed: '还款期限分歧较大。',
      costlyConduct: '被申请人两次无故缺席调解。',
    };
    const done = await act(who['mediator.wu'], caseId, 'termination', {
      reason: 'positions_too_far_apart',
      failureReport: report,
    });
    expect(done.body.status).toBe('RETURNED_TO_COURT');
    // The court receives the failure report as a document it can download.
    const docs = await stack.send({ apiKey: stack.apiKeys['court-5202']! }, 'GET', `/cases/${caseId}/documents`);
    expect(docs.body.documents.map((d: { kind: string }) => d.kind).sort()).toEqual([
      'failure_report',
      'rights_notice',
      'termination_notice',
    ]);
    expect(done.body.events.find((e: { type: string }) => e.type === 'ReturnedToCourt').payload.failureReport).toEqual(
      report,
    );
  });
});

describe('how mediation ends', () => {
  it.each([
    'settled_and_withdrew',
    'party_unreachable',
    'party_refuses_to_continue',
    'positions_too_far_apart',
    'other',
  ])(
    'when the mediator terminates for %s, then the case is terminated with that reason and a notice of other routes',
    async (reason) => {
      const { caseId } = await inMediation(partyApplication());
      const res = await act(who['mediator.wu'], caseId, 'termination', {
        reason,
        note: reason === 'other' ? '申请人死亡，无继承人参加' : undefined,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: 'TERMINATED', termination: { reason } });
      const notice = res.body.events.find((e: { type: string }) => e.type === 'MediationTerminated').payload;
      expect(notice.notice).toMatchObject({
        article: '人民调解法第二十六条',
        otherRoutes: expect.stringContaining('仲裁'),
      });
      expect(notice.reasonLabel).toBeTruthy();
    },
  );

  it('when a party refuses to sign, then mediation ends for that reason', async () => {
    const { caseId, parties } = await inMediation(partyApplication());
    await act(who['mediator.wu'], caseId, 'agreement/drafts', { content: agreement });
    await act(who['mediator.wu'], caseId, 'agreement/circulation');
    const res = await act(clerk(), caseId, 'agreement/refusals', { partyId: parties[1], note: '被申请人当场拒签' });
    expect(res.body).toMatchObject({ status: 'TERMINATED', termination: { reason: 'party_refuses_to_sign' } });
  });

  it("when the court's letter sets an earlier date than the law, then it is clocked, compared with the statutory period, and the clerk and mediator are alerted", async () => {
    const courtDate = datesAhead(10).date;
    const body = courtDelegation({
      court: {
        courtCode: '粤5202',
        courtName: '揭阳市榕城区人民法院',
        letterNumber: '榕法委派〔2026〕13号',
        deadline: courtDate,
      },
    });
    const { caseId } = await inMediation(body, 'mediator.wu', { apiKey: stack.apiKeys['court-5202']! });
    const rows = (await stack.send(clerk(), 'GET', `/cases/${caseId}/deadlines`)).body.deadlines as {
      ruleId: string;
      lastDay: string;
      comparedWithStatutory?: unknown;
    }[];
    const letter = rows.find((d) => d.ruleId === 'court_letter_deadline')!;
    const statutory = rows.find((d) => d.ruleId === 'court_pre_filing_mediation')!;
    expect(letter.lastDay >= courtDate).toBe(true); // the court's date, rolled on if it is a rest day
    expect(letter.comparedWithStatutory).toEqual({
      courtLastDay: letter.lastDay,
      statutoryRuleId: 'court_pre_filing_mediation',
      statutoryLastDay: statutory.lastDay,
      courtDateEarlier: true,
    });
    const view = await stack.send(who['mediator.wu'], 'GET', `/cases/${caseId}`);
    expect(
      view.body.events.find((e: { type: string }) => e.type === 'CourtDateEarlierThanStatutory')?.payload,
    ).toMatchObject({ courtLastDay: letter.lastDay, statutoryLastDay: statutory.lastDay, to: ['mediator', 'clerk'] });
  });

  it('when the parties agree orally, then the mediator records it and it is effective the same day', async () => {
    const { caseId } = await inMediation(partyApplication());
    const res = await act(who['mediator.wu'], caseId, 'agreement/oral', { content: agreement });
    expect(res.body).toMatchObject({ status: 'AGREEMENT_EFFECTIVE', agreement: { form: 'oral' } });
    expect(res.body.events.find((e: { type: string }) => e.type === 'AgreementEffective').payload.basis).toBe(
      '人民调解法第三十条',
    );
  });
});

describe('pauses, extensions, recusal and screening', () => {
  it('when mediation is suspended for appraisal and resumed, then the period pauses and is recomputed', async () => {
    const { caseId } = await inMediation(partyApplication());
    const suspended = await act(who['mediator.wu'], caseId, 'suspension', {
      reason: 'appraisal',
      note: '委托司法鉴定',
    });
    expect(suspended.body.status).toBe('SUSPENDED');
    expect(suspended.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'general_mediation').status).toBe(
      'paused',
    );
    const resumed = await act(who['mediator.wu'], caseId, 'resumption');
    expect(resumed.body.status).toBe('IN_MEDIATION');
    expect(resumed.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'general_mediation').status).toBe(
      'open',
    );
    expect(types(resumed)).toEqual(
      expect.arrayContaining(['MediationSuspended', 'DeadlinePaused', 'MediationResumed']),
    );
  });

  it('when every party consents to extend a 委托 case, then the period moves; one consent alone does not', async () => {
    const body = courtDelegation({
      channel: 'court_post_filing',
      court: { courtCode: '粤5202', courtCaseNumber: '(2026)粤5202民初456号', procedure: 'ordinary' },
    });
    const { caseId, parties } = await inMediation(body);
    const before = (await stack.send(clerk(), 'GET', `/cases/${caseId}`)).body.deadlines.find(
      (d: { ruleId: string }) => d.ruleId === 'court_post_filing_ordinary',
    );
    const tooLong = await act(clerk(), caseId, 'extension-consents', { partyId: parties[0], days: 45 });
    expect(tooLong.status).toBe(422);
    const one = await act(clerk(), caseId, 'extension-consents', { partyId: parties[0], days: 10 });
    expect(one.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'court_post_filing_ordinary').dueAt).toBe(
      before.dueAt,
    );
    const both = await act(clerk(), caseId, 'extension-consents', { partyId: parties[1], days: 10 });
    const after = both.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'court_post_filing_ordinary');
    expect(types(both)).toContain('MediationExtended');
    expect(after.extensionDays).toBe(10);
    // Ten more days on the nominal last day; a rest day it then falls on rolls on, as the one before may have.
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
    await expectCountedAsRecorded(stack.db, after);
  });

  it('when a labour case is asked to extend, then the rule refuses with its article', async () => {
    const { caseId, parties, created } = await inMediation(
      partyApplication({ disputeType: 'labour' }),
      'mediator.liang',
    );
    // Labour mediation runs 15 days from the application itself (劳动争议调解仲裁法 Art 14).
    const period = (await stack.send(clerk(), 'GET', `/cases/${caseId}`)).body.deadlines.find(
      (d: { ruleId: string }) => d.ruleId === 'labour_mediation',
    );
    expect(period.startedAt).toBe(created.body.receivedAt);
    const res = await act(clerk(), caseId, 'extension-consents', { partyId: parties[0], days: 5 });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ rule: 'no_extension', article: '劳动争议调解仲裁法第十四条' });
  });

  it('when a party asks for recusal and the organization grants it, then the mediator leaves, is excluded, and another is designated', async () => {
    const { caseId, parties } = await inMediation(
      partyApplication({
        disputeType: 'medical',
        parties: [
          {
            role: 'applicant',
            kind: 'natural',
            name: '陈七',
            idNumber: fictionalIdNumber('445202', '19001111', '777'),
            phone: '17000770077',
          },
          { role: 'respondent', kind: 'legal', name: '揭阳市某某医院' },
        ],
      }),
      'mediator.he',
    );
    const asked = await act(clerk(), caseId, 'recusal', {
      partyId: parties[0],
      ground: 'close_relative',
      note: '调解员系被申请人院长亲属',
    });
    // Asking is not deciding (特邀调解规定 Art 15): the mediator stays until the organization decides, never the mediator.
    expect(asked.body).toMatchObject({
      status: 'IN_MEDIATION',
      assignment: { mediatorId: accountId['mediator.he'], recusal: { partyId: parties[0], ground: 'close_relative' } },
    });
    expect(
      (await act(who['mediator.he'], caseId, 'recusal/decision', { granted: false, reason: '不同意' })).status,
    ).toBe(403);
    const recused = await act(clerk(), caseId, 'recusal/decision', {
      granted: true,
      reason: '调解员确系被申请人院长近亲属',
    });
    expect(recused.body.status).toBe('PENDING_ASSIGNMENT');
    expect(recused.body.assignment.mediatorId).toBeNull();
    expect(
      (await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.he'] })).status,
    ).toBe(422);
    const again = await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.luo'] });
    expect(again.body).toMatchObject({
      status: 'PENDING_MEDIATOR_ACCEPT',
      assignment: { mediatorId: accountId['mediator.luo'] },
    });
    // The recused mediator no longer sees the case.
    expect((await stack.send(who['mediator.he'], 'GET', `/cases/${caseId}`)).status).toBe(404);
  });

  it('when a mediator with a recorded conflict is named, then the assignment is refused with the rule', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication({ disputeType: 'neighbour' }));
    await act(clerk(), created.body.caseId, 'accept');
    const res = await act(clerk(), created.body.caseId, 'mediator', {
      mode: 'party_choice',
      mediatorId: accountId['mediator.zhou'],
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ rule: 'mediator_conflict', article: expect.stringContaining('第十五条') });
  });

  it('when a party applies for legal aid, then the officer sees the case and decides within the 7-day rule', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId;
    expect((await stack.send(who['legalaid.xu'], 'GET', `/cases/${caseId}`)).status).toBe(404);
    const applied = await act(clerk(), caseId, 'legal-aid', {
      partyId: created.body.parties[0].partyId,
      basis: 'local_aged_75',
      selfDeclaration: true,
    });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'legal_aid_decision')).toMatchObject({
      status: 'open',
      citation: '法律援助法第四十三条',
    });
    await expectCountedAsRecorded(
      stack.db,
      applied.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'legal_aid_decision'),
    );
    expect((await act(clerk(), caseId, 'legal-aid/decision', { granted: true, reason: '年满七十五周岁' })).status).toBe(
      403,
    );
    const decided = await act(who['legalaid.xu'], caseId, 'legal-aid/decision', {
      granted: true,
      reason: '申请人年满七十五周岁，免予经济困难审查（揭阳市办法第二十三条）',
    });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.screening.legalAid).toMatchObject({ status: 'granted', basis: 'local_aged_75' });
    expect(decided.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'legal_aid_assignment')).toMatchObject({
      status: 'open',
    });
    const staffed = await act(who['legalaid.xu'], caseId, 'legal-aid/staff', {
      staffName: '刘律师',
      organization: '广东某某律师事务所',
    });
    expect(staffed.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'legal_aid_assignment')).toMatchObject({
      status: 'met',
    });
    const screened = await act(clerk(), caseId, 'screening', { priorityGroups: ['elderly', 'low_income'] });
    expect(screened.body.screening.priorityGroups).toEqual(['elderly', 'low_income']);
    expect((await stack.db('cases').where({ case_id: caseId }).first())!.priority_groups).toEqual([
      'elderly',
      'low_income',
    ]);
  });

  it('when a marriage matter is registered, then screening says judicial confirmation will not be possible', async () => {
    const created = await stack.send(
      clerk(),
      'POST',
      '/cases',
      partyApplication({ disputeType: 'family_property', involves: ['status_relationship'] }),
    );
    const view = await stack.send(clerk(), 'GET', `/cases/${created.body.caseId}`);
    expect(view.body.screening.judicialConfirmation).toMatchObject({
      possible: false,
      reason: expect.stringContaining('第三百五十五条'),
    });
  });

  it('when the same action is sent twice with one Idempotency-Key, then it happens once', async () => {
    const { caseId } = await inMediation(partyApplication());
    const body = { at: '2026-11-27T15:00:00+08:00', place: '调解室', mode: 'video', record: '第二次调解。' };
    const first = await stack.send(who['mediator.wu'], 'POST', `/cases/${caseId}/sessions`, body, {
      'Idempotency-Key': `session-${caseId}`,
    });
    const second = await stack.send(who['mediator.wu'], 'POST', `/cases/${caseId}/sessions`, body, {
      'Idempotency-Key': `session-${caseId}`,
    });
    expect(first.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.db('case_events').where({ case_id: caseId, type: 'SessionRecorded' })).toHaveLength(1);
  });

  it('when another mediator acts on a case, then it is not found; when the assigned one declines, the case awaits a new assignment', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication({ disputeType: 'medical' }));
    const caseId = created.body.caseId;
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.he'] });
    expect((await act(who['mediator.luo'], caseId, 'mediator/accept')).status).toBe(404);
    const declined = await act(who['mediator.he'], caseId, 'mediator/decline', { reason: '近期出差' });
    expect(declined.body).toMatchObject({ status: 'PENDING_ASSIGNMENT', assignment: { mediatorId: null } });
    expect(types(declined)).toContain('MediatorDeclined');
    expect(
      (await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.he'] })).status,
    ).toBe(422);
  });
});

describe('a party applies online', () => {
  it('when a party proves the phone and files, then a one-sided case is registered and the applicant can follow it', async () => {
    const application = partyApplication({ channel: 'online' });
    const applicantPhone = (application.parties[0] as { phone: string }).phone;
    const challenge = await stack.send(undefined, 'POST', '/applications/phone-challenge', { phone: applicantPhone });
    expect(challenge.status).toBe(201);
    const sms = await stack
      .db('sms_outbox')
      .where({ purpose: 'one_time_code' })
      .whereNull('party_id')
      .orderBy('created_at', 'desc')
      .first();
    const code = /验证码为(\d{6})/.exec(stack.cipher.decrypt(sms.body_enc))![1]!;

    const wrong = await stack.send(undefined, 'POST', '/applications', {
      challengeId: challenge.body.challengeId,
      code: code === '000000' ? '111111' : '000000',
      application,
    });
    expect(wrong.status).toBe(401);
    const bad = await stack.send(undefined, 'POST', '/applications', {
      challengeId: challenge.body.challengeId,
      code,
      application: { ...application, disputeType: 'duel' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('application.disputeType');

    const key = { 'Idempotency-Key': `apply-${challenge.body.challengeId}` };
    const filed = await stack.send(
      undefined,
      'POST',
      '/applications',
      { challengeId: challenge.body.challengeId, code, application },
      key,
    );
    expect(filed.status, filed.text).toBe(201);
    // A retry with the same key names the same case, without the secrets shown once.
    const replayed = await stack.send(
      undefined,
      'POST',
      '/applications',
      { challengeId: challenge.body.challengeId, code, application },
      key,
    );
    expect(replayed.body).toMatchObject({
      caseId: filed.body.caseId,
      accessCode: null,
      session: { token: null, expiresAt: filed.body.session.expiresAt },
    });
    expect(filed.body.accessCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    // The phone was just proven: the applicant is signed in, as the party of the new case.
    expect(filed.body.session).toMatchObject({ token: expect.any(String), expiresAt: expect.any(String) });
    const me = await stack.send({ token: filed.body.session.token }, 'GET', '/auth/me');
    expect(me.body.principal).toMatchObject({ kind: 'party', id: filed.body.partyId, caseId: filed.body.caseId });
    expect(
      await stack.db('security_events').where({ kind: 'login_succeeded', principal: filed.body.partyId }),
    ).toHaveLength(1);
    expect(
      (
        await stack.send(undefined, 'POST', '/applications', {
          challengeId: challenge.body.challengeId,
          code,
          application,
        })
      ).status,
    ).toBe(401); // used

    const view = await stack.send(clerk(), 'GET', `/cases/${filed.body.caseId}`);
    expect(view.body).toMatchObject({ channel: 'online', status: 'REGISTERED' });
    expect(view.body.events[0]).toMatchObject({
      actorRole: 'party',
      actorId: filed.body.partyId,
      payload: { oneSided: true },
    });
    expect((await act(clerk(), filed.body.caseId, 'accept')).body.status).toBe('PENDING_COUNTERPARTY_CONSENT');

    const challenge2 = await stack.send(undefined, 'POST', '/auth/party/challenge', {
      accessCode: filed.body.accessCode,
    });
    const verified = await stack.send(undefined, 'POST', '/auth/party/verify', {
      challengeId: challenge2.body.challengeId,
      code: await stack.lastOneTimeCode(filed.body.partyId),
    });
    expect((await stack.send({ token: verified.body.token }, 'GET', `/cases/${filed.body.caseId}`)).body.status).toBe(
      'PENDING_COUNTERPARTY_CONSENT',
    );
  });
});

describe('documents', () => {
  it('when an agreement goes out for signature, then the parties can download it, and anyone can verify it without seeing personal data', async () => {
    const { caseId, parties } = await inMediation(partyApplication());
    await act(who['mediator.wu'], caseId, 'agreement/drafts', { content: agreement });
    const circulated = await act(who['mediator.wu'], caseId, 'agreement/circulation');
    const generated = circulated.body.events.find(
      (e: { type: string; payload: { document?: string } }) =>
        e.type === 'DocumentGenerated' && e.payload.document === 'agreement',
    );
    expect(generated.payload).toMatchObject({
      document: 'agreement',
      version: 1,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const applicant = await stack.partyLogin(clerk(), caseId, parties[0]!);
    const list = await stack.send(applicant, 'GET', `/cases/${caseId}/documents`);
    expect(list.status).toBe(200);
    const doc = list.body.documents.find((d: { kind: string }) => d.kind === 'agreement');
    expect(doc).toMatchObject({
      kind: 'agreement',
      docVersion: 1,
      title: '人民调解协议书',
      templateId: 'peoples-mediation-agreement',
    });
    const res = await fetch(`${stack.url}${doc.download}`, { headers: { authorization: `Bearer ${applicant.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('人民调解协议书')}`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.sha256);
    expect(await stack.db('document_downloads').where({ document_id: doc.documentId })).toHaveLength(1);

    const byCode = await stack.send(undefined, 'GET', `/verify/${doc.verificationCode}`);
    expect(byCode.body).toMatchObject({
      genuine: true,
      caseNumber: expect.stringMatching(/揭非诉/),
      version: 1,
      sha256: doc.sha256,
    });
    expect(byCode.text).not.toContain('张三');
    const bySha = await stack.send(undefined, 'GET', `/verify?sha256=${doc.sha256}`);
    expect(bySha.body.documents[0].verificationCode).toBe(doc.verificationCode);
    expect((await stack.send(undefined, 'GET', `/verify?sha256=${'0'.repeat(64)}`)).status).toBe(404);
    expect((await stack.send(undefined, 'GET', '/verify?sha256=xyz')).status).toBe(400);

    expect((await stack.send(await stack.login('supervisor.zheng'), 'GET', `/cases/${caseId}/documents`)).status).toBe(
      403,
    );
    const otherParty = await stack.partyLogin(
      clerk(),
      (await stack.send(clerk(), 'POST', '/cases', partyApplication())).body.caseId,
      (await stack.db('case_parties').orderBy('created_at', 'desc').first())!.party_id,
    );
    expect((await stack.send(otherParty, 'GET', `/cases/${caseId}/documents/${doc.documentId}`)).status).toBe(404);
  });

  it('when mediation is terminated, then a termination notice is issued', async () => {
    const { caseId } = await inMediation(partyApplication());
    await act(who['mediator.wu'], caseId, 'termination', { reason: 'positions_too_far_apart' });
    const list = await stack.send(clerk(), 'GET', `/cases/${caseId}/documents`);
    expect(list.body.documents.map((d: { kind: string }) => d.kind)).toEqual(['rights_notice', 'termination_notice']);
  });
});
