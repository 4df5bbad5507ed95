/**
 * Complaints in Chinese (docs/supervision.md#complaints; domain/complaints.ts): the grounds (人民调解法 Art 15,
 * 在线调解规则 Art 29, 特邀调解规定 Art 28), the channels, the targets, the outcomes and the clocks. Shared by the
 * console's inbox and the party portal's complaint page. The API sends each complaint's status and ground labels
 * itself; these are for the forms (what may be chosen) and for the codes the lists carry bare.
 */
import type { paths } from '../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type ComplaintView = Json<paths['/complaints/{complaintId}']['get']['responses'][200]>;
export type ComplaintSummary = Json<paths['/complaints']['get']['responses'][200]>['complaints'][number];
export type ComplaintGround = ComplaintView['ground'];
export type ReplyChannel = NonNullable<ComplaintView['replyChannel']>;

export const COMPLAINT_GROUND_LABELS: Record<ComplaintGround, string> = {
  partiality: '偏袒一方',
  insult: '侮辱当事人',
  bribery: '索取或收受财物',
  privacy_leak: '泄露隐私或商业秘密',
  forced_mediation: '强迫调解',
  unlawful_mediation: '违法调解',
  delay: '拖延超期',
  attitude: '服务态度',
  other: '其他',
};

export const COMPLAINT_CHANNEL_LABELS: Record<string, string> = {
  portal: '网上投诉',
  phone: '电话',
  letter: '信函',
  in_person: '来访',
};

export const REPLY_CHANNEL_LABELS: Record<ReplyChannel, string> = {
  portal: '网上查看',
  sms: '短信',
  phone: '电话',
  letter: '书面信函',
};

export const TARGET_KIND_LABELS: Record<string, string> = {
  mediator: '调解员',
  organization: '调解组织',
  staff: '工作人员',
};

export const COMPLAINT_CLOCK_LABELS: Record<string, string> = {
  complaint_acceptance: '投诉受理审查',
  complaint_supplement: '一次性告知补正期限',
  complaint_decision: '投诉处理决定',
  complaint_answer: '答复投诉人',
  complaint_feedback: '投诉人评价答复',
};

export const CLOCK_STATUS_LABELS: Record<string, string> = {
  open: '计时中',
  met: '已按期办结',
  expired: '已超期',
  cancelled: '已停止',
  uncomputable: '无法计算',
};

/** What an upheld complaint may lead to, by kind of target (domain/complaints.ts COMPLAINT_OUTCOMES). */
export const OUTCOMES: Record<
  'people' | 'court_invited' | 'service',
  { citation: string; outcomes: Record<string, string> }
> = {
  people: {
    citation: '人民调解法第十五条',
    outcomes: { criticism_education: '批评教育', order_correction: '责令改正', dismissal: '罢免或者解聘' },
  },
  court_invited: {
    citation: '最高人民法院关于人民法院特邀调解的规定第二十八条',
    outcomes: { warning: '警告', circulation: '通报', removal: '除名' },
  },
  service: {
    citation: '揭阳市公共法律服务促进办法（草案）第六十条、第六十一条',
    outcomes: { criticism_education: '批评教育', order_correction: '责令改正' },
  },
};

export function outcomesFor(target: ComplaintView['target']) {
  return OUTCOMES[target.kind === 'mediator' ? (target.mediatorKind ?? 'people') : 'service'];
}
