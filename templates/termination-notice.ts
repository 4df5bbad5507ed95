/**
 * 终止调解告知书: why mediation ended, in Chinese with its article, and the other routes open to the
 * parties (人民调解法 Art 26). Parties are named by role and masked name, never by an internal id.
 */
import { writer } from './common.js';
import { addressees, otherRoutes, type NoticeParty } from './notices.js';
import { verificationBox, type Template } from './render.js';

export type TerminationNoticeView = {
  caseNumber: string;
  organizationName: string;
  /** The addressees: every party to the dispute. */
  parties: NoticeParty[];
  /** The reason as 在线调解规则 Art 25 words it. */
  reasonLabel: string;
  /** The article it rests on (TERMINATION_ARTICLES). */
  article: string;
  /** What happened, in Chinese: who refused to sign, which period ran out and when. */
  detail?: string | undefined;
  /** What the mediator or clerk recorded. */
  note?: string | undefined;
  returnedToCourt: boolean;
  date: string;
};

export const terminationNoticeTemplate: Template<TerminationNoticeView> = {
  id: 'termination-notice',
  version: '1.1.0', // 1.1: the article, the party by role and masked name, the routes one by one
  title: () => '终止调解告知书',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('终止调解告知书', v.caseNumber);
    w.body(addressees(v.parties));
    w.para(
      `你们之间的纠纷，经${v.organizationName}调解，因${v.reasonLabel}${v.detail ? `（${v.detail}）` : ''}，依据${v.article}的规定，调解终止。`,
    );
    if (v.note) w.para(`具体情况：${v.note}`);
    if (v.returnedToCourt) {
      w.para(
        '本案系人民法院委派或委托调解的案件，调解情况说明及相关材料由本组织移送人民法院，人民法院将依法处理（人民法院在线调解规则第二十一条；最高人民法院关于人民法院特邀调解的规定第二十六条）。',
      );
    } else {
      otherRoutes(w, '你们可以依法通过下列途径维护自己的权利（人民调解法第二十六条）：');
    }
    w.para('特此告知。');
    doc.moveDown(1);
    w.sealAndDate(v.organizationName, v.date);
    verificationBox(doc, ctx);
  },
};
