/** 终止调解告知书: why mediation ended and the other routes open to the parties (人民调解法 Art 26). */
import { writer } from './common.js';
import { verificationBox, type Template } from './render.js';

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
    const w = writer(doc);
    w.title('终止调解告知书', v.caseNumber);
    w.body(`${v.partyNames.join('、')}：`);
    w.para(`你们之间的纠纷，经${v.organizationName}调解，因${v.reasonLabel}${v.note ? `（${v.note}）` : ''}，调解终止。`);
    w.para(
      v.returnedToCourt
        ? '本案系人民法院委派或委托调解的案件，调解情况说明及相关材料已移送人民法院，人民法院将依法处理（人民法院在线调解规则第二十一条）。'
        : '你们可以依法通过仲裁、行政、司法等途径维护自己的权利（人民调解法第二十六条）。',
    );
    w.para('特此告知。');
    doc.moveDown(1);
    w.sealAndDate(v.organizationName, v.date);
    verificationBox(doc, ctx);
  },
};
