/**
 * Documents in the form of the organization that made them, read back as a court or a party would
 * (pdftotext): title, wording, legal basis and signature lines for a 人民调解委员会, a labour dispute mediation
 * organization, a lawyer mediation studio and court-invited 特邀调解; an organization as a party with its
 * 法定代表人 or 主要负责人; the debtor's commitment when notarization is planned.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementTemplate, type AgreementView } from '../templates/agreement.js';
import { failureReportTemplate, judicialConfirmationApplicationTemplate } from '../templates/court-documents.js';
import { SAMPLE_AGREEMENTS_BY_KIND, SAMPLE_VIEWS, sampleAgreement } from '../templates/fixtures.js';
import {
  archiveSummaryTemplate,
  notarizationRequestTemplate,
  rightsNoticeTemplate,
} from '../templates/party-documents.js';
import { renderPdf, type Template } from '../templates/render.js';

const dir = mkdtempSync(path.join(tmpdir(), 'odr-pdf-kinds-'));
const ctx = {
  createdAt: '2026-11-25T02:00:00.000Z',
  verificationCode: 'TEST-5678',
  verifyUrl: 'http://localhost:3000/verify/TEST-5678',
};
/** The running text as pdftotext reads it, without whitespace and page footers. */
async function textOf<V>(template: Template<V>, view: V, name: string): Promise<string> {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, await renderPdf(template, view, ctx));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    .replace(/\s+/g, '')
    .replace(/第\d+页共\d+页/g, '');
}
const flat = (s: string) => s.replace(/\s+/g, '');

describe('the agreement of each kind of organization', () => {
  const kinds: [string, AgreementView, { present: string[]; absent: string[] }][] = [
    [
      "a people's mediation committee",
      SAMPLE_AGREEMENTS_BY_KIND.peoples,
      {
        present: [
          '榕城区人民调解委员会人民调解协议书',
          '经榕城区人民调解委员会主持调解',
          '人民调解法第三十一条',
          '民事诉讼法第二百零五条；人民调解法第三十三条',
          '人民调解员签名并加盖人民调解委员会印章之日起生效（人民调解法第二十九条）',
          '本协议一式三份，当事人各执一份，榕城区人民调解委员会留存一份',
          '申请人（签名、盖章或者按指印）：',
          '人民调解员（签名）：',
          '榕城区人民调解委员会（印章）',
        ],
        absent: ['特邀调解', '劳动争议调解仲裁法', '律师调解'],
      },
    ],
    [
      'a labour dispute mediation organization',
      SAMPLE_AGREEMENTS_BY_KIND.labour,
      {
        present: [
          '揭阳市劳动人事争议调解中心劳动争议调解协议书',
          '劳动争议的主要事实、争议事项',
          '双方当事人自愿达成如下协议',
          '劳动争议调解仲裁法第十四条',
          '劳动争议解释（一）第五十一条',
          '劳动争议调解仲裁法第十六条',
          '被申请人（签名或者盖章）：',
          '法定代表人（签名）：',
          '调解员（签名）：',
          '揭阳市劳动人事争议调解中心（印章）',
        ],
        absent: ['人民调解协议书', '人民调解法', '人民调解员', '按指印'],
      },
    ],
    [
      'a lawyer mediation studio',
      SAMPLE_AGREEMENTS_BY_KIND.lawyer,
      {
        present: [
          '揭阳市律师调解工作室调解协议书',
          '经揭阳市律师调解工作室律师调解员曹律师主持调解',
          '具有民事合同性质',
          '民法典第四百六十五条',
          '关于开展律师调解试点工作的意见',
          '律师调解员签名并加盖揭阳市律师调解工作室印章之日起生效',
          '律师调解员（签名）：',
          '主要负责人（签名）：',
          '揭阳市律师调解工作室（印章）',
        ],
        absent: ['人民调解协议书', '人民调解法', '人民调解员', '特邀调解'],
      },
    ],
    [
      'court-invited mediation (委派)',
      SAMPLE_AGREEMENTS_BY_KIND.court_invited,
      {
        present: [
          '调解协议书',
          '委派调解法院：揭阳市榕城区人民法院',
          '纠纷的主要事实、争议事项：',
          '特邀调解员吴国栋主持调解',
          '特邀调解的规定第二十二条',
          '向揭阳市榕城区人民法院申请司法确认（民事诉讼法第二百零五条第（一）项；最高人民法院关于人民法院特邀调解的规定第十九条）',
          '各方当事人签名、盖章或者按指印后生效（最高人民法院关于人民法院特邀调解的规定第二十四条）',
          '提交人民法院备案',
          '本协议一式四份',
          '报送揭阳市榕城区人民法院一份',
          '申请人（签名、盖章或者捺印）：',
          '特邀调解员（签名）：',
          '榕城区人民调解委员会（印章）',
        ],
        absent: [
          '人民调解协议书',
          '人民调解法第三十一条',
          '人民调解法第二十九条',
          '人民调解法第三十三条',
          '人民调解员（签名）',
        ],
      },
    ],
  ];

  it.each(kinds)(
    'when %s makes the agreement, then its title, wording, basis and signature lines are its own',
    async (name, view, { present, absent }) => {
      const text = await textOf(agreementTemplate, view, `agreement-${name.replace(/\W+/g, '-')}`);
      for (const p of present) expect(text, `${name} lacks ${p}`).toContain(flat(p));
      for (const a of absent) expect(text, `${name} should not say ${a}`).not.toContain(flat(a));
    },
  );

  it("when the document is stored, then its title is the kind's own", () => {
    expect(agreementTemplate.title(SAMPLE_AGREEMENTS_BY_KIND.peoples)).toBe('人民调解协议书');
    expect(agreementTemplate.title(SAMPLE_AGREEMENTS_BY_KIND.labour)).toBe('劳动争议调解协议书');
    expect(agreementTemplate.title(SAMPLE_AGREEMENTS_BY_KIND.lawyer)).toBe('调解协议书');
    expect(agreementTemplate.title(SAMPLE_AGREEMENTS_BY_KIND.court_invited)).toBe('调解协议书');
  });

  it('when a court commissioned the mediation after filing (委托), then the agreement goes to that court for its 调解书 and offers no confirmation', async () => {
    const text = await textOf(
      agreementTemplate,
      { ...SAMPLE_AGREEMENTS_BY_KIND.court_invited, path: 'court_post_filing' },
      'agreement-entrusted',
    );
    expect(text).toContain(flat('委托调解法院：揭阳市榕城区人民法院'));
    expect(text).toContain(
      flat('提交人民法院依法出具调解书或者准许撤诉（最高人民法院关于人民法院特邀调解的规定第二十条）'),
    );
    expect(text).not.toContain('申请司法确认');
  });

  it('when an organization is a party, then the agreement names its 法定代表人 or 主要负责人 with their title', async () => {
    const labour = await textOf(agreementTemplate, SAMPLE_AGREEMENTS_BY_KIND.labour, 'agreement-employer');
    expect(labour).toContain(
      flat(
        '被申请人：揭阳市某某制衣有限公司，统一社会信用代码：91445200MA4UXXXX0X，住所：广东省揭阳市榕城区某某工业区8号，法定代表人：陈某某，职务：执行董事兼总经理。',
      ),
    );
    const lawyer = await textOf(agreementTemplate, SAMPLE_AGREEMENTS_BY_KIND.lawyer, 'agreement-firms');
    expect(lawyer).toContain(flat('主要负责人：林某某，职务：经营者'));
    expect(lawyer).toContain(flat('法定代表人：黄某某，职务：董事长'));
  });

  it('when an organization was recorded before representatives were (an old party row), then the agreement leaves a line to fill in by hand', async () => {
    const view = sampleAgreement({
      parties: [
        sampleAgreement().parties[0]!,
        { roleLabel: '被申请人', kind: 'legal', name: '揭阳市某某物业服务有限公司', creditCode: '91445200MA4UXXXX0X' },
      ],
    });
    const text = await textOf(agreementTemplate, view, 'agreement-old-row');
    expect(text).toContain(
      flat(
        '被申请人：揭阳市某某物业服务有限公司，统一社会信用代码：91445200MA4UXXXX0X，法定代表人（主要负责人）：＿＿＿＿＿＿，职务：＿＿＿＿＿＿。',
      ),
    );
    expect(text).toContain(flat('法定代表人（主要负责人）（签名）：'));
  });

  it("when notarization is planned, then the named debtor's commitment to accept enforcement is printed; when it is not, nothing is", async () => {
    const planned = await textOf(agreementTemplate, SAMPLE_AGREEMENTS_BY_KIND.lawyer, 'agreement-notarized');
    expect(planned).toContain(
      flat(
        '债务人揭阳市某某建筑工程有限公司自愿承诺：如不履行或者不适当履行本协议约定的给付义务，愿意接受依法强制执行',
      ),
    );
    expect(planned).toContain('公证法第三十七条');
    const none = await textOf(
      agreementTemplate,
      { ...SAMPLE_AGREEMENTS_BY_KIND.lawyer, notarizationPlanned: false },
      'agreement-not-notarized',
    );
    expect(none).not.toContain('愿意接受依法强制执行');
  });

  it('when a term states its manner, then the agreement prints it with the amount and the date', async () => {
    const text = await textOf(agreementTemplate, SAMPLE_AGREEMENTS_BY_KIND.labour, 'agreement-manner');
    expect(text).toContain(
      flat(
        '（金额：人民币玖仟陆佰元整（¥9,600.00）；履行方式：银行转账至申请人工资卡；履行期限：二〇二六年十二月十日前）',
      ),
    );
  });
});

describe('the other documents that name the parties', () => {
  const employer = SAMPLE_AGREEMENTS_BY_KIND.labour.parties[1]!;
  const worker = SAMPLE_AGREEMENTS_BY_KIND.labour.parties[0]!;

  it('when an organization applies for judicial confirmation, then the application names its representative and has them sign', async () => {
    const view = {
      ...SAMPLE_VIEWS.judicialConfirmationApplication,
      applicants: [worker, { ...employer, roleLabel: '申请人' }],
      mediationKind: 'labour' as const,
    };
    const text = await textOf(judicialConfirmationApplicationTemplate, view, 'jc-employer');
    expect(text).toContain(flat('法定代表人：陈某某，职务：执行董事兼总经理'));
    expect(text).toContain(flat('申请人（签名或盖章）：揭阳市某某制衣有限公司法定代表人（签名）：'));
  });

  it.each([
    ['peoples', '《中华人民共和国民事诉讼法》第二百零五条、《中华人民共和国人民调解法》第三十三条', '律师调解'],
    ['labour', '依据《中华人民共和国民事诉讼法》第二百零五条的规定', '人民调解法'],
    ['lawyer', '《最高人民法院司法部关于开展律师调解试点工作的意见》', '人民调解法'],
    ['court_invited', '第二百零五条第（一）项、《最高人民法院关于人民法院特邀调解的规定》第十九条', '人民调解法'],
  ] as const)(
    'when the agreement was made in %s mediation, then the application rests on that law',
    async (kind, basis, absent) => {
      const text = await textOf(
        judicialConfirmationApplicationTemplate,
        { ...SAMPLE_VIEWS.judicialConfirmationApplication, mediationKind: kind, performance: '银行转账至申请人账户' },
        `jc-${kind}`,
      );
      expect(text).toContain(flat(basis));
      expect(text).not.toContain(absent);
      expect(text).toContain(flat('履行方式、时限：银行转账至申请人账户'));
    },
  );

  it('when an organization is the debtor or a party reported to the court, then the notarization request and the failure report name its representative', async () => {
    const request = await textOf(
      notarizationRequestTemplate,
      { ...SAMPLE_VIEWS.notarizationRequest, creditor: worker, debtor: employer },
      'notary-employer',
    );
    expect(request).toContain(
      flat(
        '申请人（债务人）：揭阳市某某制衣有限公司，统一社会信用代码：91445200MA4UXXXX0X，住所：广东省揭阳市榕城区某某工业区8号，法定代表人：陈某某，职务：执行董事兼总经理。',
      ),
    );
    const report = await textOf(
      failureReportTemplate,
      { ...SAMPLE_VIEWS.failureReport, parties: [worker, employer] },
      'failure-employer',
    );
    expect(report).toContain(flat('法定代表人：陈某某，职务：执行董事兼总经理'));
  });
});

describe('the notices and the file, by kind of mediation', () => {
  it.each([
    [
      'peoples',
      ['根据《中华人民共和国人民调解法》的规定', '人民调解法第二十三条', '人民调解不收取任何费用（人民调解法第四条）'],
      ['特邀调解', '劳动争议调解仲裁法'],
    ],
    [
      'labour',
      [
        '根据《中华人民共和国劳动争议调解仲裁法》的规定',
        '劳动争议仲裁委员会申请仲裁（劳动争议调解仲裁法第五条）',
        '十五日内未达成调解协议的，可以依法申请仲裁（劳动争议调解仲裁法第十四条第三款）',
        '支付令（劳动争议调解仲裁法第十六条）',
      ],
      ['人民调解法', '不收取任何费用'],
    ],
    [
      'lawyer',
      ['关于开展律师调解试点工作的意见》的规定', '具有民事合同性质（民法典第四百六十五条）', '律师调解员（签名）：'],
      ['人民调解法', '不收取任何费用'],
    ],
    [
      'court_invited',
      [
        '根据《最高人民法院关于人民法院特邀调解的规定》的规定',
        '可以申请其回避，由特邀调解组织或者人民法院决定（第十五条）',
        '不得在诉讼程序中作为对其不利的根据',
        '委派调解的期限为三十日',
        '特邀调解员（签名）：',
      ],
      ['人民调解法', '不收取任何费用'],
    ],
  ] as const)(
    'when a party is told their rights in %s mediation, then the notice rests on that law',
    async (kind, present, absent) => {
      const text = await textOf(
        rightsNoticeTemplate,
        { ...SAMPLE_VIEWS.rightsNotice, mediationKind: kind },
        `rights-${kind}`,
      );
      for (const p of present) expect(text, `${kind} lacks ${p}`).toContain(flat(p));
      for (const a of absent) expect(text, `${kind} should not say ${a}`).not.toContain(flat(a));
    },
  );

  it('when a lawyer mediation studio archives its case, then the file is its 调解卷宗 with its lawyer mediator, not a 人民调解卷宗', async () => {
    const text = await textOf(
      archiveSummaryTemplate,
      {
        ...SAMPLE_VIEWS.archiveSummary,
        organizationName: '揭阳市律师调解工作室',
        mediatorName: '曹律师',
        mediationKind: 'lawyer' as const,
      },
      'archive-lawyer',
    );
    expect(text).toContain(flat('调解卷宗'));
    expect(text).toContain(flat('律师调解员：曹律师'));
    expect(text).not.toContain('人民调解卷宗');
    expect(text).not.toContain('人民调解法第二十七条');
  });
});
