/**
 * Chinese names for the action form's fields, and for the enum values the domain has no label for yet (those
 * it has come with the generated descriptors, web/src/api/action-forms.ts, and win). A field or value missing
 * here shows its code, so a new one is visible rather than blank.
 */

/** Field names, by `path.field` for a name that means something else on another action, else by the field. */
export const FIELD_LABELS: Record<string, string> = {
  note: '备注',
  content: '协议内容',
  facts: '纠纷事实',
  terms: '协议条款',
  text: '条款内容',
  amountFen: '金额（元）',
  dueDate: '履行期限',
  manner: '履行方式',
  payeePartyId: '收款人',
  performance: '履行方式和期限（整体）',
  notarization: '赋予强制执行效力公证',
  debtorPartyIds: '承诺接受强制执行的债务人',
  partyId: '当事人',
  signer: '签署人',
  method: '签署方式',
  draftVersion: '协议版本',
  scanMaterialId: '签署页扫描件',
  channel: '联系方式',
  result: '联系结果',
  reason: '原因',
  'decline.reason': '不予受理原因',
  'termination.reason': '终止原因',
  'suspension.reason': '中止原因',
  'mediator/decline.reason': '拒绝理由',
  'legal-aid/decision.reason': '决定理由',
  'recusal/decision.reason': '决定理由',
  'notarization/period-pause.reason': '暂停原因',
  days: '天数',
  'extension-consents.days': '同意延长的天数',
  'judicial-confirmation/corrections.days': '补正期限（天）',
  basicFacts: '基本事实',
  undisputedFacts: '无争议事实',
  costlyConduct: '增加诉讼成本的行为（如有）',
  whyFailed: '调解不成的原因',
  failureReport: '调解情况说明（法院委派、委托案件）',
  at: '时间',
  'sessions.at': '调解时间',
  'follow-ups.at': '回访时间',
  mode: '方式',
  'sessions.mode': '调解方式',
  'follow-ups.mode': '回访方式',
  'mediator.mode': '分派方式',
  place: '地点',
  record: '调解笔录',
  venueGround: '管辖依据',
  courtCode: '法院',
  courtCaseNumber: '法院案号',
  items: '事项（每行一项）',
  approvedBy: '批准人',
  ground: '理由',
  'recusal.ground': '回避事由',
  outcome: '裁定结果',
  basis: '申请依据',
  selfDeclaration: '经济困难告知承诺',
  proof: '证明材料',
  description: '说明',
  materialId: '证明材料',
  granted: '决定',
  staffName: '法律援助人员姓名',
  organization: '所在机构',
  mediatorId: '调解员',
  conflict: '利益冲突',
  notaryId: '公证处编号',
  creditorPartyId: '债权人',
  debtorPartyId: '债务人',
  obligation: '给付内容',
  certificateNumber: '公证书编号',
  instalment: '期数',
  priorityGroups: '优先服务对象',
};

/** Enum values without a domain label, by field name. */
export const VALUE_LABELS: Record<string, Record<string, string>> = {
  signer: { mediator: '调解员', organization_seal: '调解组织（盖章）' },
  method: { handwritten: '手写签名', seal: '盖章', fingerprint: '按指印', electronic: '电子签名' },
  channel: { sms: '短信', phone_call: '电话', visit: '上门', letter: '信函', online: '网络' },
  result: { reached: '已联系上', no_answer: '无人应答', wrong_number: '号码有误', refused: '明确拒绝调解' },
  mode: {
    in_person: '现场调解',
    video: '视频调解',
    phone: '电话调解',
    visit: '上门回访',
    party_choice: '当事人选定',
    designated: '组织指定',
    by_rule: '按规则分派',
  },
  outcome: { confirmed: '确认有效', rejected: '驳回申请' },
  conflict: { none: '无利益冲突', disclosed_and_parties_agree: '已披露，当事人同意继续' },
  obligation: { money: '金钱', goods: '物品', securities: '有价证券', other: '其他' },
  ground: {
    close_relative: '是一方当事人或其代理人的近亲属',
    interest_in_dispute: '与纠纷有利害关系',
    other_relationship: '与当事人有其他关系，可能影响公正调解',
  },
  reason: { appraisal: '需要鉴定', sham_check: '审查是否虚假调解' },
  'follow-ups.mode': { visit: '上门回访', phone: '电话回访', video: '视频回访' },
};

const pick = (table: Record<string, string>, path: string, name: string): string | undefined =>
  table[`${path}.${name}`] ?? table[name];

export const fieldLabel = (path: string, name: string): string => pick(FIELD_LABELS, path, name) ?? name;

/** An enum value: the domain's label, else this file's by `path.field`, else by the field, else the code. */
export const valueLabel = (pathField: string, value: string, fromDomain: string | undefined, name: string): string =>
  fromDomain ?? VALUE_LABELS[pathField]?.[value] ?? VALUE_LABELS[name]?.[value] ?? value;
