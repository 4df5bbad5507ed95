/**
 * The agreement's printed wording that the draft itself does not hold, so the HTML a party reads says what the
 * PDF says: the title of the organization's kind of agreement, who presided, and 其他事项 (how it binds, the
 * dispute type's legal notices, the 30 days to apply for judicial confirmation, a debtor's commitment to
 * enforcement, when it takes effect and how many copies). It follows templates/agreement.ts (AGREEMENT_FORMS,
 * EFFECT_SENTENCE and the render's list of notices) line for line; the clause sets come from the generated
 * vocabulary. test/portal-agreement-text.test.ts renders the PDF and fails when the two drift apart.
 */
import { CLAUSE_SETS } from '../../api/vocabulary.js'; // .js: the root typecheck (NodeNext) reads this file too, for test/portal-agreement-text.test.ts

export type EffectPath = 'peoples_mediation' | 'labour_mediation' | 'court_pre_filing' | 'court_post_filing';
export type MediationKind = 'peoples' | 'labour' | 'lawyer' | 'court_invited';

/** domain/case.ts mediationKindOf: which law the agreement was made under. */
export function mediationKindOf(path: EffectPath, organizationKind?: string | null): MediationKind {
  if (path === 'court_pre_filing' || path === 'court_post_filing') return 'court_invited';
  if (path === 'labour_mediation') return 'labour';
  if (organizationKind === 'lawyer_mediation') return 'lawyer';
  return 'peoples';
}

/** When the agreement takes effect, by path (templates/agreement.ts EFFECT_SENTENCE). */
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

const LAWYER_MEDIATION_OPINION = '《最高人民法院 司法部关于开展律师调解试点工作的意见》';

const confirmationNotice = (basis: string) =>
  `双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向有管辖权的人民法院申请司法确认（${basis}）。`;

type Form = {
  title: string;
  factsHeading: string;
  presided: (org: string, mediator: string) => string;
  binding: string[];
  judicialConfirmation: (court: string | null | undefined) => string;
  effect: (v: { path: EffectPath; org: string }) => string;
  copies: (org: string, court: string | null | undefined) => { extra: number; holders: string };
};

const FORMS: Record<MediationKind, Form> = {
  peoples: {
    title: '人民调解协议书',
    factsHeading: '纠纷的主要事实、争议事项及各方当事人的责任',
    presided: (org) => `经${org}主持调解，当事人自愿达成如下协议：`,
    binding: ['本协议具有法律约束力，当事人应当按照约定履行（人民调解法第三十一条）。'],
    judicialConfirmation: () => confirmationNotice('民事诉讼法第二百零五条；人民调解法第三十三条'),
    effect: ({ path }) => EFFECT_SENTENCE[path],
    copies: (org) => ({ extra: 1, holders: `当事人各执一份，${org}留存一份（人民调解法第二十九条第二款）` }),
  },
  labour: {
    title: '劳动争议调解协议书',
    factsHeading: '劳动争议的主要事实、争议事项',
    presided: (org) => `经${org}主持调解，双方当事人自愿达成如下协议：`,
    binding: [],
    judicialConfirmation: () => confirmationNotice('民事诉讼法第二百零五条'),
    effect: () => EFFECT_SENTENCE.labour_mediation,
    copies: (org) => ({ extra: 1, holders: `双方当事人各执一份，${org}留存一份` }),
  },
  lawyer: {
    title: '调解协议书',
    factsHeading: '纠纷的主要事实、争议事项及各方当事人的责任',
    presided: (org, mediator) => `经${org}律师调解员${mediator}主持调解，当事人自愿达成如下协议：`,
    binding: [
      `本协议经律师调解达成，具有民事合同性质，当事人应当按照约定全面履行（民法典第四百六十五条、第五百零九条；${LAWYER_MEDIATION_OPINION}）。`,
    ],
    judicialConfirmation: () => confirmationNotice(`民事诉讼法第二百零五条；${LAWYER_MEDIATION_OPINION}`),
    effect: ({ org }) =>
      `本协议自各方当事人签名、盖章或者按指印，律师调解员签名并加盖${org}印章之日起生效（民法典第四百九十条、第一百五十八条）。`,
    copies: (org) => ({ extra: 1, holders: `当事人各执一份，${org}留存一份` }),
  },
  court_invited: {
    title: '调解协议书',
    factsHeading: '纠纷的主要事实、争议事项',
    presided: (org, mediator) => `经${org}特邀调解员${mediator}主持调解，当事人自愿达成如下协议：`,
    binding: [
      '当事人为达成本协议作出妥协而认可的事实，不得在诉讼程序中作为对其不利的根据，但是当事人均同意的除外（最高人民法院关于人民法院特邀调解的规定第二十二条）。',
    ],
    judicialConfirmation: (court) =>
      `双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向${court || '委派调解的人民法院'}申请司法确认（民事诉讼法第二百零五条第（一）项；最高人民法院关于人民法院特邀调解的规定第十九条）。`,
    effect: ({ path, org }) =>
      path === 'court_post_filing'
        ? EFFECT_SENTENCE.court_post_filing
        : `${EFFECT_SENTENCE.court_pre_filing.replace('。', '')}；${org}将本协议送达各方当事人，并提交人民法院备案（同规定第十九条）。`,
    copies: (org, court) => ({ extra: 2, holders: `当事人各执一份，${org}留存一份，报送${court || '人民法院'}一份` }),
  },
};

/** What the printed agreement is made from, beyond the draft's own content (activities/documents/agreement.ts builds the same). */
export type AgreementWording = {
  path: EffectPath;
  organizationKind?: string | null | undefined;
  organizationName: string;
  mediatorName?: string | undefined;
  /** The court that delegated or commissioned the mediation. */
  courtName?: string | null | undefined;
  disputeType: string;
  /** The principal parties (not their guardians or agents): one copy each. */
  partyCount: number;
  judicialConfirmationPossible: boolean;
  notarizationPlanned: boolean;
  enforcementDebtors?: string[] | undefined;
};

export const agreementTitle = (w: Pick<AgreementWording, 'path' | 'organizationKind'>): string =>
  FORMS[mediationKindOf(w.path, w.organizationKind)].title;
export const factsHeading = (w: Pick<AgreementWording, 'path' | 'organizationKind'>): string =>
  FORMS[mediationKindOf(w.path, w.organizationKind)].factsHeading;
export const presided = (w: AgreementWording): string =>
  FORMS[mediationKindOf(w.path, w.organizationKind)].presided(w.organizationName, w.mediatorName ?? '');

/** When this agreement takes effect, in the PDF's words. */
export const effectSentence = (w: Pick<AgreementWording, 'path' | 'organizationKind' | 'organizationName'>): string =>
  FORMS[mediationKindOf(w.path, w.organizationKind)].effect({ path: w.path, org: w.organizationName });

/** 其他事项, numbered from 1 as the PDF prints them. */
export function agreementNotices(w: AgreementWording): string[] {
  const form = FORMS[mediationKindOf(w.path, w.organizationKind)];
  const clauses = CLAUSE_SETS[w.disputeType as keyof typeof CLAUSE_SETS] ?? CLAUSE_SETS.general_civil;
  const copies = form.copies(w.organizationName, w.courtName);
  const debtors = w.enforcementDebtors?.length ? `债务人${w.enforcementDebtors.join('、')}` : '债务人';
  return [
    ...form.binding,
    ...clauses.notices,
    ...(w.judicialConfirmationPossible && w.path !== 'court_post_filing'
      ? [form.judicialConfirmation(w.courtName)]
      : []),
    ...(w.notarizationPlanned
      ? [
          `${debtors}自愿承诺：如不履行或者不适当履行本协议约定的给付义务，愿意接受依法强制执行；双方当事人同意公证机构对债务履行情况进行核实（公证法第三十七条；公证程序规则第三十九条）。`,
        ]
      : []),
    form.effect({ path: w.path, org: w.organizationName }),
    `本协议一式${chineseCopies(w.partyCount + copies.extra)}份，${copies.holders}。`,
  ];
}

function chineseCopies(n: number): string {
  return ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'][n] ?? String(n);
}
