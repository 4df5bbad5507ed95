/** Section functions shared by the official documents: title block, paragraphs, signatures, date. */
import { LEGAL_REPRESENTATIVE_LABELS, type LegalRepresentative } from '../domain/case.js';
import { chineseDate } from './format.js';
import { FONT, PAGE } from './render.js';

export function writer(doc: PDFKit.PDFDocument) {
  const width = doc.page.width - PAGE.margins.left - PAGE.margins.right;
  const body = (text: string, opts: PDFKit.Mixins.TextOptions = {}) =>
    doc
      .font(FONT.regular)
      .fontSize(12)
      .text(text, { width, lineGap: 6, align: 'justify', ...opts });
  return {
    width,
    body,
    para: (text: string) => body(text, { indent: 24 }),
    title(title: string, number?: string) {
      doc.font(FONT.bold).fontSize(22).text(title, { width, align: 'center' });
      doc.moveDown(0.4);
      if (number) body(number, { align: 'right' });
      doc.moveDown(0.8);
    },
    heading(text: string) {
      doc.moveDown(0.6);
      doc.font(FONT.bold).fontSize(12).text(text, { width, lineGap: 6 });
    },
    /** Signature lines, kept together on one page. */
    signatures(lines: string[]) {
      doc.moveDown(1);
      if (doc.y > doc.page.height - PAGE.margins.bottom - lines.length * 32 - 60) doc.addPage();
      for (const l of lines) body(l, { lineGap: 16 });
    },
    sealAndDate(org: string, date: string) {
      doc.moveDown(0.6);
      body(`${org}（印章）`, { align: 'right' });
      body(chineseDate(date), { align: 'right' });
      doc.moveDown(0.8);
    },
  };
}

export type PartyLine = {
  roleLabel: string;
  name: string;
  /** Absent in views built before parties had a kind: then a party is described by what it has. */
  kind?: 'natural' | 'legal' | undefined;
  idNumber?: string | null;
  creditCode?: string | null;
  address?: string | null;
  phone?: string | null;
  /** 法定代表人 or 主要负责人 of an organization (民事诉讼法 Art 51 ¶2). */
  legalRepresentative?: LegalRepresentative | null;
};

/**
 * A party's basic details (人民调解法 Art 29 ¶1(一); docs/documents.md#the-mediation-agreement): an organization with its 住所 and the
 * person who acts for it. An organization recorded without one (older records) gets a line to fill in by
 * hand, so the signed paper is complete.
 */
export function partyLine(p: PartyLine): string {
  const legal = p.kind === 'legal';
  const parts = [`${p.roleLabel}：${p.name}`];
  if (p.idNumber) parts.push(`公民身份号码：${p.idNumber}`);
  if (p.creditCode) parts.push(`统一社会信用代码：${p.creditCode}`);
  if (p.address) parts.push(`${legal ? '住所' : '住址'}：${p.address}`);
  if (legal) parts.push(representativeText(p.legalRepresentative));
  if (p.phone) parts.push(`联系电话：${p.phone}`);
  return parts.join('，') + '。';
}

/** Who acts for an organization: 法定代表人 or 主要负责人, or both named when the record does not say. */
export function representativeLabel(r: LegalRepresentative | null | undefined): string {
  return r ? LEGAL_REPRESENTATIVE_LABELS[r.kind] : '法定代表人（主要负责人）';
}

export function representativeText(r: LegalRepresentative | null | undefined): string {
  return r
    ? `${representativeLabel(r)}：${r.name}，职务：${r.title}`
    : `${representativeLabel(r)}：＿＿＿＿＿＿，职务：＿＿＿＿＿＿`;
}
