/** The roster's and the saved filters' operations, for the OpenAPI catalogue (api/openapi.ts). */
import type { Operation } from './openapi.js';
import { CENTER_ACTIONS } from '../domain/access-policy.js';
import {
  institutionsQuery,
  mediatorsQuery,
  organizationsQuery,
  savedFilterBody,
  savedFilterUpdateBody,
} from './routes/roster.js';

const NOT_MINE = "no saved filter of mine has this id (another person's is answered alike)";
const STAFF_ONLY = 'a party, or a court or notary office by its API key: saved filters belong to a person who logs in';

export const ROSTER_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/roster/organizations',
    summary: 'the mediation organizations',
    description:
      "The mediation organizations (people's, industry, labour, lawyer and court-invited mediation): kind, county, the dispute types they take, whether active, and whether people's mediation makes it free of charge. An organization's own staff and the supervisor also see its case-number pattern.",
    tag: 'roster',
    auth: 'session',
    roles: CENTER_ACTIONS.readRosterOrganizations,
    query: organizationsQuery,
    refusals: { 403: 'a party (a party chooses among mediators: GET /roster/mediators)' },
  },
  {
    method: 'get',
    path: '/roster/mediators',
    summary: 'the mediators this principal may see',
    description:
      "Mediators with their organization, qualification, specialties and languages. Clerks and the supervisor see all of them; a mediator their own organization's; a court every active one; all of these with current load (open cases assigned) and limit. A party sees what it needs to choose (在线调解规则 Art 5): whether each active mediator is accepting, never their load. No answer carries a phone or an ID number.",
    tag: 'roster',
    auth: 'session',
    roles: CENTER_ACTIONS.readRosterMediators,
    query: mediatorsQuery,
    refusals: { 403: 'a legal-aid officer or a notary office, who neither assign nor choose mediators' },
  },
  {
    method: 'get',
    path: '/roster/institutions',
    summary: 'courts, notary offices and legal-aid offices',
    description:
      'Courts (with whether each still delegates before filing, 委派), notary offices and legal-aid offices: id, name, code and kind; `kind` lists one of them.',
    tag: 'roster',
    auth: 'session',
    roles: CENTER_ACTIONS.readRosterInstitutions,
    query: institutionsQuery,
  },
  {
    method: 'get',
    path: '/me/saved-filters',
    summary: 'my saved queue filters',
    description:
      'My saved queue filters, by name: each is the query of GET /queues/cases, as the strings it goes into the URL as.',
    tag: 'queues',
    auth: 'session',
    roles: CENTER_ACTIONS.keepSavedFilters,
    refusals: { 403: STAFF_ONLY },
  },
  {
    method: 'post',
    path: '/me/saved-filters',
    summary: 'save a queue filter',
    description:
      'Saves a queue filter under a name of mine (at most 50 characters, unique among mine; at most 50 filters each). The filter is checked as GET /queues/cases checks its query; it keeps no search text (`q`) and no `cursor`.',
    tag: 'queues',
    auth: 'session',
    roles: CENTER_ACTIONS.keepSavedFilters,
    body: savedFilterBody,
    success: { status: 201, description: 'the saved filter' },
    idempotent: true,
    refusals: {
      403: `${STAFF_ONLY}; or a filter by priority group or legal aid from a role whose queue refuses it`,
      409: 'I already have a filter of this name (/problems/saved-filter-name-taken) or keep 50 (/problems/saved-filters-full); or the Idempotency-Key was used with another body, or its first request is still in progress',
    },
  },
  {
    method: 'put',
    path: '/me/saved-filters/{filterId}',
    summary: 'rename or replace a saved filter',
    description: 'Renames a saved filter of mine, replaces its filter, or both (the filter checked as on saving).',
    tag: 'queues',
    auth: 'session',
    roles: CENTER_ACTIONS.keepSavedFilters,
    body: savedFilterUpdateBody,
    refusals: {
      403: STAFF_ONLY,
      404: NOT_MINE,
      409: 'I already have another filter of this name (/problems/saved-filter-name-taken)',
    },
  },
  {
    method: 'delete',
    path: '/me/saved-filters/{filterId}',
    summary: 'delete a saved filter',
    description: 'Deletes a saved filter of mine.',
    tag: 'queues',
    auth: 'session',
    roles: CENTER_ACTIONS.keepSavedFilters,
    success: { status: 204, description: 'deleted' },
    refusals: { 403: STAFF_ONLY, 404: NOT_MINE },
  },
];
