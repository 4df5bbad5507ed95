/**
 * The dispute types, one row each: everything that differs from one type to another (docs/extending.md#adding-a-dispute-type).
 * The domain (`DISPUTE_TYPES`, `effectPathOf`, `ELECTRONIC_SIGNATURE_EXCLUSION`, `mediationPeriodRule`,
 * `limitationAlert`), the templates (`CLAUSE_SETS`) and, through the generated vocabulary, the web read their
 * per-type rules from here. Pure data, safe inside workflow code: the workflows run these rules, so a change to an
 * existing row's rule changes what recorded histories would do (keep test/workflows/replay.test.ts passing).
 */
import type { EffectPath } from './case.js';
import type { DeadlineRuleId } from './deadlines.js';

/** The limitation periods a dispute type runs under, as the limitation alert cites them (domain/screening.ts). */
export const LIMITATION_PERIODS = {
  general: { years: 3, citation: '民法典第一百八十八条（三年）' },
  labour_arbitration: { years: 1, citation: '劳动争议调解仲裁法第二十七条（一年）' },
} as const satisfies Record<string, { years: number; citation: string }>;

/**
 * The mediation periods a dispute type may have of its own (domain/deadlines.ts). A court's hand-off decides its
 * own period by the channel, and a market regulator's complaint takes the consumer period, whatever the type.
 */
export type OwnMediationPeriod = Extract<
  DeadlineRuleId,
  'general_mediation' | 'labour_mediation' | 'medical_mediation'
>;

/** The paths to effect a dispute type decides; a court's hand-off takes the court's path whatever the type. */
export type OwnEffectPath = Exclude<EffectPath, 'court_pre_filing' | 'court_post_filing'>;

/**
 * Agreements on marriage, adoption, inheritance and other personal relations are not signed electronically
 * (电子签名法 Art 3(2)(1)): the basis the refusal cites for a type whose row sets `electronicSignatureExcluded`.
 */
export const ELECTRONIC_SIGNATURE_EXCLUSION_BASIS = '电子签名法第三条第二款第一项';

export type DisputeTypeProfile = {
  /** Its Chinese name, as every screen and document names it (the agreement's 纠纷类型). */
  label: string;
  /** What kind of quarrel it covers, in plain words, for a party choosing in the portal without the legal names. */
  plainWords: string;
  /** The legal notices every agreement of this type prints, each with its article. */
  notices: readonly string[];
  /** The terms a mediator commonly starts a draft from (＿＿ for what the parties agree); printed only if used. */
  terms: readonly string[];
  /** The law its agreement takes effect under, outside a court's hand-off (and so the kind of mediation). */
  effectPath: OwnEffectPath;
  /** Its mediation period outside a court's hand-off (domain/deadlines.ts `mediationPeriodRule`). */
  mediationPeriod: OwnMediationPeriod;
  /** The limitation period the intake alert counts (domain/screening.ts `limitationAlert`). */
  limitation: (typeof LIMITATION_PERIODS)[keyof typeof LIMITATION_PERIODS];
  /** Signed by hand, seal or fingerprint with a scan of the signed page, not electronically (电子签名法 Art 3). */
  electronicSignatureExcluded: boolean;
  /** A 市场监督管理部门 may take it as a consumer complaint, with its own 45 working days (市场监督管理投诉举报处理暂行办法 Art 21). */
  marketRegulatorComplaint: boolean;
};

/** What most types share: people's mediation and its general period, the 3 years, electronic signatures. */
const ORDINARY = {
  effectPath: 'peoples_mediation',
  mediationPeriod: 'general_mediation',
  limitation: LIMITATION_PERIODS.general,
  electronicSignatureExcluded: false,
  marketRegulatorComplaint: false,
} as const satisfies Partial<DisputeTypeProfile>;

/**
 * One row per dispute type, in the order screens list them (the portal lists `general_civil`, the catch-all,
 * last). A new type is a new row here, plus the organizations and mediators that take it (data).
 */
export const DISPUTE_TYPE_PROFILES = {
  general_civil: {
    ...ORDINARY,
    label: '民事纠纷',
    plainWords: '以上都不是的其他民事矛盾，如合同、损害赔偿、财物归属等；不确定时选这一项，工作人员会帮您归类。',
    notices: [],
    terms: [
      '＿＿于＿＿年＿＿月＿＿日前向＿＿支付＿＿款人民币＿＿元。',
      '＿＿向＿＿赔礼道歉。',
      '双方就本纠纷再无其他争议。',
    ],
  },
  neighbour: {
    ...ORDINARY,
    label: '相邻关系纠纷',
    plainWords: '邻居之间因噪音、漏水、通行道路、采光、排水、宅基地边界等产生的矛盾。',
    notices: ['双方应本着有利生产、方便生活、团结互助、公平合理的原则处理相邻关系（民法典第二百八十八条）。'],
    terms: [
      '＿＿于＿＿年＿＿月＿＿日前清除堆放于＿＿的物品，恢复通道畅通。',
      '＿＿于＿＿年＿＿月＿＿日前修复＿＿，所需费用由＿＿承担。',
      '双方今后互谅互让，和睦相处。',
    ],
  },
  family_property: {
    ...ORDINARY,
    label: '婚姻家庭财产纠纷',
    plainWords: '家里人之间因分家、赡养老人、抚养费、离婚后分财产、继承遗产等产生的财产矛盾。',
    notices: ['本协议不涉及身份关系的确认；涉及身份关系的事项，不适用司法确认程序（民诉法解释第三百五十五条）。'],
    terms: [
      '位于＿＿的房屋归＿＿所有，＿＿于＿＿年＿＿月＿＿日前向＿＿支付房屋折价款人民币＿＿元。',
      '＿＿每月＿＿日前支付赡养费（抚养费）人民币＿＿元。',
    ],
    // Family and inheritance disputes (婚姻家庭、继承纠纷) are registered under this type.
    electronicSignatureExcluded: true,
  },
  loan_debt: {
    ...ORDINARY,
    label: '借贷纠纷',
    plainWords: '借钱不还、欠款不给等个人之间或与单位之间的借款、欠款问题。',
    notices: [
      '借款利息不得违反国家有关限制借款利率的规定（民法典第六百八十条）。',
      '债务人未按约定期限履行的，债权人可依法申请强制执行（以本协议经司法确认或赋予强制执行效力公证为前提）。',
    ],
    terms: [
      '被申请人于＿＿年＿＿月＿＿日前向申请人归还借款本金人民币＿＿元。',
      '被申请人分＿＿期归还借款：＿＿年＿＿月＿＿日前归还人民币＿＿元。',
      '申请人放弃其余利息请求。',
      '被申请人任何一期未按时足额归还的，申请人有权就全部未还款项申请强制执行。',
    ],
  },
  labour: {
    label: '劳动争议',
    plainWords: '与老板或单位之间因拖欠工资、没签劳动合同、工伤、辞退补偿等产生的矛盾。',
    // How the agreement binds (劳动争议解释（一）Art 51) and what follows a breach (Arts 15-16).
    notices: [
      '本协议具有劳动合同的约束力（劳动争议解释（一）第五十一条）。',
      '一方当事人在协议约定期限内不履行调解协议的，另一方当事人可以依法申请仲裁（劳动争议调解仲裁法第十五条）。',
      '因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，用人单位在协议约定期限内不履行的，劳动者可以持调解协议书依法向人民法院申请支付令（劳动争议调解仲裁法第十六条）。',
    ],
    terms: [
      '用人单位于＿＿年＿＿月＿＿日前向劳动者支付拖欠工资人民币＿＿元。',
      '用人单位于＿＿年＿＿月＿＿日前向劳动者支付解除劳动合同经济补偿人民币＿＿元。',
      '用人单位于＿＿年＿＿月＿＿日前为劳动者办理离职手续并出具解除劳动合同证明。',
    ],
    // Labour mediation (劳动争议调解仲裁法 Art 14): its own form, 15 days from the application, and the
    // one-year arbitration limitation (Art 27).
    effectPath: 'labour_mediation',
    mediationPeriod: 'labour_mediation',
    limitation: LIMITATION_PERIODS.labour_arbitration,
    electronicSignatureExcluded: false,
    marketRegulatorComplaint: false,
  },
  medical: {
    ...ORDINARY,
    label: '医疗纠纷',
    plainWords: '看病、治疗过程中受到损害，与医院或医生之间的赔偿问题。',
    notices: [
      '未经双方当事人同意，任何一方不得公开调解过程及本协议内容（医疗纠纷预防和处理条例第四十二条）。',
      '当事人可以依法向人民法院申请司法确认（医疗纠纷预防和处理条例第三十九条）。',
    ],
    terms: [
      '医疗机构于＿＿年＿＿月＿＿日前一次性向患方支付医疗损害赔偿款人民币＿＿元。',
      '患方收到上述款项后，不再就本次诊疗向医疗机构主张任何权利。',
    ],
    // 30 working days from acceptance (医疗纠纷预防和处理条例 Art 38).
    mediationPeriod: 'medical_mediation',
  },
  road_traffic: {
    ...ORDINARY,
    label: '道路交通事故损害赔偿纠纷',
    plainWords: '交通事故造成受伤或车辆、财物损失后，商量赔偿的问题。',
    notices: ['本协议所涉赔偿项目及金额依据道路交通事故认定书及相关损失确定；保险公司理赔按保险合同约定办理。'],
    terms: [
      '＿＿于＿＿年＿＿月＿＿日前赔偿＿＿医疗费、误工费、护理费、交通费等各项损失共计人民币＿＿元。',
      '保险公司在交强险责任限额内赔偿的部分，由＿＿协助办理理赔手续。',
    ],
  },
  property_management: {
    ...ORDINARY,
    label: '物业服务纠纷',
    plainWords: '与物业公司之间因物业费、维修、停车、小区管理等产生的矛盾。',
    notices: ['物业服务费用的缴纳与服务质量的改进按本协议约定执行，不影响业主依法行使其他权利。'],
    terms: [
      '业主于＿＿年＿＿月＿＿日前缴纳＿＿年＿＿月至＿＿年＿＿月物业服务费人民币＿＿元。',
      '物业服务企业于＿＿年＿＿月＿＿日前完成＿＿的维修。',
    ],
  },
  consumer: {
    ...ORDINARY,
    label: '消费纠纷',
    plainWords: '在商店、饭店、美容店等买东西或接受服务时，遇到质量问题、不退不换、虚假宣传等。',
    notices: ['经营者应当按照本协议履行退货、更换、修理或赔偿等义务（消费者权益保护法第五十二条）。'],
    terms: [
      '经营者于＿＿年＿＿月＿＿日前为消费者办理退货，并退还货款人民币＿＿元。',
      '经营者于＿＿年＿＿月＿＿日前为消费者更换同型号商品。',
    ],
    marketRegulatorComplaint: true,
  },
  e_commerce: {
    ...ORDINARY,
    label: '电子商务纠纷',
    plainWords: '网上购物、网店、直播带货中的退货退款、货不对板等问题。',
    notices: ['电子商务经营者应当按照本协议履行义务；平台经营者应当依法协助（电子商务法第六十三条）。'],
    terms: ['电子商务经营者于＿＿年＿＿月＿＿日前通过原支付渠道退还消费者货款人民币＿＿元。'],
    marketRegulatorComplaint: true,
  },
  express_logistics: {
    ...ORDINARY,
    label: '快递物流纠纷',
    plainWords: '快递或货物丢失、损坏、送晚了、送错了之后的赔偿问题。',
    notices: [],
    terms: ['快递企业于＿＿年＿＿月＿＿日前赔偿寄件人快件损失人民币＿＿元。'],
  },
  construction: {
    ...ORDINARY,
    label: '建设工程纠纷',
    plainWords: '建房、装修、工程施工中的质量、工期、工程款等问题。',
    notices: [],
    terms: ['发包人于＿＿年＿＿月＿＿日前向承包人支付工程款人民币＿＿元。'],
  },
  finance: {
    ...ORDINARY,
    label: '金融纠纷',
    plainWords: '与银行、保险公司等之间的贷款、信用卡、保险理赔、理财等问题。',
    notices: [],
    terms: ['＿＿于＿＿年＿＿月＿＿日前向＿＿归还欠款本金人民币＿＿元及利息人民币＿＿元。'],
  },
  real_estate: {
    ...ORDINARY,
    label: '房地产纠纷',
    plainWords: '买房、卖房、租房中的定金、交房、过户、房屋质量、房租押金等问题。',
    notices: ['本协议不涉及物权确认；确认物权归属的事项不适用司法确认程序（民诉法解释第三百五十五条）。'],
    terms: ['＿＿于＿＿年＿＿月＿＿日前向＿＿交付位于＿＿的房屋。'],
  },
  intellectual_property: {
    ...ORDINARY,
    label: '知识产权纠纷',
    plainWords: '商标、专利、文章、图片、视频等被别人擅自使用的问题。',
    notices: ['本协议不涉及知识产权权属确认（民诉法解释第三百五十五条）。'],
    terms: ['＿＿自本协议生效之日起停止使用＿＿。', '＿＿于＿＿年＿＿月＿＿日前赔偿＿＿经济损失人民币＿＿元。'],
  },
  international_trade: {
    ...ORDINARY,
    label: '国际贸易纠纷',
    plainWords: '与境外的企业或个人之间的进出口、跨境买卖问题。',
    notices: [],
    terms: [],
  },
} as const satisfies Record<string, DisputeTypeProfile>;

export type DisputeType = keyof typeof DISPUTE_TYPE_PROFILES;

/** Every dispute type's code, in the table's order: the enum of the intake schema, the filters and the OpenAPI document. */
export const DISPUTE_TYPES = Object.keys(DISPUTE_TYPE_PROFILES) as readonly DisputeType[] as readonly [
  DisputeType,
  ...DisputeType[],
];

/** A code as stored (a string from the record): its row, or undefined for a code the table does not have. */
export function disputeTypeProfile(code: string): DisputeTypeProfile | undefined {
  return Object.hasOwn(DISPUTE_TYPE_PROFILES, code) ? DISPUTE_TYPE_PROFILES[code as DisputeType] : undefined;
}

/** The types whose row says so, in the table's order. */
export function disputeTypesWhere(has: (p: DisputeTypeProfile) => boolean): DisputeType[] {
  return DISPUTE_TYPES.filter((t) => has(DISPUTE_TYPE_PROFILES[t]));
}
