/**
 * For courts and notaries: the report to a delegating court when mediation fails, the joint application for
 * judicial confirmation and the request for a notarization with enforcement (docs/documents.md#court-documents).
 */
import { staffDisplayName } from '../../db/document-sources.js';
import { storedDraftContent } from '../../db/stored-drafts.js';
import type { FailureReport } from '../../domain/case-rules.js';
import { chinaDateOf } from '../../domain/calendar.js';
import { failureReportTemplate, judicialConfirmationApplicationTemplate } from '../../templates/court-documents.js';
import { notarizationRequestTemplate } from '../../templates/party-documents.js';
import { renderedWith, type DocumentDeps, type DocumentSource, type Rendered, type RequestBase } from './source.js';

export type FailureReportRequest = RequestBase & {
  kind: 'failure_report';
  failureReport: FailureReport;
  mediatorId: string;
};

export type SecuringApplicationRequest =
  | (RequestBase & { kind: 'judicial_confirmation_application'; courtName: string; agreementVersion: number })
  | (RequestBase & {
      kind: 'notarization_request';
      notaryName: string;
      creditorPartyId: string;
      debtorPartyId: string;
      agreementVersion: number;
    });

export async function failureReport(
  deps: DocumentDeps,
  s: DocumentSource,
  req: FailureReportRequest,
): Promise<Rendered> {
  const { c } = s;
  const mediatorName = req.mediatorId ? await staffDisplayName(deps.db, req.mediatorId) : undefined;
  const courtInfo = (c.court ?? {}) as { courtCaseNumber?: string; letterNumber?: string };
  const view = {
    caseNumber: c.caseNumber,
    courtName: (await s.delegatingCourt()) ?? '',
    courtCaseNumber: courtInfo.courtCaseNumber ?? null,
    letterNumber: courtInfo.letterNumber ?? null,
    handOff: c.channel === 'court_post_filing' ? ('委托' as const) : ('委派' as const),
    organizationName: s.org?.name ?? '',
    parties: s.principals.map((p) => s.details(p, s.roleOf(p))),
    ...req.failureReport,
    // Nothing recorded in time: the dispute as it was registered follows the statement that says so.
    basicFacts: req.failureReport.withIntakeSummary
      ? `${req.failureReport.basicFacts}${c.summary}`
      : req.failureReport.basicFacts,
    costlyConduct: req.failureReport.costlyConduct ?? null,
    mediatorName: mediatorName ?? '',
    date: s.date,
  };
  return renderedWith(deps, failureReportTemplate, view, s.ctx);
}

/** What makes the agreement enforceable: the application for judicial confirmation, or the request to a notary office. */
export async function securingApplication(
  deps: DocumentDeps,
  s: DocumentSource,
  req: SecuringApplicationRequest,
): Promise<Rendered> {
  const content = await storedDraftContent(deps.db, req.caseId, req.agreementVersion);
  if (!content) throw new Error(`case ${req.caseId} has no agreement version ${req.agreementVersion}`);
  const common = { organizationName: s.org?.name ?? '', agreementCaseNumber: s.c.caseNumber, date: s.date };
  if (req.kind === 'judicial_confirmation_application') {
    const view = {
      ...common,
      courtName: req.courtName,
      // A joint application: every party appears as 申请人 (民事诉讼法 Art 205).
      applicants: s.principals.map((p) => s.details(p, '申请人')),
      agreementEffectiveDate: s.c.agreementEffectiveAt ? chinaDateOf(s.c.agreementEffectiveAt.toISOString()) : s.date,
      mediationKind: s.kind,
      // The facts as the agreement states them (what the court confirms), not the dispute as registered.
      disputeSummary: content.facts,
      mainTerms: content.terms.map((t) => t.text),
      performance: content.performance,
    };
    return renderedWith(deps, judicialConfirmationApplicationTemplate, view, s.ctx);
  }
  const creditor = s.parties.find((p) => p.partyId === req.creditorPartyId);
  const debtor = s.parties.find((p) => p.partyId === req.debtorPartyId);
  if (!creditor || !debtor) throw new Error(`case ${req.caseId}: creditor or debtor not found`);
  const view = {
    ...common,
    notaryOfficeName: req.notaryName,
    creditor: s.details(creditor, '债权人'),
    debtor: s.details(debtor, '债务人'),
    obligations: content.terms.filter((t) => t.amountFen !== undefined || t.dueDate !== undefined),
    // Both parties sign this form: a legal-aid fee reduction is asked for separately, not printed here.
    feeReductionRequested: false,
  };
  return renderedWith(deps, notarizationRequestTemplate, view, s.ctx);
}
