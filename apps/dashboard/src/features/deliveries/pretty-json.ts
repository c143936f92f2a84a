/** Indented for reading; the exact bytes (compact canonical JSON) stay what Copy gives. */
export function prettyJson(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    return JSON.stringify(parsed, null, 2);
  } catch (_error: unknown) {
    // Not JSON (it always is for callbacks, but the log should show whatever was stored).
    return body;
  }
}
