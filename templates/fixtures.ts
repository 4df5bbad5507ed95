/** Sample data for `npm run render:sample` and the template tests: fictional parties (docs/personal-data.md#demo-and-test-data). */
import type { AgreementView } from './agreement.js';

export function sampleAgreement(overrides: Partial<AgreementView> = {}): AgreementView {
  return {
    caseNumber: '（2026）揭榕人调字第0012号',
    organizationName: '榕城区人民调解委员会',
    disputeType: 'loan_debt',
    path: 'peoples_mediation',
    parties: [
      {
        roleLabel: '申请人',
        kind: 'natural',
        name: '张三',
        idNumber: '445202190001011239',
        address: '广东省揭阳市榕城区东山街道某某路1号',
        phone: '17000001234',
      },
      {
        roleLabel: '被申请人',
        kind: 'natural',
        name: '李四',
        idNumber: '445202190002024568',
        address: '广东省揭阳市榕城区榕华街道某某巷2号',
        phone: '17000005678',
      },
    ],
    facts:
      '被申请人李四于2025年3月1日向申请人张三借款人民币12000元，双方约定于2026年6月30日前归还，未约定利息。借款到期后，被申请人未归还。申请人于2026年7月1日向本中心申请调解。双方对借款事实及金额均无异议，争议在于还款期限。经调解，被申请人承认逾期未还的责任。',
    terms: [
      {
        text: '被申请人李四于2026年12月31日前向申请人张三归还借款人民币陆仟元整。',
        amountFen: 600_000,
        dueDate: '2026-12-31',
      },
      {
        text: '被申请人李四于2027年3月31日前向申请人张三归还剩余借款人民币陆仟元整。',
        amountFen: 600_000,
        dueDate: '2027-03-31',
      },
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

const zhang = {
  roleLabel: '申请人',
  name: '张三',
  idNumber: '445202190001011239',
  address: '广东省揭阳市榕城区东山街道某某路1号',
  phone: '17000001234',
};
const li = {
  roleLabel: '被申请人',
  name: '李四',
  idNumber: '445202190002024568',
  address: '广东省揭阳市榕城区榕华街道某某巷2号',
  phone: '17000005678',
};

/** One realistic view per template, for the tests and for looking at them. */
export const SAMPLE_VIEWS = {
  terminationNotice: {
    caseNumber: '（2026）揭榕人调字第0012号',
    organizationName: '榕城区人民调解委员会',
    parties: [
      { roleLabel: '申请人', maskedName: '张*' },
      { roleLabel: '被申请人', maskedName: '李*' },
    ],
    reasonLabel: '当事人拒绝在调解协议上签章',
    article: '人民调解法第二十三条第（四）项、第二十六条',
    detail: '被申请人李*拒绝在调解协议上签名、盖章或者按指印',
    returnedToCourt: false,
    date: '2026-11-25',
  },
  notAcceptedNotice: {
    caseNumber: '（2026）揭非诉字第0040号',
    organizationName: '揭阳市一站式非诉讼纠纷化解中心',
    applicants: [{ roleLabel: '申请人', maskedName: '张*' }],
    others: [{ roleLabel: '被申请人', maskedName: '李*' }],
    disputeLabel: '借贷纠纷',
    receivedOn: '2026-11-20',
    reasonLabel: '纠纷已由人民法院、公安机关或其他行政机关受理或解决',
    article: '司法部《人民调解工作若干规定》第二十二条',
    note: '该纠纷已由揭阳市榕城区人民法院立案受理。',
    reportToPolice: false,
    date: '2026-11-21',
  },
  counterpartyNotice: {
    caseNumber: '（2026）揭非诉字第0041号',
    organizationName: '揭阳市一站式非诉讼纠纷化解中心',
    applicants: [{ roleLabel: '申请人', maskedName: '张*' }],
    others: [{ roleLabel: '被申请人', maskedName: '李*' }],
    disputeLabel: '借贷纠纷',
    receivedOn: '2026-11-20',
    outcome: 'unreachable' as const,
    contactLog: [
      { at: '2026-11-20T02:05:00.000Z', channelLabel: '电话', resultLabel: '无人应答' },
      {
        at: '2026-11-23T01:30:00.000Z',
        channelLabel: '短信',
        resultLabel: '无人应答',
        note: '发送调解邀请短信，未回复',
      },
      { at: '2026-11-24T07:00:00.000Z', channelLabel: '上门', resultLabel: '无人应答', note: '上门未遇' },
    ],
    date: '2026-11-25',
  },
  legalAidRefusal: {
    caseNumber: '（2026）揭非诉字第0042号',
    legalAidOrganizationName: '揭阳市法律援助处',
    applicant: { roleLabel: '申请人', maskedName: '张*' },
    appliedOn: '2026-11-18',
    basisLabel: '经济困难（可告知承诺）',
    basisSource: '法律援助法第三十一条、第四十一条',
    reasons: '经信息共享查询，申请人家庭近六个月月人均可支配收入高于本市经济困难标准，不符合法律援助经济困难条件。',
    n: 1,
    date: '2026-11-24',
  },
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
  rightsNotice: {
    caseNumber: '（2026）揭非诉字第0031号',
    organizationName: '揭阳市一站式非诉讼纠纷化解中心',
    partyName: '张三',
    date: '2026-11-25',
  },
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

/**
 * One agreement per kind of mediation (人民调解委员会, 劳动争议调解, 律师调解, 特邀调解), with an organization
 * as a party acting through its 法定代表人 or 主要负责人: for the tests and for looking at them.
 */
export const SAMPLE_AGREEMENTS_BY_KIND: Record<'peoples' | 'labour' | 'lawyer' | 'court_invited', AgreementView> = {
  peoples: sampleAgreement({ organizationKind: 'people_mediation' }),
  labour: sampleAgreement({
    caseNumber: '（2026）揭劳调字第0007号',
    organizationName: '揭阳市劳动人事争议调解中心',
    organizationKind: 'labour_mediation',
    disputeType: 'labour',
    path: 'labour_mediation',
    parties: [
      {
        roleLabel: '申请人',
        kind: 'natural',
        name: '王五',
        idNumber: '445202190003035672',
        address: '广东省揭阳市榕城区仙桥街道某某村3号',
        phone: '17000002345',
      },
      {
        roleLabel: '被申请人',
        kind: 'legal',
        name: '揭阳市某某制衣有限公司',
        creditCode: '91445200MA4UXXXX0X',
        address: '广东省揭阳市榕城区某某工业区8号',
        legalRepresentative: { kind: 'legal_representative', name: '陈某某', title: '执行董事兼总经理' },
      },
    ],
    facts:
      '申请人王五于2025年5月入职被申请人处担任车间工人，2026年8月离职。被申请人尚欠申请人2026年7月、8月工资共计人民币9600元未支付。双方对欠薪事实及金额均无异议。',
    terms: [
      {
        text: '被申请人向申请人支付拖欠的2026年7月、8月工资。',
        amountFen: 960_000,
        dueDate: '2026-12-10',
        manner: '银行转账至申请人工资卡',
      },
    ],
    performance: undefined,
    mediatorName: '梁振华',
  }),
  lawyer: sampleAgreement({
    caseNumber: '（2026）揭律调字第0003号',
    organizationName: '揭阳市律师调解工作室',
    organizationKind: 'lawyer_mediation',
    disputeType: 'construction',
    parties: [
      {
        roleLabel: '申请人',
        kind: 'legal',
        name: '揭阳市某某建材经营部',
        creditCode: '92445200MA4UYYYY1Y',
        address: '广东省揭阳市揭东区某某路12号',
        legalRepresentative: { kind: 'principal_officer', name: '林某某', title: '经营者' },
      },
      {
        roleLabel: '被申请人',
        kind: 'legal',
        name: '揭阳市某某建筑工程有限公司',
        creditCode: '91445200MA4UWWWW2W',
        address: '广东省揭阳市榕城区某某大道66号',
        legalRepresentative: { kind: 'legal_representative', name: '黄某某', title: '董事长' },
      },
    ],
    facts:
      '被申请人于2025年向申请人采购水泥、砂石等建材，尚欠货款人民币86000元。双方对欠款金额无异议，争议在于付款期限。',
    terms: [
      {
        text: '被申请人向申请人支付所欠货款人民币肆万叁仟元整。',
        amountFen: 4_300_000,
        dueDate: '2026-12-31',
        manner: '银行转账至申请人对公账户',
      },
      {
        text: '被申请人向申请人支付剩余货款人民币肆万叁仟元整。',
        amountFen: 4_300_000,
        dueDate: '2027-02-28',
        manner: '银行转账至申请人对公账户',
      },
    ],
    performance: undefined,
    mediatorName: '曹律师',
    notarizationPlanned: true,
    enforcementDebtors: ['揭阳市某某建筑工程有限公司'],
  }),
  court_invited: sampleAgreement({
    caseNumber: '（2026）揭非诉字第0031号',
    organizationKind: 'people_mediation',
    courtName: '揭阳市榕城区人民法院',
    path: 'court_pre_filing',
  }),
};
