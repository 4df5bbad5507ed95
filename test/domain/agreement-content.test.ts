/**
 * What an agreement must say before it is saved: an amount is paid in a stated manner by a stated day
 * (人民调解法 Art 29; 民法典 Art 470), and a planned notarization names the debtors whose commitment the
 * agreement prints (公证法 Art 37). Drafts recorded before these rules replay as they were taken.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, CaseIntake } from '../../domain/case.js';
import {
  decide,
  initialState,
  type AgreementContent,
  type CaseCommand,
  type CaseState,
} from '../../domain/case-rules.js';
import { ruleIntake } from '../support/fixtures.js';

const mediator: Actor = { id: 'mediator-1', role: 'mediator' };
const now = new Date('2026-11-25T02:00:00Z');

function inMediation(overrides: Partial<CaseIntake> = {}): CaseState {
  const intake = ruleIntake({
    caseId: '00000000-0000-4000-8000-000000000007',
    receivedAt: '2026-11-20T01:00:00.000Z',
    parties: [
      { partyId: 'p1', role: 'applicant', kind: 'natural', name: '张三' },
      {
        partyId: 'p2',
        role: 'respondent',
        kind: 'legal',
        name: '揭阳市某某贸易有限公司',
        legalRepresentative: { kind: 'legal_representative', name: '陈某某', title: '总经理' },
      },
    ],
    ...overrides,
  });
  const s = initialState(intake);
  return {
    ...s,
    caseNumber: 'X',
    lastSeq: 5,
    status: 'IN_MEDIATION',
    assignment: { ...s.assignment, mediatorId: mediator.id, orgId: 'rongcheng-pmc' },
  };
}

const draft = (content: AgreementContent): CaseCommand => ({
  type: 'save_draft',
  actor: mediator,
  version: 1,
  hash: 'h',
  content,
});
const paid = (term: Partial<AgreementContent['terms'][number]>, performance?: string): AgreementContent => ({
  facts: '被申请人欠申请人货款12000元。',
  terms: [{ text: '被申请人向申请人支付货款人民币壹万贰仟元整。', amountFen: 1_200_000, ...term }],
  ...(performance ? { performance } : {}),
});

describe('the manner and time of performance of an amount', () => {
  it.each([
    ['no date', paid({ manner: '银行转账' }), 'by when'],
    ['no manner, and no manner for the agreement either', paid({ dueDate: '2026-12-31' }), 'how'],
    ['neither', paid({}), 'by when (dueDate) and how'],
  ])('when a term pays an amount with %s, then the draft is refused with the article', (_name, content, missing) => {
    const d = decide(inMediation(), draft(content), now);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.refusal).toMatchObject({
      kind: 'rule',
      code: 'performance_terms_required',
      article: '人民调解法第二十九条第一款第（三）项；民诉法解释第三百五十八条第（五）项',
    });
    expect(d.refusal.message).toContain('term 1');
    expect(d.refusal.message).toContain(missing);
  });

  it('when the manner is stated on the term or for the whole agreement, and a date is set, then the draft is saved', () => {
    expect(decide(inMediation(), draft(paid({ dueDate: '2026-12-31', manner: '银行转账至申请人账户' })), now).ok).toBe(
      true,
    );
    expect(decide(inMediation(), draft(paid({ dueDate: '2026-12-31' }, '现金当面支付，申请人出具收条')), now).ok).toBe(
      true,
    );
  });

  it('when a term pays nothing (an apology), then it needs neither', () => {
    expect(
      decide(inMediation(), draft({ facts: '邻里噪音纠纷。', terms: [{ text: '被申请人向申请人赔礼道歉。' }] }), now)
        .ok,
    ).toBe(true);
  });

  it("when a labour dispute omits the date, then the refusal cites the contract rule, not the people's mediation law", () => {
    const d = decide(inMediation({ disputeType: 'labour' }), draft(paid({ manner: '银行转账' })), now);
    expect(d.ok ? undefined : d.refusal).toMatchObject({
      code: 'performance_terms_required',
      article: expect.stringContaining('民法典第四百七十条第一款第（六）项'),
    });
    expect(d.ok ? '' : (d.refusal as { article: string }).article).not.toContain('人民调解法');
  });

  it('when an oral agreement pays an amount without a date, then it is refused too', () => {
    const d = decide(
      inMediation(),
      { type: 'record_oral_agreement', actor: mediator, version: 1, hash: 'h', content: paid({ manner: '现金' }) },
      now,
    );
    expect(d.ok ? undefined : d.refusal).toMatchObject({ code: 'performance_terms_required' });
  });

  it('when a draft recorded before the rule replays (no content on the command), then it is taken as it was', () => {
    const d = decide(
      inMediation(),
      { type: 'save_draft', actor: mediator, version: 1, hash: 'h', schedule: [{ amountFen: 1_200_000 }] },
      now,
    );
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.state.agreement).not.toHaveProperty('enforcementCommitment');
  });
});

describe('a planned notarization with enforcement effect', () => {
  const dated = paid({ dueDate: '2026-12-31', manner: '银行转账' });

  it('when the draft names the debtor, then the case records that notarization is planned, and the event says so', () => {
    const d = decide(inMediation(), draft({ ...dated, notarization: { debtorPartyIds: ['p2'] } }), now);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.state.agreement).toMatchObject({ enforcementCommitment: { debtorPartyIds: ['p2'] } });
    expect(d.events[0]).toMatchObject({
      type: 'AgreementDrafted',
      payload: { notarizationPlanned: { debtorPartyIds: ['p2'] } },
    });
    // The next draft without it plans none.
    const next = decide(d.state, { ...draft(dated), version: 2 } as CaseCommand, now);
    expect(next.ok && next.state.agreement).not.toHaveProperty('enforcementCommitment');
  });

  it('when the named debtor is not a party, then the draft is refused', () => {
    const d = decide(inMediation(), draft({ ...dated, notarization: { debtorPartyIds: ['someone-else'] } }), now);
    expect(d.ok ? undefined : d.refusal).toMatchObject({ kind: 'wrong_state', code: 'unknown_party' });
  });

  it('when the agreement is oral, then no commitment can be written into it', () => {
    const d = decide(
      inMediation(),
      {
        type: 'record_oral_agreement',
        actor: mediator,
        version: 1,
        hash: 'h',
        content: { ...dated, notarization: { debtorPartyIds: ['p2'] } },
      },
      now,
    );
    expect(d.ok ? undefined : d.refusal).toMatchObject({
      kind: 'rule',
      code: 'notarization_needs_written_agreement',
      article: '公证法第三十七条',
    });
  });

  it('when no obligation has a date, then notarization cannot be planned', () => {
    const d = decide(
      inMediation(),
      draft({
        facts: '返还物品纠纷。',
        terms: [{ text: '被申请人返还申请人的电动车一辆。' }],
        notarization: { debtorPartyIds: ['p2'] },
      }),
      now,
    );
    expect(d.ok ? undefined : d.refusal).toMatchObject({
      kind: 'rule',
      code: 'indefinite_terms',
      article: expect.stringContaining('公证程序规则第三十九条'),
    });
  });
});
