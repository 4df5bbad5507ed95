/**
 * Ids derived from a name (RFC 9562 version 5: SHA-1 of the name in this project's namespace). The same name
 * always gives the same id, so a retried step names the same text, message or file it named the first time.
 */
import { createHash } from 'node:crypto';
import { v5 } from 'uuid';

/** This project's namespace for its name-based ids: a fixed random UUID. Changing it changes every id derived since. */
export const NAME_BASED_ID_NAMESPACE = 'c673d852-b8f4-49fa-976b-d7e02f27dad5';

export function nameBasedId(name: string): string {
  return v5(name, NAME_BASED_ID_NAMESPACE);
}

/**
 * The ids given before ids were version 5: the SHA-256 of the name, laid out as a UUID with version 8. Kept
 * only to recognise what was recorded under them (a text's message id, which a step retried after an
 * upgrade recomputes); new ids are `nameBasedId`.
 */
export function legacyNameBasedId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The case ids given to keyed intakes before ids were version 5: the SHA-256 of the name laid out as a
 * random (version 4) UUID. Kept only to find a case registered under it; new ids are `nameBasedId`.
 */
export function legacyRandomLayoutId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
