/** The credit files' and the public directory's operations, for the OpenAPI catalogue (api/openapi.ts). */
import type { Operation } from './openapi.js';
import { CENTER_ACTIONS } from '../domain/access-policy.js';
import { creditEntryBody, evaluationBody } from './routes/credit.js';

const NOT_THEIRS =
  "no such mediator or mediation organization, or a file the principal may not read (another organization's, another mediator's): answered alike";

const SUBJECTS = [
  { path: '/credit/mediators/{mediatorId}', whose: "a mediator's", id: 'mediatorId' },
  { path: '/credit/organizations/{orgId}', whose: "a mediation organization's", id: 'orgId' },
] as const;

export const CREDIT_OPERATIONS: Operation[] = SUBJECTS.flatMap((s): Operation[] => [
  {
    method: 'get',
    path: s.path,
    summary: `${s.whose} credit file (诚信档案)`,
    description: `The whole append-only file (seed Art 57): qualifications, training, evaluations with their level and the rule version, commendations, sanctions, upheld complaints and confirmed 差评, each with its authority, date, decision document and disclosure window (and where it stands today), the current level, and the file's hash chain checked. The supervisor reads every file; an organization's staff their organization's and its mediators'; a mediator their own.`,
    tag: 'credit',
    auth: 'session',
    roles: CENTER_ACTIONS.readCreditFiles,
    refusals: { 403: 'a party, a court, a notary office or legal aid, who keep no credit files', 404: NOT_THEIRS },
  },
  {
    method: 'post',
    path: `${s.path}/entries`,
    summary: `record an entry in ${s.whose} credit file`,
    description:
      'Appends a qualification, training, commendation or sanction with the authority that decided it, its date (not in the future), its decision document and its disclosure window (by default: a sanction the bad-record window of whose it is, 3 years for an organization and 5 for a mediator; a commendation 3 years; the rest internal). Nothing is ever changed or removed: a correction is a new entry.',
    tag: 'credit',
    auth: 'session',
    roles: CENTER_ACTIONS.recordCreditEntries,
    body: creditEntryBody,
    success: { status: 201, description: 'the entry as recorded' },
    idempotent: true,
    refusals: { 403: 'anyone but the supervisor (司法行政部门)', 404: NOT_THEIRS },
  },
  {
    method: 'post',
    path: `${s.path}/evaluations`,
    summary: `evaluate ${s.whose} work over a period`,
    description:
      'Computes the evaluation (综合评价) over a period of at most a year from the per-case facts (cases concluded, agreement rate, median duration, on-time rate; satisfaction from the ratings where summarised; complaints upheld; bad records inside their window) and levels it by the level rule in force, recording the rule version. Asked again for the same period on the same day, the same entry answers.',
    tag: 'credit',
    auth: 'session',
    roles: CENTER_ACTIONS.recordCreditEntries,
    body: evaluationBody,
    success: { status: 201, description: 'the evaluation entry' },
    idempotent: true,
    refusals: { 403: 'anyone but the supervisor (司法行政部门)', 404: NOT_THEIRS },
  },
]);
