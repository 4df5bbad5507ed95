/**
 * Files that need the session's token (documents, materials): a plain link would carry none, so they are
 * fetched and handed to the browser as a blob, to save or to show in the page. Used by the console and the portal.
 */

/** Hands a fetched file to the browser's download, under a readable name. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 1.2 MB, 35 KB: a file's size as a clerk reads it. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${n} 字节`;
}
