/**
 * Written notices the law requires when a case does not go ahead or a request is refused:
 * - 不予受理告知书: the reason, its article and the other routes (人民调解法 Arts 17, 26);
 * - 不予调解告知书: the other side refused (人民调解法 Art 17) or could not be reached, with the record of
 *   every attempt to reach them (人民法院在线调解规则 Art 15: the mediator records why);
 * - 不予法律援助决定书: a refusal of legal aid in writing, with reasons (法律援助法 Art 43), and where to
 *   object (Art 49).
 * Parties are named by role and masked name (被申请人李*): a notice is read by both sides and travels.
 */
import { beijingTime, chineseDate } from './format.js';
import { writer } from './common.js';
import { verificationBox, type Template } from './render.js';

/** A party as a notice names them: role and masked name. */
export type NoticeParty = { roleLabel: string; maskedName: string };

export const named = (p: NoticeParty) => `${p.roleLabel}${p.maskedName}`;
/** The opening line: every addressee by role and masked name. */
export const addressees = (ps: NoticeParty[]) => `${ps.map(named).join('、')}：`;

/**
 * The routes that stay open (人民调解法 Arts 3, 26: 仲裁、行政、司法等途径), one line each, so a party reads
 * where to go rather than a formula.
 */
export const OTHER_ROUTES = [
  '仲裁：依照仲裁协议向仲裁机构申请仲裁；劳动争议可以向劳动人事争议仲裁委员会申请仲裁；',
  '行政：向有关行政机关申请行政调解、行政裁决或者依法投诉、举报；',
  '诉讼：向有管辖权的人民法院提起诉讼。',
];

export function otherRoutes(
  w: ReturnType<typeof writer>,
  lead = '你可以依法通过下列途径维护自己的权利（人民调解法第二十六条）：',
) {
  w.para(lead);
  OTHER_ROUTES.forEach((r, i) => w.para(`${i + 1}. ${r}`));
}

export type NotAcceptedNoticeView = {
  caseNumber: string;
  organizationName: string;
  /** Who applied (the notice is addressed to them). */
  applicants: NoticeParty[];
  /** The other side, named in the first sentence to identify the dispute. */
  others: NoticeParty[];
  disputeLabel: string;
  /** YYYY-MM-DD: the day the application was registered. */
  receivedOn: string;
  reasonLabel: string;
  article: string;
  /** What the clerk recorded about the reason, if anything. */
  note?: string | undefined;
  /** A possible criminal or public-order matter: tell them to report it (人民调解法 Art 25). */
  reportToPolice: boolean;
  date: string;
};

export const notAcceptedNoticeTemplate: Template<NotAcceptedNoticeView> = {
  id: 'not-accepted-notice',
  version: '1.0.0',
  title: () => '不予受理告知书',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('不予受理告知书', v.caseNumber);
    w.body(addressees(v.applicants));
    const against = v.others.length ? `你与${v.others.map(named).join('、')}之间的` : '';
    w.para(
      `你于${chineseDate(v.receivedOn)}向${v.organizationName}申请调解${against}${v.disputeLabel}，经审查，因${v.reasonLabel}，依据${v.article}的规定，决定不予受理。`,
    );
    if (v.note) w.para(`具体情况：${v.note}`);
    if (v.reportToPolice)
      w.para('该纠纷可能引起治安案件或者刑事案件，请及时向当地公安机关报案（人民调解法第二十五条）。');
    otherRoutes(w);
    w.para('特此告知。');
    doc.moveDown(1);
    w.sealAndDate(v.organizationName, v.date);
    verificationBox(doc, ctx);
  },
};

/** One attempt to reach the other side, as the clerk or mediator recorded it. */
export type ContactAttempt = { at: string; channelLabel: string; resultLabel: string; note?: string | undefined };

export type CounterpartyNoticeView = {
  caseNumber: string;
  organizationName: string;
  applicants: NoticeParty[];
  /** The other side asked whether they would mediate. */
  others: NoticeParty[];
  disputeLabel: string;
  receivedOn: string;
  outcome: 'refused' | 'unreachable';
  /** The party who refused (when one did). */
  refusedBy?: NoticeParty | undefined;
  contactLog: ContactAttempt[];
  note?: string | undefined;
  date: string;
};

export const counterpartyNoticeTemplate: Template<CounterpartyNoticeView> = {
  id: 'counterparty-notice',
  version: '1.0.0',
  title: () => '不予调解告知书',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('不予调解告知书', v.caseNumber);
    w.body(addressees(v.applicants));
    const others = v.others.map(named).join('、') || '对方当事人';
    w.para(
      `你于${chineseDate(v.receivedOn)}向${v.organizationName}申请调解你与${others}之间的${v.disputeLabel}。调解须经双方当事人自愿（人民调解法第三条），本组织已依法征询${others}是否同意调解。`,
    );
    if (v.outcome === 'refused') {
      w.para(
        `${v.refusedBy ? named(v.refusedBy) : others}明确表示拒绝调解。依据人民调解法第十七条“当事人一方明确拒绝调解的，不得调解”的规定，本纠纷不予调解，调解程序终结。`,
      );
    } else {
      w.para(
        `经下列方式联系，未能联系到${others}，无法确认其是否同意调解。依据人民法院在线调解规则第十五条的规定，本纠纷不予调解，调解程序终结。`,
      );
    }
    if (v.note) w.para(`具体情况：${v.note}`);
    w.heading('联系记录');
    if (v.contactLog.length === 0) w.para('（对方当事人到场或者通过本组织直接表示拒绝调解，未另行联系。）');
    // Left-aligned: a justified line that breaks after the number would stretch the gap.
    v.contactLog.forEach((c, i) =>
      w.body(`${i + 1}. ${beijingTime(c.at)}，${c.channelLabel}，${c.resultLabel}${c.note ? `（${c.note}）` : ''}。`, {
        indent: 24,
        align: 'left',
      }),
    );
    doc.moveDown(0.4);
    otherRoutes(w);
    w.para('特此告知。');
    doc.moveDown(1);
    w.sealAndDate(v.organizationName, v.date);
    verificationBox(doc, ctx);
  },
};

export type LegalAidRefusalView = {
  caseNumber: string;
  /** The legal-aid body that decided (法律援助机构). */
  legalAidOrganizationName: string;
  applicant: NoticeParty;
  /** YYYY-MM-DD of the application. */
  appliedOn: string;
  /** The ground the applicant relied on, with its source (e.g. 法律援助法第三十一条、第四十一条). */
  basisLabel: string;
  basisSource: string;
  /** The reasons, as the legal-aid officer wrote them. */
  reasons: string;
  /** The how-many-th refusal on this case. */
  n: number;
  date: string;
};

export const legalAidRefusalTemplate: Template<LegalAidRefusalView> = {
  id: 'legal-aid-refusal',
  version: '1.0.0',
  title: () => '不予法律援助决定书',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('不予法律援助决定书', `${v.caseNumber}${v.n > 1 ? `（第${v.n}次申请）` : ''}`);
    w.body(`${named(v.applicant)}：`);
    w.para(
      `你于${chineseDate(v.appliedOn)}以“${v.basisLabel}”（${v.basisSource}）为由申请法律援助。本机构依照《中华人民共和国法律援助法》第四十三条的规定进行审查，决定不予法律援助。`,
    );
    w.heading('不予法律援助的理由：');
    w.para(v.reasons);
    w.heading('告知事项：');
    w.para('1. 你对本决定有异议的，可以向设立本法律援助机构的司法行政部门提出（法律援助法第四十九条）。');
    w.para('2. 本决定不影响你参加调解，也不影响你自行委托代理人；情况发生变化的，可以再次申请法律援助。');
    w.para('特此决定。');
    doc.moveDown(1);
    w.sealAndDate(v.legalAidOrganizationName, v.date);
    verificationBox(doc, ctx);
  },
};
