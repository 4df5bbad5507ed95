/**
 * Names a party's case view gives only by id: the mediator and their organization (GET /roster/mediators, what a
 * party may see to choose a mediator) and the courts and notary offices (GET /roster/institutions). Both change
 * rarely: kept for the session.
 */
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';

export function useInstitutions(enabled = true) {
  return useQuery({
    queryKey: ['portal', 'roster', 'institutions'],
    queryFn: () => ok(api.GET('/roster/institutions')),
    staleTime: Infinity,
    enabled,
  });
}

export function useMediators(enabled = true) {
  return useQuery({
    queryKey: ['portal', 'roster', 'mediators'],
    queryFn: () => ok(api.GET('/roster/mediators')),
    staleTime: Infinity,
    enabled,
  });
}
