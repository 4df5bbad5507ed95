/** The public directory's operations (no login), for the OpenAPI catalogue (api/openapi.ts). */
import type { Operation } from './openapi.js';
import { directoryMediatorsQuery, directoryOfficesQuery } from './routes/directory.js';

const PUBLIC =
  ' No login; the answer may be cached for 60 seconds (Cache-Control: public, max-age=60) and each address may ask 120 times a minute.';

export const DIRECTORY_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/directory/organizations',
    summary: 'the public directory: mediation organizations',
    description: `The active mediation organizations (seed Art 21): kind, county, the dispute types they take, address and office hours, the current level with the rule version it was computed by, and the bad records (sanctions, upheld complaints) still inside their disclosure window.${PUBLIC}`,
    tag: 'directory',
    auth: 'none',
    rateLimited: true,
  },
  {
    method: 'get',
    path: '/directory/mediators',
    summary: 'the public directory: mediators',
    description: `The active mediators of active organizations, as a party browses them to choose (在线调解规则 Art 5 ¶2): profile, organization, qualification, specialties, languages, whether accepting, current level and the bad records still inside their disclosure window; by organization, specialty or language. Never a phone, an ID number, a load or who complained.${PUBLIC}`,
    tag: 'directory',
    auth: 'none',
    query: directoryMediatorsQuery,
    rateLimited: true,
  },
  {
    method: 'get',
    path: '/directory/mediators/{mediatorId}',
    summary: 'the public directory: one mediator',
    description: `One active mediator as the directory lists them.${PUBLIC}`,
    tag: 'directory',
    auth: 'none',
    rateLimited: true,
    refusals: { 404: 'no active mediator has this id' },
  },
  {
    method: 'get',
    path: '/directory/offices',
    summary: 'the public directory: legal-aid and notary offices and courts',
    description: `The legal-aid offices, notary offices and courts, with their addresses, office hours and public service lines; \`kind\` lists one of them.${PUBLIC}`,
    tag: 'directory',
    auth: 'none',
    query: directoryOfficesQuery,
    rateLimited: true,
  },
];
