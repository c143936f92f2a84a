const withSeconds = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const precise = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** "May 3, 14:02:11" in the browser's zone: requests happen seconds apart, so seconds matter. */
export function formatRequestTime(iso: string): string {
  return withSeconds.format(new Date(iso));
}

/** With milliseconds and the zone, for matching against a backend's own logs. */
export function formatRequestTimePrecise(iso: string): string {
  return precise.format(new Date(iso));
}

/** Key ids are long; the table shows their ends, the detail the whole id. */
export function shortKeyId(keyId: string): string {
  return keyId.length <= 14 ? keyId : `${keyId.slice(0, 7)}…${keyId.slice(-4)}`;
}
