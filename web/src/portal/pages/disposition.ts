/** The file name in a Content-Disposition (RFC 6266: `filename*=UTF-8''…` first, then `filename`, quoted or a token). */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // A malformed name: fall through to the plain one.
    }
  }
  const plain = /filename=(?:"([^"]+)"|([^;\s]+))/i.exec(header);
  return plain?.[1] ?? plain?.[2] ?? null;
}
