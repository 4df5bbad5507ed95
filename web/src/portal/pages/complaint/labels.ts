/** The complaint's words for the portal: the shared labels, and each ground in plain words for a party. */
export {
  COMPLAINT_GROUND_LABELS,
  REPLY_CHANNEL_LABELS,
  type ComplaintGround,
  type ComplaintView,
  type ReplyChannel,
} from '../../../shared/complaint-labels';
export { label } from '../../../shared/labels';

export const GROUND_EXPLANATIONS: Record<string, string> = {
  partiality: '调解员偏向对方，不公正。',
  insult: '调解员或工作人员辱骂、羞辱您。',
  bribery: '有人向您或对方索要、收受钱物。',
  privacy_leak: '您的个人隐私或商业秘密被泄露。',
  forced_mediation: '强迫您接受调解或调解方案。',
  unlawful_mediation: '调解过程或调解内容违反法律规定。',
  delay: '案件办理拖延，超过期限。',
  attitude: '服务态度不好。',
  other: '以上都不符合的其他问题。',
};
