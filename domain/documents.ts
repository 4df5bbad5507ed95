/**
 * The documents the system issues, one row each (docs/documents.md#what-the-system-issues): the title screens
 * list it under, the law that requires it, and who among those handling the case may read it. The access
 * policy (`documentVisible`), the activity that renders each kind (activities/documents/index.ts) and, through the
 * generated vocabulary, the screens read it. Pure data.
 */

export type DocumentReaders =
  /** Everyone who may read the case's documents (its parties, staff and court). */
  | 'case'
  /**
   * Only those who see legal aid in full (the applicant, their guardian or agent, the clerk, the legal-aid
   * officer): it states the applicant's circumstances, never shown to the other side, the mediator or a court.
   */
  | 'legal_aid';

export type DocumentKindProfile = {
  /** Its Chinese title as screens list it (the agreement and the archive file print the title of their kind). */
  title: string;
  /** The law that requires it. */
  basis: string;
  readers: DocumentReaders;
};

export const DOCUMENT_KINDS = {
  rights_notice: { title: '当事人权利义务告知书', basis: '人民调解法第二十三条、第二十四条', readers: 'case' },
  not_accepted_notice: { title: '不予受理告知书', basis: '人民调解法第十七条、第二十六条', readers: 'case' },
  counterparty_notice: { title: '不予调解告知书', basis: '人民法院在线调解规则第十五条', readers: 'case' },
  legal_aid_refusal: { title: '不予法律援助决定书', basis: '法律援助法第四十三条', readers: 'legal_aid' },
  agreement: { title: '调解协议书', basis: '人民调解法第二十九条', readers: 'case' },
  termination_notice: { title: '终止调解告知书', basis: '人民调解法第二十六条', readers: 'case' },
  failure_report: { title: '调解情况说明', basis: '人民法院在线调解规则第二十一条', readers: 'case' },
  judicial_confirmation_application: { title: '司法确认申请书', basis: '民事诉讼法第二百零五条', readers: 'case' },
  notarization_request: { title: '赋予强制执行效力公证申请书', basis: '公证法第三十七条', readers: 'case' },
  archive_summary: { title: '人民调解卷宗', basis: '人民调解法第二十七条', readers: 'case' },
} as const satisfies Record<string, DocumentKindProfile>;

export type DocumentKind = keyof typeof DOCUMENT_KINDS;

export function isDocumentKind(kind: string): kind is DocumentKind {
  return Object.hasOwn(DOCUMENT_KINDS, kind);
}
