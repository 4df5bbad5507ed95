/**
 * The canonical JSON behind the case hash chain (db/event-chain.ts), agreement draft digests and idempotency
 * request hashes: the same value always gives the same bytes, so an outside verifier can recompute a hash
 * from the stored data alone.
 *
 * It is RFC 8785 (JSON Canonicalization Scheme, JCS) on the I-JSON subset (RFC 7493) the chain relies on:
 * objects, arrays, well-formed Unicode strings, finite IEEE-754 double numbers, true, false and null, with
 * no duplicate keys. On that subset the output is byte for byte what RFC 8785 prescribes, hashed as UTF-8
 * (`createHash().update(string)` encodes UTF-8):
 * - object members sorted by their names as arrays of UTF-16 code units (ECMAScript's `<` on strings
 *   compares code units, not code points or locale order: RFC 8785 section 3.2.3);
 * - numbers as ECMAScript's Number-to-String, which is JSON.stringify's (section 3.2.2.3);
 * - strings as JSON.stringify writes them: `"` and `\` escaped, \b \t \n \f \r, other controls as \u00xx
 *   with lowercase hex, everything else (including `/` and U+007F) as itself (section 3.2.2.2);
 * - no whitespace; array order kept.
 *
 * Outside the subset RFC 8785 refuses the input; this function maps it as JSON.stringify would store it
 * instead, and must keep doing so, because a different mapping would change hashes already recorded:
 * NaN and ±Infinity become `null`, an `undefined` member is left out (and is `null` in an array), a lone
 * surrogate is escaped as \udxxx. None of these reaches a recorded chain as such: event payloads arrive
 * through Temporal's JSON payload converter and are read back from a PostgreSQL `jsonb` column, so they are
 * JSON data already (a non-finite number is `null` on both sides, and `jsonb` refuses a lone surrogate).
 * Non-plain objects (Date, Map) are not JSON data either: only their own enumerable properties count and
 * `toJSON` is not called, so callers pass dates as ISO strings. test/domain/canonical-json.test.ts holds the
 * RFC's vectors and pins these choices.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
