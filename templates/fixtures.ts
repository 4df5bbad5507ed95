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

const zhang = { roleLabel: '申请人', name: '张三', idNumber: '445202190001011239', address: '广东省揭阳市榕城区东山街道某某路1号', phone: '17000001234' };
const li = { roleLabel: '被申请人', name: '李四', idNumber: '445202190002024568', address: '广东省揭阳市榕城区榕华街道某某巷2号', phone: '17000005678' };

/** One realistic view per template, for the tests and for looking at them. */
export const SAMPLE_VIEWS = {
  failureReport: {
    caseNumber: '（2026）揭非诉字第0031号',
    courtName: '揭阳市榕城区人民法院',
    letterNumber: '榕法委派〔2026〕12号',
    courtCaseNumber: null,
    organizationName: '榕城区人民调解委员会',
    parties: [zhang, li],
    basicFacts: '申请人与被申请人因借款12000元发生纠纷，法院于2026年10月8日委派调解。',
    undisputedFacts: '双方对借款事实、金额及到期日均无异议。',
    whyFailed: '被申请人要求分五年偿还，申请人不同意，双方分歧较大，调解期限届满未达成协议。',
    costlyConduct: '被申请人两次无正当理由缺席调解，致调解延期。',
    mediatorName: '吴国栋',
    date: '2026-11-07',
  },
  judicialConfirmationApplication: {
    courtName: '揭阳市榕城区人民法院',
    applicants: [zhang, { ...li, roleLabel: '申请人' }],
    organizationName: '榕城区人民调解委员会',
    agreementCaseNumber: '（2026）揭榕人调字第0012号',
    agreementEffectiveDate: '2026-11-25',
    disputeSummary: '申请人李四于2025年3月向申请人张三借款人民币12000元，到期未还，双方发生纠纷。',
    mainTerms: ['李四于2026年12月31日前归还张三人民币陆仟元整；', '李四于2027年3月31日前归还剩余人民币陆仟元整。'],
    date: '2026-11-26',
  },
  rightsNotice: { caseNumber: '（2026）揭非诉字第0031号', organizationName: '揭阳市一站式非诉讼纠纷化解中心', partyName: '张三', date: '2026-11-25' },
  notarizationRequest: {
    notaryOfficeName: '广东省揭阳市公证处',
    creditor: zhang,
    debtor: li,
    agreementCaseNumber: '（2026）揭榕人调字第0012号',
    organizationName: '榕城区人民调解委员会',
    obligations: [
      { text: '李四向张三归还借款', amountFen: 600_000, dueDate: '2026-12-31' },
      { text: '李四向张三归还剩余借款', amountFen: 600_000, dueDate: '2027-03-31' },
    ],
    feeReductionRequested: true,
    date: '2026-11-26',
  },
  archiveSummary: {
    caseNumber: '（2026）揭榕人调字第0012号',
    organizationName: '榕城区人民调解委员会',
    disputeTypeLabel: '借贷纠纷',
    channelLabel: '当事人申请',
    parties: ['张三', '李四'],
    mediatorName: '吴国栋',
    receivedOn: '2026-11-02',
    closedOn: '2027-04-02',
    outcome: '达成调解协议，已履行完毕',
    retention: '长期',
    compiledBy: '黄丽华',
    contents: [
      { item: '人民调解申请书或受理登记表', present: true, required: true },
      { item: '当事人权利义务告知书', present: true, required: true },
      { item: '当事人身份证明', present: true, required: true },
      { item: '人民调解记录', present: true, required: true },
      { item: '人民调解协议书', present: true, required: true },
      { item: '履行凭证', present: true, required: false },
      { item: '回访记录', present: false, required: false },
    ],
  },
};
