/**
 * Submitting: the application with the SMS code (POST /applications, under one Idempotency-Key per attempt, so a
 * retry after a lost answer registers one case), then the chosen files as the case's materials with the
 * applicant's new session (the case has to exist before a file can belong to it). A file that could not go up
 * is said on the receipt; the application itself stands.
 */
import { api, ok, setToken } from '../../../api/client';
import { ApiError } from '../../../api/problems';
import type { paths } from '../../../api/schema';
import { toApplication, type Draft } from './draft';
import type { PickedFile } from './files';

export type Registered = paths['/applications']['post']['responses'][201]['content']['application/json'];
export type UploadOutcome = { name: string; ok: boolean };
export type Receipt = { registered: Registered; phone: string; uploads: UploadOutcome[] };

export async function register(draft: Draft, key: string): Promise<Registered> {
  return ok(
    api.POST('/applications', {
      params: { header: { 'Idempotency-Key': key } },
      body: {
        challengeId: draft.challenge?.challengeId ?? '',
        code: draft.code.trim(),
        application: toApplication(draft),
      },
    }),
  );
}

/** Each file once, in order; a refusal of one does not stop the others. Needs the applicant's token. */
export async function uploadAll(caseId: string, token: string, picked: PickedFile[]): Promise<UploadOutcome[]> {
  setToken(token);
  const outcomes: UploadOutcome[] = [];
  for (const p of picked) {
    try {
      await ok(
        api.POST('/cases/{caseId}/materials', {
          params: {
            path: { caseId },
            query: { kind: p.kind, title: p.file.name.slice(0, 200) },
            header: { 'Idempotency-Key': `${caseId}:${p.id}` },
          },
          // The file as it is, with its own media type (the server checks its first bytes too).
          body: p.file as unknown as string,
          bodySerializer: (b) => b as unknown as BodyInit,
          headers: { 'Content-Type': p.mediaType },
        }),
      );
      outcomes.push({ name: p.file.name, ok: true });
    } catch (e) {
      // A lapsed session (401) ends the upload run: the rest would be refused the same way.
      outcomes.push({ name: p.file.name, ok: false });
      if (e instanceof ApiError && e.status === 401) break;
    }
  }
  for (const p of picked.slice(outcomes.length)) outcomes.push({ name: p.file.name, ok: false });
  return outcomes;
}
