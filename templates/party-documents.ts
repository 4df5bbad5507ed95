/**
 * Documents for the parties and the file: the rights-and-duties notice (权利义务告知书, 人民调解法
 * Arts 23-24), the notarization request (赋予强制执行效力公证申请, 公证法 Art 37) and the archive case
 * summary (结案归档, docs/documents.md#the-archive-file; 人民调解法 Art 27).
 */
import type { MediationKind } from '../domain/case.js';
import { chineseDate, rmb } from './format.js';
import { partyLine, writer, type PartyLine } from './common.js';
import { verificationBox, type Template } from './render.js';
import { AGREEMENT_FORMS } from './agreement.js';

export type RightsNoticeView = {
  caseNumber: string;
  organizationName: string;
  partyName: string;
  date: string;
  /** Which law the mediation runs under (absent: people's mediation, as before). */
  mediationKind?: MediationKind | undefined;
};

/** What a party is told, by the kind of mediation: rights, duties and the rest, each under its law. */
const RIGHTS_NOTICES: Record<
  MediationKind,
  {
    law: string;
    rightsHeading: string;
    rights: string[];
    rightsNote?: string;
    dutiesHeading: string;
    duties: string[];
    other: string[];
    notifier: string;
  }
> = {
  peoples: {
    law: '《中华人民共和国人民调解法》',
    rightsHeading: '一、当事人享有的权利（人民调解法第二十三条）',
    rights: [
      '选择或者接受人民调解员；',
      '接受调解、拒绝调解或者要求终止调解；',
      '要求调解公开进行或者不公开进行；',
      '自主表达意愿、自愿达成调解协议。',
    ],
    rightsNote:
      '人民调解不收取任何费用（人民调解法第四条）。调解不影响你依法通过仲裁、行政、司法等途径维护自己的权利（人民调解法第三条）。',
    dutiesHeading: '二、当事人承担的义务（人民调解法第二十四条）',
    duties: ['如实陈述纠纷事实；', '遵守调解现场秩序，尊重人民调解员；', '尊重对方当事人行使权利。'],
    other: [
      '调解过程及调解协议内容依法保密。当事人恶意串通、虚构事实申请调解的，应承担相应法律责任（民事诉讼法第一百一十五条）。',
    ],
    notifier: '告知人（签名）：',
  },
  labour: {
    law: '《中华人民共和国劳动争议调解仲裁法》',
    rightsHeading: '一、当事人享有的权利',
    rights: [
      '自愿参加调解；不愿调解、调解不成或者达成调解协议后不履行的，可以向劳动争议仲裁委员会申请仲裁（劳动争议调解仲裁法第五条）；',
      '自调解组织收到调解申请之日起十五日内未达成调解协议的，可以依法申请仲裁（劳动争议调解仲裁法第十四条第三款）；',
      '达成调解协议的，调解协议书由双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效，对双方当事人具有约束力（劳动争议调解仲裁法第十四条）；',
      '因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，用人单位在协议约定期限内不履行的，劳动者可以持调解协议书向人民法院申请支付令（劳动争议调解仲裁法第十六条）。',
    ],
    dutiesHeading: '二、当事人承担的义务',
    duties: [
      '如实陈述争议的事实和理由，调解员将充分听取双方的陈述（劳动争议调解仲裁法第十三条）；',
      '遵守调解秩序，尊重调解员和对方当事人。',
    ],
    other: ['调解过程及调解协议内容依法保密。'],
    notifier: '告知人（签名）：',
  },
  lawyer: {
    law: '《最高人民法院 司法部关于开展律师调解试点工作的意见》',
    rightsHeading: '一、当事人享有的权利',
    rights: [
      '自愿参加调解，可以拒绝调解或者要求终止调解；调解不影响你依法通过仲裁、行政、司法等途径维护自己的权利；',
      '选择或者接受律师调解员；律师调解员与纠纷或者当事人有利害关系的，可以要求其回避；',
      '经律师调解达成的调解协议具有民事合同性质（民法典第四百六十五条），各方当事人可以自协议生效之日起三十日内共同申请司法确认（民事诉讼法第二百零五条）；',
      '调解不成的，经各方当事人同意，律师调解员可以书面记载调解过程中没有争议的事实，由当事人签字确认。',
    ],
    dutiesHeading: '二、当事人承担的义务',
    duties: ['如实陈述纠纷事实；', '遵守调解秩序，尊重律师调解员；', '尊重对方当事人行使权利。'],
    other: [
      '调解过程及调解协议内容依法保密。当事人恶意串通、虚构事实申请调解的，应承担相应法律责任（民事诉讼法第一百一十五条）。',
    ],
    notifier: '律师调解员（签名）：',
  },
  // 特邀调解规定 Art 14: the invited mediator tells the parties their rights and duties, the rules and the
  // procedure, the effect of an agreement and how to apply for judicial confirmation.
  court_invited: {
    law: '《最高人民法院关于人民法院特邀调解的规定》',
    rightsHeading: '一、当事人享有的权利',
    rights: [
      '在特邀调解员名册中协商确定特邀调解员；协商不成的，由特邀调解组织或者人民法院指定；当事人不同意指定的，视为不同意调解（第十二条）；',
      '有正当理由的，可以申请更换特邀调解员（第十三条）；',
      '特邀调解员是一方当事人或者其代理人近亲属、与纠纷有利害关系、或者与当事人有其他关系可能影响公正调解的，可以申请其回避，由特邀调解组织或者人民法院决定（第十五条）；',
      '当事人为达成调解协议作出妥协而认可的事实，不得在诉讼程序中作为对其不利的根据，但是当事人均同意的除外（第二十二条）；',
      '调解过程和调解协议内容不公开，但是法律另有规定的除外（第二条）。',
    ],
    rightsNote:
      '委派调解的期限为三十日，委托调解适用普通程序的为十五日、适用简易程序的为七日，自特邀调解组织或者特邀调解员签字接收法院移交材料之日起计算，双方当事人同意延长的除外（第二十七条）。委派调解达成的调解协议经各方当事人签名、盖章或者捺印后生效，可以自生效之日起三十日内共同向委派调解的人民法院申请司法确认（第十九条、第二十四条；民事诉讼法第二百零五条）；委托调解达成的调解协议，由人民法院审查并制作调解书（第二十条）。',
    dutiesHeading: '二、当事人承担的义务',
    duties: ['如实陈述纠纷事实；', '遵守调解秩序，尊重特邀调解员和对方当事人。'],
    other: [
      '特邀调解员发现双方当事人存在虚假调解可能的，应当中止调解，并向人民法院或者特邀调解组织报告（第十八条）；当事人恶意串通，企图通过调解方式侵害他人合法权益的，应承担相应法律责任（民事诉讼法第一百一十五条）。',
    ],
    notifier: '特邀调解员（签名）：',
  },
};

export const rightsNoticeTemplate: Template<RightsNoticeView> = {
  id: 'rights-and-duties-notice',
  version: '1.1.0', // 1.1: the rights and duties under the law of the kind of mediation
  title: () => '当事人权利义务告知书',
  render(doc, v, ctx) {
    const w = writer(doc);
    const n = RIGHTS_NOTICES[v.mediationKind ?? 'peoples'];
    w.title('当事人权利义务告知书', v.caseNumber);
    w.body(`${v.partyName}：`);
    w.para(
      `你（单位）申请或者参与的纠纷已由${v.organizationName}受理调解。根据${n.law}的规定，现将你在调解活动中享有的权利和承担的义务告知如下：`,
    );
    w.heading(n.rightsHeading);
    n.rights.forEach((t, i) => w.para(`${i + 1}. ${t}`));
    if (n.rightsNote) w.para(n.rightsNote);
    w.heading(n.dutiesHeading);
    n.duties.forEach((t, i) => w.para(`${i + 1}. ${t}`));
    w.heading('三、其他告知事项');
    n.other.forEach((t) => w.para(t));
    w.signatures(['当事人（签名）：', n.notifier]);
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
    w.para(
      `请求对申请人双方经${v.organizationName}主持调解达成的调解协议（${v.agreementCaseNumber}）中的下列给付内容办理赋予强制执行效力的公证：`,
    );
    v.obligations.forEach((o, i) =>
      w.para(
        `${i + 1}. ${o.text}${o.amountFen !== undefined ? `（金额：${rmb(o.amountFen)}）` : ''}${o.dueDate ? `（履行期限：${chineseDate(o.dueDate)}前）` : ''}`,
      ),
    );
    w.heading('债务人承诺：');
    w.para(
      '债务人自愿承诺：如不履行或者不适当履行上述给付义务，愿意接受依法强制执行。申请人双方同意公证机构以约定方式核实履行情况（公证法第三十七条）。',
    );
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
  /** Which law the mediation ran under (absent: people's mediation, as before). */
  mediationKind?: MediationKind | undefined;
};

export const archiveSummaryTemplate: Template<ArchiveSummaryView> = {
  id: 'archive-case-summary',
  version: '1.2.0', // 1.1: the court's file and the evidence in the file list; 1.2: the file of the kind of mediation
  title: () => '人民调解卷宗',
  render(doc, v, ctx) {
    const w = writer(doc);
    const kind = v.mediationKind ?? 'peoples';
    // People's mediation keeps a 人民调解卷宗 (人民调解法 Art 27); other organizations keep their own 调解卷宗.
    w.title(kind === 'peoples' ? '人民调解卷宗' : '调解卷宗', v.caseNumber);
    [
      `调解组织：${v.organizationName}`,
      `纠纷类型：${v.disputeTypeLabel}`,
      `案件来源：${v.channelLabel}`,
      `当事人：${v.parties.join('、')}`,
      `${AGREEMENT_FORMS[kind].signatures.mediator}：${v.mediatorName}`,
      `受理日期：${chineseDate(v.receivedOn)}\u3000结案日期：${chineseDate(v.closedOn)}`,
      `调解结果：${v.outcome}`,
      `保管期限：${v.retention}`,
      `立卷人：${v.compiledBy}`,
    ].forEach((l) => w.body(l));
    w.heading(kind === 'peoples' ? '卷内材料目录（人民调解法第二十七条）' : '卷内材料目录');
    v.contents.forEach((c, i) =>
      w.para(
        `${i + 1}. ${c.item}${c.required ? '（必备）' : '（视情况）'}：${c.present ? '已归档' : c.required ? '缺' : '无'}`,
      ),
    );
    verificationBox(doc, ctx);
  },
};
