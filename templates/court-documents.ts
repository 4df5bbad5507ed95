/**
 * Documents that go to a court: the failure report (调解情况说明, 在线调解规则 Art 21) and the joint
 * application for judicial confirmation (司法确认申请书, docs/documents.md#application-for-judicial-confirmation; 民事诉讼法 Art 205).
 */
import type { MediationKind } from '../domain/case.js';
import { chineseDate } from './format.js';
import { partyLine, representativeLabel, writer, type PartyLine } from './common.js';
import { verificationBox, type Template } from './render.js';

export type FailureReportView = {
  caseNumber: string;
  courtName: string;
  courtCaseNumber?: string | null;
  letterNumber?: string | null;
  /** 委派 (before filing) or 委托 (after): how the court handed the dispute over; absent in older views. */
  handOff?: '委派' | '委托' | undefined;
  organizationName: string;
  parties: PartyLine[];
  basicFacts: string;
  undisputedFacts: string;
  whyFailed: string;
  costlyConduct?: string | null;
  mediatorName: string;
  date: string;
};

export const failureReportTemplate: Template<FailureReportView> = {
  id: 'court-failure-report',
  version: '1.1.0', // 1.1: 委派 or 委托 as the court handed it over; the parties' representatives
  title: () => '调解情况说明',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('调解情况说明', v.caseNumber);
    w.body(`${v.courtName}：`);
    w.para(
      `贵院${v.courtCaseNumber ? `（${v.courtCaseNumber}）` : ''}${v.letterNumber ? `以${v.letterNumber}` : ''}${v.handOff ?? '委派（委托）'}本组织调解的纠纷，调解未能达成协议，现将调解情况说明如下，并随附案件材料：`,
    );
    w.heading('一、当事人基本情况');
    v.parties.forEach((p) => w.para(partyLine(p)));
    w.heading('二、纠纷基本事实');
    w.para(v.basicFacts || '（无）');
    w.heading('三、当事人无争议的事实');
    w.para(v.undisputedFacts || '（无）');
    w.heading('四、调解不成的原因');
    w.para(v.whyFailed);
    w.heading('五、导致其他当事人诉讼成本增加的行为');
    w.para(v.costlyConduct || '（无）');
    w.para('依据：人民法院在线调解规则第二十一条；最高人民法院关于人民法院特邀调解的规定第二十六条。');
    w.signatures([`调解员（签名）：${v.mediatorName}`]);
    w.sealAndDate(v.organizationName, v.date);
    verificationBox(doc, ctx);
  },
};

export type JudicialConfirmationApplicationView = {
  courtName: string;
  applicants: PartyLine[];
  organizationName: string;
  agreementCaseNumber: string;
  agreementEffectiveDate: string;
  /** Which law the agreement was made under (absent: people's mediation, as before). */
  mediationKind?: MediationKind | undefined;
  /** The facts the agreement states (纠纷的主要事实、争议事项). */
  disputeSummary: string;
  mainTerms: string[];
  /** The agreement's manner and time of performance. */
  performance?: string | undefined;
  date: string;
};

/** The articles a joint application rests on, by the kind of mediation that made the agreement. */
const CONFIRMATION_BASIS: Record<MediationKind, string> = {
  peoples: '《中华人民共和国民事诉讼法》第二百零五条、《中华人民共和国人民调解法》第三十三条',
  labour: '《中华人民共和国民事诉讼法》第二百零五条',
  lawyer: '《中华人民共和国民事诉讼法》第二百零五条、《最高人民法院 司法部关于开展律师调解试点工作的意见》',
  // A mediation the court invited goes back to that court (Art 205(一); 特邀调解规定 Art 19).
  court_invited:
    '《中华人民共和国民事诉讼法》第二百零五条第（一）项、《最高人民法院关于人民法院特邀调解的规定》第十九条',
};

export const judicialConfirmationApplicationTemplate: Template<JudicialConfirmationApplicationView> = {
  id: 'judicial-confirmation-application',
  version: '1.1.0', // 1.1: the agreement's facts and performance, the basis by kind of mediation, representatives' signatures
  title: () => '司法确认申请书',
  render(doc, v, ctx) {
    const w = writer(doc);
    w.title('司法确认申请书');
    // Both parties apply jointly: each appears as 申请人.
    v.applicants.forEach((p) => w.body(partyLine({ ...p, roleLabel: '申请人' })));
    w.heading('请求事项：');
    const names = v.applicants.map((a) => a.name).join('与');
    w.para(
      `请求确认申请人${names}于${chineseDate(v.agreementEffectiveDate)}经${v.organizationName}主持调解达成的调解协议（${v.agreementCaseNumber}）有效。`,
    );
    w.heading('事实和理由：');
    w.para(v.disputeSummary);
    w.para(
      `上述纠纷经${v.organizationName}主持调解，双方于${chineseDate(v.agreementEffectiveDate)}达成调解协议，协议已生效。主要内容如下：`,
    );
    v.mainTerms.forEach((t, i) => w.para(`${i + 1}. ${t}`));
    if (v.performance) w.para(`履行方式、时限：${v.performance}`);
    w.para(
      `申请人双方依据${CONFIRMATION_BASIS[v.mediationKind ?? 'peoples']}的规定，自调解协议生效之日起三十日内共同申请司法确认。`,
    );
    w.heading('申请人承诺：');
    w.para(
      '申请人保证申请确认的调解协议系出于解决纠纷的目的，是自愿达成的，不存在恶意串通、规避法律、损害国家利益、社会公共利益或者他人合法权益的情形，所提交的材料真实。如因该协议内容给他人造成损害，愿意承担相应的法律责任。',
    );
    w.body('此致');
    w.body(v.courtName);
    // An organization signs under its seal through the person who acts for it (民事诉讼法 Art 51 ¶2).
    w.signatures(
      v.applicants.flatMap((a) => [
        `申请人（签名或盖章）：${a.name}`,
        ...(a.kind === 'legal' ? [`${representativeLabel(a.legalRepresentative)}（签名）：`] : []),
      ]),
    );
    w.body(chineseDate(v.date), { align: 'right' });
    doc.moveDown(0.6);
    w.body(
      '附：1. 调解协议书；2. 调解组织主持调解的证明；3. 身份证明、资格证明；4. 与协议相关的财产权利证明；5. 送达地址确认书；6. 授权委托书（如有）。',
    );
    verificationBox(doc, ctx);
  },
};
