/** 终止调解告知书: why mediation ended and the other routes open to the parties (人民调解法 Art 26). */
import { chineseDate } from './format.js';
import { FONT, PAGE, verificationBox, type Template } from './render.js';

export type TerminationNoticeView = {
  caseNumber: string;
  organizationName: string;
  partyNames: string[];
  reasonLabel: string;
  note?: string | undefined;
  returnedToCourt: boolean;
  date: string;
};

export const terminationNoticeTemplate: Template<TerminationNoticeView> = {
  id: 'termination-notice',
  version: '1.0.0',
  title: () => '终止调解告知书',
  render(doc, v, ctx) {
    const width = doc.page.width - PAGE.margins.left - PAGE.margins.right;
    const body = (text: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.font(FONT.regular).fontSize(12).text(text, { width, lineGap: 6, align: 'justify', ...opts });
    doc.font(FONT.bold).fontSize(22).text('终止调解告知书', { width, align: 'center' });
    doc.moveDown(0.4);
    body(v.caseNumber, { align: 'right' });
    doc.moveDown(0.8);
    body(`${v.partyNames.join('、')}：`);
    body(`你们之间的纠纷，经${v.organizationName}调解，因${v.reasonLabel}${v.note ? `（${v.note}）` : ''}，调解终止。`, { indent: 24 });
    body(
      v.returnedToCourt
        ? '本案系人民法院委派或委托调解的案件，调解情况说明及相关材料已移送人民法院，人民法院将依法处理（人民法院在线调解规则第二十一条）。'
        : '你们可以依法通过仲裁、行政、司法等途径维护自己的权利（人民调解法第二十六条）。',
      { indent: 24 },
    );
    body('特此告知。', { indent: 24 });
    doc.moveDown(2);
    body(`${v.organizationName}（印章）`, { align: 'right' });
    body(chineseDate(v.date), { align: 'right' });
    doc.moveDown(1);
    verificationBox(doc, ctx);
  },
};
