/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses as is). One catalogue lists every operation; a test checks it against
 * the routes the app really serves, two linters check the document, and another test sends the edge
 * values it documents to the real server.
 */
import { z } from 'zod';
import { applicationSubmitBody, phoneChallengeBody } from './routes/applications.js';
import { challengeBody, emptyBody, loginBody, recoveryBody, reminderPhoneBody, verifyBody } from './routes/auth.js';
import {
  CASE_ACTION_ROUTES,
  contactBody,
  contactPhoneChallengeBody,
  MATERIAL_MAX_BYTES,
  MATERIAL_MEDIA_TYPES,
  PROCESS_ACTION_ROUTES,
  caseViewQuery,
  intakeSchema,
  judicialConfirmationBody,
  materialQuery,
  notarizationBody,
  personalDataQuery,
} from './schemas.js';
import { ALLOWED_ROLES } from '../domain/case-rules.js';
import { CONFIRMATION_ROLES, NOTARIZATION_ROLES } from '../domain/securing.js';
import { CASE_ACTIONS, CENTER_ACTIONS, INSTITUTION_ROLES, REGISTERING_ROLES } from '../domain/access-policy.js';
import { queueQuery } from './routes/queues.js';
import { messagesQuery, webhookBody } from './routes/integration.js';
import { calendarLoadBody, clockSettingsBody } from './routes/supervision.js';
import { verifyQuery } from './routes/verify.js';
import { RESPONSES, RESPONSE_COMPONENTS } from './responses.js';
import { ROSTER_OPERATIONS } from './roster-operations.js';
import { COMPLAINT_OPERATIONS } from './complaint-operations.js';
import { RATING_OPERATIONS } from './rating-operations.js';
import { STATISTICS_OPERATIONS } from './statistics-operations.js';
import { CREDIT_OPERATIONS } from './credit-operations.js';
import { DIRECTORY_OPERATIONS } from './directory-operations.js';

/** The refusals an operation may answer, each a problem (RFC 9457). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export type Operation = {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style: `/cases/{caseId}`. */
  path: string;
  summary: string;
  tag: string;
  /** none: public; session: a staff or party token, or an institution's API key. */
  auth: 'none' | 'session';
  roles?: readonly string[];
  body?: z.ZodType;
  /** The body is a file, sent as it is, of one of these media types. */
  upload?: { mediaTypes: string[]; maxBytes: number };
  query?: z.ZodType;
  /** The answer on success (a file: the media types it is served as). */
  success?: { status: number; description: string; contentType?: string | readonly string[] };
  idempotent?: boolean;
  /** What it does, for whom, and what it refuses, in a sentence or two (who may and the refusals are appended). */
  description?: string;
  /** The action goes to the case's running process: 409 in the wrong state, 422 for a rule, 503 when no worker takes it up. */
  asksCase?: boolean;
  /** Refused past a number of attempts: 429 with Retry-After. */
  rateLimited?: boolean;
  /** Why this operation answers a status (beyond the derived ones, or instead of their generic reason). */
  refusals?: Partial<Record<ErrorStatus, string>>;
};

/** The operations a party or staff member takes on a case through its process (the case's workflow). */
const CASE_ACTION_DESCRIPTIONS: Record<string, string> = {
  accept:
    'Accepts a registered dispute (受理): the parties are told their rights and duties, a delegating court learns its case was taken on, and the case waits for a mediator (a one-sided application first asks the other side, 人民调解法 Art 17). Only while REGISTERED; a dispute already before another authority is refused (422).',
  decline:
    'Declines a registered dispute (不予受理) for one of the statutory reasons and issues the 不予受理告知书; the case closes. Only while REGISTERED.',
  contacts:
    'Logs an attempt to reach the other side of a one-sided application (the contact log printed on the 不予调解告知书). Only while PENDING_COUNTERPARTY_CONSENT.',
  'counterparty-consent':
    'The other side agrees to mediation (a party for themselves, or a clerk recording it): the case waits for a mediator. Only while PENDING_COUNTERPARTY_CONSENT.',
  'counterparty-refusal':
    'The other side refuses mediation (人民调解法 Art 17): the case closes with a 不予调解告知书. Only while PENDING_COUNTERPARTY_CONSENT.',
  'close-unreachable':
    'Closes a one-sided application whose other side could not be reached within the contact period, with a 不予调解告知书 carrying the contact log. Only while PENDING_COUNTERPARTY_CONSENT.',
  screening:
    'Records the priority groups (优先服务对象) the parties belong to, which order the work queues. Before the agreement is drafted.',
  'legal-aid':
    'Applies for legal aid for a party (法律援助法): the legal-aid office then has its own period to decide. Refused while another application is pending or granted, or when the proof names a file not received for this case.',
  'legal-aid/decision':
    'The legal-aid office grants or refuses legal aid (a refusal issues a 不予法律援助决定书). Only while an application is pending.',
  'legal-aid/staff':
    'The legal-aid office assigns the lawyer or legal worker for granted legal aid. Only once granted and before staff are assigned.',
  mediator:
    'Assigns the mediator: chosen by the parties, designated by the organization, or by rule; the mediator then has a period to accept. Only while PENDING_ASSIGNMENT.',
  'mediator/accept':
    'The assigned mediator accepts the case (declaring any conflict the parties agreed to): mediation begins and its period runs. Only the assigned mediator, while PENDING_MEDIATOR_ACCEPT.',
  'mediator/decline':
    'The assigned mediator declines (人民法院在线调解规则 Art 12): the case is assigned again. Only the assigned mediator, while PENDING_MEDIATOR_ACCEPT.',
  recusal:
    'A party asks for the mediator to step aside (回避, 人民调解法 Art 23): the organization, or for 特邀调解 the court, decides. Refused while another request awaits a decision.',
  'recusal/decision':
    'Decides a request for recusal; granted, the case is assigned again. The organization (a clerk) decides, or the court for the mediators it invited (特邀调解规定 Art 15).',
  sessions:
    'Records a mediation session: when, where, how and what was said. Only the assigned mediator, while IN_MEDIATION.',
  suspension:
    'Suspends mediation for an appraisal or a check for a sham dispute; the mediation period pauses. Only while IN_MEDIATION.',
  resumption: 'Resumes suspended mediation; the mediation period runs again. Only while SUSPENDED.',
  'extension-consents':
    'A party consents to extending the mediation period by a number of days; once every party has, the period is extended and recounted. While IN_MEDIATION or SUSPENDED.',
  termination:
    "Ends mediation without an agreement (调解终止) with the reason, and for a court's case the failure report (在线调解规则 Art 21); issues the 终止调解告知书.",
  facts:
    "Records the basic and undisputed facts for a court's failure report (在线调解规则 Art 21), during mediation or when the report waits for them. Only in a case a court delegated.",
  'agreement/drafts':
    'Saves a new version of the written agreement (人民调解协议书): facts, terms with amounts, dates and manner of performance. Each draft starts a new round of signatures; amounts need a due date and manner (人民调解法 Art 29).',
  'agreement/circulation':
    'Sends the latest draft for signature and renders the agreement PDF. Only the assigned mediator, while AGREEMENT_DRAFTING.',
  'agreement/signatures':
    'Records one signature on the circulated draft (a party for themselves, the mediator, or the organization seal by a clerk); the last one makes the agreement effective. Refused for a draft version that is not the current one, or a signature already recorded.',
  'agreement/refusals':
    'A party refuses to sign: mediation ends (在线调解规则 Art 25 (7)). Only while PENDING_SIGNATURE.',
  'agreement/oral':
    "Records an oral agreement, effective the day it is reached (人民调解法 Arts 28, 30). Refused (422) for a court's case or a labour dispute, which need a written agreement.",
  remediation:
    'Resumes mediation after a court rejected the application for judicial confirmation (民事诉讼法 Art 206). Only then, and not while a notarization of the old agreement is under way.',
  payments:
    'Confirms that an instalment of the agreement was paid (by the party who receives it, or staff recording it); the last one marks the agreement performed.',
  'follow-ups':
    'Records a follow-up on the performance of the agreement (人民调解法 Art 31). After the agreement took effect.',
  archive:
    'Closes and archives the case (结案归档) with its archive summary. Refused while a court or notary has not concluded, or while instalments are still to be paid.',
  'judicial-confirmation':
    'Applies for judicial confirmation of the effective agreement at the venue court (民事诉讼法 Art 205): the delegating court, or a basic court named by its code. Refused while an application is under way or the agreement is already confirmed.',
  notarization:
    'Asks a notary office the center knows for notarization with enforcement effect (公证法 Art 37), naming the creditor and the debtor. Refused while a notarization is under way or the agreement is already notarized, and (422) for an oral agreement or one without a date of performance.',
  'judicial-confirmation/signatures':
    'A party signs the joint application for judicial confirmation (a party for themselves, or a clerk recording a wet-ink signature).',
  'judicial-confirmation/acceptance':
    'The court accepts the application (立案) under its case number; its review period runs. Only the court the application was sent to.',
  'judicial-confirmation/non-acceptance':
    'The court does not accept the application, on a statutory ground. Only the court the application was sent to.',
  'judicial-confirmation/corrections':
    'The court asks for corrections within a number of days; its review period pauses. Only the court the application was sent to.',
  'judicial-confirmation/corrections/submission':
    'The parties (or a clerk for them) submit the corrections the court asked for; the review period runs again.',
  'judicial-confirmation/extension':
    'The court extends its review period, with the approval of its president, once, by up to 10 days (2011 司法确认规定 Art 5).',
  'judicial-confirmation/ruling':
    'The court rules: confirmed, or rejected on a ground (then the parties may mediate again or sue). Only the court the application was sent to.',
  'judicial-confirmation/dispute': 'The court finds the parties in dispute during review: the application ends.',
  'judicial-confirmation/withdrawal':
    'A party (or a clerk for them) withdraws the application for judicial confirmation.',
  'notarization/signatures':
    'A party signs the application for notarization (a party for themselves, or a clerk recording a wet-ink signature).',
  'notarization/acceptance':
    'The notary office accepts the application; its 15 working days run (公证法 Art 30). Only the notary office it was sent to.',
  'notarization/supplements': 'The notary office asks for supplementary material; its period pauses.',
  'notarization/supplements/submission':
    'The parties (or a clerk for them) submit the supplementary material; the period runs again.',
  'notarization/period-pause':
    'The notary office pauses its period to verify facts, or for force majeure (公证法 Art 30).',
  'notarization/period-resumption': 'The notary office resumes its paused period.',
  'notarization/certificate':
    'The notary office issues the notarial certificate with enforcement effect, by its number.',
  'notarization/refusal': 'The notary office refuses notarization, on a statutory ground.',
  'notarization/withdrawal': 'A party (or a clerk for them) withdraws the application for notarization.',
};

/** An action on a case, taken by its process (`type` is the command it sends). */
function caseAction(path: string, type: string, body: z.ZodType): Operation {
  return {
    method: 'post',
    path: `/cases/{caseId}/${path}`,
    summary: type.replace(/_/g, ' '),
    tag: 'case actions',
    auth: 'session',
    roles: ALLOWED_ROLES[type as keyof typeof ALLOWED_ROLES],
    body,
    idempotent: true,
    asksCase: true,
    ...(CASE_ACTION_DESCRIPTIONS[path] ? { description: CASE_ACTION_DESCRIPTIONS[path] } : {}),
  };
}

/** A step of a judicial confirmation or a notarization, taken by the case's process for that process. */
function processAction(
  path: string,
  spec: (typeof PROCESS_ACTION_ROUTES)[keyof typeof PROCESS_ACTION_ROUTES],
): Operation {
  const confirmation = spec.process === 'judicial_confirmation';
  return {
    ...caseAction(path, spec.type, spec.body as z.ZodType),
    tag: confirmation ? 'judicial confirmation' : 'notarization',
    roles: confirmation
      ? CONFIRMATION_ROLES[spec.type as keyof typeof CONFIRMATION_ROLES]
      : NOTARIZATION_ROLES[spec.type as keyof typeof NOTARIZATION_ROLES],
    refusals: {
      403: `the role may not do this, or the ${confirmation ? 'application was sent to another court' : 'notarization was sent to another notary office'}`,
      409: `the Idempotency-Key was used with another body or is still in progress; there is no ${confirmation ? 'application' : 'notarization'} on this case, it has concluded, it is not in a state that allows this, or the case is closed`,
    },
  };
}

const institutions = INSTITUTION_ROLES;
const onlyInstitutions =
  'only a court or notary office (its API key, or a court clerk or notary logged in) integrates its system';

/** Every operation the API serves. */
export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/',
    summary: 'entry points',
    tag: 'meta',
    auth: 'none',
    description: 'Links to the login routes, the cases, this document and its browsable page.',
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'liveness',
    tag: 'operations',
    auth: 'none',
    description: 'Answers while the process runs, without asking PostgreSQL or Temporal (for a liveness probe).',
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'readiness: PostgreSQL and Temporal',
    tag: 'operations',
    auth: 'none',
    description:
      'Whether PostgreSQL and Temporal both answer within 2 s, and the process is not stopping (for a load balancer or a readiness probe): 200 when ready, 503 with the same body when not.',
    success: { status: 200, description: 'ready (503 when a dependency is down)' },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'this document',
    tag: 'meta',
    auth: 'none',
    description:
      'This OpenAPI 3.1 document, generated from the schemas the routes parse with; /docs/ browses it offline.',
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (route patterns, never personal data)',
    tag: 'operations',
    auth: 'none',
    description:
      "The API's Prometheus metrics: requests and latency by route pattern, and process metrics; never a URL, a body or a name. When the server has a scrape token (METRICS_TOKEN) it needs `Authorization: Bearer <token>`.",
    success: { status: 200, description: 'Prometheus text format', contentType: 'text/plain' },
  },
  {
    method: 'post',
    path: '/auth/login',
    summary: 'staff login (username and password)',
    tag: 'identity',
    auth: 'none',
    body: loginBody,
    description:
      'A staff member (clerk, mediator, supervisor, legal-aid officer, court clerk, notary) logs in with username and password and receives a session token (30 minutes by default). Every failure is recorded.',
    rateLimited: true,
    refusals: {
      401: 'the username or password is wrong, or the account is inactive',
      403: 'a court or notary account that is not linked to its institution',
      429: 'five wrong passwords for this username within 15 minutes, from any address (then the right one waits too), or a wrong one from an address that gave a hundred wrong ones within 15 minutes (a right one from there still logs in): try again after Retry-After',
    },
    success: { status: 201, description: 'a session token' },
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'end this session',
    tag: 'identity',
    auth: 'session',
    body: emptyBody,
    description: 'Ends the session whose token is sent: the token stops working at once.',
    refusals: {
      400: 'a body with any field, or an API key instead of a session (an API key is revoked, not logged out)',
    },
    success: { status: 204, description: 'logged out' },
  },
  {
    method: 'get',
    path: '/auth/me',
    summary: 'who am I',
    tag: 'identity',
    auth: 'session',
    description:
      'The principal this token or API key stands for: role, organization or institution, and for a party the case.',
  },
  {
    method: 'put',
    path: '/auth/me/reminder-phone',
    summary: 'a mediator or clerk gives (or withdraws, with null) a phone for reminder texts',
    tag: 'identity',
    auth: 'session',
    roles: CENTER_ACTIONS.setReminderPhone,
    body: reminderPhoneBody,
    description:
      "A mediator or clerk gives a mainland mobile number for reminder texts (each clock's reminder on their cases then reaches them by SMS), or null to stop them. Kept encrypted; answered masked.",
  },
  {
    method: 'post',
    path: '/auth/party/challenge',
    summary: "a party's access code: a one-time code goes to the phone on record",
    tag: 'identity',
    auth: 'none',
    body: challengeBody,
    description:
      "Step 1 of a party's sign-in: the case access code a clerk issued; a six-digit one-time code goes by SMS to the phone on record for that party (valid 5 minutes by default).",
    rateLimited: true,
    refusals: {
      401: 'the access code is not valid',
      422: 'no phone number is on record for this party (ask the center to add one)',
      429: 'five codes sent to this party within an hour, or a wrong access code from an address that gave twenty wrong ones within 15 minutes (a valid code from there still goes through): try again after Retry-After',
    },
    success: { status: 201, description: 'the challenge' },
  },
  {
    method: 'post',
    path: '/auth/party/verify',
    summary: "a party's one-time code: a session",
    tag: 'identity',
    auth: 'none',
    body: verifyBody,
    description:
      "Step 2 of a party's sign-in: the one-time code from the SMS, once, before it expires; answers a party session token (15 minutes by default).",
    refusals: {
      401: 'the code is wrong, expired, already used, or was guessed wrong five times (then ask for a new one)',
    },
    success: { status: 201, description: 'a session token' },
  },
  {
    method: 'post',
    path: '/auth/party/recovery',
    summary: "a party's lost access code: a new one by SMS to the phone on record",
    tag: 'identity',
    auth: 'none',
    body: recoveryBody,
    description:
      'A party who lost the access code sends the case number, their ID number and the phone on record. When the three match a party of that case, a new access code replaces the old one (which stops working at once, as do sessions opened with it) and goes by SMS to the phone on record, never in this answer. The answer is the same whether or not anything matched, so it tells no one which cases exist or who is a party (个人信息保护法 Art 51). Every attempt is recorded.',
    rateLimited: true,
    refusals: {
      429: 'five attempts for this case and ID number within an hour, from any address: try again after Retry-After',
    },
    success: { status: 202, description: 'the same answer whether or not the details matched (a match sends the SMS)' },
  },
  {
    method: 'post',
    path: '/auth/api-keys/rotate',
    summary: "a court's or notary office's new API key (the old one stops working)",
    tag: 'identity',
    auth: 'session',
    roles: institutions,
    body: emptyBody,
    description:
      'A court or notary office calling with its API key replaces it: the new key is shown once, and the key it called with stops working at once.',
    refusals: {
      403: 'anyone but an institution calling with its API key (a court clerk or notary logged in with a password cannot rotate it)',
    },
    success: { status: 201, description: 'the new key, shown once' },
  },
  {
    method: 'post',
    path: '/applications/phone-challenge',
    summary: 'a party applying online proves the phone',
    tag: 'intake',
    auth: 'none',
    body: phoneChallengeBody,
    description:
      'Step 1 of an online application by a party without an account (当事人在线申请): a six-digit one-time code goes by SMS to the phone given.',
    rateLimited: true,
    refusals: {
      429: 'five codes to this phone within an hour: try again after Retry-After',
    },
    success: { status: 201, description: 'the challenge' },
  },
  {
    method: 'post',
    path: '/applications',
    summary: "a party's own application (the code from the SMS, and the intake)",
    tag: 'intake',
    auth: 'none',
    body: applicationSubmitBody,
    description:
      'Step 2 of an online application: the code from the SMS and the application itself, checked as an intake (the channel is always `online`; the applicant gives the phone that received the code). Registers a one-sided case (the other side is asked first, 人民调解法 Art 17) and answers an access code, shown once and sent by SMS, and a party session for the applicant (the phone was just proven, as at POST /auth/party/verify; a replay leaves out the token).',
    refusals: {
      401: "the code is wrong, expired, already used, guessed wrong five times, or was sent to another phone than the applicant's",
    },
    success: { status: 201, description: "the case, an access code and the applicant's session" },
  },
  {
    method: 'post',
    path: '/cases',
    summary: 'register a dispute (clerk: any channel; court: 委派 or 委托 as itself)',
    tag: 'intake',
    auth: 'session',
    roles: REGISTERING_ROLES,
    body: intakeSchema(() => new Date()),
    idempotent: true,
    description:
      "Registers a dispute (登记): the parties, their representatives and personal data (encrypted), the claim, and for a court's case the court's letter; starts the case's process and its statutory clocks. A clerk registers through any channel, a court only 委派 or 委托 as itself. With an Idempotency-Key a retry names the same case. Answers 202 when the record is still being written.",
    refusals: {
      403: 'a role other than clerk or court, or a court registering through a channel other than its own 委派 or 委托',
      422: 'a court that has switched off 委派 delegating before filing (the problem names the rule and article)',
    },
    success: { status: 201, description: 'the case' },
  },
  {
    method: 'get',
    path: '/cases/{caseId}',
    summary:
      'the case as this principal may see it, from the record (`view` says which state it shows and as of which event; `live=true` asks the running process for at most a second)',
    tag: 'cases',
    auth: 'session',
    query: caseViewQuery,
    description:
      'The case as this principal may see it (personal data masked; screening and legal aid only to those who may see them), from the record; `view` says which state it shows and as of which event. `live=true` asks the running process for at most a second. Any principal who may see the case: the clerks of its organizations, its mediator, the supervisor, its court or notary office, legal aid for an application, and its parties.',
  },
  {
    method: 'get',
    path: '/cases/{caseId}/agreement/drafts',
    summary: "the agreement's versions with their content",
    tag: 'documents',
    auth: 'session',
    roles: CASE_ACTIONS.downloadDocument,
    description:
      "Every version of the agreement the case's chain recorded, with the content it was drafted with and its hash: for revising a draft and comparing two versions. Those who may read the agreement document; to anyone else the agreement is not found.",
    refusals: { 404: 'no such case for this principal, or the agreement is not theirs to read' },
  },
  {
    method: 'get',
    path: '/cases/{caseId}/deadlines',
    summary: 'every deadline with its rule, citation and computation',
    tag: 'cases',
    auth: 'session',
    description:
      "Every statutory deadline of the case this principal may see: due time, the rule and its citation, the calendar version it was counted on (provisional without that year's notice), and how it was computed. Anyone who may see the case.",
  },
  {
    method: 'get',
    path: '/cases/{caseId}/documents',
    summary: "the case's documents, every version",
    tag: 'documents',
    auth: 'session',
    roles: CASE_ACTIONS.downloadDocument,
    description:
      "The case's generated documents (every version), with their hash, verification code and download link; only those this principal may read (legal-aid documents to those who see legal aid). Not the supervisor, who sees every case masked.",
  },
  {
    method: 'get',
    path: '/cases/{caseId}/documents/{documentId}',
    summary: 'download a document (recorded)',
    tag: 'documents',
    auth: 'session',
    roles: CASE_ACTIONS.downloadDocument,
    description:
      'Downloads one document as a PDF (its SHA-256 in ETag and X-Document-SHA256); every download is recorded. A document this principal may not read is answered 404, like one that does not exist.',
    success: { status: 200, description: 'the PDF', contentType: 'application/pdf' },
  },
  {
    method: 'post',
    path: '/cases/{caseId}/parties/contact/phone-challenge',
    summary: 'a party changing the phone on record proves the new one (送达地址确认)',
    tag: 'cases',
    auth: 'session',
    roles: ALLOWED_ROLES.confirm_service_address,
    body: contactPhoneChallengeBody,
    description:
      'A six-digit one-time code goes by SMS to the new phone; give it back with the phone at POST /cases/{caseId}/parties/contact. Only someone who may confirm a service address on this case may ask.',
    rateLimited: true,
    refusals: {
      429: 'five codes to this phone within an hour: try again after Retry-After',
    },
    success: { status: 201, description: 'the challenge' },
  },
  {
    method: 'post',
    path: '/cases/{caseId}/parties/contact',
    summary: '送达地址确认: where documents and texts reach a party (the address, a new phone with its code)',
    tag: 'cases',
    auth: 'session',
    roles: ALLOWED_ROLES.confirm_service_address,
    body: contactBody,
    idempotent: true,
    asksCase: true,
    description:
      "A party confirms or changes the address where documents are served and the phone texts go to (人民法院在线调解规则 Art 17: 送达地址确认书); a party leaves out partyId to mean themselves (a guardian or agent, the party they act for), a clerk recording a signed form names the party. A new phone counts only with the code sent to it (POST …/parties/contact/phone-challenge); an empty body confirms the details on record as they are. The case's chain records the confirmation and which details changed, never the details; the record keeps them sealed, and texts and documents use them from now on. Until the case is closed.",
    refusals: { 400: 'a phone without its code, or the code is wrong or expired (named in `errors`)' },
    success: { status: 200, description: 'the details as now on record (masked) and what changed' },
  },
  {
    method: 'post',
    path: '/cases/{caseId}/materials',
    summary:
      "a file for the case (the court's 委派/委托 file, evidence), sent as it is; kept once per content and recorded by hash in the case's chain",
    tag: 'documents',
    auth: 'session',
    roles: ALLOWED_ROLES.record_material,
    query: materialQuery,
    upload: { mediaTypes: Object.keys(MATERIAL_MEDIA_TYPES), maxBytes: MATERIAL_MAX_BYTES },
    idempotent: true,
    asksCase: true,
    description:
      "A file for the case, the body as it is (PDF, JPEG or PNG, recognised by its first bytes too, at most 20 MiB): the delegating court's 委派/委托 file, or what a party handed in. Kept once per case and content (the same file again answers 200) and recorded by its SHA-256 in the case's chain. Until the case is closed.",
    refusals: { 400: 'the query is not valid, the body is empty, or its bytes are not what its Content-Type says' },
    success: { status: 201, description: 'the material (200 when this file was already received)' },
  },
  {
    method: 'get',
    path: '/cases/{caseId}/deliveries',
    summary: "the case's texts and court or notary notifications, with every delivery attempt",
    tag: 'cases',
    auth: 'session',
    roles: CASE_ACTIONS.readDeliveries,
    description:
      "Every text (SMS) the case sent and every message for a court or notary office, newest first: to whom (phones masked; never a text's body), when, where its delivery stands, and each attempt with its outcome and error. The staff who handle the case and the supervisor.",
  },
  {
    method: 'get',
    path: '/cases/{caseId}/materials',
    summary: 'the files received for the case',
    tag: 'documents',
    auth: 'session',
    roles: CASE_ACTIONS.readMaterials,
    description:
      'The files received for the case: kind, title, media type, hash, size, who handed it in and when, and the download link. Those handling the case and its court see every file; a party only the files they uploaded themselves, since the others name third parties.',
  },
  {
    method: 'get',
    path: '/cases/{caseId}/materials/{materialId}',
    summary: 'download a file received for the case (recorded)',
    tag: 'documents',
    auth: 'session',
    roles: CASE_ACTIONS.readMaterials,
    description:
      'Downloads a file received for the case, as it was received and with the media type it was received as (its SHA-256 in ETag); the bytes are checked against the hash, and every download is recorded. A party downloads only what they uploaded (any other is 404).',
    success: {
      status: 200,
      description: 'the file as it was received, with its media type',
      contentType: Object.keys(MATERIAL_MEDIA_TYPES),
    },
  },
  {
    method: 'get',
    path: '/cases/{caseId}/parties/{partyId}/personal-data',
    summary: "a party's full personal data, with the reason for reading it (every field read is recorded with it)",
    tag: 'cases',
    auth: 'session',
    roles: CASE_ACTIONS.revealPersonalData,
    query: personalDataQuery,
    description:
      "A party's full, unmasked personal data (ID number, phone, address) for those who must contact or identify them, with the reason it is read (`reason`, such as 送达文书 or 联系当事人); every field read is recorded with that reason (个人信息保护法 Art 6). A party reads their own, and what they act for. The case view's `mayRevealPersonalData` says, per party, whether this principal may.",
    refusals: {
      400: 'the reason is missing, empty or longer than 200 characters (named in `errors`), or the path is not valid',
      403: "this principal may see the case but not this party's full personal data",
    },
  },
  {
    method: 'post',
    path: '/cases/{caseId}/parties/{partyId}/access-code',
    summary: 'a new access code for a party, shown once and sent by SMS',
    tag: 'identity',
    auth: 'session',
    roles: CASE_ACTIONS.issueAccessCode,
    body: emptyBody,
    idempotent: true,
    description:
      'A clerk issues a new access code for a party (printed on the intake receipt, and sent by SMS when a phone is on record); the previous code stops working. Shown once: a replay with the same Idempotency-Key answers without it.',
    success: { status: 201, description: 'the code' },
  },
  ...Object.entries(CASE_ACTION_ROUTES).map(([path, spec]) => caseAction(path, spec.type, spec.body as z.ZodType)),
  {
    ...caseAction('judicial-confirmation', 'apply_judicial_confirmation', judicialConfirmationBody),
    summary: 'apply for judicial confirmation at the venue court (民事诉讼法 Art 205)',
    refusals: {
      400: 'the body is not valid, the case was not delegated by a court (venueGround delegating_court), or courtCode is not a basic court the center knows',
    },
  },
  {
    ...caseAction('notarization', 'request_notarization', notarizationBody),
    summary: 'ask a notary office for notarization with enforcement effect (公证法 Art 37)',
    refusals: { 400: 'the body is not valid, or notaryId is not a notary office the center knows' },
  },
  ...Object.entries(PROCESS_ACTION_ROUTES).map(([path, spec]) => processAction(path, spec)),
  {
    method: 'put',
    path: '/integration/webhook',
    summary: "register the court's or notary's webhook; answers the signing secret once",
    tag: 'integration',
    auth: 'session',
    roles: institutions,
    body: webhookBody,
    description:
      "Registers (or replaces) the URL a court's or notary office's system receives notifications at, and answers a new signing secret, shown once; messages that waited for a webhook, or failed before, are delivered again.",
    refusals: {
      400: 'the URL is not a valid http(s) URL, or points at a host that cannot be used for notifications (private, loopback, or not resolving)',
      403: onlyInstitutions,
    },
  },
  {
    method: 'get',
    path: '/integration/webhook',
    summary: 'the registered webhook',
    tag: 'integration',
    auth: 'session',
    roles: institutions,
    description: 'The webhook this court or notary office registered, without its secret.',
    refusals: { 403: onlyInstitutions, 404: 'no webhook is registered' },
  },
  {
    method: 'get',
    path: '/integration/messages',
    summary: 'poll the messages for this institution (deduplicate by deliveryId)',
    tag: 'integration',
    auth: 'session',
    roles: institutions,
    query: messagesQuery,
    description:
      'Every message for this court or notary office after a message id, oldest first: polling instead of, or besides, the webhook. Deduplicate by deliveryId.',
    refusals: { 403: onlyInstitutions },
  },
  {
    method: 'get',
    path: '/integration/deliveries/{deliveryId}/attempts',
    summary: 'every attempt to deliver one message to the webhook',
    tag: 'integration',
    auth: 'session',
    roles: institutions,
    description:
      "Every attempt to deliver one of this institution's messages to its webhook: when, the outcome, the HTTP status and the error.",
    refusals: { 403: onlyInstitutions, 404: 'no delivery with this id for this institution' },
  },
  {
    method: 'get',
    path: '/queues/cases',
    summary: 'the work queue: the cases this principal may see, filtered, by next deadline, with a cursor',
    tag: 'queues',
    auth: 'session',
    roles: CENTER_ACTIONS.readQueue,
    query: queueQuery,
    description:
      "The work queue of whoever asks (a clerk's organization, a mediator's cases, a court's, a notary's, legal aid's, or every case for the supervisor), from the record, by next deadline (in staff queues priority groups first), filtered, with a cursor. Every staff role and institution; not a party.",
    refusals: {
      400: 'a query field is not valid (an empty `status=` is refused), the cursor is not one this API gave out, or `courtScope` from anyone but a court',
      403: 'a party, or a court or notary filtering by priority group or legal aid',
    },
  },
  {
    method: 'get',
    path: '/queues/cases/counts',
    summary: "the work queue's counters: 待受理, 待分派, 待调解员确认, 临期 (within 3 working days), 超期",
    tag: 'queues',
    auth: 'session',
    roles: CENTER_ACTIONS.readQueue,
    description:
      "The counters of the same cases GET /queues/cases lists for this principal, counted by the database: registered (待受理), awaiting a mediator (待分派), awaiting the mediator's acceptance (待调解员确认), the next deadline ending within 3 working days on the holiday calendar and not passed (临期; the queue's dueWithinWorkingDays=3&overdue=false), and passed (超期; overdue=true).",
    refusals: { 403: 'a party, who follows their own case' },
  },
  {
    method: 'get',
    path: '/queues/failed-deliveries',
    summary: 'texts and court or notary notifications that could not be delivered (投递失败), oldest first',
    tag: 'queues',
    auth: 'session',
    roles: CENTER_ACTIONS.readFailedDeliveries,
    description:
      "Texts (SMS) and court or notary notifications that could not be delivered, across the cases this principal follows up (a clerk: those taken in or handled by their organization; the supervisor: every case), the oldest first, at most 500 (`more` says there are others): refused by the SMS gateway, or every attempt so far failed. Each with its case, recipient (the party's name and phone masked, or the institution), the number of attempts and the last one with its error. Never a text's body, which may hold an access code. A case's own GET /cases/{caseId}/deliveries shows every attempt.",
    refusals: { 403: 'a role that does not follow up deliveries (a mediator, legal aid, a court or notary, a party)' },
  },
  {
    method: 'get',
    path: '/supervision/calendar',
    summary:
      'the holiday calendar deadlines are counted with: version, published years, the years ahead counted provisionally',
    tag: 'supervision',
    auth: 'session',
    roles: CENTER_ACTIONS.readCalendar,
    description:
      'The holiday calendar deadlines are counted with: its version, the years whose State Council notice is loaded, and the years ahead counted provisionally.',
  },
  {
    method: 'post',
    path: '/supervision/calendar',
    summary:
      "load a year's State Council holiday notice; running clocks counted on another version are recounted (DeadlineRecomputed)",
    tag: 'supervision',
    auth: 'session',
    roles: CENTER_ACTIONS.loadCalendar,
    body: calendarLoadBody,
    idempotent: true,
    description:
      "The supervisor loads a year's State Council holiday notice (whole years, every statutory holiday a rest day, make-up days on weekends): stored under a new calendar version, and every running clock counted on another version is recounted by its case (DeadlineRecomputed). The same notice again answers 200.",
    refusals: {
      409: 'the Idempotency-Key was used with another body or is still in progress; a year of the notice is already loaded with other dates (send `replace: true` to correct it); or another calendar was loaded at the same moment',
    },
    success: {
      status: 201,
      description: 'the new calendar version and how many cases were told to recount (200 when nothing changed)',
    },
  },
  {
    method: 'get',
    path: '/supervision/organizations/{orgId}/clock-settings',
    summary: "an organization's own length of people's mediation and reminder lead time, with the defaults",
    tag: 'supervision',
    auth: 'session',
    roles: CENTER_ACTIONS.readClockSettings,
    description:
      "An organization's own length of people's mediation (days) and reminder lead time (working days), with the defaults. The supervisor, or a clerk of that organization.",
    refusals: {
      403: 'a role other than supervisor or clerk, or a clerk of another organization',
      404: 'no organization with this id',
    },
  },
  {
    method: 'put',
    path: '/supervision/organizations/{orgId}/clock-settings',
    summary:
      "set an organization's length of people's mediation (days) and reminder lead time (working days); null restores the default",
    tag: 'supervision',
    auth: 'session',
    roles: CENTER_ACTIONS.setClockSettings,
    body: clockSettingsBody,
    description:
      "The supervisor sets an organization's length of people's mediation (1-90 days; 司法部《人民调解工作若干规定》 Art 33 is guidance) and reminder lead time (1-10 working days); null restores the default. Cases already running keep the length they started with.",
    refusals: { 404: 'no organization with this id' },
  },
  {
    method: 'get',
    path: '/supervision/sla-breaches',
    summary: 'deadlines that ran out or are open past due',
    tag: 'supervision',
    auth: 'session',
    roles: CENTER_ACTIONS.readSlaBreaches,
    description:
      "Deadlines that ran out, or are open past their due time, by due time (at most 500): every case for the supervisor, a clerk's organization's cases for a clerk.",
  },
  {
    method: 'get',
    path: '/verify/{code}',
    summary: 'is this document genuine (by its verification code)',
    tag: 'documents',
    auth: 'none',
    description:
      'Whether a document is genuine, by the verification code printed on it (case-insensitive): its case number, title, version, template and hash, without any personal data. A browser that asks for HTML (the QR printed on a document, scanned with a phone) gets the same as a page in Chinese.',
    refusals: { 404: 'no document has this verification code' },
  },
  {
    method: 'get',
    path: '/verify',
    summary: 'is this document genuine (by its SHA-256)',
    tag: 'documents',
    auth: 'none',
    query: verifyQuery,
    description:
      'Whether a file is a genuine document, by the SHA-256 of its bytes: every document with that hash, without any personal data.',
    refusals: { 404: 'no document has this SHA-256' },
  },
  ...ROSTER_OPERATIONS,
  ...COMPLAINT_OPERATIONS,
  ...RATING_OPERATIONS,
  ...STATISTICS_OPERATIONS,
  ...CREDIT_OPERATIONS,
  ...DIRECTORY_OPERATIONS,
];

/** The operations, as a list of one's own (for tests and tools that filter it). */
export function operations(): Operation[] {
  return [...OPERATIONS];
}

/** The tags, in the order a reader meets them. */
const TAGS: Record<string, string> = {
  meta: 'This document and the entry points.',
  operations: 'Liveness, readiness and metrics, for the operator.',
  identity:
    'Sign-in (staff by password; parties by access code and a one-time code by SMS), sessions, API keys and access codes.',
  intake: 'Registering disputes: by a clerk or a court, or by a party applying online.',
  cases: 'A case as its reader may see it: its state, deadlines and personal data.',
  documents: 'Generated documents (PDF), files received for a case, and the public check that a document is genuine.',
  'case actions':
    "Actions on a case, each taken by the case's process, which checks the state (409) and the rules (422, naming the rule and its article).",
  'judicial confirmation':
    'The steps of an application for judicial confirmation (民事诉讼法 Art 205): the court, the parties and the clerk.',
  notarization:
    'The steps of a notarization with enforcement effect (公证法 Art 37): the notary office, the parties and the clerk.',
  integration: "A court's or notary office's system: its webhook, the messages it polls, and each delivery's attempts.",
  queues: "Work queues: the cases each principal may see, by next deadline, and each person's saved queue filters.",
  roster:
    'The mediation organizations, mediators, courts, notary offices and legal-aid offices, as each principal may see them.',
  supervision:
    "The justice bureau's supervision and the center's settings: SLA breaches, the holiday calendar, organizations' clock settings.",
  statistics:
    "The supervision's figures (seed Art 15): every metric over a period and grouped, each in its scope, as JSON, CSV or XLSX.",
  credit:
    'Credit files (诚信档案, seed Art 57): one append-only, hash-chained file per mediator and per organization, each entry with its authority, date, document and disclosure window.',
  directory:
    'The public directory (seed Art 21), with no login: organizations and mediators with their level and the sanctions inside their disclosure window; legal-aid and notary offices and courts with addresses and hours.',
};

/** The same rule as idempotency.ts, which refuses any other key with a 400. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Ids the API gives out (case, document, material, party): the routes compare them as lowercase UUIDs. */
const LOWERCASE_UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const idOfCase = (what: string) => ({
  description: `${what} (a lowercase UUID, as the API gives it out)`,
  schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36, pattern: LOWERCASE_UUID },
});

/** Path parameters by name; another name is documented as a string of at most 100 characters. */
const PATH_PARAMETERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  caseId: idOfCase('the case'),
  documentId: idOfCase('a document of the case'),
  materialId: idOfCase('a file received for the case'),
  partyId: idOfCase('a party of the case, or a guardian or agent acting for one'),
  deliveryId: {
    description: 'the deliveryId of a message',
    schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 },
  },
  filterId: {
    description: 'a saved queue filter of mine',
    schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 },
  },
  orgId: {
    description: 'an organization, by its id (such as rongcheng-pmc)',
    schema: { type: 'string', minLength: 1, maxLength: 60 },
  },
  code: {
    description: 'the verification code printed on the document (case-insensitive)',
    schema: { type: 'string', minLength: 11, maxLength: 11, pattern: '^[0-9A-Za-z]{5}-[0-9A-Za-z]{5}$' },
  },
};

const retryAfter = (required: boolean) => ({
  description: 'seconds to wait before retrying',
  required,
  schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 },
});

/** One problem response per status, referenced by every operation that answers it. */
const ERROR_RESPONSES: Record<
  ErrorStatus | 'action503' | 'default',
  { name: string; description: string; headers?: Record<string, unknown> }
> = {
  400: {
    name: 'BadRequest',
    description:
      'The request is not valid: each bad field (of the body, query, path or a header) is named in `errors` (/problems/validation-error, /problems/malformed-json, /problems/bad-request).',
  },
  401: {
    name: 'Unauthorized',
    description:
      'Authentication is required, or the credentials, code or password sent are not valid (/problems/unauthenticated).',
    headers: {
      'WWW-Authenticate': { description: 'the schemes this API takes', schema: { type: 'string', maxLength: 100 } },
    },
  },
  403: {
    name: 'Forbidden',
    description: 'Visible, but this principal may not take this action (/problems/forbidden).',
  },
  404: {
    name: 'NotFound',
    description:
      'Not found, or not visible to this principal: a case someone may not see is answered exactly like one that does not exist (/problems/not-found).',
  },
  409: {
    name: 'Conflict',
    description:
      'The request conflicts with the current state: the Idempotency-Key was used with another body (/problems/idempotency-key-reused) or its first request is still running (/problems/idempotency-key-in-progress); for an action on a case, the case is not in a state that allows it (/problems/wrong-state) or is closed (/problems/case-closed).',
  },
  413: {
    name: 'PayloadTooLarge',
    description:
      'The body is larger than the route takes: 1 MB of JSON, 20 MiB for a file (/problems/payload-too-large).',
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is not of a media type this route takes (/problems/unsupported-media-type).',
  },
  422: {
    name: 'UnprocessableContent',
    description:
      'A rule forbids the action: `rule` names it and `article` the article it rests on (/problems/rule-violation).',
  },
  429: {
    name: 'TooManyRequests',
    description:
      'Too many attempts (/problems/too-many-attempts): try again after Retry-After seconds (also in `retryAfterSeconds`).',
    headers: { 'Retry-After': retryAfter(true) },
  },
  503: {
    name: 'ServiceUnavailable',
    description:
      'PostgreSQL or Temporal is unavailable for a moment (/problems/unavailable): retry after Retry-After seconds, with the same Idempotency-Key.',
    headers: { 'Retry-After': retryAfter(false) },
  },
  action503: {
    name: 'ActionUnavailable',
    description:
      'PostgreSQL or Temporal is unavailable for a moment (/problems/unavailable); or no worker took the action up in time, or the process of the case is still retrying a step a stopped worker left unfinished (/problems/action-not-taken-up): it may still be taken when one returns, so retry after Retry-After seconds with the same Idempotency-Key and the action has exactly one effect; or something the action needed failed (/problems/action-failed): check the case, then retry.',
    headers: { 'Retry-After': retryAfter(false) },
  },
  default: {
    name: 'Unexpected',
    description:
      'Something went wrong on our side (/problems/internal-error): it is logged, and nothing was changed by this request.',
  },
};

/** The refusals an operation can really give, derived from what it takes and does, plus its own. */
export function errorStatuses(op: Operation): ErrorStatus[] {
  const s = new Set<ErrorStatus>();
  const pathParams = op.path.includes('{');
  // Anything sent can be wrong; every POST reads an Idempotency-Key; a path can be badly encoded.
  const takesInput = Boolean(op.body || op.upload || op.query || pathParams || op.method === 'post');
  // A bearer token and an API key at once is a 400 naming both headers (api/auth.ts), whatever else is sent.
  if (takesInput || op.auth === 'session') s.add(400);
  if (op.auth === 'session') s.add(401);
  if (op.roles) s.add(403);
  if (pathParams) s.add(404);
  if (op.method === 'post' || op.asksCase) s.add(409);
  if (op.body || op.upload) s.add(413);
  if (op.upload) s.add(415);
  if (op.asksCase) s.add(422);
  if (op.rateLimited) s.add(429);
  // Credentials, idempotency keys and whatever the request names are looked up in PostgreSQL.
  if (op.auth === 'session' || takesInput) s.add(503);
  for (const k of Object.keys(op.refusals ?? {})) s.add(Number(k) as ErrorStatus);
  return [...s].sort((a, b) => a - b);
}

function refusalReason(op: Operation, status: ErrorStatus): string {
  const own = op.refusals?.[status];
  if (own) return own;
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  switch (status) {
    case 400: {
      const parts = [
        op.body ? 'the body' : undefined,
        op.upload ? 'the file' : undefined,
        op.query ? 'the query' : undefined,
        names.length ? 'the path' : undefined,
        op.method === 'post' ? 'the Idempotency-Key' : undefined,
      ].filter(Boolean);
      const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}` : parts[0];
      const bad = listed ? `${listed} is not valid (each bad field is named in \`errors\`)` : undefined;
      const both = op.auth === 'session' ? 'both a bearer token and an API key were sent' : undefined;
      return [bad, both].filter(Boolean).join('; or ');
    }
    case 401:
      return 'no valid token or API key';
    case 403:
      return op.asksCase
        ? 'this role may not do this, or not on this case (not the assigned mediator, not their own party)'
        : 'this role may not do this';
    case 404: {
      const nouns: Record<string, string> = { documentId: 'document', materialId: 'file', partyId: 'party' };
      const others = names.filter((n) => n !== 'caseId').map((n) => nouns[n] ?? n);
      const theCase = 'the case does not exist or this principal may not see it (answered alike)';
      if (names.includes('caseId'))
        return others.length ? `${theCase}, or the case has no such ${others.join(' or ')}` : theCase;
      return 'not found';
    }
    case 409:
      return op.asksCase
        ? 'the Idempotency-Key was used with another body or is still in progress; the case is not in a state that allows this, or it is closed'
        : 'the Idempotency-Key was used with another body, or its first request is still in progress';
    case 413:
      return op.upload ? `the file is larger than ${op.upload.maxBytes / 2 ** 20} MiB` : 'the body is larger than 1 MB';
    case 415:
      return `the Content-Type is not one of ${(op.upload?.mediaTypes ?? []).join(', ')}`;
    case 422:
      return 'a rule forbids it: the problem names the rule and the article it rests on';
    case 429:
      return 'too many attempts: try again after Retry-After';
    case 503:
      return op.asksCase
        ? 'PostgreSQL or Temporal is unavailable, or no worker took the action up in time (/problems/action-not-taken-up): retry after Retry-After with the same Idempotency-Key'
        : 'PostgreSQL or Temporal is unavailable for a moment: retry after Retry-After';
  }
}

/** What it does, who may, and what it refuses. */
function describeOperation(op: Operation, statuses: ErrorStatus[]): string {
  const what = op.description ?? `${op.summary.charAt(0).toUpperCase()}${op.summary.slice(1)}.`;
  // `system` is the workflow's own actor, never a caller.
  const roles = op.roles?.filter((r) => r !== 'system');
  const who =
    op.auth === 'none'
      ? 'Who may: anyone; no credentials are needed.'
      : roles
        ? `Who may: ${roles.join(', ')}.`
        : "Who may: any signed-in principal (a staff or party session, or an institution's API key).";
  const refused = statuses.length
    ? `Refused:\n${statuses.map((s) => `- ${s}: ${refusalReason(op, s)}`).join('\n')}`
    : '';
  return [what, who, refused].filter(Boolean).join('\n\n');
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'a URI reference naming the problem, e.g. /problems/validation-error' },
    title: { type: 'string' },
    status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'the path of the request (never its query)' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
        required: ['field', 'message'],
      },
    },
    rule: { type: 'string', description: 'for 422: the rule that forbids the action' },
    article: { type: 'string', description: 'for 422: the article it rests on' },
    retryAfterSeconds: {
      type: 'integer',
      format: 'int32',
      minimum: 0,
      description: 'for 429 and some 503: as the Retry-After header',
    },
    requestId: { type: 'string', description: 'the id of this request in the logs (also the X-Request-Id header)' },
  },
} as const;

/**
 * The declared answer (what the server sends, so the output shape), or any object until one is declared.
 * Shared answers (the case view) go into `components` once and are referred to (`shared` collects them).
 */
function responseSchema(key: string, shared: Record<string, unknown>): Record<string, unknown> {
  const schema = RESPONSES[key];
  if (!schema) return { type: 'object' };
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
    metadata: RESPONSE_COMPONENTS,
  }) as Record<string, unknown>;
  delete out.$schema;
  const { $defs, ...rest } = out as { $defs?: Record<string, unknown> };
  const toComponents = (v: unknown) =>
    JSON.parse(JSON.stringify(v).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
  for (const [id, def] of Object.entries($defs ?? {})) shared[id] ??= toComponents(def);
  return toComponents(rest);
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // Input shape (what a client sends); refinements and transforms cannot be expressed and are described.
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    // A comma-separated list in the query (`status=A,B`) is a string parsed into an array: documented as that
    // array (the parameter says style form, explode false), so its items and bounds show.
    override: ({ zodSchema, jsonSchema: js }) => {
      const def = zodSchema._zod.def as { type: string; out?: z.ZodType };
      if (def.type !== 'pipe' || def.out?._zod.def.type !== 'array') return;
      for (const k of Object.keys(js)) delete (js as Record<string, unknown>)[k];
      Object.assign(js, jsonSchema(def.out));
    },
  }) as Record<string, unknown>;
  delete out.$schema;
  withImpliedBounds(out);
  return out;
}

/**
 * Writes out the bounds a format or a fixed-width pattern already enforces (a UUID is 36 characters, a
 * date 10, `^\d{6}$` 6), so a gateway sees a maximum length on every string; gives each integer its format.
 */
function withImpliedBounds(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(withImpliedBounds);
  if (typeof node !== 'object' || node === null) return;
  const s = node as Record<string, unknown>;
  if (s.type === 'string' && s.maxLength === undefined) {
    const implied =
      s.format === 'uuid'
        ? 36
        : s.format === 'date'
          ? 10
          : typeof s.pattern === 'string'
            ? fixedWidth(s.pattern)
            : undefined;
    if (implied !== undefined) s.maxLength = implied;
  }
  if (s.type === 'integer' && s.format === undefined) {
    const int32 =
      typeof s.minimum === 'number' &&
      typeof s.maximum === 'number' &&
      s.minimum >= -(2 ** 31) &&
      s.maximum <= 2 ** 31 - 1;
    s.format = int32 ? 'int32' : 'int64';
  }
  for (const key of ['items', 'prefixItems', 'anyOf', 'oneOf', 'allOf', 'not', 'additionalProperties', 'propertyNames'])
    withImpliedBounds(s[key]);
  for (const key of ['properties', '$defs'])
    if (typeof s[key] === 'object' && s[key] !== null) Object.values(s[key]).forEach(withImpliedBounds);
}

/** The longest string an anchored pattern of fixed-width pieces matches (`^1[3-9]\d{9}$`: 11), if it is one. */
export function fixedWidth(pattern: string): number | undefined {
  const body = /^\^(.*)\$$/s.exec(pattern)?.[1];
  if (body === undefined) return undefined;
  // One character (an escape, a class, a plain character), then at most an exact or bounded count.
  const piece =
    /^(?:\\[dDwWsS\\/.-]|\\u[0-9a-fA-F]{4}|\[(?:\\.|[^\]\\])+\]|[^\\[\](){}|*+?.^$])(?:\{(\d+)(?:,(\d+))?\})?/;
  let width = 0;
  for (let rest = body; rest;) {
    const m = piece.exec(rest);
    if (!m) return undefined;
    width += Number(m[2] ?? m[1] ?? 1);
    rest = rest.slice(m[0].length);
  }
  return width;
}

/** The online application: `application` is checked as an intake once the code is verified, and documented as one. */
function applicationBodySchema(): Record<string, unknown> {
  const outer = jsonSchema(applicationSubmitBody) as { properties: Record<string, unknown> };
  const intake = jsonSchema(intakeSchema(() => new Date())) as {
    properties: Record<string, Record<string, unknown>>;
    required: string[];
  };
  intake.properties.channel = {
    ...intake.properties.channel,
    description: 'ignored: an online application is always channel `online`',
  };
  intake.required = intake.required.filter((k) => k !== 'channel');
  outer.properties.application = {
    ...intake,
    description:
      'the application, checked as an intake once the code is verified; the applicant gives the phone that received the code',
  };
  return outer;
}

const capitalized = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** What the document's components collect as operations refer to them, each entry once. */
type Components = {
  /** Answers shared by many operations, by name (see `responseSchema`). */
  schemas: Record<string, unknown>;
  parameters: Record<string, unknown>;
  responses: Record<string, unknown>;
};

function problemResponse(c: Components, key: keyof typeof ERROR_RESPONSES): Record<string, unknown> {
  const { name, description, headers } = ERROR_RESPONSES[key];
  c.responses[name] ??= {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return { $ref: `#/components/responses/${name}` };
}

function sharedParameter(c: Components, name: string, definition: Record<string, unknown>): Record<string, unknown> {
  c.parameters[name] ??= definition;
  return { $ref: `#/components/parameters/${name}` };
}

/** The path parameters, the query's fields, and the Idempotency-Key a POST takes. */
function parametersOf(op: Operation, c: Components): Record<string, unknown>[] {
  const params: Record<string, unknown>[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => {
    const name = m[1]!;
    const known = PATH_PARAMETERS[name];
    return known
      ? sharedParameter(c, capitalized(name), { name, in: 'path', required: true, ...known })
      : { name, in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 100 } };
  });
  if (op.query) {
    const q = jsonSchema(op.query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({
        name,
        in: 'query',
        required: (q.required ?? []).includes(name),
        schema,
        ...(schema.type === 'array' ? { style: 'form', explode: false } : {}),
      });
    }
  }
  if (op.idempotent || op.method === 'post') {
    params.push(
      sharedParameter(c, 'IdempotencyKey', {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes a retry safe: a repeat with the same body answers the first response and changes nothing; the same key with another body, or while the first is running, is a 409. Kept a day, per caller and route.',
        schema: { type: 'string', minLength: 1, maxLength: 200, pattern: IDEMPOTENCY_KEY.source },
      }),
    );
  }
  return params;
}

/** The answer on success (JSON, or a file), then one problem per refusal, then the unexpected. */
function responsesOf(op: Operation, statuses: ErrorStatus[], c: Components): Record<string, unknown> {
  const success = op.success ?? { status: 200, description: 'OK' };
  const files = success.contentType === undefined ? undefined : [success.contentType].flat();
  const responses: Record<string, unknown> = {
    [String(success.status)]: {
      description: success.description,
      ...(success.status === 204
        ? {}
        : {
            content: files
              ? Object.fromEntries(files.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]))
              : { 'application/json': { schema: responseSchema(`${op.method} ${op.path}`, c.schemas) } },
          }),
    },
  };
  for (const s of statuses) responses[String(s)] = problemResponse(c, s === 503 && op.asksCase ? 'action503' : s);
  // Two answers that are not problems: readiness says which dependency is down, and the scrape token's refusal is plain text.
  if (op.path === '/readyz')
    responses['503'] = {
      description: 'not ready: a dependency does not answer, or the process is stopping',
      content: { 'application/json': { schema: responseSchema(`${op.method} ${op.path}`, c.schemas) } },
    };
  if (op.path === '/metrics')
    responses['401'] = {
      description: 'the server has a scrape token and this request does not carry it',
      content: { 'text/plain': { schema: { type: 'string' } } },
    };
  responses.default = problemResponse(c, 'default');
  return responses;
}

/** The JSON body, or the file an upload sends as it is. */
function requestBodyOf(op: Operation): Record<string, unknown> | undefined {
  if (op.upload) {
    return {
      required: true,
      description: `at most ${op.upload.maxBytes / 2 ** 20} MiB`,
      content: Object.fromEntries(
        op.upload.mediaTypes.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]),
      ),
    };
  }
  if (!op.body) return undefined;
  const body = op.body === applicationSubmitBody ? applicationBodySchema() : jsonSchema(op.body);
  // A body whose fields are all optional may be left out (the routes read a missing body as {}).
  return {
    required: ((body.required as string[] | undefined) ?? []).length > 0,
    content: { 'application/json': { schema: body } },
  };
}

/** `post /cases/{caseId}/agreement/drafts` → `postCasesByCaseIdAgreementDrafts`. */
const operationId = (op: Operation) =>
  `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;

function operationObject(op: Operation, c: Components): Record<string, unknown> {
  const params = parametersOf(op, c);
  const statuses = errorStatuses(op);
  const responses = responsesOf(op, statuses, c);
  const requestBody = requestBodyOf(op);
  return {
    operationId: operationId(op),
    summary: op.summary,
    description: describeOperation(op, statuses),
    tags: [op.tag],
    ...(op.auth === 'none' ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The tags the operations use, in the order a reader meets them, each with its description. */
function tagsOf(ops: readonly Operation[]): { name: string; description: string }[] {
  const used = [...new Set(ops.map((o) => o.tag))];
  return [...Object.keys(TAGS).filter((t) => used.includes(t)), ...used.filter((t) => !(t in TAGS))].map((name) => ({
    name,
    description: TAGS[name] ?? `Operations on ${name}.`,
  }));
}

export function openApiDocument(info: { version: string; serverUrl?: string }): Record<string, unknown> {
  const components: Components = { schemas: {}, parameters: {}, responses: {} };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op, components);
  return {
    openapi: '3.1.0',
    info: {
      title: '一站式非诉讼纠纷化解中心 case workflow API',
      version: info.version,
      description:
        'Cases from intake to a secured agreement. Errors are RFC 9457 problem details. Every POST takes an Idempotency-Key. Browsable at /docs/.',
      license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
    },
    // Without a configured public URL, the server the document was fetched from.
    servers: [
      {
        url: info.serverUrl ?? '/',
        description: info.serverUrl ? 'this center' : 'the server this document was fetched from',
      },
    ],
    tags: tagsOf(OPERATIONS),
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
    components: {
      schemas: { Problem: problemSchema, ...components.schemas },
      parameters: components.parameters,
      responses: components.responses,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'a staff or party session token from /auth/login or /auth/party/verify',
        },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: "a court's or notary office's API key",
        },
      },
    },
  };
}
