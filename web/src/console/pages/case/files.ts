/**
 * Files that need the session's token (documents, materials): a plain link would carry none, so they are
 * fetched and handed to the browser as a blob, to save or to show in the page.
 */
import { ApiError } from '../../../api/problems';

export { formatBytes, saveBlob } from '../../../shared/files';

/** A refusal that says this person may not read the list at all (their role), not that it failed. */
export const isForbidden = (e: unknown): boolean => e instanceof ApiError && e.status === 403;
