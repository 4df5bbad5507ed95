import { chinaDateOf } from '../../domain/calendar.js';
import type { CaseIntake } from '../../domain/case.js';
import { idNumberCheckChar } from '../../domain/id-number.js';

/** A GB 11643 number with a valid check digit and a 1900 birth date: no living person's number. */
export function fictionalIdNumber(area = '445202', birth = '19000101', sequence = '123'): string {
  const first17 = `${area}${birth}${sequence}`;
  return first17 + idNumberCheckChar(first17);
}

export function partyApplication(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'walk_in',
    disputeType: 'loan_debt',
    summary: '申请人张三于2025年借给被申请人李四人民币12000元，约定半年内归还，至今未还。',
    claimantLearnedOfHarmOn: '2026-03-01',
    claimAmountFen: 1_200_000,
    parties: [
      {
        role: 'applicant',
        kind: 'natural',
        name: '张三',
        idNumber: fictionalIdNumber('445202', '19000101', '123'),
        phone: '17000001234',
        address: '广东省揭阳市榕城区某某路1号',
      },
      {
        role: 'respondent',
        kind: 'natural',
        name: '李四',
        idNumber: fictionalIdNumber('445202', '19000202', '456'),
        phone: '17000005678',
      },
    ],
    ...overrides,
  };
}

export function courtDelegation(overrides: Record<string, unknown> = {}) {
  return partyApplication({
    channel: 'court_pre_filing',
    court: { courtCode: '粤5202', courtName: '揭阳市榕城区人民法院', letterNumber: '榕法委派〔2026〕12号' },
    ...overrides,
  });
}

/** The Beijing date `days` from now, and how an agreement writes it (2027年3月31日). */
export function datesAhead(days: number): { date: string; written: string } {
  const date = chinaDateOf(new Date(Date.now() + days * 86_400_000));
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { date, written: `${y}年${m}月${d}日` };
}
const firstDue = datesAhead(90);
const secondDue = datesAhead(180);

/**
 * A loan repaid in two dated instalments: the agreement content most pipeline tests draft. The instalments
 * fall three and six months after the day the suite runs, so no test finds them already overdue.
 */
export const loanAgreement = {
  facts: '被申请人李四于2025年3月向申请人张三借款人民币12000元，约定2026年6月30日前归还，至今未还。',
  terms: [
    {
      text: `被申请人李四于${firstDue.written}前向申请人张三归还借款人民币陆仟元整。`,
      amountFen: 600_000,
      dueDate: firstDue.date,
    },
    {
      text: `被申请人李四于${secondDue.written}前向申请人张三归还剩余借款人民币陆仟元整。`,
      amountFen: 600_000,
      dueDate: secondDue.date,
    },
  ],
  performance: '银行转账',
};

/**
 * An intake for the pure rule tests: a walk-in loan dispute between two natural persons, registered by a
 * clerk of the center on 2026-11-25 (Beijing time), the applicant with an ID number and a phone.
 */
export function ruleIntake(overrides: Partial<CaseIntake> = {}): CaseIntake {
  return {
    caseId: '00000000-0000-4000-8000-000000000001',
    receivedAt: '2026-11-25T01:00:00.000Z',
    channel: 'walk_in',
    disputeType: 'loan_debt',
    summary: '借款纠纷',
    claimantLearnedOfHarmOn: '2026-03-01',
    parties: [
      {
        partyId: 'p1',
        role: 'applicant',
        kind: 'natural',
        name: '张三',
        idNumber: fictionalIdNumber(),
        phone: '17000001234',
      },
      { partyId: 'p2', role: 'respondent', kind: 'natural', name: '李四' },
    ],
    registeredBy: { id: 'clerk-1', role: 'clerk' },
    routing: { intakeOrgId: 'center' },
    ...overrides,
  };
}
