/** Every template the system issues, by id (test/templates.test.ts renders each with its sample view). */
import { agreementTemplate } from './agreement.js';
import { failureReportTemplate, judicialConfirmationApplicationTemplate } from './court-documents.js';
import { counterpartyNoticeTemplate, legalAidRefusalTemplate, notAcceptedNoticeTemplate } from './notices.js';
import { archiveSummaryTemplate, notarizationRequestTemplate, rightsNoticeTemplate } from './party-documents.js';
import type { Template } from './render.js';
import { terminationNoticeTemplate } from './termination-notice.js';

export const TEMPLATES: Record<string, Template<never>> = Object.fromEntries(
  [
    agreementTemplate,
    terminationNoticeTemplate,
    failureReportTemplate,
    judicialConfirmationApplicationTemplate,
    rightsNoticeTemplate,
    notarizationRequestTemplate,
    archiveSummaryTemplate,
    notAcceptedNoticeTemplate,
    counterpartyNoticeTemplate,
    legalAidRefusalTemplate,
  ].map((t) => [t.id, t as Template<never>]),
);
