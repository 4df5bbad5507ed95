/**
 * The public directory (GET /directory/…, no login; seed Art 21): what anyone may see of the mediation
 * organizations, their mediators and the legal-aid and notary offices and courts. The server lets each answer
 * be cached for a minute; here it is kept for five, as a person browsing does not need it fresher.
 */
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../../api/client';
import type { paths } from '../../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type DirectoryMediator = Json<paths['/directory/mediators']['get']['responses'][200]>['mediators'][number];
export type DirectoryOrganization = Json<
  paths['/directory/organizations']['get']['responses'][200]
>['organizations'][number];
export type DirectoryOffice = Json<paths['/directory/offices']['get']['responses'][200]>['offices'][number];
export type CreditLevel = DirectoryMediator['level'];
export type PublicRecord = DirectoryMediator['sanctions'][number];
export type DisputeType = DirectoryMediator['specialties'][number];

const FIVE_MINUTES = 5 * 60_000;

export function useDirectoryMediators(disputeType?: DisputeType) {
  return useQuery({
    queryKey: ['portal', 'directory', 'mediators', disputeType ?? 'all'],
    queryFn: () => ok(api.GET('/directory/mediators', { params: { query: disputeType ? { disputeType } : {} } })),
    staleTime: FIVE_MINUTES,
  });
}

export function useDirectoryOrganizations(enabled = true) {
  return useQuery({
    queryKey: ['portal', 'directory', 'organizations'],
    queryFn: () => ok(api.GET('/directory/organizations')),
    staleTime: FIVE_MINUTES,
    enabled,
  });
}

export function useDirectoryOffices(enabled = true) {
  return useQuery({
    queryKey: ['portal', 'directory', 'offices'],
    queryFn: () => ok(api.GET('/directory/offices')),
    staleTime: FIVE_MINUTES,
    enabled,
  });
}
