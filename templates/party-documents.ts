/**
 * Documents for the parties and the file: the rights-and-duties notice (权利义务告知书, 人民调解法
 * Arts 23-24), the notarization request (赋予强制执行效力公证申请, 公证法 Art 37) and the archive case
 * summary (结案归档, legal-memo §8.2; 人民调解法 Art 27).
 */
import { chineseDate, rmb } from './format.js';
import { partyLine, writer, type PartyLine } from './common.js';
import { verificationBox, type Template } from './render.js';

export type RightsNoticeView = { caseNumber: string; organizationName: string; partyName: string; date: string };

export const rightsNoticeTemplate: Template<RightsNoticeView> = {
  id: 'rights-and-duties-notice',
  version: '1.0.0',
  title: () => '当事人权利义务告知书',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('当事人权利义务告知书', v.caseNumber);
    w.body(`${v.partyName}：`);
    w.para(`你（单位）申请或者参与的纠纷已由${v.organizationName}受理调解。根据《中华人民共和国人民调解法》的规定，现将你在调解活动中享有的权利和承担的义务告知如下：`);
    w.heading('一、当事人享有的权利（人民调解法第二十三条）');
    ['选择或者接受人民调解员；', '接受调解、拒绝调解或者要求终止调解；', '要求调解公开进行或者不公开进行；', '自主表达意愿、自愿达成调解协议。'].forEach((t, i) => w.para(`${i + 1}. ${t}`));
    w.para('人民调解不收取任何费用（人民调解法第四条）。调解不影响你依法通过仲裁、行政、司法等途径维护自己的权利（人民调解法第三条）。');
    w.heading('二、当事人承担的义务（人民调解法第二十四条）');
    ['如实陈述纠纷事实；', '遵守调解现场秩序，尊重人民调解员；', '尊重对方当事人行使权利。'].forEach((t, i) => w.para(`${i + 1}. ${t}`));
    w.heading('三、其他告知事项');
    w.para('调解过程及调解协议内容依法保密。当事人恶意串通、虚构事实申请调解的，应承担相应法律责任（民事诉讼法第一百一十五条）。');
    w.signatures(['当事人（签名）：', '告知人（签名）：']);
    w.sealAndDate(v.organizationName, v.date);
    verificationBox(doc, ctx);
  },
};

export type NotarizationRequestView = {
  notaryOfficeName: string;
  creditor: PartyLine;
  debtor: PartyLine;
  agreementCaseNumber: string;
  organizationName: string;
  obligations: { text: string; amountFen?: number | undefined; dueDate?: string | undefined }[];
  feeReductionRequested: boolean;
  date: string;
};

export const notarizationRequestTemplate: Template<NotarizationRequestView> = {
  id: 'notarization-request',
  version: '1.0.0',
  title: () => '赋予强制执行效力公证申请书',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('赋予强制执行效力公证申请书');
    w.body(partyLine({ ...v.creditor, roleLabel: '申请人（债权人）' }));
    w.body(partyLine({ ...v.debtor, roleLabel: '申请人（债务人）' }));
    w.heading('申请事项：');
    w.para(`请求对申请人双方经${v.organizationName}主持调解达成的调解协议（${v.agreementCaseNumber}）中的下列给付内容办理赋予强制执行效力的公证：`);
    v.obligations.forEach((o, i) =>
      w.para(`${i + 1}. ${o.text}${o.amountFen !== undefined ? `（金额：${rmb(o.amountFen)}）` : ''}${o.dueDate ? `（履行期限：${chineseDate(o.dueDate)}前）` : ''}`),
    );
    w.heading('债务人承诺：');
    w.para('债务人自愿承诺：如不履行或者不适当履行上述给付义务，愿意接受依法强制执行。申请人双方同意公证机构以约定方式核实履行情况（公证法第三十七条）。');
    if (v.feeReductionRequested) w.para('申请人系法律援助对象，依法申请减免公证费用（公证法第三十四条、第四十六条）。');
    w.body('此致');
    w.body(v.notaryOfficeName);
    w.signatures(['申请人（债权人）（签名或盖章）：', '申请人（债务人）（签名或盖章）：']);
    w.body(chineseDate(v.date), { align: 'right' });
    verificationBox(doc, ctx);
  },
};

export type ArchiveSummaryView = {
  caseNumber: string;
  organizationName: string;
  disputeTypeLabel: string;
  channelLabel: string;
  parties: string[];
  mediatorName: string;
  receivedOn: string;
  closedOn: string;
  outcome: string;
  retention: string;
  compiledBy: string;
  contents: { item: string; present: boolean; required: boolean }[];
};

export const archiveSummaryTemplate: Template<ArchiveSummaryView> = {
  id: 'archive-case-summary',
  version: '1.1.0', // 1.1: the court's file and the evidence in the file list
  title: () => '人民调解卷宗',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('人民调解卷宗', v.caseNumber);
    [
      `调解组织：${v.organizationName}`,
      `纠纷类型：${v.disputeTypeLabel}`,
      `案件来源：${v.channelLabel}`,
      `当事人：${v.parties.join('、')}`,
      `人民调解员：${v.mediatorName}`,
      `受理日期：${chineseDate(v.receivedOn)}\u3000结案日期：${chineseDate(v.closedOn)}`,
      `调解结果：${v.outcome}`,
      `保管期限：${v.retention}`,
      `立卷人：${v.compiledBy}`,
    ].forEach((l) => w.body(l));
    w.heading('卷内材料目录（人民调解法第二十七条）');
    v.contents.forEach((c, i) => w.para(`${i + 1}. ${c.item}${c.required ? '（必备）' : '（视情况）'}：${c.present ? '已归档' : c.required ? '缺' : '无'}`));
    verificationBox(doc, ctx);
  },
};
