/**
 * Chinese names for the codes the API answers with that have no Chinese label in the domain yet (the domain's
 * own labels are generated into api/vocabulary.ts). Every lookup falls back to the code itself, so a new
 * event type or action shows up as its code rather than as nothing.
 */
import type { CaseAction, CaseView } from '../api/client';

export {
  CASE_STATUS_LABELS,
  DISPUTE_TYPE_LABELS,
  DOCUMENT_LABELS,
  PARTY_ROLE_LABELS,
  PRIORITY_GROUP_LABELS,
  DEADLINE_RULES,
} from '../api/vocabulary';

export const label = (table: Readonly<Record<string, string>>, code: string): string => table[code] ?? code;

export const ROLE_LABELS: Record<string, string> = {
  clerk: '登记员',
  mediator: '调解员',
  supervisor: '司法局',
  legal_aid_officer: '法律援助工作人员',
  court: '法院',
  notary: '公证处',
  party: '当事人',
  system: '系统',
};

export const CHANNEL_LABELS: Record<string, string> = {
  walk_in: '现场登记',
  phone: '电话登记',
  online: '在线申请',
  court_pre_filing: '法院委派（诉前）',
  court_post_filing: '法院委托（诉中）',
  referral: '有关机关移送',
};

export const DEADLINE_STATUS_LABELS: Record<string, string> = {
  open: '计时中',
  met: '已完成',
  expired: '已届满',
  cancelled: '已取消',
  paused: '已暂停',
  uncomputable: '无法计算',
};

/**
 * Case actions by their path under /cases/{id}/ (unique, where the command name is not: `withdraw`,
 * `sign_application`). Typed by the API's list of paths: a new action fails the typecheck until it is named.
 */
export const ACTION_LABELS: Record<CaseAction['path'], string> = {
  accept: '受理',
  decline: '不予受理',
  contacts: '记录联系对方',
  'counterparty-consent': '对方同意调解',
  'counterparty-refusal': '对方拒绝调解',
  'close-unreachable': '无法联系，终结申请',
  screening: '登记优先服务对象',
  'legal-aid': '申请法律援助',
  'legal-aid/decision': '法律援助决定',
  'legal-aid/staff': '指派法律援助人员',
  mediator: '分派调解员',
  'mediator/choices': '选择调解员',
  'parties/contact': '确认送达地址',
  'mediator/accept': '接受分派',
  'mediator/decline': '拒绝分派',
  recusal: '申请回避',
  'recusal/decision': '回避决定',
  sessions: '记录调解',
  suspension: '中止调解',
  resumption: '恢复调解',
  'extension-consents': '同意延长调解期限',
  termination: '终止调解',
  facts: '记录案件事实',
  'agreement/drafts': '起草调解协议',
  'agreement/circulation': '送签调解协议',
  'agreement/signatures': '签署调解协议',
  'agreement/refusals': '拒绝签署',
  'agreement/oral': '记录口头协议',
  remediation: '恢复调解（司法确认被驳回）',
  payments: '确认履行款项',
  'follow-ups': '记录回访',
  archive: '结案归档',
  'judicial-confirmation': '申请司法确认',
  notarization: '申请赋强公证',
  materials: '上传材料',
  'judicial-confirmation/signatures': '签署司法确认申请',
  'judicial-confirmation/acceptance': '法院立案',
  'judicial-confirmation/non-acceptance': '法院不予受理',
  'judicial-confirmation/corrections': '法院要求补正',
  'judicial-confirmation/corrections/submission': '提交补正材料',
  'judicial-confirmation/extension': '延长审查期限',
  'judicial-confirmation/ruling': '法院裁定',
  'judicial-confirmation/dispute': '法院认定存在争议',
  'judicial-confirmation/withdrawal': '撤回司法确认申请',
  'notarization/signatures': '签署公证申请',
  'notarization/acceptance': '公证处受理',
  'notarization/supplements': '公证处要求补充材料',
  'notarization/supplements/submission': '提交补充材料',
  'notarization/period-pause': '暂停公证期限',
  'notarization/period-resumption': '恢复公证期限',
  'notarization/certificate': '出具公证书',
  'notarization/refusal': '不予公证',
  'notarization/withdrawal': '撤回公证申请',
};

/** Why an action is not possible, by the kind of refusal (domain/possible-actions.ts). */
export const REFUSAL_KIND_LABELS: Record<string, string> = {
  rule: '法律规定不允许',
  policy: '无权在本案办理',
  forbidden: '无权办理',
  wrong_state: '案件当前状态不允许',
};

/** The documents the case issues, by the kind its events name (templates/: each template's title). */

/** The case's chain in Chinese, for the events a clerk meets most; others show their type. */
export const EVENT_LABELS: Record<string, string> = {
  CaseRegistered: '案件登记',
  CaseAccepted: '受理',
  CaseNotAccepted: '不予受理',
  CounterpartyContactLogged: '联系对方当事人',
  CounterpartyConsented: '对方同意调解',
  ScreeningRecorded: '登记优先服务对象',
  LegalAidApplied: '申请法律援助',
  LegalAidGranted: '给予法律援助',
  LegalAidRefused: '不予法律援助',
  LegalAidStaffAssigned: '指派法律援助人员',
  MediatorChosen: '当事人选择调解员',
  ServiceAddressConfirmed: '确认送达地址',
  MediatorAssigned: '分派调解员',
  MediatorAccepted: '调解员接受分派',
  MediatorDeclined: '调解员拒绝分派',
  MediatorAcceptanceTimedOut: '调解员逾期未确认',
  NoMediatorAvailable: '暂无可分派的调解员',
  AllMediatorsRefused: '调解员均未接受',
  RecusalRequested: '申请回避',
  MediatorRecused: '调解员回避',
  RecusalRefused: '回避申请被驳回',
  SessionRecorded: '记录调解',
  MediationSuspended: '中止调解',
  MediationResumed: '恢复调解',
  MediationExtended: '延长调解期限',
  ExtensionConsented: '同意延长调解期限',
  MediationTerminated: '终止调解',
  CaseFactsRecorded: '记录案件事实',
  FailureFactsRequested: '要求补充调解不成事实',
  FailureFactsNotProvided: '未补充调解不成事实',
  AgreementDrafted: '起草调解协议',
  AgreementCirculated: '送签调解协议',
  AgreementSigned: '签署调解协议',
  AgreementEffective: '调解协议生效',
  AgreementFiledWithCourt: '调解协议报送法院',
  ReturnedToCourt: '退回法院',
  MediationResumedAfterRejection: '司法确认被驳回后恢复调解',
  JudicialConfirmationStarted: '申请司法确认',
  NotarizationRequested: '申请赋强公证',
  PerformanceScheduled: '确定履行计划',
  PaymentConfirmed: '确认履行款项',
  InstalmentReminder: '分期履行提醒',
  InstalmentOverdue: '分期履行逾期',
  PerformanceCompleted: '履行完毕',
  PerformanceDefaulted: '未按期履行',
  FollowUpRecorded: '回访',
  EnforcementAdvised: '告知可申请强制执行',
  CaseArchived: '结案归档',
  DeadlineSet: '期限开始计算',
  DeadlineReminder: '期限即将届满提醒',
  DeadlineExpired: '期限届满',
  DeadlinePaused: '期限暂停',
  DeadlineStopped: '期限停止',
  DeadlineRecomputed: '期限重新计算',
  DeadlineUncomputable: '期限无法计算',
  CourtDateEarlierThanStatutory: '法院函定日期早于法定期限',
  DocumentGenerated: '生成文书',
  MaterialReceived: '收到材料',
};

/** The kinds of file received for a case (materialQuery in api/schemas.ts). */
export const MATERIAL_KIND_LABELS: Record<string, string> = {
  court_letter: '法院委派（委托）函',
  complaint: '申请书',
  evidence: '证据材料',
  identity: '身份证明',
  other: '其他材料',
};

/** What a text was for (infra/sms.ts). */
export const SMS_PURPOSE_LABELS: Record<string, string> = {
  notice: '通知短信',
  access_code: '案件查询码',
  one_time_code: '登录验证码',
};

/** The messages a court or notary office receives (workflows, domain/securing.ts). */
export const INSTITUTION_MESSAGE_LABELS: Record<string, string> = {
  case_accepted: '受理通知',
  failure_report: '调解情况说明',
  agreement_filed: '调解协议报送',
  agreement_for_court_document: '调解协议（供法院制作调解书）',
  agreement_confirmed: '调解协议已获司法确认',
  application_submitted: '申请提交',
  correction_submitted: '补正材料提交',
  supplement_submitted: '补充材料提交',
  withdrawn: '撤回申请',
  sham_mediation_suspected: '疑似虚假调解报告',
};

/** Where a delivery stands (GET /cases/{id}/deliveries, db/deliveries.ts). */
export const DELIVERY_STATUS_LABELS: Record<string, string> = {
  delivered: '已送达',
  awaiting_poll: '待对方系统接收',
  failing: '投递失败',
  rejected: '被拒收',
  expired: '已过期未发送',
  pending: '待发送',
};

/** One delivery attempt's outcome. */
export const DELIVERY_OUTCOME_LABELS: Record<string, string> = {
  delivered: '成功',
  failed: '失败',
  no_webhook: '对方未登记接收地址',
  rejected: '被拒收',
  expired: '已过期',
};

/** Where a legal-aid application stands, as the queue gives it (法律援助法 Art 43: decided in 7 days, staff assigned in 3). */
export const LEGAL_AID_STATUS_LABELS: Record<string, string> = {
  applied: '待审查决定',
  granted: '已给予法律援助',
  refused: '不予法律援助',
};

/** Kinds of mediation organization as a party reads them on the roster (domain/case.ts ORGANIZATION_KINDS). */
export const ORGANIZATION_KIND_LABELS: Record<string, string> = {
  people_mediation: '人民调解委员会',
  industry_mediation: '行业性、专业性人民调解委员会',
  labour_mediation: '劳动争议调解组织',
  lawyer_mediation: '律师调解工作室',
  court_invited_mediation: '特邀调解组织',
};

/** The languages a mediator mediates in (db/roster.ts MEDIATOR_LANGUAGES). */
export const MEDIATOR_LANGUAGE_LABELS: Record<string, string> = {
  mandarin: '普通话',
  chaoshan: '潮汕话',
  cantonese: '粤语',
  hakka: '客家话',
  english: '英语',
};

type LegalAidBasis = NonNullable<NonNullable<CaseView['screening']>['legalAid']>['basis'] & string;

/**
 * The bases of a legal-aid application (domain/screening.ts LEGAL_AID_BASES): its name, and one plain sentence
 * on what it means for the applicant. The city's own groups (揭阳 draft 办法 Art 23) and 法律援助法 Art 42 waive
 * the check of economic hardship; Art 32 sets no hardship condition at all; otherwise the applicant declares
 * their hardship (告知承诺, Art 41).
 */
export const LEGAL_AID_BASIS_LABELS: Record<LegalAidBasis, { label: string; explanation: string }> = {
  local_minor_guardian_harm: {
    label: '监护人侵害未成年人权益案件中的未成年人当事人',
    explanation: '未成年人的权益受到监护人侵害的，免予核查经济状况。',
  },
  local_student_injury: {
    label: '学生伤害事故及其他侵害未成年人合法权益案件中的未成年人当事人',
    explanation: '学生在校受伤等未成年人权益受侵害的案件，免予核查经济状况。',
  },
  local_vagrant_beggar: { label: '流浪、乞讨人员', explanation: '流浪、乞讨人员申请的，免予核查经济状况。' },
  local_aged_75: { label: '七十五周岁以上老年人', explanation: '年满 75 周岁的老年人申请的，免予核查经济状况。' },
  local_death_or_serious_injury: {
    label: '因人身损害导致死亡或者重伤而追索赔偿的',
    explanation: '因他人造成死亡或重伤要求赔偿的，免予核查经济状况。',
  },
  national_hero_relatives: {
    label: '英雄烈士近亲属维护其人格权益',
    explanation: '英雄烈士的近亲属维护英雄烈士名誉等权益的，不受经济困难条件限制。',
  },
  national_good_samaritan: {
    label: '因见义勇为行为主张相关民事权益',
    explanation: '因见义勇为受到损害、要求赔偿或补偿的，不受经济困难条件限制。',
  },
  national_abuse_victim: {
    label: '遭受虐待、遗弃或者家庭暴力的受害人',
    explanation: '遭受虐待、遗弃或家庭暴力、要求维护自身权益的，不受经济困难条件限制。',
  },
  verification_exempt_dependent_group: {
    label: '无固定生活来源的未成年人、老年人、残疾人',
    explanation: '没有固定收入的未成年人、老年人或残疾人，免予核查经济状况。',
  },
  verification_exempt_assistance: {
    label: '社会救助、司法救助或者优抚对象',
    explanation: '正在领取低保等社会救助、司法救助或属于优抚对象的，免予核查经济状况。',
  },
  verification_exempt_migrant_wages: {
    label: '申请支付劳动报酬或工伤赔偿的进城务工人员',
    explanation: '进城务工人员讨要工资或工伤赔偿的，免予核查经济状况。',
  },
  economic_hardship: {
    label: '经济困难（可告知承诺）',
    explanation: '家庭经济困难、请不起律师的，可以书面承诺所填情况属实，代替提交证明。',
  },
};
