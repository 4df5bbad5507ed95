/** Masks for personal data shown to people who do not need the full value (docs/personal-data.md#stored-encrypted-shown-masked). */
export function maskIdNumber(v: string): string {
  return v.length <= 8 ? '*'.repeat(v.length) : `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

export function maskPhone(v: string): string {
  return v.length < 7 ? '*'.repeat(v.length) : `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
}

/** Keeps the district-level beginning of an address. */
export function maskAddress(v: string): string {
  const chars = [...v];
  return chars.length <= 6 ? '*'.repeat(chars.length) : `${chars.slice(0, 6).join('')}****`;
}

/** A name shown without identifying the person: the family name only (张**). */
export function maskName(v: string): string {
  const chars = [...v];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
