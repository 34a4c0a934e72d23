/**
 * Saving bytes to the student's computer: a Blob URL behind an `<a download>`, clicked once. The
 * URL is revoked a minute later rather than at once, as some browsers read it after the click
 * returns.
 */

const REVOKE_AFTER_MS = 60_000;

export function downloadBytes(bytes: Uint8Array, fileName: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
