/**
 * The typed API client (openapi-fetch over the generated `schema.d.ts`): same origin, so no CORS and no base URL.
 * The session token lives in this module's memory only, never in localStorage or a cookie: a reload or a
 * closed tab ends the session, and no script injected elsewhere can read it from storage.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, type ProblemBody } from './problems';

let token: string | null = null;
const expiredListeners = new Set<() => void>();

export function setToken(next: string | null): void {
  token = next;
}

/** Called when the server refuses the token (expired or revoked), so the screen can ask for a new login. */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

const bearer: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    // Only a request that carried a token can find it expired (a wrong password is also a 401).
    if (response.status === 401 && request.headers.has('Authorization')) {
      token = null;
      for (const listener of expiredListeners) listener();
    }
    return response;
  },
};

// Lists in a query are comma-separated (`status=REGISTERED,IN_MEDIATION`), as the document's `explode: false` says.
export const api = createClient<paths>({ baseUrl: '', querySerializer: { array: { style: 'form', explode: false } } });
api.use(bearer);

/**
 * The data of an answer, or an `ApiError` with the refusal explained in Chinese (problems.ts). A failed
 * connection is status 0.
 */
export async function ok<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  context: { login?: boolean } = {},
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  if (!result.response.ok) {
    const problem =
      typeof result.error === 'object' && result.error !== null ? (result.error as ProblemBody) : undefined;
    throw new ApiError(result.response.status, problem, context);
  }
  return result.data as T;
}

/** A new key for one intent of the user: a retry of the same submission then has exactly one effect. */
export const idempotencyKey = (): string => crypto.randomUUID();

// The shapes screens use, named once.
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type CaseView = Json<paths['/cases/{caseId}']['get']['responses'][200]>;
export type CaseAction = NonNullable<CaseView['actions']>[number];
export type QueueAnswer = Json<paths['/queues/cases']['get']['responses'][200]>;
export type QueueRow = QueueAnswer['cases'][number];
export type QueueQuery = NonNullable<paths['/queues/cases']['get']['parameters']['query']>;
export type DeadlineRow = Json<paths['/cases/{caseId}/deadlines']['get']['responses'][200]>['deadlines'][number];
export type DocumentRow = Json<paths['/cases/{caseId}/documents']['get']['responses'][200]>['documents'][number];
export type Principal = Json<paths['/auth/me']['get']['responses'][200]>['principal'];
