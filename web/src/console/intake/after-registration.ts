/**
 * What follows a registration, kept outside any screen so that leaving the receipt loses nothing: the scans
 * attached to the form, uploaded one by one right after the case is registered (POST /cases/{id}/materials,
 * one Idempotency-Key per file, kept across retries), and the parties' access codes (POST …/access-code).
 *
 * An upload that fails for a passing reason (no connection, the case's record still being written after a
 * 202, a busy server) is tried again a few times; then it stays on the receipt as failed, with its file, for
 * the clerk to retry. The case stays registered whatever happens to a file.
 *
 * An access code is shown once: the API never stores it, and a replay of the same key answers without it.
 * Such a replay means an earlier try issued a code whose answer was lost; nobody has seen that code, so a
 * new one (under a new key) replaces it. A code shown on the receipt is dropped from memory soon after the
 * receipt closes; coming back shows that it was issued, and offers 重新签发.
 *
 * Memory only (like the session's token): a reload ends it, and the receipt warns before a reload would
 * drop a file not yet uploaded.
 */
import { useSyncExternalStore } from 'react';
import { api, idempotencyKey, ok } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import type { MaterialKind } from './form';

/** A scan to upload: its media type as its first bytes say (PDF, JPEG or PNG), its kind and title as the clerk gave them. */
export type Attachment = { uid: string; file: File; mediaType: string; kind: MaterialKind; title: string; key: string };
export type UploadState = Attachment & {
  status: 'waiting' | 'uploading' | 'done' | 'failed';
  error?: string;
  materialId?: string;
};
export type CodeState =
  | { status: 'issuing' }
  | { status: 'shown'; code: string; sentTo: string | null }
  | { status: 'hidden'; sentTo: string | null }
  | { status: 'failed'; error: string };
export type Registration = {
  caseId: string;
  uploads: UploadState[];
  codes: Readonly<Record<string, CodeState>>;
  /** Codes are issued once, automatically, for a case just registered in this tab. */
  autoIssue: 'pending' | 'started' | 'none';
};

const registrations = new Map<string, Registration>();
const listeners = new Set<() => void>();
const viewers = new Map<string, number>();
const running = new Set<string>();

function update(caseId: string, change: (r: Registration) => Registration): void {
  const current = registrations.get(caseId) ?? { caseId, uploads: [], codes: {}, autoIssue: 'none' };
  registrations.set(caseId, change(current));
  for (const l of listeners) l();
}
const setUpload = (caseId: string, uid: string, change: Partial<UploadState>) =>
  update(caseId, (r) => ({ ...r, uploads: r.uploads.map((u) => (u.uid === uid ? { ...u, ...change } : u)) }));
const setCode = (caseId: string, partyId: string, state: CodeState) =>
  update(caseId, (r) => ({ ...r, codes: { ...r.codes, [partyId]: state } }));

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The registration as the receipt shows it (undefined for a case not registered in this tab). */
export function useRegistration(caseId: string): Registration | undefined {
  return useSyncExternalStore(subscribe, () => registrations.get(caseId));
}

/** Called by 登记 once the case is registered: the files go up at once, the codes are issued by the receipt. */
export function startRegistration(caseId: string, attachments: Attachment[]): void {
  update(caseId, () => ({
    caseId,
    uploads: attachments.map((a) => ({ ...a, status: 'waiting' })),
    codes: {},
    autoIssue: 'pending',
  }));
  void runUploads(caseId);
}

const sleep = (ms: number) => new Promise((resolve) => window.setTimeout(resolve, ms));
const problemCode = (e: ApiError) => e.problem?.type?.replace(/^\/problems\//, '');
/**
 * Worth trying again with the same key: no answer, the case's record not written yet (a 202 at intake), the
 * same key still being processed, too many requests, or the server or a dependency briefly unavailable.
 */
const passing = (e: unknown) =>
  e instanceof ApiError &&
  (e.status === 0 ||
    e.status === 404 ||
    e.status === 429 ||
    e.status >= 502 ||
    (e.status === 409 && problemCode(e) === 'idempotency-key-in-progress'));
/** Refusals the same request would meet again: a retry after them is another request, with a new key. */
const definite = (e: unknown) => e instanceof ApiError && [400, 403, 404, 413, 415, 422].includes(e.status);
const ATTEMPTS = 4;
const backoff = (attempt: number) => 1000 * 2 ** attempt;

async function runUploads(caseId: string): Promise<void> {
  if (running.has(caseId)) return;
  running.add(caseId);
  try {
    for (;;) {
      const next = registrations.get(caseId)?.uploads.find((u) => u.status === 'waiting');
      if (!next) return;
      await uploadOne(caseId, next);
    }
  } finally {
    running.delete(caseId);
  }
}

async function uploadOne(caseId: string, u: UploadState): Promise<void> {
  setUpload(caseId, u.uid, { status: 'uploading', error: undefined });
  for (let attempt = 0; ; attempt++) {
    const key = registrations.get(caseId)?.uploads.find((x) => x.uid === u.uid)?.key ?? u.key;
    try {
      const answer = await ok(
        api.POST('/cases/{caseId}/materials', {
          params: { path: { caseId }, query: { kind: u.kind, title: u.title }, header: { 'Idempotency-Key': key } },
          // The file as it is, with its own media type (the server checks its first bytes too).
          body: u.file as unknown as string,
          bodySerializer: (b) => b as unknown as BodyInit,
          headers: { 'Content-Type': u.mediaType },
        }),
      );
      setUpload(caseId, u.uid, { status: 'done', materialId: answer.material.materialId });
      return;
    } catch (e) {
      if (passing(e) && attempt + 1 < ATTEMPTS) {
        await sleep(backoff(attempt));
        continue;
      }
      setUpload(caseId, u.uid, {
        status: 'failed',
        error: errorText(e, '上传未成功，请重试。'),
        ...(definite(e) ? { key: idempotencyKey() } : {}),
      });
      return;
    }
  }
}

/** 重试: the same key (unless the server refused it for good), so a file that did arrive is kept once. */
export function retryUpload(caseId: string, uid: string): void {
  setUpload(caseId, uid, { status: 'waiting', error: undefined });
  void runUploads(caseId);
}

/** Files not (yet) in the case: the receipt warns before they would be lost with the page. */
export const unfinished = (r: Registration | undefined) => (r?.uploads ?? []).filter((u) => u.status !== 'done');

type CodeAnswer = { accessCode: string | null; sentTo: string | null };

async function requestCode(caseId: string, partyId: string): Promise<CodeAnswer & { accessCode: string }> {
  let key = idempotencyKey();
  let replays = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const answer: CodeAnswer = await ok(
        api.POST('/cases/{caseId}/parties/{partyId}/access-code', {
          params: { path: { caseId, partyId }, header: { 'Idempotency-Key': key } },
          body: {},
        }),
      );
      if (answer.accessCode) return { ...answer, accessCode: answer.accessCode };
      // A replay: issued by an earlier try whose answer never arrived. Nobody saw that code: replace it.
      if (++replays > 1) throw new Error('replayed');
      key = idempotencyKey();
    } catch (e) {
      if (!passing(e) || attempt + 1 >= ATTEMPTS) throw e;
      await sleep(backoff(attempt));
    }
  }
}

/** Issues (or re-issues: the old code stops working) a party's access code and shows it on the receipt. */
export async function issueCode(caseId: string, partyId: string): Promise<void> {
  setCode(caseId, partyId, { status: 'issuing' });
  try {
    const { accessCode, sentTo } = await requestCode(caseId, partyId);
    // Nobody is looking any more (the receipt was left meanwhile): not kept.
    setCode(
      caseId,
      partyId,
      (viewers.get(caseId) ?? 0) > 0 ? { status: 'shown', code: accessCode, sentTo } : { status: 'hidden', sentTo },
    );
  } catch (e) {
    setCode(caseId, partyId, {
      status: 'failed',
      error: e instanceof ApiError ? errorText(e) : '查询码未能签发，请重新签发。',
    });
  }
}

/** The receipt of a case just registered here issues its codes once (a second mount finds them started). */
export function issueCodesOnce(caseId: string, partyIds: string[]): void {
  if (registrations.get(caseId)?.autoIssue !== 'pending') return;
  update(caseId, (r) => ({ ...r, autoIssue: 'started' }));
  for (const partyId of partyIds) void issueCode(caseId, partyId);
}

/**
 * The receipt is on screen: codes stay visible. Once no receipt of the case has been open for a moment
 * (not just re-mounted), every code shown is dropped from memory.
 */
export function openReceipt(caseId: string): () => void {
  viewers.set(caseId, (viewers.get(caseId) ?? 0) + 1);
  return () => {
    viewers.set(caseId, (viewers.get(caseId) ?? 1) - 1);
    window.setTimeout(() => {
      if ((viewers.get(caseId) ?? 0) > 0) return;
      update(caseId, (r) => ({
        ...r,
        codes: Object.fromEntries(
          Object.entries(r.codes).map(([id, c]) => [
            id,
            c.status === 'shown' ? { status: 'hidden', sentTo: c.sentTo } : c,
          ]),
        ),
      }));
    }, 1000);
  };
}
