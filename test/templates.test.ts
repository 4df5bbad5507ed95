/** Agreement PDFs: the same bytes every time, Chinese text that reads back, embedded subset fonts, paging. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementTemplate, CLAUSE_SETS } from '../templates/agreement.js';
import { SAMPLE_VIEWS, sampleAgreement } from '../templates/fixtures.js';
import { NO_LINE_START } from '../templates/format.js';
import { renderPdf, type Template } from '../templates/render.js';
import { TEMPLATES } from '../templates/catalogue.js';
import { failureReportTemplate, judicialConfirmationApplicationTemplate } from '../templates/court-documents.js';
import {
  archiveSummaryTemplate,
  notarizationRequestTemplate,
  rightsNoticeTemplate,
} from '../templates/party-documents.js';
import { terminationNoticeTemplate } from '../templates/termination-notice.js';
import {
  counterpartyNoticeTemplate,
  legalAidRefusalTemplate,
  notAcceptedNoticeTemplate,
} from '../templates/notices.js';
import { DISPUTE_TYPES } from '../domain/case.js';

const dir = mkdtempSync(path.join(tmpdir(), 'odr-pdf-'));
const ctx = {
  createdAt: '2026-11-25T02:00:00.000Z',
  verificationCode: 'TEST-1234',
  verifyUrl: 'http://localhost:3000/verify/TEST-1234',
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function save(bytes: Buffer, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
/** Text as a court's system would read it (poppler's pdftotext). */
const textOf = (file: string, page?: number) =>
  execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-layout', file, '-'], {
    encoding: 'utf8',
  });
const normalise = (s: string) => s.replace(/\s+/g, '');
/** The running text, without the page footers that fall between the lines of a paragraph. */
const content = (s: string) => normalise(s).replace(/第\d+页共\d+页/g, '');

describe('the mediation agreement', () => {
  it('when the same agreement is rendered twice, then the bytes and the SHA-256 are identical', async () => {
    const a = await renderPdf(agreementTemplate, sampleAgreement(), ctx);
    const b = await renderPdf(agreementTemplate, sampleAgreement(), ctx);
    expect(sha(a)).toBe(sha(b));
    expect(a.equals(b)).toBe(true);
    const other = await renderPdf(agreementTemplate, sampleAgreement(), {
      ...ctx,
      createdAt: '2026-11-26T02:00:00.000Z',
    });
    expect(sha(other)).not.toBe(sha(a));
  });

  it('when the text is read back, then the Chinese content is all there and no line starts with closing punctuation', async () => {
    const view = sampleAgreement();
    const file = save(await renderPdf(agreementTemplate, view, ctx), 'agreement.pdf');
    const text = textOf(file);
    const flat = content(text);
    for (const expected of [
      '人民调解协议书',
      view.caseNumber,
      '申请人：张三',
      '445202190001011239',
      normalise(view.facts),
      '一、被申请人李四于2026年12月31日前',
      '人民币陆仟元整（¥6,000.00）',
      '二〇二六年十二月三十一日前',
      '三、申请人张三放弃',
      '民事诉讼法第二百零五条',
      '人民调解法第二十九条',
      '本协议一式三份',
      '二〇二六年十一月二十五日',
      'TEST-1234',
    ]) {
      expect(flat).toContain(normalise(expected));
    }
    for (const line of text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      expect(NO_LINE_START.includes(line[0]!), `line starts with punctuation: ${line}`).toBe(false);
    }
  });

  it('when fonts are listed, then the Chinese serif is embedded as a subset', async () => {
    const file = save(await renderPdf(agreementTemplate, sampleAgreement(), ctx), 'fonts.pdf');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBe(2);
    for (const f of fonts)
      expect(f).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('when an agreement has 60 terms, then it paginates and every page says 第 X 页 共 Y 页', async () => {
    const terms = Array.from({ length: 60 }, (_, i) => ({
      text: `被申请人于第${i + 1}期向申请人支付分期款项，逾期未付的，申请人有权就剩余全部款项一并主张。`,
      amountFen: 10_000 + i,
    }));
    const file = save(await renderPdf(agreementTemplate, sampleAgreement({ terms }), ctx), 'long.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(3);
    for (let p = 1; p <= pages; p++) expect(normalise(textOf(file, p))).toContain(`第${p}页共${pages}页`);
    const all = content(textOf(file));
    expect(all).toContain('六十、被申请人于第60期');
  });

  it.each(DISPUTE_TYPES)('when the dispute is %s, then its clause set renders', async (disputeType) => {
    const file = save(
      await renderPdf(
        agreementTemplate,
        sampleAgreement({ disputeType, path: disputeType === 'labour' ? 'labour_mediation' : 'peoples_mediation' }),
        ctx,
      ),
      `${disputeType}.pdf`,
    );
    const flat = content(textOf(file));
    for (const n of CLAUSE_SETS[disputeType]!.notices) expect(flat).toContain(normalise(n));
    expect(flat).toContain(normalise(CLAUSE_SETS[disputeType]!.label));
  });

  it("when notarization is planned, then the debtor's enforcement commitment is printed; for a 委托 case the confirmation notice is not", async () => {
    const notarized = content(
      textOf(
        save(await renderPdf(agreementTemplate, sampleAgreement({ notarizationPlanned: true }), ctx), 'notary.pdf'),
      ),
    );
    expect(notarized).toContain('愿意接受依法强制执行');
    const entrusted = content(
      textOf(
        save(await renderPdf(agreementTemplate, sampleAgreement({ path: 'court_post_filing' }), ctx), 'entrusted.pdf'),
      ),
    );
    expect(entrusted).not.toContain('申请司法确认');
    expect(entrusted).toContain('出具调解书');
  });
});

describe('every template', () => {
  const cases: [string, Template<never>, unknown, string[]][] = [
    [
      'termination notice',
      terminationNoticeTemplate as Template<never>,
      SAMPLE_VIEWS.terminationNotice,
      [
        '终止调解告知书',
        '申请人张*、被申请人李*：',
        '因当事人拒绝在调解协议上签章（被申请人李*拒绝在调解协议上签名、盖章或者按指印），依据人民调解法第二十三条第（四）项、第二十六条的规定，调解终止',
        '申请仲裁',
        '行政调解',
        '提起诉讼',
      ],
    ],
    [
      'not-accepted notice',
      notAcceptedNoticeTemplate as Template<never>,
      SAMPLE_VIEWS.notAcceptedNotice,
      [
        '不予受理告知书',
        '申请人张*：',
        '你与被申请人李*之间的借贷纠纷',
        '司法部《人民调解工作若干规定》第二十二条',
        '决定不予受理',
        '已由揭阳市榕城区人民法院立案受理',
        '仲裁委员会申请仲裁',
        '行政调解',
        '向有管辖权的人民法院提起诉讼',
      ],
    ],
    [
      'counterparty notice',
      counterpartyNoticeTemplate as Template<never>,
      SAMPLE_VIEWS.counterpartyNotice,
      [
        '不予调解告知书',
        '未能联系到被申请人李*',
        '人民法院在线调解规则第十五条',
        '联系记录',
        '1.2026年11月20日10时05分，电话，无人应答。',
        '3.2026年11月24日15时00分，上门，无人应答（上门未遇）。',
        '提起诉讼',
      ],
    ],
    [
      'legal-aid refusal',
      legalAidRefusalTemplate as Template<never>,
      SAMPLE_VIEWS.legalAidRefusal,
      [
        '不予法律援助决定书',
        '申请人张*：',
        '二〇二六年十一月十八日',
        '法律援助法》第四十三条',
        '决定不予法律援助',
        '不予法律援助的理由',
        '高于本市经济困难标准',
        '法律援助法第四十九条',
        '揭阳市法律援助处',
      ],
    ],
    [
      'failure report',
      failureReportTemplate as Template<never>,
      SAMPLE_VIEWS.failureReport,
      [
        '调解情况说明',
        '揭阳市榕城区人民法院',
        '榕法委派〔2026〕12号',
        '当事人无争议的事实',
        '导致其他当事人诉讼成本增加的行为',
        '两次无正当理由缺席',
      ],
    ],
    [
      'judicial confirmation application',
      judicialConfirmationApplicationTemplate as Template<never>,
      SAMPLE_VIEWS.judicialConfirmationApplication,
      ['司法确认申请书', '申请人：李四', '二〇二六年十一月二十五日', '第二百零五条', '不存在恶意串通', '此致'],
    ],
    [
      'notarization request',
      notarizationRequestTemplate as Template<never>,
      SAMPLE_VIEWS.notarizationRequest,
      [
        '赋予强制执行效力公证申请书',
        '申请人（债权人）：张三',
        '人民币陆仟元整（¥6,000.00）',
        '愿意接受依法强制执行',
        '减免公证费用',
      ],
    ],
    [
      'rights and duties notice',
      rightsNoticeTemplate as Template<never>,
      SAMPLE_VIEWS.rightsNotice,
      ['当事人权利义务告知书', '选择或者接受人民调解员', '如实陈述纠纷事实', '不收取任何费用'],
    ],
    [
      'archive summary',
      archiveSummaryTemplate as Template<never>,
      SAMPLE_VIEWS.archiveSummary,
      ['人民调解卷宗', '保管期限：长期', '人民调解协议书（必备）：已归档', '回访记录（视情况）：无'],
    ],
  ];

  it.each(cases)(
    'when the %s is rendered, then it is the same bytes twice, reads back, and keeps closing punctuation off line starts',
    async (name, template, view, expected) => {
      const a = await renderPdf(template, view as never, ctx);
      const b = await renderPdf(template, view as never, ctx);
      expect(a.equals(b)).toBe(true);
      const text = textOf(save(a, `${template.id}.pdf`));
      const flat = content(text);
      for (const e of expected) expect(flat, `${name} lacks ${e}`).toContain(normalise(e));
      expect(flat).toContain('TEST-1234');
      for (const line of text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean))
        expect(NO_LINE_START.includes(line[0]!), line).toBe(false);
    },
  );
});

describe('the catalogue of templates', () => {
  it('when every template in the catalogue is rendered at once, as concurrent activities on one documents worker would, then each gives the bytes it gives alone', async () => {
    const jobs = Object.values(TEMPLATES).map((t): [Template<never>, unknown] => [
      t,
      t.id === agreementTemplate.id ? sampleAgreement() : viewFor(t.id),
    ]);
    // Every template the system issues has a sample view here.
    for (const [t, view] of jobs) expect(view, t.id).toBeDefined();
    const together = await Promise.all(jobs.map(([t, v]) => renderPdf(t, v as never, ctx)));
    for (const [i, [t, v]] of jobs.entries())
      expect(together[i]!.equals(await renderPdf(t, v as never, ctx)), t.id).toBe(true);
  });
});

function viewFor(templateId: string): unknown {
  const byId: Record<string, unknown> = {
    [failureReportTemplate.id]: SAMPLE_VIEWS.failureReport,
    [judicialConfirmationApplicationTemplate.id]: SAMPLE_VIEWS.judicialConfirmationApplication,
    [notarizationRequestTemplate.id]: SAMPLE_VIEWS.notarizationRequest,
    [rightsNoticeTemplate.id]: SAMPLE_VIEWS.rightsNotice,
    [archiveSummaryTemplate.id]: SAMPLE_VIEWS.archiveSummary,
    [terminationNoticeTemplate.id]: SAMPLE_VIEWS.terminationNotice,
    [notAcceptedNoticeTemplate.id]: SAMPLE_VIEWS.notAcceptedNotice,
    [counterpartyNoticeTemplate.id]: SAMPLE_VIEWS.counterpartyNotice,
    [legalAidRefusalTemplate.id]: SAMPLE_VIEWS.legalAidRefusal,
  };
  return byId[templateId];
}
