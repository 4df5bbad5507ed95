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
      { role: 'applicant', kind: 'natural', name: '张三', idNumber: fictionalIdNumber('445202', '19000101', '123'), phone: '17000001234', address: '广东省揭阳市榕城区某某路1号' },
      { role: 'respondent', kind: 'natural', name: '李四', idNumber: fictionalIdNumber('445202', '19000202', '456'), phone: '17000005678' },
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

/** A loan repaid in two dated instalments: the agreement content most pipeline tests draft. */
export const loanAgreement = {
  facts: '被申请人李四于2025年3月向申请人张三借款人民币12000元，约定2026年6月30日前归还，至今未还。',
  terms: [
    { text: '被申请人李四于2026年12月31日前向申请人张三归还借款人民币陆仟元整。', amountFen: 600_000, dueDate: '2026-12-31' },
    { text: '被申请人李四于2027年3月31日前向申请人张三归还剩余借款人民币陆仟元整。', amountFen: 600_000, dueDate: '2027-03-31' },
  ],
  performance: '银行转账',
};
