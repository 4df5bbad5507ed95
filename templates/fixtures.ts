/** Sample data for `npm run render:sample` and the template tests: fictional parties (demo-seed.md rules). */
import type { AgreementView } from './agreement.js';

export function sampleAgreement(overrides: Partial<AgreementView> = {}): AgreementView {
  return {
    caseNumber: '（2026）揭榕人调字第0012号',
    organizationName: '榕城区人民调解委员会',
    disputeType: 'loan_debt',
    path: 'peoples_mediation',
    parties: [
      { roleLabel: '申请人', kind: 'natural', name: '张三', idNumber: '445202190001011239', address: '广东省揭阳市榕城区东山街道某某路1号', phone: '17000001234' },
      { roleLabel: '被申请人', kind: 'natural', name: '李四', idNumber: '445202190002024568', address: '广东省揭阳市榕城区榕华街道某某巷2号', phone: '17000005678' },
    ],
    facts:
      '被申请人李四于2025年3月1日向申请人张三借款人民币12000元，双方约定于2026年6月30日前归还，未约定利息。借款到期后，被申请人未归还。申请人于2026年7月1日向本中心申请调解。双方对借款事实及金额均无异议，争议在于还款期限。经调解，被申请人承认逾期未还的责任。',
    terms: [
      { text: '被申请人李四于2026年12月31日前向申请人张三归还借款人民币陆仟元整。', amountFen: 600_000, dueDate: '2026-12-31' },
      { text: '被申请人李四于2027年3月31日前向申请人张三归还剩余借款人民币陆仟元整。', amountFen: 600_000, dueDate: '2027-03-31' },
      { text: '申请人张三放弃对逾期利息的主张。双方就本纠纷再无其他争议。' },
    ],
    performance: '被申请人通过银行转账方式支付至申请人指定账户，申请人收款后出具收条。',
    mediatorName: '吴国栋',
    notarizationPlanned: false,
    judicialConfirmationPossible: true,
    date: '2026-11-25',
    draftVersion: 2,
    ...overrides,
  };
}
