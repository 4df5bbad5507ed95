/**
 * What every document is built from: the case's record (personal data decrypted here, in the activity, never in
 * workflow history), with the helpers that print its parties, and a template rendered with its view.
 */
import type { Knex } from 'knex';
import {
  caseForDocuments,
  documentParties,
  institutionName,
  organizationNameAndKind,
  type DocumentParty,
} from '../../db/document-sources.js';
import {
  effectPathOf,
  mediationKindOf,
  type IntakeChannel,
  PARTY_ROLE_LABELS,
  type DisputeType,
  type PartyRole,
} from '../../domain/case.js';
import { maskName } from '../../domain/masking.js';
import { type NoticeParty } from '../../templates/notices.js';
import { PRINCIPAL_ROLES } from '../../domain/case-rules.js';
import { chinaDateOf } from '../../domain/calendar.js';
import { verificationCode, type DocumentStore } from '../../db/documents.js';
import type { FieldCipher } from '../../infra/crypto.js';
import type { Render, Template } from '../../templates/render.js';
import type { PartyLine } from '../../templates/common.js';

/** What every document request carries: the case, the document's version, and the workflow's time. */
export type RequestBase = { caseId: string; docVersion: number; createdAt: string };

export type DocumentDeps = {
  db: Knex;
  cipher: FieldCipher;
  documents: DocumentStore;
  signingKey: Buffer;
  publicBaseUrl: string;
  render: Render;
};

/** A rendered document: its template, its bytes and a title that depends on the view (the agreement's, by kind of mediation). */
export type Rendered = { template: Template<never>; bytes: Buffer; title?: string };

/** A template rendered with its view (the template kept for its id and version). */
export async function renderedWith<V>(
  deps: DocumentDeps,
  template: Template<V>,
  view: V,
  ctx: Parameters<Render>[2],
): Promise<Rendered> {
  return { template: template as Template<never>, bytes: await deps.render(template, view, ctx) };
}

/** The case as every document reads it: its row, organization and parties, with the helpers that print them. */
export type DocumentSource = Awaited<ReturnType<typeof documentSource>>;

export async function documentSource(deps: DocumentDeps, req: RequestBase & { kind: string }) {
  const { db, cipher } = deps;
  const c = await caseForDocuments(db, req.caseId);
  if (!c) throw new Error(`case ${req.caseId} has no record`);
  const org = await organizationNameAndKind(db, c.handlingOrgId ?? c.intakeOrgId ?? 'center');
  const parties = await documentParties(db, req.caseId);
  const open = (sealed: string | null) => (sealed ? cipher.decrypt(sealed) : null);
  const nameOf = (p: DocumentParty) => (p.nameEnc ? cipher.decrypt(p.nameEnc) : p.name);
  const roleOf = (p: DocumentParty) => PARTY_ROLE_LABELS[p.role as PartyRole];
  /** A party's details as documents print them; an organization with its 法定代表人 or 主要负责人 (民事诉讼法 Art 51). */
  const details = (p: DocumentParty, roleLabel: string): PartyLine & { kind: 'natural' | 'legal' } => ({
    roleLabel,
    kind: p.kind === 'legal' ? 'legal' : 'natural',
    name: nameOf(p),
    idNumber: open(p.idNumberEnc),
    creditCode: p.creditCode,
    address: open(p.addressEnc),
    phone: open(p.phoneEnc),
    legalRepresentative: p.legalRepresentative,
  });
  const code = verificationCode(deps.signingKey, req);
  return {
    c,
    org,
    parties,
    principals: parties.filter((p) => PRINCIPAL_ROLES.includes(p.role as PartyRole)),
    open,
    nameOf,
    roleOf,
    details,
    /** A party as a notice names them: role and masked name (被申请人李*), never an internal id; an organization by its registered name. */
    noticeParty: (p: DocumentParty): NoticeParty => ({
      roleLabel: roleOf(p) ?? '当事人',
      maskedName: p.kind === 'legal' ? nameOf(p) : maskName(nameOf(p)),
    }),
    /** Which law the agreement was made under: the case's path and the organization's kind. */
    kind: mediationKindOf(
      effectPathOf({ channel: c.channel as IntakeChannel, disputeType: c.disputeType as DisputeType }),
      org?.kind,
    ),
    delegatingCourt: async () =>
      (c.courtInstitutionId ? await institutionName(db, c.courtInstitutionId) : undefined) ??
      ((c.court ?? {}) as { courtName?: string }).courtName ??
      null,
    ctx: { verificationCode: code, verifyUrl: `${deps.publicBaseUrl}/verify/${code}`, createdAt: req.createdAt },
    date: chinaDateOf(req.createdAt),
  };
}
