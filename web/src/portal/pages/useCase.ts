/** The party's case as the API lets this party read it; a case that is not theirs is a 404 like a missing one. */
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/problems';

export const caseKey = (caseId: string) => ['portal', 'case', caseId] as const;

export function useCase(caseId: string) {
  return useQuery({
    queryKey: caseKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}', { params: { path: { caseId } } })),
  });
}

export const isNotFound = (e: unknown): boolean =>
  e instanceof ApiError && (e.status === 404 || e.status === 400 || e.status === 403);
