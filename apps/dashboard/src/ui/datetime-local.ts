function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An instant as the value of a datetime-local input, which works in the browser's local time. */
export function toLocalInputValue(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local wall time) as an ISO instant; null when empty or incomplete. */
export function fromLocalInputValue(value: string): string | null {
  if (value === '') return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
