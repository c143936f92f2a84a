/** How long the object URL stays alive: long enough for every browser to start the download. */
const REVOKE_AFTER_MS = 1_000;

/**
 * Save `contents` as a file the browser downloads, without a server round trip — for text that
 * exists only in this page, such as a key file shown once.
 */
export function downloadTextFile(fileName: string, contents: string, type: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; revoking soon after frees the
  // copy of the contents the URL holds.
  window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
