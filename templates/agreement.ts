/**
 * The mediation agreement, in the form of the organization that made it (docs/documents.md#the-mediation-agreement): 人民调解协议书
 * (人民调解法 Art 29), 劳动争议调解协议书 (劳动争议调解仲裁法 Art 14), a lawyer mediation studio's 调解协议书,
 * and the 调解协议书 of court-invited mediation (特邀调解规定 Arts 19, 20, 22, 24), with clause sets per
 * dispute type. Required content: the parties' details (an organization with its 法定代表人 or 主要负责人);
 * the main facts, the disputed matters and each party's responsibility; the agreed terms with the manner
 * and deadline of performance.
 */
import { mediationKindOf, type DisputeType, type EffectPath, type MediationKind } from '../domain/case.js';
import { DISPUTE_TYPE_PROFILES, DISPUTE_TYPES } from '../domain/dispute-types.js';
import { chineseDate, rmb, termLabel } from './format.js';
import { partyLine, representativeLabel, writer, type PartyLine } from './common.js';
import { FONT, PAGE, verificationBox, type Template } from './render.js';

export type AgreementParty = PartyLine & {
  kind: 'natural' | 'legal';
  /** 法定代理人 or 委托代理人 acting for this party. */
  representative?: { label: string; name: string; idNumber?: string | null } | null;
};

export type AgreementView = {
  caseNumber: string;
  organizationName: string;
  /** `organizations.kind` of the organization that mediated (absent: decided by the path alone). */
  organizationKind?: string | null | undefined;
  /** The court that delegated or commissioned the mediation (特邀调解). */
  courtName?: string | null | undefined;
  disputeType: DisputeType;
  path: EffectPath;
  parties: AgreementParty[];
  facts: string;
  terms: { text: string; amountFen?: number | undefined; dueDate?: string | undefined; manner?: string | undefined }[];
  performance?: string | undefined;
  mediatorName: string;
  /** The parties chose notarization with enforcement effect: the debtor's commitment is printed. */
  notarizationPlanned: boolean;
  /** Who gives that commitment, by name (the agreement's debtors); absent: 债务人 without a name. */
  enforcementDebtors?: string[] | undefined;
  judicialConfirmationPossible: boolean;
  /** YYYY-MM-DD, the date printed under the signatures. */
  date: string;
  draftVersion: number;
};

/**
 * The clause sets, by dispute type: the legal notices every agreement of that type prints (with their articles),
 * and the terms a mediator commonly starts from (＿＿ for what the parties agree; the console offers them while
 * drafting, and nothing is printed unless the mediator puts it in a term). Each is its type's row in
 * domain/dispute-types.ts.
 */
export const CLAUSE_SETS: Record<string, { label: string; notices: string[]; terms: string[] }> = Object.fromEntries(
  DISPUTE_TYPES.map((t) => {
    const { label, notices, terms } = DISPUTE_TYPE_PROFILES[t];
    return [t, { label, notices: [...notices], terms: [...terms] }];
  }),
);

/** When the agreement takes effect, by path (docs/case-path.md#signing-and-effect). */
export const EFFECT_SENTENCE: Record<EffectPath, string> = {
  peoples_mediation:
    '本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效（人民调解法第二十九条）。',
  labour_mediation:
    '本协议由双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效（劳动争议调解仲裁法第十四条）。',
  court_pre_filing:
    '本协议经各方当事人签名、盖章或者按指印后生效（最高人民法院关于人民法院特邀调解的规定第二十四条）。',
  court_post_filing:
    '本协议经各方当事人签名后，提交人民法院依法出具调解书或者准许撤诉（最高人民法院关于人民法院特邀调解的规定第二十条）。',
};

/** The lawyer mediation pilot's instrument (最高人民法院、司法部, 2017): cited by name, its items not numbered here. */
const LAWYER_MEDIATION_OPINION = '《最高人民法院 司法部关于开展律师调解试点工作的意见》';

/**
 * What differs between the kinds of mediation: the title, who presides, how the agreement binds, where it
 * may be confirmed, when it takes effect, who keeps copies and who signs. `org` is the organization's name.
 */
export type AgreementForm = {
  title: string;
  factsHeading: string;
  presided: (org: string, mediator: string) => string;
  /** How the agreement binds the parties, with its article. */
  binding: string[];
  judicialConfirmation: (court: string | null | undefined) => string;
  effect: (v: { path: EffectPath; org: string }) => string;
  /** Copies beyond one per party: who keeps them. */
  copies: (org: string, court: string | null | undefined) => { extra: number; holders: string };
  /** How parties sign, and the mediator's title; the organization's seal closes every kind. */
  signatures: { party: string; mediator: string };
};

const confirmationNotice = (basis: string) =>
  `双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向有管辖权的人民法院申请司法确认（${basis}）。`;

export const AGREEMENT_FORMS: Record<MediationKind, AgreementForm> = {
  peoples: {
    title: '人民调解协议书',
    factsHeading: '纠纷的主要事实、争议事项及各方当事人的责任：',
    presided: (org) => `经${org}主持调解，当事人自愿达成如下协议：`,
    binding: ['本协议具有法律约束力，当事人应当按照约定履行（人民调解法第三十一条）。'],
    judicialConfirmation: () => confirmationNotice('民事诉讼法第二百零五条；人民调解法第三十三条'),
    effect: ({ path }) => EFFECT_SENTENCE[path],
    copies: (org) => ({ extra: 1, holders: `当事人各执一份，${org}留存一份（人民调解法第二十九条第二款）` }),
    signatures: { party: '签名、盖章或者按指印', mediator: '人民调解员' },
  },
  labour: {
    title: '劳动争议调解协议书',
    factsHeading: '劳动争议的主要事实、争议事项：',
    presided: (org) => `经${org}主持调解，双方当事人自愿达成如下协议：`,
    // The labour clause set states how it binds (劳动争议解释（一）Art 51) and what follows a breach (Arts 15-16).
    binding: [],
    judicialConfirmation: () => confirmationNotice('民事诉讼法第二百零五条'),
    effect: () => EFFECT_SENTENCE.labour_mediation,
    copies: (org) => ({ extra: 1, holders: `双方当事人各执一份，${org}留存一份` }),
    // Art 14 ¶2: the parties sign or seal; the mediator signs; the organization seals.
    signatures: { party: '签名或者盖章', mediator: '调解员' },
  },
  lawyer: {
    title: '调解协议书',
    factsHeading: '纠纷的主要事实、争议事项及各方当事人的责任：',
    presided: (org, mediator) => `经${org}律师调解员${mediator}主持调解，当事人自愿达成如下协议：`,
    // Not people's mediation: an agreement reached before a lawyer mediator binds as a contract.
    binding: [
      `本协议经律师调解达成，具有民事合同性质，当事人应当按照约定全面履行（民法典第四百六十五条、第五百零九条；${LAWYER_MEDIATION_OPINION}）。`,
    ],
    judicialConfirmation: () => confirmationNotice(`民事诉讼法第二百零五条；${LAWYER_MEDIATION_OPINION}`),
    // The parties make the mediator's signature and the studio's seal a condition of effect (民法典 Art 158).
    effect: ({ org }) =>
      `本协议自各方当事人签名、盖章或者按指印，律师调解员签名并加盖${org}印章之日起生效（民法典第四百九十条、第一百五十八条）。`,
    copies: (org) => ({ extra: 1, holders: `当事人各执一份，${org}留存一份` }),
    signatures: { party: '签名、盖章或者按指印', mediator: '律师调解员' },
  },
  court_invited: {
    title: '调解协议书',
    // 特邀调解规定 Art 23: the parties' details, the main facts and disputed matters, the result.
    factsHeading: '纠纷的主要事实、争议事项：',
    presided: (org, mediator) => `经${org}特邀调解员${mediator}主持调解，当事人自愿达成如下协议：`,
    binding: [
      '当事人为达成本协议作出妥协而认可的事实，不得在诉讼程序中作为对其不利的根据，但是当事人均同意的除外（最高人民法院关于人民法院特邀调解的规定第二十二条）。',
    ],
    // 委派: to the court that invited the mediation (民事诉讼法 Art 205(一); 特邀调解规定 Art 19).
    judicialConfirmation: (court) =>
      `双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向${court || '委派调解的人民法院'}申请司法确认（民事诉讼法第二百零五条第（一）项；最高人民法院关于人民法院特邀调解的规定第十九条）。`,
    effect: ({ path, org }) =>
      path === 'court_post_filing'
        ? EFFECT_SENTENCE.court_post_filing
        : `${EFFECT_SENTENCE.court_pre_filing.replace('。', '')}；${org}将本协议送达各方当事人，并提交人民法院备案（同规定第十九条）。`,
    // One more copy for the court: filed with it (Art 19) or handed to it for its 调解书 (Art 20).
    copies: (org, court) => ({ extra: 2, holders: `当事人各执一份，${org}留存一份，报送${court || '人民法院'}一份` }),
    // Art 24: parties and the invited mediator sign, seal or fingerprint; an organization that presided seals.
    signatures: { party: '签名、盖章或者捺印', mediator: '特邀调解员' },
  },
};

export const agreementTemplate: Template<AgreementView> = {
  id: 'peoples-mediation-agreement', // the id documents were first stored under; it now covers every kind
  // 2.0: the form of the organization that made it, 法定代表人 lines, manner of performance per term.
  version: '2.0.0',
  title: (v) => AGREEMENT_FORMS[mediationKindOf(v.path, v.organizationKind)].title,
  render(doc, v, ctx) {
    const { width, body, heading, title } = writer(doc);
    const kind = mediationKindOf(v.path, v.organizationKind);
    const form = AGREEMENT_FORMS[kind];
    doc.font(FONT.bold).fontSize(14).text(v.organizationName, { width, align: 'center' });
    doc.moveDown(0.2);
    title(form.title, v.caseNumber);
    if (kind === 'court_invited' && v.courtName)
      body(`${v.path === 'court_post_filing' ? '委托' : '委派'}调解法院：${v.courtName}`);

    for (const p of v.parties) {
      body(partyLine(p));
      if (p.representative) {
        body(
          `${p.representative.label}：${p.representative.name}${p.representative.idNumber ? `，公民身份号码：${p.representative.idNumber}` : ''}。`,
          { indent: 24 },
        );
      }
    }

    heading(form.factsHeading);
    body(v.facts, { indent: 24 });

    heading(form.presided(v.organizationName, v.mediatorName));
    v.terms.forEach((t, i) => {
      const extras = [
        t.amountFen !== undefined ? `金额：${rmb(t.amountFen)}` : '',
        t.manner ? `履行方式：${t.manner}` : '',
        t.dueDate ? `履行期限：${chineseDate(t.dueDate)}前` : '',
      ].filter(Boolean);
      body(`${termLabel(i + 1)}${t.text}${extras.length ? `（${extras.join('；')}）` : ''}`, { indent: 24 });
    });

    if (v.performance) {
      heading('履行方式、时限：');
      body(v.performance, { indent: 24 });
    }

    heading('其他事项：');
    const clauses = CLAUSE_SETS[v.disputeType] ?? CLAUSE_SETS.general_civil!;
    const copies = form.copies(v.organizationName, v.courtName);
    const debtors = v.enforcementDebtors?.length ? `债务人${v.enforcementDebtors.join('、')}` : '债务人';
    const notices = [
      ...form.binding,
      ...clauses.notices,
      ...(v.judicialConfirmationPossible && v.path !== 'court_post_filing'
        ? [form.judicialConfirmation(v.courtName)]
        : []),
      // The commitment makes the notarized agreement enforceable as it stands (公证法 Art 37; 公证程序规则 Art 39(四)(五)).
      ...(v.notarizationPlanned
        ? [
            `${debtors}自愿承诺：如不履行或者不适当履行本协议约定的给付义务，愿意接受依法强制执行；双方当事人同意公证机构对债务履行情况进行核实（公证法第三十七条；公证程序规则第三十九条）。`,
          ]
        : []),
      form.effect({ path: v.path, org: v.organizationName }),
      `本协议一式${chineseCopies(v.parties.length + copies.extra)}份，${copies.holders}。`,
    ];
    notices.forEach((n, i) => body(`${i + 1}. ${n}`, { indent: 24 }));

    // Signature block: one line per party, the mediator, the seal, the date.
    doc.moveDown(1.2);
    if (doc.y > doc.page.height - PAGE.margins.bottom - (v.parties.length * 2 + 4) * 30) doc.addPage();
    for (const p of v.parties) {
      body(`${p.roleLabel}（${form.signatures.party}）：`, { lineGap: 16 });
      // An organization signs through the person who acts for it, under its seal.
      if (p.kind === 'legal')
        body(`${representativeLabel(p.legalRepresentative)}（签名）：`, { lineGap: 16, indent: 24 });
    }
    body(`${form.signatures.mediator}（签名）：`, { lineGap: 16 });
    body(`${v.organizationName}（印章）`, { align: 'right', lineGap: 10 });
    body(chineseDate(v.date), { align: 'right' });

    doc.moveDown(0.8);
    const gap = '\u3000\u3000'; // full-width spaces, as official documents separate fields
    doc
      .font(FONT.regular)
      .fontSize(9)
      .text(`调解员：${v.mediatorName}${gap}协议稿第${v.draftVersion}版${gap}纠纷类型：${clauses.label}`, { width });
    verificationBox(doc, ctx);
  },
};

function chineseCopies(n: number): string {
  return ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'][n] ?? String(n);
}
