/** "23 ms", "4.20 s": the server measures attempts in whole milliseconds, so no fractions below a second. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}
