/** The complaints' operations, for the OpenAPI catalogue (api/openapi.ts); docs/supervision.md#complaints. */
import type { Operation } from './openapi.js';
import { CASE_ACTIONS } from '../domain/access-policy.js';
import { ROLES } from '../domain/case.js';
import type { ComplaintCommandType } from '../domain/complaints.js';
import { COMPLAINT_ACTION_ROUTES, complaintRolesOf, fileComplaintBody } from './routes/complaint-view.js';

const NOT_VISIBLE =
  'no complaint with this id that I may read (the target reads one only once it is accepted; anyone else never)';
const CONFLICT =
  'the complaint is not in a state that allows this, or it is closed; or the Idempotency-Key was used with another body or is still in progress';

const ACTION_DESCRIPTIONS: Record<ComplaintCommandType, string> = {
  issue_notice:
    'The supervisor issues the one-time notice (一次性告知) of everything missing, once: the acceptance clock stops and the complainant has the notice period to supplement, or the complaint is deemed withdrawn. Only while FILED; a second notice is refused (422).',
  supplement:
    'The complainant (or a clerk recording it) hands in what the notice asked for; the acceptance review counts again from today. Only while AWAITING_SUPPLEMENT.',
  accept:
    'The supervisor accepts the complaint (受理): the decision clock starts, and the target may now read what is alleged. Only while FILED.',
  decline: 'The supervisor declines the complaint (不予受理) with reasons; it closes. Only while FILED.',
  assign_investigator: 'The supervisor assigns a member of staff to investigate. Only while ACCEPTED.',
  record_findings:
    'The investigator (or the supervisor) records the findings; the complainant and the target do not read them. Only while ACCEPTED, after an investigator is assigned.',
  extend_decision:
    "The supervisor extends the decision period once, with the approval of the bureau's head, by at most the days its row allows (422 beyond). Only while ACCEPTED.",
  decide:
    "The supervisor decides: upheld with the sanction open against that target (a people's mediator: 批评教育, 责令改正, 罢免或者解聘; a court-invited one: 警告, 通报, 除名; an organization or staff: 批评教育, 责令改正), or not upheld; an upheld complaint is recorded for the target's credit file. Only while ACCEPTED, after the findings.",
  answer:
    'The supervisor answers the complainant by the channel asked for, within the answer period. Only while DECIDED.',
  give_feedback: 'The complainant says whether the answer satisfies them; the complaint closes. Only while ANSWERED.',
  merge_repeat: '',
  clock_expired: '',
};

function complaintAction(path: string, type: ComplaintCommandType, body: Operation['body']): Operation {
  return {
    method: 'post',
    path: `/complaints/{complaintId}/${path}`,
    summary: type.replace(/_/g, ' '),
    description: ACTION_DESCRIPTIONS[type],
    tag: 'complaints',
    auth: 'session',
    roles: complaintRolesOf(type),
    ...(body ? { body } : {}),
    idempotent: true,
    asksCase: true,
    refusals: {
      403: 'the role may not do this, or a party who is not the complainant, or the target',
      404: NOT_VISIBLE,
      409: CONFLICT,
    },
  };
}

export const COMPLAINT_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/cases/{caseId}/complaints',
    summary: 'file a complaint about the service on a case',
    description:
      "A party complains about their case's mediator, organization or a member of staff (a guardian or agent for the party they act for), through the portal; a clerk records one received by phone, letter or in person, naming the party. Grounds from 人民调解法 Art 15, 在线调解规则 Art 29 and 特邀调解规定 Art 28. The acceptance clock starts. A complaint on the same matter as an open one (the same case, party and target) is merged into it (200).",
    tag: 'complaints',
    auth: 'session',
    roles: CASE_ACTIONS.fileComplaint,
    body: fileComplaintBody,
    success: { status: 201, description: 'the complaint (200 when merged into the open one on the same matter)' },
    idempotent: true,
    refusals: {
      400: 'a field is missing or wrong: the party, the channel, or a target the case does not have',
      403: 'a role that does not file complaints',
      409: 'the Idempotency-Key was used with another body or is still in progress, or the open complaint is closing',
    },
  },
  {
    method: 'get',
    path: '/complaints',
    summary: 'the complaints I may read',
    description:
      'The supervisor: every complaint, newest first, each with its next due time and the clocks it has let run out (overdue). Anyone else: the complaints they filed, are the complainant of, investigate, or, once accepted, are the target of.',
    tag: 'complaints',
    auth: 'session',
    roles: ROLES.filter((r) => r !== 'court' && r !== 'notary' && r !== 'system'),
    refusals: { 403: 'a court or notary office' },
  },
  {
    method: 'get',
    path: '/complaints/{complaintId}',
    summary: 'a complaint, as I may read it',
    description:
      'The complaint with its clocks (each with its rule, source and computation) and the actions I may take now. The target reads it only once it is accepted, and then only what is alleged and what was decided: never who complained or how to reach them. The complainant does not read the internal findings.',
    tag: 'complaints',
    auth: 'session',
    roles: ROLES.filter((r) => r !== 'court' && r !== 'notary' && r !== 'system'),
    refusals: { 404: NOT_VISIBLE },
  },
  ...Object.entries(COMPLAINT_ACTION_ROUTES).map(([path, spec]) => complaintAction(path, spec.type, spec.body)),
];
