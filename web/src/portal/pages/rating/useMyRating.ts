/**
 * The rating this party gave on this case, if any (GET /ratings: a party reads their own, newest first). A
 * guardian or agent reads the rating of the party they act for, as the API decides.
 */
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../../api/client';

export const myRatingsKey = ['portal', 'ratings'] as const;

export function useMyRating(caseId: string, enabled = true) {
  const list = useQuery({ queryKey: myRatingsKey, queryFn: () => ok(api.GET('/ratings')), enabled });
  return { ...list, rating: list.data?.ratings.find((r) => r.caseId === caseId) };
}
